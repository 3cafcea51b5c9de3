// Suites never assume what a target holds: they sample it. These read the
// target's collections in full (following next links) so checks can pick
// real names, versions and records, or skip when there is nothing to test.
import type { CheckContext } from "../src/harness/context.ts";

export async function listAll(ctx: CheckContext, operationId: string, query: Record<string, string> = {}): Promise<any[]> {
  const records: any[] = [];
  let q: Record<string, string> = { fields: "*", ...query };
  for (let page = 0; page < 1000; page++) {
    const r = await ctx.call(operationId, { query: q });
    records.push(...(r.body.records ?? []));
    const next: string | undefined = r.body._links?.next?.href;
    if (!next || !(r.body.records ?? []).length) break;
    q = Object.fromEntries(new URL(next, "http://x").searchParams);
  }
  return records;
}

/** Every license package, licensed or not (`state=*` includes unlicensed ones). */
export function allPackages(ctx: CheckContext): Promise<any[]> {
  return listAll(ctx, "licenses_get", { state: "*" });
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
