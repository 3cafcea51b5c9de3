// How a check ends: the statuses, and what a check (or the context for it)
// throws to end as failed, not tested, skipped or broken. A module of its
// own, below the check table and the context, so neither imports the other
// to throw.

/** pass | fail | skip (with reason) | disabled (by configuration) | error (the suite or transport broke). */
export type CheckStatus = "pass" | "fail" | "skip" | "disabled" | "error";

/** Which contract of a read a failure is about (see CheckMeta.owns). */
export type Aspect = "contract" | "paging" | "num-records";

/** Thrown by a check that found a departure from the contract. */
export class CheckFailure extends Error {
  /** Set when the departure is of a read's generic contract (status, media type, schema) or its paging. */
  aspect?: { operation: string; kind: Aspect };
  /** The exchange whose answer departs (the report marks its step as the failed one). */
  exchangeId?: number;
  constructor(message: string, aspect?: { operation: string; kind: Aspect }, exchangeId?: number) {
    super(message);
    this.name = "CheckFailure";
    this.aspect = aspect;
    this.exchangeId = exchangeId;
  }
}

/**
 * Thrown when a read the check needs (a sampling listing) departs from the
 * contract and another check of the run owns that contract: the check could
 * not test what it is about, and the departure is reported once, there.
 */
export class NotTested extends Error {
  constructor(readonly owner: string, readonly reason: string) {
    super(`not tested: a read this check needs departs from the contract, which ${owner} reports (${reason.split("\n")[0]})`);
    this.name = "NotTested";
  }
}

/** Thrown to end a check as skipped, with the reason shown in reports. */
export class CheckSkip extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "CheckSkip";
  }
}

/** Thrown when the suite itself or the transport broke: an error, not a conformance failure. */
export class CheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckError";
  }
}
