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
import { readTables, runSuite, selectEntries, writeTable } from "./catalog-engine.ts";
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

export async function mutantsCommand(opts: { only?: string; sample?: boolean; shard?: string; out?: string; merge?: string[]; writeKillMap?: boolean; checkKillMap?: boolean }, out: (s: string) => void): Promise<number> {
  const killMap: KillMapOptions = { write: opts.writeKillMap, check: opts.checkKillMap };
  if (opts.merge) return mergeCommand(opts.merge, opts.out, killMap, out);
  requireWholeCatalog(killMap, opts.only ? `--only ${opts.only}` : opts.sample ? "--sample" : opts.shard ? `--shard ${opts.shard}` : undefined);
  const started = Date.now();
  const selected = selectEntries(MUTANTS, SAMPLE, opts, { noun: "mutant", file: "mock/mutants/catalog.ts" });
  const shard = opts.shard;
  const work = mkdtempSync(join(tmpdir(), "ontap-mutants-"));

  out(`reference mock: running the suite (strict, destructive)`);
  const reference = await runAgainst(undefined, join(work, "reference"));
  const refFailed = reference.checks.filter((c) => c.status === "fail" || c.status === "error").map((c) => c.id);
  const passedOnReference = new Set(reference.checks.filter((c) => c.status === "pass").map((c) => c.id));
  if (refFailed.length) out(`  the reference FAILS ${refFailed.join(", ")}`);

  const kills: KillRow[] = [];
  const checkToMutants: Record<string, string[]> = Object.fromEntries(allChecks().map((c) => [c.id, [] as string[]]));
  for (const m of selected) {
    if (m.equivalent) {
      kills.push({ mutant: m.name, category: m.category, breaks: m.breaks, status: "equivalent", killedBy: [] });
      continue;
    }
    let s: Summary;
    try {
      s = await runAgainst(m, join(work, m.name));
    } catch (e) {
      kills.push({ mutant: m.name, category: m.category, breaks: m.breaks, status: "error", killedBy: [] });
      out(`  ERROR    ${m.name}: ${(e as Error).message}`);
      continue;
    }
    const killedBy = s.checks.filter((c) => c.status === "fail" && passedOnReference.has(c.id)).map((c) => c.id);
    const errored = s.checks.filter((c) => c.status === "error").map((c) => c.id);
    if (errored.length) out(`  note: ${m.name} made ${errored.length} checks error (not counted as kills): ${errored.slice(0, 3).join(", ")}`);
    for (const id of killedBy) (checkToMutants[id] ??= []).push(m.name);
    kills.push({ mutant: m.name, category: m.category, breaks: m.breaks, status: killedBy.length ? "killed" : "survived", killedBy });
    out(`  ${killedBy.length ? "killed  " : "SURVIVED"} ${m.name}${killedBy.length ? ` by ${killedBy.slice(0, 4).join(", ")}${killedBy.length > 4 ? `, +${killedBy.length - 4}` : ""}` : ""}`);
  }
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
