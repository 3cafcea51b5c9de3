// max_records paging with next links (spec/conventions.md §3, read from ref
// §5.3: the next href is opaque, so the token below is the mock's own).
//
// A next link re-issues the same query (same filters, same order_by) plus
// one extra parameter, PAGE_TOKEN_PARAM, holding an opaque continuation
// token `<index>-<fingerprint>`:
//   - index: position, in the filtered and sorted result, of the first
//     record of the next page;
//   - fingerprint: a 32-bit FNV-1a hash of the identity of the last record
//     served (by default its JSON).
// On an unchanged collection the index alone is exact, so following next
// links yields every record exactly once, in order, and the same link gives
// the same page however often it is asked. If records were added or
// removed before the cursor in between, the fingerprint re-anchors the page
// just after the last record served; if that record itself changed or
// vanished, the index is used as is.
import { OntapError } from "../errors.ts";

/** The query parameter that carries the continuation token; not a filter. */
export const PAGE_TOKEN_PARAM = "start.cursor";

export interface PageRequest {
  /** At most this many records; undefined = no limit. Must be an integer ≥ 0. */
  maxRecords?: number;
  /** Continuation token from a next link; wins over `offset`. */
  token?: string;
  /** Records to skip on the first page (ONTAP's `offset`). */
  offset?: number;
  /** A stable identity for a record (e.g. its keys), used to re-anchor after changes. */
  identify?: (record: unknown) => string;
}

export interface Page<T> {
  page: T[];
  /** Present when records remain after this page. */
  nextToken: string | undefined;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

const defaultIdentity = (record: unknown): string => JSON.stringify(record) ?? "";

function invalid(name: string, value: string): OntapError {
  return new OntapError(400, 262185, `Invalid value "${value}" for "${name}".`, { target: name });
}

function nonNegativeInteger(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) throw invalid(name, String(value));
  return value;
}

/** Where a token says the next page starts in `records`. */
function resume(records: readonly unknown[], token: string, identify: (r: unknown) => string): number {
  const m = /^(\d{1,15})-([0-9a-f]{8})$/.exec(token);
  if (!m) throw invalid(PAGE_TOKEN_PARAM, token);
  const index = Math.min(Number(m[1]), records.length);
  const fingerprint = m[2];
  const servedLast = (i: number): boolean => i >= 1 && fnv1a(identify(records[i - 1])) === fingerprint;
  if (servedLast(index)) return index;
  // The collection moved: look for the last record served, nearest to where it was.
  for (let distance = 1; distance <= records.length; distance++) {
    if (servedLast(index - distance)) return index - distance;
    if (index + distance <= records.length && servedLast(index + distance)) return index + distance;
  }
  return index;
}

/** One page of `records` (already filtered and sorted) and the token of the next. */
export function paginate<T>(records: readonly T[], request: PageRequest = {}): Page<T> {
  const maxRecords = nonNegativeInteger("max_records", request.maxRecords);
  const identify = request.identify ?? defaultIdentity;
  const start =
    request.token !== undefined
      ? resume(records, request.token, identify)
      : Math.min(nonNegativeInteger("offset", request.offset) ?? 0, records.length);
  // max_records=0 asks for nothing: no records and no next link (a link to the same spot would loop).
  const end = maxRecords === undefined ? records.length : Math.min(start + maxRecords, records.length);
  const page = records.slice(start, end);
  const more = end < records.length && end > start;
  return { page, nextToken: more ? `${end}-${fnv1a(identify(records[end - 1]))}` : undefined };
}

/** The continuation token a request carries, if any. */
export function readStartToken(query: URLSearchParams): string | undefined {
  return query.get(PAGE_TOKEN_PARAM) ?? undefined;
}

/** The query of the next link: the original one, with the token set (replacing any earlier one). */
export function buildNextQuery(originalQuery: URLSearchParams, token: string): URLSearchParams {
  const next = new URLSearchParams(originalQuery);
  next.set(PAGE_TOKEN_PARAM, token);
  return next;
}
