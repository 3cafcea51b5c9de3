// Reading query text and record values as a field's type (conventions §1.2),
// so equality, `<`, `..` and order_by all compare the same way.
import type { FieldType } from "./types.ts";

/** A value reduced to something `<` and `===` compare correctly for its type. */
export type Comparable = number | string;

const INTEGER = /^[+-]?\d+$/;
// ISO 8601 as ONTAP serves it, with any offset; seconds and fractions optional.
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Query text as the field's type; undefined when it cannot be read as one (matches nothing). */
export function parseTyped(text: string, type: FieldType): Comparable | undefined {
  switch (type) {
    case "integer":
      // Integers only: `007` is 7, `1.5` and `abc` are not integers.
      return INTEGER.test(text) ? Number(text) : undefined;
    case "boolean":
      return /^true$/i.test(text) ? 1 : /^false$/i.test(text) ? 0 : undefined;
    case "date-time":
      return parseInstant(text);
    default:
      return text;
  }
}

/** A record's value as the field's type; undefined when unset or unreadable. */
export function recordTyped(value: unknown, type: FieldType): Comparable | undefined {
  if (value === undefined || value === null || typeof value === "object") return undefined;
  switch (type) {
    case "integer":
      return typeof value === "number" ? value : parseTyped(String(value), type);
    case "boolean":
      return typeof value === "boolean" ? Number(value) : parseTyped(String(value), type);
    case "date-time":
      return parseInstant(String(value));
    default:
      return String(value);
  }
}

/** The text a wildcard is matched against: the value as served (decimal for integers). */
export function servedText(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === "object") return undefined;
  return String(value);
}

export function compare(a: Comparable, b: Comparable): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Milliseconds since the epoch. Stricter than Date.parse, which accepts
 * things like "2021" or "Oct 26"; a date without a time is midnight UTC and
 * a time without an offset is UTC. Digits beyond milliseconds are dropped.
 */
function parseInstant(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, date, hm, sec, frac, zone] = m;
  const millis = (frac ?? "").slice(0, 3).padEnd(3, "0");
  let offset = "Z";
  if (zone && !/^z$/i.test(zone)) offset = zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const iso = `${date}T${hm ?? "00:00"}:${sec ?? "00"}.${millis}${offset}`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  // Date.parse rolls 2021-02-30 over to March; a calendar date that does not exist is unreadable.
  const [y, mo, d] = date.split("-").map(Number);
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return t;
}
