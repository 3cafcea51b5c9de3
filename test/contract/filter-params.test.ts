// Filters as other OpenAPI tools read them (issue 17 item 7): a filter's value
// is an ONTAP query expression, so the spec types every filter parameter as a
// string; the type it compares by comes from the record schema (fieldSchema).
// A generic validator (Ajv, as Prism and the other OpenAPI validators use it
// on query parameters) must accept every expression the suite sends.
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getOperation, operations, valueSchema } from "../../src/contract/index.ts";
import { expressionArb, filterFieldsFor } from "../../generators/filters.ts";

const ajv = new Ajv2020({ strict: false });

describe("filter parameters", () => {
  it("are typed as ONTAP query-language strings; the field's type is derived from the record schema", () => {
    const filters = operations().flatMap((op) => op.params.filter((p) => p.filter).map((p) => ({ op, p })));
    expect(filters.length).toBeGreaterThan(50);
    for (const { op, p } of filters) {
      expect(p.schema, `${op.id} ${p.name}`).toEqual({ type: "string" });
      expect(p.fieldSchema, `${op.id} ${p.name}`).toBeDefined();
      expect(valueSchema(p)).toBe(p.fieldSchema);
    }
    const field = (op: string, name: string) => getOperation(op).params.find((p) => p.name === name && p.filter)!.fieldSchema;
    expect(field("licenses_get", "licenses.active").type).toBe("boolean");
    expect(field("licenses_get", "licenses.capacity.used_size").type).toBe("integer");
    expect(field("licenses_get", "licenses.start_time").format).toBe("date-time");
    expect(field("licenses_get", "state").enum).toEqual(["compliant", "noncompliant", "unlicensed", "unknown"]);
    // A DELETE by query filters the records of its path's GET.
    expect(field("license_delete_collection", "scope").enum).toEqual(["not_available", "site", "cluster", "node"]);
    expect(field("license_delete", "serial_number").type).toBe("string");
  });

  it("the spec's own schemas accept the queries of the issue and every expression the generators write", () => {
    const accepts = (op: string, name: string, value: string) => ajv.validate(getOperation(op).params.find((p) => p.name === name && p.in === "query")!.schema, value);
    expect(accepts("licenses_get", "state", "*")).toBe(true);
    expect(accepts("licenses_get", "licenses.active", "false,false")).toBe(true);
    expect(accepts("licenses_get", "licenses.capacity.used_size", ">100")).toBe(true);
    for (const op of operations().filter((o) => o.collection)) {
      for (const f of filterFieldsFor(op.id)) {
        for (const g of fc.sample(expressionArb(f, []), { numRuns: 30, seed: 7 })) {
          expect(accepts(op.id, g.param, g.expression), `${op.id} ${g.param}=${g.expression}`).toBe(true);
        }
      }
    }
  });
});
