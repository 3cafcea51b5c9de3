// Unit tests of the critical-path arithmetic (no timing assertions).
import { describe, expect, it } from "vitest";
import { longestChain } from "./lib/critical-path.ts";

describe("longestChain", () => {
  it("counts sequential requests one by one", () => {
    expect(longestChain([{ start: 0, end: 10 }, { start: 10, end: 20 }, { start: 21, end: 30 }])).toBe(3);
  });
  it("counts requests in flight together once", () => {
    expect(longestChain([{ start: 0, end: 10 }, { start: 0, end: 11 }, { start: 1, end: 12 }])).toBe(1);
  });
  it("takes the longest chain through a fan-out", () => {
    // a; then b, c, d together; then e
    const ivs = [{ start: 0, end: 10 }, { start: 10, end: 20 }, { start: 10, end: 25 }, { start: 10, end: 21 }, { start: 25, end: 30 }];
    expect(longestChain(ivs)).toBe(3);
  });
  it("is 0 without requests", () => {
    expect(longestChain([])).toBe(0);
  });
});
