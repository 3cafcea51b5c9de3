// License keys the suite sends, built from spec/test-keys.md alone (never
// from the mock's code, so a misreading of the scheme shows up as a failure
// instead of cancelling out).
import { createHash } from "node:crypto";

/** The catalog order of spec/test-keys.md §1. */
export const TEST_KEY_CATALOG = [
  "base", "nfs", "cifs", "iscsi", "fcp", "snaprestore", "snapmirror", "flexclone", "snapvault", "snaplock",
  "snapmanagersuite", "snapprotectapps", "v_storageattach", "insight_balance", "nvme_of", "s3", "flexcache",
  "fabricpool", "cloud", "select_max_instances",
];

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function base26(n: number, width: number): string {
  let out = "";
  for (let i = 0; i < width; i++) {
    out = LETTERS[n % 26] + out;
    n = Math.floor(n / 26);
  }
  return out;
}

/** §1: Σ (i+1)·(letter value + 1) mod 26^6, as six letters. */
export function checksum(first22: string): string {
  let sum = 0;
  [...first22].forEach((c, i) => {
    sum = (sum + (i + 1) * (LETTERS.indexOf(c) + 1)) % 26 ** 6;
  });
  return base26(sum, 6);
}

/** A valid 28-character test key for `pkg` on the node with serial `nodeSerial`. */
export function shortKey(pkg: string, nodeSerial: string): string {
  const index = TEST_KEY_CATALOG.indexOf(pkg);
  if (index < 0) throw new Error(`${pkg} is not in the test-key catalog`);
  const serial = [...nodeSerial].map((d) => LETTERS[Number(d)]).join("").padStart(16, "Z");
  const body = `ONTC${base26(index, 2)}${serial}`;
  return body + checksum(body);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** §2: the test signature of a statusResp. */
export function signature(statusResp: unknown): string {
  return createHash("sha256").update(`ontap-conformance-test-signature:${canonical(statusResp)}`).digest("hex");
}

export interface NlfOptions {
  version: "1" | "2";
  serialNumber: string;
  packages: string[];
  scope: "node" | "cluster" | "site";
  product?: string;
  capacityTb?: number;
  endDate?: string;
  evaluation?: boolean;
}

export function nlfStatusResp(o: NlfOptions): Record<string, unknown> {
  const licenses: Record<string, unknown> = {
    package: o.version === "1" ? o.packages[0] : o.packages,
    licenseScope: o.scope,
  };
  if (o.capacityTb !== undefined) Object.assign(licenses, { type: "capacity", capacity: String(o.capacityTb) });
  if (o.endDate) licenses.endDate = o.endDate;
  return {
    version: o.version,
    serialNumber: o.serialNumber,
    message: "Success",
    statusCode: "S007",
    snStatus: o.evaluation ? "Evaluation" : "Active",
    product: o.product ?? (o.version === "2" ? "Conformance Test Bundle" : o.packages[0]),
    licenses,
  };
}

/** A signed NLF document, as the string a POST carries in `keys`. */
export function nlfKey(o: NlfOptions, sign: (s: unknown) => string = signature): string {
  const statusResp = nlfStatusResp(o);
  return JSON.stringify({ statusResp, Signature: sign(statusResp) });
}
