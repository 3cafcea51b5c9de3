import { describe, expect, it } from "vitest";
import { OntapError } from "../errors.ts";
import { parseFields, project } from "./fields.ts";

const known = [
  "name", "scope", "state", "description", "entitlement", "entitlement.action", "entitlement.risk",
  "licenses", "licenses.serial_number", "licenses.owner", "licenses.compliance", "licenses.compliance.state",
  "licenses.capacity", "licenses.capacity.maximum_size", "licenses.capacity.used_size",
];

const record = {
  name: "fabricpool",
  scope: "cluster",
  state: "compliant",
  description: "FabricPool License",
  entitlement: { action: "none", risk: "low" },
  licenses: [
    { serial_number: "4-1", owner: "c1", compliance: { state: "compliant" }, capacity: { maximum_size: 10, used_size: 1 } },
    { serial_number: "4-2", owner: "c1", compliance: { state: "compliant" }, capacity: { maximum_size: 20, used_size: 2 } },
    { owner: "node1" },
  ],
  _links: { self: { href: "/api/cluster/licensing/licenses/fabricpool" } },
};

const show = (fields: string | undefined, expensive?: string[]) => project(record, parseFields(fields, known), { keys: ["name"], expensive });

function rejection(fn: () => unknown): OntapError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OntapError) return e;
    throw e;
  }
  throw new Error("expected an OntapError");
}

describe("fields", () => {
  it("defaults to the keys and _links, for absent and empty text", () => {
    const expected = { name: "fabricpool", _links: record._links };
    expect(show(undefined)).toEqual(expected);
    expect(show("")).toEqual(expected);
    expect(show("  ")).toEqual(expected);
  });

  it("returns everything standard for * and also the expensive for **", () => {
    const { description, ...standard } = record;
    expect(show("*", ["description"])).toEqual(standard);
    expect(show("**", ["description"])).toEqual(record);
    expect(show("*,description", ["description"])).toEqual({ ...standard, description });
    expect(show("*")).toEqual(record);
  });

  it("adds named fields to the keys and _links", () => {
    expect(show("state,scope")).toEqual({ name: "fabricpool", state: "compliant", scope: "cluster", _links: record._links });
    expect(show("state, scope")).toEqual(show("state,scope"));
    expect(show("entitlement")).toEqual({ name: "fabricpool", entitlement: record.entitlement, _links: record._links });
    expect(show("licenses")).toMatchObject({ licenses: record.licenses });
  });

  it("keeps only the named leaves in array elements", () => {
    expect(show("licenses.serial_number")).toEqual({
      name: "fabricpool",
      licenses: [{ serial_number: "4-1" }, { serial_number: "4-2" }, {}],
      _links: record._links,
    });
    expect(show("licenses.capacity.maximum_size").licenses).toEqual([{ capacity: { maximum_size: 10 } }, { capacity: { maximum_size: 20 } }, {}]);
    expect(show("entitlement.risk")).toMatchObject({ entitlement: { risk: "low" } });
  });

  it("expands braces", () => {
    expect(show("licenses.{serial_number,owner}")).toEqual(show("licenses.serial_number,licenses.owner"));
    expect(show("licenses.{capacity.{maximum_size,used_size},owner}").licenses[0]).toEqual({ owner: "c1", capacity: { maximum_size: 10, used_size: 1 } });
    expect(show("{state,scope}")).toEqual(show("state,scope"));
    expect(show("*,!licenses.{owner,capacity}").licenses).toEqual([
      { serial_number: "4-1", compliance: { state: "compliant" } },
      { serial_number: "4-2", compliance: { state: "compliant" } },
      {},
    ]);
  });

  it("excludes with !", () => {
    const { entitlement, ...rest } = record;
    expect(show("*,!entitlement")).toEqual(rest);
    expect(show("entitlement,!entitlement.action")).toEqual({ name: "fabricpool", entitlement: { risk: entitlement.risk }, _links: record._links });
    expect(show("*,!licenses.serial_number").licenses[0]).toEqual({ owner: "c1", compliance: { state: "compliant" }, capacity: { maximum_size: 10, used_size: 1 } });
    // Choices: exclusions alone start from *, and keys and _links are never excluded.
    expect(show("!entitlement")).toEqual(rest);
    expect(show("*,!name,!_links")).toEqual(record);
  });

  it("never modifies the record", () => {
    const before = structuredClone(record);
    show("*,!licenses.serial_number,!entitlement.risk");
    show("licenses.capacity.maximum_size");
    expect(record).toEqual(before);
  });

  it("accepts _links paths", () => {
    expect(show("_links.self")).toEqual({ name: "fabricpool", _links: record._links });
  });

  it.each(["nosuch", "licenses.nosuch", "name,x", "!nosuch", "licenses.{x}", "**x", "!*"])("rejects unknown %j with 400/262197", (text) => {
    expect(rejection(() => parseFields(text, known))).toMatchObject({ httpStatus: 400, code: 262197, target: "fields" });
  });

  it("names the unknown field in ONTAP's wording", () => {
    expect(rejection(() => parseFields("name,bogus", known)).message).toBe('The value "bogus" is invalid for field "fields"');
  });

  it("drops unknown names with ignore_unknown_fields=true, keeping the known ones (ref §5.2)", () => {
    expect(parseFields("name,bogus,!nosuch,licenses.{owner,x}", known, { ignoreUnknown: true })).toEqual(parseFields("name,licenses.owner", known));
    expect(rejection(() => parseFields("licenses.{owner", known, { ignoreUnknown: true }))).toMatchObject({ code: 262286 });
  });

  it.each(["licenses.{owner", "licenses.owner}", "{{name}", "a.{b,{c}", "}"])("rejects mismatched braces %j with 400/262286", (text) => {
    expect(rejection(() => parseFields(text, known))).toMatchObject({ httpStatus: 400, code: 262286, target: "fields" });
  });
});
