// The `fields=` oracle (conventions §2): the requested fields are present
// wherever the full record has them, and nothing unrequested comes back
// except the identifying keys and `_links`.
import { CANNOT_PARSE, describeRecord, isObject, isUnset, ptr, recordKey, valuesAt, type KeySpec, type Violation } from "./types.ts";

export interface FieldSelection {
  /** `*` was requested (all standard fields). */
  all: boolean;
  /** `**` was requested (also the expensive fields). */
  expensive: boolean;
  /** Named paths, braces expanded (`b.{c,d}` → `b.c`, `b.d`). */
  include: string[];
  /** Paths named with `!`. */
  exclude: string[];
}

export class FieldsParseError extends Error {}

/** Split at top-level commas (commas inside braces belong to the group). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth < 0) throw new FieldsParseError(`unbalanced "}" in "${text}"`);
    } else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw new FieldsParseError(`unbalanced "{" in "${text}"`);
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** Expand the first brace group of a term, recursively. */
function expand(term: string): string[] {
  const open = term.indexOf("{");
  if (open < 0) return [term];
  let depth = 0;
  let close = -1;
  for (let i = open; i < term.length; i++) {
    if (term[i] === "{") depth++;
    else if (term[i] === "}" && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) throw new FieldsParseError(`unbalanced "{" in "${term}"`);
  const prefix = term.slice(0, open);
  const suffix = term.slice(close + 1);
  return splitTopLevel(term.slice(open + 1, close)).flatMap((inner) => expand(`${prefix}${inner}${suffix}`));
}

/** Parse a `fields=` value. Throws FieldsParseError on mismatched braces or odd terms. */
export function parseFields(requested: string): FieldSelection {
  const sel: FieldSelection = { all: false, expensive: false, include: [], exclude: [] };
  for (const raw of splitTopLevel(requested)) {
    const negated = raw.startsWith("!");
    for (const path of expand(negated ? raw.slice(1).trim() : raw)) {
      if (path === "*" || path === "**") {
        if (negated) throw new FieldsParseError(`"!${path}" is not a field selection`);
        if (path === "**") sel.expensive = true;
        sel.all = true;
        continue;
      }
      if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(path)) throw new FieldsParseError(`"${path}" is not a dotted field path`);
      (negated ? sel.exclude : sel.include).push(path);
    }
  }
  return sel;
}

const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}.`);

/** Leaf paths of a value (array indices dropped), each with the number of set scalars found there. */
function leaves(value: unknown, prefix = "", out = new Map<string, number>()): Map<string, number> {
  if (Array.isArray(value)) {
    if (value.length === 0 && prefix) out.set(prefix, out.get(prefix) ?? 0);
    for (const e of value) leaves(e, prefix, out);
  } else if (isObject(value)) {
    const names = Object.keys(value);
    if (names.length === 0 && prefix) out.set(prefix, out.get(prefix) ?? 0);
    for (const name of names) leaves(value[name], prefix ? `${prefix}.${name}` : name, out);
  } else if (prefix) {
    out.set(prefix, (out.get(prefix) ?? 0) + (isUnset(value) ? 0 : 1));
  }
  return out;
}

function countAt(record: unknown, path: string): number {
  return valuesAt(record, path).filter((v) => !isUnset(v) && !isObject(v)).length;
}

export interface CheckFieldsInput {
  /** The `fields=` value sent (URL-decoded); "" when none was sent. */
  requested: string;
  /** Records returned. */
  records: readonly unknown[];
  /** Identifying key paths (always returned). */
  keys: string[];
  /** Documented standard field paths of the record (objects and/or leaves); [] skips the unknown-name check. */
  knownPaths: string[];
  /**
   * Full copies of the same records (fetched with `fields=*`, or `**` when
   * `**` was requested), by recordKey(record, keys), or as a list. Without it
   * the "present" half is not judged.
   */
  unfiltered?: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>> | readonly unknown[];
  /**
   * Without `fields` the records carry all their standard fields: an item GET,
   * or a collection whose records have no self link (software history, docs
   * 002). Otherwise a collection without `fields` returns the keys only.
   */
  allByDefault?: boolean;
}

function lookup(input: CheckFieldsInput): (k: string) => unknown {
  const u = input.unfiltered;
  if (!u) return () => undefined;
  if (u instanceof Map) return (k) => u.get(k);
  if (Array.isArray(u)) {
    const m = new Map<string, unknown>();
    for (const r of u) {
      const k = recordKey(r, input.keys);
      if (k !== undefined && !m.has(k)) m.set(k, r);
    }
    return (k) => m.get(k);
  }
  return (k) => (u as Record<string, unknown>)[k];
}

/**
 * Judge the fields of returned records against `fields=`.
 *
 * Rules: `fields-missing` (a requested field, or a key, the full record has
 * is absent), `fields-extra` (an unrequested field; not judged for `**`),
 * `fields-excluded` (a `!`-excluded field came back), `oracle-cannot-parse`.
 * `_links` is allowed at any depth (HAL references carry their own).
 */
export function checkFields(input: CheckFieldsInput): Violation[] {
  let sel: FieldSelection;
  try {
    sel = parseFields(input.requested);
  } catch (e) {
    if (e instanceof FieldsParseError) return [{ rule: CANNOT_PARSE, message: `the oracle cannot read fields=${input.requested}: ${e.message}`, received: input.requested }];
    throw e;
  }
  if (input.allByDefault && !sel.all && sel.include.length === 0) sel.all = true;
  const known = input.knownPaths;
  if (known.length > 0) {
    const unknown = [...sel.include, ...sel.exclude].filter((p) => !known.some((k) => under(k, p) || under(p, k)));
    if (unknown.length > 0) {
      return [{ rule: CANNOT_PARSE, message: `fields=${input.requested} names ${unknown.join(", ")}, which the record does not document (a server must reject it with 400), so there is nothing to judge`, received: unknown }];
    }
  }
  const isKey = (p: string): boolean => input.keys.some((k) => under(p, k) || k.startsWith(`${p}.`));
  const isLink = (p: string): boolean => p.split(".").includes("_links");
  const excluded = (p: string): boolean => sel.exclude.some((x) => under(p, x));
  const standard = (p: string): boolean => known.length === 0 || known.some((k) => under(p, k) || k.startsWith(`${p}.`));
  const named = (p: string): boolean => sel.include.some((n) => under(p, n));
  const selected = (p: string): boolean => !excluded(p) && (named(p) || (sel.all && (sel.expensive || standard(p))));
  const onTheWay = (p: string): boolean => sel.include.some((n) => n.startsWith(`${p}.`));
  const full = lookup(input);
  const out: Violation[] = [];
  const f = input.requested === "" ? (input.allByDefault ? "a request without fields= (all fields by default)" : "a request without fields=") : `fields=${input.requested}`;
  const notRequested = input.requested === "" && !input.allByDefault ? "no fields= was sent (keys and _links only)" : `${f} did not request it`;

  input.records.forEach((record, index) => {
    const who = describeRecord(record, input.keys, index);
    for (const k of input.keys) {
      if (valuesAt(record, k).every(isUnset)) {
        out.push({ rule: "fields-missing", pointer: ptr("records", index, ...k.split(".")), message: `${who} lacks its identifying key ${k}, which every record must carry`, expected: k });
      }
    }
    for (const [path] of leaves(record)) {
      if (isKey(path) || isLink(path)) continue;
      if (excluded(path)) {
        out.push({ rule: "fields-excluded", pointer: ptr("records", index, ...path.split(".")), message: `${who} carries ${path} although ${f} excluded it`, received: path, expected: `no ${path}` });
      } else if (!sel.expensive && !selected(path) && !onTheWay(path)) {
        out.push({ rule: "fields-extra", pointer: ptr("records", index, ...path.split(".")), message: `${who} carries ${path} although ${notRequested}`, received: path, expected: sel.all ? "standard fields only" : [...input.keys, ...sel.include] });
      }
    }
    const key = recordKey(record, input.keys);
    const copy = key === undefined ? undefined : full(key);
    if (copy === undefined) return;
    for (const [path, count] of leaves(copy)) {
      if (count === 0 || isLink(path) || isKey(path) || !selected(path)) continue;
      const got = countAt(record, path);
      if (got < count) {
        out.push({
          rule: "fields-missing",
          pointer: ptr("records", index, ...path.split(".")),
          message: got === 0 ? `${who} lacks ${path}, which ${f} asks for and the full record has` : `${who} carries ${got} value(s) of ${path} where the full record has ${count}, although ${f} asks for it`,
          received: got,
          expected: count,
        });
      }
    }
  });
  return out;
}
