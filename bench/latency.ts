// Row 4: a read-only run against the mock with 100 ms per answer at the
// default --concurrency 4: its effective concurrency (requests x latency /
// wall time, target at least 3.0) and its wall time against the bound
// requests x latency / concurrency + the longest chain of dependent requests
// (target within 1.3x).
//
// Method (see lib/critical-path.ts): a structure pass runs every read-only
// check of the run in this process, against the same mock scenario with a
// short latency (20 ms, so requests in flight together visibly overlap), with
// the same seed and runs (so property checks generate the same cases), and
// records each request's start and end; each check's longest chain comes from
// those intervals, and the longest of all (plus discovery's) is the chain no
// concurrency can shorten. Then the real CLI run is timed against the 100 ms
// mock through a proxy that counts its requests.
import { allChecks } from "../suites/index.ts";
import { compareVersions } from "../src/contract/index.ts";
import { phaseOf, profileAllows } from "../src/harness/check.ts";
import { CheckContext, type TargetInfo } from "../src/harness/context.ts";
import { discover } from "../src/harness/discovery.ts";
import { HttpClient, type Exchange, type RequestSpec } from "../src/harness/transport.ts";
import { DEFAULT_PASSWORD, DEFAULT_USERNAME } from "../mock/index.ts";
import { longestChain, type Interval } from "./lib/critical-path.ts";
import { runCli, startServer, tempDir } from "./lib/proc.ts";
import { countingProxy } from "./lib/counting-proxy.ts";
import { int, ratio, secs } from "./lib/format.ts";
import type { BenchOptions, RowResult } from "./lib/row.ts";

const LATENCY_MS = 100;
/** The run's --concurrency on a URL (the default). */
const CONCURRENCY = 4;
const STRUCTURE_LATENCY_MS = 20;
export const SEED = 42;
const RUNS = 25;

/** An HttpClient that notes when each request was sent and answered. */
class TimedClient extends HttpClient {
  intervals: Interval[] = [];
  override async request(spec: RequestSpec): Promise<Exchange> {
    const start = performance.now();
    try {
      return await super.request(spec);
    } finally {
      this.intervals.push({ start, end: performance.now() });
    }
  }
}

export interface Structure {
  discoveryChain: number;
  chainsByFile: Record<string, number[]>;
  checks: Array<{ id: string; phase: string; requests: number; chain: number }>;
}

/** Every read-only check once, in phase-file order, with its request intervals. */
export async function structurePass(url: string): Promise<Structure> {
  // High concurrency: the client's cap must not turn concurrent requests into a chain.
  const http = new TimedClient({ baseUrl: url, username: DEFAULT_USERNAME, password: DEFAULT_PASSWORD, insecure: false, timeoutMs: 60_000, concurrency: 256, retries: { max: 3, maxDelayMs: 10_000 } });
  try {
    const found = await discover(http);
    const discoveryChain = longestChain(http.intervals);
    const target: TargetInfo = {
      url, username: DEFAULT_USERNAME, version: found.version, clusterName: found.clusterName, nodes: found.nodes, profile: "read-only", strict: false, insecure: false,
      seed: SEED, runs: RUNS, embedded: false, acceptsTestKeys: false, acceptsTestPackages: false, allowUpgrade: false, faultSwitch: false,
    };
    const chainsByFile: Record<string, number[]> = {};
    const checks: Structure["checks"] = [];
    for (const check of allChecks()) {
      if (!profileAllows("read-only", check.profile)) continue;
      if (check.since && found.version && compareVersions(found.version, check.since) < 0) continue;
      http.intervals = [];
      try {
        await check.run(new CheckContext(target, http, check.id));
      } catch {
        // Skips and failures end a check early; its requests still count.
      }
      const chain = longestChain(http.intervals);
      (chainsByFile[phaseOf(check)] ??= []).push(chain);
      checks.push({ id: check.id, phase: phaseOf(check), requests: http.intervals.length, chain });
    }
    return { discoveryChain, chainsByFile, checks };
  } finally {
    await http.close();
  }
}

export async function latencyRow(o: BenchOptions): Promise<RowResult> {
  const quickMock = await startServer("mock", JSON.stringify({ scenario: "docs", latencyMs: STRUCTURE_LATENCY_MS }));
  let structure: Structure;
  try {
    structure = await structurePass(quickMock.url);
  } finally {
    await quickMock.stop();
  }
  const longest = [...structure.checks].sort((a, b) => b.chain - a.chain)[0];
  const chain = structure.discoveryChain + (longest?.chain ?? 0);
  o.log(`  row 4: longest chain ${chain} requests (discovery ${structure.discoveryChain} + ${longest?.id} ${longest?.chain})`);

  const mock = await startServer("mock", JSON.stringify({ scenario: "docs", latencyMs: LATENCY_MS }));
  const proxy = await countingProxy(mock.url);
  try {
    const run = await runCli(["run", "--target", proxy.url, "--profile", "read-only", "--no-html", "--seed", String(SEED), "--runs", String(RUNS)], {
      reportDir: tempDir("row4"), env: { ONTAP_PASSWORD: DEFAULT_PASSWORD }, timeoutMs: 10 * 60_000,
    });
    if (!run.summary) throw new Error(`the latency-bound run wrote no summary (exit ${run.code}): ${run.stderr.slice(0, 500)}`);
    const requests = proxy.total();
    const effective = (requests * LATENCY_MS) / run.wallMs;
    const boundMs = (requests * LATENCY_MS) / CONCURRENCY + chain * LATENCY_MS;
    const r = run.wallMs / boundMs;
    const top = [...structure.checks].sort((a, b) => b.chain - a.chain).slice(0, 5);
    return {
      name: "4. Latency-bound run (100 ms/answer)",
      figure: `${secs(run.wallMs)} wall, ${int(requests)} requests, effective concurrency ${effective.toFixed(2)}`,
      ratio: `${ratio(r)} the bound (${secs(boundMs)})`,
      target: "effective concurrency >= 3.0; <= 1.3x the bound",
      met: effective >= 3.0 && r <= 1.3,
      details: [
        `run --target <mock --latency ${LATENCY_MS}> --profile read-only --no-html --seed ${SEED} --runs ${RUNS} (--concurrency ${CONCURRENCY}): wall ${secs(run.wallMs)} (suites ${secs(run.summary.phases?.suitesMs ?? NaN)}), exit ${run.code}, ${run.summary.totals.pass} pass / ${run.summary.totals.skip} skip / ${run.summary.totals.fail + run.summary.totals.error} fail+error`,
        `effective concurrency = ${int(requests)} requests x ${LATENCY_MS} ms / ${secs(run.wallMs)} = ${effective.toFixed(2)}`,
        `bound = ${int(requests)} x ${LATENCY_MS} ms / ${CONCURRENCY} + the longest chain ${chain} x ${LATENCY_MS} ms (discovery ${structure.discoveryChain} + ${longest?.id} ${longest?.chain}) = ${secs(boundMs)}`,
        `longest chains: ${top.map((c) => `${c.id} ${c.chain}`).join(", ")}`,
        `method: a structure pass (same seed and runs, ${STRUCTURE_LATENCY_MS} ms latency, no client cap) times every request of every read-only check; a check's chain = its largest set of requests that were never in flight together; the run's requests are counted by a proxy in front of the mock`,
      ],
      data: { wallMs: run.wallMs, requests, effective, boundMs, ratio: r, chain, longest, structure: structure.checks, summaryPhases: run.summary.phases },
    };
  } finally {
    await proxy.close();
    await mock.stop();
  }
}
