// Where the suite's request path (bench row 1) spends its client-side time:
// this process runs the request path (CheckContext.call on a run's
// HttpClient) against the minimal node:http server answering with the
// mock's own bytes, as row 1 does, under V8's sampling profiler (the
// inspector's Profiler, in this process), and prints the functions that
// took the most time, by self time and by total time. The server runs in a
// child process, so only the client is profiled.
//   npm run bench:profile-path                       # 8 s, 16 in flight
//   npm run bench:profile-path -- --seconds 15 --top 40 --raw   # the ceiling's client (raw undici) instead
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_PASSWORD, DEFAULT_USERNAME } from "../mock/index.ts";
import { basicAuth, MIX, record } from "./lib/canned.ts";
import { closedLoop } from "./lib/load.ts";
import { startServer, tempDir } from "./lib/proc.ts";
import { int } from "./lib/format.ts";
import { printTables, summarize, type CpuProfile } from "./lib/cpuprofile.ts";
import { rawClient, suiteClient } from "./throughput.ts";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const seconds = Number(arg("seconds", "8"));
const top = Number(arg("top", "30"));
const concurrency = 16;
const dir = tempDir("profile-path");

const mock = await startServer("mock", JSON.stringify({ scenario: "docs" }));
const canned = await record(mock.url, basicAuth(DEFAULT_USERNAME, DEFAULT_PASSWORD));
await mock.stop();
const cannedFile = join(dir, "responses.json");
writeFileSync(cannedFile, JSON.stringify(canned));
const minimal = await startServer("minimal", cannedFile);
const client = args.includes("--raw") ? rawClient(minimal.url, concurrency) : suiteClient(minimal.url, concurrency, join(dir, "credentials-refused"));
const session = new Session();
session.connect();
let result;
let profile: CpuProfile;
try {
  await closedLoop(client.send, { concurrency, ms: 1000, warmupMs: 0 });
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  result = await closedLoop(client.send, { concurrency, ms: seconds * 1000, warmupMs: 0 });
  ({ profile } = (await session.post("Profiler.stop")) as unknown as { profile: CpuProfile });
} finally {
  session.disconnect();
  await client.close();
  await minimal.stop();
}
const file = join(dir, "client.cpuprofile");
writeFileSync(file, JSON.stringify(profile));
const summary = summarize(profile);
const idle = summary.rows.find((r) => r.name === "(idle)")?.selfMs ?? 0;
const print = (line: string) => process.stdout.write(`${line}\n`);
print(`${args.includes("--raw") ? "raw undici" : "request path"} -> minimal node:http (the mix: ${MIX.map((m) => m.url).join(", ")}): ${int(result.rps)} req/s for ${seconds} s, client CPU ${result.clientCpuUs.toFixed(0)} µs/req, ${result.failures} failures`);
print(`profile: ${file} (${(summary.totalMs / 1000).toFixed(1)} s sampled, ${((idle / summary.totalMs) * 100).toFixed(0)}% idle)`);
printTables(summary, { requests: result.requests, top, selfTitle: "self time", oursTitle: "total time, project files", ours: (where) => /^(src|bench)\//.test(where) }, print);
