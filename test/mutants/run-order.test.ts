// The catalog's queue order (src/cli/catalog-engine.ts): the reference
// first, then the runs that took longest in the last catalog run, as vitest
// orders its files by their last durations. An order only: the verdicts do
// not depend on it (the kill map is checked the same with or without times).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { enqueue, keepRunTimes, labelOf, lastRunTimes } from "../../src/cli/catalog-engine.ts";

describe("the catalog's run times", () => {
  it("name each run by what it ran", () => {
    expect(labelOf({ kind: "reference", strict: true, dir: "d" })).toBe("reference");
    expect(labelOf({ kind: "mutant", name: "jobs.never-terminal", strict: true, dir: "d", narrow: { operations: {}, verdicts: [], writes: {}, discovery: { version: "9.18.1", nodes: [] } as never } })).toBe("mutant jobs.never-terminal (narrowed)");
    expect(labelOf({ kind: "variant", name: "slow-jobs", strict: false, dir: "d" })).toBe("variant slow-jobs default");
  });

  it("are kept across runs, the newest time of a run winning, and a missing or broken file reads as none", () => {
    const file = join(mkdtempSync(join(tmpdir(), "run-times-")), "cache", "times.json");
    expect(lastRunTimes(file)).toEqual({});
    keepRunTimes([{ label: "a", ms: 10 }, { label: "b", ms: 20 }], file);
    keepRunTimes([{ label: "b", ms: 5 }], file);
    expect(lastRunTimes(file)).toEqual({ a: 10, b: 5 });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ a: 10, b: 5 });
    expect(lastRunTimes(join(file, "..", "..", "nothing.json"))).toEqual({});
  });

  it("queue the highest priority first, equals in the order queued", () => {
    const queue: Array<{ name: string; priority: number }> = [];
    for (const [name, priority] of [["whole-1", 0], ["whole-2", 0], ["long", 36_000], ["short", 600], ["reference", Infinity], ["whole-3", 0], ["short-2", 600]] as const) enqueue(queue, { name, priority });
    expect(queue.map((q) => q.name)).toEqual(["reference", "long", "short", "short-2", "whole-1", "whole-2", "whole-3"]);
  });
});
