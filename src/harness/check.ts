// A check: a small named thing with a stable id, a one-line title, the
// requirement it enforces in RFC 2119 words, the spec reference, a severity
// and the profile it needs. Suites are tables of checks.
import type { CheckContext } from "./context.ts";
import type { CheckCoverage } from "./coverage.ts";
import type { CheckStatus } from "./outcomes.ts";
import type { Profile } from "./profiles.ts";

// The outcome classes and the profiles have their own modules (the context
// throws the one and reads the other without importing the check table);
// re-exported here for the modules that read checks.
export * from "./outcomes.ts";
export * from "./profiles.ts";

/** Allure's severities. */
export type Severity = "blocker" | "critical" | "normal" | "minor" | "trivial";

export type Area = "conventions" | "licensing" | "software" | "jobs" | "cluster";

/**
 * Phases run in this order: the docs' examples replayed, the example-based
 * contract checks, boundaries (every enum value, every documented limit),
 * random property cases, then stateful sequences that change the target.
 */
export type Phase = "examples" | "contract" | "boundary" | "property" | "stateful";
export const PHASES: Phase[] = ["examples", "contract", "boundary", "property", "stateful"];

export interface CheckMeta {
  /** Stable id: area.operation-ish.rule, e.g. licenses.list.filter-complete */
  id: string;
  title: string;
  /** One sentence in RFC 2119 words: "A collection GET MUST return only ..." */
  requirement: string;
  /** Where else the rule is written: spec/conventions.md §1, a docs section, NetApp's clients (the spec elements are in `spec`). */
  ref: string;
  /**
   * The elements of spec/ontap.yaml the check enforces, as JSON pointers
   * (`spec/ontap.yaml#/paths/~1cluster~1software/patch`,
   * `spec/ontap.yaml#/components/schemas/license_package/properties/state`);
   * at least one, each resolving (checked when the check is defined).
   */
  spec: string[];
  /** The export of suites/oracles/ that decides the check, or null where the contract's validators (call()) or the check itself decide. */
  oracle: string | null;
  /** `path:line` of the line that holds the check's id (for a check made from a template, its rule), relative to the project. */
  definedAt: string;
  severity: Severity;
  /** The least permissive profile the check can run under. */
  profile: Profile;
  area: Area;
  /** The operation the check is about (operationId). */
  operation: string;
  /**
   * ONTAP version the checked behaviour appeared in (older targets skip):
   * computed from x-ontap-introduced of the operation and of the parameters
   * in `uses`; written by hand only for a behaviour the spec does not gate.
   */
  since?: string;
  /** Query parameters of `operation` the check cannot do without (its `since` follows theirs). */
  uses?: string[];
  /** The phase the check runs in (default: contract). */
  phase?: Phase;
  /**
   * The contracts this check is the one to report: "licenses_get:contract"
   * (the status, media type and schema of that GET) or
   * "licenses_get:paging" (its next links) or "licenses_get:num-records"
   * (the count its answers carry). Another check whose sampling
   * read of that GET departs from the contract ends as "not tested" with a
   * pointer here, so one cause is one failure (see NotTested).
   */
  owns?: string[];
  /**
   * The check moves the target to another release (an upgrade, never rolled
   * back): it runs after every other check of its phase, since the others
   * judge answers by the release discovery found.
   */
  changesRelease?: boolean;
}

export function phaseOf(check: Pick<CheckMeta, "phase">): Phase {
  return check.phase ?? "contract";
}

export interface Check extends CheckMeta {
  run(ctx: CheckContext): Promise<void>;
}

export interface CheckResult extends CheckMeta {
  /** What the check exercised (statuses, parameters, codes, fields per operation). */
  coverage?: CheckCoverage;
  status: CheckStatus;
  message?: string;
  warnings: string[];
  durationMs: number;
  /** Exchange ids (see the run's exchanges log) this check made. */
  exchanges: number[];
  /** Set on a skip that is "not tested" because of another check's failure: that check, and the departure. */
  notTested?: { owner: string; cause: string };
}
