// One run from its shards (run --shard i/n): each check's verdict taken from
// the one shard that owns it, the "not tested" skips settled across shards,
// totals, coverage matrix and verdict computed as for one unsharded run.
// Pure; src/cli/merge-command.ts reads and writes the directories.
import type { CheckCoverage } from "../src/harness/coverage.ts";
import type { CheckResult } from "../src/harness/check.ts";
import type { BaselineEntry } from "./baseline.ts";
import { buildCoverage } from "./coverage.ts";
import { buildSummary, settleVerdict, type MergedPart, type Summary, type SummaryCheck } from "./summary.ts";

/** A run directory given to `merge` (or one target of a fleet run given to it). */
export interface MergeInput {
  /** How the user named it (for messages). */
  label: string;
  dir: string;
  summary: Summary;
  /** The shard's shard.json: each of its checks' coverage. */
  coverage?: Record<string, CheckCoverage>;
}

export class MergeError extends Error {}

const shardOf = (p: MergeInput) => `${p.summary.shard!.index}/${p.summary.shard!.count}`;

/**
 * Check that the parts are the n shards of one run, each exactly once:
 * the same n, every index once, the same target, profile, seed, runs and
 * strictness, the same checks, split the same way (every check owned by
 * exactly one shard).
 */
export function checkShards(parts: MergeInput[], what: string): void {
  const plain = parts.filter((p) => !p.summary.shard);
  if (plain.length) {
    throw new MergeError(parts.length === plain.length
      ? `${what} is in ${plain.length} runs that are not shards (${plain.map((p) => p.label).join(", ")}): give each target once, or the shards of one run`
      : `${what} mixes shards with a run that is not one (${plain[0].label})`);
  }
  const count = parts[0].summary.shard!.count;
  const other = parts.find((p) => p.summary.shard!.count !== count);
  if (other) throw new MergeError(`${what}: ${parts[0].label} is shard ${shardOf(parts[0])} but ${other.label} is shard ${shardOf(other)}: shards of one run share n`);
  const byIndex = new Map<number, MergeInput>();
  for (const p of parts) {
    const twin = byIndex.get(p.summary.shard!.index);
    if (twin) throw new MergeError(`${what}: shard ${shardOf(p)} is given twice (${twin.label} and ${p.label})`);
    byIndex.set(p.summary.shard!.index, p);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) throw new MergeError(`${what}: shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")} ${missing.length > 1 ? "are" : "is"} missing (given: ${parts.map((p) => `${shardOf(p)} ${p.label}`).join(", ")})`);
  const first = parts[0].summary;
  for (const p of parts.slice(1)) {
    const s = p.summary;
    if (s.shard!.target !== first.shard!.target) throw new MergeError(`${what}: the shards ran against different targets (${first.shard!.target} in ${parts[0].label}, ${s.shard!.target} in ${p.label})`);
    for (const [key, label] of [["profile", "profile"], ["seed", "seed"], ["runs", "runs"], ["strict", "strict"], ["ontapVersion", "ONTAP release"]] as const) {
      if (s[key] !== first[key]) throw new MergeError(`${what}: the shards disagree on the ${label} (${String(first[key])} in ${parts[0].label}, ${String(s[key])} in ${p.label})${key === "seed" ? ": give every shard the same --seed" : ""}`);
    }
  }
  const universe = new Set(first.checks.map((c) => c.id));
  for (const p of parts) {
    const ids = p.summary.checks.map((c) => c.id);
    if (ids.length !== universe.size || ids.some((id) => !universe.has(id))) throw new MergeError(`${what}: ${p.label} lists other checks than ${parts[0].label} (made by another version of the suite?)`);
  }
  const owner = new Map<string, MergeInput>();
  for (const p of parts) {
    for (const id of p.summary.shard!.checks) {
      const twin = owner.get(id);
      if (twin) throw new MergeError(`${what}: the check ${id} is in shard ${shardOf(twin)} and in shard ${shardOf(p)}: the shards were split differently (another --durations, --only, profile or config?)`);
      owner.set(id, p);
    }
  }
  const orphans = [...universe].filter((id) => !owner.has(id));
  if (orphans.length) throw new MergeError(`${what}: ${orphans.length} check(s) are in no shard (${orphans.slice(0, 3).join(", ")}${orphans.length > 3 ? ", …" : ""}): the shards were split differently (another --durations, --only, profile or config?)`);
}

/** The merged run's summary, and the results its coverage matrix and Allure results are made from. */
export function mergeShards(parts: MergeInput[], opts: { runId?: string; requirements: ReadonlyMap<string, { requirement: string; ref: string; spec?: string[]; oracle?: string | null; definedAt?: string }> }): { summary: Summary; owner: Map<string, MergeInput> } {
  const sorted = [...parts].sort((a, b) => a.summary.shard!.index - b.summary.shard!.index);
  const owner = new Map<string, MergeInput>();
  for (const p of sorted) for (const id of p.summary.shard!.checks) owner.set(id, p);
  const first = sorted[0].summary;
  const own = new Map<string, SummaryCheck>();
  for (const p of sorted) for (const c of p.summary.checks) if (owner.get(c.id) === p) own.set(c.id, c);
  // A check that failed in its shard only because the contract's owner ran elsewhere: a skip pointing at the owner if the owner failed.
  const notTested = new Map<string, { owner: string; message: string }>();
  for (const p of sorted) {
    for (const d of p.summary.shard!.deferred ?? []) {
      if (own.get(d.owner)?.status === "fail") notTested.set(d.id, { owner: d.owner, message: d.message });
    }
  }
  const results: CheckResult[] = first.checks.map((c0) => {
    const c = own.get(c0.id)!;
    const nt = notTested.get(c.id);
    const req = opts.requirements.get(c.id);
    return {
      id: c.id, title: c.title, area: c.area as CheckResult["area"], operation: c.operation, profile: c.profile as CheckResult["profile"], severity: c.severity as CheckResult["severity"], phase: c.phase,
      requirement: req?.requirement ?? c.title, ref: req?.ref ?? "", spec: req?.spec ?? c.spec ?? [], oracle: req?.oracle ?? null, definedAt: req?.definedAt ?? "",
      status: nt ? "skip" : c.status,
      ...(nt ? { message: nt.message, notTested: { owner: nt.owner, cause: c.message ?? "" } } : c.message !== undefined ? { message: c.message } : {}),
      warnings: c.warnings, durationMs: c.durationMs, exchanges: [],
      ...(owner.get(c.id)!.coverage?.[c.id] ? { coverage: owner.get(c.id)!.coverage![c.id] } : {}),
    };
  });
  const starts = sorted.map((p) => Date.parse(p.summary.start));
  const ends = sorted.map((p) => Date.parse(p.summary.start) + p.summary.durationMs);
  const phases: Record<string, number> = {};
  for (const p of sorted) for (const [k, v] of Object.entries(p.summary.phases ?? {})) phases[k] = Math.max(phases[k] ?? 0, v);
  const summary = buildSummary({
    runId: opts.runId, results, target: first.target, version: first.ontapVersion, profile: first.profile, seed: first.seed, runs: first.runs, strict: first.strict,
    startedAt: new Date(Math.min(...starts)).toISOString(), durationMs: Math.max(...ends) - Math.min(...starts), phases,
  });
  if (first.name) summary.name = first.name;
  const teardowns = sorted.map((p) => p.summary.teardown).filter((t): t is NonNullable<Summary["teardown"]> => Boolean(t));
  if (teardowns.length) {
    const all = (k: "removed" | "changedByOthers") => teardowns.flatMap((t) => t[k] ?? []);
    summary.teardown = {
      restored: teardowns.every((t) => t.restored),
      differences: teardowns.flatMap((t) => t.differences),
      ...(all("removed").length ? { removed: all("removed") } : {}),
      ...(all("changedByOthers").length ? { changedByOthers: all("changedByOthers") } : {}),
    };
  }
  if (sorted.some((p) => p.summary.interrupted)) summary.interrupted = true;
  summary.coverage = buildCoverage(results, first.ontapVersion);
  // The baseline: what each shard knew of its own checks.
  const byId = new Map(summary.checks.map((c) => [c.id, c]));
  const known: BaselineEntry[] = [];
  const expired: BaselineEntry[] = [];
  for (const c of summary.checks) {
    const src = own.get(c.id)!;
    if (src.known && (c.status === "fail" || c.status === "error")) known.push(src.known);
    if (src.baselineExpired && (c.status === "fail" || c.status === "error")) expired.push(src.baselineExpired);
  }
  const baselineFile = sorted.find((p) => p.summary.baseline)?.summary.baseline?.file;
  const fixed = sorted.flatMap((p) => p.summary.baseline?.fixed ?? []).filter((e) => byId.get(e.id)?.status === "pass");
  settleVerdict(summary, { baselineFile, outcome: { known, expired, fixed }, unusable: sorted.some((p) => p.summary.result === "could not run") });
  summary.merged = { from: sorted.map((p) => mergedPart(p, p.summary.shard!.checks.length)) };
  return { summary, owner };
}

export function mergedPart(p: MergeInput, checks: number): MergedPart {
  return {
    ...(p.summary.runId ? { runId: p.summary.runId } : {}),
    ...(p.summary.name ? { name: p.summary.name } : {}),
    ...(p.summary.shard ? { shard: shardOf(p) } : {}),
    seed: p.summary.seed,
    checks,
  };
}
