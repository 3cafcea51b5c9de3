// Rows 1 and 2: requests per second on loopback, every server in its own
// process, one client (this process), the same request mix, the same
// concurrency. Samples are interleaved (A B C … C B A) so drift on a noisy
// 2-core machine hits every variant alike; each figure is the mean of its
// samples, and every sample is printed.
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { undici, yaml } from "./lib/deps.ts";

import { HttpClient, type Exchange } from "../src/harness/transport.ts";
import { CheckContext, type TargetInfo } from "../src/harness/context.ts";
import { Redactor } from "../src/harness/secrets.ts";
import { DEFAULT_PASSWORD, DEFAULT_USERNAME } from "../mock/index.ts";
import { MIX, basicAuth, record } from "./lib/canned.ts";
import { closedLoop, mean, median, type LoadResult } from "./lib/load.ts";
import { ROOT, startPrism, startServer, tempDir, type Server } from "./lib/proc.ts";
import { int, pct, ratio } from "./lib/format.ts";
import type { BenchOptions, RowResult } from "./lib/row.ts";

const AUTH = basicAuth(DEFAULT_USERNAME, DEFAULT_PASSWORD);

/**
 * Raw undici: Pool.request + body.text(), nothing else (the loopback
 * ceiling's client). With `parse`, JSON.parse of the body too: not the
 * ceiling, but it shows how much of the request path is the parse that any
 * client checking a body must do.
 */
export function rawClient(url: string, concurrency: number, parse = false, paths: string[] = MIX.map((m) => m.url)): { send(i: number): Promise<boolean>; close(): Promise<void> } {
  const pool = new undici.Pool(url, { connections: concurrency, pipelining: 1 });
  const headers = { authorization: AUTH, accept: "application/hal+json" };
  return {
    async send(i) {
      const res = await pool.request({ method: "GET", path: paths[i % paths.length], headers });
      const text = await res.body.text();
      if (parse) JSON.parse(text);
      return res.statusCode === 200 && text.length > 0;
    },
    close: () => pool.close(),
  };
}

/**
 * The suite's own request path: CheckContext.call() on the HttpClient of a
 * run (exchange recorded and redacted, JSON parsed, Content-Type checked,
 * Ajv validation through validateResponse). Exchanges are collected the way
 * suite-runner collects them, one list per check of 100 requests.
 */
export function suiteClient(url: string, concurrency: number, credentialsLatch: string): { send(i: number): Promise<boolean>; close(): Promise<void> } {
  let current: Exchange[] = [];
  // As run-command builds it, with the run's credentials latch (src/harness/credentials-latch.ts).
  const http = new HttpClient({
    baseUrl: url, username: DEFAULT_USERNAME, password: DEFAULT_PASSWORD, insecure: false, timeoutMs: 30_000, concurrency,
    retries: { max: 3, maxDelayMs: 10_000 }, redactor: new Redactor({ secrets: [DEFAULT_PASSWORD], username: DEFAULT_USERNAME }),
    credentialsLatch,
    onExchange: (ex) => current.push(ex),
  });
  const target: TargetInfo = {
    url, username: DEFAULT_USERNAME, version: "9.18.1", nodes: [], profile: "read-only", strict: false, insecure: false, seed: 1, runs: 1,
    embedded: false, acceptsTestKeys: false, acceptsTestPackages: false, allowUpgrade: false,
  };
  let ctx = new CheckContext(target, http, "bench");
  return {
    async send(i) {
      if (i % 100 === 0) {
        ctx = new CheckContext(target, http, `bench-${i}`);
        current = [];
      }
      const m = MIX[i % MIX.length];
      const r = await ctx.call(m.operationId, { path: m.pathParams, query: m.query });
      return r.status === 200;
    },
    close: () => http.close(),
  };
}

type Variant = { label: string; make(): { send(i: number): Promise<boolean>; close(): Promise<void> } };

/** Interleaved samples: pass 1 in order, pass 2 reversed. */
async function sample(variants: Variant[], o: BenchOptions): Promise<Map<string, LoadResult[]>> {
  const out = new Map<string, LoadResult[]>(variants.map((v) => [v.label, []]));
  for (let pass = 0; pass < o.passes; pass++) {
    for (const v of pass % 2 === 0 ? variants : [...variants].reverse()) {
      const client = v.make();
      try {
        const r = await closedLoop(client.send, { concurrency: o.concurrency, ms: o.sampleMs, warmupMs: o.warmupMs });
        out.get(v.label)!.push(r);
        o.log(`    ${v.label}: ${int(r.rps)} req/s, ${r.clientCpuUs.toFixed(0)} µs client CPU/req${r.failures ? `, ${r.failures} FAILED` : ""}`);
      } finally {
        await client.close();
      }
    }
  }
  return out;
}

/** Row 1 takes more, shorter samples than the other rows: its verdict is a median of pairs. */
const ROW1_PASSES = 4;
const ROW1_SAMPLE_MS = 2500;

const rps = (samples: LoadResult[]) => mean(samples.map((s) => s.rps));
const cpu = (samples: LoadResult[]) => mean(samples.map((s) => s.clientCpuUs));
const show = (samples: LoadResult[]) => `${int(rps(samples))} req/s (samples ${samples.map((s) => int(s.rps)).join(", ")}; client CPU ${cpu(samples).toFixed(0)} µs/req${samples.some((s) => s.failures) ? `; ${samples.reduce((a, s) => a + s.failures, 0)} failures` : ""})`;

export async function requestPathRow(o: BenchOptions): Promise<RowResult> {
  const dir = tempDir("row1");
  const mock = await startServer("mock", JSON.stringify({ scenario: "docs" }));
  let minimal: Server | undefined;
  try {
    // The minimal server answers the mix with the mock's own bytes, so the
    // client does the same work (parse, validate, redact) against both.
    const canned = await record(mock.url, AUTH);
    const cannedFile = join(dir, "responses.json");
    writeFileSync(cannedFile, JSON.stringify(canned));
    minimal = await startServer("minimal", cannedFile);
    const latch = join(dir, "credentials-refused");
    const bytes = MIX.map((m) => Buffer.byteLength(canned[m.url].body));
    o.log(`  row 1: mock ${mock.url}, minimal node:http ${minimal.url}; bodies ${bytes.join(" / ")} B`);
    // The ceiling and the request path are sampled back to back in every
    // pass, so each pass gives one paired ratio that drift on a shared
    // machine hardly touches; the verdict is the median of those.
    const variants: Variant[] = [
      { label: "ceiling: raw undici -> minimal node:http", make: () => rawClient(minimal!.url, o.concurrency) },
      { label: "request path -> minimal node:http", make: () => suiteClient(minimal!.url, o.concurrency, latch) },
      { label: "raw undici + JSON.parse -> minimal node:http", make: () => rawClient(minimal!.url, o.concurrency, true) },
      { label: "request path -> reference mock", make: () => suiteClient(mock.url, o.concurrency, latch) },
      { label: "raw undici -> reference mock", make: () => rawClient(mock.url, o.concurrency) },
    ];
    const s = await sample(variants, o.quick ? o : { ...o, passes: ROW1_PASSES, sampleMs: ROW1_SAMPLE_MS });
    const [ceiling, pathMin, rawParse, pathMock, rawMock] = variants.map((v) => s.get(v.label)!);
    const paired = pathMin.map((p, i) => p.rps / ceiling[i].rps);
    const sameServer = median(paired);
    const ofMeans = rps(pathMin) / rps(ceiling);
    return {
      name: "1. Request path overhead",
      figure: `${int(rps(pathMin))} req/s`,
      ratio: `${ratio(sameServer)} of ceiling`,
      target: ">= 0.50x of ceiling",
      met: sameServer >= 0.5,
      details: [
        `request path vs ceiling (same minimal server): ${ratio(sameServer)} (${pct(sameServer)}), the median of ${paired.length} paired passes (${paired.map((r) => ratio(r)).join(", ")}); ratio of the means ${ratio(ofMeans)}`,
        `ceiling, raw undici -> minimal node:http: ${show(ceiling)}`,
        `request path -> minimal node:http: ${show(pathMin)}`,
        `raw undici + JSON.parse -> minimal node:http: ${show(rawParse)} = ${ratio(rps(rawParse) / rps(ceiling))} of ceiling; the request path (parse, validation, redaction, recording) = ${ratio(rps(pathMin) / rps(rawParse))} of it. Client CPU above the ceiling: request path ${(cpu(pathMin) - cpu(ceiling)).toFixed(0)} µs/req, raw + JSON.parse ${(cpu(rawParse) - cpu(ceiling)).toFixed(0)} µs/req`,
        `request path -> reference mock: ${show(pathMock)} = ${ratio(rps(pathMock) / rps(ceiling))} of ceiling, ${ratio(rps(pathMock) / rps(rawMock))} of raw undici -> mock`,
        `raw undici -> reference mock: ${show(rawMock)}`,
        `mix: ${MIX.map((m) => `GET ${m.url}`).join(", ")}; bodies ${bytes.join(" / ")} B; concurrency ${o.concurrency}`,
      ],
      data: { ceiling, rawParse, pathMin, pathMock, rawMock, sameServer, paired, ofMeans, bytes },
    };
  } finally {
    await minimal?.stop();
    await mock.stop();
  }
}

/**
 * Prism mocks every path of the document without the server URL's base path
 * (/api), so the copy it gets has /api put in front of each path: both
 * servers then see byte-identical requests. The document is OpenAPI 3.1,
 * which Prism 5 loads as it is.
 */
export function prismSpec(dir: string): string {
  const doc = yaml.parse(readFileSync(join(ROOT, "spec", "ontap.yaml"), "utf8"));
  doc.paths = Object.fromEntries(Object.entries(doc.paths).map(([p, v]) => [`/api${p}`, v]));
  delete doc.servers;
  const file = join(dir, "ontap-for-prism.yaml");
  writeFileSync(file, yaml.stringify(doc));
  return file;
}

export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function mockVsPrismRow(o: BenchOptions): Promise<RowResult> {
  const dir = tempDir("row2");
  const spec = prismSpec(dir);
  const mock = await startServer("mock", JSON.stringify({ scenario: "docs" }));
  const servers: Server[] = [mock];
  try {
    const prism = await startPrism(spec, await freePort(), { silent: false, logFile: join(dir, "prism.log"), probePath: MIX[0].url, authorization: AUTH });
    servers.push(prism);
    const silent = await startPrism(spec, await freePort(), { silent: true, logFile: join(dir, "prism-silent.log"), probePath: MIX[0].url, authorization: AUTH });
    servers.push(silent);
    const probe = async (url: string) => Promise.all(MIX.map(async (m) => {
      const r = await fetch(`${url}${m.url}`, { headers: { authorization: AUTH } });
      return `${r.status} ${(await r.arrayBuffer()).byteLength} B`;
    }));
    const mockAnswers = await probe(mock.url);
    const prismAnswers = await probe(prism.url);
    o.log(`  row 2: mock answers ${mockAnswers.join(" / ")}; Prism answers ${prismAnswers.join(" / ")}; Prism start-up ${int(prism.startupMs)} ms`);
    // The headline: one request, the licence listing with every field, against the mock and against Prism at
    // its fastest (-v silent: no log line per request). Prism at its default log level and the three-request
    // mix (the row's figures before issue 22) are sampled in the same passes.
    const listing = [MIX[0].url];
    const variants: Variant[] = [
      { label: "reference mock, listing", make: () => rawClient(mock.url, o.concurrency, false, listing) },
      { label: "Prism -v silent, listing", make: () => rawClient(silent.url, o.concurrency, false, listing) },
      { label: "Prism (default log level), listing", make: () => rawClient(prism.url, o.concurrency, false, listing) },
      { label: "reference mock, mix", make: () => rawClient(mock.url, o.concurrency) },
      { label: "Prism -v silent, mix", make: () => rawClient(silent.url, o.concurrency) },
    ];
    const s = await sample(variants, o);
    const [m, ps, p, mMix, psMix] = variants.map((v) => s.get(v.label)!);
    const vsSilent = rps(m) / rps(ps);
    return {
      name: "2. Mock throughput vs Prism",
      figure: `${int(rps(m))} req/s`,
      ratio: `${ratio(vsSilent)} Prism -v silent`,
      target: ">= 3x Prism -v silent",
      met: vsSilent >= 3,
      details: [
        `GET ${listing[0]}: reference mock ${show(m)}`,
        `  Prism 5.14.2 -v silent: ${show(ps)}; mock = ${ratio(vsSilent)}`,
        `  Prism 5.14.2, default log level (info, one log line per request to a file): ${show(p)}; mock = ${ratio(rps(m) / rps(p))}`,
        `the mix (${MIX.map((x) => `GET ${x.url}`).join(", ")}): reference mock ${show(mMix)}; Prism -v silent ${show(psMix)}; mock = ${ratio(rps(mMix) / rps(psMix))}`,
        `same client (raw undici Pool, concurrency ${o.concurrency}) for every server`,
        `answers (status, bytes): mock ${mockAnswers.join(" / ")}; Prism ${prismAnswers.join(" / ")} (Prism serves schema-generated placeholders, the mock real records)`,
        `Prism loads spec/ontap.yaml (OpenAPI 3.1) as it is; the copy it serves has /api put in front of every path (Prism ignores the server URL's base path). Start-up to first answer ${int(prism.startupMs)} ms (it needs no network: 0 connect() calls under strace, /work/shared/perf-anchors.md)`,
      ],
      data: { mock: m, prism: p, prismSilent: ps, mockMix: mMix, prismSilentMix: psMix, vsSilent, vsPrism: rps(m) / rps(p), prismStartupMs: prism.startupMs, mockAnswers, prismAnswers },
    };
  } finally {
    for (const s of servers.reverse()) await s.stop();
  }
}
