// The reference mock's ONTAP query engine: filters, fields, order_by and
// paging, as spec/conventions.md describes them. Pure functions; each
// expression is parsed once per request, not once per record.
import { OntapError } from "../errors.ts";

export type FieldType = "string" | "enum" | "integer" | "boolean" | "date-time";
export type FieldTypes = Record<string, FieldType>;

// ---------------------------------------------------------------- filters

type Term =
  | { kind: "null" }
  | { kind: "notnull" }
  | { kind: "cmp"; op: "<" | ">" | "<=" | ">="; value: string }
  | { kind: "range"; from: string; to: string }
  | { kind: "eq"; value: string }
  | { kind: "wild"; re: RegExp };

interface Alternative {
  negate: boolean;
  term: Term;
}

export type Expression = Alternative[];

/** Split on top-level separators, outside quotes and braces. */
function splitTop(text: string, isSep: (s: string, i: number) => number): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') quoted = false;
      continue;
    }
    if (depth === 0 && c === '"') quoted = true;
    else if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth < 0) throw new OntapError(400, 262185, `Unbalanced braces in query "${text}".`);
    } else if (depth === 0) {
      const len = isSep(text, i);
      if (len) {
        parts.push(text.slice(start, i));
        start = i + len;
        i += len - 1;
      }
    }
  }
  if (quoted || depth !== 0) throw new OntapError(400, 262185, `Unbalanced quotes or braces in query "${text}".`);
  parts.push(text.slice(start));
  return parts;
}

/** A quoted or braced literal's content, or undefined when `text` is not one. */
function literal(text: string): string | undefined {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1);
  if (text.length >= 2 && text.startsWith("{") && text.endsWith("}")) return text.slice(1, -1);
  return undefined;
}

function wildcard(pattern: string): RegExp {
  const body = pattern.split("*").map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${body}$`, "s");
}

function parseTerm(text: string): Term {
  if (text === "null") return { kind: "null" };
  const lit = literal(text);
  if (lit !== undefined) return { kind: "eq", value: lit };
  for (const op of ["<=", ">=", "<", ">"] as const) {
    if (text.startsWith(op)) {
      const rest = text.slice(op.length);
      return { kind: "cmp", op, value: literal(rest) ?? rest };
    }
  }
  const range = splitTop(text, (s, i) => (s.startsWith("..", i) ? 2 : 0));
  if (range.length === 2) return { kind: "range", from: literal(range[0]) ?? range[0], to: literal(range[1]) ?? range[1] };
  if (range.length > 2) throw new OntapError(400, 262185, `Invalid range in query "${text}".`);
  if (text.includes("*")) return { kind: "wild", re: wildcard(text) };
  return { kind: "eq", value: text };
}

export function parseExpression(text: string): Expression {
  const alternatives = splitTop(text, (s, i) => {
    if (s[i] === "|") return 1;
    if (s[i] === ",") {
      let j = i + 1;
      while (s[j] === " ") j++;
      return j - i;
    }
    return 0;
  });
  return alternatives.map((alt) => {
    if (alt === "!null") return { negate: false, term: { kind: "notnull" } };
    if (alt.startsWith("!")) return { negate: true, term: parseTerm(alt.slice(1)) };
    return { negate: false, term: parseTerm(alt) };
  });
}

type Scalar = string | number | boolean;

/** Comparable form of a literal for a field type; undefined when it cannot be one. */
function coerce(text: string, type: FieldType): number | string | undefined {
  switch (type) {
    case "integer":
      return /^\s*[-+]?\d+\s*$/.test(text) ? Number(text) : undefined;
    case "boolean":
      return /^true$/i.test(text) ? 1 : /^false$/i.test(text) ? 0 : undefined;
    case "date-time": {
      const t = Date.parse(text);
      return Number.isNaN(t) ? undefined : t;
    }
    default:
      return text;
  }
}

function valueKey(v: Scalar, type: FieldType): number | string | undefined {
  if (type === "boolean") return v === true || v === "true" ? 1 : v === false || v === "false" ? 0 : undefined;
  if (type === "integer") return typeof v === "number" ? v : coerce(String(v), type);
  if (type === "date-time") return coerce(String(v), type);
  return String(v);
}

function cmp(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function termHolds(term: Term, v: Scalar | undefined, type: FieldType): boolean {
  if (term.kind === "null") return v === undefined;
  if (v === undefined) return false;
  if (term.kind === "notnull") return true;
  const have = valueKey(v, type);
  if (have === undefined) return false;
  switch (term.kind) {
    case "eq": {
      const want = coerce(term.value, type);
      return want !== undefined && cmp(have, want) === 0;
    }
    case "wild":
      return term.re.test(typeof v === "boolean" ? String(v) : String(v));
    case "cmp": {
      const want = coerce(term.value, type);
      if (want === undefined) return false;
      const c = cmp(have, want);
      return term.op === "<" ? c < 0 : term.op === ">" ? c > 0 : term.op === "<=" ? c <= 0 : c >= 0;
    }
    case "range": {
      const from = coerce(term.from, type);
      const to = coerce(term.to, type);
      return from !== undefined && to !== undefined && cmp(have, from) >= 0 && cmp(have, to) <= 0;
    }
  }
}

function expressionHolds(expr: Expression, v: Scalar | undefined, type: FieldType): boolean {
  return expr.some((alt) => {
    if (alt.term.kind === "null" || alt.term.kind === "notnull") return alt.negate ? !termHolds(alt.term, v, type) : termHolds(alt.term, v, type);
    // An unset field satisfies no term but null, negated ones included.
    if (v === undefined) return false;
    return alt.negate ? !termHolds(alt.term, v, type) : termHolds(alt.term, v, type);
  });
}

/** Leaf values along a dotted path; arrays fan out (existential semantics). */
export function valuesAt(record: unknown, path: string): Scalar[] {
  let level: unknown[] = [record];
  for (const seg of path.split(".")) {
    const next: unknown[] = [];
    for (const node of level) {
      const v = (node as Record<string, unknown> | null)?.[seg];
      if (Array.isArray(v)) next.push(...v);
      else if (v !== undefined && v !== null) next.push(v);
    }
    level = next;
  }
  return level.filter((v): v is Scalar => typeof v !== "object");
}

export interface CompiledFilter {
  field: string;
  type: FieldType;
  expr: Expression;
}

export function compileFilters(filters: Record<string, string>, types: FieldTypes): CompiledFilter[] {
  return Object.entries(filters).map(([field, text]) => {
    const type = types[field];
    if (!type) throw new OntapError(400, 262250, `Field "${field}" is not queryable.`, { target: field });
    return { field, type, expr: parseExpression(text) };
  });
}

export function matchesCompiled(record: unknown, filters: CompiledFilter[]): boolean {
  return filters.every((f) => {
    const values = valuesAt(record, f.field);
    if (!values.length) return expressionHolds(f.expr, undefined, f.type);
    return values.some((v) => expressionHolds(f.expr, v, f.type));
  });
}

export function matchesFilters(record: unknown, filters: Record<string, string>, types: FieldTypes): boolean {
  return matchesCompiled(record, compileFilters(filters, types));
}

// ---------------------------------------------------------------- fields

export type FieldSelection =
  | { mode: "default" }
  | { mode: "all"; expensive: boolean; exclude: string[]; extra: string[] }
  | { mode: "list"; paths: string[]; exclude: string[] };

function expandBraces(text: string): string[] {
  const open = text.indexOf("{");
  if (open < 0) {
    if (text.includes("}")) throw new OntapError(400, 262286, `Mismatched braces in fields "${text}".`, { target: "fields" });
    return [text];
  }
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) {
      const inner = splitFieldList(text.slice(open + 1, i));
      const prefix = text.slice(0, open);
      const suffix = text.slice(i + 1);
      return inner.flatMap((part) => expandBraces(`${prefix}${part}${suffix}`));
    }
  }
  throw new OntapError(400, 262286, `Mismatched braces in fields "${text}".`, { target: "fields" });
}

function splitFieldList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}") depth--;
    else if (text[i] === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) throw new OntapError(400, 262286, `Mismatched braces in fields "${text}".`, { target: "fields" });
  }
  if (depth !== 0) throw new OntapError(400, 262286, `Mismatched braces in fields "${text}".`, { target: "fields" });
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

export function parseFields(text: string | undefined, known: string[]): FieldSelection {
  if (text === undefined || text.trim() === "") return { mode: "default" };
  const knownSet = new Set(known);
  const tokens = splitFieldList(text).flatMap(expandBraces);
  const check = (path: string) => {
    if (!knownSet.has(path)) throw new OntapError(400, 262197, `The value "${path}" is invalid for field "fields".`, { target: "fields" });
  };
  const exclude: string[] = [];
  const paths: string[] = [];
  let star = 0;
  for (const t of tokens) {
    if (t === "*") star = Math.max(star, 1);
    else if (t === "**") star = 2;
    else if (t.startsWith("!")) {
      check(t.slice(1));
      exclude.push(t.slice(1));
    } else {
      check(t);
      paths.push(t);
    }
  }
  if (star) return { mode: "all", expensive: star === 2, exclude, extra: paths };
  return { mode: "list", paths, exclude };
}

type Tree = { [key: string]: Tree | true };

function addPath(tree: Tree, path: string): void {
  const segs = path.split(".");
  let node = tree;
  segs.forEach((seg, i) => {
    if (node[seg] === true) return;
    if (i === segs.length - 1) node[seg] = true;
    else {
      node[seg] = (node[seg] as Tree | undefined) ?? {};
      node = node[seg] as Tree;
    }
  });
}

function pick(value: unknown, tree: Tree | true): unknown {
  if (tree === true) return value;
  if (Array.isArray(value)) return value.map((v) => pick(v, tree));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(tree)) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = pick(v, sub);
  }
  return out;
}

function drop(value: unknown, segs: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v) => drop(v, segs));
    return;
  }
  if (!value || typeof value !== "object") return;
  const obj = value as Record<string, unknown>;
  if (segs.length === 1) delete obj[segs[0]];
  else drop(obj[segs[0]], segs.slice(1));
}

/** The record as `fields` asks for it; keys and `_links` always stay. */
export function project<T>(record: T, selection: FieldSelection, opts: { keys: string[] }): T {
  let out: unknown;
  if (selection.mode === "all") out = structuredClone(record);
  else {
    const tree: Tree = { _links: true };
    for (const k of opts.keys) addPath(tree, k);
    if (selection.mode === "list") for (const p of selection.paths) addPath(tree, p);
    out = pick(record, tree);
  }
  if (selection.mode !== "default") {
    const keys = new Set(opts.keys);
    for (const ex of selection.exclude) if (!keys.has(ex)) drop(out, ex.split("."));
  }
  return out as T;
}

// ---------------------------------------------------------------- order_by

export interface OrderKey {
  field: string;
  desc: boolean;
}

export function parseOrderBy(text: string, known: string[]): OrderKey[] {
  const knownSet = new Set(known);
  return splitFieldList(text).map((part) => {
    const m = /^(\S+)(?:\s+(asc|desc))?$/i.exec(part.trim());
    if (!m) throw new OntapError(400, 262185, `Invalid order_by "${part}".`, { target: "order_by" });
    if (!knownSet.has(m[1])) throw new OntapError(400, 262268, `Field "${m[1]}" cannot be used in order_by.`, { target: "order_by" });
    return { field: m[1], desc: (m[2] ?? "asc").toLowerCase() === "desc" };
  });
}

export function sortRecords<T>(records: T[], keys: OrderKey[], types: FieldTypes): T[] {
  const decorated = records.map((r, i) => ({ r, i, vals: keys.map((k) => {
    const v = valuesAt(r, k.field)[0];
    return v === undefined ? undefined : valueKey(v, types[k.field] ?? "string");
  }) }));
  decorated.sort((a, b) => {
    for (let j = 0; j < keys.length; j++) {
      const x = a.vals[j];
      const y = b.vals[j];
      let c: number;
      if (x === undefined && y === undefined) c = 0;
      else if (x === undefined) c = 1; // unset last in ascending order
      else if (y === undefined) c = -1;
      else c = cmp(x, y);
      if (keys[j].desc) c = -c;
      if (c) return c;
    }
    return a.i - b.i;
  });
  return decorated.map((d) => d.r);
}

// ---------------------------------------------------------------- paging

/** The query parameter that carries the continuation point of a next link. */
export const PAGE_TOKEN_PARAM = "start.offset";

export function readStartToken(query: URLSearchParams): number {
  const raw = query.get(PAGE_TOKEN_PARAM);
  if (raw === null) return 0;
  if (!/^\d+$/.test(raw)) throw new OntapError(400, 262185, `Invalid value "${raw}" for "${PAGE_TOKEN_PARAM}".`, { target: PAGE_TOKEN_PARAM });
  return Number(raw);
}

export function paginate<T>(rows: T[], opts: { maxRecords?: number; token: number }): { page: T[]; nextToken?: number } {
  const start = Math.min(opts.token, rows.length);
  if (opts.maxRecords === undefined) return { page: rows.slice(start) };
  const end = start + opts.maxRecords;
  const page = rows.slice(start, end);
  return { page, nextToken: opts.maxRecords > 0 && end < rows.length ? end : undefined };
}

export function buildNextQuery(query: URLSearchParams, token: number): URLSearchParams {
  const next = new URLSearchParams(query);
  next.set(PAGE_TOKEN_PARAM, String(token));
  return next;
}
