// Labelled software inputs: PATCH /cluster/software parameter combinations,
// download URLs and upload bodies, valid and each documented way to be
// wrong, plus the non-random boundary list (every enum value and documented
// limit of the licensing and software requests). Enum values, limits and
// version gates are read from the spec (src/contract), never retyped; codes
// come from x-ontap-error-codes and x-ontap-common-error-codes.
//
// Every PATCH that names a version carries validate_only=true or
// estimate_only=true, so a server that wrongly accepts it still only
// validates or estimates. Valid downloads and uploads do write (a package
// lands in the repository): their `effect` says so.
import fc from "fast-check";
import { COMMON_CODES, commonErrorCodes, deref, getOperation, loadSpec, operations, paramsFor, valueSchema, type Operation, type OperationId } from "../src/contract/index.ts";
import type { CallParams } from "../src/harness/context.ts";
import { rejectionCodes } from "../suites/oracles/index.ts";

export type SoftwareOperation = "software_modify" | "software_package_create" | "software_upload";
export type Effect = "none" | "validate" | "write";

export interface SoftwareVariant {
  kind: string;
  operation: SoftwareOperation;
  params: CallParams;
  valid: boolean;
  expectStatus: "2xx" | "4xx";
  /** Documented codes for this fault; any one of them is right. Empty when valid. */
  expectCodes: string[];
  /** What the request does when the server honours it. */
  effect: Effect;
  /** The label holds only in this state of the cluster. */
  precondition?: "no-update-in-progress";
  /**
   * The fault is found by the update validation, which runs as a job: a
   * server may answer 202 and fail the job with the code instead of
   * answering 4xx (both are right).
   */
  codeMayComeFromJob?: true;
  /** One line for messages. */
  what: string;
}

export interface SoftwareKindInfo {
  operation: SoftwareOperation;
  valid: boolean;
  expectStatus: "2xx" | "4xx";
  /** Union over the kind's cases (a case may carry a subset, e.g. the code for its action). */
  expectCodes: string[];
  effect: Effect;
  description: string;
  precondition?: "no-update-in-progress";
  /** Set when the contract can be read two ways; such kinds are left out unless asked for. */
  ambiguous?: string;
  codeMayComeFromJob?: true;
  /** What the target must have for the kind to exist (a package in the repository to validate, an HA pair). */
  needs?: Array<"repository" | "ha-pair">;
}

export interface SoftwareTarget {
  /** ONTAP version of the target: parameters it does not have are left out. */
  version?: string;
  nodes: Array<{ name: string; haPartner?: string }>;
  /** Versions in the package repository (valid PATCHes validate one of them). */
  repository: string[];
  exclude?: string[];
  includeAmbiguous?: boolean;
}

// ---------------------------------------------------------------- the contract

const COMMON = commonErrorCodes();
const INVALID_VALUE = [COMMON_CODES.INVALID_VALUE], FIELD_VALUE = [COMMON_CODES.INVALID_FIELD_VALUE], READ_ONLY = [COMMON_CODES.FIELD_NOT_SETTABLE], UNEXPECTED = [COMMON_CODES.UNEXPECTED_ARGUMENT], MISSING = [COMMON_CODES.REQUIRED_VALUE_MISSING];
/** The codes an action may be refused with when no update is under way: the upgrade oracle's (suites/oracles/upgrade.ts rejectionCodes). */
const idleCodes = (action: string): string[] => rejectionCodes(undefined, action);
const URL_SYNTAX = ["39387137", "10551885"];

/** The resolved schema of a query parameter of an operation. */
function queryParam(operation: string, name: string): { enum?: string[]; minimum?: number; maximum?: number; type?: string } {
  const p = getOperation(operation).params.find((x) => x.in === "query" && x.name === name);
  if (!p) throw new Error(`${operation} has no query parameter ${name}`);
  return deref(loadSpec(), p.schema);
}

const k = (operation: SoftwareOperation, valid: boolean, expectCodes: string[], effect: Effect, description: string, extra: Partial<SoftwareKindInfo> = {}): SoftwareKindInfo =>
  ({ operation, valid, expectStatus: valid ? "2xx" : "4xx", expectCodes, effect, description, ...extra });
const M = "software_modify", D = "software_package_create", U = "software_upload";
const REPO = { needs: ["repository" as const] };

export const SOFTWARE_CASE_KINDS: Record<string, SoftwareKindInfo> = {
  "modify-validate": k(M, true, [], "validate", "validate_only=true, a version from the repository and any valid mix of skip_warnings, stabilize_minutes, pause_after, nodes_to_update (whole HA pairs), force_rolling, show_validation_details", REPO),
  "modify-estimate": k(M, true, [], "validate", "estimate_only=true with a version from the repository and valid options", REPO),
  "modify-stabilize-below": k(M, false, INVALID_VALUE, "validate", "stabilize_minutes below its minimum (0 and negative)", REPO),
  "modify-stabilize-above": k(M, false, INVALID_VALUE, "validate", "stabilize_minutes above its maximum (61 and more)", REPO),
  "modify-stabilize-not-integer": k(M, false, INVALID_VALUE, "validate", "stabilize_minutes that is no integer (1.5, ten, 8m)", REPO),
  "modify-action-invalid": k(M, false, [...INVALID_VALUE, ...FIELD_VALUE], "none", "action not in its enum, including other cases of enum values: in the query 262185 (invalid value), in the body 262197 (invalid value for field)"),
  "modify-action-idle": k(M, false, [...new Set(queryParam(M, "action").enum!.flatMap(idleCodes))], "none", "each enum action (query or body) with no update in progress, refused with a code the docs give for that action (suites/oracles/upgrade.ts rejectionCodes)", { precondition: "no-update-in-progress" }),
  "modify-pause-after-invalid": k(M, false, INVALID_VALUE, "validate", "pause_after not in its enum", REPO),
  "modify-boolean-invalid": k(M, false, INVALID_VALUE, "validate", "a boolean flag other than validate_only (kept true) set to a non-boolean", REPO),
  "modify-nodes-unknown": k(M, false, [...INVALID_VALUE, "10551368"], "validate", "nodes_to_update names a node that is not in the cluster (no operation code: the common invalid value, or the HA-pair code)", { ...REPO, codeMayComeFromJob: true }),
  "modify-nodes-not-ha-pair": k(M, false, ["10551368"], "validate", "nodes_to_update names a node without its HA partner", { needs: ["repository", "ha-pair"], codeMayComeFromJob: true }),
  "modify-nodes-empty": k(M, false, ["10551368", ...INVALID_VALUE], "validate", "nodes_to_update is empty", { ...REPO, codeMayComeFromJob: true, ambiguous: "the parameter defaults to all nodes; an empty value may be read as the default" }),
  "modify-version-missing": k(M, false, ["10551872"], "validate", "validate_only=true without a version in the body"),
  "modify-version-absent": k(M, false, ["10551325", "10551315"], "validate", "a version that is not in the repository", { codeMayComeFromJob: true }),
  "modify-version-not-string": k(M, false, FIELD_VALUE, "validate", "version of another JSON type"),
  "modify-read-only-field": k(M, false, READ_ONLY, "validate", "a read-only field of software_reference in the body", REPO),
  "modify-unknown-parameter": k(M, false, UNEXPECTED, "validate", "a query parameter the operation does not have", REPO),
  "download-valid": k(D, true, [], "write", "an http, https, ftp or file URL of a package not in the repository, with or without username/password"),
  "download-credentials-in-url": k(D, true, [], "write", "an http(s) or ftp URL with user:pass@ (no documented rule refuses it)"),
  "download-scheme-unsupported": k(D, false, ["39387138"], "none", "a scheme other than http, https, ftp and file (sftp, scp, gopher, smb, ...)"),
  "download-syntax": k(D, false, URL_SYNTAX, "none", "a URL that does not parse (no scheme separator, spaces, bad brackets, bad port)"),
  "download-missing-host": k(D, false, URL_SYNTAX, "none", "an http(s) or ftp URL without a host"),
  "download-no-url": k(D, false, MISSING, "none", "a body without url"),
  "download-url-not-string": k(D, false, FIELD_VALUE, "none", "url of another JSON type"),
  "download-already-in-repository": k(D, false, ["10551327"], "none", "a URL whose package version is already in the repository", REPO),
  "upload-one-file": k(U, true, [], "write", "multipart/form-data with one part named file"),
  "upload-no-file": k(U, false, ["10551807", ...MISSING], "none", "multipart/form-data with no part"),
  "upload-two-files": k(U, false, ["10551807"], "none", "two parts named file"),
  "upload-wrong-part": k(U, false, [...UNEXPECTED, ...MISSING], "none", "one file in a part not named file"),
  "upload-not-multipart": k(U, false, ["10551808"], "none", "a body that is not multipart/form-data"),
};

// ---------------------------------------------------------------- helpers

const bool = fc.constantFrom("true", "false");
/** A version no repository holds (9.9x.y is far beyond any release). */
const absentVersion = (repo: string[]) => fc.tuple(fc.integer({ min: 90, max: 99 }), fc.integer({ min: 0, max: 9 })).map(([a, b]) => `9.${a}.${b}`).filter((v) => !repo.includes(v));
const host = fc.tuple(fc.constantFrom("packages", "mirror", "repo", "dl"), fc.constantFrom("example.com", "example.net", "example.invalid")).map(([a, b]) => `${a}.${b}`);
const segment = fc.constantFrom("images", "ontap", "pub/netapp", "release/9", "x");

function upload(parts: Array<[string, string]>): FormData {
  const form = new FormData();
  for (const [field, name] of parts) form.append(field, new Blob([new TextEncoder().encode(`ontap-conformance test package ${name}\n`)]), name);
  return form;
}

/** Names of nodes forming whole HA pairs (a node without a partner is a pair on its own). */
function groups(nodes: SoftwareTarget["nodes"]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const n of nodes) {
    if (seen.has(n.name)) continue;
    const g = n.haPartner && nodes.some((m) => m.name === n.haPartner) ? [n.name, n.haPartner] : [n.name];
    g.forEach((x) => seen.add(x));
    out.push(g);
  }
  return out;
}

// ---------------------------------------------------------------- arbitraries

/** One arbitrary per kind this target can have (kinds needing what the target lacks are left out). */
export function softwareKindArbs(t: SoftwareTarget): Record<string, fc.Arbitrary<SoftwareVariant>> {
  const has = new Set(paramsFor(getOperation(M), t.version).map((p) => p.name));
  const stab = queryParam(M, "stabilize_minutes"), actions = queryParam(M, "action").enum!, pauseAfter = queryParam(M, "pause_after").enum!;
  const bodyActions = deref(loadSpec(), loadSpec().components.schemas.software_reference.properties.action).enum as string[];
  const pairs = groups(t.nodes);
  const haPaired = t.nodes.filter((n) => n.haPartner && t.nodes.some((m) => m.name === n.haPartner));
  const repo = fc.constantFrom(...(t.repository.length ? t.repository : ["none"]));

  const info = (kind: string) => SOFTWARE_CASE_KINDS[kind];
  const make = (kind: string, params: CallParams, what: string, expectCodes = info(kind).expectCodes): SoftwareVariant => {
    const i = info(kind);
    return { kind, operation: i.operation, params, valid: i.valid, expectStatus: i.expectStatus, expectCodes, effect: i.effect, what, ...(i.precondition ? { precondition: i.precondition } : {}), ...(i.codeMayComeFromJob ? { codeMayComeFromJob: true as const } : {}) };
  };
  const show = (q: Record<string, string>, body?: unknown) => `PATCH ?${new URLSearchParams(q).toString()}${body === undefined ? "" : ` ${JSON.stringify(body)}`}`;
  /** Valid optional PATCH parameters present in the target's version. */
  const options = fc.record({
    skip_warnings: fc.option(bool, { nil: undefined }),
    stabilize_minutes: fc.option(fc.oneof(fc.constantFrom(stab.minimum!, stab.maximum!), fc.integer({ min: stab.minimum!, max: stab.maximum! })).map(String), { nil: undefined }),
    pause_after: fc.option(fc.constantFrom(...pauseAfter), { nil: undefined }),
    nodes_to_update: fc.option(fc.subarray(pairs, { minLength: 1 }).map((gs) => gs.flat().join(",")), { nil: undefined }),
    force_rolling: fc.option(bool, { nil: undefined }),
    show_validation_details: fc.option(bool, { nil: undefined }),
  }).map((o) => Object.fromEntries(Object.entries(o).filter(([name, v]) => v !== undefined && has.has(name))) as Record<string, string>);
  /** A validate-only PATCH of a repository version with one parameter changed. */
  const validating = (kind: string, q: Record<string, string>, body: unknown = undefined) =>
    repo.map((version) => { const query = { validate_only: "true", ...q }; const b = body ?? { version }; return make(kind, { query, body: b }, show(query, b)); });
  const download = (kind: string, body: unknown) => make(kind, { body }, `POST download ${JSON.stringify(body)}`);
  const packageName = (v: string) => fc.constantFrom(`${v}_image.tgz`, `${v}_q_image.tgz`, `ontap-${v}.tgz`);

  const all: Record<string, fc.Arbitrary<SoftwareVariant>> = {
    "modify-validate": fc.tuple(repo, options).map(([version, o]) => { const query = { validate_only: "true", ...o }; return make("modify-validate", { query, body: { version } }, show(query, { version })); }),
    "modify-estimate": fc.tuple(repo, options).map(([version, o]) => { const query = { estimate_only: "true", ...o }; return make("modify-estimate", { query, body: { version } }, show(query, { version })); }),
    "modify-stabilize-below": fc.oneof(fc.constant(stab.minimum! - 1), fc.integer({ min: -1000, max: stab.minimum! - 1 })).chain((n) => validating("modify-stabilize-below", { stabilize_minutes: String(n) })),
    "modify-stabilize-above": fc.oneof(fc.constant(stab.maximum! + 1), fc.integer({ min: stab.maximum! + 1, max: 100_000 })).chain((n) => validating("modify-stabilize-above", { stabilize_minutes: String(n) })),
    "modify-stabilize-not-integer": fc.constantFrom("1.5", "ten", "8m", "0x10", "1e1").chain((v) => validating("modify-stabilize-not-integer", { stabilize_minutes: v })),
    "modify-action-invalid": fc.tuple(fc.constantFrom("stop", "abort", "restart", "paused", "resumed", ...actions.map((a) => a.toUpperCase()), ...actions.map((a) => a[0].toUpperCase() + a.slice(1))), fc.boolean())
      .filter(([a]) => !actions.includes(a))
      .map(([a, inBody]) => inBody ? make("modify-action-invalid", { body: { action: a } }, `PATCH ${JSON.stringify({ action: a })}`, FIELD_VALUE) : make("modify-action-invalid", { query: { action: a } }, show({ action: a }), INVALID_VALUE)),
    "modify-action-idle": fc.tuple(fc.constantFrom(...actions), fc.boolean()).map(([a, inBody]) => {
      const codes = idleCodes(a);
      return inBody && bodyActions.includes(a) ? make("modify-action-idle", { body: { action: a } }, `PATCH ${JSON.stringify({ action: a })}`, codes) : make("modify-action-idle", { query: { action: a } }, show({ action: a }), codes);
    }),
    "modify-boolean-invalid": fc.tuple(fc.constantFrom(...["skip_warnings", "estimate_only", "force_rolling", "show_validation_details"].filter((f) => has.has(f))), fc.constantFrom("maybe", "2", "truthy", "nope", "t rue"))
      .chain(([f, v]) => validating("modify-boolean-invalid", { [f]: v })),
    "modify-nodes-unknown": fc.tuple(fc.constantFrom("node-does-not-exist", "ontap-conformance-ghost", "node99"), fc.boolean()).filter(([n]) => !t.nodes.some((x) => x.name === n))
      .chain(([ghost, withReal]) => validating("modify-nodes-unknown", { nodes_to_update: withReal && pairs.length ? [...pairs[0], ghost].join(",") : ghost })),
    "modify-nodes-empty": validating("modify-nodes-empty", { nodes_to_update: "" }),
    "modify-version-missing": fc.constantFrom({}, undefined).map((body) => make("modify-version-missing", { query: { validate_only: "true" }, ...(body ? { body } : {}) }, show({ validate_only: "true" }, body))),
    "modify-version-absent": absentVersion(t.repository).chain((v) => validating("modify-version-absent", {}, { version: v })),
    "modify-version-not-string": fc.constantFrom<unknown>(918, true, null, ["9.18.1"], { name: "9.18.1" }).chain((v) => validating("modify-version-not-string", {}, { version: v })),
    "modify-read-only-field": fc.tuple(repo, fc.constantFrom<Record<string, unknown>>({ state: "completed" }, { pending_version: "9.18.1" }, { nodes: [] }, { elapsed_duration: 1 }, { estimated_duration: 1 }))
      .map(([version, extra]) => { const body = { version, ...extra }; return make("modify-read-only-field", { query: { validate_only: "true" }, body }, show({ validate_only: "true" }, body)); }),
    "modify-unknown-parameter": fc.constantFrom("frobnicate", "stabilise_minutes", "pauseAfter", "node").chain((p) => validating("modify-unknown-parameter", { [p]: "1" })),
    "download-valid": fc.tuple(fc.constantFrom("http", "https", "ftp", "file", "HTTPS"), host, segment, absentVersion(t.repository).chain(packageName), fc.option(fc.record({ username: fc.constantFrom("admin", "ftpuser", "anonymous"), password: fc.constantFrom("secret", "p@ss:word") }), { nil: undefined }))
      .map(([scheme, h, dir, file, creds]) => download("download-valid", { url: scheme.toLowerCase() === "file" ? `file:///${dir}/${file}` : `${scheme}://${h}/${dir}/${file}`, ...(creds ?? {}) })),
    "download-credentials-in-url": fc.tuple(fc.constantFrom("http", "https", "ftp"), fc.constantFrom("user:pass", "admin:s3cret", "anonymous:", "ftp"), host, absentVersion(t.repository).chain(packageName))
      .map(([scheme, cred, h, file]) => download("download-credentials-in-url", { url: `${scheme}://${cred}@${h}/${file}` })),
    "download-scheme-unsupported": fc.tuple(fc.constantFrom("sftp", "scp", "gopher", "smb", "ldap", "tftp", "nfs", "ftps", "data", "javascript"), host, absentVersion(t.repository).chain(packageName))
      .map(([scheme, h, file]) => download("download-scheme-unsupported", { url: `${scheme}://${h}/${file}` })),
    "download-syntax": fc.tuple(host, absentVersion(t.repository).chain(packageName), fc.constantFrom("no-colon", "space-host", "bracket", "port", "only-scheme", "empty", "bare"))
      .map(([h, file, how]) => {
        const url = { "no-colon": `http//${h}/${file}`, "space-host": `http://exa mple.com/${file}`, bracket: `http://[::1/${file}`, port: `http://${h}:99999/${file}`, "only-scheme": "https://", empty: "", bare: file }[how];
        return download("download-syntax", { url });
      }),
    "download-missing-host": fc.tuple(fc.constantFrom("http", "https", "ftp"), fc.constantFrom("", "user:pass@", ":8080"), absentVersion(t.repository).chain(packageName))
      .map(([scheme, mid, file]) => download("download-missing-host", { url: `${scheme}://${mid}/${file}` })),
    "download-no-url": fc.constantFrom<Record<string, unknown>>({}, { username: "admin", password: "secret" }).map((body) => download("download-no-url", body)),
    "download-url-not-string": fc.constantFrom<unknown>(42, true, null, ["http://packages.example.com/9.99.1_image.tgz"], { href: "http://packages.example.com/9.99.1_image.tgz" }).map((url) => download("download-url-not-string", { url })),
    "download-already-in-repository": fc.tuple(repo, fc.constantFrom("http", "https", "ftp"), host).map(([v, scheme, h]) => download("download-already-in-repository", { url: `${scheme}://${h}/${v}_image.tgz` })),
    "upload-one-file": absentVersion(t.repository).chain(packageName).map((f) => make("upload-one-file", { multipart: upload([["file", f]]) }, `POST upload file=${f}`)),
    "upload-no-file": fc.constant(null).map(() => make("upload-no-file", { multipart: new FormData() }, "POST upload with no part")),
    "upload-two-files": fc.tuple(absentVersion(t.repository), absentVersion(t.repository)).map(([a, b]) => make("upload-two-files", { multipart: upload([["file", `${a}_image.tgz`], ["file", `${b}_image.tgz`]]) }, `POST upload file=${a}_image.tgz file=${b}_image.tgz`)),
    "upload-wrong-part": fc.tuple(fc.constantFrom("package", "image", "files", "File", "upload"), absentVersion(t.repository)).map(([field, v]) => make("upload-wrong-part", { multipart: upload([[field, `${v}_image.tgz`]]) }, `POST upload ${field}=${v}_image.tgz`)),
    "upload-not-multipart": fc.constantFrom(["application/json", "{}"], ["application/json", '{"file":"9.99.1_image.tgz"}'], ["application/octet-stream", "\u0000\u0001binary"], ["text/plain", "file=9.99.1_image.tgz"], ["application/x-www-form-urlencoded", "file=9.99.1_image.tgz"])
      .map(([contentType, text]) => make("upload-not-multipart", { rawBody: { text, contentType } }, `POST upload as ${contentType}`)),
  };
  if (has.has("pause_after")) all["modify-pause-after-invalid"] = fc.constantFrom("never", "takeover", "giveback", "ALL", "None", "each_node").filter((v) => !pauseAfter.includes(v)).chain((v) => validating("modify-pause-after-invalid", { pause_after: v }));
  if (has.has("nodes_to_update") && haPaired.length) all["modify-nodes-not-ha-pair"] = fc.constantFrom(...haPaired).chain((n) => validating("modify-nodes-not-ha-pair", { nodes_to_update: n.name }));
  if (!has.has("nodes_to_update")) { delete all["modify-nodes-unknown"]; delete all["modify-nodes-empty"]; }
  if (!has.has("stabilize_minutes")) for (const kind of ["modify-stabilize-below", "modify-stabilize-above", "modify-stabilize-not-integer"]) delete all[kind];
  if (!has.has("estimate_only")) delete all["modify-estimate"];
  // Without a repository version a changed-parameter PATCH would have two faults (its own and the missing package).
  if (!t.repository.length) for (const [kind, i] of Object.entries(SOFTWARE_CASE_KINDS)) if (i.needs?.includes("repository")) delete all[kind];

  const skip = new Set(t.exclude ?? []);
  return Object.fromEntries(Object.entries(all).filter(([kind]) => !skip.has(kind) && (t.includeAmbiguous || !SOFTWARE_CASE_KINDS[kind].ambiguous)));
}

/** One case of any kind this target can have. `only` narrows to operations or to valid/invalid cases. */
export function softwareVariantArb(t: SoftwareTarget, only: { operations?: SoftwareOperation[]; valid?: boolean; effects?: Effect[] } = {}): fc.Arbitrary<SoftwareVariant> {
  const arbs = Object.entries(softwareKindArbs(t)).filter(([kind]) => {
    const i = SOFTWARE_CASE_KINDS[kind];
    return (!only.operations || only.operations.includes(i.operation)) && (only.valid === undefined || only.valid === i.valid) && (!only.effects || only.effects.includes(i.effect));
  });
  if (!arbs.length) throw new Error("no software case kind fits this target and filter");
  return fc.oneof(...arbs.map(([, a]) => a));
}

// ---------------------------------------------------------------- boundaries

export interface BoundaryCase {
  kind: "enum-value" | "integer-minimum" | "integer-maximum" | "integer-below-minimum" | "integer-above-maximum" | "string-empty" | "string-long";
  operation: OperationId;
  param: string;
  in: "query" | "body";
  value: string | number;
  params: CallParams;
  /** false: must be refused; "undocumented": the contract does not say (any answer but a 5xx). */
  valid: boolean | "undocumented";
  expectStatus: "2xx" | "4xx" | "2xx|4xx";
  expectCodes: string[];
  effect: Effect;
  precondition?: "no-update-in-progress";
  /** As SoftwareVariant.codeMayComeFromJob. */
  codeMayComeFromJob?: true;
  what: string;
}

/** Length of the "maximal" string: the contract documents no maxLength, so a long value that must still be handled. */
export const LONG_STRING_LENGTH = 4096;

/** Operations whose requests the boundary list covers. */
const AREAS = new Set(["licensing", "software"]);
/** Writes whose query parameters are filters of a DELETE: sending them deletes, and licenses_get covers the same filters. */
const DESTRUCTIVE_FILTERS = new Set(["license_delete_collection"]);

/**
 * Every enum value of every query parameter and writable body enum of the
 * licensing and software requests, every documented integer limit (at, and
 * one past, each bound) and empty and long strings, for the target's version.
 * GETs carry only the parameter; PATCH /cluster/software carries
 * validate_only=true and a repository version, so nothing changes. Writes
 * other than that PATCH are left out (no harmless base request exists).
 */
export function boundaryCases(t: SoftwareTarget): BoundaryCase[] {
  const doc = loadSpec();
  const out: BoundaryCase[] = [];
  const version = t.repository[0];
  const base = (op: Operation): { query: Record<string, string>; body?: unknown } | undefined =>
    op.method === "GET" ? { query: {} } : op.id === M && version ? { query: { validate_only: "true" }, body: { version } } : undefined;
  const push = (op: Operation, c: Omit<BoundaryCase, "operation" | "params" | "effect" | "what">, extra: { query?: Record<string, string>; body?: unknown } = {}) => {
    const b = base(op)!;
    const query = { ...b.query, ...(extra.query ?? {}) };
    const body = extra.body ?? b.body;
    const params: CallParams = { query, ...(body === undefined ? {} : { body }) };
    const effect: Effect = op.method === "GET" || c.expectStatus === "4xx" ? "none" : "validate";
    const shown = Object.entries(query).map(([n, v]) => `${n}=${v.length > 40 ? `${v.slice(0, 20)}…(${v.length})` : v}`).join("&");
    out.push({ ...c, operation: op.id, params, effect, what: `${op.method} ${op.apiPath}?${shown}${body === undefined ? "" : ` ${JSON.stringify(body).slice(0, 80)}`}` });
  };
  const long = "a".repeat(LONG_STRING_LENGTH);

  // Item GETs (a path parameter) are left out: their filters are the collection's, which the list covers.
  for (const op of operations().filter((o) => o.tags.some((tag) => AREAS.has(tag)) && !DESTRUCTIVE_FILTERS.has(o.id) && !o.path.includes("{"))) {
    if (!base(op)) continue;
    for (const p of paramsFor(op, t.version).filter((x) => x.in === "query")) {
      // A filter's values are those of its field (its own schema is a query-language string).
      const s = valueSchema(p);
      const q = (v: string | number) => ({ query: { [p.name]: String(v) } });
      if (Array.isArray(s.enum)) {
        for (const v of s.enum as string[]) {
          if (op.id === M && p.name === "action") {
            // An action needs no version: the PATCH is the action alone.
            out.push({ kind: "enum-value", operation: op.id, param: p.name, in: "query", value: v, params: { query: { action: v } }, valid: false, expectStatus: "4xx", expectCodes: idleCodes(v), effect: "none", precondition: "no-update-in-progress", what: `PATCH ${op.apiPath}?action=${v} (no update in progress)` });
          } else push(op, { kind: "enum-value", param: p.name, in: "query", value: v, valid: true, expectStatus: "2xx", expectCodes: [] }, q(v));
        }
      }
      if (s.type === "integer" && (s.minimum !== undefined || s.maximum !== undefined)) {
        const lo = s.minimum as number | undefined, hi = s.maximum as number | undefined;
        const ok = (kind: BoundaryCase["kind"], v: number) => push(op, { kind, param: p.name, in: "query", value: v, valid: true, expectStatus: "2xx", expectCodes: [] }, q(v));
        const bad = (kind: BoundaryCase["kind"], v: number) => push(op, { kind, param: p.name, in: "query", value: v, valid: false, expectStatus: "4xx", expectCodes: INVALID_VALUE }, q(v));
        if (lo !== undefined) { ok("integer-minimum", lo); bad("integer-below-minimum", lo - 1); }
        // No maximum (max_records): the value just above the minimum stands in for it.
        if (hi !== undefined) { ok("integer-maximum", hi); bad("integer-above-maximum", hi + 1); } else if (lo !== undefined) ok("integer-maximum", lo + 1);
      }
      if (s.type === "string" && !s.enum && !s.format && op.method === "GET" && p.filter) {
        // An empty filter: the conventions do not say whether it matches nothing or is refused (262194).
        push(op, { kind: "string-empty", param: p.name, in: "query", value: "", valid: "undocumented", expectStatus: "2xx|4xx", expectCodes: [] }, q(""));
        push(op, { kind: "string-long", param: p.name, in: "query", value: long, valid: true, expectStatus: "2xx", expectCodes: [] }, q(long));
      }
    }
    if (op.id === M && version) {
      if (paramsFor(op, t.version).some((p) => p.name === "nodes_to_update")) {
        push(op, { kind: "string-empty", param: "nodes_to_update", in: "query", value: "", valid: "undocumented", expectStatus: "2xx|4xx", expectCodes: [] }, { query: { nodes_to_update: "" } });
        push(op, { kind: "string-long", param: "nodes_to_update", in: "query", value: long, valid: false, expectStatus: "4xx", expectCodes: [...INVALID_VALUE, "10551368"], codeMayComeFromJob: true }, { query: { nodes_to_update: long } });
      }
      push(op, { kind: "string-empty", param: "version", in: "body", value: "", valid: false, expectStatus: "4xx", expectCodes: ["10551872", "10551325"], codeMayComeFromJob: true }, { body: { version: "" } });
      push(op, { kind: "string-long", param: "version", in: "body", value: long, valid: false, expectStatus: "4xx", expectCodes: ["10551325", "10551315"], codeMayComeFromJob: true }, { body: { version: long } });
      // Writable body enums of the PATCH (software_reference.action): alone, like the query action.
      const action = deref(doc, doc.components.schemas.software_reference.properties.action);
      for (const v of action.enum as string[]) out.push({ kind: "enum-value", operation: op.id, param: "action", in: "body", value: v, params: { body: { action: v } }, valid: false, expectStatus: "4xx", expectCodes: idleCodes(v), effect: "none", precondition: "no-update-in-progress", what: `PATCH ${op.apiPath} {"action":"${v}"} (no update in progress)` });
    }
  }
  return out;
}

/** Codes the software catalogue and boundaries use that the contract does not document (should be none). */
export function undocumentedSoftwareCodes(t: SoftwareTarget): string[] {
  const used = [
    ...Object.values(SOFTWARE_CASE_KINDS).map((i) => ({ op: i.operation, codes: i.expectCodes })),
    ...boundaryCases(t).map((b) => ({ op: b.operation, codes: b.expectCodes })),
  ];
  return [...new Set(used.flatMap(({ op, codes }) => codes.filter((c) => !(c in getOperation(op).errorCodes) && !(c in COMMON)).map((c) => `${op}:${c}`)))];
}
