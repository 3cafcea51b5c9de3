// Field types the query engine compares by (spec/conventions.md §1.2). The
// HTTP layer derives them from the OpenAPI spec; the engine never guesses a
// type from a record's data, so `007` on an integer field equals 7 even
// though the record holds the number 7 and the query holds a string.

import type { ScalarFieldType } from "../../src/contract/fields.ts";

/** The contract's scalar field types (src/contract/fields.ts), defined once. */
export type FieldType = ScalarFieldType;

/** Dotted field path (`licenses.compliance.state`) → its type. A path not listed compares as a string. */
export type FieldTypes = Record<string, FieldType>;

/** The type of `field`, own entries only (a field named `constructor` is not Object's). */
export function typeOf(types: FieldTypes, field: string): FieldType | undefined {
  return Object.hasOwn(types, field) ? types[field] : undefined;
}
