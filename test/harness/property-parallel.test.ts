// The side-by-side pass of checkProperty relies on fast-check's contract that
// fc.sample yields exactly the values fc.check generates for the same seed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("fc.sample and fc.check agree on a seed", () => {
  it("yields the same values in the same order (a generator of the suite's own, three seeds)", async () => {
    const arb = fc.record({ a: fc.integer(), s: fc.string({ maxLength: 20 }), xs: fc.array(fc.constantFrom("x", "y", "z"), { maxLength: 5 }) });
    for (const seed of [1, 42, 20261206]) {
      const sampled = fc.sample(arb, { seed, numRuns: 50 });
      const seen: unknown[] = [];
      await fc.check(fc.asyncProperty(arb, async (v) => { seen.push(v); return true; }), { seed, numRuns: 50 });
      expect(seen).toEqual(sampled);
    }
  });
});
