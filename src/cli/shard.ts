// `run --shard i/n`: one of n runs that together run every check once, to
// spread a run over CI machines (`merge` puts the shards back together).
//
// The split is a pure function of the suite's checks, the run's selection
// (--only, `disable`, the profile), n and the recorded durations: every
// shard computes the same split on its own machine, and no check is in two
// shards or in none. Checks are weighed by their duration in an earlier run
// (`--durations`: a summary.json, a run directory or a report directory),
// a check without one by the median of those recorded, and dealt out
// heaviest first to the shard with the least work so far (ties: the lower
// shard, then the check id). Without --durations every check weighs the
// same. The latest run is never read implicitly: shards on different
// machines would each see another one, and split differently.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Check, CheckResult } from "../harness/check.ts";
import type { RunShard } from "../harness/run-config.ts";
import type { CheckCoverage } from "../harness/coverage.ts";
import type { DeferredNotTested, ShardBlock } from "../../reports/summary.ts";
import { UsageError } from "./exit-codes.ts";

export const SHARD_FORMAT = "ontap-conformance/shard@1";
/** The file a shard leaves next to its summary.json: what `merge` needs and summary.json does not hold. */
export const SHARD_FILE = "shard.json";

export function parseShardSpec(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]) || Number(m[2]) > 1000) {
    throw new UsageError(`--shard takes i/n with 1 <= i <= n <= 1000 (e.g. 2/4), not "${text}"`);
  }
  return { index: Number(m[1]), count: Number(m[2]) };
}

export interface Durations {
  /** Check id → ms, for the checks that ran. */
  byId: Map<string, number>;
  /** What the durations were read from, as given. */
  from: string;
  /** A digest of the durations used: shards split with different ones do not fit together. */
  digest: string;
}

/** The summary.json a path names: the file, a run directory, or a report directory (its latest run). */
export function summaryPathOf(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) {
    return [join(path, "summary.json"), join(path, "latest", "summary.json")].find((f) => existsSync(f)) ?? join(path, "summary.json");
  }
  return path;
}

/**
 * The recorded durations of an earlier run. A fleet's summary gives the
 * durations of the target of that name, or, for a target it does not
 * have, the longest each check took on any target.
 */
export function readDurations(path: string, name?: string): Durations {
  const file = summaryPathOf(path);
  let data: any;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new UsageError(`--durations ${path}: ${existsSync(file) ? "not valid JSON" : "no summary.json there"}`);
  }
  if (typeof data?.format !== "string" || !data.format.startsWith("ontap-conformance/summary@")) throw new UsageError(`--durations ${path} is not an ontap-conformance summary.json`);
  const ran = (checks: any[]) => (checks ?? []).filter((c) => c && typeof c.id === "string" && typeof c.durationMs === "number" && ["pass", "fail", "error"].includes(c.status));
  const byId = new Map<string, number>();
  if (Array.isArray(data.targets)) {
    const own = data.targets.find((t: any) => t?.name === name);
    for (const t of own ? [own] : data.targets) for (const c of ran(t.checks)) byId.set(c.id, Math.max(byId.get(c.id) ?? 0, c.durationMs));
  } else {
    for (const c of ran(data.checks)) byId.set(c.id, c.durationMs);
  }
  const digest = createHash("sha256").update(JSON.stringify([...byId].sort(([a], [b]) => a.localeCompare(b)))).digest("hex").slice(0, 16);
  return { byId, from: path, digest };
}

/**
 * The checks shard `index` of `count` runs. `selected` says which checks
 * the run would run at all (the others weigh nothing but still belong to
 * one shard, so that every shard's summary lists every check exactly once
 * as its own or as another shard's).
 */
export function planShard(checks: readonly Check[], selected: (c: Check) => boolean, spec: { index: number; count: number }, durations?: Durations): RunShard {
  const known = checks.filter(selected).map((c) => durations?.byId.get(c.id)).filter((d): d is number => d !== undefined).sort((a, b) => a - b);
  const fallback = known.length ? known[known.length >> 1] : 1;
  const weighed = checks.map((c) => ({ id: c.id, weight: selected(c) ? Math.max(1, durations?.byId.get(c.id) ?? fallback) : 0 }));
  weighed.sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const load = new Array<number>(spec.count).fill(0);
  const owner = new Map<string, number>();
  for (const { id, weight } of weighed) {
    let best = 0;
    for (let i = 1; i < spec.count; i++) if (load[i] < load[best]) best = i;
    load[best] += weight;
    owner.set(id, best + 1);
  }
  return { index: spec.index, count: spec.count, ids: checks.map((c) => c.id).filter((id) => owner.get(id) === spec.index).sort() };
}

/** What a shard's target is called when it is the embedded mock (each shard starts its own, at its own address). */
export const EMBEDDED_TARGET = "the embedded reference mock";

export function shardBlock(shard: RunShard, durations: Durations | undefined, deferred: DeferredNotTested[], target: string): ShardBlock {
  const own = deferred.filter((d) => shard.ids.includes(d.id) && !shard.ids.includes(d.owner));
  return {
    index: shard.index,
    count: shard.count,
    target,
    checks: [...shard.ids],
    ...(durations ? { durations: { from: durations.from, digest: durations.digest } } : {}),
    ...(own.length ? { deferred: own } : {}),
  };
}

export interface ShardFile {
  format: typeof SHARD_FORMAT;
  index: number;
  count: number;
  /** What each of the shard's checks exercised (the coverage matrix of the merged run is built from these). */
  coverage: Record<string, CheckCoverage>;
}

/** <run>/shard.json: the per-check coverage summary.json does not hold. */
export function writeShardFile(runDir: string, shard: RunShard, results: readonly CheckResult[]): void {
  const coverage: Record<string, CheckCoverage> = {};
  for (const r of results) if (r.coverage && shard.ids.includes(r.id)) coverage[r.id] = r.coverage;
  const data: ShardFile = { format: SHARD_FORMAT, index: shard.index, count: shard.count, coverage };
  writeFileSync(join(runDir, SHARD_FILE), `${JSON.stringify(data)}\n`);
}
