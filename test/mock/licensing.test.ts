// Licensing in the reference mock, through HTTP: key formats, install and
// delete semantics with their documented codes, and package state.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson, makeTestKey, nlfSignature } from "../../mock/licensing/grants.ts";
import { CATALOG } from "../../mock/scenarios/licensing-data.ts";
import { advance, codeOf, mockApi, type Api } from "../support/mock-client.ts";

const LIC = "/api/cluster/licensing/licenses";
const NODE1 = "4149027492";
let api: Api;
beforeEach(async () => { api = await mockApi(); });
afterEach(async () => { await api.close(); });

const idx = (name: string) => CATALOG.findIndex((c) => c.name === name);
const post = (keys: unknown[], query?: Record<string, string>) => api.call("POST", LIC, { body: { keys }, query });
function nlf(statusResp: Record<string, unknown>, signature?: string): string {
  return JSON.stringify({ statusResp, Signature: signature ?? nlfSignature(statusResp) });
}
const v1 = (over: Record<string, unknown> = {}) => ({ version: "1", serialNumber: "4149027342", message: "Success", product: "flexcache", snStatus: "Active", statusCode: "S007", licenses: { package: "FlexCache", licenseScope: "cluster", capacity: "1", type: "capacity" }, ...over });
const v2 = (over: Record<string, unknown> = {}) => ({ version: "2", serialNumber: NODE1, message: "Success", product: "Test Bundle", snStatus: "Active", statusCode: "S007", licenses: { package: ["snapmirror", "snapvault"], licenseScope: "node", HostID: NODE1 }, ...over });

async function state(name: string) {
  return (await api.get(`${LIC}/${name}`, { fields: "*" })).body;
}

describe("install", () => {
  it("the docs' example keys install on the docs scenario (28 A's, NLFv1 with SignatureABC)", async () => {
    const r = await post(["AAAAAAAAAAAAAAAAAAAAAAAAAAAA"]);
    expect(r.status).toBe(201);
    expect(r.headers.location).toBe(`${LIC}/snaprestore`);
    const doc = `{ "statusResp": { "snStatus": "Active", "licenses": { "package": "FabricPool", "capacity": "1", "licenseProtocol": "FABRICPOOL-TB", "type": "capacity", "licenseScope": "cluster"}, "message": "Success", "statusCode": "S007", "version": "1", "product": "fabricpool", "serialNumber": "4149027343"}, "Signature": "SignatureABC"}`;
    expect((await post([doc])).status).toBe(201);
  });

  it("a documented test key installs exactly its package, and return_records returns it", async () => {
    const r = await post([makeTestKey(idx("snaplock"), NODE1)], { return_records: "true" });
    expect(r.status).toBe(201);
    expect(r.body.records.map((p: any) => p.name)).toEqual(["snaplock"]);
    const pkg = await state("snaplock");
    expect(pkg.licenses).toHaveLength(1);
    expect(pkg.licenses[0]).toMatchObject({ owner: "node1", serial_number: NODE1 });
    // Node scope with one of two nodes licensed: noncompliant.
    expect(pkg.state).toBe("noncompliant");
    expect((await post([makeTestKey(idx("snaplock"), "4149027493")])).status).toBe(201);
    expect((await state("snaplock")).state).toBe("compliant");
  });

  it("NLFv1 and NLFv2 (bundle sets installed_license) install with a valid test signature", async () => {
    expect((await post([nlf(v1())])).status).toBe(201);
    expect((await state("flexcache")).licenses[0].capacity.maximum_size).toBe(2 ** 40);
    expect((await post([nlf(v2())])).status).toBe(201);
    for (const p of ["snapmirror", "snapvault"]) expect((await state(p)).licenses[0].installed_license).toBe("Test Bundle");
  });

  it("rejects each way to be wrong with its documented code in errors[], installing nothing", async () => {
    const before = JSON.stringify(api.mock.state().licensing.snapshot());
    const cases: Array<[unknown, string]> = [
      ["AMEPOSOIKLKGEEDGNDEKSJDEEE", "1115159"], // the docs' 26-character sample
      ["B".repeat(30), "1115159"],
      ["A".repeat(27), "1115159"],
      ["abcdefghijklmnopqrstuvwxyzab", "1115159"],
      ["QWERTYUIOPASDFGHJKLZXCVBNMQW", "655294465"],
      [makeTestKey(idx("snaplock"), NODE1).slice(0, 27) + "A", "655294465"],
      [makeTestKey(idx("snaplock"), "999"), "1115134"],
      [makeTestKey(675, NODE1), "655294470"],
      ['{"statusResp": {', "1115159"],
      [nlf(v1(), "bad-signature"), "1115142"],
      [nlf(v1(), ""), "1115142"],
      [nlf(v1({ version: "3" })), "655294467"],
      [JSON.stringify({ Signature: "x" }), "1115141"],
      [nlf(v1({ licenses: { package: ["FlexCache"], licenseScope: "cluster" } })), "1115141"],
      [nlf(v2({ licenses: { package: "nfs", licenseScope: "node" } })), "1115141"],
      [nlf(v2({ licenses: { package: ["nfs", "nfs"], licenseScope: "node" } })), "1115141"],
      [nlf(v1({ licenses: { package: "FlexCache", licenseScope: "cluster", endDate: "2020-01-01" } })), "1115160"],
      [nlf(v2({ serialNumber: "123" })), "1115134"],
      [nlf(v1({ serialNumber: "" })), "655294466"],
      [nlf(v1({ licenses: { package: "Bogus", licenseScope: "cluster" } })), "655294470"],
      [nlf(v2({ product: "" })), "1115565"],
      [nlf(v1({ licenses: { package: "FlexCache", licenseScope: "cluster", platform: "StorageGRID" } })), "1115152"],
      [42, "262197"], // not a string: the body schema rejects it first
    ];
    for (const [key, code] of cases) {
      const r = await post([key]);
      expect(r.status, `${String(key).slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      expect(r.body.errors.map((e: any) => e.code), String(key).slice(0, 60)).toEqual([code]);
    }
    expect(JSON.stringify(api.mock.state().licensing.snapshot())).toBe(before);
  });

  it("no keys is 1115130; an installed key again is 1115132", async () => {
    expect(codeOf(await post([]))).toBe("1115130");
    expect(codeOf(await api.call("POST", LIC, { body: {} }))).toBe("1115130");
    expect(codeOf(await post([""]))).toBe("1115130");
    const key = makeTestKey(idx("snaplock"), NODE1);
    expect((await post([key])).status).toBe(201);
    const again = await post([key]);
    expect(again.status).toBe(409);
    expect(codeOf(again)).toBe("1115132");
  });

  it("an NLFv2 package already licensed by another bundle on the node is a conflict (1115617)", async () => {
    const r = await post([nlf(v2({ product: "Other Bundle", licenses: { package: ["iscsi"], licenseScope: "node" } }))]);
    expect(r.status).toBe(409);
    expect(codeOf(r)).toBe("1115617");
  });

  it("a batch installs the good keys and reports each bad one by index", async () => {
    const r = await post([makeTestKey(idx("snaplock"), NODE1), "BAD", makeTestKey(idx("flexcache"), NODE1), nlf(v1(), "x")]);
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: any) => e.code)).toEqual(["1115159", "1115142"]);
    expect(r.body.errors[0].message).toMatch(/at index 1/);
    expect(r.body.errors[1].message).toMatch(/at index 3/);
    expect((await state("snaplock")).licenses).toHaveLength(1);
    expect((await state("flexcache")).licenses).toHaveLength(1);
  });
});

describe("delete", () => {
  it("deletes by name and serial (a query; * for all); serial_number is required", async () => {
    expect(codeOf(await api.call("DELETE", `${LIC}/nfs`))).toBe("262212");
    expect((await api.call("DELETE", `${LIC}/nfs`, { query: { serial_number: "1-81-0000000000000004149027493" } })).status).toBe(200);
    expect((await state("nfs")).licenses).toHaveLength(1);
    expect((await api.call("DELETE", `${LIC}/cifs`, { query: { serial_number: "*" } })).status).toBe(200);
    expect((await state("cifs")).state).toBe("unlicensed");
  });

  it("a package without such a license is 404 \"entry doesn't exist\"; a bundle member is 1115564", async () => {
    const missing = await api.call("DELETE", `${LIC}/flexcache`, { query: { serial_number: "*" } });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ code: "4", message: "entry doesn't exist" });
    const before = JSON.stringify(api.mock.state().licensing.snapshot());
    expect(codeOf(await api.call("DELETE", `${LIC}/iscsi`, { query: { serial_number: "4212426890" } }))).toBe("1115564");
    expect(JSON.stringify(api.mock.state().licensing.snapshot())).toBe(before);
  });

  it("deletes a whole NLFv2 bundle by query, as the docs' example does", async () => {
    const r = await api.call("DELETE", LIC, { query: { "licenses.installed_license": "Core*Bundle", serial_number: "4212426890", state: "*" } });
    expect(r.status).toBe(200);
    expect(r.body.num_records).toBe(12);
    expect((await api.get(LIC, { "licenses.installed_license": "Core*Bundle" })).body.num_records).toBe(0);
    expect((await state("nfs")).state).toBe("compliant");
  });
});

describe("package state", () => {
  it("derives noncompliant from expiry and capacity, unknown from an offline node, and hides unlicensed packages", async () => {
    expect((await state("cloud")).state).toBe("noncompliant");
    expect((await api.get(LIC)).body.records.map((p: any) => p.name)).not.toContain("flexcache");
    expect((await api.get(LIC, { state: "unlicensed" })).body.records.map((p: any) => p.name)).toContain("flexcache");
    const exp = nlf(v1({ licenses: { package: "FlexCache", licenseScope: "cluster", endDate: "2026-06-02T00:00:00Z" } }));
    expect((await post([exp])).status).toBe(201);
    expect((await state("flexcache")).state).toBe("compliant");
    advance(api, 2 * 86_400_000);
    expect((await state("flexcache")).state).toBe("noncompliant");
    api.mock.state().licensing.setUsedSize("fabricpool", "4149027342", 2 ** 41);
    const fp = await state("fabricpool");
    expect(fp.state).toBe("noncompliant");
    expect(fp.licenses[0].compliance.state).toBe("noncompliant");
    api.mock.state().cluster.nodes[1].online = false;
    expect((await state("nfs")).state).toBe("unknown");
    expect((await state("nfs")).entitlement).toEqual({ action: "verify_system_health", risk: "unknown" });
  });

  it("canonical JSON for test signatures sorts keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: "x" } })).toBe('{"a":{"c":"x","d":[1,{"e":2,"f":1}]},"b":1}');
  });
});
