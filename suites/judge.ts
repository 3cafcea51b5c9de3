// How a check turns an oracle's verdict (suites/oracles: a list of
// violations) into its own: none passes; one the docs leave open
// (`ambiguous`) is a warning; the oracle unable to read its own input is an
// error of the suite; any other fails the check with the first violation
// (what was received, what is documented) and how many more there were.
import { CheckError, type Aspect } from "../src/harness/outcomes.ts";
import type { CheckContext } from "../src/harness/context.ts";
import type { Exchange } from "../src/harness/transport.ts";
import { AMBIGUOUS, CANNOT_PARSE, type Violation } from "./oracles/index.ts";

export interface Judgement {
  /** Said before each message: the request or case judged (`fields=name`). */
  context?: string;
  /** What is documented, where the violation's own `expected` says too little. */
  documented?: unknown;
  /** The exchange whose answer was judged. */
  exchange?: Exchange;
  /**
   * The violations that are about a contract another check owns (CheckMeta.owns): reported by
   * this check only when it finds nothing of its own, and then as that aspect, so the check is
   * "not tested" when the owner reports the same cause (one cause, one failure).
   */
  aspectOf?: (v: Violation) => { operation: string; kind: Aspect } | undefined;
}

export function judge(ctx: CheckContext, violations: readonly Violation[], j: Judgement = {}): void {
  if (!violations.length) return;
  const prefix = j.context ? `${j.context}: ` : "";
  const cannot = violations.find((v) => v.rule === CANNOT_PARSE);
  if (cannot) throw new CheckError(`${prefix}the oracle cannot read what the suite gave it: ${cannot.message}`);
  for (const v of violations) if (v.rule === AMBIGUOUS) ctx.warn(`${prefix}${v.message}`);
  const all = violations.filter((v) => v.rule !== AMBIGUOUS);
  if (!all.length) return;
  const own = all.filter((v) => !j.aspectOf?.(v));
  const real = own.length ? own : all;
  const [first] = real;
  const more = real.length > 1 ? ` (and ${real.length - 1} more: ${real.slice(1, 3).map((v) => v.message).join("; ")}${real.length > 3 ? "; …" : ""})` : "";
  const aspect = own.length ? undefined : j.aspectOf?.(first);
  ctx.fail(`${prefix}${first.message}${more}`, { received: first.received, documented: j.documented ?? first.expected, exchange: j.exchange, ...(aspect ? { aspect } : {}) });
}
