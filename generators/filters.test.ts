// The filter arbitraries produce every variant they claim, only expressions
// the oracle's grammar reads, and the same cases for the same seed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { filterTypes, getOperation } from "../src/contract/index.ts";
import { CANNOT_PARSE, checkFilter, parseExpression } from "../suites/oracles/index.ts";

/** Whether a record satisfies the filters, as the filter oracle judges it (a record it would return). */
const satisfies = (record: unknown, filters: ReadonlyArray<readonly [string, string]>, types: Parameters<typeof checkFilter>[0]["types"]) =>
  checkFilter({ filters, types, filtered: [record], unfiltered: [record], key: () => "r" }).length === 0;
import { FILTER_VARIANTS, filterCaseArb, filterFieldsFor, heldValues } from "./filters.ts";

const RECORDS = [
  { name: "base", scope: "cluster", state: "compliant", licenses: [{ owner: "node1", serial_number: "4149027492", expiry_time: "2027-01-01T00:00:00Z", capacity: { maximum_size: 1099511627776 }, active: true }] },
  { name: "nfs", scope: "node", state: "noncompliant", licenses: [{ owner: "node2", serial_number: "4149027493", active: false }] },
  { name: "cifs", scope: "node", state: "unlicensed" },
  { name: "s3", scope: "site", state: "compliant", description: "S3 * object | store", licenses: [{ owner: "node1", serial_number: "4149027492", evaluation: true, start_time: "2021-10-26T19:57:41Z" }] },
];

describe("filterFieldsFor", () => {
  it("takes the licenses filters and their types from the spec", () => {
    const fields = filterFieldsFor("licenses_get");
    const byParam = Object.fromEntries(fields.map((f) => [f.param, f.type]));
    expect(byParam).toMatchObject({ name: "string", scope: "enum", state: "enum", "licenses.serial_number": "string", "licenses.active": "boolean", "licenses.expiry_time": "date-time", "licenses.capacity.maximum_size": "integer" });
    expect(fields.find((f) => f.param === "scope")!.enumValues).toContain("cluster");
  });

  it("covers every scalar filter parameter of every listing", () => {
    for (const id of ["licenses_get", "software_packages_collection_get", "software_history_collection_get", "cluster_nodes_get"]) {
      const op = getOperation(id);
      const types = filterTypes(op.recordSchema!);
      const scalar = op.params.filter((p) => p.filter && p.field && types[p.field]).map((p) => p.name);
      expect(filterFieldsFor(id).map((f) => f.param).sort()).toEqual(scalar.sort());
    }
  });
});

describe("heldValues", () => {
  it("reads values through arrays and drops unset ones", () => {
    expect(heldValues(RECORDS, "licenses.owner").sort()).toEqual(["node1", "node2"]);
    expect(heldValues(RECORDS, "licenses.active").sort()).toEqual([false, true]);
    expect(heldValues(RECORDS, "missing")).toEqual([]);
  });
});

describe("filterCaseArb", () => {
  const fields = filterFieldsFor("licenses_get");
  const types = filterTypes("license_package");
  const sample = fc.sample(filterCaseArb(fields, RECORDS), { seed: 20261123, numRuns: 3000 });

  it("produces every variant it claims (3,000 cases classified)", () => {
    const seen = new Map<string, number>();
    for (const c of sample) for (const k of c.kinds) seen.set(k, (seen.get(k) ?? 0) + 1);
    const missing = FILTER_VARIANTS.filter((v) => !seen.has(v));
    expect(missing).toEqual([]);
    console.log(`filter variants in 3,000 cases: ${FILTER_VARIANTS.map((v) => `${v} ${seen.get(v)}`).join(", ")}`);
  });

  it("writes only expressions the grammar reads, over fields with a type", () => {
    for (const c of sample) {
      for (const f of c.filters) {
        expect(() => parseExpression(f.expression), `${f.param}=${f.expression}`).not.toThrow();
        expect(checkFilter({ filters: [[f.param, f.expression]], types, filtered: [], unfiltered: RECORDS, key: "name" }).filter((v) => v.rule === CANNOT_PARSE), `${f.param}=${f.expression}`).toEqual([]);
      }
    }
  });

  it("never glues an operator or a range to a value's own '=' or '.' (found at --runs 1000: \"<\"+\"=\" read as \"<=\", \"a.\"+\"..\" as \"...\")", () => {
    const edgy = [{ name: "a.", description: ".b" }, { name: "=x", description: "y." }, { name: "..", description: "=" }];
    const string = fields.filter((f) => f.param === "name" || f.param === "description");
    for (const c of fc.sample(filterCaseArb(string, edgy), { seed: 7, numRuns: 5000 })) {
      for (const f of c.filters) expect(() => parseExpression(f.expression), `${f.param}=${f.expression}`).not.toThrow();
    }
  });

  it("labels are true to the text: negations start with !, quoted values are quoted, wildcards have *", () => {
    for (const c of sample) {
      for (const f of c.filters) {
        if (f.kinds.includes("negation")) expect(f.expression).toMatch(/(^|[|,]\s*)!/);
        if (f.kinds.includes("quoted")) expect(f.expression).toContain('"');
        if (f.kinds.includes("braced")) expect(f.expression).toContain("{");
        if (f.kinds.some((k) => k.startsWith("wildcard"))) expect(f.expression).toContain("*");
        if (f.kinds.includes("range")) expect(f.expression).toContain("..");
        if (f.kinds.includes("alternatives")) expect(f.expression).toContain("|");
        if (f.kinds.includes("comma-list-spaced")) expect(f.expression).toContain(", ");
      }
      expect(new Set(c.filters.map((f) => f.param)).size).toBe(c.filters.length);
      expect(c.kinds.includes("and")).toBe(c.filters.length > 1);
    }
  });

  it("draws both hits and misses: some cases match records, some match none", () => {
    const hits = sample.filter((c) => RECORDS.some((r) => satisfies(r, c.filters.map((f) => [f.param, f.expression] as const), types))).length;
    expect(hits).toBeGreaterThan(300);
    expect(sample.length - hits).toBeGreaterThan(300);
  });

  it("is deterministic for a seed", () => {
    const again = fc.sample(filterCaseArb(fields, RECORDS), { seed: 20261123, numRuns: 3000 });
    expect(again).toEqual(sample);
  });
});
