// Property-based checks: fast-check searches with the run's seed and number
// of runs, shrinks a failure to a minimal counterexample, and the failure
// message says everything needed to replay it: seed, path, the shrunk case,
// what was received and documented, and a curl line (from the check's own
// ctx.fail, which carries the exchange).
import fc from "fast-check";
import { CheckError, CheckFailure, CheckSkip, NotTested } from "./outcomes.ts";
import type { CheckContext } from "./context.ts";

export interface PropertyOptions<T> {
  /** Short name used in messages ("filter soundness and completeness"). */
  name: string;
  /** How to show one case in a message (a query string, a request). */
  show(value: T): string;
  /** Cases to run (default: the run's --runs). */
  numRuns?: number;
  /** Run the generated cases side by side first (default true; a property whose cases change the target must say false). */
  parallel?: boolean;
}

/** Cases in flight at once in the side-by-side pass (the run's --concurrency bounds their requests). */
const PARALLEL_CASES = 8;

/** Whether `body` passes for every value, running up to `width` at once; stops starting new ones at the first that does not. */
async function allPass<T>(values: T[], body: (value: T) => Promise<void>, width: number): Promise<boolean> {
  let next = 0;
  let ok = true;
  const worker = async () => {
    while (ok && next < values.length) {
      const value = values[next++];
      try {
        await body(value);
      } catch {
        ok = false;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, values.length) }, worker));
  return ok;
}

/**
 * Run `body` on generated cases. `body` ends a case as failed by throwing
 * CheckFailure (ctx.fail); a CheckError (the transport broke) ends the whole
 * check as an error instead of being shrunk.
 */
export async function checkProperty<T>(ctx: CheckContext, arb: fc.Arbitrary<T>, body: (value: T) => Promise<void>, opts: PropertyOptions<T>): Promise<{ runs: number }> {
  const seed = ctx.target.seed;
  const numRuns = opts.numRuns ?? ctx.target.runs;
  // Against a far target the cases are the run's longest chain of requests. fc.sample gives exactly the
  // values fc.check generates for the same seed (fast-check's documented contract), so the cases first go
  // out side by side; only when one of them does not pass does the search below run them again in order,
  // find the same first counterexample and shrink it, so the verdict and its message do not change.
  if (opts.parallel !== false && (await allPass(fc.sample(arb, { seed, numRuns }), body, PARALLEL_CASES))) return { runs: numRuns };
  let broken: unknown;
  const details = await fc.check(
    fc.asyncProperty(arb, async (value) => {
      if (broken) return true;
      try {
        await body(value);
        return true;
      } catch (e) {
        if (e instanceof CheckFailure) throw e;
        // Not the target's fault: stop searching and report it as it is.
        broken = e;
        return true;
      }
    }),
    { seed, numRuns },
  );
  if (broken) {
    if (broken instanceof CheckSkip || broken instanceof CheckError || broken instanceof NotTested) throw broken;
    throw new CheckError(`the property ${opts.name} broke: ${(broken as Error)?.message ?? String(broken)}`);
  }
  if (!details.failed) return { runs: details.numRuns };
  const counterexample = details.counterexample![0] as T;
  // Replay the shrunk case once more: its failure message (with the curl
  // line of its own request) is the one to show, not the first one found.
  let failure: CheckFailure | undefined;
  try {
    await body(counterexample);
  } catch (e) {
    if (e instanceof CheckFailure) failure = e;
    else throw e;
  }
  const original = details.errorInstance instanceof CheckFailure ? details.errorInstance : undefined;
  const why = (failure ?? original)?.message ?? String(details.errorInstance);
  throw new CheckFailure(
    [
      `property "${opts.name}" failed after ${details.numRuns} run(s) and ${details.numShrinks} shrink(s)`,
      `Seed: ${seed}  Path: ${details.counterexamplePath}  (replay with --seed ${seed} --runs ${numRuns})`,
      `Counterexample (shrunk): ${opts.show(counterexample)}`,
      why,
    ].join("\n"),
    undefined,
    (failure ?? original)?.exchangeId,
  );
}
