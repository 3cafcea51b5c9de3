// Running one check and settling its verdict: the part of a run that decides
// pass | fail | skip | error. The vitest phase files (suite-runner.ts) and the
// catalog engine's in-process runs (src/cli/catalog-run.ts) both call this,
// so a check's verdict is made by the same code wherever it runs.
import { CheckError, CheckFailure, CheckSkip, NotTested, type Aspect, type Check, type CheckResult } from "./check.ts";
import { CheckContext, type RunServices, type TargetInfo } from "./context.ts";
import { coverageOf } from "./coverage.ts";
import { planSelection } from "./select.ts";
import type { HttpClient } from "./transport.ts";
import type { RunConfig } from "./run-config.ts";

/** A check's result before it has run: an error until it ends, so one that never ends does not read as a pass. */
export function pendingResult(check: Check): CheckResult {
  const { run: _run, ...meta } = check;
  return { ...meta, status: "error", message: "the check did not finish within the test timeout", warnings: [], durationMs: 0, exchanges: [] };
}

/** The result of a check Ctrl-C stopped before it ended (README "Ctrl-C"): not judged, whatever it would have found. */
export function interruptedResult(check: Check): CheckResult {
  return { ...pendingResult(check), message: "interrupted" };
}

/** The selected check that owns each "operation:aspect" contract in this run (from the run's selection, or planned here). */
export function ownersOf(all: Check[], cfg: Pick<RunConfig, "disabled" | "only" | "profile" | "shard"> & { info: { version?: string } }): RunServices["ownerOf"] {
  return ownerIn(planSelection(all, cfg).owners);
}

/** `ownerOf` over an owners table (Selection.owners). */
export function ownerIn(owners: Readonly<Record<string, string>>): RunServices["ownerOf"] {
  return (operation: string, aspect: Aspect) => owners[`${operation}:${aspect}`];
}

/**
 * Run `check` against the target and write its verdict into `result`
 * (status, message, warnings, duration, exchanges, coverage). The run's own
 * limit (checkTimeoutMs) stops a check that outlives it with a sentence that
 * names the limit, and stops it sending. Returns the check's context (its
 * exchanges) and what it threw.
 */
export async function executeCheck(check: Check, result: CheckResult, cfg: { info: TargetInfo; checkTimeoutMs: number }, http: HttpClient, services: RunServices, interrupted?: AbortSignal): Promise<{ ctx: CheckContext; thrown: unknown }> {
  const started = Date.now();
  const ctx = new CheckContext(cfg.info, http, check.id, services);
  // Ctrl-C: the check is not waited for, and sends nothing more (teardown, alone, restores the target; the ledger
  // knows every write it sent, answered or not).
  interrupted?.addEventListener("abort", () => ctx.abandon("the run was interrupted (Ctrl-C)"), { once: true });
  let thrown: unknown;
  // The run's own limit, below vitest's test timeout: a check that outlives it ends with a sentence that names the
  // limit, and stops sending (vitest's own timeout would close the client under it: "The client is closed").
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      ctx.abandon();
      reject(new CheckError(`the check did not finish within ${cfg.checkTimeoutMs < 10_000 ? `${cfg.checkTimeoutMs} ms` : `${Math.round(cfg.checkTimeoutMs / 1000)} s`}, the per-check limit (--check-timeout; default 4 × --timeout, at least 120 s): it was stopped there`));
    }, cfg.checkTimeoutMs);
  });
  try {
    await Promise.race([check.run(ctx), limit]);
  } catch (e) {
    thrown = e;
  } finally {
    clearTimeout(timer);
  }
  result.durationMs = Date.now() - started;
  result.status = "pass";
  delete result.message;
  result.warnings = ctx.warnings;
  result.exchanges = ctx.log.map((ex) => ex.id);
  result.coverage = coverageOf(ctx.log, ctx.errorCodes);
  if (thrown instanceof CheckSkip) {
    result.status = "skip";
    result.message = thrown.reason;
  } else if (thrown instanceof NotTested) {
    result.status = "skip";
    result.message = thrown.message;
    result.notTested = { owner: thrown.owner, cause: thrown.reason };
  } else if (thrown instanceof CheckFailure) {
    result.status = "fail";
    result.message = thrown.message;
  } else if (thrown instanceof CheckError) {
    result.status = "error";
    result.message = thrown.message;
  } else if (thrown) {
    // An assertion library or a bug in the check: the suite broke, not the target.
    result.status = "error";
    result.message = `the check itself broke: ${(thrown as Error)?.message ?? String(thrown)}`;
  }
  // Messages and warnings quote requests and counterexamples: masked here, once, with the worker's redactor (it
  // knows the password and every licence key the run sent), before Allure or the run command sees them.
  const redact = (text: string) => http.redactor.redactText(text);
  if (result.message) result.message = redact(result.message);
  result.warnings = result.warnings.map(redact);
  if (result.notTested) result.notTested.cause = redact(result.notTested.cause);
  return { ctx, thrown };
}
