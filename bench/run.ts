// `npm run bench`: rows 1-9, all measured in this one run (never compared
// with figures from another run: machines are noisy). Prints a table and
// writes bench/out/last-run.md + .json.
//   npm run bench                 full (about 9 min on 2 cores)
//   npm run bench -- --quick      fewer, shorter samples; smaller sizes; the catalogs' samples (BENCH_QUICK=1 too)
//   npm run bench -- --rows 1,4   only some rows (6: the foreign target, also `npm run foreign`;
//                                 8: the legal-variant catalog, not run by default; 9: fleets and shards)
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg, cpus } from "node:os";
import { join } from "node:path";
import { BENCH } from "./lib/proc.ts";
import { verdict } from "./lib/format.ts";
import type { BenchOptions, RowResult } from "./lib/row.ts";
import { mockVsPrismRow, requestPathRow } from "./throughput.ts";
import { defaultRunRow, scalingRow } from "./runs.ts";
import { latencyRow } from "./latency.ts";
import { foreignRow } from "./foreign.ts";
import { catalogRow } from "./catalog.ts";
import { fleetRow } from "./fleet.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick") || process.env.BENCH_QUICK === "1";
const rowsArg = args.find((a, i) => args[i - 1] === "--rows");
const rows = new Set((rowsArg ?? "1,2,3,4,5,6,7,9").split(",").map((s) => Number(s.trim())));

const o: BenchOptions = {
  quick,
  sampleMs: quick ? 1500 : 4000,
  warmupMs: quick ? 500 : 1000,
  passes: quick ? 1 : 2,
  concurrency: 16,
  log: (line) => process.stdout.write(`${line}\n`),
};
// 10,000 records or runs cost minutes when growth is super-linear: each size has a budget.
const sizes = quick ? [100, 1000] : [100, 1000, 10_000];
const runCounts = quick ? [100, 1000] : [100, 1000, 10_000];
const budgetMs = quick ? 45_000 : 60_000;

const load = () => loadavg().map((n) => n.toFixed(2)).join(" ");
const started = Date.now();
const loadBefore = load();
o.log(`ontap-conformance bench ${new Date().toISOString()}: ${cpus().length} CPUs, load average ${loadBefore}, Node ${process.version}${quick ? ", QUICK" : ""}`);

const plan: Array<[number, () => Promise<RowResult>]> = [
  [1, () => requestPathRow(o)],
  [2, () => mockVsPrismRow(o)],
  [3, () => defaultRunRow(o)],
  [4, () => latencyRow(o)],
  [5, () => scalingRow(o, sizes, runCounts, budgetMs)],
  [6, () => foreignRow(o)],
  [7, () => catalogRow(o, "mutants")],
  [8, () => catalogRow(o, "variants")],
  [9, () => fleetRow(o)],
];
const results: RowResult[] = [];
for (const [n, row] of plan) {
  if (!rows.has(n)) continue;
  o.log(`row ${n} ...`);
  try {
    results.push(await row());
  } catch (e) {
    results.push({ name: `${n}. (failed)`, figure: "-", ratio: "-", target: "-", details: [`the row broke: ${(e as Error).stack ?? e}`], data: {} });
  }
}
const loadAfter = load();
const elapsed = Math.round((Date.now() - started) / 1000);

function table(rs: RowResult[]): string[] {
  const head = ["row", "figure", "ratio", "target", "verdict"];
  const body = rs.map((r) => [r.name, r.figure, r.ratio, r.target, verdict(r.met)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)];
}

const out: string[] = [
  `bench ${new Date().toISOString().slice(0, 10)}, one run of ${elapsed} s: ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), Node ${process.version}, load average before ${loadBefore}, after ${loadAfter}${quick ? ", --quick" : ""}`,
  "",
  ...table(results),
  "",
];
for (const r of results) out.push(`${r.name}`, ...r.details.map((d) => `  - ${d}`), "");
o.log("");
for (const l of out) o.log(l);
const dir = join(BENCH, "out");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "last-run.md"), `${out.join("\n")}\n`);
writeFileSync(join(dir, "last-run.json"), `${JSON.stringify({ date: new Date().toISOString(), quick, loadBefore, loadAfter, elapsedS: elapsed, results }, null, 1)}\n`);
o.log(`written: bench/out/last-run.md, bench/out/last-run.json`);
process.exit(results.some((r) => r.name.endsWith("(failed)")) ? 1 : 0);
