// Shared vocabulary of the semantic oracles: the Violation they return and
// the record helpers (dotted paths, identifying keys, value rendering) every
// oracle uses to say precisely what it received and what it expected.
//
// Independence rule: nothing under suites/oracles/ imports from mock/ (or
// from src/contract/, which the mock shares); the oracles read
// spec/conventions.md on their own so that a misreading shows up as a
// disagreement with the mock instead of cancelling out.

/** One reason a server's answer is not conformant. An empty list means conformant. */
export interface Violation {
  /**
   * Stable rule id (`filter-sound`, `order`, ...). Two rules have a special
   * meaning for callers:
   * - `oracle-cannot-parse`: the oracle could not understand its own input
   *   (an error of the suite, not of the server);
   * - `ambiguous`: the answer is conformant only under a reading the docs do
   *   not rule out (a *(choice)* point of conventions.md); report as a warning.
   */
  rule: string;
  /** JSON pointer into the response body (`/records/3/state`) when one applies. */
  pointer?: string;
  /** One readable sentence: what was received and what was expected. */
  message: string;
  received?: unknown;
  expected?: unknown;
}

export const CANNOT_PARSE = "oracle-cannot-parse";
export const AMBIGUOUS = "ambiguous";

/** The field types the query language compares by (conventions §1.2). */
export type FieldType = "string" | "enum" | "integer" | "boolean" | "date-time";
/** Dotted path → field type, e.g. `{ "licenses.compliance.state": "enum" }`. */
export type FieldTypes = Record<string, FieldType>;

/** A record's identifying key: one dotted path, several (composite), or a function. */
export type KeySpec = string | readonly string[] | ((record: any) => string | undefined);

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Unset in the sense of conventions §1.3: absent or null. */
export function isUnset(v: unknown): boolean {
  return v === undefined || v === null;
}

/**
 * The candidate values of a dotted path in a record. Arrays met on the way
 * (and an array at the end) are flattened: every element is a candidate. An
 * element lacking the rest of the path, or an absent/empty array, yields
 * `undefined` (unset). Never empty.
 */
export function valuesAt(record: unknown, path: string): unknown[] {
  let current: unknown[] = [record];
  for (const segment of path.split(".")) {
    const next: unknown[] = [];
    for (const v of current) {
      if (!isObject(v)) {
        next.push(undefined);
        continue;
      }
      pushFlat(next, v[segment]);
    }
    current = next;
  }
  return current;
}

function pushFlat(into: unknown[], v: unknown): void {
  if (!Array.isArray(v)) {
    into.push(v);
    return;
  }
  if (v.length === 0) {
    into.push(undefined);
    return;
  }
  for (const e of v) pushFlat(into, e);
}

/** The value at a dotted path when it crosses no array (undefined otherwise or when absent). */
export function valueAt(record: unknown, path: string): unknown {
  let v: unknown = record;
  for (const segment of path.split(".")) {
    if (!isObject(v)) return undefined;
    v = v[segment];
  }
  return v;
}

function keyPaths(key: KeySpec): readonly string[] | undefined {
  if (typeof key === "function") return undefined;
  return typeof key === "string" ? [key] : key;
}

/**
 * The identifying key of a record as a string, or undefined when a part of it
 * is unset. A single-path key is the plain value (`"cifs"`, `"9.8.0"`), so a
 * caller can build lookup maps by name; a composite key is a JSON array.
 */
export function recordKey(record: unknown, key: KeySpec): string | undefined {
  if (typeof key === "function") return key(record);
  const paths = keyPaths(key)!;
  const parts = paths.map((p) => valueAt(record, p));
  if (parts.some(isUnset)) return undefined;
  if (parts.length === 1) return String(parts[0]);
  return JSON.stringify(parts);
}

/**
 * `record name=cifs`, `record node.name=n1 start_time=2021-…`, or
 * `records/3 (no name)` when the key is missing (the index is only named then;
 * violations carry a pointer).
 */
export function describeRecord(record: unknown, key: KeySpec, index?: number): string {
  const paths = keyPaths(key);
  if (!paths) {
    const k = recordKey(record, key);
    return k === undefined ? `records/${index ?? "?"}` : `record ${k}`;
  }
  const parts = paths.map((p) => ({ p, v: valueAt(record, p) }));
  if (parts.every((x) => isUnset(x.v))) return `records/${index ?? "?"} (no ${paths.join(", ")})`;
  return `record ${parts.map((x) => `${x.p}=${isUnset(x.v) ? "<unset>" : String(x.v)}`).join(" ")}`;
}

/** A served value as a message shows it: `"compliant"`, `7`, `unset`. */
export function show(v: unknown): string {
  if (v === undefined) return "unset";
  if (v === null) return "null";
  const s = JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}

/** What a record holds at a path, for messages: `state is "compliant"`, `licenses.serial_number is ["1", unset]`. */
export function showPath(record: unknown, path: string): string {
  const vs = valuesAt(record, path);
  if (vs.length === 1) return `${path} is ${show(vs[0])}`;
  return `${path} is [${vs.map(show).join(", ")}]`;
}

/** Escape a JSON-pointer token. */
export function ptr(...tokens: Array<string | number>): string {
  return tokens.map((t) => `/${String(t).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

// ---------------------------------------------------------------------------
// Typed scalar reading shared by filter.ts and order.ts (conventions §1.2).

/** Integer query text: optional sign and decimal digits (`007` = 7). */
export function parseIntegerText(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** Boolean query text in any case. */
export function parseBooleanText(text: string): boolean | undefined {
  const t = text.toLowerCase();
  return t === "true" ? true : t === "false" ? false : undefined;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;
const DATE_NO_OFFSET_RE = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?$/;

/**
 * An ISO-8601 instant with an explicit offset, as milliseconds since the
 * epoch (fractional). Also reads the docs' rendering `2019-02-02 19:00:00 +0000`.
 * Returns `undefined` for text that is not a date-time, and `"no-offset"` for
 * a local date or time that names no instant.
 */
export function parseInstant(text: string): number | "no-offset" | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return DATE_NO_OFFSET_RE.test(text) ? "no-offset" : undefined;
  const [, y, mo, d, h, mi, s, frac, off] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s ?? "0");
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const base = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  const check = new Date(base);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  let ms = base + (second === 60 ? 1000 : 0) + (frac ? Number(`0.${frac}`) * 1000 : 0);
  if (off !== "Z" && off !== "z") {
    const sign = off[0] === "-" ? -1 : 1;
    const digits = off.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2)), om = Number(digits.slice(2) || "0");
    if (oh > 23 || om > 59) return undefined;
    ms -= sign * (oh * 60 + om) * 60_000;
  }
  return ms;
}
