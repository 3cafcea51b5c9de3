// `ontap-conformance variants`: runs the suite (destructive, seed 1) against
// each legal variant of mock/variants/, once in default and once in strict
// mode. Every run must be conformant: a check that fails (or errors) on a
// legal answer is a false alarm, printed with the variant and its message,
// and the command exits 1. A variant that reproduces a named quirk must pass
// in default mode and, under --strict, fail only with that quirk named.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SAMPLE, VARIANTS } from "../../mock/variants/catalog.ts";
import type { Variant } from "../../mock/variants/types.ts";
import { EXIT, UsageError } from "./exit-codes.ts";
import { CatalogPool, parseParallel, readTables, runSuite, selectEntries, writeTable, type SuiteRun } from "./catalog-engine.ts";

export const VARIANTS_FORMAT = "ontap-conformance/variants@1";

export type Mode = "default" | "strict";

export interface FalseAlarm {
  check: string;
  status: string;
  message: string;
}

export interface VariantRun {
  mode: Mode;
  exitCode: number | null;
  durationMs: number;
  warnings: number;
  /** Checks that failed or errored on this legal variant (for a quirk variant under --strict: those not naming the quirk). */
  falseAlarms: FalseAlarm[];
  /** Quirk variants under --strict: the checks that failed naming the quirk, as they must. */
  quirkFailures?: string[];
}

export interface VariantRow {
  variant: string;
  category: string;
  changes: string;
  legal: string;
  quirk?: string;
  /** conformant: every run passed as it must; false-alarm: a check failed a legal answer; error: a run could not complete. */
  status: "conformant" | "false-alarm" | "error";
  runs: VariantRun[];
  error?: string;
}

export interface VariantsSummary {
  format: typeof VARIANTS_FORMAT;
  start: string;
  durationMs: number;
  shard?: string;
  rows: VariantRow[];
}

function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n")[0];
}

/** Judge one run of the suite against a variant. */
export function judge(v: Pick<Variant, "quirk">, mode: Mode, run: Pick<SuiteRun, "summary" | "exitCode">, durationMs: number): VariantRun {
  const bad = run.summary.checks.filter((c) => c.status === "fail" || c.status === "error");
  const base = { mode, exitCode: run.exitCode, durationMs, warnings: run.summary.totals.warnings };
  if (v.quirk && mode === "strict") {
    // --strict decides against the quirk: it must fail, and only with the quirk named.
    const named = (c: { message?: string }) => (c.message ?? "").includes(v.quirk!);
    const falseAlarms = bad.filter((c) => !named(c)).map((c) => ({ check: c.id, status: c.status, message: firstLine(c.message) }));
    const quirkFailures = bad.filter(named).map((c) => c.id);
    if (!quirkFailures.length) falseAlarms.push({ check: "(strict mode)", status: "fail", message: `no check failed naming the quirk ${v.quirk}, which --strict must fail` });
    return { ...base, falseAlarms, quirkFailures };
  }
  const falseAlarms = bad.map((c) => ({ check: c.id, status: c.status, message: firstLine(c.message) }));
  if (!falseAlarms.length && run.exitCode !== 0) {
    const why = run.summary.teardown && !run.summary.teardown.restored ? `teardown: ${run.summary.teardown.differences.join("; ")}` : `the run exited ${run.exitCode}`;
    falseAlarms.push({ check: "(run)", status: "fail", message: why });
  }
  return { ...base, falseAlarms };
}

function verdictCell(r: VariantRun | undefined, quirk?: string): string {
  if (!r) return "-";
  if (r.falseAlarms.length) return `FALSE ALARM (${r.falseAlarms.length})`;
  if (r.quirkFailures) return `fails with quirk ${quirk} only`;
  return "conformant";
}

function printTable(rows: VariantRow[], out: (s: string) => void): void {
  const width = Math.max(7, ...rows.map((r) => r.variant.length));
  out(`${"variant".padEnd(width)}  ${"default".padEnd(22)}  strict`);
  for (const r of rows) {
    const d = r.runs.find((x) => x.mode === "default");
    const s = r.runs.find((x) => x.mode === "strict");
    out(`${r.variant.padEnd(width)}  ${(r.status === "error" ? "ERROR" : verdictCell(d, r.quirk)).padEnd(22)}  ${r.status === "error" ? "" : verdictCell(s, r.quirk)}`);
  }
}

function mergeCommand(files: string[], outFile: string | undefined, out: (s: string) => void): number {
  if (!outFile) throw new UsageError("--merge needs --out FILE for the merged variant table");
  const parts = readTables<VariantsSummary>(files, VARIANTS_FORMAT, "variant table");
  const merged: VariantsSummary = {
    format: VARIANTS_FORMAT,
    start: parts.map((p) => p.start).sort()[0],
    durationMs: parts.reduce((t, p) => t + p.durationMs, 0),
    rows: parts.flatMap((p) => p.rows).sort((a, b) => a.variant.localeCompare(b.variant)),
  };
  writeTable(outFile, merged);
  const bad = merged.rows.filter((r) => r.status !== "conformant");
  out(`${merged.rows.length} variants from ${parts.length} shards: ${merged.rows.length - bad.length} conformant, ${bad.length} with false alarms or errors`);
  if (bad.length) out(`not conformant: ${bad.map((r) => r.variant).join(", ")}`);
  return bad.length ? EXIT.NOT_CONFORMANT : EXIT.CONFORMANT;
}

export async function variantsCommand(opts: { only?: string; sample?: boolean; shard?: string; out?: string; merge?: string[]; mode?: string; parallel?: string | number; engine?: string }, out: (s: string) => void): Promise<number> {
  if (opts.merge) return mergeCommand(opts.merge, opts.out, out);
  const started = Date.now();
  const selected = selectEntries(VARIANTS, SAMPLE, opts, { noun: "variant", file: "mock/variants/catalog.ts" });
  if (opts.mode !== undefined && opts.mode !== "default" && opts.mode !== "strict" && opts.mode !== "both") throw new UsageError(`--mode takes default, strict or both, not "${opts.mode}"`);
  const engine = opts.engine ?? "catalog";
  if (engine !== "catalog" && engine !== "process") throw new UsageError(`--engine takes catalog or process, not "${opts.engine}"`);
  const parallel = parseParallel(opts.parallel);
  const modes: Mode[] = opts.mode === "default" ? ["default"] : opts.mode === "strict" ? ["strict"] : ["default", "strict"];
  const work = mkdtempSync(join(tmpdir(), "ontap-variants-"));
  // The catalog engine makes the runs in worker threads, `parallel` at once, each variant and mode a run of the
  // whole suite (catalog-run.ts); the first engine one `ontap-conformance run` child process after another.
  const pool = engine === "catalog" ? new CatalogPool(Math.max(1, Math.min(parallel, selected.length * modes.length))) : undefined;
  out(`${selected.length} legal variants: running the suite against each (${modes.join(" and ")} mode, destructive, seed 1${pool ? `, ${pool.size} runs at once` : ""})`);
  const runOne = async (v: Variant, mode: Mode): Promise<SuiteRun & { durationMs: number }> => {
    const dir = join(work, v.name, mode);
    if (pool) {
      const run = await pool.run({ kind: "variant", name: v.name, strict: mode === "strict", dir });
      return { summary: run.summary, exitCode: run.exitCode, durationMs: run.summary.durationMs };
    }
    const t0 = Date.now();
    const run = await runSuite(v, dir, { strict: mode === "strict", label: `the variant ${v.name}`, wire: v.wire });
    return { ...run, durationMs: Date.now() - t0 };
  };

  const rows: VariantRow[] = [];
  try {
    // With the catalog engine every run is queued at once; the first engine makes them one after another.
    const queued = pool ? selected.map((v) => modes.map((mode) => { const p = runOne(v, mode); p.catch(() => {}); return p; })) : undefined;
    const judgeVariant = async (v: Variant, i: number) => {
      const row: VariantRow = { variant: v.name, category: v.category, changes: v.changes, legal: v.legal, ...(v.quirk ? { quirk: v.quirk } : {}), status: "conformant", runs: [] };
      rows[i] = row;
      for (const [j, mode] of modes.entries()) {
        try {
          const run = await (queued ? queued[i][j] : runOne(v, mode));
          row.runs.push(judge(v, mode, run, run.durationMs));
        } catch (e) {
          row.status = "error";
          row.error = (e as Error).message;
          out(`  ERROR       ${v.name} (${mode}): ${row.error}`);
          break;
        }
      }
      if (row.status === "error") return;
      const alarms = row.runs.flatMap((r) => r.falseAlarms.map((a) => ({ ...a, mode: r.mode })));
      if (alarms.length) {
        row.status = "false-alarm";
        out(`  FALSE ALARM ${v.name}`);
        for (const a of alarms) out(`      ${a.check} (${a.mode}, ${a.status}): ${a.message}`);
      } else {
        const q = row.runs.find((r) => r.quirkFailures);
        out(`  conformant  ${v.name}${q ? ` (under --strict it fails only with the quirk ${v.quirk}, as it must: ${q.quirkFailures!.join(", ")})` : ""}`);
      }
    };
    if (queued) await Promise.all(selected.map(judgeVariant));
    else for (const [i, v] of selected.entries()) await judgeVariant(v, i);
    if (pool) out(`  engine: ${pool.timesLine()}`);
  } finally {
    await pool?.close();
  }
  const summary: VariantsSummary = { format: VARIANTS_FORMAT, start: new Date(started).toISOString(), durationMs: Date.now() - started, ...(opts.shard ? { shard: opts.shard } : {}), rows };
  const bad = rows.filter((r) => r.status !== "conformant");
  out("");
  printTable(rows, out);
  out("");
  out(`${rows.length} variants: ${rows.length - bad.length} conformant, ${rows.filter((r) => r.status === "false-alarm").length} with false alarms, ${rows.filter((r) => r.status === "error").length} could not run (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (bad.length) out(`false alarms (checks that fail a legal answer): ${bad.map((r) => r.variant).join(", ")}`);
  if (opts.out) out(`variant table: ${writeTable(opts.out, summary)}`);
  return bad.length ? EXIT.NOT_CONFORMANT : EXIT.CONFORMANT;
}
