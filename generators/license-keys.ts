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

/**
 * The licenses a key stands for under spec/test-keys.md: its package and the
 * serial number it licenses (one for a 28-character key, one per package of
 * an NLF). A key the scheme cannot read (a real NetApp key, a malformed one)
 * stands for nothing the suite can name. The run's ledger records these for
 * every license POST, so teardown removes exactly the licenses the run's own
 * keys installed.
 */
export function licensesOfKey(key: string): Array<{ package: string; serial: string }> {
  if (/^[A-Z]{28}$/.test(key)) {
    if (!key.startsWith("ONTC") || checksum(key.slice(0, 22)) !== key.slice(22)) return [];
    const index = LETTERS.indexOf(key[4]) * 26 + LETTERS.indexOf(key[5]);
    const serial = key.slice(6, 22).replace(/^Z+/, "");
    if (index >= TEST_KEY_CATALOG.length || !/^[A-J]+$/.test(serial)) return [];
    return [{ package: TEST_KEY_CATALOG[index], serial: [...serial].map((c) => String(LETTERS.indexOf(c))).join("") }];
  }
  try {
    const resp = JSON.parse(key)?.statusResp;
    const packages = resp?.licenses?.package;
    const list = (Array.isArray(packages) ? packages : [packages]).filter((p): p is string => typeof p === "string");
    return typeof resp?.serialNumber === "string" ? list.map((p) => ({ package: p, serial: resp.serialNumber })) : [];
  } catch {
    return [];
  }
}
