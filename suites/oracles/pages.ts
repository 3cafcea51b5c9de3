// The pagination oracle (conventions §3): following `next` links with
// `max_records=N` yields every record of the unpaged result exactly once, in
// the same order, at most N per page, each page counting its own records.
import { describeRecord, ptr, recordKey, type KeySpec, type Violation } from "./types.ts";

export interface Page {
  records: readonly unknown[];
  num_records?: unknown;
  /** `_links.next.href` of the page, when it had one. */
  next?: string;
}

export interface CheckPagesInput {
  /** Every page obtained by following `next` from the first, in order. */
  pages: readonly Page[];
  /** The records of the same request without `max_records`. */
  unpaged: readonly unknown[];
  key: KeySpec;
  maxRecords: number;
  /**
   * Whether the concatenated pages must keep the unpaged order. Default true:
   * conventions §3 says "in the same order"; pass false when the unpaged
   * listing has no stable order to compare with.
   */
  ordered?: boolean;
}

/**
 * Rules: `pages-max-records`, `pages-num-records`, `pages-empty` (a page
 * without records that links to a next one while records of the unpaged
 * listing remain: a page may hold fewer than max_records when return_timeout
 * ends it first, ref §5.3, but not none),
 * `pages-duplicate` (a record on two pages, or twice on one), `pages-missing`, `pages-extra`,
 * `pages-order`, `pages-unidentified`, `pages-next-missing` (the last page
 * has no `next` although records after the last one returned remain; those
 * are not also reported as `pages-missing`). When the last page given still
 * has `next`, the caller stopped early and the remaining records are not judged.
 */
export function checkPages(input: CheckPagesInput): Violation[] {
  const { pages, unpaged, key, maxRecords } = input;
  const ordered = input.ordered ?? true;
  const out: Violation[] = [];
  const seen = new Map<string, number>(); // key → page index
  const sequence: string[] = [];
  const total = new Set(unpaged.map((r) => recordKey(r, key)).filter((k) => k !== undefined)).size;
  pages.forEach((page, p) => {
    if (page.records.length > maxRecords) {
      out.push({ rule: "pages-max-records", pointer: `/pages/${p}/records`, message: `page ${p + 1} holds ${page.records.length} records although max_records=${maxRecords}`, received: page.records.length, expected: `at most ${maxRecords}` });
    }
    if (page.records.length === 0 && page.next !== undefined && sequence.length < total) {
      out.push({ rule: "pages-empty", pointer: `/pages/${p}/records`, message: `page ${p + 1} holds no records but links to a next page, with ${total - sequence.length} record(s) of the unpaged listing still to come`, received: 0, expected: `1 to ${maxRecords} records` });
    }
    if (page.num_records !== page.records.length) {
      out.push({ rule: "pages-num-records", pointer: `/pages/${p}/num_records`, message: page.num_records === undefined ? `page ${p + 1} has no num_records although it holds ${page.records.length} records` : `page ${p + 1} says num_records=${JSON.stringify(page.num_records)} but holds ${page.records.length} records`, received: page.num_records, expected: page.records.length });
    }
    page.records.forEach((record, i) => {
      const k = recordKey(record, key);
      if (k === undefined) {
        out.push({ rule: "pages-unidentified", pointer: `/pages/${p}${ptr("records", i)}`, message: `page ${p + 1} ${describeRecord(record, key, i)} carries no identifying key`, received: record });
        return;
      }
      const earlier = seen.get(k);
      if (earlier !== undefined) {
        out.push({ rule: "pages-duplicate", pointer: `/pages/${p}${ptr("records", i)}`, message: `${describeRecord(record, key)} appears on page ${earlier + 1} and again on page ${p + 1}`, received: k });
        return;
      }
      seen.set(k, p);
      sequence.push(k);
    });
  });

  const unpagedKeys: string[] = [];
  const unpagedSet = new Set<string>();
  for (const r of unpaged) {
    const k = recordKey(r, key);
    if (k !== undefined && !unpagedSet.has(k)) {
      unpagedSet.add(k);
      unpagedKeys.push(k);
    }
  }
  for (const k of sequence) {
    if (!unpagedSet.has(k)) {
      out.push({ rule: "pages-extra", message: `record ${k} came back on page ${seen.get(k)! + 1} but is not in the unpaged listing`, received: k });
    }
  }
  const missing = unpagedKeys.filter((k) => !seen.has(k));
  const position = new Map(unpagedKeys.map((k, i) => [k, i]));
  const lastSeen = Math.max(-1, ...sequence.map((k) => position.get(k) ?? -1));
  // Records missing before the last one returned were skipped; those after it remain.
  for (const k of missing.filter((k) => position.get(k)! < lastSeen)) {
    out.push({ rule: "pages-missing", message: `record ${k} of the unpaged listing was on none of the ${pages.length} page(s), although records after it were`, expected: k });
  }
  const remaining = missing.filter((k) => position.get(k)! > lastSeen);
  const last = pages[pages.length - 1];
  if (remaining.length > 0 && (!last || last.next === undefined)) {
    // When the last page still has `next`, the traversal was cut short by the caller: nothing to say.
    out.push({
      rule: last ? "pages-next-missing" : "pages-missing",
      pointer: last ? `/pages/${pages.length - 1}/_links` : undefined,
      message: last
        ? `page ${pages.length} has no next link although ${remaining.length} record(s) of the unpaged listing remain (${remaining.slice(0, 5).join(", ")}${remaining.length > 5 ? ", ..." : ""})`
        : `no pages were given although the unpaged listing has ${remaining.length} record(s)`,
      received: last ? "no _links.next" : [],
      expected: remaining,
    });
  }
  if (ordered) {
    const common = new Set(sequence.filter((k) => unpagedSet.has(k)));
    const a = sequence.filter((k) => common.has(k));
    const b = unpagedKeys.filter((k) => common.has(k));
    const at = a.findIndex((k, i) => k !== b[i]);
    if (at >= 0) {
      out.push({ rule: "pages-order", message: `following next links gives record ${a[at]} at position ${at + 1} where the unpaged listing has ${b[at]}`, received: a.slice(Math.max(0, at - 2), at + 3), expected: b.slice(Math.max(0, at - 2), at + 3) });
    }
  }
  return out;
}
