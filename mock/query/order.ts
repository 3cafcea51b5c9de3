// order_by (spec/conventions.md §3, read from ref §5.3): several keys, each
// ascending unless `desc`, compared by field type (enums alphabetically,
// ref §5.1); unset last in ascending order and ties in natural order are the
// conventions' *(choice)*. A field that cannot be used is 262268 (ref §5.3,
// §5.6), anything else malformed 262185.
import { OntapError } from "../errors.ts";
import { splitPath, valuesAt } from "./paths.ts";
import { typeOf, type FieldTypes } from "./types.ts";
import { compare, recordTyped, type Comparable } from "./values.ts";

export interface OrderKey {
  field: string;
  descending: boolean;
}

/** ONTAP's alias for order_by. */
export const ORDER_BY_ALIAS = "$orderBy";

/** The order_by text of a query, under either of its names. */
export function orderByParam(query: URLSearchParams): string | undefined {
  return query.get("order_by") ?? query.get(ORDER_BY_ALIAS) ?? undefined;
}

/**
 * Parse `f1 [asc|desc],f2 ...` (the space arrives URL-decoded). `known`
 * lists the sortable dotted paths; with `types`, only typed (leaf) fields
 * are sortable, so naming an object is refused too. Throws 262268 for a
 * field that cannot be used and 262185 for anything else malformed.
 */
export function parseOrderBy(text: string, known: string[], types?: FieldTypes): OrderKey[] {
  const valid = new Set(known);
  const keys: OrderKey[] = [];
  for (const item of text.split(",")) {
    const words = item.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue; // `order_by=` and stray commas ask for nothing
    const [field, direction = "asc", ...extra] = words;
    if (extra.length > 0 || !/^(asc|desc)$/i.test(direction)) {
      throw new OntapError(400, 262185, `Invalid value "${item.trim()}" for "order_by".`, { target: "order_by" });
    }
    if (!valid.has(field) || (types !== undefined && typeOf(types, field) === undefined)) {
      throw new OntapError(400, 262268, `Field "${field}" cannot be used in order_by.`, { target: "order_by" });
    }
    keys.push({ field, descending: direction.toLowerCase() === "desc" });
  }
  return keys;
}

/**
 * A new array in the requested order; the input is untouched. A key that
 * crosses an array sorts by its first set element (ONTAP leaves that order
 * unspecified).
 */
export function sortRecords<T>(records: readonly T[], orderBy: readonly OrderKey[], types: FieldTypes): T[] {
  if (orderBy.length === 0) return [...records];
  const readers = orderBy.map(({ field }) => {
    const segments = splitPath(field);
    const type = typeOf(types, field) ?? "string";
    return (record: T): Comparable | undefined => {
      for (const value of valuesAt(record, segments)) {
        const typed = recordTyped(value, type);
        if (typed !== undefined) return typed;
      }
      return undefined;
    };
  });
  // Read each key once per record, not once per comparison.
  const rows = records.map((record, index) => ({ record, index, keys: readers.map((read) => read(record)) }));
  rows.sort((a, b) => {
    for (let k = 0; k < orderBy.length; k++) {
      const x = a.keys[k];
      const y = b.keys[k];
      // Unset sorts after everything in ascending order, so first in descending (a plain reversal).
      let order = x === undefined ? (y === undefined ? 0 : 1) : y === undefined ? -1 : compare(x, y);
      if (orderBy[k].descending) order = -order;
      if (order !== 0) return order;
    }
    return a.index - b.index;
  });
  return rows.map((row) => row.record);
}
