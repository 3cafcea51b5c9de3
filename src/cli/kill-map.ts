// The kill map: which mutants of mock/mutants/catalog.ts make each check
// fail, as the last run of the whole catalog found (`ontap-conformance
// mutants --write-kill-map` writes it; `--check-kill-map`, which CI runs,
// fails when a run finds otherwise). Committed, so `list --json` and
// CONFORMANCE.md can say what proves each check able to fail without
// running anything.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UsageError } from "./exit-codes.ts";

export const KILL_MAP_FORMAT = "ontap-conformance/kill-map@1";
export const KILL_MAP_PATH = fileURLToPath(new URL("../../mock/mutants/kill-map.json", import.meta.url));

export interface KillMap {
  format: typeof KILL_MAP_FORMAT;
  /** check id → the mutants that make it fail (sorted; every check of the suite, [] for one none kills). */
  checks: Record<string, string[]>;
}

/** The map of a run's check → mutants, ids and names sorted (stable, so a diff shows what changed). */
export function killMapOf(checkToMutants: Record<string, string[]>): KillMap {
  const checks = Object.fromEntries(Object.keys(checkToMutants).sort().map((id) => [id, [...new Set(checkToMutants[id])].sort()]));
  return { format: KILL_MAP_FORMAT, checks };
}

/** The committed map ({} of checks when there is none yet). */
export function readKillMap(file = KILL_MAP_PATH): KillMap {
  try {
    const data = JSON.parse(readFileSync(file, "utf8"));
    if (data.format === KILL_MAP_FORMAT && data.checks && typeof data.checks === "object") return data as KillMap;
  } catch {
    // none yet, or unreadable: as empty
  }
  return { format: KILL_MAP_FORMAT, checks: {} };
}

export function writeKillMap(checkToMutants: Record<string, string[]>, file = KILL_MAP_PATH): string {
  writeFileSync(file, `${JSON.stringify(killMapOf(checkToMutants), null, 2)}\n`);
  return file;
}

/** What a run found that the committed map does not say, one line per check (empty: they agree). */
export function killMapDifferences(committed: KillMap, computed: KillMap): string[] {
  const out: string[] = [];
  for (const id of [...new Set([...Object.keys(committed.checks), ...Object.keys(computed.checks)])].sort()) {
    const before = committed.checks[id];
    const now = computed.checks[id];
    if (!now) out.push(`${id}: in the committed map, but no check has this id any more`);
    else if (!before) out.push(`${id}: killed by ${now.join(", ") || "no mutant"}, but not in the committed map`);
    else {
      const gained = now.filter((m) => !before.includes(m));
      const lost = before.filter((m) => !now.includes(m));
      if (gained.length || lost.length) out.push(`${id}:${gained.length ? ` now also killed by ${gained.join(", ")};` : ""}${lost.length ? ` no longer killed by ${lost.join(", ")}` : ""}`.replace(/;$/, ""));
    }
  }
  return out;
}

export interface KillMapOptions {
  /** --write-kill-map: write the map this run found. */
  write?: boolean;
  /** --check-kill-map: fail when the map this run found differs from the committed one. */
  check?: boolean;
}

/** Refuse --write-kill-map / --check-kill-map on a part of the catalog (before anything runs): only the whole catalog says what kills each check. */
export function requireWholeCatalog(opts: KillMapOptions, partial: string | undefined): void {
  if ((opts.write || opts.check) && partial) throw new UsageError(`--${opts.write ? "write" : "check"}-kill-map needs the whole catalog, not ${partial}`);
}

/**
 * After a run of the whole catalog (or a merge of all its shards): write the
 * kill map, or compare it with the committed one. Returns false when
 * --check-kill-map found a difference (the run then exits 1).
 */
export function settleKillMap(checkToMutants: Record<string, string[]>, opts: KillMapOptions, out: (s: string) => void): boolean {
  if (opts.write) out(`kill map: ${writeKillMap(checkToMutants)}`);
  if (!opts.check) return true;
  const differences = killMapDifferences(readKillMap(), killMapOf(checkToMutants));
  if (!differences.length) {
    out("kill map: the committed mock/mutants/kill-map.json agrees with this run");
    return true;
  }
  out(`kill map: this run differs from the committed mock/mutants/kill-map.json in ${differences.length} check(s); run \`ontap-conformance mutants --write-kill-map\` and commit the map:`);
  for (const d of differences) out(`  ${d}`);
  return false;
}
