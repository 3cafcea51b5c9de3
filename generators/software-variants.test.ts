// The software-variant arbitraries produce every kind they claim, each case is
// what its label says (limits and enums read from the spec), the boundary
// list holds every enum value and documented limit, and a seed gives the
// same cases.
import fc from "fast-check";
import { rejectionCodes } from "../suites/oracles/index.ts";
import { describe, expect, it } from "vitest";
import { deref, getOperation, loadSpec, operations, valueSchema } from "../src/contract/index.ts";
import { boundaryCases, LONG_STRING_LENGTH, SOFTWARE_CASE_KINDS, softwareKindArbs, softwareVariantArb, undocumentedSoftwareCodes, type SoftwareTarget, type SoftwareVariant } from "./software-variants.ts";

const SEED = 20261123;
const TARGET: SoftwareTarget = {
  version: "9.18.1",
  nodes: [{ name: "node1", haPartner: "node2" }, { name: "node2", haPartner: "node1" }, { name: "node3", haPartner: "node4" }, { name: "node4", haPartner: "node3" }, { name: "node5" }],
  repository: ["9.18.1", "9.19.1"],
  includeAmbiguous: true,
};
const sample = fc.sample(softwareVariantArb(TARGET), { seed: SEED, numRuns: 2000 });
const byKind = (kind: string) => sample.filter((c) => c.kind === kind);
const schema = (op: string, name: string) => deref(loadSpec(), getOperation(op).params.find((p) => p.name === name)!.schema);
const q = (c: SoftwareVariant) => (c.params.query ?? {}) as Record<string, string>;
const body = (c: SoftwareVariant) => c.params.body as any;
const parts = (c: SoftwareVariant) => [...(c.params.multipart as FormData).entries()].map(([name, v]) => [name, (v as File).name]);
/** A serialisable view of a case (FormData compared by its parts). */
const view = (c: SoftwareVariant) => ({ ...c, params: { ...c.params, multipart: c.params.multipart ? parts(c) : undefined } });
const isBool = (v: string) => v === "true" || v === "false";

describe("software variants: coverage of the catalogue", () => {
  it("produces every declared kind in 2,000 cases, and nothing else", () => {
    const kinds = new Set(sample.map((c) => c.kind));
    expect(Object.keys(SOFTWARE_CASE_KINDS).filter((k) => !kinds.has(k))).toEqual([]);
    expect([...kinds].filter((k) => !(k in SOFTWARE_CASE_KINDS))).toEqual([]);
  });

  it("leaves out kinds the target cannot have: no repository, no HA pair, an older version, ambiguous ones", () => {
    const bare = Object.keys(softwareKindArbs({ nodes: [{ name: "n1" }], repository: [] }));
    expect(bare).not.toContain("modify-validate");
    expect(bare).not.toContain("modify-stabilize-above");
    expect(bare).not.toContain("modify-nodes-not-ha-pair");
    expect(bare).not.toContain("download-already-in-repository");
    expect(bare).not.toContain("modify-nodes-empty");
    expect(bare).toEqual(expect.arrayContaining(["modify-version-missing", "modify-version-absent", "modify-action-idle", "download-valid", "upload-two-files"]));
    const old = Object.keys(softwareKindArbs({ ...TARGET, version: "9.8" }));
    expect(old).toContain("modify-stabilize-below");
    for (const gone of ["modify-pause-after-invalid", "modify-nodes-unknown", "modify-nodes-not-ha-pair", "modify-estimate"]) expect(old).not.toContain(gone);
    const sample98 = fc.sample(softwareVariantArb({ ...TARGET, version: "9.8" }, { operations: ["software_modify"], valid: true }), { seed: SEED, numRuns: 200 });
    for (const c of sample98) for (const name of ["pause_after", "nodes_to_update", "force_rolling", "show_validation_details"]) expect(q(c)[name]).toBeUndefined();
  });

  it("uses only documented codes; each case carries the catalogue's label", () => {
    expect(undocumentedSoftwareCodes(TARGET)).toEqual([]);
    for (const c of sample) {
      const info = SOFTWARE_CASE_KINDS[c.kind];
      expect([c.operation, c.valid, c.expectStatus, c.effect, c.precondition, c.codeMayComeFromJob]).toEqual([info.operation, info.valid, info.expectStatus, info.effect, info.precondition, info.codeMayComeFromJob]);
      expect(c.expectCodes.every((x) => info.expectCodes.includes(x))).toBe(true);
      expect(c.valid ? c.expectCodes.length === 0 : c.expectCodes.length > 0).toBe(true);
      expect(c.what.length).toBeGreaterThan(0);
    }
  });

  it("a PATCH that names a version only validates or estimates", () => {
    for (const c of sample.filter((x) => x.operation === "software_modify" && body(x)?.version !== undefined)) {
      expect(q(c).validate_only === "true" || q(c).estimate_only === "true").toBe(true);
    }
  });
});

describe("software variants: each case is what its label says", () => {
  it("PATCH parameters", () => {
    const stab = schema("software_modify", "stabilize_minutes"), actions = schema("software_modify", "action").enum, pauseAfter = schema("software_modify", "pause_after").enum;
    const names = new Set(TARGET.nodes.map((n) => n.name));
    const partner = new Map(TARGET.nodes.map((n) => [n.name, n.haPartner]));
    const wholePairs = (list: string[]) => list.every((n) => !partner.get(n) || list.includes(partner.get(n)!));
    for (const c of [...byKind("modify-validate"), ...byKind("modify-estimate")]) {
      const x = q(c);
      expect(TARGET.repository).toContain(body(c).version);
      expect(c.kind === "modify-validate" ? x.validate_only : x.estimate_only).toBe("true");
      if (x.stabilize_minutes !== undefined) { expect(Number(x.stabilize_minutes)).toBeGreaterThanOrEqual(stab.minimum); expect(Number(x.stabilize_minutes)).toBeLessThanOrEqual(stab.maximum); }
      if (x.pause_after !== undefined) expect(pauseAfter).toContain(x.pause_after);
      for (const f of ["skip_warnings", "force_rolling", "show_validation_details"]) if (x[f] !== undefined) expect(isBool(x[f])).toBe(true);
      if (x.nodes_to_update !== undefined) { const list = x.nodes_to_update.split(","); expect(list.every((n) => names.has(n))).toBe(true); expect(wholePairs(list)).toBe(true); }
    }
    const stabs = (kind: string) => byKind(kind).map((c) => Number(q(c).stabilize_minutes));
    expect(stabs("modify-stabilize-below").every((n) => Number.isInteger(n) && n < stab.minimum)).toBe(true);
    expect(stabs("modify-stabilize-below")).toContain(stab.minimum - 1);
    expect(stabs("modify-stabilize-above").every((n) => Number.isInteger(n) && n > stab.maximum)).toBe(true);
    expect(stabs("modify-stabilize-above")).toContain(stab.maximum + 1);
    for (const c of byKind("modify-stabilize-not-integer")) expect(q(c).stabilize_minutes).not.toMatch(/^-?\d+$/);
    for (const c of byKind("modify-action-invalid")) { expect(actions).not.toContain(q(c).action ?? body(c).action); expect(c.expectCodes).toEqual(q(c).action ? ["262185"] : ["262197"]); }
    for (const c of byKind("modify-action-idle")) {
      const a = q(c).action ?? body(c).action;
      expect(actions).toContain(a);
      // The upgrade oracle's codes for the action with no update ever started (what the reference mock answers is among them).
      expect(c.expectCodes).toEqual(rejectionCodes(undefined, a as string));
      expect(c.expectCodes).toContain({ pause: "10551300", resume: "10551303", cancel: "10551297" }[a as string]);
      expect(body(c)?.version).toBeUndefined();
    }
    for (const c of byKind("modify-pause-after-invalid")) expect(pauseAfter).not.toContain(q(c).pause_after);
    for (const c of byKind("modify-boolean-invalid")) { expect(q(c).validate_only).toBe("true"); expect(Object.entries(q(c)).some(([n, v]) => n !== "validate_only" && !isBool(v))).toBe(true); }
    for (const c of byKind("modify-nodes-unknown")) expect(q(c).nodes_to_update.split(",").some((n) => !names.has(n))).toBe(true);
    for (const c of byKind("modify-nodes-not-ha-pair")) { const list = q(c).nodes_to_update.split(","); expect(list.every((n) => names.has(n))).toBe(true); expect(wholePairs(list)).toBe(false); }
    for (const c of byKind("modify-nodes-empty")) expect(q(c).nodes_to_update).toBe("");
    for (const c of byKind("modify-version-missing")) expect(body(c)?.version).toBeUndefined();
    for (const c of byKind("modify-version-absent")) { expect(typeof body(c).version).toBe("string"); expect(TARGET.repository).not.toContain(body(c).version); }
    for (const c of byKind("modify-version-not-string")) expect(typeof body(c).version).not.toBe("string");
    const props = loadSpec().components.schemas.software_reference.properties;
    for (const c of byKind("modify-read-only-field")) expect(Object.keys(body(c)).some((f) => deref(loadSpec(), props[f])?.readOnly || props[f]?.readOnly)).toBe(true);
    const known = new Set(getOperation("software_modify").params.map((p) => p.name));
    for (const c of byKind("modify-unknown-parameter")) expect(Object.keys(q(c)).some((n) => !known.has(n))).toBe(true);
  });

  it("download URLs", () => {
    const scheme = (u: string) => new URL(u).protocol.replace(":", "").toLowerCase();
    for (const c of byKind("download-valid")) {
      expect(["http", "https", "ftp", "file"]).toContain(scheme(body(c).url));
      expect(TARGET.repository.some((v) => body(c).url.includes(`/${v}_`))).toBe(false);
    }
    expect(new Set(byKind("download-valid").map((c) => scheme(body(c).url)))).toEqual(new Set(["http", "https", "ftp", "file"]));
    expect(byKind("download-valid").some((c) => body(c).username && body(c).password)).toBe(true);
    for (const c of byKind("download-credentials-in-url")) { const u = new URL(body(c).url); expect(u.username).not.toBe(""); expect(u.hostname).not.toBe(""); }
    for (const c of byKind("download-scheme-unsupported")) expect(["http", "https", "ftp", "file"]).not.toContain(scheme(body(c).url));
    for (const c of byKind("download-syntax")) expect(() => new URL(body(c).url)).toThrow();
    // RFC 3986 authority: what is left of "user@host:port" without the userinfo and port is empty.
    for (const c of byKind("download-missing-host")) expect(/^[a-z]+:\/\/([^/]*)\//.exec(body(c).url)![1].replace(/^[^@]*@/, "").replace(/:\d*$/, "")).toBe("");
    for (const c of byKind("download-no-url")) expect("url" in body(c)).toBe(false);
    for (const c of byKind("download-url-not-string")) expect(typeof body(c).url).not.toBe("string");
    for (const c of byKind("download-already-in-repository")) expect(TARGET.repository.some((v) => body(c).url.endsWith(`/${v}_image.tgz`))).toBe(true);
  });

  it("upload bodies", () => {
    for (const c of byKind("upload-one-file")) expect(parts(c).map(([n]) => n)).toEqual(["file"]);
    for (const c of byKind("upload-no-file")) expect(parts(c)).toEqual([]);
    for (const c of byKind("upload-two-files")) expect(parts(c).map(([n]) => n)).toEqual(["file", "file"]);
    for (const c of byKind("upload-wrong-part")) { expect(parts(c)).toHaveLength(1); expect(parts(c)[0][0]).not.toBe("file"); }
    for (const c of byKind("upload-not-multipart")) { expect(c.params.multipart).toBeUndefined(); expect(c.params.rawBody!.contentType).not.toMatch(/multipart/); }
  });
});

describe("boundary list", () => {
  const cases = boundaryCases(TARGET);
  const find = (op: string, param: string, value: string | number) => cases.filter((b) => b.operation === op && b.param === param && String(b.value) === String(value));

  it("holds every enum value of every query parameter of the licensing and software requests (but the query DELETE)", () => {
    for (const op of operations().filter((o) => o.tags.some((t) => t === "licensing" || t === "software") && o.id !== "license_delete_collection" && !o.path.includes("{") && (o.method === "GET" || o.id === "software_modify"))) {
      for (const p of op.params.filter((x) => x.in === "query")) {
        for (const v of valueSchema(p).enum ?? []) expect(find(op.id, p.name, v).length, `${op.id} ${p.name}=${v}`).toBeGreaterThan(0);
      }
    }
    for (const a of ["pause", "resume", "cancel"]) expect(cases.some((b) => b.in === "body" && b.param === "action" && b.value === a && b.precondition === "no-update-in-progress")).toBe(true);
    expect(cases.some((b) => b.operation === "license_delete_collection" || getOperation(b.operation).path.includes("{"))).toBe(false);
  });

  it("holds the documented limits at and one past each bound", () => {
    const expectAt = (op: string, param: string, value: number, valid: boolean) => {
      const hit = find(op, param, value);
      expect(hit.length, `${op} ${param}=${value}`).toBe(1);
      expect(hit[0].valid).toBe(valid);
      expect(hit[0].expectStatus).toBe(valid ? "2xx" : "4xx");
      if (!valid) expect(hit[0].expectCodes).toEqual(["262185"]);
    };
    for (const op of ["licenses_get", "software_get", "software_history_collection_get", "software_packages_collection_get", "software_download_get", "software_modify"]) {
      expectAt(op, "return_timeout", 0, true); expectAt(op, "return_timeout", 120, true); expectAt(op, "return_timeout", 121, false); expectAt(op, "return_timeout", -1, false);
    }
    // No NetApp definition bounds max_records (spec/sources/netapp-definitions.json): no case claims one.
    expect(cases.filter((b) => b.param === "max_records")).toEqual([]);
    expectAt("software_modify", "stabilize_minutes", 0, false); expectAt("software_modify", "stabilize_minutes", 1, true);
    expectAt("software_modify", "stabilize_minutes", 60, true); expectAt("software_modify", "stabilize_minutes", 61, false);
  });

  it("holds empty and long strings, and every PATCH only validates (or is an action with nothing in progress)", () => {
    const names = getOperation("licenses_get").params.filter((p) => p.filter && valueSchema(p).type === "string" && !valueSchema(p).format && !valueSchema(p).enum).map((p) => p.name);
    for (const n of names) {
      expect(find("licenses_get", n, "").map((b) => b.valid)).toEqual(["undocumented"]);
      expect(find("licenses_get", n, "a".repeat(LONG_STRING_LENGTH)).map((b) => b.valid)).toEqual([true]);
    }
    expect(cases.filter((b) => b.operation === "software_modify" && b.in === "body" && b.param === "version").map((b) => b.kind).sort()).toEqual(["string-empty", "string-long"]);
    for (const b of cases.filter((x) => x.operation === "software_modify")) {
      const query = b.params.query as Record<string, string> | undefined;
      if (b.param === "action") { expect(b.precondition).toBe("no-update-in-progress"); expect((b.params.body as any)?.version).toBeUndefined(); } else expect(query?.validate_only).toBe("true");
    }
    for (const b of cases) expect(["2xx", "4xx", "2xx|4xx"]).toContain(b.expectStatus);
  });

  it("has no PATCH cases without a repository version, and is the same list every time", () => {
    expect(boundaryCases({ ...TARGET, repository: [] }).filter((b) => b.operation === "software_modify" && b.param !== "action")).toEqual([]);
    expect(boundaryCases(TARGET)).toEqual(cases);
  });
});

describe("determinism", () => {
  it("the same seed gives the same cases; another seed does not", () => {
    const again = fc.sample(softwareVariantArb(TARGET), { seed: SEED, numRuns: 2000 });
    expect(again.map(view)).toEqual(sample.map(view));
    expect(fc.sample(softwareVariantArb(TARGET), { seed: SEED + 1, numRuns: 50 }).map(view)).not.toEqual(sample.slice(0, 50).map(view));
  });
});
