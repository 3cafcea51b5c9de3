// Suites never assume what a target holds: they sample it. These read the
// target's collections in full, following next links whole and only while
// they advance (src/harness/paging.ts), so checks can pick real names,
// versions and records, or skip when there is nothing to test.
import { completeQuery, getOperation, type OperationId } from "../src/contract/index.ts";
import type { CallResult, CheckContext, UntypedBody } from "../src/harness/context.ts";
import { PageWalk, recordIdentity } from "../src/harness/paging.ts";
import { encodeQuery, type Exchange } from "../src/harness/transport.ts";

export interface Walked {
  records: any[];
  exchanges: Exchange[];
}

/**
 * Every page of a listing: the first with `query`, then each next link as
 * given. A next link that leaves the collection, repeats a page or does not
 * advance fails the check (a departure of the listing's paging, which
 * `<prefix>.list.pages` owns). `onPage` sees each answer as it comes;
 * `pages` stops the walk after that many pages.
 */
export async function walkPages(ctx: CheckContext, operationId: OperationId, query: Record<string, string>, opts: { onPage?(r: CallResult<UntypedBody>, index: number): void; pages?: number } = {}): Promise<Walked> {
  const op = getOperation(operationId);
  const walk = new PageWalk(op.apiPath, `${op.apiPath}${encodeQuery(query)}`, { host: new URL(ctx.target.url).host });
  const seen = new Set<string>();
  const records: any[] = [];
  const exchanges: Exchange[] = [];
  let r = await ctx.call(operationId, { query });
  for (let index = 0; ; index++) {
    exchanges.push(r.exchange);
    opts.onPage?.(r, index);
    const page: any[] = Array.isArray(r.body?.records) ? r.body.records : [];
    let fresh = 0;
    for (const record of page) {
      const id = recordIdentity(record, op.keys);
      if (!seen.has(id)) fresh++;
      seen.add(id);
    }
    records.push(...page);
    const href: string | undefined = r.body?._links?.next?.href;
    const step = walk.next(href, { records: page.length, fresh });
    if ("done" in step || index + 1 === opts.pages) break;
    if ("problem" in step) {
      ctx.fail(`${op.method} ${op.apiPath}: ${step.problem.message}`, {
        received: href, documented: `a link to the next records of ${op.apiPath} (spec/conventions.md §3)`, exchange: r.exchange, aspect: { operation: operationId, kind: "paging" },
      });
    }
    r = await ctx.call(operationId, { href: step.path });
  }
  return { records, exchanges };
}

/** The records of a listing (fields=* unless the query says otherwise). */
export async function listAll(ctx: CheckContext, operationId: OperationId, query: Record<string, string> = {}): Promise<any[]> {
  return (await walkPages(ctx, operationId, { fields: "*", ...query })).records;
}

/** Every license package, licensed or not (the listing's default filters lifted: `state=*` includes unlicensed ones). */
export function allPackages(ctx: CheckContext): Promise<any[]> {
  return listAll(ctx, "licenses_get", completeQuery("licenses_get"));
}

export async function licensedPackages(ctx: CheckContext): Promise<any[]> {
  return listAll(ctx, "licenses_get");
}

export async function softwarePackages(ctx: CheckContext): Promise<any[]> {
  return listAll(ctx, "software_packages_collection_get");
}

export function pick<T>(ctx: CheckContext, items: T[], what: string): T {
  if (!items.length) ctx.skip(`the target holds no ${what} to test with`);
  return items[0];
}

/** A name that no real record will have. */
export const MISSING = "ontap-conformance-missing-0000";
