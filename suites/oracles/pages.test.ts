import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkPages, type Page } from "./pages.ts";
import { checkCollectionEnvelope } from "./counts.ts";

const r = (version: string) => ({ version });
const UNPAGED = ["9.7.0", "9.8.0", "9.9.1", "9.10.1", "9.11.1"].map(r);

function paginate(records: Array<{ version: string }>, n: number, trailingNext = false): Page[] {
  const pages: Page[] = [];
  for (let i = 0; i < records.length; i += n) {
    const slice = records.slice(i, i + n);
    pages.push({ records: slice, num_records: slice.length, next: i + n < records.length ? `/api/x?start=${i + n}` : undefined });
  }
  if (pages.length === 0) pages.push({ records: [], num_records: 0 });
  if (trailingNext) {
    pages[pages.length - 1].next = "/api/x?start=end";
    pages.push({ records: [], num_records: 0 });
  }
  return pages;
}

describe("checkPages", () => {
  const base = { unpaged: UNPAGED, key: "version", maxRecords: 2 };

  it("accepts a correct traversal, including a final empty page behind a next link", () => {
    expect(checkPages({ ...base, pages: paginate(UNPAGED, 2) })).toEqual([]);
    expect(checkPages({ ...base, pages: paginate(UNPAGED, 2, true) })).toEqual([]);
    expect(checkPages({ ...base, pages: paginate(UNPAGED, 1) })).toEqual([]); // short pages are allowed
  });

  it("reports oversize pages and wrong num_records", () => {
    const pages = paginate(UNPAGED, 3);
    pages[1].num_records = 5;
    const v = checkPages({ ...base, pages });
    expect(v.map((x) => x.rule)).toEqual(["pages-max-records", "pages-num-records"]);
    expect(v[0].message).toBe("page 1 holds 3 records although max_records=2");
    expect(v[1].message).toBe("page 2 says num_records=5 but holds 2 records");
  });

  it("reports duplicates across pages and extra records", () => {
    const pages = paginate(UNPAGED, 2);
    pages[1] = { records: [r("9.8.0"), r("9.10.1")], num_records: 2, next: pages[1].next };
    pages[2] = { records: [r("9.11.1"), r("9.99.0")], num_records: 2 };
    const rules = checkPages({ ...base, pages }).map((x) => x.rule);
    expect(rules).toContain("pages-duplicate");
    expect(rules).toContain("pages-extra");
    expect(rules).toContain("pages-missing"); // 9.9.1 was skipped
  });

  it("reports a missing next link while records remain", () => {
    const pages = paginate(UNPAGED, 2).slice(0, 2);
    delete pages[1].next;
    const v = checkPages({ ...base, pages });
    expect(v.map((x) => x.rule)).toEqual(["pages-next-missing"]);
    expect(v[0].message).toBe("page 2 has no next link although 1 record(s) of the unpaged listing remain (9.11.1)");
  });

  it("does not judge what remains when the caller stopped on a page with next", () => {
    expect(checkPages({ ...base, pages: paginate(UNPAGED, 2).slice(0, 1) })).toEqual([]);
  });

  it("reports order changes unless told the listing is unordered", () => {
    const shuffled = [UNPAGED[1], UNPAGED[0], ...UNPAGED.slice(2)];
    const pages = paginate(shuffled, 2);
    expect(checkPages({ ...base, pages }).map((x) => x.rule)).toEqual(["pages-order"]);
    expect(checkPages({ ...base, pages, ordered: false })).toEqual([]);
  });

  it("property: any chunking of the unpaged listing is conformant; dropping a record is not", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[0-9]\.[0-9]{1,2}\.[0-9]$/), { maxLength: 20 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.nat(), (versions, n, trailing, pick) => {
        const unpaged = versions.map(r);
        expect(checkPages({ unpaged, key: "version", maxRecords: n, pages: paginate(unpaged, n, trailing) })).toEqual([]);
        fc.pre(unpaged.length > 0);
        const dropped = unpaged.filter((_, i) => i !== pick % unpaged.length);
        const v = checkPages({ unpaged, key: "version", maxRecords: n, pages: paginate(dropped, n, trailing) });
        expect(v.some((x) => x.rule === "pages-missing" || x.rule === "pages-next-missing")).toBe(true);
      }),
    );
  });
});

describe("checkCollectionEnvelope", () => {
  it("accepts num_records equal to records.length", () => {
    expect(checkCollectionEnvelope({ records: [{}, {}], num_records: 2 }, { returnRecords: true })).toEqual([]);
    expect(checkCollectionEnvelope({ num_records: 0 }, { returnRecords: true })).toEqual([]);
  });
  it("reports a wrong count", () => {
    const v = checkCollectionEnvelope({ records: [{}, {}], num_records: 3 }, { returnRecords: true });
    expect(v).toEqual([{ rule: "num-records", pointer: "/num_records", message: "num_records is 3 but 2 records came back", received: 3, expected: 2 }]);
    expect(checkCollectionEnvelope({ num_records: 2 }, { returnRecords: true })[0].rule).toBe("num-records");
    expect(checkCollectionEnvelope({ records: [] }, { returnRecords: true })[0].rule).toBe("envelope");
    expect(checkCollectionEnvelope([], { returnRecords: true })[0].rule).toBe("envelope");
    expect(checkCollectionEnvelope({ records: [{}], num_records: 1 }, { returnRecords: true, expectedCount: 2 })[0].rule).toBe("num-records");
  });
  it("return_records=false: a count and no records", () => {
    expect(checkCollectionEnvelope({ num_records: 5 }, { returnRecords: false, expectedCount: 5 })).toEqual([]);
    expect(checkCollectionEnvelope({ num_records: 4 }, { returnRecords: false, expectedCount: 5 })[0].message).toBe("with return_records=false num_records is 4 but the listing holds 5 records");
    expect(checkCollectionEnvelope({ num_records: 1, records: [{}] }, { returnRecords: false })[0].rule).toBe("return-records");
    expect(checkCollectionEnvelope({ num_records: 0, records: [] }, { returnRecords: false })[0].rule).toBe("ambiguous");
    expect(checkCollectionEnvelope({ records: [] }, { returnRecords: false })[0].rule).toBe("envelope");
  });
  it("property: a body built from any records is conformant", () => {
    fc.assert(
      fc.property(fc.array(fc.object(), { maxLength: 10 }), (records) => {
        expect(checkCollectionEnvelope({ records, num_records: records.length }, { returnRecords: true, expectedCount: records.length })).toEqual([]);
        expect(checkCollectionEnvelope({ num_records: records.length }, { returnRecords: false, expectedCount: records.length })).toEqual([]);
      }),
    );
  });
});
