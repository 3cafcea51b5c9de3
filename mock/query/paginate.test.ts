import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OntapError } from "../errors.ts";
import { PAGE_TOKEN_PARAM, buildNextQuery, paginate, readStartToken, type PageRequest } from "./paginate.ts";

/** Follow next links the way a client does: through the query string, as given. */
function followAll<T>(records: readonly T[], query: URLSearchParams, rest: Omit<PageRequest, "token"> = {}): { seen: T[]; pages: number } {
  const seen: T[] = [];
  let current = query;
  for (let pages = 1; ; pages++) {
    const { page, nextToken } = paginate(records, { ...rest, maxRecords: Number(current.get("max_records")), token: readStartToken(current) });
    // Asking again for the same link gives the same page.
    expect(paginate(records, { ...rest, maxRecords: Number(current.get("max_records")), token: readStartToken(current) }).page).toEqual(page);
    seen.push(...page);
    if (nextToken === undefined) return { seen, pages };
    current = new URLSearchParams(buildNextQuery(current, nextToken).toString());
    if (pages > records.length + 2) throw new Error("next links do not end");
  }
}

function rejection(fn: () => unknown): OntapError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OntapError) return e;
    throw e;
  }
  throw new Error("expected an OntapError");
}

describe("paginate", () => {
  it("returns everything without max_records", () => {
    expect(paginate([1, 2, 3])).toEqual({ page: [1, 2, 3], nextToken: undefined });
  });

  it("yields every record exactly once, in order, for max_records 1..n+1", () => {
    const records = Array.from({ length: 7 }, (_, i) => ({ name: `r${i}` }));
    for (let max = 1; max <= records.length + 1; max++) {
      const { seen, pages } = followAll(records, new URLSearchParams({ name: "r*", max_records: String(max) }));
      expect(seen).toEqual(records);
      expect(pages).toBe(Math.max(1, Math.ceil(records.length / max)));
    }
  });

  it("yields every record exactly once for any collection and page size (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.string({ maxLength: 3 })), { maxLength: 40 }), fc.integer({ min: 1, max: 45 }), fc.nat(45), (records, max, offset) => {
        expect(followAll(records, new URLSearchParams({ max_records: String(max) })).seen).toEqual(records);
        expect(followAll(records, new URLSearchParams({ max_records: String(max) }), { offset }).seen).toEqual(records.slice(offset));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps the original query and replaces an earlier token", () => {
    const first = paginate([1, 2, 3, 4, 5], { maxRecords: 2 });
    const q1 = buildNextQuery(new URLSearchParams("state=compliant&order_by=name%20desc&max_records=2"), first.nextToken!);
    expect(q1.get("state")).toBe("compliant");
    expect(q1.get("order_by")).toBe("name desc");
    const second = paginate([1, 2, 3, 4, 5], { maxRecords: 2, token: readStartToken(q1) });
    const q2 = buildNextQuery(q1, second.nextToken!);
    expect(q2.getAll(PAGE_TOKEN_PARAM)).toHaveLength(1);
    expect(second.page).toEqual([3, 4]);
  });

  it("applies offset to the first page only", () => {
    const first = paginate([1, 2, 3, 4, 5], { maxRecords: 2, offset: 1 });
    expect(first.page).toEqual([2, 3]);
    expect(paginate([1, 2, 3, 4, 5], { maxRecords: 2, offset: 1, token: first.nextToken }).page).toEqual([4, 5]);
    expect(paginate([1, 2], { offset: 5 }).page).toEqual([]);
  });

  it("re-anchors after the last record served when records change before it", () => {
    const names = ["a", "b", "c", "d", "e", "f"];
    const first = paginate(names, { maxRecords: 3 }); // a b c
    expect(paginate(["a", "c", "d", "e", "f"], { maxRecords: 3, token: first.nextToken }).page).toEqual(["d", "e", "f"]);
    expect(paginate(["0", "a", "b", "c", "d", "e", "f"], { maxRecords: 3, token: first.nextToken }).page).toEqual(["d", "e", "f"]);
    // The last record served vanished: fall back to the position.
    expect(paginate(["a", "b", "d", "e", "f"], { maxRecords: 3, token: first.nextToken }).page).toEqual(["e", "f"]);
  });

  it("uses a caller's identity so an updated record still anchors", () => {
    const identify = (r: unknown) => (r as { id: string }).id;
    const jobs = [{ id: "j1", state: "running" }, { id: "j2", state: "running" }, { id: "j3", state: "queued" }];
    const first = paginate(jobs, { maxRecords: 2, identify });
    const later = [{ id: "j0", state: "queued" }, { id: "j1", state: "success" }, { id: "j2", state: "success" }, { id: "j3", state: "running" }];
    expect(paginate(later, { maxRecords: 2, identify, token: first.nextToken }).page).toEqual([{ id: "j3", state: "running" }]);
  });

  it("treats max_records=0 as an empty page with no next link", () => {
    expect(paginate([1, 2], { maxRecords: 0 })).toEqual({ page: [], nextToken: undefined });
  });

  it("gives no next link on the last page", () => {
    expect(paginate([1, 2, 3, 4], { maxRecords: 2, token: paginate([1, 2, 3, 4], { maxRecords: 2 }).nextToken }).nextToken).toBeUndefined();
  });

  it.each([-1, 1.5, Number.NaN, Infinity])("rejects max_records=%s with 400/262185", (maxRecords) => {
    expect(rejection(() => paginate([1], { maxRecords }))).toMatchObject({ httpStatus: 400, code: 262185, target: "max_records" });
  });

  it.each(["", "abc", "5", "-1-00000000", "3-XYZ", "1".repeat(20) + "-00000000"])("rejects token %j with 400/262185", (token) => {
    expect(rejection(() => paginate([1, 2], { maxRecords: 1, token }))).toMatchObject({ httpStatus: 400, code: 262185, target: PAGE_TOKEN_PARAM });
  });

  it("reads no token from a first request", () => {
    expect(readStartToken(new URLSearchParams("max_records=2"))).toBeUndefined();
  });

  it("pages 10,000 records quickly", () => {
    const records = Array.from({ length: 10_000 }, (_, i) => ({ name: `pkg${i}`, state: "compliant" }));
    const started = performance.now();
    let token: string | undefined;
    let count = 0;
    do {
      const page = paginate(records, { maxRecords: 100, token });
      count += page.page.length;
      token = page.nextToken;
    } while (token !== undefined);
    expect(count).toBe(10_000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
