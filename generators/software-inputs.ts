// Labelled software inputs that a server MUST reject: PATCH /cluster/software
// parameter combinations out of their documented ranges and enums, download
// URLs with bad syntax or schemes, and upload bodies that are not one file in
// a "file" part. Enums and limits come from the spec's query parameters.
// Every case is rejected by construction, so sending one changes nothing on a
// conformant server (the property checks that it did not).
import fc from "fast-check";
import { getOperation, paramsFor } from "../src/contract/index.ts";
import type { CallParams } from "../src/harness/context.ts";

export interface SoftwareCase {
  kind: string;
  operation: "software_modify" | "software_package_create" | "software_upload";
  params: CallParams;
  /** Codes the contract gives for this fault (common codes by meaning, or the operation's table). */
  expectCodes: string[];
  /** One line for messages. */
  what: string;
}

const INVALID_VALUE = ["262185"]; // common: invalid value (query parameters)
const FIELD_TYPE = ["262197"]; // common: invalid value for field (body)
const READ_ONLY_FIELD = ["262196"]; // common: field cannot be set in this operation

/** The spec's schema of a query parameter of an operation. */
function query(operation: string, name: string): { enum?: string[]; minimum?: number; maximum?: number } {
  return getOperation(operation).params.find((p) => p.in === "query" && p.name === name)!.schema;
}

export const SOFTWARE_CASE_KINDS = [
  "stabilize-below", "stabilize-above", "action-not-in-enum", "pause-after-not-in-enum", "boolean-not-boolean",
  "version-not-string", "read-only-field", "version-not-in-repository",
  "url-syntax", "url-scheme", "url-missing",
  "upload-no-file", "upload-two-files", "upload-wrong-part", "upload-not-multipart",
] as const;

/** A version no repository holds. */
const absent = fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `0.${a}.${b}`);
const notInEnum = (values: string[]) => fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !values.includes(s) && /^[\w-]+$/.test(s));

function file(name: string): Blob {
  return new Blob([new TextEncoder().encode(`ontap-conformance test package ${name}\n`)]);
}

/** Cases for a target running `version` (parameters it does not have yet are left out). */
export function softwareCaseArb(version?: string): fc.Arbitrary<SoftwareCase> {
  const has = new Set(paramsFor(getOperation("software_modify"), version).map((p) => p.name));
  const stab = query("software_modify", "stabilize_minutes");
  const actions = query("software_modify", "action").enum!;
  const pauseAfter = query("software_modify", "pause_after").enum!;
  const modify = (kind: string, what: string, q: Record<string, string>, body: unknown, expectCodes: string[]): SoftwareCase => ({
    kind, operation: "software_modify", what, expectCodes,
    // validate_only: should a server wrongly accept the input, it still only validates.
    params: { query: { validate_only: "true", ...q }, body },
  });
  const codes = getOperation("software_modify").errorCodes;
  const notPresent = Object.keys(codes).filter((c) => /not present|not found/i.test(codes[c].meaning));
  const url = (kind: string, u: string | undefined, expectCodes: string[]): SoftwareCase => ({
    kind, operation: "software_package_create", what: `download ${u === undefined ? "without url" : JSON.stringify(u)}`, params: { body: u === undefined ? {} : { url: u } }, expectCodes,
  });
  const upload = (kind: string, what: string, parts: Array<[string, string]>, expectCodes: string[]): SoftwareCase => {
    const form = new FormData();
    for (const [field, name] of parts) form.append(field, file(name), name);
    return { kind, operation: "software_upload", what, params: { multipart: form }, expectCodes };
  };
  const arbs: Array<fc.Arbitrary<SoftwareCase>> = [
    fc.integer({ min: -5, max: stab.minimum! - 1 }).map((n) => modify("stabilize-below", `stabilize_minutes=${n}`, { stabilize_minutes: String(n) }, { version: "9.99.1" }, INVALID_VALUE)),
    fc.integer({ min: stab.maximum! + 1, max: 10_000 }).map((n) => modify("stabilize-above", `stabilize_minutes=${n}`, { stabilize_minutes: String(n) }, { version: "9.99.1" }, INVALID_VALUE)),
    notInEnum(actions).map((a) => ({ ...modify("action-not-in-enum", `action=${a}`, {}, {}, INVALID_VALUE), params: { query: { action: a }, body: {} } })),
    notInEnum(pauseAfter).map((p) => modify("pause-after-not-in-enum", `pause_after=${p}`, { pause_after: p }, { version: "9.99.1" }, INVALID_VALUE)),
    fc.tuple(fc.constantFrom("skip_warnings", "force_rolling", "show_validation_details"), fc.constantFrom("yes", "2", "maybe")).map(([f, v]) => modify("boolean-not-boolean", `${f}=${v}`, { [f]: v }, { version: "9.99.1" }, INVALID_VALUE)),
    fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)).map((v) => modify("version-not-string", `version: ${JSON.stringify(v)}`, {}, { version: v }, FIELD_TYPE)),
    fc.constantFrom({ state: "completed" }, { pending_version: "9.99.1" }, { nodes: [] }).map((b) => modify("read-only-field", `read-only ${Object.keys(b)[0]} in the body`, {}, { version: "9.99.1", ...b }, READ_ONLY_FIELD)),
    absent.map((v) => modify("version-not-in-repository", `version ${v}`, {}, { version: v }, notPresent)),
    fc.constantFrom("", "http://", "http://[::1", "://no-scheme", "http//missing-colon/x.tgz").map((u) => url("url-syntax", u, ["39387137"])),
    fc.tuple(fc.constantFrom("gopher", "sftp", "mailto", "ldap", "smb"), fc.webSegment()).map(([s, p]) => url("url-scheme", `${s}://packages.example.invalid/${p || "x"}_image.tgz`, ["39387138"])),
    fc.constant(url("url-missing", undefined, ["262212"])),
    fc.constant(upload("upload-no-file", "an upload with no part", [], ["10551807"])),
    fc.constant(upload("upload-two-files", "an upload with two files", [["file", "a_image.tgz"], ["file", "b_image.tgz"]], ["10551807"])),
    fc.constantFrom("package", "image", "files").map((f) => upload("upload-wrong-part", `an upload in a part named "${f}"`, [[f, "a_image.tgz"]], ["262179"])),
    fc.constantFrom("application/json", "application/octet-stream", "text/plain").map((ct) => ({ kind: "upload-not-multipart", operation: "software_upload" as const, what: `an upload sent as ${ct}`, params: { rawBody: { text: "{}", contentType: ct } }, expectCodes: ["10551808"] })),
  ];
  // Cases that send a query parameter the release does not have yet are left out.
  return fc.oneof(...arbs).filter((c) => c.operation !== "software_modify" || Object.keys(c.params.query ?? {}).every((k) => has.has(k)));
}
