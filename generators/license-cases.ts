// Labelled license-key cases for the install property: valid test keys
// (28-letter and NLF, spec/test-keys.md) with the packages they must install,
// and each documented way to be wrong with the code its table gives.
// Built from spec/test-keys.md alone, never from the mock.
import fc from "fast-check";
import { checksum, nlfKey, shortKey, signature, nlfStatusResp, TEST_KEY_CATALOG } from "./license-keys.ts";

export interface LicenseCase {
  kind: string;
  key: string;
  valid: boolean;
  /** The code(s) spec/test-keys.md gives for this failure (empty when valid). */
  expectCodes: string[];
  /** Valid keys: the packages installed, and how to delete them again. */
  installs?: { packages: string[]; serial: string; bundle?: string };
}

/** Every kind the arbitrary produces, with the codes of spec/test-keys.md. */
export const LICENSE_CASE_KINDS: Record<string, { valid: boolean; expectCodes: string[] }> = {
  "short-valid": { valid: true, expectCodes: [] },
  "nlf1-valid": { valid: true, expectCodes: [] },
  "nlf2-valid": { valid: true, expectCodes: [] },
  "short-length-26": { valid: false, expectCodes: ["1115159"] },
  "short-length-27": { valid: false, expectCodes: ["1115159"] },
  "short-length-29": { valid: false, expectCodes: ["1115159"] },
  "short-lower-case": { valid: false, expectCodes: ["1115159"] },
  "short-digits": { valid: false, expectCodes: ["1115159"] },
  "short-space": { valid: false, expectCodes: ["1115159"] },
  "short-bad-checksum": { valid: false, expectCodes: ["655294465"] },
  "short-serial-not-digits": { valid: false, expectCodes: ["655294466"] },
  "short-unknown-package": { valid: false, expectCodes: ["655294470"] },
  "short-foreign-serial": { valid: false, expectCodes: ["1115134"] },
  "nlf-broken-json": { valid: false, expectCodes: ["1115159"] },
  "nlf-no-licenses": { valid: false, expectCodes: ["1115141"] },
  "nlf-wrong-version": { valid: false, expectCodes: ["655294467"] },
  "nlf2-package-string": { valid: false, expectCodes: ["1115141"] },
  "nlf1-package-array": { valid: false, expectCodes: ["1115141"] },
  "nlf2-duplicate-packages": { valid: false, expectCodes: ["1115141"] },
  "nlf-bad-signature": { valid: false, expectCodes: ["1115142"] },
  "nlf-empty-signature": { valid: false, expectCodes: ["1115142"] },
  "nlf-expired": { valid: false, expectCodes: ["1115160"] },
  "nlf-foreign-serial": { valid: false, expectCodes: ["1115134"] },
  "nlf2-no-product": { valid: false, expectCodes: ["1115565"] },
  "nlf-other-platform": { valid: false, expectCodes: ["1115152"] },
  "nlf-unknown-package": { valid: false, expectCodes: ["655294470"] },
};

const bad = (kind: string, key: string): LicenseCase => ({ kind, key, valid: false, expectCodes: LICENSE_CASE_KINDS[kind].expectCodes });
const signed = (statusResp: Record<string, unknown>) => JSON.stringify({ statusResp, Signature: signature(statusResp) });

/**
 * Cases for a target whose nodes have `serials` and whose unlicensed
 * packages of the test-key catalog are `free` (valid keys install those, so
 * each install is visible). `foreign` is a serial no node has.
 */
export function licenseCaseArb(serials: string[], free: string[], opts: { foreign?: string; nlfV2?: boolean } = {}): fc.Arbitrary<LicenseCase> {
  const foreign = opts.foreign ?? "9999999999";
  const serial = fc.constantFrom(...serials);
  const pkg = fc.constantFrom(...(free.length ? free : TEST_KEY_CATALOG));
  const future = fc.date({ min: new Date("2030-01-01T00:00:00Z"), max: new Date("2040-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d{3}Z$/, "Z"));
  const valid: Array<fc.Arbitrary<LicenseCase>> = [
    fc.tuple(pkg, serial).map(([p, s]) => ({ kind: "short-valid", key: shortKey(p, s), valid: true, expectCodes: [], installs: { packages: [p], serial: s } })),
    fc.tuple(pkg, serial, fc.constantFrom("node", "cluster") as fc.Arbitrary<"node" | "cluster">, fc.option(future, { nil: undefined }), fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }))
      .map(([p, s, scope, endDate, capacityTb]) => ({ kind: "nlf1-valid", key: nlfKey({ version: "1", serialNumber: s, packages: [p], scope, endDate, capacityTb }), valid: true, expectCodes: [], installs: { packages: [p], serial: s } })),
  ];
  // Installing an NLFv2 bundle is only undone by a query DELETE on
  // licenses.installed_license, which a release before 9.9 does not have.
  if (opts.nlfV2 !== false) valid.push(
    fc.tuple(fc.uniqueArray(pkg, { minLength: 1, maxLength: Math.min(3, Math.max(1, free.length)) }), serial, fc.integer({ min: 1, max: 9999 }))
      .map(([ps, s, n]) => {
        const bundle = `Conformance Bundle ${n}`;
        return { kind: "nlf2-valid", key: nlfKey({ version: "2", serialNumber: s, packages: ps, scope: "node", product: bundle }), valid: true, expectCodes: [], installs: { packages: ps, serial: s, bundle } };
      }),
  );
  const invalid: Array<fc.Arbitrary<LicenseCase>> = [
    fc.tuple(pkg, serial, fc.constantFrom(26, 27, 29)).map(([p, s, n]) => {
      const k = shortKey(p, s);
      return bad(`short-length-${n}`, n < 28 ? k.slice(0, n) : `${k}A`);
    }),
    fc.tuple(pkg, serial).map(([p, s]) => bad("short-lower-case", shortKey(p, s).toLowerCase())),
    fc.tuple(pkg, serial, fc.integer({ min: 0, max: 27 })).map(([p, s, i]) => { const k = shortKey(p, s); return bad("short-digits", `${k.slice(0, i)}7${k.slice(i + 1)}`); }),
    fc.tuple(pkg, serial, fc.integer({ min: 1, max: 26 })).map(([p, s, i]) => { const k = shortKey(p, s); return bad("short-space", `${k.slice(0, i)} ${k.slice(i + 1)}`); }),
    fc.tuple(pkg, serial).map(([p, s]) => { const k = shortKey(p, s); return bad("short-bad-checksum", `${k.slice(0, 22)}${k.slice(22) === "AAAAAA" ? "AAAAAB" : "AAAAAA"}`); }),
    fc.tuple(pkg, serial).map(([p, s]) => { const k = shortKey(p, s); const f = `${k.slice(0, 21)}Y`; return bad("short-serial-not-digits", f + checksum(f)); }),
    serial.map((s) => { const k = shortKey("base", s); const f = `ONTCZZ${k.slice(6, 22)}`; return bad("short-unknown-package", f + checksum(f)); }),
    pkg.map((p) => bad("short-foreign-serial", shortKey(p, foreign))),
    fc.tuple(pkg, serial).map(([p, s]) => bad("nlf-broken-json", nlfKey({ version: "1", serialNumber: s, packages: [p], scope: "cluster" }).slice(0, -2))),
    serial.map((s) => bad("nlf-no-licenses", signed({ version: "1", serialNumber: s, product: "x" }))),
    fc.tuple(pkg, serial, fc.constantFrom("0", "3", "v2", "")).map(([p, s, v]) => bad("nlf-wrong-version", signed({ ...nlfStatusResp({ version: "1", serialNumber: s, packages: [p], scope: "cluster" }), version: v }))),
    fc.tuple(pkg, serial).map(([p, s]) => { const r = nlfStatusResp({ version: "2", serialNumber: s, packages: [p], scope: "cluster", product: "B" }); (r.licenses as any).package = p; return bad("nlf2-package-string", signed(r)); }),
    fc.tuple(pkg, serial).map(([p, s]) => { const r = nlfStatusResp({ version: "1", serialNumber: s, packages: [p], scope: "cluster" }); (r.licenses as any).package = [p]; return bad("nlf1-package-array", signed(r)); }),
    fc.tuple(pkg, serial).map(([p, s]) => bad("nlf2-duplicate-packages", signed(nlfStatusResp({ version: "2", serialNumber: s, packages: [p, p], scope: "cluster", product: "B" })))),
    fc.tuple(pkg, serial).map(([p, s]) => bad("nlf-bad-signature", nlfKey({ version: "1", serialNumber: s, packages: [p], scope: "cluster" }, () => "f".repeat(64)))),
    fc.tuple(pkg, serial).map(([p, s]) => bad("nlf-empty-signature", nlfKey({ version: "1", serialNumber: s, packages: [p], scope: "cluster" }, () => ""))),
    fc.tuple(pkg, serial).map(([p, s]) => bad("nlf-expired", nlfKey({ version: "1", serialNumber: s, packages: [p], scope: "cluster", endDate: "2001-01-01T00:00:00Z" }))),
    pkg.map((p) => bad("nlf-foreign-serial", nlfKey({ version: "1", serialNumber: foreign, packages: [p], scope: "node" }))),
    fc.tuple(pkg, serial).map(([p, s]) => { const r = nlfStatusResp({ version: "2", serialNumber: s, packages: [p], scope: "cluster" }); delete r.product; return bad("nlf2-no-product", signed(r)); }),
    fc.tuple(pkg, serial).map(([p, s]) => { const r = nlfStatusResp({ version: "1", serialNumber: s, packages: [p], scope: "cluster" }); (r.licenses as any).platform = "StorageGRID"; return bad("nlf-other-platform", signed(r)); }),
    serial.map((s) => bad("nlf-unknown-package", nlfKey({ version: "1", serialNumber: s, packages: ["ontap_conformance_unknown"], scope: "cluster" }))),
  ];
  return fc.oneof({ weight: 1, arbitrary: fc.oneof(...valid) }, { weight: 2, arbitrary: fc.oneof(...invalid) });
}
