// Paging as another legal server might do it, for the variants of the
// `paging`, `order` and `shape` categories. The reference handler answers the
// whole (filtered, sorted, projected) listing; this layer cuts the pages
// itself: page sizes below max_records, another token format, a next link
// past the last page, partial counts, another natural order.
import { getOperation } from "../../src/contract/index.ts";
import { PAGE_TOKEN_PARAM } from "../server/collection.ts";
import type { Handler, Reply } from "../server/types.ts";
import type { MockPatch } from "../mutants/types.ts";

export interface PagePolicy {
  /**
   * How many records this page holds, given max_records (undefined when the
   * request asked none) and the offset of the page; undefined = all that
   * max_records allows.
   */
  size?(maxRecords: number | undefined, offset: number): number | undefined;
  /** The page that ends the listing still links to an (empty) next page. */
  nextOnLast?: boolean;
  /** Next links name the first record of the next page (`start.<key>=…`) instead of an offset. */
  keyToken?: boolean;
  /** return_records=false: at most this many records are counted per answer, the rest behind a next link. */
  countCap?: number;
  /** The natural order (no order_by given): a stable rearrangement of the reference's. */
  order?(records: Record<string, unknown>[], keys: string[]): Record<string, unknown>[];
}

/** Tokens of this layer travel in the reference's token parameter, marked so. */
const MARK = "variant~";

function keyValues(record: Record<string, unknown>, keys: string[]): unknown[] {
  return keys.map((k) => k.split(".").reduce<any>((v, p) => v?.[p], record));
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function unb64(text: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/** A stable 32-bit hash (FNV-1a) of a text. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function repage(policy: PagePolicy): Pick<MockPatch, "wrap" | "rewriteRequest"> {
  return {
    // `start.<key>=…` from a key token's next link: back into the token parameter the mock accepts.
    rewriteRequest: policy.keyToken
      ? (url) => {
          for (const [k, v] of [...url.searchParams]) {
            if (k.startsWith("start.") && k !== PAGE_TOKEN_PARAM) {
              url.searchParams.delete(k);
              url.searchParams.set(PAGE_TOKEN_PARAM, `${MARK}k${v}`);
            }
          }
        }
      : undefined,
    wrap: (operationId, handler): Handler | undefined => {
      const op = getOperation(operationId);
      if (op.method !== "GET" || !op.collection) return undefined;
      return async (ctx) => {
        const token = ctx.query.get(PAGE_TOKEN_PARAM);
        if (token !== null && !token.startsWith(MARK)) return handler(ctx);
        const maxText = ctx.query.get("max_records");
        const max = maxText === null ? undefined : Number(maxText);
        const countOnly = /^false$/i.test(ctx.query.get("return_records") ?? "");
        // The whole listing from the reference: without max_records and token.
        const url = new URL(ctx.url.toString());
        url.searchParams.delete("max_records");
        url.searchParams.delete(PAGE_TOKEN_PARAM);
        const full: Reply = await handler({ ...ctx, url, query: url.searchParams });
        if (full.status !== 200 || !full.body || typeof full.body !== "object") return full;
        const body = full.body as { records?: Record<string, unknown>[]; num_records?: number };
        const selfHref = `${ctx.path}${ctx.url.search}`;
        const link = (offset: number, first?: Record<string, unknown>): string => {
          const q = new URLSearchParams();
          // Another order of the parameters than the request's, and the token first: the href is opaque.
          if (policy.keyToken && first) q.set(`start.${op.keys[0]}`, b64({ key: keyValues(first, op.keys), offset }));
          else q.set(PAGE_TOKEN_PARAM, `${MARK}o${offset}`);
          for (const [k, v] of [...ctx.query].reverse()) if (k !== PAGE_TOKEN_PARAM && !q.has(k)) q.append(k, v);
          return `${ctx.path}?${q.toString()}`;
        };
        const records = body.records ?? [];
        const ordered = policy.order && !ctx.query.get("order_by") && !ctx.query.get("$orderBy") ? policy.order(records, op.keys) : records;
        let offset = 0;
        if (token !== null) {
          const rest = token.slice(MARK.length);
          if (rest.startsWith("o")) offset = Number(rest.slice(1)) || 0;
          else {
            const t = unb64(rest.slice(1)) as { key?: unknown[]; offset?: number } | undefined;
            const at = t?.key ? ordered.findIndex((r) => JSON.stringify(keyValues(r, op.keys)) === JSON.stringify(t.key)) : -1;
            offset = at >= 0 ? at : Number(t?.offset ?? 0);
          }
        }
        const total = countOnly ? Number(body.num_records ?? 0) : ordered.length;
        offset = Math.min(Math.max(0, offset), total);
        const answer = (extra: Record<string, unknown>, next: string | undefined): Reply => {
          const links: Record<string, { href: string }> = { self: { href: selfHref } };
          const headers: Record<string, string> = { ...(full.headers ?? {}) };
          delete headers.link;
          if (next) {
            links.next = { href: next };
            headers.link = `<${next}>; rel="next"`;
          }
          return { ...full, headers, body: { ...extra, _links: links } };
        };
        if (countOnly) {
          if (policy.countCap === undefined) return answer({ num_records: total }, undefined);
          const n = Math.min(policy.countCap, total - offset);
          const end = offset + n;
          return answer({ num_records: n }, end < total ? link(end) : undefined);
        }
        // max_records=0 asks for nothing: no records and no next link, as the reference does.
        if (max === 0) return answer({ records: [], num_records: 0 }, undefined);
        const size = Math.max(1, policy.size?.(max, offset) ?? max ?? Number.MAX_SAFE_INTEGER);
        const page = ordered.slice(offset, offset + Math.min(size, max ?? Number.MAX_SAFE_INTEGER));
        const end = offset + page.length;
        const more = end < total;
        const next = more ? link(end, ordered[end]) : policy.nextOnLast && page.length ? link(end) : undefined;
        return answer({ records: page, num_records: page.length }, next);
      };
    },
  };
}
