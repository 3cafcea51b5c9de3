// A target nobody here wrote: Stoplight Prism serving NetApp's own 9.7
// swagger (test/fixtures/netapp-9.7-swagger-api.yaml.gz), once with its
// static examples and once with `-d` generated data. A read-only run of the
// suite against each, through a counting proxy. What a CI owner needs from
// that run (issue #17): it ends, it is quick and small, and it writes its
// report whatever Prism answers.
//   npm run foreign            both targets; exit 1 when a target below is missed
//   (bench row 6 of `npm run bench` is the same measurement)
// Targets: static: at most 90 s, at most 5,000 requests, exit 1, summary.json
// under 2 MB; -d: summary.json and junit.xml written, exit 1 or 2. A third
// run has Prism serve the project's own spec/ontap.yaml: its validator must
// refuse none of the suite's queries (filters are ONTAP query strings).
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { ROOT, runCli, startPrism, tempDir, type CliRun } from "./lib/proc.ts";
import { countingProxy } from "./lib/counting-proxy.ts";
import { freePort, prismSpec } from "./throughput.ts";
import { int } from "./lib/format.ts";
import type { BenchOptions, RowResult } from "./lib/row.ts";

const FIXTURE = join(ROOT, "test", "fixtures", "netapp-9.7-swagger-api.yaml.gz");
const AUTH = `Basic ${Buffer.from("admin:prism").toString("base64")}`;
const LIMITS = { wallMs: 90_000, requests: 5_000, summaryBytes: 2 * 1024 * 1024 };

export interface ForeignRun {
  label: string;
  code: number | null;
  wallMs: number;
  requests: number;
  byMethod: Record<string, number>;
  /** Valid ONTAP queries (the probes) Prism refused with 422: its validator did not accept them. */
  refused: string[];
  summaryBytes?: number;
  junit: boolean;
  totals?: Record<string, number>;
  failures: string[];
}

type Served = "netapp" | "netapp-d" | "ours";

async function against(served: Served, log: (line: string) => void): Promise<ForeignRun> {
  const dir = tempDir(`prism-${served}`);
  let spec = join(dir, "netapp-9.7.yaml");
  if (served === "ours") spec = prismSpec(dir);
  else writeFileSync(spec, gunzipSync(readFileSync(FIXTURE)));
  const prism = await startPrism(spec, await freePort(), { silent: true, dynamic: served === "netapp-d", logFile: join(dir, "prism.log"), probePath: "/api/cluster", authorization: AUTH });
  const proxy = await countingProxy(prism.url);
  const label = { netapp: "Prism (static examples)", "netapp-d": "Prism -d (generated data)", ours: "Prism serving spec/ontap.yaml" }[served];
  const probesRefused: string[] = [];
  if (served === "ours") {
    // The queries Prism's validator refused while filters were typed by their field (issue #17): ONTAP query
    // strings now. (The run's own boundary checks send out-of-range values on purpose: those 422s are right.)
    for (const q of ["state=*", "licenses.active=false,false", "licenses.capacity.used_size=%3E100", "name=!nfs|cifs", "licenses.expiry_time=2020-01-01..2030-01-01"]) {
      const r = await fetch(`${proxy.url}/api/cluster/licensing/licenses?${q}`, { headers: { authorization: AUTH } });
      await r.arrayBuffer();
      if (r.status === 422) probesRefused.push(q);
    }
  }
  let run: CliRun;
  try {
    run = await runCli(["run", "--target", proxy.url, "--password-env", "PRISM_PASSWORD", "--seed", "1", "--no-html"], { reportDir: join(dir, "reports"), env: { PRISM_PASSWORD: "prism" }, timeoutMs: 600_000 });
  } finally {
    await proxy.close();
    await prism.stop();
  }
  const latest = join(dir, "reports", "latest");
  const summaryFile = join(latest, "summary.json");
  const result: ForeignRun = {
    label,
    code: run.code,
    wallMs: run.wallMs,
    requests: proxy.total(),
    byMethod: Object.fromEntries(proxy.counts),
    refused: probesRefused,
    summaryBytes: existsSync(summaryFile) ? statSync(summaryFile).size : undefined,
    junit: existsSync(join(latest, "junit.xml")),
    totals: run.summary?.totals,
    failures: (run.summary?.checks ?? []).filter((c: any) => c.status === "fail" || c.status === "error").map((c: any) => `${c.status} ${c.id}: ${String(c.message).split("\n")[0]}`),
  };
  log(`  ${label}: exit ${result.code}, ${(result.wallMs / 1000).toFixed(1)} s, ${int(result.requests)} requests (${Object.entries(result.byMethod).map(([m, n]) => `${m} ${n}`).join(", ")}; ${proxy.refused.length} answered 422${served === "ours" ? `, ${result.refused.length} of the valid query probes refused` : ""}), summary.json ${result.summaryBytes === undefined ? "missing" : `${int(result.summaryBytes)} bytes`}, junit.xml ${result.junit ? "written" : "missing"}`);
  if (run.stderr.trim()) log(`    stderr: ${run.stderr.trim().split("\n")[0]}`);
  return result;
}

/** Whether each run met its target, with the reasons it did not. */
export function judge(staticRun: ForeignRun, dynamicRun: ForeignRun, ours: ForeignRun): string[] {
  const missed: string[] = [];
  if (staticRun.code !== 1) missed.push(`static: exit ${staticRun.code}, not 1`);
  if (staticRun.wallMs > LIMITS.wallMs) missed.push(`static: ${(staticRun.wallMs / 1000).toFixed(1)} s, over 90 s`);
  if (staticRun.requests > LIMITS.requests) missed.push(`static: ${staticRun.requests} requests, over 5,000`);
  if (staticRun.summaryBytes === undefined || staticRun.summaryBytes > LIMITS.summaryBytes) missed.push(`static: summary.json ${staticRun.summaryBytes ?? "missing"}, not under 2 MB`);
  if (dynamicRun.summaryBytes === undefined || !dynamicRun.junit) missed.push("-d: summary.json or junit.xml missing");
  if (dynamicRun.code !== 1 && dynamicRun.code !== 2) missed.push(`-d: exit ${dynamicRun.code}, not 1 or 2`);
  // Issue #17 item 7: an OpenAPI tool serving the project's own spec accepts every query the suite sends.
  if (ours.refused.length) missed.push(`Prism serving spec/ontap.yaml refused ${ours.refused.length} valid ONTAP queries with 422, e.g. ${ours.refused[0]}`);
  return missed;
}

export async function foreignRow(o: Pick<BenchOptions, "log">): Promise<RowResult> {
  const s = await against("netapp", o.log);
  const d = await against("netapp-d", o.log);
  const ours = await against("ours", o.log);
  const missed = judge(s, d, ours);
  return {
    name: "6. foreign target (Prism, NetApp 9.7 swagger, read-only)",
    figure: `${(s.wallMs / 1000).toFixed(1)} s, ${int(s.requests)} requests, summary ${int(s.summaryBytes ?? 0)} B`,
    ratio: `${(s.wallMs / LIMITS.wallMs).toFixed(2)}x of 90 s; ${(s.requests / LIMITS.requests).toFixed(2)}x of 5,000 requests`,
    target: "<= 90 s, <= 5,000 requests, exit 1, summary < 2 MB; -d: report written; own spec: no query refused",
    met: missed.length === 0,
    details: [
      `static: exit ${s.code}, totals ${JSON.stringify(s.totals)}`,
      ...s.failures.map((f) => `  ${f}`),
      `-d: exit ${d.code}, ${(d.wallMs / 1000).toFixed(1)} s, ${int(d.requests)} requests, summary ${int(d.summaryBytes ?? 0)} B, junit ${d.junit ? "written" : "missing"}, totals ${JSON.stringify(d.totals)}`,
      `Prism serving spec/ontap.yaml: exit ${ours.code}, ${int(ours.requests)} requests, ${ours.refused.length} of 5 valid query probes refused with 422${ours.refused.length ? ` (${ours.refused.slice(0, 3).join("; ")})` : ""}`,
      ...(missed.length ? [`missed: ${missed.join("; ")}`] : []),
    ],
    data: { static: s, dynamic: d, ours },
  };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log("foreign targets: Stoplight Prism serving NetApp's 9.7 swagger (test/fixtures), read-only runs");
  const row = await foreignRow({ log });
  for (const d of row.details) log(`  ${d}`);
  log(row.met ? "foreign targets: every target met" : `foreign targets: MISSED (${row.details.at(-1)})`);
  process.exit(row.met ? 0 : 1);
}
