import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkFields, parseFields } from "./fields.ts";

const KNOWN = ["name", "scope", "state", "description", "entitlement", "entitlement.action", "entitlement.risk", "licenses", "licenses.owner", "licenses.serial_number", "licenses.active", "licenses.compliance", "licenses.compliance.state", "licenses.capacity", "licenses.capacity.maximum_size", "licenses.capacity.used_size"];

const FULL = {
  name: "nfs",
  scope: "node",
  state: "compliant",
  description: "NFS License",
  entitlement: { action: "none", risk: "low" },
  licenses: [
    { owner: "n1", serial_number: "1", active: true, compliance: { state: "compliant" }, capacity: { maximum_size: 10, used_size: 1 } },
    { owner: "n2", serial_number: "2", active: true, compliance: { state: "compliant" } },
  ],
  _links: { self: { href: "/api/cluster/licensing/licenses/nfs" } },
};
const unfiltered = [FULL];
const links = FULL._links;

function project(record: any, paths: string[]): any {
  // Minimal projection used to build correct answers in tests.
  const out: any = {};
  for (const p of paths) {
    const [head, ...rest] = p.split(".");
    if (!(head in record)) continue;
    const v = record[head];
    if (rest.length === 0) out[head] = v;
    else if (Array.isArray(v)) out[head] = v.map((e, i) => ({ ...(out[head]?.[i] ?? {}), ...project(e, [rest.join(".")]) }));
    else out[head] = { ...(out[head] ?? {}), ...project(v, [rest.join(".")]) };
  }
  return out;
}

describe("parseFields", () => {
  it("expands braces and separates exclusions", () => {
    expect(parseFields("name, licenses.{serial_number,compliance.state},!licenses.owner")).toEqual({ all: false, expensive: false, include: ["name", "licenses.serial_number", "licenses.compliance.state"], exclude: ["licenses.owner"] });
    expect(parseFields("a.{b.{c,d},e}").include).toEqual(["a.b.c", "a.b.d", "a.e"]);
    expect(parseFields("*,!b.c")).toEqual({ all: true, expensive: false, include: [], exclude: ["b.c"] });
    expect(parseFields("**").expensive).toBe(true);
    expect(parseFields("")).toEqual({ all: false, expensive: false, include: [], exclude: [] });
  });
  it("rejects mismatched braces", () => {
    expect(() => parseFields("a.{b,c")).toThrow();
    expect(() => parseFields("a.b}")).toThrow();
  });
});

describe("checkFields", () => {
  const base = { keys: ["name"], knownPaths: KNOWN, unfiltered };

  it("default collection fields: keys and _links only", () => {
    expect(checkFields({ ...base, requested: "", records: [{ name: "nfs", _links: links }] })).toEqual([]);
    const v = checkFields({ ...base, requested: "", records: [{ name: "nfs", state: "compliant", _links: links }] });
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule: "fields-extra", pointer: "/records/0/state" });
    expect(v[0].message).toBe("record name=nfs carries state although no fields= was sent (keys and _links only)");
  });

  it("an item GET without fields returns all standard fields", () => {
    expect(checkFields({ ...base, requested: "", allByDefault: true, records: [FULL] })).toEqual([]);
    expect(checkFields({ ...base, requested: "", allByDefault: true, records: [{ name: "nfs" }] }).map((v) => v.rule)).toContain("fields-missing");
  });

  it("named fields, nested paths and braces", () => {
    const ok = { name: "nfs", state: "compliant", licenses: [{ serial_number: "1" }, { serial_number: "2" }], _links: links };
    expect(checkFields({ ...base, requested: "state,licenses.serial_number", records: [ok] })).toEqual([]);
    expect(checkFields({ ...base, requested: "licenses.{serial_number,owner}", records: [project(FULL, ["name", "licenses.serial_number", "licenses.owner"])] })).toEqual([]);
    const missing = checkFields({ ...base, requested: "licenses.{serial_number,owner}", records: [project(FULL, ["name", "licenses.serial_number"])] });
    expect(missing.map((v) => v.rule)).toEqual(["fields-missing"]);
    expect(missing[0].message).toContain("lacks licenses.owner");
    const extra = checkFields({ ...base, requested: "licenses.serial_number", records: [project(FULL, ["name", "licenses.serial_number", "licenses.owner"])] });
    expect(extra.map((v) => v.rule)).toEqual(["fields-extra"]);
    expect(extra[0].message).toContain("licenses.owner");
  });

  it("naming an object returns it whole", () => {
    expect(checkFields({ ...base, requested: "licenses", records: [project(FULL, ["name", "licenses"])] })).toEqual([]);
    const partial = checkFields({ ...base, requested: "licenses", records: [project(FULL, ["name", "licenses.serial_number"])] });
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.every((v) => v.rule === "fields-missing")).toBe(true);
  });

  it("counts array elements: one element missing the leaf is reported", () => {
    const rec = { name: "nfs", licenses: [{ serial_number: "1" }, {}] };
    const v = checkFields({ ...base, requested: "licenses.serial_number", records: [rec] });
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("1 value(s) of licenses.serial_number where the full record has 2");
  });

  it("* and exclusions", () => {
    expect(checkFields({ ...base, requested: "*", records: [FULL] })).toEqual([]);
    const { description: _d, ...noDescription } = FULL;
    expect(checkFields({ ...base, requested: "*", records: [noDescription] }).map((v) => v.rule)).toEqual(["fields-missing"]);
    expect(checkFields({ ...base, requested: "*,!description", records: [noDescription] })).toEqual([]);
    const v = checkFields({ ...base, requested: "*,!description", records: [FULL] });
    expect(v.map((x) => x.rule)).toEqual(["fields-excluded"]);
    expect(checkFields({ ...base, requested: "licenses,!licenses.capacity", records: [project(FULL, ["name", "licenses.owner", "licenses.serial_number", "licenses.active", "licenses.compliance"])] })).toEqual([]);
  });

  it("** skips the nothing-extra rule but not exclusions", () => {
    const withExpensive = { ...FULL, expensive_metric: 42 };
    expect(checkFields({ ...base, knownPaths: [], requested: "**", records: [withExpensive] })).toEqual([]);
    expect(checkFields({ ...base, knownPaths: [], requested: "*", records: [withExpensive] })).toEqual([]); // no knownPaths: everything is standard
    expect(checkFields({ ...base, requested: "*", records: [withExpensive] }).map((v) => v.rule)).toEqual(["fields-extra"]);
    expect(checkFields({ ...base, knownPaths: [], requested: "**,!description", records: [withExpensive] }).map((v) => v.rule)).toEqual(["fields-excluded"]);
  });

  it("keys are always required and always allowed", () => {
    expect(checkFields({ ...base, requested: "state", records: [{ state: "compliant" }] }).map((v) => v.rule)).toContain("fields-missing");
    const hist = { node: { name: "n1", _links: { self: { href: "/x" } } }, start_time: "t", state: "successful" };
    expect(checkFields({ keys: ["node.name", "start_time"], knownPaths: [], requested: "state", records: [hist] })).toEqual([]);
  });

  it("without unfiltered copies only the nothing-extra half is judged", () => {
    expect(checkFields({ keys: ["name"], knownPaths: KNOWN, requested: "state", records: [{ name: "nfs" }] })).toEqual([]);
  });

  it("accepts unfiltered copies as a map", () => {
    const map = new Map([["nfs", FULL]]);
    expect(checkFields({ keys: ["name"], knownPaths: KNOWN, unfiltered: map, requested: "state", records: [{ name: "nfs" }] }).map((v) => v.rule)).toEqual(["fields-missing"]);
    expect(checkFields({ keys: ["name"], knownPaths: KNOWN, unfiltered: { nfs: FULL }, requested: "state", records: [{ name: "nfs", state: "x" }] })).toEqual([]);
  });

  it("oracle-cannot-parse on mismatched braces or an undocumented name", () => {
    expect(checkFields({ ...base, requested: "licenses.{owner", records: [] })[0].rule).toBe("oracle-cannot-parse");
    expect(checkFields({ ...base, requested: "bogus", records: [] })[0].rule).toBe("oracle-cannot-parse");
  });

  it("property: the projection of the full record on any requested subset is conformant, and dropping a requested leaf is not", () => {
    const leaves = ["scope", "state", "description", "entitlement.action", "licenses.owner", "licenses.serial_number", "licenses.compliance.state"];
    fc.assert(
      fc.property(fc.subarray(leaves, { minLength: 1 }), fc.nat(), (requested, pick) => {
        const record = { ...project(FULL, ["name", ...requested]), _links: links };
        expect(checkFields({ ...base, requested: requested.join(","), records: [record] })).toEqual([]);
        const drop = requested[pick % requested.length];
        const fewer = { ...project(FULL, ["name", ...requested.filter((p) => p !== drop)]), _links: links };
        expect(checkFields({ ...base, requested: requested.join(","), records: [fewer] }).some((v) => v.rule === "fields-missing")).toBe(true);
      }),
    );
  });
});
