// The `order_by` oracle (conventions §3, compared as in §1.2): adjacent
// records must not be out of order. Ties may come in any order. A key that
// crosses an array has an unspecified order (ontap-reference §5.3), so a pair
// that needs it to be decided is not judged.
import {
  AMBIGUOUS,
  CANNOT_PARSE,
  describeRecord,
  isUnset,
  parseBooleanText,
  parseInstant,
  parseIntegerText,
  ptr,
  show,
  valuesAt,
  type FieldType,
  type FieldTypes,
  type KeySpec,
  type Violation,
} from "./types.ts";

export interface SortKey {
  field: string;
  descending: boolean;
}

export class OrderByParseError extends Error {}

/** Parse `f1 [asc|desc],f2 ...` (the space may have arrived as `+`). */
export function parseOrderBy(orderBy: string): SortKey[] {
  const keys = orderBy
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((part) => {
      const words = part.split(/[\s+]+/);
      if (words.length > 2) throw new OrderByParseError(`"${part}" is not "<field> [asc|desc]"`);
      const direction = (words[1] ?? "asc").toLowerCase();
      if (direction !== "asc" && direction !== "desc") throw new OrderByParseError(`"${words[1]}" is neither asc nor desc`);
      return { field: words[0], descending: direction === "desc" };
    });
  if (keys.length === 0) throw new OrderByParseError("order_by names no field");
  return keys;
}

type Scalar = string | number | boolean;

function read(v: unknown, type: FieldType): Scalar | undefined {
  switch (type) {
    case "integer":
      return typeof v === "number" ? v : typeof v === "string" ? parseIntegerText(v) : undefined;
    case "boolean":
      return typeof v === "boolean" ? v : typeof v === "string" ? parseBooleanText(v) : undefined;
    case "date-time": {
      const t = typeof v === "string" ? parseInstant(v) : undefined;
      return typeof t === "number" ? t : undefined;
    }
    default:
      return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
  }
}

/** Compare two set values by type; undefined when either cannot be read. */
export function compareTyped(a: unknown, b: unknown, type: FieldType): number | undefined {
  const x = read(a, type), y = read(b, type);
  if (x === undefined || y === undefined) return undefined;
  if (typeof x === "boolean" && typeof y === "boolean") return Number(x) - Number(y);
  if (typeof x === "number" && typeof y === "number") return x < y ? -1 : x > y ? 1 : 0;
  const sx = String(x), sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0; // UTF-16 code units
}

/** Where unset values go: the contract's choice is last in asc, hence first in desc (the reverse). */
interface UnsetPlacement {
  asc: "first" | "last";
  desc: "first" | "last";
}

const CONTRACT: UnsetPlacement = { asc: "last", desc: "first" };
const OTHERS: Array<{ p: UnsetPlacement; reading: string }> = [
  { p: { asc: "first", desc: "last" }, reading: "unset values first in ascending order (contract: last, conventions §3)" },
  { p: { asc: "last", desc: "last" }, reading: "unset values last in both directions (contract: last in asc, first in desc)" },
  { p: { asc: "first", desc: "first" }, reading: "unset values first in both directions (contract: last in asc, first in desc)" },
];

interface PairVerdict {
  key: SortKey;
  a: unknown;
  b: unknown;
}

/** The sort key that puts `a` after `b` wrongly, or undefined when the pair is in order, tied or undecidable. */
function outOfOrder(a: unknown, b: unknown, keys: SortKey[], types: FieldTypes, placement: UnsetPlacement): PairVerdict | undefined {
  for (const key of keys) {
    const va = valuesAt(a, key.field), vb = valuesAt(b, key.field);
    if (va.length > 1 || vb.length > 1) return undefined; // through an array: unspecified
    const x = va[0], y = vb[0];
    const ux = isUnset(x), uy = isUnset(y);
    if (ux && uy) continue;
    if (ux || uy) {
      const unsetLast = (key.descending ? placement.desc : placement.asc) === "last";
      // In order when the unset one sits where it belongs.
      const wrong = ux ? unsetLast : !unsetLast;
      return wrong ? { key, a: x, b: y } : undefined;
    }
    const c = compareTyped(x, y, types[key.field]);
    if (c === undefined) return undefined;
    if (c === 0) continue;
    const d = key.descending ? -c : c;
    return d > 0 ? { key, a: x, b: y } : undefined;
  }
  return undefined;
}

function judge(records: readonly unknown[], keys: SortKey[], types: FieldTypes, placement: UnsetPlacement, key: KeySpec | undefined, orderBy: string): Violation[] {
  const out: Violation[] = [];
  for (let i = 0; i + 1 < records.length; i++) {
    const v = outOfOrder(records[i], records[i + 1], keys, types, placement);
    if (!v) continue;
    const who = (r: unknown, idx: number): string => (key ? `${describeRecord(r, key, idx)} (records/${idx})` : `records/${idx}`);
    const dir = v.key.descending ? "descending" : "ascending";
    out.push({
      rule: "order",
      pointer: ptr("records", i + 1),
      message: `${who(records[i], i)} comes before ${who(records[i + 1], i + 1)} but for order_by=${orderBy} its ${v.key.field} ${show(v.a)} sorts after ${show(v.b)} (${dir}${isUnset(v.a) || isUnset(v.b) ? `, unset ${v.key.descending ? placement.desc : placement.asc}` : ""})`,
      received: [v.a, v.b],
      expected: `${v.key.field} ${dir}`,
    });
  }
  return out;
}

export interface CheckOrderInput {
  /** The `order_by` value sent (URL-decoded). */
  orderBy: string;
  records: readonly unknown[];
  types: FieldTypes;
  /** Identifying key, to name records in messages. */
  key?: KeySpec;
}

/**
 * Adjacent records out of order for `order_by`. Rules: `order`; `ambiguous`
 * when the records are in order only under another placement of unset values
 * (a *(choice)* of conventions §3); `oracle-cannot-parse`.
 */
export function checkOrder(input: CheckOrderInput): Violation[] {
  let keys: SortKey[];
  try {
    keys = parseOrderBy(input.orderBy);
    const untyped = keys.filter((k) => !input.types[k.field]);
    if (untyped.length) throw new OrderByParseError(`no field type known for ${untyped.map((k) => k.field).join(", ")}`);
  } catch (e) {
    if (e instanceof OrderByParseError) return [{ rule: CANNOT_PARSE, message: `the oracle cannot read order_by=${input.orderBy}: ${e.message}`, received: input.orderBy }];
    throw e;
  }
  const primary = judge(input.records, keys, input.types, CONTRACT, input.key, input.orderBy);
  if (primary.length === 0) return [];
  const other = OTHERS.find((o) => judge(input.records, keys, input.types, o.p, input.key, input.orderBy).length === 0);
  if (other) {
    return [{ rule: AMBIGUOUS, message: `the records are out of the contract's order (first: ${primary[0].message}) but in order under the other reading: ${other.reading}`, received: primary.map((v) => v.message), expected: other.reading }];
  }
  return primary;
}
