// The license-case arbitrary produces every kind it claims, each case is
// what its label says (checked against spec/test-keys.md's rules), and the
// same seed gives the same cases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LICENSE_CASE_KINDS, licenseCaseArb } from "./license-cases.ts";
import { checksum, signature, TEST_KEY_CATALOG } from "./license-keys.ts";

const SERIALS = ["4149027492", "4149027493"];
const FREE = ["snapvault", "snaplock", "flexcache"];
const sample = fc.sample(licenseCaseArb(SERIALS, FREE), { seed: 20261123, numRuns: 2000 });
const byKind = (k: string) => sample.filter((c) => c.kind === k);
const nlf = (key: string) => JSON.parse(key) as { statusResp: any; Signature: string };

describe("licenseCaseArb", () => {
  it("produces every declared kind in 2,000 cases", () => {
    const counts = new Map<string, number>();
    for (const c of sample) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
    expect(Object.keys(LICENSE_CASE_KINDS).filter((k) => !counts.has(k))).toEqual([]);
    expect([...counts.keys()].filter((k) => !(k in LICENSE_CASE_KINDS))).toEqual([]);
    console.log(`license cases: ${[...counts].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  });

  it("labels match the catalogue: valid cases install something, invalid ones carry documented codes", () => {
    for (const c of sample) {
      expect(c.valid).toBe(LICENSE_CASE_KINDS[c.kind].valid);
      expect(c.expectCodes).toEqual(LICENSE_CASE_KINDS[c.kind].expectCodes);
      if (c.valid) expect(c.installs!.packages.every((p) => FREE.includes(p))).toBe(true);
      else expect(c.expectCodes.length).toBeGreaterThan(0);
    }
  });

  it("28-letter keys are what their label says", () => {
    for (const c of byKind("short-valid")) {
      expect(c.key).toMatch(/^ONTC[A-Z]{24}$/);
      expect(checksum(c.key.slice(0, 22))).toBe(c.key.slice(22));
      expect(SERIALS).toContain(c.installs!.serial);
    }
    for (const n of [26, 27, 29]) for (const c of byKind(`short-length-${n}`)) expect(c.key).toHaveLength(n);
    for (const c of byKind("short-lower-case")) expect(c.key).toMatch(/[a-z]/);
    for (const c of byKind("short-digits")) expect(c.key).toMatch(/^[A-Z]*\d[A-Z]*$/);
    for (const c of byKind("short-space")) expect(c.key).toContain(" ");
    for (const c of byKind("short-bad-checksum")) expect(checksum(c.key.slice(0, 22))).not.toBe(c.key.slice(22));
    for (const c of byKind("short-unknown-package")) {
      const index = (c.key.charCodeAt(4) - 65) * 26 + (c.key.charCodeAt(5) - 65);
      expect(index).toBeGreaterThanOrEqual(TEST_KEY_CATALOG.length);
      expect(checksum(c.key.slice(0, 22))).toBe(c.key.slice(22));
    }
    for (const c of byKind("short-serial-not-digits")) expect(c.key.slice(6, 22)).toMatch(/[K-Y]/);
  });

  it("NLF documents are what their label says", () => {
    for (const c of byKind("nlf-broken-json")) expect(() => JSON.parse(c.key)).toThrow();
    for (const c of [...byKind("nlf1-valid"), ...byKind("nlf2-valid")]) {
      const d = nlf(c.key);
      expect(d.Signature).toBe(signature(d.statusResp));
    }
    for (const c of byKind("nlf2-valid")) expect(Array.isArray(nlf(c.key).statusResp.licenses.package)).toBe(true);
    for (const c of byKind("nlf-expired")) expect(Date.parse(nlf(c.key).statusResp.licenses.endDate)).toBeLessThan(Date.now());
    for (const c of byKind("nlf-bad-signature")) expect(nlf(c.key).Signature).not.toBe(signature(nlf(c.key).statusResp));
    for (const c of byKind("nlf-empty-signature")) expect(nlf(c.key).Signature).toBe("");
    for (const c of byKind("nlf-wrong-version")) expect(["1", "2"]).not.toContain(nlf(c.key).statusResp.version);
    for (const c of byKind("nlf2-package-string")) expect(typeof nlf(c.key).statusResp.licenses.package).toBe("string");
    for (const c of byKind("nlf1-package-array")) expect(Array.isArray(nlf(c.key).statusResp.licenses.package)).toBe(true);
    for (const c of byKind("nlf2-duplicate-packages")) { const p = nlf(c.key).statusResp.licenses.package; expect(new Set(p).size).toBeLessThan(p.length); }
    for (const c of byKind("nlf2-no-product")) expect(nlf(c.key).statusResp.product).toBeUndefined();
    for (const c of byKind("nlf-foreign-serial")) expect(SERIALS).not.toContain(nlf(c.key).statusResp.serialNumber);
    for (const c of byKind("nlf-other-platform")) expect(nlf(c.key).statusResp.licenses.platform.toUpperCase()).not.toBe("ONTAP");
  });

  it("is deterministic for a seed", () => {
    expect(fc.sample(licenseCaseArb(SERIALS, FREE), { seed: 20261123, numRuns: 2000 })).toEqual(sample);
  });
});
