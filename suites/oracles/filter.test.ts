import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkFilter, evaluate, FilterParseError, parseExpression, type FieldType, type FieldTypes, type Filters } from "./filter.ts";
import { valuesAt } from "./types.ts";

/** Whether a record satisfies every filter (ANDed): what checkFilter's soundness judges, one record at a time. */
function satisfies(record: unknown, filters: Filters, types: FieldTypes): boolean {
  const list: ReadonlyArray<readonly [string, string]> = Array.isArray(filters) ? filters : Object.entries(filters);
  return list.every(([field, expression]) => {
    if (!types[field]) throw new FilterParseError(`no field type known for "${field}"`, `${field}=${expression}`);
    return evaluate(expression, valuesAt(record, field), types[field]);
  });
}

type Case = [expression: string, value: unknown, expected: boolean];

function table(type: FieldType, cases: Case[]): void {
  for (const [expression, value, expected] of cases) {
    it(`${expression} on ${type} ${JSON.stringify(value) ?? "unset"} → ${expected}`, () => {
      expect(evaluate(expression, value, type)).toBe(expected);
    });
  }
}

describe("filter operators from the docs (ontap-reference §5.1, conventions §1)", () => {
  describe("wildcards", () => {
    table("string", [
      ["abc*", "abc", true],
      ["abc*", "abcdef", true],
      ["abc*", "xabc", false],
      ["*xyz", "xyz", true],
      ["*xyz", "wxyz", true],
      ["*xyz", "xyzw", false],
      ["abc*xyz", "abcxyz", true],
      ["abc*xyz", "abc-middle-xyz", true],
      ["abc*xyz", "abcxy", false],
      ["*", "", true],
      ["*", "anything", true],
      ["*", undefined, false],
      ["*", null, false],
      ["Core*Bundle", "Core Bundle", true],
      ["abc*", "ABCdef", false],
      ["a.c*", "abcd", false], // "." is not a regex wildcard
      ["a*", "a\nb", true],
    ]);
  });

  describe("comparisons", () => {
    table("integer", [
      ["<10", 9, true],
      ["<10", 10, false],
      ["<10", -3, true],
      ["<10", undefined, false],
      ["<10", null, false],
      ["<=10", 10, true],
      [">10", 11, true],
      [">10", 2, false],
      ["<10", 100, false], // numeric, not lexicographic
    ]);
    table("string", [
      [">=joe", "joe", true],
      [">=joe", "joey", true],
      [">=joe", "jim", false],
      [">=joe", "Zed", false], // "Z" < "j" by code unit
      ["<b", "a", true],
      ["<b", undefined, false],
    ]);
    table("enum", [
      ["<noncompliant", "compliant", true], // alphabetical
      [">noncompliant", "unlicensed", true],
      [">noncompliant", "compliant", false],
    ]);
  });

  describe("ranges", () => {
    table("integer", [
      ["3..10", 3, true],
      ["3..10", 10, true],
      ["3..10", 7, true],
      ["3..10", 2, false],
      ["3..10", 11, false],
      ["3..10", undefined, false],
      ["10..3", 5, false],
      ["-5..-1", -3, true],
    ]);
    table("string", [
      ["jim..joe", "jim", true],
      ["jim..joe", "jo", true],
      ["jim..joe", "joe", true],
      ["jim..joe", "joey", false],
      ["jim..joe", "jake", false],
    ]);
  });

  describe("negation", () => {
    table("integer", [
      ["!3", 3, false],
      ["!3", 4, true],
      ["!3", undefined, false], // unset satisfies only null
      ["!3..5", 4, false],
      ["!3..5", 6, true],
    ]);
    table("string", [
      ["!joe", "joe", false],
      ["!joe", "jim", true],
      ["!joe", undefined, false],
      ["!abc*", "abcd", false],
      ["!abc*", "xabc", true],
      ["!jim..joe", "jo", false],
      ["!jim..joe", "zed", true],
      ["!jim..joe", null, false],
      ["!<b", "a", false],
      ["!<b", "c", true],
    ]);
  });

  describe("alternatives", () => {
    table("integer", [
      ["3|5", 3, true],
      ["3|5", 5, true],
      ["3|5", 4, false],
      ["3|5..9|>100", 3, true],
      ["3|5..9|>100", 4, false],
      ["3|5..9|>100", 7, true],
      ["3|5..9|>100", 10, false],
      ["3|5..9|>100", 101, true],
      ["3|5..9|>100", 100, false],
      ["3,5", 5, true],
    ]);
    table("enum", [
      ["compliant, noncompliant", "compliant", true],
      ["compliant, noncompliant", "noncompliant", true],
      ["compliant, noncompliant", "unknown", false],
      ["compliant, noncompliant, unlicensed, unknown", "unlicensed", true],
      ["compliant,  noncompliant", "noncompliant", true],
      ["compliant| noncompliant", "noncompliant", false], // spaces are only ignored after ","
    ]);
  });

  describe("quoting", () => {
    table("string", [
      ['"joe*"', "joe*", true],
      ['"joe*"', "joey", false],
      ["{a|b}", "a|b", true],
      ["{a|b}", "a", false],
      ["{{jim}}", "{jim}", true],
      ["{{jim}}", "jim", false],
      ['{"abc"}', '"abc"', true],
      ['{"abc"}', "abc", false],
      ['"null"', "null", true],
      ['"null"', undefined, false],
      ['"a,b"', "a,b", true],
      ['"<10"', "<10", true],
      ['"!x"', "!x", true],
      ['"3..5"', "3..5", true],
      ['"a"*', "abc", true], // quoted prefix, then a wildcard
      ['{a*}*', "a*bc", true],
      ['{a*}*', "abc", false],
      ['<"b*"', "a", true],
      ['""', "", true],
    ]);
  });

  describe("null", () => {
    table("integer", [
      ["null", undefined, true],
      ["null", null, true],
      ["null", 0, false],
      ["!null", 0, true],
      ["!null", undefined, false],
      ["<10|null", undefined, true],
      ["<10|null", 5, true],
      ["<10|null", 50, false],
    ]);
    table("string", [
      ["null", "", false],
      ["!null", "", true],
    ]);
  });

  describe("booleans in any case", () => {
    table("boolean", [
      ["true", true, true],
      ["True", true, true],
      ["TRUE", true, true],
      ["false", false, true],
      ["FALSE", false, true],
      ["fAlSe", true, false],
      ["!true", false, true],
      ["<true", false, true],
      ["<true", true, false],
      ["yes", true, false], // not a boolean: matches nothing
      ["*", false, true],
    ]);
  });

  describe("integers", () => {
    table("integer", [
      ["007", 7, true],
      ["7", 7, true],
      ["+7", 7, true],
      ["-0", 0, true],
      ["7", 70, false],
      ["abc", 7, false], // unreadable: matches nothing (choice)
      ["7.0", 7, false],
      ["1*", 123, true], // wildcards match the decimal form
      ["*3", 123, true],
      ["1*", 23, false],
      ["1099511627776", 1099511627776, true],
      ["<1099511627776", 0, true],
    ]);
  });

  describe("date-time with different offsets", () => {
    table("date-time", [
      ["2021-10-26T19:57:41Z", "2021-10-26T19:57:41Z", true],
      ["2021-10-26T21:57:41+02:00", "2021-10-26T19:57:41Z", true],
      ["2021-10-26T19:57:41Z", "2021-10-26T21:57:41+02:00", true],
      ["2021-10-26T14:27:41-05:30", "2021-10-26T19:57:41Z", true],
      ["2021-10-26T19:57:41.000Z", "2021-10-26T19:57:41Z", true],
      ["2021-10-26T19:57:42Z", "2021-10-26T19:57:41Z", false],
      ["<2021-10-26T21:00:00+02:00", "2021-10-26T18:59:59Z", true],
      ["<2021-10-26T21:00:00+02:00", "2021-10-26T19:00:00Z", false],
      [">2018-05-21T09:53:04+05:30", "2018-05-21T04:23:05Z", true],
      ["2021-01-01T00:00:00Z..2021-12-31T23:59:59Z", "2021-10-26T19:57:41Z", true],
      ["2021-01-01T00:00:00Z..2021-12-31T23:59:59Z", "2022-01-01T00:00:00+01:00", true],
      ["2021-01-01T00:00:00Z..2021-12-31T23:59:59Z", "2022-01-01T00:00:00-01:00", false],
      ["2021-10-26*", "2021-10-26T19:57:41Z", true], // wildcards match the string as served
      ["2021-10-26*", "2021-10-27T01:57:41+06:00", false],
      ["not-a-date", "2021-10-26T19:57:41Z", false],
      ["<2030-01-01T00:00:00Z", "garbage", false],
      ["2019-02-02T19:00:00Z", "2019-02-02 19:00:00 +0000", true], // the docs' rendering
    ]);
  });

  describe("nested array paths (existential, conventions §1.3)", () => {
    const types: FieldTypes = { "licenses.serial_number": "string", "licenses.compliance.state": "enum", "licenses.capacity.used_size": "integer", name: "string" };
    const pkg = {
      name: "nfs",
      licenses: [
        { serial_number: "111", compliance: { state: "compliant" }, capacity: { used_size: 5 } },
        { serial_number: "222", compliance: { state: "noncompliant" } },
      ],
    };
    const cases: Array<[Record<string, string>, boolean]> = [
      [{ "licenses.serial_number": "222" }, true],
      [{ "licenses.serial_number": "333" }, false],
      [{ "licenses.serial_number": "!111" }, true], // some element is not 111
      [{ "licenses.serial_number": "1*" }, true],
      [{ "licenses.compliance.state": "noncompliant" }, true],
      [{ "licenses.compliance.state": "unknown" }, false],
      [{ "licenses.capacity.used_size": "null" }, true], // the second element lacks it
      [{ "licenses.capacity.used_size": ">4" }, true],
      [{ "licenses.capacity.used_size": ">5" }, false],
      [{ "licenses.serial_number": "222", name: "nfs" }, true],
      [{ "licenses.serial_number": "222", name: "cifs" }, false],
    ];
    for (const [filters, expected] of cases) {
      it(`${JSON.stringify(filters)} → ${expected}`, () => expect(satisfies(pkg, filters, types)).toBe(expected));
    }
    it("an empty or absent array makes the path unset", () => {
      expect(satisfies({ name: "x", licenses: [] }, { "licenses.serial_number": "null" }, types)).toBe(true);
      expect(satisfies({ name: "x" }, { "licenses.serial_number": "null" }, types)).toBe(true);
      expect(satisfies({ name: "x", licenses: [] }, { "licenses.serial_number": "*" }, types)).toBe(false);
      expect(satisfies({ name: "x", licenses: [] }, { "licenses.serial_number": "!111" }, types)).toBe(false);
    });
    it("a single-element array with the value does not satisfy its negation", () => {
      expect(satisfies({ licenses: [{ serial_number: "111" }] }, { "licenses.serial_number": "!111" }, types)).toBe(false);
    });
    it("arrays of scalars are existential too", () => {
      expect(evaluate("b", ["a", "b"], "string")).toBe(true);
      expect(evaluate("c", ["a", "b"], "string")).toBe(false);
    });
  });

  describe("strings are case-sensitive (choice)", () => {
    table("string", [
      ["nfs", "NFS", false],
      ["nfs", "nfs", true],
    ]);
  });
});

describe("parser", () => {
  it("builds the documented structure", () => {
    const e = parseExpression("3|5..9|>100");
    expect(e.alternatives.map((a) => a.term.kind)).toEqual(["pattern", "range", "compare"]);
    expect(parseExpression("!null").alternatives[0]).toEqual({ negated: true, term: { kind: "null" } });
    expect(parseExpression("{{jim}}").alternatives[0].term).toEqual({ kind: "pattern", value: { text: "{jim}", wildcard: false } });
  });
  for (const bad of ["a|", "|a", "", "!", "<", "3..", "..3", "1..2..3", "1...3", '"abc', "{abc", "abc}", "a<b", "!!a", "<a*", "a*..b", "a..b*"]) {
    it(`rejects ${JSON.stringify(bad)}`, () => expect(() => parseExpression(bad)).toThrow(FilterParseError));
  }
});

// ---------------------------------------------------------------------------

const TYPES: FieldTypes = { name: "string", state: "enum", scope: "enum", "licenses.serial_number": "string", "licenses.capacity.used_size": "integer", "licenses.active": "boolean", "licenses.expiry_time": "date-time" };

const PACKAGES = [
  { name: "nfs", scope: "node", state: "compliant", licenses: [{ serial_number: "1-81-0001", active: true, capacity: { used_size: 10 } }] },
  { name: "cifs", scope: "node", state: "compliant", licenses: [{ serial_number: "1-81-0002", active: true }] },
  { name: "cloud", scope: "node", state: "noncompliant", licenses: [{ serial_number: "9012", active: false, expiry_time: "2021-10-26T19:57:41Z" }] },
  { name: "fabricpool", scope: "cluster", state: "compliant", licenses: [{ serial_number: "4149027342", capacity: { used_size: 0 } }] },
  { name: "flexcache", scope: "cluster", state: "unlicensed" },
];

describe("checkFilter", () => {
  it("accepts an exact answer", () => {
    expect(checkFilter({ filters: { state: "!compliant" }, types: TYPES, filtered: [{ name: "cloud" }, { name: "flexcache" }], unfiltered: PACKAGES, key: "name" })).toEqual([]);
  });

  it("reports a returned record that does not satisfy the filter, judged on the unfiltered copy", () => {
    const v = checkFilter({ filters: { state: "!compliant" }, types: TYPES, filtered: [{ name: "cifs" }, { name: "cloud" }, { name: "flexcache" }], unfiltered: PACKAGES, key: "name" });
    expect(v).toHaveLength(1);
    expect(v[0].rule).toBe("filter-sound");
    expect(v[0].message).toBe('record name=cifs does not satisfy filter state=!compliant (state is "compliant")');
    expect(v[0].pointer).toBe("/records/0");
  });

  it("reports a matching record that was not returned", () => {
    const v = checkFilter({ filters: { "licenses.serial_number": "1-81-*" }, types: TYPES, filtered: [{ name: "nfs" }], unfiltered: PACKAGES, key: "name" });
    expect(v.map((x) => x.rule)).toEqual(["filter-complete"]);
    expect(v[0].message).toBe('record name=cifs satisfies licenses.serial_number=1-81-* (licenses.serial_number is "1-81-0002") but was not returned');
  });

  it("reports duplicates and records without a key", () => {
    const v = checkFilter({ filters: { scope: "cluster" }, types: TYPES, filtered: [{ name: "fabricpool" }, { name: "fabricpool" }, { _links: {} }, { name: "flexcache" }], unfiltered: PACKAGES, key: "name" });
    expect(v.map((x) => x.rule).sort()).toEqual(["filter-duplicate", "filter-unidentified"]);
  });

  it("applies ANDed filters", () => {
    const filters = { scope: "node", state: "compliant" };
    expect(checkFilter({ filters, types: TYPES, filtered: [{ name: "nfs" }, { name: "cifs" }], unfiltered: PACKAGES, key: "name" })).toEqual([]);
    expect(checkFilter({ filters, types: TYPES, filtered: [{ name: "nfs" }, { name: "cifs" }, { name: "fabricpool" }], unfiltered: PACKAGES, key: "name" })[0].message).toContain("does not satisfy filter scope=node");
  });

  it("judges a record missing from the unfiltered listing on its own fields", () => {
    const unfiltered = PACKAGES.filter((p) => p.state !== "unlicensed"); // the default listing hides unlicensed packages
    expect(checkFilter({ filters: { state: "unlicensed" }, types: TYPES, filtered: [{ name: "flexcache", state: "unlicensed" }], unfiltered, key: "name" })).toEqual([]);
    expect(checkFilter({ filters: { state: "unlicensed" }, types: TYPES, filtered: [{ name: "flexcache" }], unfiltered, key: "name" })).toEqual([]); // field not served: not judged
    expect(checkFilter({ filters: { state: "unlicensed" }, types: TYPES, filtered: [{ name: "ghost", state: "compliant" }], unfiltered, key: "name" })[0].rule).toBe("filter-sound");
  });

  it("applies default filters only for fields the request does not name", () => {
    const defaults = { state: "compliant,noncompliant,unknown" };
    const all = { filters: { scope: "cluster" }, types: TYPES, unfiltered: PACKAGES, key: "name", defaults };
    expect(checkFilter({ ...all, filtered: [{ name: "fabricpool" }] })).toEqual([]);
    const v = checkFilter({ ...all, filtered: [{ name: "fabricpool" }, { name: "flexcache" }] });
    expect(v[0].message).toContain("applied by default");
    expect(checkFilter({ ...all, filters: { scope: "cluster", state: "*" }, filtered: [{ name: "fabricpool" }, { name: "flexcache" }] })).toEqual([]);
  });

  it("handles composite keys", () => {
    const history = [
      { node: { name: "n1" }, start_time: "2021-01-01T00:00:00Z", state: "successful" },
      { node: { name: "n2" }, start_time: "2021-01-01T00:00:00Z", state: "canceled" },
    ];
    const key = ["node.name", "start_time"];
    expect(checkFilter({ filters: { state: "successful" }, types: { state: "enum" }, filtered: [{ node: { name: "n1" }, start_time: "2021-01-01T00:00:00Z" }], unfiltered: history, key })).toEqual([]);
    expect(checkFilter({ filters: { state: "successful" }, types: { state: "enum" }, filtered: [{ node: { name: "n2" }, start_time: "2021-01-01T00:00:00Z" }], unfiltered: history, key }).map((x) => x.rule).sort()).toEqual(["filter-complete", "filter-sound"]);
  });

  it("answers oracle-cannot-parse for expressions outside the grammar or fields without a type", () => {
    const base = { types: TYPES, filtered: [], unfiltered: PACKAGES, key: "name" };
    expect(checkFilter({ ...base, filters: { name: "{abc" } })[0].rule).toBe("oracle-cannot-parse");
    expect(checkFilter({ ...base, filters: { bogus: "x" } })[0].rule).toBe("oracle-cannot-parse");
    expect(checkFilter({ ...base, filters: { "licenses.expiry_time": "<2021-10-26T19:57:41" } })[0].message).toContain("no UTC offset");
  });

  it("calls a case-insensitive answer ambiguous, not wrong (choice)", () => {
    const v = checkFilter({ filters: { name: "NFS" }, types: TYPES, filtered: [{ name: "nfs" }], unfiltered: PACKAGES, key: "name" });
    expect(v.map((x) => x.rule)).toEqual(["ambiguous"]);
    expect(v[0].message).toContain("case");
  });

  it("calls negation outside arrays ambiguous, not wrong (choice)", () => {
    const unfiltered = [
      { name: "a", licenses: [{ serial_number: "1" }, { serial_number: "2" }] },
      { name: "b", licenses: [{ serial_number: "3" }] },
    ];
    const types: FieldTypes = { "licenses.serial_number": "string" };
    expect(checkFilter({ filters: { "licenses.serial_number": "!1" }, types, filtered: [{ name: "a" }, { name: "b" }], unfiltered, key: "name" })).toEqual([]);
    expect(checkFilter({ filters: { "licenses.serial_number": "!1" }, types, filtered: [{ name: "b" }], unfiltered, key: "name" })[0].rule).toBe("ambiguous");
    expect(checkFilter({ filters: { "licenses.serial_number": "!1" }, types, filtered: [], unfiltered, key: "name" })[0].rule).toBe("filter-complete");
  });
});

// ---------------------------------------------------------------------------
// Properties

const recordArb = fc.record({
  name: fc.stringMatching(/^[a-z]{1,6}$/),
  size: fc.option(fc.integer({ min: -50, max: 50 }), { nil: undefined }),
  state: fc.constantFrom("compliant", "noncompliant", "unlicensed", "unknown"),
  active: fc.boolean(),
  tags: fc.array(fc.record({ serial: fc.option(fc.stringMatching(/^[0-9]{1,3}$/), { nil: undefined }) }), { maxLength: 3 }),
});
const RTYPES: FieldTypes = { name: "string", size: "integer", state: "enum", active: "boolean", "tags.serial": "string" };

const intTerm = fc.oneof(
  fc.integer({ min: -60, max: 60 }).map(String),
  fc.integer({ min: -60, max: 60 }).map((n) => `<${n}`),
  fc.integer({ min: -60, max: 60 }).map((n) => `>=${n}`),
  fc.tuple(fc.integer({ min: -60, max: 60 }), fc.integer({ min: -60, max: 60 })).map(([a, b]) => `${a}..${b}`),
  fc.constant("null"),
);
const filterArb = fc.oneof(
  fc.array(fc.tuple(fc.boolean(), intTerm), { minLength: 1, maxLength: 3 }).map((alts) => ({ size: alts.map(([neg, t]) => (neg && t !== "null" ? `!${t}` : t)).join("|") })),
  fc.subarray(["compliant", "noncompliant", "unlicensed", "unknown"], { minLength: 1 }).map((s) => ({ state: s.join(", ") })),
  fc.stringMatching(/^[a-z]{0,2}\*?$/).filter((s) => s !== "").map((s) => ({ name: s })),
  fc.constantFrom("true", "FALSE", "True").map((b) => ({ active: b })),
  fc.stringMatching(/^!?[0-9]\*?$/).map((s) => ({ "tags.serial": s })),
);

function keyed(records: Array<{ name: string }>): Array<{ name: string }> {
  const seen = new Set<string>();
  return records.filter((r) => !seen.has(r.name) && seen.add(r.name));
}

describe("checkFilter properties", () => {
  it("a correct filtering never yields violations", () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 12 }).map(keyed), filterArb, (records, filters) => {
        const filtered = records.filter((r) => satisfies(r, filters, RTYPES)).map((r) => ({ name: r.name }));
        expect(checkFilter({ filters, types: RTYPES, filtered, unfiltered: records, key: "name" })).toEqual([]);
      }),
    );
  });

  it("removing one matching record always yields a complete violation", () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 12 }).map(keyed), filterArb, fc.nat(), (records, filters, pick) => {
        const matching = records.filter((r) => satisfies(r, filters, RTYPES));
        fc.pre(matching.length > 0);
        const dropped = matching[pick % matching.length];
        const filtered = matching.filter((r) => r !== dropped);
        const v = checkFilter({ filters, types: RTYPES, filtered, unfiltered: records, key: "name" });
        expect(v.some((x) => x.rule === "filter-complete" && x.expected === dropped.name) || v.some((x) => x.rule === "ambiguous")).toBe(true);
        expect(v.every((x) => x.rule !== "filter-sound")).toBe(true);
      }),
    );
  });

  it("adding one non-matching record always yields a sound violation", () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 12 }).map(keyed), filterArb, fc.nat(), (records, filters, pick) => {
        const others = records.filter((r) => !satisfies(r, filters, RTYPES));
        fc.pre(others.length > 0);
        const intruder = others[pick % others.length];
        const filtered = [...records.filter((r) => satisfies(r, filters, RTYPES)), intruder];
        const v = checkFilter({ filters, types: RTYPES, filtered, unfiltered: records, key: "name" });
        expect(v.some((x) => (x.rule === "filter-sound" && x.pointer === `/records/${filtered.length - 1}`) || x.rule === "ambiguous")).toBe(true);
      }),
    );
  });

  it("integer comparisons agree with arithmetic, whatever the leading zeros", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.nat({ max: 3 }), (v, a, b, zeros) => {
        const z = "0".repeat(zeros);
        expect(evaluate(`${z}${a}`, v, "integer")).toBe(v === a);
        expect(evaluate(`<${z}${a}`, v, "integer")).toBe(v < a);
        expect(evaluate(`>=${a}`, v, "integer")).toBe(v >= a);
        expect(evaluate(`${a}..${b}`, v, "integer")).toBe(v >= a && v <= b);
        expect(evaluate(`!${a}..${b}`, v, "integer")).toBe(!(v >= a && v <= b));
        expect(evaluate(`${a}|${b}`, v, "integer")).toBe(v === a || v === b);
      }),
    );
  });

  it("a braced literal equals exactly its content", () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !s.includes("{") && !s.includes("}")), fc.string(), (s, other) => {
        expect(evaluate(`{${s}}`, s, "string")).toBe(true);
        expect(evaluate(`{${s}}`, other, "string")).toBe(other === s);
      }),
    );
  });

  it("a pattern made by starring a substring's surroundings matches", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9 ._-]{1,12}$/).filter((s) => !s.includes("..")), fc.nat(), fc.nat(), (s, i, j) => {
        const a = i % s.length, b = a + (j % (s.length - a + 1));
        expect(evaluate(`*${s.slice(a, b)}*`, s, "string")).toBe(true);
        expect(evaluate(`${s.slice(0, a)}*`, s, "string")).toBe(true);
      }),
    );
  });

  it("the same instant in any offset is equal, and order follows time", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: -14 * 60, max: 14 * 60 }), fc.integer({ min: -100_000, max: 100_000 }), (seconds, offsetMinutes, delta) => {
        const ms = seconds * 1000;
        const z = new Date(ms).toISOString().replace(".000Z", "Z");
        const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
        const sign = offsetMinutes < 0 ? "-" : "+";
        const abs = Math.abs(offsetMinutes);
        const withOffset = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
        expect(evaluate(withOffset, z, "date-time")).toBe(true);
        const other = new Date(ms + delta * 1000).toISOString();
        expect(evaluate(`<${withOffset}`, other, "date-time")).toBe(delta < 0);
      }),
    );
  });
});
