import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkOrder, compareTyped, parseOrderBy } from "./order.ts";
import type { FieldTypes } from "./types.ts";

const TYPES: FieldTypes = { name: "string", state: "enum", size: "integer", active: "boolean", create_time: "date-time", "licenses.serial_number": "string" };

describe("parseOrderBy", () => {
  it("reads directions, defaults and + as space", () => {
    expect(parseOrderBy("name")).toEqual([{ field: "name", descending: false }]);
    expect(parseOrderBy("state desc,name")).toEqual([{ field: "state", descending: true }, { field: "name", descending: false }]);
    expect(parseOrderBy("size+DESC, name asc")).toEqual([{ field: "size", descending: true }, { field: "name", descending: false }]);
    expect(() => parseOrderBy("name sideways")).toThrow();
    expect(() => parseOrderBy("")).toThrow();
  });
});

describe("compareTyped", () => {
  it("compares by type", () => {
    expect(compareTyped(9, 10, "integer")).toBeLessThan(0);
    expect(compareTyped("9", "10", "string")).toBeGreaterThan(0);
    expect(compareTyped("Zed", "abc", "string")).toBeLessThan(0);
    expect(compareTyped(false, true, "boolean")).toBeLessThan(0);
    expect(compareTyped("2021-10-26T21:57:41+02:00", "2021-10-26T19:57:42Z", "date-time")).toBeLessThan(0);
    expect(compareTyped("x", "2021-10-26T19:57:42Z", "date-time")).toBeUndefined();
  });
});

describe("checkOrder", () => {
  const rec = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });

  it("ascending by default; reports the pair out of order", () => {
    expect(checkOrder({ orderBy: "name", records: [rec("a"), rec("b"), rec("c")], types: TYPES })).toEqual([]);
    const v = checkOrder({ orderBy: "name", records: [rec("a"), rec("c"), rec("b")], types: TYPES, key: "name" });
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule: "order", pointer: "/records/2" });
    expect(v[0].message).toBe('record name=c (records/1) comes before record name=b (records/2) but for order_by=name its name "c" sorts after "b" (ascending)');
  });

  it("desc", () => {
    expect(checkOrder({ orderBy: "size desc", records: [rec("a", { size: 10 }), rec("b", { size: 9 })], types: TYPES })).toEqual([]);
    expect(checkOrder({ orderBy: "size desc", records: [rec("a", { size: 9 }), rec("b", { size: 10 })], types: TYPES })[0].rule).toBe("order");
  });

  it("integers numerically, dates chronologically across offsets, booleans false first", () => {
    expect(checkOrder({ orderBy: "size", records: [rec("a", { size: 9 }), rec("b", { size: 10 })], types: TYPES })).toEqual([]);
    expect(checkOrder({ orderBy: "create_time", records: [rec("a", { create_time: "2021-10-26T21:57:41+02:00" }), rec("b", { create_time: "2021-10-26T19:57:42Z" })], types: TYPES })).toEqual([]);
    expect(checkOrder({ orderBy: "create_time", records: [rec("b", { create_time: "2021-10-26T19:57:42Z" }), rec("a", { create_time: "2021-10-26T21:57:41+02:00" })], types: TYPES })[0].rule).toBe("order");
    expect(checkOrder({ orderBy: "active", records: [rec("a", { active: true }), rec("b", { active: false })], types: TYPES })[0].rule).toBe("order");
  });

  it("multiple keys; ties in any order", () => {
    const records = [rec("b", { state: "compliant" }), rec("a", { state: "compliant" }), rec("c", { state: "noncompliant" })];
    expect(checkOrder({ orderBy: "state", records, types: TYPES })).toEqual([]); // tie b/a allowed
    expect(checkOrder({ orderBy: "state,name", records, types: TYPES })[0].message).toContain('its name "b" sorts after "a"');
    expect(checkOrder({ orderBy: "state desc,name", records: [records[2], records[1], records[0]], types: TYPES })).toEqual([]);
  });

  it("unset last in ascending order; the other placement is only ambiguous (choice)", () => {
    expect(checkOrder({ orderBy: "size", records: [rec("a", { size: 1 }), rec("b", { size: 2 }), rec("c")], types: TYPES })).toEqual([]);
    expect(checkOrder({ orderBy: "size desc", records: [rec("c"), rec("b", { size: 2 }), rec("a", { size: 1 })], types: TYPES })).toEqual([]);
    const first = checkOrder({ orderBy: "size", records: [rec("c"), rec("a", { size: 1 }), rec("b", { size: 2 })], types: TYPES });
    expect(first.map((v) => v.rule)).toEqual(["ambiguous"]);
    const scattered = checkOrder({ orderBy: "size", records: [rec("a", { size: 1 }), rec("c"), rec("b", { size: 2 })], types: TYPES });
    expect(scattered.map((v) => v.rule)).toEqual(["order"]);
  });

  it("a key through an array is not judged", () => {
    const records = [rec("a", { licenses: [{ serial_number: "9" }, { serial_number: "1" }] }), rec("b", { licenses: [{ serial_number: "5" }, { serial_number: "6" }] })];
    expect(checkOrder({ orderBy: "licenses.serial_number", records, types: TYPES })).toEqual([]);
  });

  it("oracle-cannot-parse for unknown fields or directions", () => {
    expect(checkOrder({ orderBy: "bogus", records: [], types: TYPES })[0].rule).toBe("oracle-cannot-parse");
    expect(checkOrder({ orderBy: "name up", records: [], types: TYPES })[0].rule).toBe("oracle-cannot-parse");
  });

  it("property: any correctly sorted list passes; swapping two distinct adjacent keys fails", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ size: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }), name: fc.stringMatching(/^[a-c]{1,2}$/) }), { minLength: 2, maxLength: 15 }), fc.boolean(), fc.nat(), (records, desc, pick) => {
        const cmp = (a: { size?: number; name: string }, b: { size?: number; name: string }): number => {
          const ua = a.size === undefined, ub = b.size === undefined;
          if (ua !== ub) return desc ? (ua ? -1 : 1) : ua ? 1 : -1;
          const c = ua ? 0 : (a.size! - b.size!) * (desc ? -1 : 1);
          return c !== 0 ? c : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
        };
        const sorted = [...records].sort(cmp);
        const orderBy = `size${desc ? " desc" : ""},name`;
        expect(checkOrder({ orderBy, records: sorted, types: TYPES })).toEqual([]);
        const i = pick % (sorted.length - 1);
        fc.pre(cmp(sorted[i], sorted[i + 1]) !== 0);
        const swapped = [...sorted];
        [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
        expect(checkOrder({ orderBy, records: swapped, types: TYPES }).length).toBeGreaterThan(0);
      }),
    );
  });
});
