// spec/ontap.yaml, release by release, is NetApp's definition: every field,
// enum value, query parameter, status and error code of NetApp's definition
// of a release is in the spec for that release (version gates applied), and
// nothing in the spec for a release is absent from NetApp's definition of it,
// unless spec/departures.yaml names the source that shows a real cluster
// does it. The definitions come from spec/sources/netapp-definitions.json
// (scripts/extract-netapp-definitions.mts, from a local copy of NetApp/trident).
import { describe, expect, it } from "vitest";
import { bodyFor, errorCodesFor, getOperation, validateRequestBody } from "../../src/contract/index.ts";
import {
  checkpoints, checkSource, compareCheckpoint, departureMatches, describeDiff, firstRelease, loadDepartures, loadTable,
  specFields, type CheckpointResult, type Departure, type Diff,
} from "../support/netapp-compare.ts";

const table = loadTable();
const departures = loadDepartures();
const results: CheckpointResult[] = checkpoints(table).map(({ checkpoint, def }) => compareCheckpoint(checkpoint, def));

describe("NetApp's definitions table", () => {
  it("holds the releases of spec/sources/ontap-reference.md §0, oldest first, each standing for the releases up to the next", () => {
    expect(table.map((r) => r.release)).toEqual(["9.7", "9.9", "9.10.1", "9.11.1", "9.12.1", "9.16.1", "9.17.1", "9.19.1"]);
    for (const [i, r] of table.entries()) {
      expect(r.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(r.covers).toEqual({ from: r.release, before: table[i + 1]?.release ?? null });
      expect(Object.keys(r.operations).length, r.release).toBeGreaterThanOrEqual(18);
    }
    // What a go-swagger binding cannot state is marked as such, not read as "absent".
    expect(table[0].states).toEqual({ paramEnums: true, paramBounds: true, bodyRequired: true, objectReadOnly: true });
    for (const r of table.slice(1)) expect(r.states.paramEnums, r.release).toBe(false);
  });

  it("compares every release a definition exists for, and the first release of every gate the spec uses", () => {
    const cps = results.map((r) => r.checkpoint);
    for (const r of table) expect(cps).toContain(firstRelease(r.release));
    expect(cps).toContain("9.8.0"); // upload, stabilize_minutes, 200/201 of the async operations
    expect(cps).toContain("9.18.1"); // the capacity unit of licenses
    expect(results.find((r) => r.checkpoint === "9.18.1")!.definition).toBe("9.17.1");
    expect(firstRelease("9.13")).toBe("9.13.1");
    expect(firstRelease("9.8")).toBe("9.8.0");
  });
});

describe("spec/ontap.yaml against NetApp's definition of each release", () => {
  const unexplained = (r: CheckpointResult): Diff[] => r.diffs.filter((d) => !departures.some((dep) => departureMatches(dep, d)));

  it("prints the coverage per release", () => {
    const lines = results.map((r) => {
      const explained = r.diffs.length - unexplained(r).length;
      return `  ${r.checkpoint.padEnd(7)} (definition ${r.definition.padEnd(6)}): ${((100 * r.covered) / r.items).toFixed(1)}% of ${r.items} items of NetApp's definition in the spec; ${explained} sourced departures`;
    });
    const items = results.reduce((n, r) => n + r.items, 0), covered = results.reduce((n, r) => n + r.covered, 0);
    console.log(`NetApp's definitions vs spec/ontap.yaml (fields, enum values, parameters, statuses, error codes):\n${lines.join("\n")}\n  overall: ${covered}/${items} = ${((100 * covered) / items).toFixed(1)}%; not modelled: ${[...new Set(results.flatMap((r) => r.unmodelled))].join(", ")}`);
    expect(items).toBeGreaterThan(10_000);
  });

  for (const r of results) {
    it(`${r.checkpoint} (NetApp's ${r.definition} definition): every difference is a sourced departure`, () => {
      // Whatever of NetApp's definition the spec lacks is a "missing" difference, so it is sourced too.
      expect(unexplained(r).map(describeDiff)).toEqual([]);
    });
  }

  it("every departure matches a difference and its source says what it quotes", () => {
    const all = results.flatMap((r) => r.diffs);
    const stale = departures.filter((dep) => !all.some((d) => departureMatches(dep, d))).map((dep) => `${dep.operation} ${dep.kind} ${dep.item} ${dep.direction}`);
    expect(stale).toEqual([]);
    const broken = departures.map((dep) => [dep, checkSource(dep)] as const).filter(([, why]) => why).map(([dep, why]) => `${dep.operation} ${dep.item}: ${why}`);
    expect(broken).toEqual([]);
    for (const dep of departures) expect(dep.why, `${dep.operation} ${dep.item}`).toBeTruthy();
  });
});

describe("the comparison can fail", () => {
  const def = table.find((r) => r.release === "9.19.1")!;

  it("sees a field, an enum value, a parameter, a status and an error code the spec lacks or invents", () => {
    const broken = structuredClone(def);
    const op = broken.operations["GET /cluster/licensing/licenses"];
    broken.schemas[op.responses["200"]!]["records.bogus_field"] = { type: "string" };
    broken.schemas[op.responses["200"]!]["records.state"].enum!.push("bogus_state");
    op.params = op.params.filter((p) => p.name !== "licenses.owner");
    broken.operations["PATCH /cluster/software"].responses["203"] = null;
    broken.operations["PATCH /cluster/software"].errorCodes!.push("99999999");
    const diffs = compareCheckpoint("9.19.1", broken).diffs.map((d) => `${d.operation} ${d.kind} ${d.item} ${d.direction}`);
    expect(diffs).toEqual(expect.arrayContaining([
      "GET /cluster/licensing/licenses field records.bogus_field missing",
      "GET /cluster/licensing/licenses field-enum records.state=bogus_state missing",
      "GET /cluster/licensing/licenses param licenses.owner invented",
      "PATCH /cluster/software status 203 missing",
      "PATCH /cluster/software error-code 99999999 missing",
    ]));
  });

  it("sees a wrong type, a readOnly flag and a filter whose field type differs from NetApp's", () => {
    const broken = structuredClone(def);
    const schema = broken.schemas[broken.operations["GET /cluster/jobs/{uuid}"].responses["200"]!];
    schema.code.type = "string";
    delete schema.state.readOnly;
    broken.operations["GET /cluster/licensing/licenses"].params.find((p) => p.name === "licenses.active")!.type = "string";
    const diffs = compareCheckpoint("9.19.1", broken).diffs.map((d) => `${d.operation} ${d.kind} ${d.item} ${d.direction}`);
    expect(diffs).toEqual(expect.arrayContaining([
      "GET /cluster/jobs/{uuid} field-type code differs",
      "GET /cluster/jobs/{uuid} field-readOnly state invented",
      "GET /cluster/licensing/licenses param-type licenses.active differs",
    ]));
  });

  it("a departure applies only where it says, and a source must say what the entry quotes", () => {
    const diff: Diff = { checkpoint: "9.8.0", definition: "9.7", operation: "PATCH /cluster/software", kind: "status", item: "200", direction: "invented", detail: "" };
    const dep = departures.find((d) => d.kind === "status" && d.operation === "PATCH /cluster/software")!;
    expect(departureMatches(dep, diff)).toBe(true);
    expect(departureMatches(dep, { ...diff, checkpoint: "9.7.0" })).toBe(false);
    expect(departureMatches(dep, { ...diff, direction: "missing" })).toBe(false);
    const wrong: Departure = { ...dep, source: { ...dep.source, text: "a sentence the page does not have" } };
    expect(checkSource(wrong)).toMatch(/does not say/);
    expect(checkSource({ ...dep, source: { file: "README.md", text: "x" } })).toMatch(/not under spec\/sources/);
  });
});

describe("the discovery schema (issue 17 item 7)", () => {
  it("the discovery records carry what NetApp's definitions give the fields clients read", () => {
    expect(specFields("cluster", "9.19.1")).toMatchObject({
      uuid: { type: "string", format: "uuid", readOnly: true },
      "version.full": { type: "string", readOnly: true },
      "version.generation": { type: "integer", readOnly: true },
    });
    expect(Object.keys(specFields("cluster_node", "9.7"))).toEqual(expect.arrayContaining(["name", "uuid", "serial_number", "version.minor", "ha.partners.uuid"]));
  });
});

describe("a request body some releases take (the query DELETE's records[], 9.16.1 on)", () => {
  it("is refused before the release that takes it and checked from it", () => {
    const body = { records: [{ keys: ["x"] }] };
    expect(validateRequestBody("license_delete_collection", body, { ontapVersion: "9.12.1" }).errors.map((e) => e.message)).toEqual(["license_delete_collection takes no request body on ONTAP 9.12.1 (it takes one from 9.16.1)"]);
    expect(validateRequestBody("license_delete_collection", body, { ontapVersion: "9.16.1" }).ok).toBe(true);
    expect(validateRequestBody("license_delete_collection", { records: "all" }, { ontapVersion: "9.16.1" }).ok).toBe(false);
    expect(bodyFor(getOperation("license_delete_collection"), "9.12.1")).toBeUndefined();
  });
});

describe("error codes per release", () => {
  it("errorCodesFor gives the codes the release's definition lists", () => {
    const modify = getOperation("software_modify");
    expect(Object.keys(errorCodesFor(modify, "9.12.1"))).not.toContain("10551899");
    expect(Object.keys(errorCodesFor(modify, "9.16.1"))).toEqual(expect.arrayContaining(["10551899", "13303864", "10551357"]));
    expect(Object.keys(errorCodesFor(getOperation("license_create"), "9.19.1"))).not.toContain("66846818");
    expect(Object.keys(errorCodesFor(getOperation("license_create"), "9.7"))).toContain("66846818");
    expect(Object.keys(errorCodesFor(modify))).toHaveLength(Object.keys(modify.errorCodes).length);
  });
});
