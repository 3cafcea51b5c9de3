// Each validator catches what it claims to catch, and accepts what it must.
import { describe, expect, it } from "vitest";
import { validateQuery, validateRequestBody, validateResponse, filterTypes, existsIn, compareVersions, parseVersion, frameworkParams } from "../../src/contract/index.ts";

const pkg = (over: Record<string, unknown> = {}) => ({
  name: "nfs",
  scope: "node",
  state: "compliant",
  licenses: [{ owner: "node1", serial_number: "1-81-0000000000000004149027492", compliance: { state: "compliant" } }],
  _links: { self: { href: "/api/cluster/licensing/licenses/nfs" } },
  ...over,
});

describe("validateResponse", () => {
  it("accepts a conformant collection", () => {
    const r = validateResponse("licenses_get", 200, { records: [pkg()], num_records: 1, _links: { self: { href: "/api/cluster/licensing/licenses" } } });
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("catches a wrong type with pointer and sentence", () => {
    const r = validateResponse("licenses_get", 200, { records: [pkg({ name: 42 })], num_records: 1 });
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatchObject({ pointer: "/records/0/name", keyword: "type", message: "records/0/name: 42 is not of type string" });
  });

  it("catches a wrong enum value", () => {
    const r = validateResponse("licenses_get", 200, { records: [pkg({ state: "Compliant" })], num_records: 1 });
    expect(r.errors.map((e) => e.message)).toEqual(['records/0/state: "Compliant" is not one of compliant, noncompliant, unlicensed, unknown']);
    expect(r.errors[0].schemaPath).toContain("license_state");
  });

  it("catches a missing required property", () => {
    const r = validateResponse("license_get", 404, { error: { message: "entry doesn't exist" } });
    expect(r.errors.map((e) => e.message)).toEqual(['error: required property "code" is missing']);
    const job = validateResponse("software_modify", 202, {});
    expect(job.errors.map((e) => e.keyword)).toEqual(["required"]);
  });

  it("catches a wrong format; the docs' own date style is a named quirk (warning unless strict)", () => {
    const r = validateResponse("software_packages_collection_get", 200, { records: [{ version: "9.7.0", create_time: "yesterday" }], num_records: 1 });
    expect(r.errors[0]).toMatchObject({ keyword: "format", pointer: "/records/0/create_time" });
    const docsStyle = { records: [{ version: "9.7.0", create_time: "2019-02-02 19:00:00 +0000" }], num_records: 1 };
    const lenient = validateResponse("software_packages_collection_get", 200, docsStyle);
    expect(lenient.ok).toBe(true);
    expect(lenient.warnings[0]).toMatchObject({ quirk: "date-time-space-separated", keyword: "format" });
    const strict = validateResponse("software_packages_collection_get", 200, docsStyle, { strict: true });
    expect(strict.errors[0]).toMatchObject({ quirk: "date-time-space-separated", severity: "error" });
  });

  it("catches a wrong status, depending on the target version", () => {
    expect(validateResponse("software_modify", 200, { job: { uuid: "1cd8a442-86d1-11e0-ae1c-123478563412" } }, { ontapVersion: "9.7" }).errors[0]).toMatchObject({ rule: "status" });
    expect(validateResponse("software_modify", 200, { job: { uuid: "1cd8a442-86d1-11e0-ae1c-123478563412" } }, { ontapVersion: "9.10.1" }).ok).toBe(true);
    expect(validateResponse("license_create", 200, { num_records: 0 }).errors[0].message).toMatch(/status 200 is not documented for license_create; documented: 201/);
    expect(validateResponse("license_get", 302, undefined).ok).toBe(false);
  });

  it("checks error envelopes: plural for license POST, string code, code vs HTTP status", () => {
    expect(validateResponse("license_create", 400, { errors: [{ code: "1115159", message: "bad" }] }).ok).toBe(true);
    // The singular envelope: the sources disagree (quirk license-post-error-singular), a warning unless strict.
    const singular = validateResponse("license_create", 400, { error: { code: "1115159", message: "bad" } });
    expect(singular.ok).toBe(true);
    expect(singular.warnings.map((w) => w.quirk)).toEqual(["license-post-error-singular"]);
    expect(validateResponse("license_create", 400, { error: { code: "1115159", message: "bad" } }, { strict: true }).errors.map((e) => e.quirk)).toEqual(["license-post-error-singular"]);
    expect(validateResponse("license_create", 400, { error: { code: 1115159, message: "bad" } }).errors[0].keyword).toBe("type");
    expect(validateResponse("license_create", 400, { error: { code: "999999", message: "bad" } }, { strict: true }).errors.map((e) => e.rule)).toEqual(["envelope", "error-code"]);
    expect(validateResponse("license_get", 404, { error: { code: 4, message: "entry doesn't exist" } }).errors[0].keyword).toBe("type");
    expect(validateResponse("license_get", 400, { error: { code: "4", message: "entry doesn't exist" } }).errors[0].rule).toBe("error-status");
    const undocumented = validateResponse("license_get", 400, { error: { code: "999999", message: "?" } });
    expect(undocumented.ok).toBe(true);
    expect(undocumented.warnings[0].rule).toBe("error-code");
    expect(validateResponse("license_get", 400, { error: { code: "999999", message: "?" } }, { strict: true }).ok).toBe(false);
  });

  it("accepts a version-specific field name only for that version", () => {
    const body = (field: string) => ({ nodes: [{ name: "node1", version: "9.16.1", firmware: { sp_bmc: { [field]: true } } }] });
    const strict = { strict: true } as const;
    expect(validateResponse("software_get", 200, body("autoupdte"), { ontapVersion: "9.12.1", ...strict }).ok).toBe(true);
    expect(validateResponse("software_get", 200, body("autoupdate"), { ontapVersion: "9.12.1", ...strict }).ok).toBe(false);
    expect(validateResponse("software_get", 200, body("autoupdate"), { ontapVersion: "9.16.1", ...strict }).ok).toBe(true);
    const old = validateResponse("software_get", 200, body("autoupdte"), { ontapVersion: "9.16.1", ...strict });
    expect(old.errors[0].message).toBe('nodes/0/firmware/sp_bmc/autoupdte: property "autoupdte" is not expected here on ONTAP 9.16.1: it was removed in ONTAP 9.16.1');

    const fw = (field: string) => ({ nodes: [{ name: "n", firmware: { cluster_fw_progress: [{ zip_file_name: "disk.zip", [field]: [] }] } }] });
    expect(validateResponse("software_get", 200, fw("update_states"), { ontapVersion: "9.10.1", ...strict }).ok).toBe(true);
    expect(validateResponse("software_get", 200, fw("update_state"), { ontapVersion: "9.10.1", ...strict }).ok).toBe(false);
    expect(validateResponse("software_get", 200, fw("update_state"), { ontapVersion: "9.12.1", ...strict }).ok).toBe(true);
    expect(validateResponse("software_get", 200, fw("update_states"), { ontapVersion: "9.12.1", ...strict }).ok).toBe(false);
  });

  it("warns (lenient) or fails (strict) on unknown fields and fields served before their version", () => {
    const body = { records: [pkg({ licenses: [{ capacity: { measurement_unit: "bytes" } }] })], num_records: 1 };
    const lenient = validateResponse("licenses_get", 200, body, { ontapVersion: "9.10.1" });
    expect(lenient.ok).toBe(true);
    expect(lenient.warnings[0].message).toMatch(/measurement_unit.*exists from ONTAP 9.18/);
    expect(validateResponse("licenses_get", 200, body, { ontapVersion: "9.10.1", strict: true }).ok).toBe(false);
    expect(validateResponse("licenses_get", 200, body, { ontapVersion: "9.18.1", strict: true }).ok).toBe(true);
  });

  it("keeps unknown fields a warning under strict only for a release newer than the spec's newest", () => {
    const body = { records: [pkg({ last_modified_time: "2027-03-01T10:00:00Z" })], num_records: 1 };
    expect(validateResponse("licenses_get", 200, body, { ontapVersion: "9.19.1", strict: true }).ok).toBe(false);
    const newer = validateResponse("licenses_get", 200, body, { ontapVersion: "9.20.1", strict: true });
    expect(newer.ok).toBe(true);
    expect(newer.warnings[0].message).toMatch(/unknown property "last_modified_time".*ONTAP 9\.20\.1 is newer than 9\.19\.1/);
    // Only unknown fields: a wrong type stays an error on any release.
    expect(validateResponse("licenses_get", 200, { records: [pkg({ name: 42 })], num_records: 1 }, { ontapVersion: "9.20.1", strict: true }).ok).toBe(false);
  });

  it("never lets writeOnly material (license keys, passwords) appear in a response", () => {
    const r = validateResponse("license_get", 200, pkg({ keys: ["AAAAAAAAAAAAAAAAAAAAAAAAAAAA"] }), { strict: true });
    expect(r.errors[0].message).toMatch(/keys.*writeOnly/);
  });
});

describe("validateRequestBody", () => {
  it("requires keys on license POST and rejects readOnly fields", () => {
    expect(validateRequestBody("license_create", { keys: ["A"] }).ok).toBe(true);
    expect(validateRequestBody("license_create", {}).errors[0].keyword).toBe("required");
    expect(validateRequestBody("license_create", { keys: ["A"], state: "compliant" }, { strict: true }).ok).toBe(false);
    expect(validateRequestBody("software_modify", { version: "9.8.0" }).ok).toBe(true);
    expect(validateRequestBody("software_modify", { version: "9.8.0", state: "completed" }, { strict: true }).errors[0].message).toMatch(/readOnly/);
    expect(validateRequestBody("software_modify", { version: "9.8.0", state: "completed" }).warnings[0].quirk).toBe("request-example-readonly-fields");
    expect(validateRequestBody("software_package_create", { url: "http://server/image.tgz", password: "secret" }).ok).toBe(true);
    expect(validateRequestBody("software_package_create", { url: 5 }).ok).toBe(false);
    expect(validateRequestBody("license_get", { a: 1 }).ok).toBe(false);
  });
});

describe("validateQuery", () => {
  it("checks names, required parameters, types, ranges and enums by version", () => {
    expect(validateQuery("licenses_get", { fields: "*", "licenses.compliance.state": "!compliant", max_records: "2" }).ok).toBe(true);
    expect(validateQuery("license_delete", {}).errors[0].message).toBe('required query parameter "serial_number" is missing');
    expect(validateQuery("licenses_get", { bogus: "1" }).errors[0].keyword).toBe("unknown-parameter");
    expect(validateQuery("software_modify", { stabilize_minutes: "61" }).errors[0].keyword).toBe("maximum");
    expect(validateQuery("software_modify", { stabilize_minutes: "0" }).errors[0].keyword).toBe("minimum");
    expect(validateQuery("software_modify", { action: "stop" }).errors[0].keyword).toBe("enum");
    expect(validateQuery("software_modify", { skip_warnings: "True" }).ok).toBe(true);
    expect(validateQuery("software_modify", { estimate_only: "true" }, { ontapVersion: "9.8" }).errors[0].message).toMatch(/introduced in 9.9/);
    expect(validateQuery("software_get", { return_timeout: "121" }).ok).toBe(false);
  });

  it("knows the framework's parameters by kind of operation (x-ontap-framework-params), each with its source", () => {
    for (const version of ["9.6", "9.10.1", "9.18.1"]) {
      // Singletons: what na_ontap_rest_info sends, and what the 9.7 definition declares there.
      for (const op of ["cluster_get", "software_get", "software_download_get"]) {
        expect(validateQuery(op, { max_records: "1024", fields: "", order_by: "version", return_records: "true", pretty: "true" }, { ontapVersion: version }).errors, `${op} ${version}`).toEqual([]);
      }
      // Writes: the return_timeout=30 of rest_generic, return_records, pretty.
      for (const op of ["license_create", "license_delete", "software_package_delete", "software_upload"]) {
        const q: Record<string, string> = op === "license_delete" ? { serial_number: "1" } : {};
        expect(validateQuery(op, { ...q, return_timeout: "30", return_records: "false", pretty: "false" }, { ontapVersion: version }).errors, `${op} ${version}`).toEqual([]);
      }
    }
    // Their schemas still bound them; a framework name on another kind, or an unknown name, is still unknown.
    expect(validateQuery("license_create", { return_timeout: "121" }).errors[0].keyword).toBe("maximum");
    expect(validateQuery("cluster_get", { return_timeout: "121" }).errors[0].keyword).toBe("maximum");
    expect(validateQuery("license_get", { max_records: "1" }).errors[0].keyword).toBe("unknown-parameter");
    expect(validateQuery("license_create", { fields: "name" }).errors[0].keyword).toBe("unknown-parameter");
    expect(validateQuery("software_get", { offset: "1" }).errors[0].keyword).toBe("unknown-parameter");
    for (const p of frameworkParams()) expect(p.framework, p.name).toMatch(/ontap-reference\.md §/);
  });
});

describe("versions and field types", () => {
  it("compares ONTAP versions as the docs write them", () => {
    expect(compareVersions("9.9", "9.9.1")).toBeLessThan(0);
    expect(compareVersions("9.10.1", "9.9.1")).toBeGreaterThan(0);
    expect(parseVersion("NetApp Release 9.10.1P3: Thu Dec 02 2021")).toEqual({ generation: 9, major: 10, minor: 1 });
    expect(existsIn("9.9.1", "9.9")).toBe(true);
    expect(existsIn("9.8", "9.9")).toBe(false);
    expect(existsIn("9.16.1", undefined, "9.16.1")).toBe(false);
  });

  it("derives filter types from the schemas", () => {
    const t = filterTypes("license_package");
    expect(t).toMatchObject({ name: "string", state: "enum", "licenses.active": "boolean", "licenses.expiry_time": "date-time", "licenses.capacity.maximum_size": "integer", "licenses.compliance.state": "enum" });
    expect(filterTypes("license_package", { version: "9.8" })).not.toHaveProperty("licenses.installed_license");
  });
});
