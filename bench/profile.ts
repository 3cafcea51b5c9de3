// Where the reference mock spends its time per request: the mock runs in a
// child process under V8's sampling profiler (node --cpu-prof) while this
// process sends it one request over and over (16 in flight, as row 2 does);
// the profile is written when the mock stops, and the functions that took
// the most time are printed, by self time and by total time (the function
// and what it called).
//   npm run bench:profile                                  # the licence listing with fields=*, 8 s
//   npm run bench:profile -- --seconds 15 --url '/api/cluster/software'
//   npm run bench:profile -- --top 40 --out /tmp/prof      # keep the .cpuprofile there (chrome://inspect or speedscope open it)
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_PASSWORD, DEFAULT_USERNAME } from "../mock/index.ts";
import { basicAuth } from "./lib/canned.ts";
import { undici } from "./lib/deps.ts";
import { closedLoop } from "./lib/load.ts";
import { BENCH, ROOT, tempDir } from "./lib/proc.ts";
import { int } from "./lib/format.ts";
import { printTables, summarize } from "./lib/cpuprofile.ts";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const url = arg("url", "/api/cluster/licensing/licenses?fields=*");
const seconds = Number(arg("seconds", "8"));
const top = Number(arg("top", "25"));
const outDir = arg("out", tempDir("profile"));
const concurrency = 16;
mkdirSync(outDir, { recursive: true });

/** The mock in a child process under the profiler; resolves its URL and a stop() that lets it write the profile. */
function profiledMock(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--cpu-prof", "--cpu-prof-dir", outDir, "--import", "tsx", join(BENCH, "serve.ts"), "mock", JSON.stringify({ scenario: "docs" })], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let buf = "";
    child.once("exit", (code) => reject(new Error(`the mock exited with ${code} before listening`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      buf += chunk.toString();
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      child.removeAllListeners("exit");
      child.stdout!.resume();
      resolve({
        url: JSON.parse(buf.slice(0, nl)).url,
        // SIGTERM: serve.ts closes the mock and exits, and node writes the profile on exit.
        stop: () => new Promise<void>((done) => { child.once("exit", () => done()); child.kill("SIGTERM"); }),
      });
    });
  });
}

const mock = await profiledMock();
const pool = new undici.Pool(mock.url, { connections: concurrency, pipelining: 1 });
const headers = { authorization: basicAuth(DEFAULT_USERNAME, DEFAULT_PASSWORD), accept: "application/hal+json" };
const send = async () => {
  const res = await pool.request({ method: "GET", path: url, headers });
  const text = await res.body.text();
  return res.statusCode === 200 && text.length > 0;
};
let result;
let requests: number;
try {
  const warm = await closedLoop(send, { concurrency, ms: 1000, warmupMs: 0 });
  result = await closedLoop(send, { concurrency, ms: seconds * 1000, warmupMs: 0 });
  requests = warm.requests + result.requests;
} finally {
  await pool.close();
  await mock.stop();
}
// node writes one profile per thread (tsx's loader hooks have a thread of their own): the mock's is the busiest.
const profiles = readdirSync(outDir).filter((f) => f.endsWith(".cpuprofile")).map((f) => {
  const s = summarize(JSON.parse(readFileSync(join(outDir, f), "utf8")));
  return { file: f, ...s, busyMs: s.totalMs - (s.rows.find((r) => r.name === "(idle)")?.selfMs ?? 0) };
});
if (!profiles.length) throw new Error(`no .cpuprofile in ${outDir}`);
const { file, totalMs, rows } = profiles.sort((a, b) => b.busyMs - a.busyMs)[0];
const idle = rows.find((r) => r.name === "(idle)")?.selfMs ?? 0;
const print = (line: string) => process.stdout.write(`${line}\n`);
print(`GET ${url}: ${int(result.rps)} req/s for ${seconds} s (+1 s warm-up), ${result.failures} failures, ${concurrency} in flight`);
print(`profile: ${join(outDir, file)} (${(totalMs / 1000).toFixed(1)} s sampled, ${((idle / totalMs) * 100).toFixed(0)}% idle, the mock's start-up included); µs per request over all ${int(requests)} requests, warm-up included`);
printTables({ totalMs, rows }, {
  requests, top, selfTitle: "self time (where the samples landed)",
  oursTitle: `total time (the function and what it called)${args.includes("--all") ? "" : ", project files (--all: every function)"}`,
  ours: (where) => args.includes("--all") || /^(mock|src|bench)\//.test(where),
}, print);
