// Answers kept for repeated reads. A GET's answer is a function of the
// request (path, query, Accept) and of what the handler reads of the state;
// when a handler can name what that is (`inputs`: plain data, the passing of
// time included, e.g. which licences have expired by now), an answer made
// once is served again, already written as JSON, for as long as those inputs
// are equal, value for value, to what they were when it was made. The
// reference mock's licence listing is the request clients send most and the
// mock's costliest (bench/profile.ts: the listing, its projection and its
// JSON were two thirds of its time per request); answering it again costs a
// comparison and a lookup.
//
// Only the reference mock keeps answers: a mutant or variant (MockOptions
// mutant) rewrites replies after the handler, so its mock makes every
// answer anew (mock/index.ts).
import { bodyText } from "./respond.ts";
import type { Handler, Reply } from "./types.ts";

/** Answers kept per operation; the oldest is forgotten first. */
const KEPT = 64;

/** Whether two JSON-like values (objects, arrays, strings, numbers, booleans, null) are equal, member for member. */
function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    count++;
    if (!Object.hasOwn(y, k) || !equal(x[k], y[k])) return false;
  }
  for (const k in y) if (Object.hasOwn(y, k)) count--;
  return count === 0;
}

/**
 * `handler`, serving a kept answer when the same request comes again and
 * `inputs()` is equal to what it was when the answer was made. `inputs()`
 * returning undefined means "too costly to tell" (a large scenario): the
 * answer is made anew.
 */
export function keepAnswers(handler: Handler, inputs: () => unknown): Handler {
  const kept = new Map<string, Reply>();
  // A copy of the inputs the kept answers were made from.
  let madeFrom: unknown;
  return (ctx) => {
    const now = inputs();
    if (now === undefined) return handler(ctx);
    if (kept.size && !equal(now, madeFrom)) kept.clear();
    if (!kept.size) madeFrom = structuredClone(now);
    const key = `${ctx.plainJson ? "json" : "hal"} ${ctx.path}${ctx.url.search}`;
    const hit = kept.get(key);
    if (hit) return hit;
    const keep = (reply: Reply): Reply => {
      // Errors are thrown, never kept; a reply without a body has nothing to write.
      if (reply.body === undefined) return reply;
      // Kept as the bytes sent: written once, not encoded again for every answer.
      const answer: Reply = { ...reply, payload: Buffer.from(bodyText(reply, ctx.plainJson)) };
      if (kept.size >= KEPT) kept.delete(kept.keys().next().value!);
      kept.set(key, answer);
      return answer;
    };
    const reply = handler(ctx);
    // An answer made asynchronously may come from a later state than the inputs read: not kept.
    return reply instanceof Promise ? reply : keep(reply);
  };
}
