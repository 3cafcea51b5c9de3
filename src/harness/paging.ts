// Following ONTAP's paging as a client must: a collection answer that holds
// `_links.next.href` has more records behind that link (spec/conventions.md
// §3; ref §5.3: "treat the href as opaque"). So the link is requested whole,
// path and query, exactly as given. What it may not do is lead somewhere
// else: a next link that leaves the collection, repeats a page already
// requested, or answers only records already seen does not advance, and
// following it again would loop (a foreign mock that answers every listing
// with `next: /api/resourcelink` made an earlier walker request the same first
// page up to 10,000 times). Every walk therefore stops at the first such link
// with one sentence that says why, and at a bound on the number of pages.

/** Why a walk stopped before the collection ended. */
export interface PagingProblem {
  kind: "leaves" | "repeats" | "stalls" | "too-many-pages";
  message: string;
}

/** The longest walk any check makes: more pages than this is a loop, not a collection. */
export const MAX_PAGES = 10_000;

/**
 * The path and query of a next link, as the request that follows it sends
 * them. ONTAP writes hrefs as absolute paths (`/api/...?...`); an absolute URL
 * keeps its path and query (its host is judged by `leavesCollection`).
 * Clients have seen `/api//cluster/...` (ref §8): repeated slashes are one.
 */
export function hrefTarget(href: string): { path: string; query: string; host?: string } {
  let rest = href;
  let host: string | undefined;
  const abs = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(.*)$/i.exec(href);
  if (abs) {
    host = abs[1].toLowerCase();
    rest = abs[2] || "/";
  }
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf("?");
  const path = (q >= 0 ? rest.slice(0, q) : rest).replace(/\/{2,}/g, "/");
  return { path: path.startsWith("/") ? path : `/${path}`, query: q >= 0 ? rest.slice(q) : "", host };
}

/**
 * The walker of one listing: feed it each page's next href and how many of the
 * page's records were new; it answers the path (with query) to request next,
 * `done`, or the problem that ends the walk.
 */
export class PageWalk {
  private readonly requested = new Set<string>();
  private pages = 0;

  /**
   * @param collectionPath the collection's path as sent, `/api/cluster/nodes`
   * @param firstRequest the path and query of the first page, as sent
   */
  constructor(
    private readonly collectionPath: string,
    firstRequest: string,
    private readonly opts: { host?: string; maxPages?: number } = {},
  ) {
    this.requested.add(normalise(firstRequest));
  }

  /** What to request after a page with `records` records, `fresh` of them not seen before. */
  next(href: string | undefined, page: { records: number; fresh: number }): { path: string } | { done: true } | { problem: PagingProblem } {
    this.pages++;
    if (!href) return { done: true };
    const at = hrefTarget(href);
    const where = `the next link "${href}"`;
    if ((at.host && this.opts.host && at.host !== this.opts.host.toLowerCase()) || at.path.replace(/\/+$/, "") !== this.collectionPath.replace(/\/+$/, "")) {
      return { problem: { kind: "leaves", message: `${where} leaves the collection ${this.collectionPath}: a next link must lead to the next records of the same collection` } };
    }
    // A page of records that were all seen before: the link went back, not on (an empty page with a next link is legal, ref §5.3).
    if (page.records > 0 && page.fresh === 0) {
      return { problem: { kind: "stalls", message: `the page before ${where} holds only records already seen: the next link does not advance` } };
    }
    const path = `${at.path}${at.query}`;
    if (this.requested.has(normalise(path))) {
      return { problem: { kind: "repeats", message: `${where} repeats a page already requested: the next link does not advance` } };
    }
    if (this.pages >= (this.opts.maxPages ?? MAX_PAGES)) {
      return { problem: { kind: "too-many-pages", message: `${this.collectionPath} still had a next link after ${this.pages} pages: the walk stopped there` } };
    }
    this.requested.add(normalise(path));
    return { path };
  }
}

function normalise(pathAndQuery: string): string {
  const at = hrefTarget(pathAndQuery);
  return `${at.path.replace(/\/+$/, "")}${at.query}`;
}

/**
 * Identity of a record for "seen before": its identifying keys where the
 * record carries them, else the whole record (two identical records are one).
 */
export function recordIdentity(record: unknown, keys: string[]): string {
  if (record && typeof record === "object" && keys.length) {
    const values = keys.map((k) => k.split(".").reduce<any>((v, p) => v?.[p], record));
    if (values.every((v) => v !== undefined)) return JSON.stringify(values);
  }
  return JSON.stringify(record);
}
