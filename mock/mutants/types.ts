// A mutant of the reference mock breaks exactly one rule of the contract.
// The suite must notice each one (issue: every check can fail).
import type { Handler, RequestContext, Reply } from "../server/types.ts";
import type { MockState } from "../scenarios/index.ts";

export type MutantCategory = "schema" | "status" | "envelope" | "media" | "query" | "hal" | "jobs" | "licensing" | "software" | "version";

/**
 * How a mutant or a legal variant (mock/variants/) changes the reference
 * mock: wrapped handlers, rewritten requests and replies, patched state.
 */
export interface MockPatch {
  /** Mock options this patch needs (an older version, a slower clock). */
  options?: { ontapVersion?: string; clockSpeed?: number };
  /** Replace the handler of an operation (return undefined to keep it). */
  wrap?(operation: string, handler: Handler, state: MockState): Handler | undefined;
  /** Rewrite a request's URL before the mock dispatches it (to get past its input checks); `method` as sent. */
  rewriteRequest?(url: URL, method: string): void;
  /** Rewrite every /api reply, errors raised before any handler included. */
  rewriteResponse?(reply: Reply, request: { method: string; path: string; query: URLSearchParams; plainJson: boolean }): void;
  /** Patch the state once it is built. */
  setup?(state: MockState): void;
}

export interface Mutant extends MockPatch {
  /** Stable name: category.what-breaks */
  name: string;
  category: MutantCategory;
  /** The rule it breaks, one sentence. */
  breaks: string;
  /** Set when no client can tell this mutant from the reference, with why. */
  equivalent?: string;
}

/** Change the request's query before the reference handler sees it. */
export function rewriteQuery(ops: string[], fn: (q: URLSearchParams, ctx: RequestContext) => void): Mutant["wrap"] {
  return (op, handler) => {
    if (!ops.includes(op)) return undefined;
    return (ctx) => {
      const url = new URL(ctx.url.toString());
      fn(url.searchParams, ctx);
      return handler({ ...ctx, url, query: url.searchParams });
    };
  };
}

/** Change the reference handler's reply. */
export function rewriteReply(ops: string[], fn: (reply: Reply, ctx: RequestContext, state: MockState) => Reply | void): Mutant["wrap"] {
  return (op, handler, state) => {
    if (!ops.includes(op) && !ops.includes("*")) return undefined;
    return async (ctx) => {
      let reply: Reply;
      try {
        reply = await handler(ctx);
      } catch (e) {
        // Errors pass through the mutant too (as the reply dispatch would build).
        const err = e as { httpStatus?: number; toJSON?: () => unknown };
        if (!err.toJSON) throw e;
        reply = { status: err.httpStatus!, body: op === "license_create" ? { errors: [err.toJSON()] } : { error: err.toJSON() } };
      }
      return fn(reply, ctx, state) ?? reply;
    };
  };
}

/** Apply fn to every record of a collection body or to an item body. */
export function eachRecord(body: any, fn: (record: any) => void): void {
  if (!body || typeof body !== "object") return;
  if (Array.isArray(body.records)) body.records.forEach(fn);
  else fn(body);
}
