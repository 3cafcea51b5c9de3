// The license-variant arbitraries produce every kind they claim, each case is
// what its label says (checked against spec/test-keys.md's rules, not the
// mock), batch outcomes follow §4, and a seed gives the same cases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getOperation } from "../src/contract/index.ts";
import { checksum, signature, TEST_KEY_CATALOG } from "./license-keys.ts";
import { batchOutcomes, undocumentedBundleOverlap, LICENSE_CASE_KINDS, licenseBatchArb, licenseKindArbs, licenseVariantArb, undocumentedLicenseCodes, type LicenseTarget, type LicenseVariant } from "./license-variants.ts";

const SEED = 20261123;
const TARGET: LicenseTarget = { serials: ["4149027492", "4149027493", "1234567890123456"], packages: ["snapvault", "snaplock", "flexcache", "nfs"], includeAmbiguous: true };
const sample = fc.sample(licenseVariantArb(TARGET), { seed: SEED, numRuns: 2000 });
const byKind = (kind: string) => sample.filter((c) => c.kind === kind);
const nlf = (key: string) => JSON.parse(key) as { statusResp: any; Signature: any };

/** Decode a 28-letter key by spec/test-keys.md §1. */
function decode(key: string) {
  const index = (key.charCodeAt(4) - 65) * 26 + (key.charCodeAt(5) - 65);
  const serialPart = key.slice(6, 22).replace(/^Z+/, "");
  return { marker: key.slice(0, 4), index, serialPart, serial: [...serialPart].map((c) => c.charCodeAt(0) - 65).join(""), checksumOk: checksum(key.slice(0, 22)) === key.slice(22) };
}

describe("license variants: coverage of the catalogue", () => {
  it("produces every declared kind in 2,000 cases, and nothing else", () => {
    const counts = new Map<string, number>();
    for (const c of sample) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
    expect(Object.keys(LICENSE_CASE_KINDS).filter((k) => !counts.has(k))).toEqual([]);
    expect([...counts.keys()].filter((k) => !(k in LICENSE_CASE_KINDS))).toEqual([]);
  });

  it("has an arbitrary for every catalogue kind; exclude and the ambiguous switch remove kinds", () => {
    expect(Object.keys(licenseKindArbs(TARGET)).sort()).toEqual(Object.keys(LICENSE_CASE_KINDS).sort());
    const plain = Object.keys(licenseKindArbs({ serials: ["1"], exclude: ["empty-key"] }));
    expect(plain).not.toContain("empty-key");
    for (const [kind, info] of Object.entries(LICENSE_CASE_KINDS)) if (info.ambiguous) expect(plain).not.toContain(kind);
  });

  it("uses only codes license_create documents, and the catalogue's codes on every case", () => {
    expect(undocumentedLicenseCodes()).toEqual([]);
    for (const c of sample) {
      const info = LICENSE_CASE_KINDS[c.kind];
      expect(c.valid).toBe(info.valid);
      expect(c.expectCodes).toEqual(info.expectCodes);
      expect(info.description.length).toBeGreaterThan(0);
      if (c.valid) {
        expect(c.expectCodes).toEqual([]);
        expect(c.packages!.every((p) => TARGET.packages!.includes(p))).toBe(true);
        expect(c.installs!.packages).toEqual(c.packages);
      } else expect(c.expectCodes.length).toBeGreaterThan(0);
    }
  });
});

describe("license variants: 28-character keys are what their label says", () => {
  it("valid keys are 28 letters with the marker, a catalog index, a node's serial and the checksum", () => {
    for (const c of byKind("short-valid")) {
      expect(c.key).toMatch(/^[A-Z]{28}$/);
      const d = decode(c.key);
      expect(d.marker).toBe("ONTC");
      expect(d.checksumOk).toBe(true);
      expect(TEST_KEY_CATALOG[d.index]).toBe(c.packages![0]);
      expect(TARGET.serials).toContain(d.serial);
      expect(c.installs!.serial).toBe(d.serial);
    }
  });

  it("each broken key breaks exactly its rule", () => {
    for (const n of [26, 27, 29]) for (const c of byKind(`short-length-${n}`)) expect(c.key).toMatch(new RegExp(`^[A-Z]{${n}}$`));
    for (const c of byKind("short-lower-case")) { expect(c.key).toHaveLength(28); expect(c.key).toMatch(/[a-z]/); expect(decode(c.key.toUpperCase()).checksumOk).toBe(true); }
    for (const c of byKind("short-digit")) expect(c.key).toMatch(/^[A-Z]*[0-9][A-Z]*$/);
    for (const c of byKind("short-inner-space")) { expect(c.key).toHaveLength(28); expect(c.key).toMatch(/^[A-Z]+ [A-Z]+$/); }
    for (const c of byKind("short-padded-space")) { expect(c.key).not.toBe(c.key.trim()); expect(decode(c.key.trim()).checksumOk).toBe(true); }
    for (const c of byKind("short-bad-checksum")) { expect(c.key).toMatch(/^ONTC[A-Z]{24}$/); expect(decode(c.key).checksumOk).toBe(false); }
    for (const c of byKind("short-bad-marker")) { expect(c.key).toMatch(/^[A-Z]{28}$/); expect(decode(c.key).marker).not.toBe("ONTC"); expect(decode(c.key).checksumOk).toBe(true); }
    for (const c of byKind("short-serial-not-digits")) { const d = decode(c.key); expect(d.checksumOk).toBe(true); expect(d.serialPart).toMatch(/[K-Z]/); expect(d.index).toBeLessThan(TEST_KEY_CATALOG.length); }
    for (const c of byKind("short-unknown-package")) { const d = decode(c.key); expect(d.checksumOk).toBe(true); expect(d.index).toBeGreaterThanOrEqual(TEST_KEY_CATALOG.length); expect(TARGET.serials).toContain(d.serial); }
    for (const c of byKind("short-foreign-serial")) { const d = decode(c.key); expect(d.checksumOk).toBe(true); expect(d.serialPart).toMatch(/^[A-J]+$/); expect(TARGET.serials).not.toContain(d.serial); }
    for (const c of byKind("empty-key")) expect(c.key).toBe("");
  });
});

describe("license variants: NLF documents are what their label says", () => {
  const parsed = (kind: string) => byKind(kind).map((c) => nlf(c.key));

  it("valid documents are signed, well-formed and install what they name", () => {
    for (const c of [...byKind("nlf1-valid"), ...byKind("nlf2-valid"), ...byKind("nlf-escaped-valid")]) {
      const d = nlf(c.key);
      const s = d.statusResp, lic = s.licenses;
      expect(d.Signature).toBe(signature(s));
      expect(["1", "2"]).toContain(s.version);
      expect(s.serialNumber).toMatch(/^\d+$/);
      if (s.version === "1") expect(typeof lic.package).toBe("string");
      else { expect(new Set(lic.package).size).toBe(lic.package.length); expect(lic.package.length).toBeGreaterThan(0); expect(s.product).toBeTruthy(); expect(c.installs!.bundle).toBe(s.product); }
      if (lic.licenseScope === "node") expect(TARGET.serials).toContain(s.serialNumber);
      if (lic.endDate) expect(Date.parse(lic.endDate)).toBeGreaterThan(Date.now());
      if (lic.platform) expect(lic.platform.toUpperCase()).toBe("ONTAP");
      expect(c.packages).toEqual(Array.isArray(lic.package) ? lic.package : [lic.package]);
    }
    for (const c of byKind("nlf-escaped-valid")) expect(c.key).toMatch(/\\u00[0-9a-f]{2}/);
    // The random parts really vary.
    const valid = [...parsed("nlf1-valid"), ...parsed("nlf2-valid")];
    expect(new Set(valid.map((d) => d.statusResp.licenses.licenseScope))).toEqual(new Set(["node", "cluster", "site"]));
    expect(valid.some((d) => d.statusResp.licenses.capacity)).toBe(true);
    expect(valid.some((d) => d.statusResp.snStatus === "Evaluation")).toBe(true);
    expect(valid.some((d) => d.statusResp.licenses.endDate)).toBe(true);
    expect(new Set(valid.map((d) => d.statusResp.serialNumber)).size).toBeGreaterThan(TARGET.serials.length);
  });

  it("each broken document breaks exactly its rule and is otherwise signed", () => {
    for (const c of [...byKind("nlf-broken-json"), ...byKind("nlf-bad-escape")]) expect(() => JSON.parse(c.key)).toThrow();
    for (const c of byKind("nlf-double-encoded")) expect(typeof JSON.parse(c.key)).toBe("string");
    for (const d of parsed("nlf-no-statusresp")) expect(d.statusResp).toBeUndefined();
    const signedRight = ["nlf-no-licenses", "nlf-no-package", "nlf-no-version", "nlf-wrong-version", "nlf2-package-string", "nlf1-package-array", "nlf2-empty-packages", "nlf2-duplicate-packages", "nlf-no-serial", "nlf-bad-serial", "nlf2-no-product", "nlf-expired", "nlf-other-platform", "nlf-unknown-package", "nlf-foreign-serial"];
    for (const kind of signedRight) for (const d of parsed(kind)) expect(d.Signature).toBe(signature(d.statusResp));
    for (const d of parsed("nlf-no-licenses")) expect(d.statusResp.licenses).toBeUndefined();
    for (const d of parsed("nlf-no-package")) expect(d.statusResp.licenses.package).toBeUndefined();
    for (const d of parsed("nlf-no-version")) expect(d.statusResp.version).toBeUndefined();
    for (const d of parsed("nlf-wrong-version")) expect(["1", "2"]).not.toContain(d.statusResp.version);
    for (const d of parsed("nlf2-package-string")) { expect(d.statusResp.version).toBe("2"); expect(typeof d.statusResp.licenses.package).toBe("string"); }
    for (const d of parsed("nlf1-package-array")) { expect(d.statusResp.version).toBe("1"); expect(Array.isArray(d.statusResp.licenses.package)).toBe(true); }
    for (const d of parsed("nlf2-empty-packages")) expect(d.statusResp.licenses.package).toEqual([]);
    for (const d of parsed("nlf2-duplicate-packages")) { const p = d.statusResp.licenses.package; expect(new Set(p).size).toBeLessThan(p.length); }
    for (const d of parsed("nlf-no-serial")) expect(d.statusResp.serialNumber).toBeUndefined();
    for (const d of parsed("nlf-bad-serial")) expect(d.statusResp.serialNumber).not.toMatch(/^[0-9A-Za-z-]+$/);
    for (const d of parsed("nlf-no-signature")) expect("Signature" in d).toBe(false);
    for (const d of parsed("nlf-empty-signature")) expect(d.Signature).toBe("");
    for (const d of [...parsed("nlf-bad-signature"), ...parsed("nlf-tampered")]) { expect(d.Signature).toMatch(/^[0-9a-f]{64}$/); expect(d.Signature).not.toBe(signature(d.statusResp)); }
    for (const d of parsed("nlf2-no-product")) { expect(d.statusResp.version).toBe("2"); expect(d.statusResp.product).toBeUndefined(); }
    for (const d of parsed("nlf-expired")) expect(Date.parse(d.statusResp.licenses.endDate)).toBeLessThan(Date.now());
    for (const d of parsed("nlf-other-platform")) expect(d.statusResp.licenses.platform.toUpperCase()).not.toBe("ONTAP");
    for (const d of parsed("nlf-unknown-package")) { const p = d.statusResp.licenses.package; expect((Array.isArray(p) ? p : [p]).some((x: string) => !TEST_KEY_CATALOG.includes(x))).toBe(true); }
    for (const d of parsed("nlf-foreign-serial")) { expect(d.statusResp.licenses.licenseScope).toBe("node"); expect(TARGET.serials).not.toContain(d.statusResp.serialNumber); }
  });
});

describe("license batches (spec/test-keys.md §4)", () => {
  const batches = fc.sample(licenseBatchArb(TARGET), { seed: SEED, numRuns: 500 });

  it("produces every batch kind and one outcome per key", () => {
    expect(new Set(batches.map((b) => b.kind))).toEqual(new Set(["all-valid", "all-invalid", "mixed", "with-repeat"]));
    for (const b of batches) {
      expect(b.outcomes.map((o) => o.index)).toEqual(b.keys.map((_k, i) => i));
      expect(b.expectStatus).toBe(b.outcomes.every((o) => o.installs) ? "2xx" : "4xx");
      b.keys.forEach((c, i) => { if (!c.valid) expect(b.outcomes[i]).toEqual({ index: i, installs: false, expectCodes: c.expectCodes }); });
    }
  });

  it("a repeated valid key fails with 1115132; a second bundle with the same package may also answer 1115617", () => {
    for (const b of batches.filter((x) => x.kind === "with-repeat")) {
      const last = b.outcomes[b.outcomes.length - 1];
      expect(last.installs).toBe(false);
      expect(last.expectCodes).toContain("1115132");
    }
    const bundle = (name: string, pkgs: string[]): LicenseVariant => ({ kind: "nlf2-valid", key: name, valid: true, expectCodes: [], packages: pkgs, installs: { packages: pkgs, serial: "1", bundle: name, scope: "node" } });
    const short: LicenseVariant = { kind: "short-valid", key: "k", valid: true, expectCodes: [], packages: ["nfs"], installs: { packages: ["nfs"], serial: "1", scope: "node" } };
    expect(batchOutcomes([bundle("A", ["nfs", "cifs"]), bundle("B", ["cifs"]), short]).map((o) => o.expectCodes)).toEqual([[], ["1115132", "1115617"], ["1115132"]]);
    expect(batchOutcomes([bundle("A", ["cifs"]), { ...short, installs: { ...short.installs!, serial: "2" } }]).every((o) => o.installs)).toBe(true);
    for (const b of batches) expect(undocumentedBundleOverlap(b.keys)).toBe(false);
    const wide = (name: string): LicenseVariant => ({ ...bundle(name, ["nfs"]), installs: { ...bundle(name, ["nfs"]).installs!, scope: "cluster", serial: name } });
    expect(undocumentedBundleOverlap([wide("A"), wide("B")])).toBe(true);
    expect(undocumentedBundleOverlap([bundle("A", ["nfs"]), bundle("B", ["nfs"])])).toBe(false);
  });
});

describe("determinism", () => {
  it("the same seed gives the same cases and batches; another seed does not", () => {
    expect(fc.sample(licenseVariantArb(TARGET), { seed: SEED, numRuns: 2000 })).toEqual(sample);
    expect(fc.sample(licenseBatchArb(TARGET), { seed: SEED, numRuns: 100 })).toEqual(fc.sample(licenseBatchArb(TARGET), { seed: SEED, numRuns: 100 }));
    expect(fc.sample(licenseVariantArb(TARGET), { seed: SEED + 1, numRuns: 50 })).not.toEqual(sample.slice(0, 50));
  });
});

describe("contract", () => {
  it("the catalogue's codes have meanings in license_create's table", () => {
    const codes = getOperation("license_create").errorCodes;
    for (const info of Object.values(LICENSE_CASE_KINDS)) for (const c of info.expectCodes) expect(codes[c]?.meaning).toBeTruthy();
  });
});
