// From an HTTP request to a Reply: routing by the contract's operation table,
// authentication, read-only users, body parsing, query validation, fault
// injection and HEAD/OPTIONS. Bad input of any kind ends in ONTAP's error
// envelope with a 4xx; a bug in a handler ends in a 500 envelope, never a
// stack trace on the wire.
import type { IncomingMessage } from "node:http";
import { bodyFor, existsIn, matchOperation, operations, validateQuery, validateRequestBody, type Operation } from "../../src/contract/index.ts";
import { OntapError } from "../errors.ts";
import { errorReply, wantsPlainJson } from "./respond.ts";
import type { Handler, Reply, RequestContext } from "./types.ts";

export interface AuthOptions {
  username: string;
  password: string;
  /** A user that may read but gets 403 on every write. */
  readOnlyUser?: { username: string; password: string };
}

export interface Fault {
  operation: string;
  httpStatus: number;
  code: number;
  message: string;
  /** Fire once, then disarm (default true). */
  once?: boolean;
}

/** The JSON body limit a mock may opt into (MockOptions.maxJsonBody); none by default: no source documents one. */
export const MAX_JSON_BODY = 1024 * 1024;

type Credentials = { user: string; pass: string } | undefined;

function credentials(header: string | undefined): Credentials {
  const m = /^Basic\s+(.+)$/i.exec(header ?? "");
  if (!m) return undefined;
  const text = Buffer.from(m[1], "base64").toString("utf8");
  const i = text.indexOf(":");
  return i < 0 ? undefined : { user: text.slice(0, i), pass: text.slice(i + 1) };
}

/**
 * Methods allowed on a concrete path in `version`, for 405 and OPTIONS. An
 * operation the release does not have (x-ontap-introduced) is not there: the
 * release answers it as any unknown API (404 "API not found", code 3, the
 * answer NetApp's clients read as "API not found", ref §8) or unsupported
 * method (405, code 3, ref §5.6).
 */
export function allowedMethods(path: string, version?: string): string[] {
  const key = `${version ?? ""} ${path}`;
  const known = allowedCache.get(key);
  if (known) return known;
  const methods = computeAllowed(path, version);
  remember(allowedCache, key, methods);
  return methods;
}

/**
 * Answers that depend only on the request's text and the release, worked
 * out once per distinct request: the methods a path has, and what is wrong
 * with a query (the mock answers the same listing over and over; bench
 * row 2). Each holds at most CACHED entries, the oldest forgotten first.
 */
const CACHED = 4096;
const allowedCache = new Map<string, string[]>();

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}

function computeAllowed(path: string, version?: string): string[] {
  const methods = new Set<string>();
  for (const op of operations()) {
    if (matchOperation(op.method, path)?.op === op && existsIn(version, op.introduced)) methods.add(op.method);
  }
  if (methods.has("GET")) methods.add("HEAD");
  if (methods.size) methods.add("OPTIONS");
  return [...methods];
}

function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

/**
 * Map a contract violation of the query to ONTAP's code for it (ref §5.6):
 * 262179 unexpected argument, 262188 specified twice, 262212 required value
 * missing, 262185 invalid value.
 */
function queryError(op: Operation, query: URLSearchParams, version: string, extraAllowed: Set<string>, search: string): OntapError | undefined {
  // What is wrong with a query depends on its text, the operation and the release alone: judged once per distinct query.
  let cache = queryCaches.get(extraAllowed);
  if (!cache) queryCaches.set(extraAllowed, (cache = new Map()));
  const key = `${op.id} ${version} ${search}`;
  let verdict = cache.get(key);
  if (verdict === undefined) remember(cache, key, (verdict = judgeQuery(op, query, version, extraAllowed) ?? null));
  // A fresh error each time: what the caller does with it stays its own.
  return verdict ? new OntapError(verdict.httpStatus, verdict.code, verdict.message, { target: verdict.target }) : undefined;
}

const queryCaches = new WeakMap<Set<string>, Map<string, OntapError | null>>();

function judgeQuery(op: Operation, query: URLSearchParams, version: string, extraAllowed: Set<string>): OntapError | undefined {
  const record = queryRecord(query);
  // A name given twice is refused whatever it is (262188 "field specified
  // twice", ref §5.6): the contract's validator lets filters repeat, and a
  // DELETE that silently kept one of two serial_number filters would delete
  // what the client did not name.
  const twice = Object.keys(record).find((name) => Array.isArray(record[name]));
  if (twice !== undefined) return new OntapError(400, 262188, `Field "${twice}" was specified twice.`, { target: twice });
  for (const name of Object.keys(record)) if (extraAllowed.has(name)) delete record[name];
  // What the operation declares and what ONTAP's framework accepts on its kind
  // of operation (spec x-ontap-framework-params, each with its source); any
  // other name is 262179.
  const result = validateQuery(op.id, record, { ontapVersion: version, strict: true });
  const v = result.errors[0];
  if (!v) return undefined;
  const name = v.pointer.slice(1);
  switch (v.keyword) {
    case "unknown-parameter":
      return new OntapError(400, 262179, `Unexpected argument "${name}".`, { target: name });
    case "duplicate":
      return new OntapError(400, 262188, `Field "${name}" was specified twice.`, { target: name });
    case "required":
      return new OntapError(400, 262212, `Required value "${name}" is missing.`, { target: name });
    default:
      return new OntapError(400, 262185, `Invalid value for "${name}": ${v.message}.`, { target: name });
  }
}

/**
 * Map a contract violation of a request body to ONTAP's code for it (ref
 * §5.6): 262196 a field that cannot be set (readOnly), 262179 an unknown
 * field, 262212 a required value missing, 262197 an invalid value.
 */
function bodyError(op: Operation, body: unknown, version: string): OntapError | undefined {
  const v = validateRequestBody(op.id, body, { ontapVersion: version, strict: true }).errors[0];
  if (!v) return undefined;
  const field = v.property ?? v.pointer.slice(1).replace(/\//g, ".");
  if (v.keyword === "additionalProperties") {
    return /readOnly/.test(v.message)
      ? new OntapError(400, 262196, `Field "${field}" cannot be set in this operation.`, { target: field })
      : new OntapError(400, 262179, `Unexpected argument "${field}".`, { target: field });
  }
  if (v.keyword === "required") return new OntapError(400, 262212, `Required value "${field}" is missing.`, { target: field });
  return new OntapError(400, 262197, `Invalid value for field "${field}": ${v.message}.`, { target: field });
}

/**
 * The request's path as ONTAP resolves it (ref §5.8, S3): literal `.` and `..`
 * segments are collapsed (RFC 3986 §5.2.4) but percent-encoded dots are not,
 * which is how a client names an entry "..". WHATWG's URL would collapse
 * `%2e%2e` too (and read `\` as `/`). Clients following next links
 * sometimes produce /api//cluster/... (ref §8): one slash.
 */
export function resolvePath(target: string): string {
  const raw = (target.startsWith("/") ? target : new URL(target, "http://mock.invalid").pathname).split(/[?#]/)[0].replace(/\/{2,}/g, "/");
  const segments = raw.split("/");
  const out: string[] = [];
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === "..") {
      if (out.length > 1) out.pop();
      if (last) out.push("");
    } else if (seg === ".") {
      if (last) out.push("");
    } else out.push(seg);
  });
  return out.join("/") || "/";
}

export interface DispatchOptions {
  auth: AuthOptions;
  version: string;
  handlers: Record<string, Handler>;
  /** Query parameters handled outside the contract (the paging token). */
  extraQuery: Set<string>;
  /** Per-operation codes for a missing required body field (e.g. keys → 1115130). */
  requiredBodyCodes?: Record<string, Record<string, OntapError>>;
  /** Opt-in: refuse a JSON body over this many bytes with 262199 (no NetApp source documents a limit). */
  maxJsonBody?: number;
  takeFault(operation: string): Fault | undefined;
}

export async function dispatch(req: IncomingMessage, rawBody: Buffer, opts: DispatchOptions): Promise<{ reply: Reply; plainJson: boolean; head: boolean }> {
  const plainJson = wantsPlainJson(req.headers.accept);
  const method = (req.method ?? "GET").toUpperCase();
  const head = method === "HEAD";
  const url = new URL(req.url ?? "/", "http://mock.invalid");
  const path = resolvePath(req.url ?? "/");
  const fail = (err: OntapError, plural = false) => ({ reply: errorReply(err, plural), plainJson, head });

  // HTTP Basic on every request (ref §5.8, §8); a refusal is 401 (ref §5.5) with code 6, which
  // clients read as "not authorised" (ref §8).
  const who = credentials(req.headers.authorization);
  const { auth } = opts;
  const isAdmin = who?.user === auth.username && who?.pass === auth.password;
  const isReader = Boolean(auth.readOnlyUser && who?.user === auth.readOnlyUser.username && who?.pass === auth.readOnlyUser.password);
  if (!isAdmin && !isReader) {
    const reply = errorReply(new OntapError(401, 6, "Authentication failed: the user name or password is not valid."));
    reply.headers = { "www-authenticate": 'Basic realm="ONTAP REST API"' };
    return { reply, plainJson, head };
  }

  let allowed: string[];
  let match: ReturnType<typeof matchOperation>;
  try {
    allowed = allowedMethods(path, opts.version);
    match = matchOperation(head ? "GET" : method, path);
    if (match && !existsIn(opts.version, match.op.introduced)) match = undefined;
  } catch {
    // decodeURIComponent of a path parameter: "%zz" or "%c0%ae" is no name at all.
    return fail(new OntapError(400, 262185, "Invalid value: the request path is not valid percent-encoded UTF-8."));
  }
  // OPTIONS on every endpoint with Allow (ref §5.5); an unknown path is 404 code 3 "API not found"
  // (what clients take for a missing API, ref §8; na_ontap_restit's own example expects 404); a
  // method the path does not have is 405 code 3 (ref §5.5, §5.6) with Allow.
  if (method === "OPTIONS") {
    if (!allowed.length) return fail(new OntapError(404, 3, "API not found"));
    return { reply: { status: 200, headers: { allow: allowed.join(", ") } }, plainJson, head };
  }
  if (!match) {
    if (!allowed.length) return fail(new OntapError(404, 3, "API not found"));
    const reply = errorReply(new OntapError(405, 3, `The method ${method} is not supported on this resource.`));
    reply.headers = { allow: allowed.join(", ") };
    return { reply, plainJson, head };
  }
  const { op, pathParams } = match;
  const plural = op.id === "license_create";
  // The opt-in read-only user (--read-only-user): 403 code 6 on writes (ref §5.5 RBAC, §5.6).
  if (isReader && op.method !== "GET") return fail(new OntapError(403, 6, "Permission denied: the user is not authorized to perform this operation."), plural);

  const qErr = queryError(op, url.searchParams, opts.version, opts.extraQuery, url.search);
  if (qErr) return fail(qErr, plural);

  const contentType = String(req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  let body: unknown;
  // An operation that only takes multipart/form-data (the upload) judges its own body: anything else is "not multipart", not "invalid JSON".
  // A body only from the release that takes one (license_delete_collection: 9.16.1).
  const requestBody = bodyFor(op, opts.version);
  const multipartOnly = requestBody?.mediaTypes.includes("multipart/form-data") ?? false;
  if (rawBody.length && contentType !== "multipart/form-data" && !multipartOnly) {
    if (opts.maxJsonBody !== undefined && rawBody.length > opts.maxJsonBody) return fail(new OntapError(400, 262199, `The request body is larger than ${opts.maxJsonBody} bytes.`), plural);
    // ref §5.6: 262199 invalid JSON, 262198 a body on an operation that takes none (an empty object is
    // let through: it says nothing).
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch (e) {
      return fail(new OntapError(400, 262199, `Invalid JSON: ${(e as Error).message}.`), plural);
    }
    const empty = body && typeof body === "object" && !Array.isArray(body) && Object.keys(body).length === 0;
    if (!requestBody && !empty) {
      return fail(new OntapError(400, 262198, `A request body is not allowed on ${op.method} ${op.path}.`), plural);
    }
    if (!requestBody) body = undefined;
  }
  if (requestBody && !requestBody.mediaTypes.includes("multipart/form-data")) {
    const required = opts.requiredBodyCodes?.[op.id] ?? {};
    for (const [field, err] of Object.entries(required)) {
      const value = (body as Record<string, unknown> | undefined)?.[field];
      if (value === undefined || (Array.isArray(value) && value.length === 0)) return fail(err, plural);
    }
    if (body === undefined && requestBody.required) return fail(new OntapError(400, 262212, "A request body is required."), plural);
    if (body !== undefined) {
      const bErr = bodyError(op, body, opts.version);
      if (bErr) return fail(bErr, plural);
    }
  }

  // The mock's fault switch (/__mock/faults): only what a test or the suite arms.
  const fault = opts.takeFault(op.id);
  if (fault) return fail(new OntapError(fault.httpStatus, fault.code, fault.message), plural);

  const handler = opts.handlers[op.id];
  if (!handler) return fail(new OntapError(405, 3, `${op.method} ${op.path} is not implemented by this mock.`), plural);
  const ctx: RequestContext = { method, url, path, query: url.searchParams, headers: req.headers, op, pathParams, body, rawBody, contentType, plainJson };
  try {
    return { reply: await handler(ctx), plainJson, head };
  } catch (e) {
    if (e instanceof OntapError) return fail(e, plural);
    // A bug of the mock: still an ONTAP envelope (262145 unexpected application exception, ref §5.6), never a stack trace.
    return fail(new OntapError(500, 262145, `Unexpected application exception: ${(e as Error).message}`), plural);
  }
}
