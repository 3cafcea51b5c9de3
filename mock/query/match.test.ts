import { describe, expect, it } from "vitest";
import { OntapError } from "../errors.ts";
import { parseExpression } from "./expression.ts";
import { compileFilters, matchesCompiled, matchesFilters } from "./match.ts";
import type { FieldTypes } from "./types.ts";

const types: FieldTypes = {
  name: "string",
  state: "enum",
  description: "string",
  "licenses.serial_number": "string",
  "licenses.compliance.state": "enum",
  "licenses.capacity.maximum_size": "integer",
  "licenses.active": "boolean",
  "licenses.start_time": "date-time",
  "nodes.firmware.sp_bmc.percent_done": "integer",
  keys: "string",
  size: "integer",
  enabled: "boolean",
  created: "date-time",
};

// Flat records for the operator tables: name, size, enabled, created; "unset" lacks every one.
const people = [
  { id: 1, name: "abc", size: 3, enabled: true, created: "2021-10-26T19:57:41Z" },
  { id: 2, name: "abcxyz", size: 5, enabled: false, created: "2021-10-26T21:57:41+02:00" },
  { id: 3, name: "jim", size: 7, enabled: true, created: "2022-01-01T00:00:00-05:00" },
  { id: 4, name: "joe", size: 10, enabled: false, created: "2020-06-30T12:00:00.500Z" },
  { id: 5, name: "joe*", size: 100, created: "2023-03-03T03:03:03Z" },
  { id: 6, name: "xyz", size: 101 },
  { id: 7, name: "a|b", size: 0 },
  { id: 8, name: "{jim}" },
  { id: 9, name: '"abc"' },
  { id: 10, name: "" },
  { id: 11, name: null, size: null, enabled: null, created: null },
  { id: 12 },
];

const ids = (field: string, expression: string): number[] => people.filter((r) => matchesFilters(r, { [field]: expression }, types)).map((r) => r.id);

describe("filters on strings", () => {
  it.each([
    ["abc", [1]],
    ["abc*", [1, 2]],
    ["*xyz", [2, 6]],
    ["abc*xyz", [2]],
    ["a*z", [2]],
    ["*", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ["jim..joe", [3, 4]],
    [">=joe", [4, 5, 6, 8]],
    ["<abc", [9, 10]], // "a|b" sorts after "abc": "|" > "b"
    ["!joe", [1, 2, 3, 5, 6, 7, 8, 9, 10]],
    ["!abc*", [3, 4, 5, 6, 7, 8, 9, 10]],
    ["!jim..joe", [1, 2, 5, 6, 7, 8, 9, 10]],
    ['"joe*"', [5]],
    ["joe*", [4, 5]],
    ["{a|b}", [7]],
    ["a|b", []],
    ["{{jim}}", [8]],
    ['{"abc"}', [9]],
    ["", [10]],
    ["null", [11, 12]],
    ["!null", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ["abc|jim", [1, 3]],
    ["abc,jim", [1, 3]],
    ["abc, jim", [1, 3]],
    ["jim|null", [3, 11, 12]],
    ["ABC", []],
  ] as Array<[string, number[]]>)("name=%s", (expression, expected) => {
    expect(ids("name", expression)).toEqual(expected);
  });
});

describe("filters on integers", () => {
  it.each([
    ["7", [3]],
    ["007", [3]],
    ["+7", [3]],
    ["<10", [1, 2, 3, 7]],
    ["<=10", [1, 2, 3, 4, 7]],
    [">100", [6]],
    ["3..10", [1, 2, 3, 4]],
    ["!3", [2, 3, 4, 5, 6, 7]],
    ["3|5", [1, 2]],
    ["3|5..9|>100", [1, 2, 3, 6]],
    ["<10|null", [1, 2, 3, 7, 8, 9, 10, 11, 12]],
    ["1*", [4, 5, 6]],
    ["*0", [4, 5, 7]],
    ["abc", []],
    ["!abc", []],
    ["<abc", []],
    ["1.5", []],
    ["3..x", []],
    ["abc|7", [3]],
  ] as Array<[string, number[]]>)("size=%s", (expression, expected) => {
    expect(ids("size", expression)).toEqual(expected);
  });
});

describe("filters on booleans", () => {
  it.each([
    ["true", [1, 3]],
    ["True", [1, 3]],
    ["TRUE", [1, 3]],
    ["false", [2, 4]],
    ["FaLsE", [2, 4]],
    ["!true", [2, 4]],
    ["<true", [2, 4]],
    ["false..true", [1, 2, 3, 4]],
    ["T*", [1, 3]],
    ["yes", []],
    ["null", [5, 6, 7, 8, 9, 10, 11, 12]],
  ] as Array<[string, number[]]>)("enabled=%s", (expression, expected) => {
    expect(ids("enabled", expression)).toEqual(expected);
  });
});

describe("filters on date-times", () => {
  it.each([
    ["2021-10-26T19:57:41Z", [1, 2]],
    ["2021-10-26T21:57:41+02:00", [1, 2]],
    ["2021-10-26T15:57:41-0400", [1, 2]],
    ["2021-10-26T19:57:41.000Z", [1, 2]],
    ["2020-06-30T12:00:00.5Z", [4]],
    ["2022-01-01T05:00:00Z", [3]],
    [">2021-10-26T19:57:41Z", [3, 5]],
    ["<2021-10-26T19:57:41Z", [4]],
    ["2021-01-01T00:00:00Z..2022-01-01T05:00:00Z", [1, 2, 3]],
    ["2021-10-26T19:57:41Z", [1, 2]],
    ["2021-10-26*", [1, 2]],
    ["*+02:00", [2]],
    [">2021-10-27", [3, 5]],
    ["2021-02-30T00:00:00Z", []],
    ["yesterday", []],
    ["!2021-10-26T19:57:41Z", [3, 4, 5]],
  ] as Array<[string, number[]]>)("created=%s", (expression, expected) => {
    expect(ids("created", expression)).toEqual(expected);
  });
});

describe("paths through arrays (existential)", () => {
  const packages = [
    {
      name: "base",
      licenses: [
        { serial_number: "1-80-000008", active: true, compliance: { state: "compliant" }, capacity: { maximum_size: 100 }, start_time: "2021-01-01T00:00:00Z" },
        { serial_number: "1-80-000011", active: false, compliance: { state: "noncompliant" }, capacity: { maximum_size: 5 } },
      ],
    },
    { name: "nfs", licenses: [{ serial_number: "1-81-0000000000000004082368507", active: true, compliance: { state: "compliant" } }] },
    { name: "cifs", licenses: [] },
    { name: "fcp" },
    { name: "iscsi", licenses: [{ serial_number: "x" }, { compliance: { state: "unknown" } }] },
    { name: "s3", keys: ["AAAA", "BBBB"] },
  ];
  const names = (filters: Record<string, string>): string[] => packages.filter((r) => matchesFilters(r, filters, types)).map((r) => r.name);

  it("is satisfied when one element satisfies the whole expression", () => {
    expect(names({ "licenses.compliance.state": "noncompliant" })).toEqual(["base"]);
    expect(names({ "licenses.compliance.state": "compliant" })).toEqual(["base", "nfs"]);
    expect(names({ "licenses.compliance.state": "!compliant" })).toEqual(["base", "iscsi"]);
    expect(names({ "licenses.compliance.state": "compliant, noncompliant" })).toEqual(["base", "nfs"]);
    expect(names({ "licenses.capacity.maximum_size": ">50" })).toEqual(["base"]);
    expect(names({ "licenses.capacity.maximum_size": "5..10" })).toEqual(["base"]);
    expect(names({ "licenses.active": "FALSE" })).toEqual(["base"]);
    expect(names({ "licenses.serial_number": "1-80-*" })).toEqual(["base"]);
    expect(names({ "licenses.start_time": "<2022-01-01T00:00:00Z" })).toEqual(["base"]);
  });

  it("treats an absent or empty array, or no element with the field, as unset", () => {
    expect(names({ "licenses.serial_number": "null" })).toEqual(["cifs", "fcp", "iscsi", "s3"]);
    expect(names({ "licenses.serial_number": "!null" })).toEqual(["base", "nfs", "iscsi"]);
    expect(names({ "licenses.serial_number": "*" })).toEqual(["base", "nfs", "iscsi"]);
    expect(names({ "licenses.capacity.maximum_size": "null" })).toEqual(["nfs", "cifs", "fcp", "iscsi", "s3"]);
  });

  it("fans out over arrays of scalars", () => {
    expect(names({ keys: "BBBB" })).toEqual(["s3"]);
    expect(names({ keys: "null" })).toEqual(["base", "nfs", "cifs", "fcp", "iscsi"]);
  });

  it("ANDs several filters, each existential on its own", () => {
    expect(names({ "licenses.compliance.state": "noncompliant", "licenses.active": "true" })).toEqual(["base"]);
    expect(names({ name: "base|nfs", "licenses.compliance.state": "compliant" })).toEqual(["base", "nfs"]);
    expect(names({ name: "nfs", "licenses.active": "false" })).toEqual([]);
  });

  it("crosses nested arrays", () => {
    const software = { nodes: [{ firmware: { sp_bmc: { percent_done: 10 } } }, { firmware: { sp_bmc: { percent_done: 90 } } }] };
    expect(matchesFilters(software, { "nodes.firmware.sp_bmc.percent_done": ">50" }, types)).toBe(true);
    expect(matchesFilters(software, { "nodes.firmware.sp_bmc.percent_done": ">95" }, types)).toBe(false);
  });

  it("compares a field missing from the types as a string", () => {
    expect(matchesFilters({ other: 7 }, { other: "007" }, types)).toBe(false);
    expect(matchesFilters({ other: 7 }, { other: "7" }, types)).toBe(true);
    expect(matchesFilters({}, { constructor: "null" }, {})).toBe(true);
  });
});

describe("compiled filters", () => {
  it("parse once and evaluate like matchesFilters", () => {
    const compiled = compileFilters({ name: "j*", size: ">=10" }, types);
    expect(compiled.map((f) => [f.field, f.type])).toEqual([["name", "string"], ["size", "integer"]]);
    expect(people.filter((r) => matchesCompiled(r, compiled)).map((r) => r.id)).toEqual([4, 5]);
    expect(matchesCompiled({}, [])).toBe(true);
  });

  it("accept hand-built filters", () => {
    const compiled = [{ field: "serial_number", type: "string" as const, expr: parseExpression("1-80*|null") }];
    expect(matchesCompiled({ serial_number: "1-80-1" }, compiled)).toBe(true);
    expect(matchesCompiled({}, compiled)).toBe(true);
    expect(matchesCompiled({ serial_number: "2" }, compiled)).toBe(false);
  });
});

describe("malformed filters", () => {
  it("reject with 400/262185 naming the field, even with no records to filter", () => {
    expect(() => compileFilters({ name: "{abc" }, types)).toThrow(OntapError);
    try {
      matchesFilters({ name: "x" }, { name: '"abc' }, types);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ httpStatus: 400, code: 262185, target: "name" });
    }
  });
});

describe("performance", () => {
  it("filters 10,000 records in well under a second", () => {
    const records = Array.from({ length: 10_000 }, (_, i) => ({
      name: `pkg${i}`,
      licenses: [{ serial_number: `sn${i}`, capacity: { maximum_size: i }, compliance: { state: i % 2 ? "compliant" : "noncompliant" } }],
    }));
    const filters = { name: "pkg1*", "licenses.capacity.maximum_size": "<5000|>9000", "licenses.compliance.state": "compliant" };
    const started = performance.now();
    const hits = records.filter((r) => matchesFilters(r, filters, types));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(hits.length).toBe(556);
  });
});
