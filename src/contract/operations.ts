// The operation table: every operation of the contract as plain data, derived
// from spec/ontap.yaml. The mock, the harness, the suites, the generators and
// the reports read it instead of retyping paths, parameters, statuses, error
// codes, version gates, safety and async-ness.
import { deref, escapePointer, loadSpec, SPEC_FILE, specPointer, type Json } from "./spec.ts";
import { existsIn, type OntapVersion } from "./version.ts";
import type { OperationId } from "./typed.ts";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";
export type Safety = "read" | "validate" | "write" | "disruptive";

export interface OperationParam {
  name: string;
  in: "query" | "path";
  required: boolean;
  description?: string;
  /**
   * The parameter's own schema. A filter's is `{type: string}`: its value is
   * an ONTAP query expression (`state=*`, `licenses.active=false,false`),
   * whatever the type of the field it filters.
   */
  schema: Json;
  introduced?: string;
  removed?: string;
  /** The value is an ONTAP query expression over field `field`. */
  filter: boolean;
  field?: string;
  /**
   * Filters: the schema of the field (`x-ontap-field`) in the record schema
   * of the operation's path (dereferenced: type, enum, format). Readers that
   * need the type a filter compares by read this, not `schema`.
   */
  fieldSchema?: Json;
  /** Accepted by ONTAP's framework on this kind of operation, not declared by it: the source (x-ontap-framework-params). */
  framework?: string;
}

/** What a framework parameter applies to (x-ontap-framework-params `on`). */
export type OperationKind = "collection" | "singleton" | "instance" | "write";

export interface OperationStatus {
  /** "200", "201", "202" or "default" (the error envelope). */
  status: string;
  description: string;
  /** JSON pointer (into spec/ontap.yaml) of the body schema, if any. */
  schemaPointer?: string;
  /** Name of the component schema of the body, if it is a plain $ref. */
  schemaName?: string;
  mediaTypes: string[];
  headers: string[];
  introduced?: string;
  removed?: string;
}

export interface ErrorCodeInfo {
  meaning: string;
  http?: number[];
  /** First release whose NetApp definition lists the code for this operation (absent: every release). */
  introduced?: string;
  /** First release whose definition no longer lists it. */
  removed?: string;
}

export interface Operation {
  /** A key of the generated `operations` type: the table and the types are both derived from spec/ontap.yaml. */
  id: OperationId;
  method: HttpMethod;
  /** Path as in the spec, without the /api prefix: /cluster/software/packages/{version}. */
  path: string;
  /** Path as sent: /api/cluster/software/packages/{version}. */
  apiPath: string;
  summary: string;
  tags: string[];
  introduced?: string;
  safety: Safety;
  /** Query flags that turn a write into a validation (validate_only, estimate_only). */
  safetyParams: Record<string, Safety>;
  async: boolean;
  params: OperationParam[];
  statuses: OperationStatus[];
  errorCodes: Record<string, ErrorCodeInfo>;
  /** The request body; `introduced` when only later releases take one (see bodyFor). */
  requestBody?: { required: boolean; mediaTypes: string[]; schemaPointer: string; schemaName?: string; introduced?: string };
  docs?: string;
  /** A collection GET (records, num_records, paging). */
  collection: boolean;
  /** Component schema of one record (collection items or the item itself). */
  recordSchema?: string;
  /** Identifying fields of a record (x-ontap-keys). */
  keys: string[];
  /** Filters a collection GET applies when the request names none on their field (x-ontap-default-filters), by parameter. */
  defaultFilters: Record<string, string>;
}

const METHODS: HttpMethod[] = ["GET", "POST", "PATCH", "DELETE"];

function schemaNameOf(node: Json): string | undefined {
  const ref = node?.$ref;
  return typeof ref === "string" && ref.startsWith("#/components/schemas/") ? ref.slice("#/components/schemas/".length) : undefined;
}

function readParam(doc: Json, raw: Json): OperationParam {
  const p = deref(doc, raw);
  return {
    name: p.name,
    in: p.in,
    required: Boolean(p.required),
    description: p.description,
    schema: p.schema,
    introduced: p["x-ontap-introduced"],
    removed: p["x-ontap-removed"],
    filter: Boolean(p["x-ontap-filter"]),
    field: p["x-ontap-field"],
  };
}

function build(): Operation[] {
  const doc = loadSpec();
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    const shared = (item.parameters ?? []).map((p: Json) => readParam(doc, p));
    for (const method of METHODS) {
      const op = item[method.toLowerCase()];
      if (!op) continue;
      const base = `#/paths/${escapePointer(path)}/${method.toLowerCase()}`;
      const statuses: OperationStatus[] = Object.entries<Json>(op.responses).map(([status, rawResp]) => {
        const resp = deref(doc, rawResp);
        const content = resp.content ?? {};
        const mediaTypes = Object.keys(content);
        const first = mediaTypes[0];
        const pointer = first
          ? typeof rawResp.$ref === "string"
            ? `${rawResp.$ref}/content/${escapePointer(first)}/schema`
            : `${base}/responses/${status}/content/${escapePointer(first)}/schema`
          : undefined;
        return {
          status,
          description: resp.description ?? "",
          schemaPointer: pointer,
          schemaName: first ? schemaNameOf(content[first].schema) : undefined,
          mediaTypes,
          headers: Object.keys(resp.headers ?? {}),
          introduced: resp["x-ontap-introduced"] ?? rawResp["x-ontap-introduced"],
          removed: resp["x-ontap-removed"] ?? rawResp["x-ontap-removed"],
        };
      });
      let requestBody: Operation["requestBody"];
      if (op.requestBody) {
        const rb = deref(doc, op.requestBody);
        const mediaTypes = Object.keys(rb.content ?? {});
        requestBody = {
          required: Boolean(rb.required),
          mediaTypes,
          schemaPointer: `${base}/requestBody/content/${escapePointer(mediaTypes[0])}/schema`,
          schemaName: schemaNameOf(rb.content[mediaTypes[0]].schema),
          introduced: rb["x-ontap-introduced"],
        };
      }
      const errorCodes: Record<string, ErrorCodeInfo> = {};
      for (const [code, info] of Object.entries<Json>(op["x-ontap-error-codes"] ?? {})) {
        errorCodes[code] = { meaning: info.meaning, http: info.http, introduced: info.introduced, removed: info.removed };
      }
      const ok = statuses.find((s) => s.status.startsWith("2") && s.schemaName);
      const okSchema = ok?.schemaName ? doc.components.schemas[ok.schemaName] : undefined;
      const collection = method === "GET" && Boolean(okSchema?.properties?.records && okSchema?.properties?.num_records);
      const recordSchema = collection ? schemaNameOf(okSchema.properties.records.items) : method === "GET" ? ok?.schemaName : undefined;
      const keys: string[] = recordSchema ? (doc.components.schemas[recordSchema]["x-ontap-keys"] ?? []) : [];
      ops.push({
        id: op.operationId,
        method,
        path,
        apiPath: `/api${path}`,
        summary: op.summary ?? "",
        tags: op.tags ?? [],
        introduced: op["x-ontap-introduced"],
        safety: op["x-ontap-safety"],
        safetyParams: op["x-ontap-safety-params"] ?? {},
        async: Boolean(op["x-ontap-async"]),
        params: [...shared, ...(op.parameters ?? []).map((p: Json) => readParam(doc, p))],
        statuses,
        errorCodes,
        requestBody,
        docs: op["x-ontap-docs"],
        collection,
        recordSchema,
        keys,
        defaultFilters: { ...(op["x-ontap-default-filters"] ?? {}) },
      });
    }
  }
  for (const op of ops) {
    // A filter's field lives in the record schema of its path's GET (a DELETE
    // by query filters the records the collection GET lists).
    const record = op.recordSchema ?? ops.find((o) => o.path === op.path && o.method === "GET")?.recordSchema;
    for (const p of op.params) {
      if (!p.filter || !p.field) continue;
      if (!record) throw new Error(`${op.id}: filter ${p.name} has no record schema to find field ${p.field} in`);
      p.fieldSchema = fieldSchemaAt(doc, record, p.field);
      if (!p.fieldSchema) throw new Error(`${op.id}: filter ${p.name} names ${p.field}, which ${record} does not have`);
    }
  }
  return ops;
}

/** The schema of dotted field `path` in component schema `schemaName`, through arrays (dereferenced, siblings kept). */
export function fieldSchemaAt(doc: Json, schemaName: string, path: string): Json | undefined {
  let node: Json = deref(doc, { $ref: `#/components/schemas/${schemaName}` });
  for (const seg of path.split(".")) {
    while (node?.type === "array" && node.items) node = deref(doc, node.items);
    const raw = node?.properties?.[seg];
    if (!raw) return undefined;
    node = deref(doc, raw);
  }
  return node;
}

let table: Operation[] | undefined;
/** By id: every request looks its operation up several times (bench row 1). */
let byId: Map<string, Operation> | undefined;

/** Every operation of the contract, in document order. */
export function operations(): Operation[] {
  if (!table) table = build();
  return table;
}

export function getOperation(id: string): Operation {
  byId ??= new Map(operations().map((o) => [o.id, o]));
  const op = byId.get(id);
  if (!op) throw new Error(`unknown operation "${id}"`);
  return op;
}

/**
 * Each operation's path pattern, compiled once: matchOperation runs for every
 * request the mock answers (several times, for the Allow header) and for
 * every exchange the coverage reads.
 */
const pathPatterns = new WeakMap<Operation, { re: RegExp; names: string[] }>();

function pathPattern(op: Operation): { re: RegExp; names: string[] } {
  let pattern = pathPatterns.get(op);
  if (!pattern) {
    const names: string[] = [];
    const re = new RegExp(
      "^" + op.apiPath.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{([^}]+)\\?\}/g, (_s, n: string) => { names.push(n); return "([^/]+)"; }) + "/?$",
    );
    pattern = { re, names };
    pathPatterns.set(op, pattern);
  }
  return pattern;
}

/** The operation for a method and a concrete /api/... path, if any. */
export function matchOperation(method: string, apiPath: string): { op: Operation; pathParams: Record<string, string> } | undefined {
  const m = method.toUpperCase();
  for (const op of operations()) {
    if (op.method !== m) continue;
    const { re, names } = pathPattern(op);
    const hit = re.exec(apiPath);
    if (hit) return { op, pathParams: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(hit[i + 1])])) };
  }
  return undefined;
}

/** Parameters that exist in `version` (all of them when the version is unknown). */
export function paramsFor(op: Operation, version?: OntapVersion | string): OperationParam[] {
  return op.params.filter((p) => existsIn(version, p.introduced, p.removed));
}

/**
 * The schema of the values a parameter takes: a filter's field schema (the
 * type, enum and format its query expression compares by), otherwise the
 * parameter's own schema.
 */
export function valueSchema(p: OperationParam): Json {
  return p.filter && p.fieldSchema ? p.fieldSchema : deref(loadSpec(), p.schema);
}

/** A GET that answers records, one object of a path without parameters, one record by its key; or a write. */
export function operationKind(op: Operation): OperationKind {
  if (op.method !== "GET") return "write";
  if (op.collection) return "collection";
  return op.path.includes("{") ? "instance" : "singleton";
}

interface FrameworkEntry {
  param: OperationParam;
  on: OperationKind[];
  clientsSend?: string;
}

let framework: FrameworkEntry[] | undefined;

/**
 * The spec's x-ontap-framework-params, each as a query parameter with its
 * source, the kinds of operation it applies to, and the value NetApp's
 * clients send with every such operation (if they do).
 */
/** frameworkParams()'s answer, made once (the mock asks for it on every request it validates). */
let frameworkList: Array<OperationParam & { on: OperationKind[]; clientsSend?: string }> | undefined;

export function frameworkParams(): Array<OperationParam & { on: OperationKind[]; clientsSend?: string }> {
  if (frameworkList) return frameworkList;
  const entries: FrameworkEntry[] = framework ??= (loadSpec()["x-ontap-framework-params"] ?? []).map((e: Json): FrameworkEntry => {
    const param = readParam(loadSpec(), e.parameter);
    if (param.name !== e.name) throw new Error(`x-ontap-framework-params: entry ${e.name} refers to parameter ${param.name}`);
    return {
      param: { ...param, required: false, introduced: e["x-ontap-introduced"] ?? param.introduced, removed: e["x-ontap-removed"] ?? param.removed, framework: String(e.source ?? "") },
      on: e.on,
      clientsSend: e["clients-send"] === undefined ? undefined : String(e["clients-send"]),
    };
  });
  return (frameworkList = entries.map((e) => ({ ...e.param, on: e.on, clientsSend: e.clientsSend })));
}

/** Names the framework accepts on some kind of operation (the query parameters that steer rather than filter). */
export function frameworkParamNames(): Set<string> {
  return new Set(frameworkParams().map((p) => p.name));
}

/**
 * Framework parameters `op` accepts in `version` beyond what it declares for
 * that version (an operation's own declaration wins where it has one).
 */
export function frameworkParamsFor(op: Operation, version?: OntapVersion | string): OperationParam[] {
  const kind = operationKind(op);
  const own = new Set(paramsFor(op, version).filter((p) => p.in === "query").map((p) => p.name));
  return frameworkParams()
    .filter((p) => p.on.includes(kind) && !own.has(p.name) && existsIn(version, p.introduced, p.removed))
    .map(({ on: _on, clientsSend: _sent, ...p }) => p);
}

/** What NetApp's clients send with every request of `op`'s kind (x-ontap-framework-params `clients-send`), by name. */
export function clientSentParams(op: Operation, version?: OntapVersion | string): Record<string, string> {
  const kind = operationKind(op);
  const out: Record<string, string> = {};
  for (const p of frameworkParams()) if (p.clientsSend !== undefined && p.on.includes(kind) && existsIn(version, p.introduced, p.removed)) out[p.name] = p.clientsSend;
  return out;
}

/**
 * What `make` gives for an operation and release, made once and then shared
 * (asked on every request and every answer: bench row 1; the mock validates
 * every request's query). Callers must not change what they get.
 */
function perRelease<T>(cache: WeakMap<Operation, Map<string, T>>, op: Operation, version: OntapVersion | string | undefined, make: () => T): T {
  const key = version === undefined ? "" : typeof version === "string" ? version : `${version.generation}.${version.major}.${version.minor}`;
  let byVersion = cache.get(op);
  if (!byVersion) cache.set(op, (byVersion = new Map()));
  let value = byVersion.get(key);
  if (value === undefined) byVersion.set(key, (value = make()));
  return value;
}

/** Every query (and path) parameter `op` accepts in `version`: its own and the framework's. */
export function acceptedParams(op: Operation, version?: OntapVersion | string): OperationParam[] {
  return perRelease(accepted, op, version, () => [...paramsFor(op, version), ...frameworkParamsFor(op, version)]);
}

/** The names of acceptedParams, as a set. */
export function acceptedParamNames(op: Operation, version?: OntapVersion | string): ReadonlySet<string> {
  return perRelease(acceptedNames, op, version, () => new Set(acceptedParams(op, version).map((p) => p.name)));
}

/** Documented statuses of an operation in `version` ("default" excluded). */
export function successStatuses(op: Operation, version?: OntapVersion | string): readonly number[] {
  return perRelease(documented, op, version, () => Object.freeze(op.statuses.filter((s) => s.status !== "default" && existsIn(version, s.introduced, s.removed)).map((s) => Number(s.status))));
}

const accepted = new WeakMap<Operation, Map<string, OperationParam[]>>();
const acceptedNames = new WeakMap<Operation, Map<string, ReadonlySet<string>>>();
const documented = new WeakMap<Operation, Map<string, readonly number[]>>();

/** The request body an operation takes in `version` (undefined: none there). */
export function bodyFor(op: Operation, version?: OntapVersion | string): Operation["requestBody"] {
  return op.requestBody && existsIn(version, op.requestBody.introduced) ? op.requestBody : undefined;
}

/**
 * The error codes NetApp's definition of `version` lists for the operation
 * (all of them when the version is unknown). The validators and suites
 * still accept every documented code on every release: a code listed only
 * by a later release's table is a documented code, not an invented one.
 */
export function errorCodesFor(op: Operation, version?: OntapVersion | string): Record<string, ErrorCodeInfo> {
  return Object.fromEntries(Object.entries(op.errorCodes).filter(([, info]) => existsIn(version, info.introduced, info.removed)));
}

/** The common error codes of every operation, with their HTTP statuses. */
export function commonErrorCodes(): Record<string, ErrorCodeInfo> {
  const out: Record<string, ErrorCodeInfo> = {};
  for (const [code, info] of Object.entries<Json>(loadSpec()["x-ontap-common-error-codes"] ?? {})) {
    out[code] = { meaning: info.meaning, http: info.http };
  }
  return out;
}

/** Whether an error code is documented for the operation or common to all. */
export function isDocumentedErrorCode(op: Operation, code: string): boolean {
  return code in op.errorCodes || code in commonErrorCodes();
}

/** The spec pointer of an operation, or of an element under it: operationPointer("software_modify", "x-ontap-error-codes", "10551303"). */
export function operationPointer(operationId: string, ...tokens: string[]): string {
  const op = getOperation(operationId);
  return specPointer("paths", op.path, op.method.toLowerCase(), ...tokens);
}

/**
 * The spec pointer of a parameter of an operation: the component it refers to
 * (`#/components/parameters/max_records`), else its place in the operation's
 * or its path's parameter list. A framework parameter the operation does not
 * declare points at its x-ontap-framework-params entry.
 */
export function parameterPointer(operationId: string, name: string): string {
  const op = getOperation(operationId);
  const doc = loadSpec();
  const item = doc.paths[op.path];
  const lists: Array<[Json[] | undefined, string[]]> = [
    [item[op.method.toLowerCase()].parameters, ["paths", op.path, op.method.toLowerCase(), "parameters"]],
    [item.parameters, ["paths", op.path, "parameters"]],
  ];
  for (const [list, at] of lists) {
    const index = (list ?? []).findIndex((raw) => deref(doc, raw).name === name);
    if (index < 0) continue;
    const ref = list![index].$ref;
    return typeof ref === "string" ? `${SPEC_FILE}${ref}` : specPointer(...at, String(index));
  }
  const framework = (doc["x-ontap-framework-params"] ?? []).findIndex((e: Json) => e.name === name);
  if (framework >= 0) return specPointer("x-ontap-framework-params", String(framework));
  throw new Error(`${operationId} has no parameter ${name}`);
}

/** The spec pointer of an error code: the operation's own table, else the common codes. */
export function errorCodePointer(operationId: string, code: string): string {
  if (code in getOperation(operationId).errorCodes) return operationPointer(operationId, "x-ontap-error-codes", code);
  if (code in commonErrorCodes()) return specPointer("x-ontap-common-error-codes", code);
  throw new Error(`error code ${code} is documented neither for ${operationId} nor as a common code`);
}

/** The spec pointer of a component schema, or of a property path under it: schemaPointer("job", "state"). */
export function schemaPointer(name: string, ...properties: string[]): string {
  return specPointer("components", "schemas", name, ...properties.flatMap((p) => ["properties", p]));
}

/** A collection of the contract, as the suites and the mock derive their per-collection rules from it. */
export interface Collection {
  /** The collection GET. */
  operation: Operation;
  /** The resource's name: the last segment of its path (licenses, packages, history, nodes, jobs); check ids begin with it. */
  name: string;
  /** The GET of one record by its key, where the contract has one (a record's self link leads there). */
  item?: Operation;
  /** The query that lifts the default filters (x-ontap-default-filters): `state=*` on the license listing; {} elsewhere. */
  complete: Record<string, string>;
  /** The default filters by the field they filter (`{ state: "!unlicensed" }`), as the oracles judge them. */
  defaults: Record<string, string>;
}

/** Every collection GET of the contract, in document order. */
export function collections(): Collection[] {
  return operations().filter((op) => op.collection).map((op) => ({
    operation: op,
    name: op.path.split("/").pop()!,
    item: operations().find((o) => o.method === "GET" && !o.collection && o.path.startsWith(`${op.path}/{`) && o.path.indexOf("/", op.path.length + 1) < 0),
    complete: completeQuery(op.id),
    defaults: Object.fromEntries(Object.entries(op.defaultFilters).map(([param, text]) => [op.params.find((p) => p.name === param)?.field ?? param, text])),
  }));
}

/** The query that returns a collection whole, its default filters lifted ({} for a collection without defaults). */
export function completeQuery(operationId: string): Record<string, string> {
  return Object.fromEntries(Object.keys(getOperation(operationId).defaultFilters).map((p) => [p, "*"]));
}
