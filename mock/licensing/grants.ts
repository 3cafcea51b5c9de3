// How the reference mock reads license keys. Real keys are signed by NetApp;
// the mock instead accepts the documented *test-key scheme* of
// spec/test-keys.md, so any client can make valid and invalid keys without
// reading this code. Each submitted key becomes a LicenseGrant or an
// OntapError with the documented code for what is wrong with it: every code
// below is one of POST licenses' (ref §3, spec/sources/ontap-reference.md),
// chosen by its meaning as spec/test-keys.md's tables say.
import { createHash } from "node:crypto";
import { OntapError } from "../errors.ts";

export const KEY_LENGTH = 28;
export const KEY_MARKER = "ONTC";
export const SIGNATURE_SALT = "ontap-conformance-test-signature:";
/** Signatures printed in NetApp's examples; accepted on the docs scenario only. */
export const DOCS_SIGNATURES = ["SignatureABC", "signatureABC"];

export type Scope = "node" | "cluster" | "site";

export interface LicenseGrant {
  /** Package names (lower case) the key licenses. */
  packages: string[];
  serial_number: string;
  scope: Scope;
  /** NLFv2 bundle name ("Core Bundle"): the package is part of a bundle. */
  installed_license?: string;
  host_id?: string;
  /** Bytes, for capacity licenses. */
  maximum_size?: number;
  /** ISO date-time after which the license is expired. */
  expiry_time?: string;
  evaluation: boolean;
  format: "28-character" | "NLFv1" | "NLFv2";
}

export interface KeyContext {
  catalog: string[];
  nodeSerials: string[];
  now: Date;
  acceptDocsSignatures: boolean;
  /** Fixed keys the scenario accepts as they are (the docs' examples). */
  registry: Record<string, LicenseGrant>;
}

const A = "A".charCodeAt(0);

/** Six-letter checksum of the first 22 letters (spec/test-keys.md §1). */
export function keyChecksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum = (sum + (i + 1) * (body.charCodeAt(i) - A + 1)) % 308_915_776; // 26^6
  let out = "";
  for (let i = 0; i < 6; i++) {
    out = String.fromCharCode(A + (sum % 26)) + out;
    sum = Math.floor(sum / 26);
  }
  return out;
}

/** A valid 28-character test key for catalog package `index` and a node serial (digits only, up to 16). */
export function makeTestKey(index: number, serial: string): string {
  const pkg = String.fromCharCode(A + Math.floor(index / 26)) + String.fromCharCode(A + (index % 26));
  const digits = serial.split("").map((d) => String.fromCharCode(A + Number(d))).join("").padStart(16, "Z");
  const body = `${KEY_MARKER}${pkg}${digits}`;
  return `${body}${keyChecksum(body)}`;
}

function readShortKey(key: string, ctx: KeyContext): LicenseGrant {
  if (ctx.registry[key]) return ctx.registry[key];
  if (key.length !== KEY_LENGTH || !/^[A-Z]+$/.test(key)) {
    throw new OntapError(400, 1115159, `The license key "${key.length} characters" is not in an acceptable format: a key has 28 upper-case letters.`);
  }
  const body = key.slice(0, 22);
  if (!key.startsWith(KEY_MARKER) || keyChecksum(body) !== key.slice(22)) {
    throw new OntapError(400, 655294465, "The license key is invalid.");
  }
  const index = (key.charCodeAt(4) - A) * 26 + (key.charCodeAt(5) - A);
  const digits = key.slice(6, 22).replace(/^Z+/, "");
  if (!/^[A-J]+$/.test(digits)) throw new OntapError(400, 655294466, "The serial number of the license key is invalid.");
  const serial = digits.split("").map((c) => String(c.charCodeAt(0) - A)).join("");
  const pkg = ctx.catalog[index];
  if (!pkg) throw new OntapError(400, 655294470, "The license key does not apply to this product.");
  if (!ctx.nodeSerials.includes(serial)) throw new OntapError(400, 1115134, `The serial number ${serial} does not belong to a node of this cluster.`);
  return { packages: [pkg], serial_number: serial, scope: "node", evaluation: false, format: "28-character" };
}

/** Canonical JSON: keys sorted at every level, no spaces (spec/test-keys.md §2). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function nlfSignature(statusResp: unknown): string {
  return createHash("sha256").update(SIGNATURE_SALT + canonicalJson(statusResp)).digest("hex");
}

function readNlf(text: string, ctx: KeyContext): LicenseGrant {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new OntapError(400, 1115159, "The license is not in an acceptable format: it is not valid JSON.");
  }
  const s = doc?.statusResp;
  if (!s || typeof s !== "object" || Array.isArray(s)) throw new OntapError(400, 1115141, "The license data is invalid: statusResp is missing.");
  if (s.version !== "1" && s.version !== "2") throw new OntapError(400, 655294467, `The license version number "${s.version}" is invalid.`);
  const lic = s.licenses;
  if (!lic || typeof lic !== "object") throw new OntapError(400, 1115141, "The license data is invalid: licenses is missing.");
  const raw = lic.package;
  if (s.version === "1" ? typeof raw !== "string" : !Array.isArray(raw) || !raw.length || raw.some((p: unknown) => typeof p !== "string")) {
    throw new OntapError(400, 1115141, `The license data is invalid: an NLFv${s.version} package must be ${s.version === "1" ? "a string" : "a non-empty array of strings"}.`);
  }
  const packages: string[] = (s.version === "1" ? [raw] : raw).map((p: string) => p.toLowerCase());
  if (new Set(packages).size !== packages.length) throw new OntapError(400, 1115141, "The license data is invalid: a package is listed twice.");
  if (typeof s.serialNumber !== "string" || !/^[0-9A-Za-z-]+$/.test(s.serialNumber)) throw new OntapError(400, 655294466, "The serial number of the license is invalid.");
  const sig = doc.Signature;
  const docsOk = ctx.acceptDocsSignatures && DOCS_SIGNATURES.includes(sig);
  if (typeof sig !== "string" || !sig || (!docsOk && sig !== nlfSignature(s))) throw new OntapError(400, 1115142, "The license signature is invalid (invalid digital signature).");
  if (s.version === "2" && (typeof s.product !== "string" || !s.product.trim())) {
    throw new OntapError(400, 1115565, "NLFv2 license failure: the license names no product (the bundle it installs).");
  }
  const scope: Scope = ["node", "cluster", "site"].includes(lic.licenseScope) ? lic.licenseScope : "cluster";
  let expiry: string | undefined;
  if (lic.endDate !== undefined) {
    const t = Date.parse(lic.endDate);
    if (Number.isNaN(t)) throw new OntapError(400, 1115141, "The license data is invalid: endDate is not a date.");
    if (t < ctx.now.getTime()) throw new OntapError(400, 1115160, "The license has already expired.");
    expiry = new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  if (lic.platform !== undefined && String(lic.platform).toUpperCase() !== "ONTAP") {
    throw new OntapError(400, 1115152, `The license does not apply to this platform (${lic.platform}); it is for another platform than ONTAP.`);
  }
  const unknown = packages.filter((p) => !ctx.catalog.includes(p));
  if (unknown.length) throw new OntapError(400, 655294470, `The license does not apply to this product: unknown package ${unknown.join(", ")}.`);
  if (scope === "node" && !ctx.nodeSerials.includes(s.serialNumber)) throw new OntapError(400, 1115134, `The serial number ${s.serialNumber} does not belong to a node of this cluster.`);
  const capacityTb = Number(lic.capacity);
  return {
    packages,
    serial_number: s.serialNumber,
    scope,
    installed_license: s.version === "2" ? String(s.product) : undefined,
    host_id: typeof lic.HostID === "string" ? lic.HostID : undefined,
    maximum_size: lic.type === "capacity" && Number.isFinite(capacityTb) ? Math.round(capacityTb * 2 ** 40) : undefined,
    expiry_time: expiry,
    evaluation: s.snStatus === "Evaluation",
    format: s.version === "2" ? "NLFv2" : "NLFv1",
  };
}

/** Read one submitted key (28-character or NLF JSON) into what it grants. */
export function readKey(key: unknown, ctx: KeyContext): LicenseGrant {
  if (typeof key !== "string") throw new OntapError(400, 1115159, "A license key must be a string.");
  const text = key.trim();
  if (!text) throw new OntapError(400, 1115130, "No license code was provided.");
  return text.startsWith("{") ? readNlf(text, ctx) : readShortKey(text, ctx);
}
