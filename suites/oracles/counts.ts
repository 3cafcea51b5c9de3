// The collection envelope (conventions §3): `num_records` counts the records
// of the same response; with `return_records=false` there are no records and
// `num_records` is the count that would have been returned.
import { isObject, type Violation } from "./types.ts";

export interface EnvelopeOptions {
  /** Whether the request asked for records (`return_records` true, the GET default). */
  returnRecords: boolean;
  /**
   * The count expected, e.g. the length of the same listing with records.
   * Required to judge the count of a `return_records=false` answer.
   */
  expectedCount?: number;
}

/**
 * Rules: `envelope` (not an object / no integer `num_records` / `records`
 * not an array), `num-records` (num_records ≠ records.length, or ≠ the
 * expected count), `return-records` (records present although
 * return_records=false; an empty array is only `ambiguous`).
 */
export function checkCollectionEnvelope(body: unknown, opts: EnvelopeOptions): Violation[] {
  if (!isObject(body)) return [{ rule: "envelope", message: `the collection body is ${body === null ? "null" : Array.isArray(body) ? "an array" : typeof body}, not an object with num_records`, received: body }];
  const out: Violation[] = [];
  const n = body.num_records;
  const hasCount = typeof n === "number" && Number.isInteger(n) && n >= 0;
  if (!hasCount) {
    out.push({ rule: "envelope", pointer: "/num_records", message: `num_records is ${n === undefined ? "absent" : JSON.stringify(n)}, expected a non-negative integer`, received: n, expected: "integer ≥ 0" });
  }
  if (opts.returnRecords) {
    const records = body.records;
    if (records === undefined) {
      // A count of 0 may come without a records array (real clients accept it).
      if (hasCount && n !== 0) out.push({ rule: "num-records", pointer: "/records", message: `num_records is ${n} but the body has no records array`, received: undefined, expected: `${n} records` });
    } else if (!Array.isArray(records)) {
      out.push({ rule: "envelope", pointer: "/records", message: `records is ${JSON.stringify(records)}, expected an array`, received: records, expected: "array" });
    } else if (hasCount && n !== records.length) {
      out.push({ rule: "num-records", pointer: "/num_records", message: `num_records is ${n} but ${records.length} records came back`, received: n, expected: records.length });
    }
    if (opts.expectedCount !== undefined && Array.isArray(records) && records.length !== opts.expectedCount) {
      out.push({ rule: "num-records", pointer: "/records", message: `${records.length} records came back where ${opts.expectedCount} were expected`, received: records.length, expected: opts.expectedCount });
    }
  } else {
    if (Array.isArray(body.records) && body.records.length === 0) {
      out.push({ rule: "ambiguous", pointer: "/records", message: "return_records=false and the body carries an empty records array; the contract expects no records member at all", received: [], expected: "no records" });
    } else if ("records" in body) {
      const len = Array.isArray(body.records) ? `${body.records.length} records` : JSON.stringify(body.records);
      out.push({ rule: "return-records", pointer: "/records", message: `return_records=false but the body carries records (${len})`, received: body.records, expected: "no records" });
    }
    if (hasCount && opts.expectedCount !== undefined && n !== opts.expectedCount) {
      out.push({ rule: "num-records", pointer: "/num_records", message: `with return_records=false num_records is ${n} but the listing holds ${opts.expectedCount} records`, received: n, expected: opts.expectedCount });
    }
  }
  return out;
}
