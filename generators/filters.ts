// ONTAP query expressions (spec/conventions.md §1) as fast-check arbitraries.
// The fields and their types come from the spec's filter parameters; the
// values are drawn from what the target holds (so filters hit) mixed with
// values it does not hold (so they miss). Every generated filter is labelled
// with the variants it uses, so tests can prove each variant is produced.
import fc from "fast-check";
import { getOperation, paramsFor, schemaFields } from "../src/contract/index.ts";

export type FilterFieldType = "string" | "enum" | "integer" | "boolean" | "date-time";

export interface FilterField {
  /** The query parameter (`licenses.serial_number`). */
  param: string;
  /** The record field it filters (dotted path). */
  field: string;
  type: FilterFieldType;
  enumValues?: string[];
}

export interface GeneratedFilter {
  param: string;
  expression: string;
  /** Variants this expression uses (see FILTER_VARIANTS). */
  kinds: string[];
}

export interface FilterCase {
  filters: GeneratedFilter[];
  /** Union of the filters' kinds, plus `and` when several filters are combined. */
  kinds: string[];
}

/** Every variant the filter arbitraries claim to produce. */
export const FILTER_VARIANTS = [
  "exact", "quoted", "braced", "special-chars",
  "wildcard-prefix", "wildcard-suffix", "wildcard-infix",
  "negation", "alternatives", "comma-list", "comma-list-spaced",
  "lt", "gt", "le", "ge", "range",
  "null", "not-null",
  "held", "not-held", "and",
] as const;

/** The documented filter parameters of a collection GET whose field is a scalar, with types from the record schema. */
export function filterFieldsFor(operationId: string, version?: string): FilterField[] {
  const op = getOperation(operationId);
  if (!op.recordSchema) return [];
  const leaves = new Map(schemaFields(op.recordSchema, { version }).map((f) => [f.path, f]));
  const out: FilterField[] = [];
  for (const p of paramsFor(op, version)) {
    if (!p.filter || !p.field || p.in !== "query") continue;
    const f = leaves.get(p.field);
    if (!f || f.type === "object" || f.type === "array" || f.writeOnly) continue;
    out.push({ param: p.name, field: p.field, type: f.type, enumValues: f.enum });
  }
  return out;
}

/** Every value a record holds at a dotted path, through arrays. */
export function heldValues(records: readonly unknown[], path: string): Array<string | number | boolean> {
  const out: Array<string | number | boolean> = [];
  const walk = (v: unknown, segs: string[]): void => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, segs));
    if (!segs.length) {
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out.push(v);
      return;
    }
    if (v && typeof v === "object") walk((v as Record<string, unknown>)[segs[0]], segs.slice(1));
  };
  for (const r of records) walk(r, path.split("."));
  return [...new Set(out)];
}

// Characters that mean something in an unquoted expression.
const SPECIAL = /[*|,!{}"<>\s]|\.\.|^null$/i;

/** A value written so that every character is literal, or undefined when it cannot be. */
function literal(text: string, style: "quoted" | "braced"): string | undefined {
  if (style === "quoted") return text.includes('"') ? undefined : `"${text}"`;
  return /[{}]/.test(text) ? undefined : `{${text}}`;
}

interface Written {
  text: string;
  kinds: string[];
}

/** A value as it can appear in a term: bare when safe, else quoted or braced. */
function writeValue(text: string, style: "bare" | "quoted" | "braced"): Written | undefined {
  const special = SPECIAL.test(text) || text === "";
  if (style === "bare" && !special) return { text, kinds: ["exact"] };
  const s = style === "bare" ? "quoted" : style;
  const lit = literal(text, s) ?? literal(text, s === "quoted" ? "braced" : "quoted");
  if (lit === undefined) return undefined;
  return { text: lit, kinds: [lit.startsWith("{") ? "braced" : "quoted", ...(special ? ["special-chars"] : [])] };
}

const MISS_STRINGS = ["ontap-conformance-miss", "a b", "x*y|z", "{odd}", 'say "hi"', "comma,inside", "Ünïcødé", "..", "null", "!"];

function stringValues(held: string[]): fc.Arbitrary<{ text: string; held: boolean }> {
  const miss = fc.oneof(fc.constantFrom(...MISS_STRINGS), fc.string({ minLength: 1, maxLength: 12 })).map((text) => ({ text, held: false }));
  return held.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...held).map((text) => ({ text, held: true })) }, { weight: 1, arbitrary: miss }) : miss;
}

/** A piece of a held value for wildcards: prefix, suffix or infix around a `*`. */
function wildcard(text: string, at: "prefix" | "suffix" | "infix", cut: number): Written | undefined {
  if (/[*|,!{}"<>\s]/.test(text) || text.includes("..")) return undefined;
  const n = Math.max(1, Math.min(text.length, cut));
  if (at === "prefix") return { text: `${text.slice(0, n)}*`, kinds: ["wildcard-prefix"] };
  if (at === "suffix") return { text: `*${text.slice(text.length - n)}`, kinds: ["wildcard-suffix"] };
  if (text.length < 2) return { text: `*${text}*`, kinds: ["wildcard-infix"] };
  const i = Math.min(n, text.length - 1);
  return { text: `${text.slice(0, i)}*${text.slice(i + 1)}`, kinds: ["wildcard-infix"] };
}

function scalarText(v: string | number | boolean): string {
  return String(v);
}

/** One term (without `!`) over a field. */
function termArb(field: FilterField, held: Array<string | number | boolean>): fc.Arbitrary<Written | undefined> {
  const heldText = held.map(scalarText);
  switch (field.type) {
    case "integer": {
      const nums = held.filter((v): v is number => typeof v === "number");
      const num = nums.length ? fc.oneof(fc.constantFrom(...nums), fc.integer({ min: -5, max: 5 }).chain((d) => fc.constantFrom(...nums).map((n) => n + d)), fc.integer({ min: 0, max: 2 ** 40 })) : fc.integer({ min: 0, max: 2 ** 40 });
      return fc.oneof(
        num.map((n) => ({ text: String(n), kinds: ["exact"] })),
        fc.tuple(fc.constantFrom("<", ">", "<=", ">="), num).map(([op, n]) => ({ text: `${op}${n}`, kinds: [opKind(op)] })),
        fc.tuple(num, num).map(([a, b]) => ({ text: `${Math.min(a, b)}..${Math.max(a, b)}`, kinds: ["range"] })),
      );
    }
    case "boolean":
      return fc.constantFrom("true", "false", "True", "FALSE").map((text) => ({ text, kinds: ["exact"] }));
    case "date-time": {
      const dates = held.filter((v): v is string => typeof v === "string" && !Number.isNaN(Date.parse(v)));
      const instant = fc.oneof(
        ...(dates.length ? [fc.constantFrom(...dates)] : []),
        fc.date({ min: new Date("2015-01-01T00:00:00Z"), max: new Date("2035-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().replace(/\.\d{3}Z$/, "Z")),
      );
      return fc.oneof(
        instant.map((t) => writeValue(t, "quoted")),
        fc.tuple(fc.constantFrom("<", ">", "<=", ">="), instant).map(([op, t]) => ({ text: `${op}${t}`, kinds: [opKind(op)] })),
        fc.tuple(instant, instant).map(([a, b]) => ({ text: `${a < b ? a : b}..${a < b ? b : a}`, kinds: ["range"] })),
      );
    }
    default: {
      const values = field.type === "enum" && field.enumValues?.length
        ? fc.oneof(fc.constantFrom(...field.enumValues).map((text) => ({ text, held: heldText.includes(text) })), stringValues(heldText))
        : stringValues(heldText);
      return fc.oneof(
        { weight: 3, arbitrary: fc.tuple(values, fc.constantFrom("bare", "quoted", "braced") as fc.Arbitrary<"bare" | "quoted" | "braced">).map(([v, style]) => tagHeld(writeValue(v.text, style), v.held)) },
        { weight: 2, arbitrary: fc.tuple(values, fc.constantFrom("prefix", "suffix", "infix") as fc.Arbitrary<"prefix" | "suffix" | "infix">, fc.integer({ min: 1, max: 6 })).map(([v, at, cut]) => tagHeld(wildcard(v.text, at, cut), v.held)) },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom("<", ">", "<=", ">="), values).map(([op, v]) => tagHeld(bareOrNothing(v.text, op), v.held)) },
        { weight: 1, arbitrary: fc.tuple(values, values).map(([a, b]) => {
          const [lo, hi] = a.text < b.text ? [a.text, b.text] : [b.text, a.text];
          // An end that touches the ".." with a "." would read as "...": no longer a range.
          return SPECIAL.test(lo) || SPECIAL.test(hi) || lo === "" || lo.endsWith(".") || hi.startsWith(".") ? undefined : { text: `${lo}..${hi}`, kinds: ["range", ...(a.held || b.held ? ["held"] : ["not-held"])] };
        }) },
      );
    }
  }
}

function opKind(op: string): string {
  return op === "<" ? "lt" : op === ">" ? "gt" : op === "<=" ? "le" : "ge";
}

function bareOrNothing(text: string, op: string): Written | undefined {
  // "<" then "=x" would read as "<=" then "x".
  return SPECIAL.test(text) || text === "" || text.startsWith("=") ? undefined : { text: `${op}${text}`, kinds: [opKind(op)] };
}

function tagHeld(w: Written | undefined, held: boolean): Written | undefined {
  return w && { text: w.text, kinds: [...w.kinds, held ? "held" : "not-held"] };
}

/** One alternative: a term, `!term`, `null` or `!null`. */
function alternativeArb(field: FilterField, held: Array<string | number | boolean>): fc.Arbitrary<Written | undefined> {
  return fc.oneof(
    { weight: 6, arbitrary: termArb(field, held) },
    { weight: 2, arbitrary: termArb(field, held).map((w) => w && { text: `!${w.text}`, kinds: [...w.kinds, "negation"] }) },
    { weight: 1, arbitrary: fc.constantFrom<Written>({ text: "null", kinds: ["null"] }, { text: "!null", kinds: ["not-null"] }) },
  );
}

/** A whole expression over one field: one alternative, or several joined by `|`, `,` or `, `. */
export function expressionArb(field: FilterField, held: Array<string | number | boolean>): fc.Arbitrary<GeneratedFilter> {
  const alt = alternativeArb(field, held);
  return fc
    .oneof(
      { weight: 3, arbitrary: alt.map((a) => (a ? [a] : undefined)) },
      { weight: 2, arbitrary: fc.tuple(fc.array(alt, { minLength: 2, maxLength: 3 }), fc.constantFrom("|", ",", ", ")).map(([alts, sep]) => {
        if (alts.some((a) => !a)) return undefined;
        const kind = sep === "|" ? "alternatives" : sep === "," ? "comma-list" : "comma-list-spaced";
        return [{ text: alts.map((a) => a!.text).join(sep), kinds: [...alts.flatMap((a) => a!.kinds), kind] }];
      }) },
    )
    .filter((w): w is Written[] => w !== undefined)
    .map(([w]) => ({ param: field.param, expression: w.text, kinds: [...new Set(w.kinds)] }));
}

/**
 * One to three filters on distinct fields (ANDed), with values drawn from
 * `records` (the target's unfiltered listing) and from outside it.
 */
export function filterCaseArb(fields: readonly FilterField[], records: readonly unknown[]): fc.Arbitrary<FilterCase> {
  if (!fields.length) throw new Error("filterCaseArb needs at least one filter field");
  const perField = fields.map((f) => expressionArb(f, heldValues(records, f.field)));
  return fc
    .uniqueArray(fc.integer({ min: 0, max: fields.length - 1 }), { minLength: 1, maxLength: Math.min(3, fields.length) })
    .chain((idx) => fc.tuple(...idx.map((i) => perField[i])))
    .map((filters) => ({ filters, kinds: [...new Set([...filters.flatMap((f) => f.kinds), ...(filters.length > 1 ? ["and"] : [])])] }));
}
