// The next-link rules every walk of the run follows (src/harness/paging.ts).
import { describe, expect, it } from "vitest";
import { hrefTarget, PageWalk, recordIdentity } from "../../src/harness/paging.ts";

const NODES = "/api/cluster/nodes";

describe("PageWalk", () => {
  it("follows a next link whole, path and query, as given", () => {
    const w = new PageWalk(NODES, `${NODES}?max_records=2`);
    expect(w.next(`${NODES}?start.uuid=b&max_records=2`, { records: 2, fresh: 2 })).toEqual({ path: `${NODES}?start.uuid=b&max_records=2` });
    expect(w.next(undefined, { records: 1, fresh: 1 })).toEqual({ done: true });
  });

  it("keeps going past an empty page with a next link (ref §5.3: one may appear when no records remain)", () => {
    const w = new PageWalk(NODES, NODES);
    expect(w.next(`${NODES}?start.uuid=z`, { records: 0, fresh: 0 })).toEqual({ path: `${NODES}?start.uuid=z` });
  });

  it("stops at a link that leaves the collection, by path or by host", () => {
    const w = new PageWalk(NODES, NODES, { host: "cluster.example.com" });
    const away = w.next("/api/resourcelink", { records: 1, fresh: 1 });
    expect(away).toEqual({ problem: { kind: "leaves", message: 'the next link "/api/resourcelink" leaves the collection /api/cluster/nodes: a next link must lead to the next records of the same collection' } });
    expect("problem" in w.next(`https://elsewhere.example.com${NODES}?x=1`, { records: 1, fresh: 1 })).toBe(true);
    expect(w.next(`https://cluster.example.com${NODES}?x=1`, { records: 1, fresh: 1 })).toEqual({ path: `${NODES}?x=1` });
  });

  it("stops at a link that repeats a page, and at a page of records already seen", () => {
    const w = new PageWalk(NODES, `${NODES}?max_records=1`);
    expect(w.next(`${NODES}?max_records=1`, { records: 1, fresh: 1 })).toMatchObject({ problem: { kind: "repeats" } });
    const v = new PageWalk(NODES, NODES);
    expect(v.next(`${NODES}?page=2`, { records: 1, fresh: 1 })).toEqual({ path: `${NODES}?page=2` });
    expect(v.next(`${NODES}?page=3`, { records: 1, fresh: 0 })).toMatchObject({ problem: { kind: "stalls" } });
  });

  it("stops after its page bound", () => {
    const w = new PageWalk(NODES, NODES, { maxPages: 3 });
    expect("path" in w.next(`${NODES}?p=1`, { records: 1, fresh: 1 })).toBe(true);
    expect("path" in w.next(`${NODES}?p=2`, { records: 1, fresh: 1 })).toBe(true);
    expect(w.next(`${NODES}?p=3`, { records: 1, fresh: 1 })).toMatchObject({ problem: { kind: "too-many-pages" } });
  });
});

describe("hrefTarget and recordIdentity", () => {
  it("reads /api//cluster/... as one slash (what clients have produced, ref §8)", () => {
    expect(hrefTarget("/api//cluster/nodes?x=1#frag")).toEqual({ path: NODES, query: "?x=1", host: undefined });
  });

  it("identifies a record by its keys when it has them, else by all of it", () => {
    expect(recordIdentity({ uuid: "u", name: "n", extra: 1 }, ["uuid", "name"])).toBe(recordIdentity({ uuid: "u", name: "n", extra: 2 }, ["uuid", "name"]));
    expect(recordIdentity({ name: "n" }, ["uuid"])).toBe(JSON.stringify({ name: "n" }));
  });
});
