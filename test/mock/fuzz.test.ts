// The reference mock under bad input: every operation of the contract gets
// malformed and oversized JSON, wrong types, readOnly and unknown fields,
// huge and unicode strings, path traversal and encoded dots in path
// parameters, duplicate, unknown and ill-typed query parameters, and (the
// upload) broken multipart bodies. Every request is built on a harmless base
// (names that do not exist, validate_only, a URL scheme ONTAP refuses), so
// nothing valid can change state by accident.
//
// The property: never a 5xx; a 4xx carries ONTAP's error envelope with a code
// documented for the operation (or common to all); a 2xx only where the input
// happens to be valid (a read, or a literal `..` that lands on another
// operation, as ONTAP resolves it, ref §5.8); and the mock's state is the
// same before and after. Deterministic: a fixed seed unless FC_SEED is set;
// fast-check prints the seed and path of a failure.
import { request as httpRequest, Agent } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptedParams, commonErrorCodes, deref, loadSpec, matchOperation, operations, validateResponse, type Json, type Operation } from "../../src/contract/index.ts";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { MAX_JSON_BODY } from "../../mock/server/dispatch.ts";

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20260601;
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 20);

interface Case {
  kind: string;
  method: string;
  /** Exactly as sent on the request line (already encoded where it must be). */
  target: string;
  contentType?: string;
  body?: Buffer;
  /** The input may be valid: a 2xx is allowed if it is documented for the operation the path resolves to. */
  mayPass?: boolean;
}

interface Base {
  path?: Record<string, string>;
  query?: Array<[string, string]>;
  body?: Record<string, unknown>;
}

const MISSING = "ontap-conformance-missing-0000";
const UPLOAD_BOUNDARY = "ontapfuzzboundary";

/** A request of each operation that changes nothing even if it reached the handler. */
const BASE: Record<string, Base> = {
  license_create: { body: { keys: ["AMEPOSOIKLKGEEDGNDEKSJDEEE"] } },
  license_delete_collection: { query: [["serial_number", "0"], ["name", MISSING]] },
  license_get: { path: { name: MISSING } },
  license_delete: { path: { name: MISSING }, query: [["serial_number", "0"]] },
  software_modify: { query: [["validate_only", "true"]], body: { version: "0.0.0" } },
  software_package_create: { body: { url: "gopher://packages.example.invalid/0.0.0_image.tgz" } },
  software_package_get: { path: { version: "0.0.0-ontap-conformance" } },
  software_package_delete: { path: { version: "0.0.0-ontap-conformance" } },
  job_get: { path: { uuid: "00000000-0000-0000-0000-000000000000" } },
  node_get: { path: { uuid: "00000000-0000-0000-0000-000000000000" } },
};

/** Path parameters as ONTAP clients abuse them: literal and encoded dots, encoded slashes, broken escapes. */
const TRAVERSAL = [
  "..", ".", "../..", "../../..", "..%2F..", "..%2f..%2fsoftware", "%2e%2e", "%2E%2E", "%2e", ".%2e", "%2e.", "%2e%2e%2f%2e%2e",
  "%2F", "a%2Fb", "%2F..%2F", "..;", "..;%2F", "%252e%252e", "%c0%ae%c0%ae", "%", "%zz", "%00", "..%00", "..\\..", "....//", "%2e%2e%5c", "~", "*",
];

const SPEC = loadSpec();
const schemaOf = (name: string): Json => SPEC.components.schemas[name];

/** Writable top-level properties of a request body schema, with their declared JSON type. */
function writable(op: Operation): Array<{ name: string; type?: string; items?: string; enum?: unknown[] }> {
  const s = op.requestBody?.schemaName ? schemaOf(op.requestBody.schemaName) : undefined;
  return Object.entries<Json>(s?.properties ?? {})
    .map(([name, raw]) => ({ name, prop: deref(SPEC, raw), ro: raw.readOnly }))
    .filter(({ prop, ro }) => !(ro ?? prop.readOnly))
    .map(({ name, prop }) => ({ name, type: prop.type, items: deref(SPEC, prop.items ?? {}).type, enum: prop.enum }));
}

function readOnlyProps(op: Operation): string[] {
  const s = op.requestBody?.schemaName ? schemaOf(op.requestBody.schemaName) : undefined;
  return Object.entries<Json>(s?.properties ?? {}).filter(([, raw]) => raw.readOnly ?? deref(SPEC, raw).readOnly).map(([n]) => n);
}

const jsonTypeOf = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);

/** A value that is not of `type` (an integer is a number too). */
function wrongFor(type: string | undefined): fc.Arbitrary<unknown> {
  return fc.jsonValue().filter((v) => {
    const t = jsonTypeOf(v);
    if (!type) return false;
    if (type === "number") return t !== "integer" && t !== "number";
    return t !== type;
  });
}

const isJson = (s: string) => { try { JSON.parse(s); return true; } catch { return false; } };

const malformedJson = fc.oneof(
  fc.jsonValue().chain((v) => { const s = JSON.stringify(v) ?? "null"; return fc.nat({ max: Math.max(0, s.length - 1) }).map((n) => `${s.slice(0, n)}${s.length > 1 ? "" : "{"}`); }),
  fc.constantFrom("{", "}", "[1,", "{'keys':[]}", "{\"keys\":[\"a\",]}", "nul", "NaN", "{\"a\":1}}", "\u0000", "\ufeff{}", "{\"a\":\"\\x00\"}", "01", "--1", "{\"a\" 1}"),
  fc.string({ unit: "binary", minLength: 1, maxLength: 200 }),
).filter((s) => s.length > 0 && !isJson(s));

/** Huge (up to ~400 KB) or short strings of any code points, lone surrogates included. */
const weirdString = fc.oneof(
  fc.string({ unit: "binary", minLength: 1, maxLength: 64 }),
  fc.tuple(fc.string({ unit: "binary", minLength: 1, maxLength: 8 }), fc.integer({ min: 1000, max: 50_000 })).map(([s, n]) => s.repeat(n)),
  fc.constantFrom("\ud800", "\udfff", "e\u0301", "\u202e", "\u0000", "𝕆𝕟𝕥𝕒𝕡", "\ufffe", "ℌ".repeat(10_000)),
);

/** A short unicode string for URLs (the request line stays within Node's 16 KB header limit). */
const urlString = fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 40 }), fc.constantFrom("é", "\u202e", "𝕆𝕟𝕥𝕒𝕡", "ℌ".repeat(1000)));

/** Lone surrogates as U+FFFD (String.prototype.toWellFormed, ES2024). */
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

/** Percent-encode a string as a path segment or query component. */
const enc = (s: string) => encodeURIComponent(wellFormed(s));

function pathOf(op: Operation, params: Record<string, string>, raw = false): string {
  return op.apiPath.replace(/\{([^}]+)\}/g, (_m, n: string) => (raw ? params[n] : enc(params[n])));
}

function queryText(pairs: Array<[string, string]>, raw = false): string {
  if (!pairs.length) return "";
  return `?${pairs.map(([k, v]) => (raw ? `${k}=${v}` : `${enc(k)}=${enc(v)}`)).join("&")}`;
}

/** The upload's harmless multipart body: one "file" part named after a package the mock already holds (409). */
function multipart(parts: Array<{ name: string; filename?: string; data?: string }>, boundary = UPLOAD_BOUNDARY, close = true): Buffer {
  const lines = parts.map((p) => `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ""}\r\n${p.filename !== undefined ? "Content-Type: application/octet-stream\r\n" : ""}\r\n${p.data ?? "x"}\r\n`);
  return Buffer.from(`${lines.join("")}${close ? `--${boundary}--\r\n` : ""}`);
}

interface Parts { path: Record<string, string>; query: Array<[string, string]>; body?: Buffer; contentType?: string }

function baseParts(op: Operation): Parts {
  const b = BASE[op.id] ?? {};
  if (op.id === "software_upload") {
    return { path: {}, query: [], body: multipart([{ name: "file", filename: "9.7.0.tgz" }]), contentType: `multipart/form-data; boundary=${UPLOAD_BOUNDARY}` };
  }
  return { path: { ...b.path }, query: [...(b.query ?? [])], body: b.body ? Buffer.from(JSON.stringify(b.body)) : undefined, contentType: b.body ? "application/json" : undefined };
}

/** A case prints short in fast-check's counterexample (bodies can be megabytes). */
function printable(c: Case): Case {
  const text = `${c.kind}: ${c.method} ${c.target.length > 200 ? `${c.target.slice(0, 200)}… (${c.target.length} chars)` : c.target} ${c.contentType ?? ""} ${c.body ? JSON.stringify(c.body.subarray(0, 200).toString("utf8")) + (c.body.length > 200 ? `… (${c.body.length} bytes)` : "") : ""}`;
  return Object.assign(c, { [fc.toStringMethod]: () => text });
}

function build(op: Operation, kind: string, p: Parts, extra: Partial<Case> = {}): Case {
  return printable({ kind, method: op.method, target: `${pathOf(op, p.path)}${queryText(p.query)}`, contentType: p.contentType, body: p.body, ...extra });
}

const jsonBody = (v: unknown): Pick<Parts, "body" | "contentType"> => ({ body: Buffer.from(JSON.stringify(v)), contentType: "application/json" });

/** Every kind of bad input that applies to `op`. */
function casesFor(op: Operation): fc.Arbitrary<Case> {
  const base = baseParts(op);
  const baseBody = BASE[op.id]?.body ?? {};
  const queryParams = op.params.filter((p) => p.in === "query");
  const pathParams = op.params.filter((p) => p.in === "path");
  const jsonBodied = Boolean(op.requestBody) && op.id !== "software_upload";
  const arbs: Array<fc.Arbitrary<Case>> = [];

  arbs.push(malformedJson.map((s) => build(op, "malformed-json", { ...base, body: Buffer.from(s), contentType: "application/json" })));
  arbs.push(fc.integer({ min: 1, max: 4096 }).map((extra) => {
    const filler = "A".repeat(MAX_JSON_BODY + extra - 12);
    return build(op, "oversized-json", { ...base, ...jsonBody({ keys: [filler] }) });
  }));
  arbs.push(fc.tuple(fc.constantFrom("zz_", "x-", "Ünknown_", ""), fc.string({ unit: "binary", minLength: 1, maxLength: 20 }), fc.string({ maxLength: 20 }))
    .filter(([pre, k]) => !acceptedParams(op).some((x) => x.name === `${pre}${k}`) && `${pre}${k}` !== "start.cursor" && wellFormed(`${pre}${k}`).trim() !== "")
    .map(([pre, k, v]) => build(op, "unknown-query", { ...base, query: [...base.query, [`${pre}${k}`, v]] })));
  if (queryParams.length) {
    arbs.push(fc.tuple(fc.constantFrom(...queryParams), fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }))
      .map(([p, a, b]) => build(op, "duplicate-query", { ...base, query: [...base.query.filter(([k]) => k !== p.name), [p.name, a], [p.name, b]] })));
  }
  const typed = queryParams.filter((p) => !p.filter && (p.schema?.type === "integer" || p.schema?.type === "boolean" || p.schema?.enum));
  if (typed.length) {
    arbs.push(fc.tuple(fc.constantFrom(...typed), fc.oneof(fc.constantFrom("-1", "1.5", "1e3", "yes", "TRUE ", "", "0x10", "9".repeat(40), "null"), urlString))
      .filter(([p, v]) => !(p.schema?.enum ?? []).includes(v) && !(p.schema?.type === "boolean" && /^(true|false)$/i.test(v)) && !(p.schema?.type === "integer" && /^\d{1,9}$/.test(v)))
      .map(([p, v]) => build(op, "wrong-type-query", { ...base, query: [...base.query.filter(([k]) => k !== p.name), [p.name, v]] })));
  }
  if (op.method === "GET") {
    // Filters take any string: a read with a strange value is valid, and must still never break the mock.
    const filters = queryParams.filter((p) => p.filter);
    if (filters.length) {
      arbs.push(fc.tuple(fc.constantFrom(...filters), urlString).map(([p, v]) => build(op, "unicode-filter", { ...base, query: [...base.query, [p.name, v]] }, { mayPass: true })));
    }
  }
  if (pathParams.length) {
    arbs.push(fc.tuple(fc.constantFrom(...pathParams), fc.constantFrom(...TRAVERSAL), fc.constantFrom("", "x", "9.7.0"), fc.constantFrom("", "x", "%2F"))
      .map(([p, t, pre, post]) => {
        const raw = Object.fromEntries(Object.entries(base.path).map(([k, v]) => [k, enc(v)]));
        raw[p.name] = `${pre}${t}${post}`;
        return printable({ kind: "path-traversal", method: op.method, target: `${pathOf(op, raw, true)}${queryText(base.query)}`, contentType: base.contentType, body: base.body, mayPass: true });
      }));
    arbs.push(fc.tuple(fc.constantFrom(...pathParams), weirdString.map((s) => s.slice(0, 1000)))
      .map(([p, s]) => build(op, "unicode-path", { ...base, path: { ...base.path, [p.name]: s } })));
  } else {
    arbs.push(fc.constantFrom(...TRAVERSAL).map((t) => printable({ kind: "path-traversal", method: op.method, target: `${op.apiPath}/${t}${queryText(base.query)}`, contentType: base.contentType, body: base.body, mayPass: true })));
  }
  if (!op.requestBody) {
    // A body where none is taken: any JSON but {} is refused.
    arbs.push(fc.jsonValue().filter((v) => !(v && typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length))
      .map((v) => build(op, "unexpected-body", { ...base, ...jsonBody(v) })));
  }
  if (jsonBodied) {
    const props = writable(op).filter((p) => p.type);
    arbs.push(fc.tuple(fc.constantFrom(...props), fc.boolean()).chain(([p, inArray]) =>
      (p.type === "array" && p.items && inArray ? wrongFor(p.items).map((v) => [v]) : wrongFor(p.type)).map((v) => build(op, "wrong-type-body", { ...base, ...jsonBody({ ...baseBody, [p.name]: v }) }))));
    arbs.push(fc.oneof(fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.string(), fc.integer(), fc.boolean())
      .map((v) => build(op, "wrong-type-body", { ...base, ...jsonBody(v) })));
    const ro = readOnlyProps(op);
    if (ro.length) {
      arbs.push(fc.tuple(fc.constantFrom(...ro), fc.jsonValue()).map(([n, v]) => build(op, "readonly-field", { ...base, ...jsonBody({ ...baseBody, [n]: v }) })));
    }
    arbs.push(fc.tuple(fc.string({ unit: "binary", minLength: 1, maxLength: 20 }), fc.jsonValue())
      .filter(([k]) => !(k in (schemaOf(op.requestBody!.schemaName!).properties ?? {})))
      .map(([k, v]) => build(op, "unknown-field", { ...base, ...jsonBody({ ...baseBody, [`zz_${k}`]: v }) })));
    const strings = props.filter((p) => p.type === "string" || (p.type === "array" && p.items === "string"));
    // Strings that cannot be valid: keys with a non-ASCII character, URLs without an ASCII scheme, versions no package has.
    // (A body of records only, the query DELETE's, has no string of its own.)
    if (strings.length) arbs.push(fc.tuple(fc.constantFrom(...strings), weirdString).map(([p, s]) => {
      const v = p.name === "url" ? `é${s}` : p.name === "keys" ? `${s}é` : p.name === "version" ? `é${s}` : s;
      return build(op, "unicode-body", { ...base, ...jsonBody({ ...baseBody, [p.name]: p.type === "array" ? [v] : v }) });
    }));
  }
  let multipartArb: fc.Arbitrary<Case> | undefined;
  if (op.id === "software_upload") {
    const mp = (b: string) => `multipart/form-data; boundary=${b}`;
    multipartArb = (fc.oneof(
      fc.constant({ contentType: "multipart/form-data", body: multipart([{ name: "file", filename: "9.98.1.tgz" }]) }),
      fc.constant({ contentType: mp("other"), body: multipart([{ name: "file", filename: "9.98.1.tgz" }]) }),
      fc.constant({ contentType: mp(UPLOAD_BOUNDARY), body: multipart([{ name: "file", filename: "9.98.1.tgz" }], UPLOAD_BOUNDARY, false) }),
      fc.nat({ max: 200 }).map((n) => ({ contentType: mp(UPLOAD_BOUNDARY), body: multipart([{ name: "file", filename: "9.98.1.tgz", data: "y".repeat(100) }]).subarray(0, n) })),
      fc.constant({ contentType: mp(UPLOAD_BOUNDARY), body: multipart([]) }),
      fc.constant({ contentType: mp(UPLOAD_BOUNDARY), body: multipart([{ name: "file", filename: "9.98.1.tgz" }, { name: "file", filename: "9.98.2.tgz" }]) }),
      fc.string({ unit: "binary", minLength: 1, maxLength: 20 }).filter((n) => n !== "file" && !/["\r\n]/.test(n)).map((n) => ({ contentType: mp(UPLOAD_BOUNDARY), body: multipart([{ name: n, filename: "9.98.1.tgz" }]) })),
      fc.constant({ contentType: mp(UPLOAD_BOUNDARY), body: multipart([{ name: "file" }]) }),
      fc.constant({ contentType: mp(UPLOAD_BOUNDARY), body: multipart([{ name: "file", filename: "9.7.0.tgz" }]) }),
      fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => ({ contentType: mp(UPLOAD_BOUNDARY), body: Buffer.from(bytes) })),
      fc.constant({ contentType: "multipart/mixed; boundary=x", body: multipart([{ name: "file", filename: "9.98.1.tgz" }], "x") }),
      fc.constant({ contentType: mp(""), body: Buffer.from("--\r\n") }),
      fc.constant({ contentType: "text/plain", body: Buffer.from("9.98.1.tgz") }),
    ).map((m) => build(op, "bad-multipart", { ...base, ...m })));
    arbs.push(multipartArb);
  }
  // The upload's own kind of bad input gets most of its runs.
  return fc.oneof(...arbs.map((arbitrary) => ({ arbitrary, weight: arbitrary === multipartArb ? 6 : 1 })));
}

// ------------------------------------------------------------ the property

let mock: MockHandle;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const figures = { requests: 0, fivexx: 0, codes: new Set<string>(), kinds: new Map<string, number>() };

function send(c: Case): Promise<{ status: number; text: string }> {
  const url = new URL(mock.url);
  const auth = `Basic ${Buffer.from(`${mock.options.username}:${mock.options.password}`).toString("base64")}`;
  const headers: Record<string, string> = { authorization: auth, accept: "application/hal+json" };
  if (c.contentType !== undefined) headers["content-type"] = c.contentType;
  if (c.body) headers["content-length"] = String(c.body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: c.method, path: c.target, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(c.body);
  });
}

/** What must not change: licenses, packages, history, download, upgrade, node versions and jobs. */
const stateText = () => JSON.stringify(mock.state().snapshot());

/** The operation the mock resolves the request to (literal dot segments collapsed, as ONTAP does). */
function resolved(c: Case): Operation | undefined {
  const raw = c.target.split("?")[0];
  const out: string[] = [];
  for (const seg of raw.split("/")) {
    if (seg === "..") out.pop();
    else if (seg !== ".") out.push(seg);
  }
  try {
    return matchOperation(c.method, out.join("/").replace(/\/{2,}/g, "/") + (raw.endsWith("/.") || raw.endsWith("/..") ? "/" : ""))?.op;
  } catch {
    return undefined;
  }
}

async function judge(op: Operation, c: Case): Promise<void> {
  const before = stateText();
  const res = await send(c);
  const after = stateText();
  figures.requests++;
  figures.kinds.set(c.kind, (figures.kinds.get(c.kind) ?? 0) + 1);
  const what = `${c.kind}: ${c.method} ${c.target.slice(0, 300)} (${c.contentType ?? "no body"}, ${c.body?.length ?? 0} bytes) → ${res.status} ${res.text.slice(0, 300)}`;
  if (res.status >= 500) figures.fivexx++;
  expect(res.status, what).toBeLessThan(500);
  expect(after, `state changed: ${what}`).toBe(before);
  const landed = resolved(c);
  if (res.status >= 200 && res.status < 300) {
    expect(c.mayPass, `a 2xx for input that is invalid by construction: ${what}`).toBe(true);
    expect(landed, `a 2xx on a path that resolves to no operation: ${what}`).toBeDefined();
    const body = res.text ? JSON.parse(res.text) : undefined;
    expect(validateResponse(landed!.id, res.status, body, { ontapVersion: mock.options.ontapVersion, strict: true }).errors.map((e) => e.message), what).toEqual([]);
    return;
  }
  expect(res.status, what).toBeGreaterThanOrEqual(400);
  let body: any;
  expect(() => (body = JSON.parse(res.text)), `the error is not JSON: ${what}`).not.toThrow();
  const errors: any[] = body?.error ? [body.error] : (body?.errors ?? []);
  expect(errors.length, `no ONTAP error envelope: ${what}`).toBeGreaterThan(0);
  for (const e of errors) {
    expect(typeof e.message === "string" && e.message.length > 0 && typeof e.code === "string" && /^\d+$/.test(e.code), `a malformed envelope: ${what}`).toBe(true);
    if (e.target !== undefined) expect(typeof e.target, what).toBe("string");
    figures.codes.add(e.code);
    const documented = e.code in op.errorCodes || e.code in commonErrorCodes() || (landed !== undefined && e.code in landed.errorCodes);
    expect(documented, `code ${e.code} is not documented for ${op.id}: ${what}`).toBe(true);
  }
  // The envelope is the contract's where the request reached an operation.
  if (landed) {
    expect(validateResponse(landed.id, res.status, body, { ontapVersion: mock.options.ontapVersion, strict: true }).errors.map((e) => e.message), what).toEqual([]);
  }
}

beforeAll(async () => { mock = await startMock({ scenario: "docs" }); });
afterAll(async () => {
  agent.destroy();
  await mock.close();
  console.log(`fuzz: ${figures.requests} requests, ${figures.fivexx} 5xx, ${figures.codes.size} distinct codes (seed ${SEED}; ${[...figures.kinds].map(([k, n]) => `${k} ${n}`).join(", ")})`);
});

describe(`the mock under bad input (seed ${SEED}${process.env.FC_SEED ? ", from FC_SEED" : ""})`, () => {
  for (const op of operations()) {
    it(`${op.id}: ${op.method} ${op.apiPath} answers bad input with a documented 4xx and changes nothing`, async () => {
      // The upload has the most ways to be malformed (multipart): three times the runs.
      const numRuns = RUNS_PER_OPERATION * (op.id === "software_upload" ? 3 : 1);
      await fc.assert(fc.asyncProperty(casesFor(op), (c) => judge(op, c)), { seed: SEED, numRuns });
    });
  }
});
