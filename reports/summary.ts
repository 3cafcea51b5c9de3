// summary.json: the machine-readable result of a run, for CI systems and for
// `compare`. Its JSON Schema is reports/summary.schema.json (documented in
// the README and validated in the tests).
import { phaseOf, type CheckResult, type CheckStatus, type Phase } from "../src/harness/check.ts";
import type { Coverage } from "./coverage.ts";

export const SUMMARY_FORMAT = "ontap-conformance/summary@1";

export interface SummaryCheck {
  id: string;
  title: string;
  area: string;
  operation: string;
  profile: string;
  severity: string;
  phase: Phase;
  status: CheckStatus;
  message?: string;
  /** A skip because a read the check needs departs from a contract `owner` reports (the owner failed). */
  notTestedBecause?: string;
  warnings: string[];
  durationMs: number;
}

export interface Summary {
  format: typeof SUMMARY_FORMAT;
  target: string;
  ontapVersion?: string;
  profile: string;
  seed: number;
  runs: number;
  strict: boolean;
  start: string;
  durationMs: number;
  phases: Record<string, number>;
  totals: Record<CheckStatus, number> & { checks: number; warnings: number };
  checks: SummaryCheck[];
  /** With --baseline: failures that were known and did not fail the run. */
  baseline?: { file: string; knownFailures: Array<{ id: string; reason: string }> };
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
}

export function buildSummary(input: {
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
        id: r.id, title: r.title, area: r.area, operation: r.operation, profile: r.profile, severity: r.severity, phase: phaseOf(r),
        status: r.status, ...(r.message ? { message: r.message } : {}), ...(r.status === "skip" && r.notTested ? { notTestedBecause: r.notTested.owner } : {}), warnings: r.warnings, durationMs: r.durationMs,
      };
    });
  return {
    format: SUMMARY_FORMAT,
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
