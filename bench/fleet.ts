// Row 9: fleets and shards (issue 21).
//   a) latency-bound: one read-only run against a mock that answers in
//      100 ms, then a fleet of 10 such targets (run --targets, the default
//      --parallel-targets): the fleet's wall time against the one target's
//      (target: at most 1.5x);
//   b) scale: a fleet of 50 mock targets (releases spread 9.6 .. 9.19.1,
//      read-only, with the one HTML report of every target) completes; its
//      wall time and the peak of its resident memory (the fleet process and
//      every target's process, summed, sampled from /proc) are reported;
//   c) shards: the default run, unsharded, then as two shards side by side
//      and merged (merge's own time reported).
// The mocks are `ontap-conformance mock --fleet`, in a process of their own.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { DEFAULT_PASSWORD } from "../mock/index.ts";
import { ROOT, runCli, tempDir, type CliRun } from "./lib/proc.ts";
import { sampleTree, treeRss } from "./lib/memory.ts";
import { int, ratio, secs } from "./lib/format.ts";
import type { BenchOptions, RowResult } from "./lib/row.ts";
import { SEED } from "./latency.ts";

const BIN = join(ROOT, "bin", "ontap-conformance.mjs");
const MB = (b: number) => `${int(b / 2 ** 20)} MB`;

interface MockFleetProcess {
  inventory: string;
  urls: string[];
  pid: number;
  stop(): Promise<void>;
}

/** `ontap-conformance mock --fleet N ...` until it prints its inventory. */
async function mockFleet(args: string[], dir: string): Promise<MockFleetProcess> {
  const inventory = join(dir, "fleet.yaml");
  const child: ChildProcess = spawn(process.execPath, [BIN, "mock", ...args, "--inventory", inventory], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const printed = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`mock ${args.join(" ")} exited with ${code}`)));
    child.stdout!.on("data", (d) => {
      out += d;
      if (/^# ready: /m.test(out)) {
        child.removeAllListeners("exit");
        resolve(out);
      }
    });
  });
  return {
    inventory,
    urls: [...printed.matchAll(/target: (\S+)/g)].map((m) => m[1]),
    pid: child.pid!,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGINT");
    }),
  };
}

/** A CLI run with the peak resident memory of its process tree. */
async function measured(args: string[], reportDir: string, timeoutMs: number): Promise<{ run: CliRun; peakBytes: number; peakProcesses: number }> {
  let sampler: ReturnType<typeof sampleTree> | undefined;
  const run = await runCli(args, { reportDir, env: { ONTAP_PASSWORD: DEFAULT_PASSWORD }, timeoutMs, onSpawn: (pid) => { sampler = sampleTree(pid, 200); } });
  const peak = sampler!.stop();
  return { run, peakBytes: peak.peakBytes, peakProcesses: peak.peakProcesses };
}

const verdicts = (s: any) => (s?.verdicts ? `${s.verdicts.conformant} conformant, ${s.verdicts["not conformant"]} not, ${s.verdicts["could not run"]} could not run` : "no summary");

export async function fleetRow(o: BenchOptions): Promise<RowResult> {
  const large = o.quick ? 12 : 50;
  const common = ["--profile", "read-only", "--seed", String(SEED)];

  // a) 10 latency-bound targets against one.
  const slow = await mockFleet(["--fleet", "10", "--versions", "9.18.1", "--latency", "100"], tempDir("row7-mocks10"));
  let one: CliRun;
  let ten: Awaited<ReturnType<typeof measured>>;
  try {
    one = await runCli(["run", "--target", slow.urls[0], ...common, "--no-html"], { reportDir: tempDir("row7-one"), env: { ONTAP_PASSWORD: DEFAULT_PASSWORD }, timeoutMs: 10 * 60_000 });
    if (!one.summary) throw new Error(`the one-target run wrote no summary (exit ${one.code}): ${one.stderr.slice(0, 400)}`);
    o.log(`  row 9: one latency-bound target ${secs(one.wallMs)} (exit ${one.code})`);
    ten = await measured(["run", "--targets", slow.inventory, ...common, "--no-html"], tempDir("row7-ten"), 15 * 60_000);
    if (!ten.run.summary) throw new Error(`the fleet of 10 wrote no summary (exit ${ten.run.code}): ${ten.run.stderr.slice(0, 400)}`);
    o.log(`  row 9: a fleet of 10 latency-bound targets ${secs(ten.run.wallMs)} (exit ${ten.run.code}, ${verdicts(ten.run.summary)})`);
  } finally {
    await slow.stop();
  }
  const r10 = ten.run.wallMs / one.wallMs;

  // b) a fleet of 50 mocks, with its one HTML report.
  const many = await mockFleet(["--fleet", String(large)], tempDir("row7-mocks"));
  let big: Awaited<ReturnType<typeof measured>>;
  let mockRss = 0;
  try {
    const mockSampler = setInterval(() => { mockRss = Math.max(mockRss, treeRss(many.pid).bytes); }, 500);
    try {
      big = await measured(["run", "--targets", many.inventory, ...common], tempDir("row7-many"), 60 * 60_000);
    } finally {
      clearInterval(mockSampler);
    }
    if (!big.run.summary) throw new Error(`the fleet of ${large} wrote no summary (exit ${big.run.code}): ${big.run.stderr.slice(0, 400)}`);
    o.log(`  row 9: a fleet of ${large} mock targets ${secs(big.run.wallMs)} (exit ${big.run.code}, ${verdicts(big.run.summary)}), peak ${MB(big.peakBytes)}`);
  } finally {
    await many.stop();
  }
  const bigDone = big.run.code === 0 && big.run.summary.targets.length === large;
  const reportLine = big.run.lines.find((l) => l.text.startsWith(`${large} target(s):`));
  const reportMs = reportLine ? big.run.wallMs - reportLine.atMs : NaN;

  // c) the default run, whole and as two shards side by side, merged.
  const whole = await runCli(["run", "--seed", String(SEED), "--quiet"], { reportDir: tempDir("row7-whole"), timeoutMs: 10 * 60_000 });
  const shardDirs = [tempDir("row7-s1"), tempDir("row7-s2")];
  const shardsStarted = performance.now();
  const shards = await Promise.all([1, 2].map((i) => runCli(["run", "--seed", String(SEED), "--quiet", "--shard", `${i}/2`], { reportDir: shardDirs[i - 1], timeoutMs: 10 * 60_000 })));
  const shardsMs = performance.now() - shardsStarted;
  const mergeDir = join(tempDir("row7-merged"), "run");
  const mergeStarted = performance.now();
  const merged = await new Promise<number | null>((resolve) => spawn(process.execPath, [BIN, "merge", ...shardDirs, "--out", mergeDir, "--quiet"], { cwd: ROOT, stdio: "ignore" }).on("close", resolve));
  const mergeMs = performance.now() - mergeStarted;
  o.log(`  row 9: default run ${secs(whole.wallMs)}; two shards side by side ${secs(shardsMs)} (${shards.map((s) => secs(s.wallMs)).join(", ")}), merge ${secs(mergeMs)} (exit ${merged})`);

  return {
    name: "9. Fleets and shards",
    figure: `10 latency-bound targets ${secs(ten.run.wallMs)} (one: ${secs(one.wallMs)}); ${large} mock targets ${secs(big.run.wallMs)}, peak ${MB(big.peakBytes)}`,
    ratio: `${ratio(r10)} one target's wall`,
    target: `fleet of 10 <= 1.5x one; a fleet of ${large} completes`,
    met: r10 <= 1.5 && bigDone,
    details: [
      `one target: run --target <mock --latency 100> --profile read-only --no-html --seed ${SEED}: ${secs(one.wallMs)}, exit ${one.code}, ${one.summary.totals.pass}/${one.summary.totals.checks} pass`,
      `fleet of 10 (mock --fleet 10 --versions 9.18.1 --latency 100, one process): run --targets --profile read-only --no-html, --parallel-targets default ${ten.run.summary.parallelTargets}: ${secs(ten.run.wallMs)} = ${ratio(r10)} one target; exit ${ten.run.code}; ${verdicts(ten.run.summary)}; peak resident memory ${MB(ten.peakBytes)} over at most ${ten.peakProcesses} processes`,
      `fleet of ${large} (mock --fleet ${large}: releases 9.6 .. 9.19.1, one process, its peak ${MB(mockRss)}): run --targets --profile read-only with the HTML report, --parallel-targets default ${big.run.summary.parallelTargets}: ${secs(big.run.wallMs)} (the fleet's reports, one Allure report of ${int(big.run.summary.totals.checks)} results, ${secs(reportMs)}); exit ${big.run.code}; ${verdicts(big.run.summary)}; peak resident memory ${MB(big.peakBytes)} (the fleet and its targets' processes summed) over at most ${big.peakProcesses} processes`,
      `shards: the default run ${secs(whole.wallMs)} (exit ${whole.code}); --shard 1/2 and 2/2 side by side ${secs(shardsMs)} (exits ${shards.map((s) => s.code).join(", ")}; on 2 cores two halves at once are no faster than the whole, on two machines each half is); merge of the two with its HTML report ${secs(mergeMs)} (exit ${merged})`,
      "method: every figure from this run; peak memory = the largest sum of VmRSS over the run's process and its descendants, sampled every 200 ms from /proc",
    ],
    data: { oneMs: one.wallMs, tenMs: ten.run.wallMs, ratio: r10, tenPeakBytes: ten.peakBytes, large, largeMs: big.run.wallMs, largePeakBytes: big.peakBytes, largePeakProcesses: big.peakProcesses, mockPeakBytes: mockRss, reportMs, wholeMs: whole.wallMs, shardsMs, shardWalls: shards.map((s) => s.wallMs), mergeMs },
  };
}
