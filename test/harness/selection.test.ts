// The run's selection, planned once by the run command (planSelection) and
// read by the workers: which checks do not run and why, and who owns each
// contract. It must say what notApplicable says of every check, and an owner
// that another shard runs still owns its contract.
import { describe, expect, it } from "vitest";
import { allChecks } from "../../suites/index.ts";
import { notApplicable, planSelection } from "../../src/harness/select.ts";
import { ownersOf } from "../../src/harness/execute.ts";

const checks = allChecks();
const base = { disabled: {}, only: [], profile: "read-only" as const, info: { version: "9.18.1" } };

describe("the run's selection", () => {
  it("holds notApplicable's verdict for every check, and nothing for a check that runs", () => {
    const cfg = { ...base, only: ["licenses.*", "software.get.*"], disabled: { "licenses.list.plain-json": "a proxy strips Accept" } };
    const { notRun } = planSelection(checks, cfg);
    for (const c of checks) expect(notRun[c.id]).toEqual(notApplicable(c, cfg));
    expect(notRun["licenses.list.plain-json"]?.status).toBe("disabled");
    expect(Object.keys(notRun).length).toBeLessThan(checks.length);
  });

  it("names the first selected owner of each contract, in table order", () => {
    const { owners } = planSelection(checks, base);
    const contracts = new Set(checks.flatMap((c) => c.owns ?? []));
    expect(Object.keys(owners).sort()).toEqual([...contracts].filter((k) => checks.some((c) => c.owns?.includes(k) && !notApplicable(c, base))).sort());
    for (const key of contracts) expect(owners[key]).toBe(checks.find((c) => c.owns?.includes(key) && !notApplicable(c, base))?.id);
    const ownerOf = ownersOf(checks, base)!;
    expect(ownerOf("licenses_get", "contract")).toBe(owners["licenses_get:contract"]);
    // Deselected, a check owns nothing.
    const owner = owners["licenses_get:contract"];
    expect(planSelection(checks, { ...base, disabled: { [owner]: "off" } }).owners["licenses_get:contract"]).not.toBe(owner);
  });

  it("keeps the owners of the whole run in every shard", () => {
    const whole = planSelection(checks, base);
    const ids = checks.filter((_, i) => i % 2 === 0).map((c) => c.id);
    const shard = planSelection(checks, { ...base, shard: { index: 1, count: 2, ids } });
    expect(shard.owners).toEqual(whole.owners);
    const elsewhere = checks.find((c) => !ids.includes(c.id) && !whole.notRun[c.id])!;
    expect(shard.notRun[elsewhere.id]?.status).toBe("disabled");
  });
});
