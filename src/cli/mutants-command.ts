// `ontap-conformance mutants`: runs the suite (strict, destructive) against
// the reference mock and against each mutant of mock/mutants/, and prints the
// kill table and the check-to-mutant map. Exit 1 when a mutant survives or
// the reference fails; every check that no mutant kills is listed as a defect.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MUTANTS, SAMPLE } from "../../mock/mutants/catalog.ts";
import type { Mutant } from "../../mock/mutants/types.ts";
import type { Summary } from "../../reports/summary.ts";
import { allChecks } from "../../suites/index.ts";
import { mergeMutants } from "../../reports/compare.ts";
import { MUTANTS_FORMAT, type KillRow, type MutantsSummary } from "../../reports/kill-table.ts";
import { EXIT, UsageError } from "./exit-codes.ts";
import { CatalogPool, narrowPlanOf, parseParallel, readTables, runSuite, selectEntries, wholeRunReason, writeTable } from "./catalog-engine.ts";
import type { CatalogRun } from "./catalog-run.ts";
import { requireWholeCatalog, settleKillMap, type KillMapOptions } from "./kill-map.ts";

// The kill table's format lives with the other report formats (reports/kill-table.ts); re-exported for the CLI.
export { MUTANTS_FORMAT, type KillRow, type MutantsSummary } from "../../reports/kill-table.ts";

/** One strict, destructive run of the suite against `mutant` (or the reference). */
async function runAgainst(mutant: Mutant | undefined, dir: string): Promise<Summary> {
  return (await runSuite(mutant, dir, { strict: true, label: mutant?.name ?? "the reference" })).summary;
}

function mergeCommand(files: string[], outFile: string | undefined, killMap: KillMapOptions, out: (s: string) => void): number {
  if (!outFile) throw new UsageError("--merge needs --out FILE for the merged kill table");
  const parts = readTables<MutantsSummary>(files, MUTANTS_FORMAT, "kill table");
  const merged = mergeMutants(parts);
  writeTable(outFile, merged);
  const survivors = merged.kills.filter((k) => k.status === "survived");
  out(`${merged.kills.length} mutants from ${parts.length} shards: ${merged.kills.filter((k) => k.status === "killed").length} killed, ${survivors.length} survived`);
  if (merged.unkilledChecks.length) out(`checks no mutant kills (defects): ${merged.unkilledChecks.join(", ")}`);
  const mapAgrees = settleKillMap(merged.checkToMutants, killMap, out);
  return survivors.length || merged.reference.failed.length || !mapAgrees ? EXIT.NOT_CONFORMANT : EXIT.CONFORMANT;
}

/** What one mutant's run says: killed by which checks, or why it could not run. */
function judgeMutant(m: Mutant, s: Summary, passedOnReference: Set<string>): { row: KillRow; errored: string[] } {
  const killedBy = s.checks.filter((c) => c.status === "fail" && passedOnReference.has(c.id)).map((c) => c.id);
  const errored = s.checks.filter((c) => c.status === "error").map((c) => c.id);
  return { row: { mutant: m.name, category: m.category, breaks: m.breaks, status: killedBy.length ? "killed" : "survived", killedBy }, errored };
}

function killLine(k: KillRow): string {
  return `  ${k.killedBy.length ? "killed  " : "SURVIVED"} ${k.mutant}${k.killedBy.length ? ` by ${k.killedBy.slice(0, 4).join(", ")}${k.killedBy.length > 4 ? `, +${k.killedBy.length - 4}` : ""}` : ""}`;
}

export interface MutantsOptions {
  only?: string;
  sample?: boolean;
  shard?: string;
  out?: string;
  merge?: string[];
  /** Runs at once (default: the machine's cores). */
  parallel?: string | number;
  /** Run every mutant whole (no narrowing). */
  whole?: boolean;
  /** "catalog" (default: runs in worker threads) or "process" (one `run` child process per mutant, one after another). */
  engine?: string;
  /** Write what this run of the whole catalog found to the committed kill map. */
  writeKillMap?: boolean;
  /** Exit 1 when this run of the whole catalog finds other kills than the committed kill map (CI). */
  checkKillMap?: boolean;
}

export async function mutantsCommand(opts: MutantsOptions, out: (s: string) => void): Promise<number> {
  const killMap: KillMapOptions = { write: opts.writeKillMap, check: opts.checkKillMap };
  if (opts.merge) return mergeCommand(opts.merge, opts.out, killMap, out);
  requireWholeCatalog(killMap, opts.only ? `--only ${opts.only}` : opts.sample ? "--sample" : opts.shard ? `--shard ${opts.shard}` : undefined);
  const started = Date.now();
  const selected = selectEntries(MUTANTS, SAMPLE, opts, { noun: "mutant", file: "mock/mutants/catalog.ts" });
  const engine = opts.engine ?? "catalog";
  if (engine !== "catalog" && engine !== "process") throw new UsageError(`--engine takes catalog or process, not "${opts.engine}"`);
  const parallel = parseParallel(opts.parallel);
  const shard = opts.shard;
  const work = mkdtempSync(join(tmpdir(), "ontap-mutants-"));

  let refFailed: string[];
  let kills: KillRow[];
  if (engine === "process") ({ refFailed, kills } = await processEngine(selected, work, out));
  else ({ refFailed, kills } = await catalogEngine(selected, work, { parallel, whole: Boolean(opts.whole) }, out));

  const checkToMutants: Record<string, string[]> = Object.fromEntries(allChecks().map((c) => [c.id, [] as string[]]));
  for (const k of kills) for (const id of k.killedBy) (checkToMutants[id] ??= []).push(k.mutant);
  const unkilledChecks = Object.entries(checkToMutants).filter(([, ms]) => !ms.length).map(([id]) => id).sort();
  const summary: MutantsSummary = {
    format: MUTANTS_FORMAT, start: new Date(started).toISOString(), durationMs: Date.now() - started, ...(opts.shard ? { shard: opts.shard } : {}),
    reference: { failed: refFailed }, kills, checkToMutants, unkilledChecks,
  };
  const survivors = kills.filter((k) => k.status === "survived" || k.status === "error");
  out("");
  out(`${kills.length} mutants: ${kills.filter((k) => k.status === "killed").length} killed, ${kills.filter((k) => k.status === "survived").length} survived, ${kills.filter((k) => k.status === "error").length} could not run, ${kills.filter((k) => k.status === "equivalent").length} equivalent (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (survivors.length) out(`survivors (missing or weak checks): ${survivors.map((k) => k.mutant).join(", ")}`);
  if (!opts.only && !opts.sample && !shard && unkilledChecks.length) out(`checks no mutant kills (defects): ${unkilledChecks.join(", ")}`);
  if (opts.out) out(`kill table: ${writeTable(opts.out, summary)}`);
  const mapAgrees = settleKillMap(checkToMutants, killMap, out);
  // Over the whole catalog, a check no mutant kills is a defect too (it has not been shown able to fail).
  const defects = !opts.only && !opts.sample && !shard ? unkilledChecks.length : 0;
  return survivors.length || refFailed.length || defects || !mapAgrees ? EXIT.NOT_CONFORMANT : EXIT.CONFORMANT;
}

/** The priority of a narrowed run the last catalog run did not make: before any whole run (an hour, in ms). */
const NARROWED_FIRST = 3_600_000;

const equivalentRow = (m: Mutant): KillRow => ({ mutant: m.name, category: m.category, breaks: m.breaks, status: "equivalent", killedBy: [] });
const errorRow = (m: Mutant): KillRow => ({ mutant: m.name, category: m.category, breaks: m.breaks, status: "error", killedBy: [] });

/** The first engine: the reference, then each mutant, one `ontap-conformance run` child process after another. */
async function processEngine(selected: Mutant[], work: string, out: (s: string) => void): Promise<{ refFailed: string[]; kills: KillRow[] }> {
  out(`reference mock: running the suite (strict, destructive)`);
  const reference = await runAgainst(undefined, join(work, "reference"));
  const refFailed = reference.checks.filter((c) => c.status === "fail" || c.status === "error").map((c) => c.id);
  const passedOnReference = new Set(reference.checks.filter((c) => c.status === "pass").map((c) => c.id));
  if (refFailed.length) out(`  the reference FAILS ${refFailed.join(", ")}`);
  const kills: KillRow[] = [];
  for (const m of selected) {
    if (m.equivalent) {
      kills.push(equivalentRow(m));
      continue;
    }
    let s: Summary;
    try {
      s = await runAgainst(m, join(work, m.name));
    } catch (e) {
      kills.push(errorRow(m));
      out(`  ERROR    ${m.name}: ${(e as Error).message}`);
      continue;
    }
    const { row, errored } = judgeMutant(m, s, passedOnReference);
    if (errored.length) out(`  note: ${m.name} made ${errored.length} checks error (not counted as kills): ${errored.slice(0, 3).join(", ")}`);
    kills.push(row);
    out(killLine(row));
  }
  return { refFailed, kills };
}

/**
 * The catalog engine: runs in worker threads, `parallel` at once. The
 * reference runs first (recording what each check reached and wrote); a
 * mutant that changes more than some operations' handlers runs whole at
 * once, the others narrowed once the reference is in (catalog-run.ts), and
 * whole again when a narrowed run cannot place what it saw.
 */
async function catalogEngine(selected: Mutant[], work: string, opts: { parallel: number; whole: boolean }, out: (s: string) => void): Promise<{ refFailed: string[]; kills: KillRow[] }> {
  const pool = new CatalogPool(Math.max(1, Math.min(opts.parallel, selected.length + 1)));
  out(`reference mock: running the suite (strict, destructive); ${selected.length} mutants, ${pool.size} at once`);
  const stats = { narrowed: 0, checksRun: 0, diverged: 0, rerun: 0, whole: 0 };
  try {
    // The reference first (CatalogPool): every narrowed run waits for it. Then the longest runs of the last
    // catalog run first; without those times, narrowed runs go before the whole runs still queued (those could
    // start at once and fill the workers while the reference ran), so that the longest narrowed run (a mutant
    // whose jobs never end meets the job limit at every job the suite waits for) does not start last.
    const referenceRun = pool.run({ kind: "reference", strict: true, dir: join(work, "reference") });
    referenceRun.catch(() => {});
    const runMutant = async (m: Mutant): Promise<CatalogRun> => {
      const whole = { kind: "mutant" as const, name: m.name, strict: true, dir: join(work, m.name) };
      if (opts.whole || wholeRunReason(m)) {
        stats.whole++;
        return pool.run(whole);
      }
      const plan = narrowPlanOf(await referenceRun);
      if (!plan) {
        stats.whole++;
        return pool.run(whole);
      }
      const run = await pool.run({ ...whole, dir: join(work, m.name, "narrowed"), narrow: plan }, NARROWED_FIRST);
      if (!run.narrowed?.rerunWhole) {
        stats.narrowed++;
        stats.checksRun += run.ran.length;
        if (run.narrowed?.divergedAt) stats.diverged++;
        return run;
      }
      stats.rerun++;
      return pool.run(whole);
    };
    const pending = selected.map((m) => (m.equivalent ? undefined : runMutant(m)));
    for (const p of pending) p?.catch(() => {});
    const reference = (await referenceRun).summary;
    const refFailed = reference.checks.filter((c) => c.status === "fail" || c.status === "error").map((c) => c.id);
    const passedOnReference = new Set(reference.checks.filter((c) => c.status === "pass").map((c) => c.id));
    if (refFailed.length) out(`  the reference FAILS ${refFailed.join(", ")}`);
    const kills: KillRow[] = selected.map((m) => (m.equivalent ? equivalentRow(m) : errorRow(m)));
    await Promise.all(selected.map(async (m, i) => {
      if (!pending[i]) return;
      let s: Summary;
      try {
        s = (await pending[i]).summary;
      } catch (e) {
        out(`  ERROR    ${m.name}: ${(e as Error).message}`);
        return;
      }
      const { row, errored } = judgeMutant(m, s, passedOnReference);
      if (errored.length) out(`  note: ${m.name} made ${errored.length} checks error (not counted as kills): ${errored.slice(0, 3).join(", ")}`);
      kills[i] = row;
      out(killLine(row));
    }));
    const all = allChecks().length;
    out(`  engine: ${pool.runs} runs, ${pool.size} at once; ${stats.whole} mutants run whole, ${stats.narrowed} narrowed (${stats.checksRun} of ${stats.narrowed * all} checks run${stats.diverged ? `, ${stats.diverged} of them whole from the check where the state diverged` : ""})${stats.rerun ? `, ${stats.rerun} run whole again` : ""}; ${pool.timesLine()}`);
    return { refFailed, kills };
  } finally {
    await pool.close();
  }
}
