// --only PATTERN: check ids matched by globs (`licenses.*`, `*.schema`) or
// plain prefixes (`licensing`); and why a check does not run on a target.
import { compareVersions } from "../contract/index.ts";
import { profileAllows, type Check } from "./check.ts";
import type { RunConfig, Selection } from "./run-config.ts";

/** The start of the message of a check that another shard runs. */
export const SHARD_ELSEWHERE = "runs in another shard";

export function matchesOnly(patterns: string[], id: string, area: string): boolean {
  if (!patterns.length) return true;
  return patterns.some((p) => {
    if (p === area || id === p || id.startsWith(`${p}.`)) return true;
    const re = new RegExp(`^${p.replace(/[.+?^$()|[\]\\{}]/g, "\\$&").replace(/\*/g, ".*")}$`);
    return re.test(id);
  });
}

/** Why a check does not run on this target, if it does not (the run command and the phase files agree on it). */
export function notApplicable(check: Check, cfg: Pick<RunConfig, "disabled" | "only" | "profile" | "shard"> & { info: { version?: string } }): { status: "skip" | "disabled"; reason: string } | undefined {
  // Another shard runs it (run --shard): `merge` takes its verdict from there.
  if (cfg.shard && !cfg.shard.ids.includes(check.id)) return { status: "disabled", reason: `${SHARD_ELSEWHERE} (this run is shard ${cfg.shard.index} of ${cfg.shard.count})` };
  if (cfg.disabled[check.id]) return { status: "disabled", reason: `disabled by configuration: ${cfg.disabled[check.id]}` };
  if (!matchesOnly(cfg.only, check.id, check.area)) return { status: "disabled", reason: `not selected by --only ${cfg.only.join(",")}` };
  if (!profileAllows(cfg.profile, check.profile)) return { status: "skip", reason: `needs the ${check.profile} profile (this run: ${cfg.profile})` };
  if (check.since && cfg.info.version && compareVersions(cfg.info.version, check.since) < 0) {
    return { status: "skip", reason: `introduced in ONTAP ${check.since}; the target runs ${cfg.info.version}` };
  }
  return undefined;
}

/**
 * The run's selection, evaluated once: the run command hands it to the
 * vitest workers (RunConfig.selection), which read it instead of evaluating
 * it again, and fills in the checks no worker reported from it.
 */
export function planSelection(checks: readonly Check[], cfg: Parameters<typeof notApplicable>[1]): Selection {
  const notRun: Selection["notRun"] = {};
  const owners: Selection["owners"] = {};
  for (const c of checks) {
    const na = notApplicable(c, cfg);
    if (na) notRun[c.id] = na;
    // An owner that another shard runs still owns its contract: `merge` settles the "not tested" against its verdict there.
    const owning = !na || (cfg.shard !== undefined && !notApplicable(c, { ...cfg, shard: undefined }));
    if (owning) for (const o of c.owns ?? []) owners[o] ??= c.id;
  }
  return { notRun, owners };
}
