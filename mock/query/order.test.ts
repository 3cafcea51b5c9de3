import { describe, expect, it } from "vitest";
import { OntapError } from "../errors.ts";
import { orderByParam, parseOrderBy, sortRecords } from "./order.ts";
import type { FieldTypes } from "./types.ts";

const types: FieldTypes = { name: "string", state: "enum", size: "integer", active: "boolean", created: "date-time", "licenses.serial_number": "string" };
const known = [...Object.keys(types), "licenses"];

const records = [
  { id: 1, name: "b", state: "unknown", size: 10, active: true, created: "2021-10-26T21:57:41+02:00" },
  { id: 2, name: "a", state: "compliant", size: 9, active: false, created: "2021-10-26T20:00:00Z" },
  { id: 3, name: "B", state: "noncompliant", size: 100, created: "2020-01-01T00:00:00Z" },
  { id: 4, name: "c", state: "compliant", active: true },
  { id: 5, name: "a", state: "unlicensed", size: 9, active: false, created: "2021-10-26T19:00:00Z" },
];

const order = (text: string): number[] => sortRecords(records, parseOrderBy(text, known, types), types).map((r) => r.id);

describe("order_by", () => {
  it("sorts ascending by default, by the field's type", () => {
    expect(order("name")).toEqual([3, 2, 5, 1, 4]); // UTF-16: "B" < "a"
    expect(order("name asc")).toEqual([3, 2, 5, 1, 4]);
    expect(order("size")).toEqual([2, 5, 1, 3, 4]); // numeric, unset last; ties keep input order
    expect(order("state")).toEqual([2, 4, 3, 1, 5]); // enums alphabetically
    expect(order("active")).toEqual([2, 5, 1, 4, 3]); // false < true
    expect(order("created")).toEqual([3, 5, 1, 2, 4]); // chronological across offsets
  });

  it("reverses for desc, putting unset first", () => {
    expect(order("size desc")).toEqual([4, 3, 1, 2, 5]);
    expect(order("name DESC")).toEqual([4, 1, 2, 5, 3]);
  });

  it("uses later keys to break ties", () => {
    expect(order("size,created")).toEqual([5, 2, 1, 3, 4]);
    expect(order("size asc, created desc")).toEqual([2, 5, 1, 3, 4]);
    expect(order("state,name desc")).toEqual([4, 2, 3, 1, 5]);
  });

  it("sorts an array-crossing key by its first set element", () => {
    const rows = [{ id: 1, licenses: [{}, { serial_number: "z" }] }, { id: 2, licenses: [{ serial_number: "m" }] }, { id: 3 }];
    expect(sortRecords(rows, parseOrderBy("licenses.serial_number", known), types).map((r) => r.id)).toEqual([2, 1, 3]);
  });

  it("does not modify its input and accepts an empty order", () => {
    const before = records.map((r) => r.id);
    order("name desc");
    expect(records.map((r) => r.id)).toEqual(before);
    expect(parseOrderBy("", known)).toEqual([]);
    expect(parseOrderBy(" name , ", known)).toEqual([{ field: "name", descending: false }]);
  });

  it("reads order_by or its alias $orderBy", () => {
    expect(orderByParam(new URLSearchParams("order_by=name%20desc"))).toBe("name desc");
    expect(orderByParam(new URLSearchParams("%24orderBy=name+desc"))).toBe("name desc");
    expect(orderByParam(new URLSearchParams("x=1"))).toBeUndefined();
  });

  function rejection(fn: () => unknown): OntapError {
    try {
      fn();
    } catch (e) {
      if (e instanceof OntapError) return e;
      throw e;
    }
    throw new Error("expected an OntapError");
  }

  it.each(["nosuch", "name,nosuch desc", "constructor"])("rejects unknown field %j with 400/262268", (text) => {
    expect(rejection(() => parseOrderBy(text, known))).toMatchObject({ httpStatus: 400, code: 262268, target: "order_by" });
  });

  it("rejects an object field when types are given", () => {
    expect(rejection(() => parseOrderBy("licenses", known, types))).toMatchObject({ code: 262268 });
  });

  it.each(["name up", "name asc desc"])("rejects malformed %j with 400/262185", (text) => {
    expect(rejection(() => parseOrderBy(text, known))).toMatchObject({ httpStatus: 400, code: 262185, target: "order_by" });
  });
});
