// summary.json: the machine-readable result of a run, for CI systems and for
// `compare`. Its JSON Schema is reports/summary.schema.json (documented in
// the README and validated in the tests).
import { phaseOf, type CheckResult, type CheckStatus, type Phase } from "../src/harness/check.ts";
import type { Coverage } from "./coverage.ts";
import type { BaselineEntry, BaselineOutcome } from "./baseline.ts";
import { SUMMARY_FORMAT } from "./summary-format.ts";

export { SUMMARY_FORMAT };

export interface SummaryCheck {
  id: string;
  title: string;
  area: string;
  operation: string;
  /** The elements of spec/ontap.yaml the check enforces (JSON pointers, CheckMeta.spec). */
  spec: string[];
  profile: string;
  severity: string;
  phase: Phase;
  status: CheckStatus;
  message?: string;
  /** A skip because a read the check needs departs from a contract `owner` reports (the owner failed). */
  notTestedBecause?: string;
  warnings: string[];
  durationMs: number;
  /** A failure or error the baseline knows (unexpired entry): reported, not counted against the target. */
  known?: BaselineEntry;
  /** A failure or error whose baseline entry has expired: it counts again. */
  baselineExpired?: BaselineEntry;
}

/** The run's verdict, as the exit code says it. */
export type RunResult = "conformant" | "not conformant" | "could not run" | "interrupted";

/** What names a run and makes it replayable: the target, its release, the profile, seed, runs and strictness (summary.json, a fleet's target lines and the bundle's manifest carry the same). */
export interface RunIdentity {
  /** The run's directory name under <report-dir>/runs. */
  runId?: string;
  target: string;
  ontapVersion?: string;
  profile: string;
  seed: number;
  runs: number;
  strict: boolean;
}

/** The identity of a run, from its summary (optional fields only when set). */
export function runIdentity(s: Summary): RunIdentity {
  return {
    ...(s.runId ? { runId: s.runId } : {}),
    target: s.target,
    ...(s.ontapVersion ? { ontapVersion: s.ontapVersion } : {}),
    profile: s.profile,
    seed: s.seed,
    runs: s.runs,
    strict: s.strict,
  };
}

export interface Summary extends RunIdentity {
  format: typeof SUMMARY_FORMAT;
  /** The verdict, and the exit code that says it (README "Exit codes"). */
  result?: RunResult;
  exitCode?: number;
  start: string;
  durationMs: number;
  phases: Record<string, number>;
  /** Counts per status; `known`: of the failures and errors, those the baseline knows (not counted against the target). */
  totals: Record<CheckStatus, number> & { checks: number; warnings: number; known?: number };
  checks: SummaryCheck[];
  /**
   * With --baseline: the failures it knows (not counted), the entries that
   * expired (their failures count again) and the entries whose check passed
   * (fixed: remove them from the baseline).
   */
  baseline?: { file: string; knownFailures: BaselineEntry[]; expired: BaselineEntry[]; fixed: BaselineEntry[] };
  /**
   * Writing runs only: whether the run left licenses and packages as it found
   * them (`differences`: what keeps them from it, by the run's doing);
   * `removed`: what teardown deleted because the run created it;
   * `changedByOthers`: what changed during the run by someone else's hand,
   * reported and left alone.
   */
  teardown?: { restored: boolean; differences: string[]; removed?: string[]; changedByOthers?: string[] };
  /** The run was stopped with Ctrl-C (exit 130): checks that did not run are errors "interrupted". */
  interrupted?: boolean;
  /** The coverage matrix (reports/coverage.ts). */
  coverage?: Coverage;
  /** A fleet's target (run --targets): its name in the inventory. */
  name?: string;
  /** run --shard i/n: this run is one of n that together run every check once. */
  shard?: ShardBlock;
  /** Made by `merge` from shards: the parts, each with its seed, so the merged run replays. */
  merged?: { from: MergedPart[] };
}

/** A check that failed in a shard because it was not tested and the contract's owner runs in another shard. */
export interface DeferredNotTested {
  id: string;
  owner: string;
  /** The "not tested" message the check carries as a skip. */
  message: string;
}

/** What summary.json says about a shard (src/cli/shard.ts). */
export interface ShardBlock {
  index: number;
  count: number;
  /** The target as the run was given it (its URL, or "the embedded reference mock", which each shard starts on its own): shards of one run have the same. */
  target: string;
  /** The checks this shard owns; every other check of summary.json "runs in another shard". */
  checks: string[];
  /** The recorded durations the split was balanced by. */
  durations?: { from: string; digest: string };
  /** Settled by `merge` against the owner's verdict in its shard: a skip there if the owner failed. */
  deferred?: DeferredNotTested[];
}

export interface MergedPart {
  runId?: string;
  name?: string;
  /** "i/n" */
  shard?: string;
  seed: number;
  /** How many checks this part ran as its own. */
  checks: number;
}

export function buildSummary(input: {
  runId?: string;
  results: CheckResult[];
  target: string;
  version?: string;
  profile: string;
  seed: number;
  runs: number;
  strict: boolean;
  startedAt: string;
  durationMs: number;
  phases: Record<string, number>;
}): Summary {
  const totals = { pass: 0, fail: 0, skip: 0, disabled: 0, error: 0, checks: input.results.length, warnings: 0 };
  const checks = [...input.results]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => {
      totals[r.status]++;
      totals.warnings += r.warnings.length;
      return {
        id: r.id, title: r.title, area: r.area, operation: r.operation, spec: r.spec, profile: r.profile, severity: r.severity, phase: phaseOf(r),
        status: r.status, ...(r.message ? { message: r.message } : {}), ...(r.status === "skip" && r.notTested ? { notTestedBecause: r.notTested.owner } : {}), warnings: r.warnings, durationMs: r.durationMs,
      };
    });
  return {
    format: SUMMARY_FORMAT,
    ...(input.runId ? { runId: input.runId } : {}),
    // Set by settleVerdict; here to keep them near the top of the file.
    result: undefined,
    exitCode: undefined,
    target: input.target,
    ...(input.version ? { ontapVersion: input.version } : {}),
    profile: input.profile,
    seed: input.seed,
    runs: input.runs,
    strict: input.strict,
    start: input.startedAt,
    durationMs: input.durationMs,
    phases: input.phases,
    totals,
    checks,
  };
}

/** A failure or error that counts against the target (not known to the baseline). */
export function counts(c: Pick<SummaryCheck, "status" | "known">): boolean {
  return (c.status === "fail" || c.status === "error") && !c.known;
}

/**
 * Settle the verdict: mark what the baseline knows or no longer covers, and
 * set `result` and `exitCode` from what counts (failures and errors the
 * baseline does not know; a writing run that did not restore the target).
 */
export function settleVerdict(summary: Summary, opts: { baselineFile?: string; outcome?: BaselineOutcome; unusable?: boolean }): void {
  const byId = new Map(summary.checks.map((c) => [c.id, c]));
  const outcome = opts.outcome ?? { known: [], expired: [], fixed: [] };
  for (const e of outcome.known) byId.get(e.id)!.known = e;
  for (const e of outcome.expired) byId.get(e.id)!.baselineExpired = e;
  if (opts.baselineFile) {
    summary.baseline = { file: opts.baselineFile, knownFailures: outcome.known, expired: outcome.expired, fixed: outcome.fixed };
    summary.totals.known = outcome.known.length;
  }
  const counted = summary.checks.filter(counts).length + (summary.teardown?.differences.length ?? 0);
  summary.result = opts.unusable ? "could not run" : summary.interrupted ? "interrupted" : counted ? "not conformant" : "conformant";
  summary.exitCode = { conformant: 0, "not conformant": 1, "could not run": 2, interrupted: 130 }[summary.result];
}
