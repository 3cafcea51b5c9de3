// Rows 7 and 8: what proving the checks costs, against what a user waits
// for. The whole mutant catalog (row 7) or legal-variant catalog (row 8),
// timed from spawn to exit, divided by the wall time of a default run
// (`npm start`, as row 3 measures it) made right before and right after it
// in this bench run (their mean), so drift on a shared machine touches both
// sides alike.
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
  const before = await defaultRun();
  o.log(`  row ${n}: default run ${secs(before.wallMs)}; now ${kind}${o.quick ? " --sample" : ""}`);
  const catalog = await runCli(args, { timeoutMs: 60 * 60_000 });
  o.log(`  row ${n}: ${kind} ${secs(catalog.wallMs)}, exit ${catalog.code}`);
  const after = await defaultRun();
  const baseMs = (before.wallMs + after.wallMs) / 2;
  const times = catalog.wallMs / baseMs;
  const table = JSON.parse(readFileSync(out, "utf8"));
  const engine = catalog.lines.map((l) => l.text.trim()).find((t) => t.startsWith("engine:"));
  const verdict = kind === "mutants"
    ? `${table.kills.length} mutants: ${table.kills.filter((k: { status: string }) => k.status === "killed").length} killed, ${table.kills.filter((k: { status: string }) => k.status !== "killed" && k.status !== "equivalent").length} not; ${table.unkilledChecks.length} checks no mutant kills; reference failures: ${table.reference.failed.length}`
    : `${table.rows.length} variants: ${table.rows.filter((r: { status: string }) => r.status === "conformant").length} conformant, ${table.rows.filter((r: { status: string }) => r.status !== "conformant").length} not`;
  return {
    name: kind === "mutants" ? "7. Mutant catalog" : "8. Variant catalog",
    figure: `${secs(catalog.wallMs)} wall`,
    ratio: `${ratio(times)} a default run (${secs(baseMs)})`,
    target: `<= ${TARGET}x a default run`,
    met: o.quick ? undefined : times <= TARGET && catalog.code === 0,
    details: [
      `node bin/ontap-conformance.mjs ${args.join(" ").replace(out, "<tmp>")}: exit ${catalog.code}; ${verdict}${engine ? `; ${engine}` : ""}`,
      `default run (node bin/ontap-conformance.mjs run, as row 3) right before: ${secs(before.wallMs)}, right after: ${secs(after.wallMs)}; the ratio is to their mean`,
    ],
    data: { catalogMs: catalog.wallMs, beforeMs: before.wallMs, afterMs: after.wallMs, times, code: catalog.code, engine },
  };
}
