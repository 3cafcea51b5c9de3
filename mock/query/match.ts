// Filtering records by ONTAP query parameters (spec/conventions.md §1, read
// from ref §5.1; its *(choice)* points are where the sources are silent and
// the suite accepts the other reading). Each filter
// compiles once into a predicate over one leaf value; records then only pay
// for path walking and comparisons.
import { parseExpression, type Alternative, type ComparisonOperator, type Expression, type Term } from "./expression.ts";
import { splitPath, valuesAt } from "./paths.ts";
import { typeOf, type FieldType, type FieldTypes } from "./types.ts";
import { compare, parseTyped, recordTyped, servedText, type Comparable } from "./values.ts";

/** A predicate over one leaf value; `undefined` means the field is unset there. */
type ValueTest = (value: unknown) => boolean;

export type RecordTest = (record: unknown) => boolean;

function wildcardMatches(text: string, pieces: string[]): boolean {
  // Greedy left-to-right placement of the middle pieces is exact for `*`-only globs.
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (!text.startsWith(first)) return false;
  let at = first.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = text.indexOf(piece, at);
    if (found < 0) return false;
    at = found + piece.length;
  }
  return text.length - last.length >= at && text.endsWith(last);
}

/**
 * A test over a set value, or undefined when the query text cannot be read
 * as the field's type (such a term matches nothing, §1.2).
 */
function compileTerm(term: Exclude<Term, { kind: "null" }>, type: FieldType): ValueTest | undefined {
  if (term.kind === "wildcard") {
    // Wildcards match the value as served; booleans are case-insensitive everywhere, so `T*` finds true.
    const fold = type === "boolean" ? (s: string) => s.toLowerCase() : (s: string) => s;
    const pieces = term.pieces.map(fold);
    return (value) => {
      const text = servedText(value);
      return text !== undefined && wildcardMatches(fold(text), pieces);
    };
  }
  let holds: (v: Comparable) => boolean;
  if (term.kind === "range") {
    const low = parseTyped(term.low, type);
    const high = parseTyped(term.high, type);
    if (low === undefined || high === undefined) return undefined;
    holds = (v) => compare(v, low) >= 0 && compare(v, high) <= 0;
  } else {
    const want = parseTyped(term.value, type);
    if (want === undefined) return undefined;
    if (term.kind === "equals") holds = (v) => v === want;
    else {
      const accept = ACCEPT[term.operator];
      holds = (v) => accept(compare(v, want));
    }
  }
  return (value) => {
    const typed = recordTyped(value, type);
    return typed !== undefined && holds(typed);
  };
}

const ACCEPT: Record<ComparisonOperator, (order: number) => boolean> = {
  "<": (c) => c < 0,
  "<=": (c) => c <= 0,
  ">": (c) => c > 0,
  ">=": (c) => c >= 0,
};

function isUnset(value: unknown): boolean {
  return value === undefined || value === null;
}

function compileAlternative(alternative: Alternative, type: FieldType): ValueTest {
  const { negated, term } = alternative;
  if (term.kind === "null") return negated ? (v) => !isUnset(v) : isUnset;
  const test = compileTerm(term, type);
  // An unreadable value matches nothing, negated or not.
  if (!test) return () => false;
  // An unset field satisfies only `null`: `!x` and `!a..b` are false for it too (§1.3).
  return negated ? (v) => !isUnset(v) && !test(v) : (v) => !isUnset(v) && test(v);
}

/** A predicate for one parsed expression on a field of `type`. */
export function compileExpression(expression: Expression, type: FieldType): ValueTest {
  const tests = expression.alternatives.map((a) => compileAlternative(a, type));
  return (value) => tests.some((t) => t(value));
}

/** One filter, parsed: what matchesCompiled evaluates. */
export interface CompiledFilter {
  field: string;
  type: FieldType;
  expr: Expression;
}

/** A predicate for one filter: existential over the array elements the path crosses (§1.3). */
function recordTest(filter: CompiledFilter): RecordTest {
  const test = compileExpression(filter.expr, filter.type);
  const segments = splitPath(filter.field);
  return (record) => valuesAt(record, segments).some(test);
}

/**
 * Parse every filter once per request (so a malformed one is reported even
 * when there are no records to filter). A field missing from `types`
 * compares as a string.
 */
export function compileFilters(filters: Record<string, string>, types: FieldTypes): CompiledFilter[] {
  return Object.entries(filters).map(([field, text]) => ({ field, type: typeOf(types, field) ?? "string", expr: parseExpression(text, field) }));
}

// Callers may build CompiledFilter objects themselves; their predicates are
// built on first use and kept as long as the object lives.
const tests = new WeakMap<CompiledFilter, RecordTest>();

function testOf(filter: CompiledFilter): RecordTest {
  let test = tests.get(filter);
  if (!test) tests.set(filter, (test = recordTest(filter)));
  return test;
}

/** Whether `record` satisfies every compiled filter (AND). */
export function matchesCompiled(record: unknown, filters: readonly CompiledFilter[]): boolean {
  return filters.every((filter) => testOf(filter)(record));
}

// matchesFilters is called once per record with the same arguments; this
// cache keeps it at one parse per distinct (field, type, text) instead.
const byText = new Map<string, RecordTest>();
const CACHE_LIMIT = 1000;

function cachedFilter(field: string, text: string, types: FieldTypes): RecordTest {
  const type = typeOf(types, field) ?? "string";
  const key = `${type}\u0000${field}\u0000${text}`;
  let test = byText.get(key);
  if (!test) {
    if (byText.size >= CACHE_LIMIT) byText.clear();
    test = recordTest({ field, type, expr: parseExpression(text, field) });
    byText.set(key, test);
  }
  return test;
}

/** Whether `record` satisfies every filter (field path → expression text). */
export function matchesFilters(record: object, filters: Record<string, string>, types: FieldTypes): boolean {
  for (const field in filters) {
    if (!cachedFilter(field, filters[field], types)(record)) return false;
  }
  return true;
}
