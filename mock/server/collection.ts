// The generic collection and item pipeline every GET of the mock goes
// through: filters (ONTAP's query language) → order_by → return_records →
// max_records paging with next links → fields → version projection.
// Sources: spec/conventions.md §1-§3, read from ref §5.1-§5.3 (ref =
// spec/sources/ontap-reference.md).
import { filterTypes, frameworkParamNames, schemaFields, getOperation, operations } from "../../src/contract/index.ts";
import * as q from "../query/index.ts";
import { OntapError } from "../errors.ts";
import { projectToVersion } from "./version.ts";
import type { Reply, RequestContext } from "./types.ts";

export const PAGE_TOKEN_PARAM: string = q.PAGE_TOKEN_PARAM;

/** Parameters that steer a listing rather than filter it: the framework's (spec x-ontap-framework-params) and the paging token. */
const CONTROL = new Set([...frameworkParamNames(), PAGE_TOKEN_PARAM]);

export interface RecordSource<T> {
  /** Component schema of one record (license_package, software_package, ...). */
  schemaName: string;
  /** Identifying fields, returned by default. */
  keys: string[];
  /** Link of one record, if it has an item endpoint. */
  selfHref?(record: T): string | undefined;
}

interface Prepared {
  types: Record<string, string>;
  known: string[];
}

const prepared = new Map<string, Prepared>();

function prepare(schemaName: string, version: string): Prepared {
  const key = `${schemaName}@${version}`;
  let p = prepared.get(key);
  if (!p) {
    p = {
      types: filterTypes(schemaName, { version }),
      known: schemaFields(schemaName, { version }).filter((f) => !f.writeOnly).map((f) => f.path),
    };
    prepared.set(key, p);
  }
  return p;
}

/** The filters of a request: query parameters naming documented fields. */
export function filtersOf(ctx: RequestContext, extraFilters: string[] = []): Record<string, string> {
  const byField = new Map(ctx.op.params.filter((p) => p.filter).map((p) => [p.name, p.field ?? p.name]));
  const out: Record<string, string> = {};
  for (const [name, value] of ctx.query) {
    if (CONTROL.has(name)) continue;
    const field = byField.get(name) ?? (extraFilters.includes(name) ? name : undefined);
    if (field) out[field] = value;
  }
  return out;
}

function withLinks<T extends object>(record: T, source: RecordSource<T>): T {
  const href = source.selfHref?.(record);
  return href ? ({ ...record, _links: { self: { href } } } as T) : record;
}

function truthy(value: string | null, fallback: boolean): boolean {
  if (value === null) return fallback;
  return /^true$/i.test(value);
}

/** Whether the contract has a GET of one record of this collection (its records then carry a self link). */
function hasItemPath(op: RequestContext["op"]): boolean {
  return operations().some((o) => o.method === "GET" && o.path.startsWith(`${op.path}/{`));
}

/** A collection GET over `records` (natural order = identifying key order). */
export function listReply<T extends object>(ctx: RequestContext, version: string, records: T[], source: RecordSource<T>, opts: { filters?: Record<string, string> } = {}): Reply {
  const { types, known } = prepare(source.schemaName, version);
  const filters = opts.filters ?? filtersOf(ctx);
  const compiled = q.compileFilters(filters, types as q.FieldTypes);
  let rows = compiled.length ? records.filter((r) => q.matchesCompiled(r, compiled)) : [...records];
  const orderBy = ctx.query.get("order_by") ?? ctx.query.get("$orderBy");
  if (orderBy) rows = q.sortRecords(rows, q.parseOrderBy(orderBy, known), types as q.FieldTypes);
  const selfHref = `${ctx.path}${ctx.url.search}`;
  // return_records=false: the count only (ref §5.3).
  if (!truthy(ctx.query.get("return_records"), true)) {
    return { status: 200, body: { num_records: rows.length, _links: { self: { href: selfHref } } } };
  }
  // Keys and links by default (ref §5.2); a collection whose records have no self link (the history) gives
  // "all the attributes by default in response when the self referential link is not present" (docs 002, history).
  const fields = ctx.query.get("fields") ?? (hasItemPath(ctx.op) ? undefined : "*");
  const selection = q.parseFields(fields ?? undefined, known, { ignoreUnknown: truthy(ctx.query.get("ignore_unknown_fields"), false) });
  const maxText = ctx.query.get("max_records");
  const page = q.paginate(rows, { maxRecords: maxText === null ? undefined : Number(maxText), token: q.readStartToken(ctx.query) });
  const out = page.page.map((r) => projectToVersion(source.schemaName, q.project(withLinks(r, source), selection, { keys: source.keys }), version));
  const links: Record<string, { href: string }> = { self: { href: selfHref } };
  const headers: Record<string, string> = {};
  // More records than max_records: _links.next and a Link header (ref §5.3).
  if (page.nextToken !== undefined) {
    const next = `${ctx.path}?${q.buildNextQuery(ctx.query, page.nextToken).toString()}`;
    links.next = { href: next };
    headers.link = `<${next}>; rel="next"`;
  }
  return { status: 200, body: { records: out, num_records: out.length, _links: links }, headers };
}

/**
 * An item GET: all standard fields by default (ref §5.2: `fields=*` is what an
 * instance GET returns), `fields` honoured; a missing record is 404 code 4
 * (ref §5.6, §8). The definitions give item GETs the collection's filters
 * (S1 license_get); a record they do not match is "entry doesn't exist" too
 * (inference).
 */
export function itemReply<T extends object>(ctx: RequestContext, version: string, record: T | undefined, source: RecordSource<T>): Reply {
  if (!record) throw new OntapError(404, 4, "entry doesn't exist");
  const { known, types } = prepare(source.schemaName, version);
  const filters = filtersOf(ctx);
  if (Object.keys(filters).length && !q.matchesFilters(record, filters, types as q.FieldTypes)) throw new OntapError(404, 4, "entry doesn't exist");
  const fieldsText = ctx.query.get("fields");
  const selection = q.parseFields(fieldsText === null || fieldsText === "" ? "*" : fieldsText, known, { ignoreUnknown: truthy(ctx.query.get("ignore_unknown_fields"), false) });
  return { status: 200, body: projectToVersion(source.schemaName, q.project(withLinks(record, source), selection, { keys: source.keys }), version) };
}

/** Keys of a record schema, from the spec (x-ontap-keys) via the operation table. */
export function keysOf(operationId: string): string[] {
  return getOperation(operationId).keys;
}
