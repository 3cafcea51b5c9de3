// Rows 7 and 8: what proving the checks costs, against what a user waits
// for. The whole mutant catalog (row 7) or legal-variant catalog (row 8),
// timed from spawn to exit, divided by the wall time of a default run
// (`npm start`, as row 3 measures it) made right before and right after it
// in this bench run (their mean), so drift on a shared machine touches both
// sides alike. The verdict is on a catalog run without the times of a last
// run (a fresh clone's order); the same catalog run again, longest runs
// first, is shown beside it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir, type CliRun } from "./lib/proc.ts";
import { ratio, secs } from "./lib/format.ts";
import type { BenchOptions, RowResult } from "./lib/row.ts";

/** The catalog's wall time may be at most this many default runs (issue 22 item 3). */
const TARGET = 12;

async function defaultRun(): Promise<CliRun> {
  const run = await runCli(["run"], { reportDir: tempDir("row7-run"), timeoutMs: 5 * 60_000 });
  if (!run.summary) throw new Error(`the default run wrote no summary (exit ${run.code}): ${run.stderr.slice(0, 500)}`);
  return run;
}

export async function catalogRow(o: BenchOptions, kind: "mutants" | "variants"): Promise<RowResult> {
  const n = kind === "mutants" ? 7 : 8;
  const out = join(tempDir(`row${n}`), `${kind}.json`);
  // --quick: the sample npm test runs, not the whole catalog (no verdict).
  const args = [kind, "--out", out, ...(o.quick ? ["--sample"] : [])];
  // The catalog queues the runs that took longest last time first (node_modules/.cache): the verdict is on a
  // catalog without those times, as a fresh clone (CI) runs it; a second run, ordered by the first's times, is shown too.
  const env = { ONTAP_CATALOG_RUN_TIMES: join(tempDir(`row${n}-times`), "catalog-run-times.json") };
  const before = await defaultRun();
  o.log(`  row ${n}: default run ${secs(before.wallMs)}; now ${kind}${o.quick ? " --sample" : ""}, without and with the last run's times`);
  const catalog = await runCli(args, { timeoutMs: 60 * 60_000, env });
  o.log(`  row ${n}: ${kind} ${secs(catalog.wallMs)}, exit ${catalog.code}`);
  const ordered = await runCli(args, { timeoutMs: 60 * 60_000, env });
  o.log(`  row ${n}: ${kind}, ordered by the first run's times, ${secs(ordered.wallMs)}, exit ${ordered.code}`);
  const after = await defaultRun();
  const baseMs = (before.wallMs + after.wallMs) / 2;
  const times = catalog.wallMs / baseMs;
  const table = JSON.parse(readFileSync(out, "utf8"));
  const engineOf = (run: CliRun) => run.lines.map((l) => l.text.trim()).find((t) => t.startsWith("engine:"));
  const engine = engineOf(catalog);
  const orderedEngine = engineOf(ordered);
  const verdict = kind === "mutants"
    ? `${table.kills.length} mutants: ${table.kills.filter((k: { status: string }) => k.status === "killed").length} killed, ${table.kills.filter((k: { status: string }) => k.status !== "killed" && k.status !== "equivalent").length} not; ${table.unkilledChecks.length} checks no mutant kills; reference failures: ${table.reference.failed.length}`
    : `${table.rows.length} variants: ${table.rows.filter((r: { status: string }) => r.status === "conformant").length} conformant, ${table.rows.filter((r: { status: string }) => r.status !== "conformant").length} not`;
  return {
    name: kind === "mutants" ? "7. Mutant catalog" : "8. Variant catalog",
    figure: `${secs(catalog.wallMs)} wall`,
    ratio: `${ratio(times)} a default run (${secs(baseMs)})`,
    target: `<= ${TARGET}x a default run`,
    met: o.quick ? undefined : times <= TARGET && catalog.code === 0 && ordered.code === 0,
    details: [
      `node bin/ontap-conformance.mjs ${args.join(" ").replace(out, "<tmp>")}: exit ${catalog.code}; ${verdict}${engine ? `; ${engine}` : ""}`,
      `run again, longest runs first by the first run's times: ${secs(ordered.wallMs)} = ${ratio(ordered.wallMs / baseMs)} a default run, exit ${ordered.code}${orderedEngine ? `; ${orderedEngine}` : ""}`,
      `default run (node bin/ontap-conformance.mjs run, as row 3) right before: ${secs(before.wallMs)}, right after: ${secs(after.wallMs)}; the ratio is to their mean`,
    ],
    data: { catalogMs: catalog.wallMs, orderedMs: ordered.wallMs, beforeMs: before.wallMs, afterMs: after.wallMs, times, code: catalog.code, orderedCode: ordered.code, engine, orderedEngine },
  };
}
