// Suites never assume what a target holds: they sample it. These read the
// target's collections in full, following next links whole and only while
// they advance (src/harness/paging.ts), so checks can pick real names,
// versions and records, or skip when there is nothing to test.
import { completeQuery, getOperation, type AnyOperation, type OperationId, type RecordOf, type Schemas } from "../src/contract/index.ts";
import type { CallResult, CheckContext, UntypedBody } from "../src/harness/context.ts";
import { PageWalk, recordIdentity } from "../src/harness/paging.ts";
import { encodeQuery, type Exchange } from "../src/harness/transport.ts";

export interface Walked {
  records: unknown[];
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
  const records: unknown[] = [];
  const exchanges: Exchange[] = [];
  let r = await ctx.call(operationId, { query });
  for (let index = 0; ; index++) {
    exchanges.push(r.exchange);
    opts.onPage?.(r, index);
    const page: unknown[] = Array.isArray(r.body?.records) ? r.body.records : [];
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

/** A record of a listing of `Id` (unknown where the operation is known only at run time). */
export type ListedRecord<Id extends OperationId> = AnyOperation<Id> extends true ? UntypedRecord : RecordOf<Id>;

/** A record of a collection known only at run time: its self link (where it has one), the rest unknown. */
export interface UntypedRecord {
  readonly _links?: Schemas["self_link"];
  readonly [field: string]: unknown;
}

/**
 * A record whose key fields are there: a listing returns each record's keys
 * whatever `fields` asks (x-ontap-keys; spec/conventions.md §2, which the
 * `*.list.default-fields` checks hold the target to).
 */
export type Keyed<T, K extends keyof T> = T & { readonly [P in K]-?: NonNullable<T[P]> };

/** The records of a listing (fields=* unless the query says otherwise).*/
export async function listAll<Id extends OperationId>(ctx: CheckContext, operationId: Id, query: Record<string, string> = {}): Promise<Array<ListedRecord<Id>>> {
  // Each page was validated against the operation's schema by call().
  return (await walkPages(ctx, operationId, { fields: "*", ...query })).records as Array<ListedRecord<Id>>;
}

/** Every license package, licensed or not (the listing's default filters lifted: `state=*` includes unlicensed ones). */
export function allPackages(ctx: CheckContext): Promise<Array<Keyed<Schemas["license_package"], "name">>> {
  return keyed(ctx, "licenses_get", completeQuery("licenses_get"));
}

export async function licensedPackages(ctx: CheckContext): Promise<Array<Keyed<Schemas["license_package"], "name">>> {
  return keyed(ctx, "licenses_get");
}

export async function softwarePackages(ctx: CheckContext, query?: Record<string, string>): Promise<Array<Keyed<Schemas["software_package"], "version">>> {
  return keyed(ctx, "software_packages_collection_get", query);
}

/** The packages `state=unlicensed` lists. */
export async function unlicensedPackages(ctx: CheckContext): Promise<Array<Keyed<Schemas["license_package"], "name">>> {
  return keyed(ctx, "licenses_get", { state: "unlicensed" });
}

/** The cluster's nodes, with the fields asked for besides their keys. */
export async function clusterNodes(ctx: CheckContext, fields: string): Promise<Array<Keyed<Schemas["cluster_node"], "uuid" | "name">>> {
  return keyed(ctx, "cluster_nodes_get", { fields });
}

/** The records of a listing whose keys are there (`Keyed`). */
async function keyed<Id extends OperationId, K extends keyof ListedRecord<Id>>(ctx: CheckContext, operationId: Id, query?: Record<string, string>): Promise<Array<Keyed<ListedRecord<Id>, K>>> {
  return (await listAll(ctx, operationId, query)) as Array<Keyed<ListedRecord<Id>, K>>;
}

export function pick<T>(ctx: CheckContext, items: T[], what: string): T {
  if (!items.length) ctx.skip(`the target holds no ${what} to test with`);
  return items[0];
}

/** A name that no real record will have. */
export const MISSING = "ontap-conformance-missing-0000";
