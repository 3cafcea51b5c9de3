// The ONTAP filter language (`<field>=<expression>`), parsed and evaluated
// from spec/conventions.md §1 alone, and the oracle that judges a filtered
// listing against the unfiltered one.
//
// Grammar (conventions §1.1):
//   expression  := alternative ( ("|" | ",") alternative )*   -- OR; spaces after "," ignored
//   alternative := "!" term | term
//   term        := "null" | ("<"|">"|"<="|">=") value | value ".." value | pattern
//   literal     := '"' chars '"' | "{" chars "}"               -- every character literal
// Semantics: §1.2 (compare by field type) and §1.3 (unset fields, arrays).
import {
  AMBIGUOUS,
  CANNOT_PARSE,
  describeRecord,
  isUnset,
  parseBooleanText,
  parseInstant,
  parseIntegerText,
  ptr,
  recordKey,
  showPath,
  valuesAt,
  type FieldType,
  type FieldTypes,
  type KeySpec,
  type Violation,
} from "./types.ts";

export type { FieldType, FieldTypes } from "./types.ts";

/** The oracle could not read a filter expression (or has no type for its field). */
export class FilterParseError extends Error {
  constructor(
    message: string,
    readonly expression: string,
  ) {
    super(message);
    this.name = "FilterParseError";
  }
}

/** A run of characters of a value; quoted (`"..."`, `{...}`) runs are literal. */
export interface Segment {
  text: string;
  quoted: boolean;
}

export interface Value {
  /** The characters of the value, quotes and braces removed. */
  text: string;
  /** Whether an unquoted `*` makes it a wildcard pattern. */
  wildcard: boolean;
  /** Anchored regular expression of a wildcard pattern. */
  regex?: string;
}

export type Term =
  | { kind: "null" }
  | { kind: "compare"; op: "<" | ">" | "<=" | ">="; value: Value }
  | { kind: "range"; low: Value; high: Value }
  | { kind: "pattern"; value: Value };

export interface Alternative {
  negated: boolean;
  term: Term;
}

export interface Expression {
  source: string;
  alternatives: Alternative[];
}

// ---------------------------------------------------------------------------
// Parsing

/** Split an expression into alternatives of segments, honouring quotes and braces. */
function splitAlternatives(source: string): Segment[][] {
  const alternatives: Segment[][] = [];
  let current: Segment[] = [];
  let buffer = "";
  const flush = (): void => {
    if (buffer !== "") current.push({ text: buffer, quoted: false });
    buffer = "";
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '"') {
      const close = source.indexOf('"', i + 1);
      if (close < 0) throw new FilterParseError(`unterminated quote at offset ${i}`, source);
      flush();
      current.push({ text: source.slice(i + 1, close), quoted: true });
      i = close + 1;
    } else if (c === "{") {
      let depth = 1;
      let j = i + 1;
      while (j < source.length && depth > 0) {
        if (source[j] === "{") depth++;
        else if (source[j] === "}") depth--;
        j++;
      }
      if (depth > 0) throw new FilterParseError(`unbalanced "{" at offset ${i}`, source);
      flush();
      current.push({ text: source.slice(i + 1, j - 1), quoted: true });
      i = j;
    } else if (c === "}") {
      throw new FilterParseError(`unbalanced "}" at offset ${i}`, source);
    } else if (c === "|" || c === ",") {
      flush();
      alternatives.push(current);
      current = [];
      i++;
      if (c === ",") while (i < source.length && /\s/.test(source[i])) i++;
    } else {
      buffer += c;
      i++;
    }
  }
  flush();
  alternatives.push(current);
  return alternatives;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function toValue(segments: Segment[], source: string, allowWildcard: boolean): Value {
  let text = "";
  let regex = "";
  let wildcard = false;
  for (const s of segments) {
    text += s.text;
    if (s.quoted) {
      regex += escapeRegex(s.text);
      continue;
    }
    if (/[<>!]/.test(s.text)) throw new FilterParseError(`unexpected operator character in value "${s.text}"`, source);
    if (s.text.includes("..")) throw new FilterParseError(`unexpected ".." in value "${s.text}"`, source);
    if (s.text.includes("*")) {
      if (!allowWildcard) throw new FilterParseError(`a comparison or range value cannot hold an unquoted "*" ("${s.text}")`, source);
      wildcard = true;
    }
    regex += s.text.split("*").map(escapeRegex).join(".*");
  }
  return wildcard ? { text, wildcard, regex: `^${regex}$` } : { text, wildcard };
}

/** Split segments at the single unquoted `..`, if there is one. */
function splitRange(segments: Segment[], source: string): [Segment[], Segment[]] | undefined {
  let found: [Segment[], Segment[]] | undefined;
  segments.forEach((s, idx) => {
    if (s.quoted) return;
    const first = s.text.indexOf("..");
    if (first < 0) return;
    if (found || s.text.indexOf("..", first + 2) >= 0 || s.text.includes("..."))
      throw new FilterParseError(`more than one ".." in "${segments.map((x) => x.text).join("")}"`, source);
    const before = s.text.slice(0, first);
    const after = s.text.slice(first + 2);
    found = [
      [...segments.slice(0, idx), ...(before ? [{ text: before, quoted: false }] : [])],
      [...(after ? [{ text: after, quoted: false }] : []), ...segments.slice(idx + 1)],
    ];
  });
  return found;
}

function parseAlternative(segments: Segment[], source: string): Alternative {
  if (segments.length === 0) throw new FilterParseError("empty alternative", source);
  let negated = false;
  let rest = segments;
  const head = rest[0];
  if (!head.quoted && head.text.startsWith("!")) {
    negated = true;
    rest = head.text.length > 1 ? [{ text: head.text.slice(1), quoted: false }, ...rest.slice(1)] : rest.slice(1);
    if (rest.length === 0) throw new FilterParseError('"!" without a term', source);
  }
  const first = rest[0];
  if (rest.length === 1 && !first.quoted && first.text === "null") return { negated, term: { kind: "null" } };
  if (!first.quoted) {
    const op = (["<=", ">=", "<", ">"] as const).find((o) => first.text.startsWith(o));
    if (op) {
      const remainder = first.text.slice(op.length);
      const valueSegments = [...(remainder ? [{ text: remainder, quoted: false }] : []), ...rest.slice(1)];
      if (valueSegments.length === 0) throw new FilterParseError(`"${op}" without a value`, source);
      return { negated, term: { kind: "compare", op, value: toValue(valueSegments, source, false) } };
    }
  }
  const range = splitRange(rest, source);
  if (range) {
    const [low, high] = range;
    if (low.length === 0 || high.length === 0) throw new FilterParseError('".." needs a value on both sides', source);
    return { negated, term: { kind: "range", low: toValue(low, source, false), high: toValue(high, source, false) } };
  }
  return { negated, term: { kind: "pattern", value: toValue(rest, source, true) } };
}

/** Parse a filter expression. Throws FilterParseError when it is not in the grammar of conventions §1.1. */
export function parseExpression(source: string): Expression {
  return { source, alternatives: splitAlternatives(source).map((segments) => parseAlternative(segments, source)) };
}

// ---------------------------------------------------------------------------
// Evaluation

/**
 * Readings of the *(choice)* points of conventions.md. The defaults are the
 * contract's choices; checkFilter tries the others to tell a quirk from a bug.
 */
export interface EvalOptions {
  /** Equality and wildcards on strings and enums ignore case (contract: case-sensitive). */
  caseInsensitive?: boolean;
  /**
   * On a path through an array, a negated alternative means "set, and no
   * element matches the term" instead of "some element does not match"
   * (contract: existential over the whole expression).
   */
  negationOutsideArrays?: boolean;
}

type Scalar = string | number | boolean;

/** A comparable reading of a value for a type, or undefined when it cannot be read. */
function readQuery(text: string, type: FieldType, source: string): Scalar | undefined {
  switch (type) {
    case "integer":
      return parseIntegerText(text);
    case "boolean":
      return parseBooleanText(text);
    case "date-time": {
      const t = parseInstant(text);
      if (t === "no-offset") throw new FilterParseError(`date-time "${text}" has no UTC offset, so it names no instant`, source);
      return t;
    }
    default:
      return text;
  }
}

function readServed(v: unknown, type: FieldType): Scalar | undefined {
  switch (type) {
    case "integer":
      if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
      return typeof v === "string" ? parseIntegerText(v) : undefined;
    case "boolean":
      if (typeof v === "boolean") return v;
      return typeof v === "string" ? parseBooleanText(v) : undefined;
    case "date-time": {
      if (typeof v !== "string") return undefined;
      const t = parseInstant(v);
      return typeof t === "number" ? t : undefined;
    }
    default:
      return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
  }
}

/** The served value as text, for wildcards: integers in decimal, dates as served. */
function servedText(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  const sa = String(a), sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0; // UTF-16 code units
}

/** A term on a set value. */
function termHolds(term: Exclude<Term, { kind: "null" }>, served: unknown, type: FieldType, source: string, opts: EvalOptions): boolean {
  const textual = type === "string" || type === "enum";
  if (term.kind === "pattern") {
    const value = term.value;
    if (value.wildcard) {
      const flags = (textual && opts.caseInsensitive) || type === "boolean" ? "si" : "s";
      return new RegExp(value.regex!, flags).test(servedText(served));
    }
    const q = readQuery(value.text, type, source);
    const s = readServed(served, type);
    if (q === undefined || s === undefined) return false;
    if (textual && opts.caseInsensitive) return String(q).toLowerCase() === String(s).toLowerCase();
    return compareScalars(s, q) === 0;
  }
  const s = readServed(served, type);
  if (term.kind === "compare") {
    const q = readQuery(term.value.text, type, source);
    if (q === undefined || s === undefined) return false;
    const c = compareScalars(s, q);
    return term.op === "<" ? c < 0 : term.op === ">" ? c > 0 : term.op === "<=" ? c <= 0 : c >= 0;
  }
  const low = readQuery(term.low.text, type, source);
  const high = readQuery(term.high.text, type, source);
  if (low === undefined || high === undefined || s === undefined) return false;
  return compareScalars(s, low) >= 0 && compareScalars(s, high) <= 0;
}

function alternativeHolds(alt: Alternative, served: unknown, type: FieldType, source: string, opts: EvalOptions): boolean {
  if (isUnset(served)) return alt.term.kind === "null" && !alt.negated; // §1.3: unset satisfies only `null`
  if (alt.term.kind === "null") return alt.negated; // `!null`: set
  const holds = termHolds(alt.term, served, type, source, opts);
  return alt.negated ? !holds : holds;
}

function flatten(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [value];
  if (value.length === 0) return [undefined];
  return value.flatMap(flatten);
}

/**
 * Whether a field's value satisfies an expression. An array is a list of
 * candidates (the elements met on a path through an array, see valuesAt):
 * it is satisfied when at least one candidate satisfies the whole
 * expression; an empty array is unset. Throws FilterParseError.
 */
export function evaluate(expression: string | Expression, value: unknown, type: FieldType, opts: EvalOptions = {}): boolean {
  const expr = typeof expression === "string" ? parseExpression(expression) : expression;
  const candidates = flatten(value);
  if (opts.negationOutsideArrays && candidates.length > 1) {
    return expr.alternatives.some((alt) => {
      if (!alt.negated || alt.term.kind === "null") return candidates.some((c) => alternativeHolds(alt, c, type, expr.source, opts));
      const positive: Alternative = { negated: false, term: alt.term };
      return candidates.some((c) => !isUnset(c)) && !candidates.some((c) => alternativeHolds(positive, c, type, expr.source, opts));
    });
  }
  return candidates.some((c) => expr.alternatives.some((alt) => alternativeHolds(alt, c, type, expr.source, opts)));
}

export type Filters = Record<string, string> | ReadonlyArray<readonly [string, string]>;

function entries(filters: Filters): Array<readonly [string, string]> {
  return Array.isArray(filters) ? [...filters] : Object.entries(filters as Record<string, string>);
}

interface CompiledFilter {
  field: string;
  source: string;
  type: FieldType;
  expression: Expression;
}

function compile(filters: Filters, types: FieldTypes): CompiledFilter[] {
  return entries(filters).map(([field, source]) => {
    const type = types[field];
    if (!type) throw new FilterParseError(`no field type known for "${field}"`, `${field}=${source}`);
    const expression = parseExpression(source);
    // Read every query value once so that an unreadable date surfaces here, not per record.
    for (const alt of expression.alternatives) {
      const t = alt.term;
      if (t.kind === "compare" || (t.kind === "pattern" && !t.value.wildcard)) readQuery(t.value.text, type, expression.source);
      if (t.kind === "range") {
        readQuery(t.low.text, type, expression.source);
        readQuery(t.high.text, type, expression.source);
      }
    }
    return { field, source, type, expression };
  });
}

function holdsAll(record: unknown, compiled: CompiledFilter[], opts: EvalOptions): CompiledFilter | undefined {
  return compiled.find((f) => !evaluate(f.expression, valuesAt(record, f.field), f.type, opts));
}

// ---------------------------------------------------------------------------
// The oracle

export interface CheckFilterInput {
  /** The filters sent (`{ state: "compliant, noncompliant" }`), already URL-decoded. */
  filters: Filters;
  types: FieldTypes;
  /** Records the server returned for the filtered request. */
  filtered: readonly unknown[];
  /** Records of the same listing without the filters (with all fields the filters name). */
  unfiltered: readonly unknown[];
  /** Identifying key: `name`, `version`, `uuid`, or a composite. */
  key: KeySpec;
  /**
   * Filters the server applies when the request names no filter on that field
   * (licenses: `{ state: "compliant,noncompliant,unknown" }`, because the
   * default listing hides unlicensed packages). Only used for fields absent
   * from `filters`.
   */
  defaults?: Record<string, string>;
}

const ALTERNATIVE_READINGS: Array<{ opts: EvalOptions; reading: string }> = [
  { opts: { caseInsensitive: true }, reading: "string equality and wildcards ignoring case (contract: case-sensitive, conventions §1.2)" },
  { opts: { negationOutsideArrays: true }, reading: '"!" on an array path meaning no element matches (contract: some element does not match, conventions §1.3)' },
  { opts: { caseInsensitive: true, negationOutsideArrays: true }, reading: "case-insensitive strings and negation outside arrays (contract: conventions §1.2, §1.3)" },
];

function judge(input: CheckFilterInput, compiled: CompiledFilter[], opts: EvalOptions): Violation[] {
  const { filtered, unfiltered, key } = input;
  const out: Violation[] = [];
  const filterText = compiled.map((f) => `${f.field}=${f.source}`).join(", ");
  const byKey = new Map<string, unknown>();
  for (const r of unfiltered) {
    const k = recordKey(r, key);
    if (k !== undefined && !byKey.has(k)) byKey.set(k, r);
  }
  const returned = new Set<string>();
  filtered.forEach((record, index) => {
    const k = recordKey(record, key);
    if (k === undefined) {
      out.push({ rule: "filter-unidentified", pointer: ptr("records", index), message: `${describeRecord(record, key, index)} carries no identifying key, so it cannot be judged against the unfiltered listing`, received: record });
      return;
    }
    if (returned.has(k)) {
      out.push({ rule: "filter-duplicate", pointer: ptr("records", index), message: `${describeRecord(record, key, index)} was returned more than once for ${filterText}`, received: k });
      return;
    }
    returned.add(k);
    const full = byKey.get(k);
    // Judge on the unfiltered copy (the filtered one may lack fields because of fields=).
    // A record absent from the unfiltered listing is judged on what it carries,
    // skipping filters whose field it does not carry at all (unjudgeable).
    const judged = full ?? record;
    const applicable = full ? compiled : compiled.filter((f) => f.expression.alternatives.some((a) => a.term.kind === "null") || valuesAt(record, f.field.split(".")[0]).some((v) => !isUnset(v)));
    const failed = holdsAll(judged, applicable, opts);
    if (failed) {
      const implicit = !entries(input.filters).some(([f]) => f === failed.field) ? " (applied by default when the request names no such filter)" : "";
      const values = valuesAt(judged, failed.field);
      out.push({
        rule: "filter-sound",
        pointer: ptr("records", index),
        message: `${describeRecord(record, key, index)} does not satisfy filter ${failed.field}=${failed.source}${implicit} (${showPath(judged, failed.field)})`,
        received: values.length === 1 ? values[0] : values,
        expected: `${failed.field}=${failed.source}`,
      });
    }
  });
  for (const record of unfiltered) {
    const k = recordKey(record, key);
    if (k === undefined || returned.has(k)) continue;
    if (holdsAll(record, compiled, opts) !== undefined) continue;
    const why = compiled.map((f) => showPath(record, f.field)).join(", ");
    out.push({
      rule: "filter-complete",
      message: `${describeRecord(record, key)} satisfies ${filterText} (${why}) but was not returned`,
      received: returned.size > 50 ? [...[...returned].slice(0, 50), "..."] : [...returned],
      expected: k,
    });
  }
  return out;
}

/**
 * Judge a filtered listing: every returned record satisfies every filter
 * ("sound"), and every record of the unfiltered listing that satisfies them
 * was returned ("complete"). Records are matched by `key`.
 *
 * Rules: `filter-sound`, `filter-complete`, `filter-duplicate`,
 * `filter-unidentified`; `oracle-cannot-parse` when a filter is not in the
 * grammar or its field has no type; `ambiguous` when the answer is
 * conformant only under another reading of a *(choice)* of conventions.md.
 */
export function checkFilter(input: CheckFilterInput): Violation[] {
  let compiled: CompiledFilter[];
  try {
    const named = new Set(entries(input.filters).map(([f]) => f));
    const implicit = Object.entries(input.defaults ?? {}).filter(([f]) => !named.has(f));
    compiled = compile([...entries(input.filters), ...implicit], input.types);
  } catch (e) {
    if (e instanceof FilterParseError) {
      return [{ rule: CANNOT_PARSE, message: `the oracle cannot read filter "${e.expression}": ${e.message}`, received: e.expression }];
    }
    throw e;
  }
  const primary = judge(input, compiled, {});
  if (primary.length === 0) return [];
  for (const alt of ALTERNATIVE_READINGS) {
    if (judge(input, compiled, alt.opts).length === 0) {
      return [
        {
          rule: AMBIGUOUS,
          message: `the filtered listing breaks the contract's reading (${primary.length} violation${primary.length === 1 ? "" : "s"}, first: ${primary[0].message}) but is exact under the other reading: ${alt.reading}`,
          received: primary.map((v) => v.message),
          expected: alt.reading,
        },
      ];
    }
  }
  return primary;
}
