// /api/cluster/licensing/licenses and /{name}.
import { OntapError } from "../errors.ts";
import { compileFilters, matchesCompiled, parseExpression } from "../query/index.ts";
import { compareVersions, filterTypes, LICENSE_CREATE_CODES, type Schemas, type SuccessBody, type Writable } from "../../src/contract/index.ts";
import { filtersOf, itemReply, keysOf, listReply, type RecordSource } from "../server/collection.ts";
import { errorsReply } from "../server/respond.ts";
import { projectToVersion } from "../server/version.ts";
import type { Handler, Reply, RequestContext } from "../server/types.ts";
import type { MockState } from "../scenarios/index.ts";
import type { InstalledLicense } from "../licensing/store.ts";

const COLLECTION = "/api/cluster/licensing/licenses";

const source: RecordSource<Schemas["license_package"]> = {
  schemaName: "license_package",
  keys: keysOf("licenses_get"),
  selfHref: (r) => `${COLLECTION}/${encodeURIComponent(String(r.name))}`,
};

/** Licenses of `pkg` that satisfy every filter, each judged as a package holding only that license. */
function matchingLicenses(state: MockState, filters: Record<string, string>): InstalledLicense[] {
  const compiled = compileFilters(filters, filterTypes("license_package", { version: state.version }) as never);
  const installed = state.licensing.snapshot();
  const out: InstalledLicense[] = [];
  for (const pkg of state.licensing.packages()) {
    for (const lic of pkg.licenses ?? []) {
      if (!matchesCompiled({ ...pkg, licenses: [lic] }, compiled)) continue;
      const hit = installed.find((l) => l.package === pkg.name && l.serial_number === lic.serial_number && l.owner === lic.owner);
      if (hit) out.push(hit);
    }
  }
  return out;
}

/**
 * GET of the license collection. By default only packages with installed
 * licenses; any state query shows the others too. "Starting with ONTAP
 * 9.11.1, the GET method no longer returns the Base license record" (000,
 * Retrieve license packages): `listBase` only for the mutant that breaks it.
 */
export function listLicenses(state: MockState, ctx: RequestContext, opts: { listBase?: boolean } = {}): Reply {
  const filters = filtersOf(ctx);
  // By default only packages with installed licenses: the listing's default filters (x-ontap-default-filters,
  // state=!unlicensed) apply where the request names no filter on their field; any state query shows the others
  // too (the licensing overview, ref §5.1: `?name=flexcache&state=unlicensed`). No Base record from 9.11.1 (licensing page's note).
  const byParam = new Map(ctx.op.params.map((p) => [p.name, p.field ?? p.name]));
  const defaults = Object.fromEntries(Object.entries(ctx.op.defaultFilters).map(([param, text]) => [byParam.get(param) ?? param, text]).filter(([field]) => !(field in filters)));
  const hidden = compileFilters(defaults, filterTypes("license_package", { version: state.version }) as never);
  const noBase = !opts.listBase && compareVersions(state.version, "9.11.1") >= 0;
  const records = state.licensing.packages().filter((p) => matchesCompiled(p, hidden) && !(noBase && p.name === "base"));
  return listReply(ctx, state.version, records, source, { filters });
}

export function licensingHandlers(state: MockState): Record<string, Handler> {
  return {
    licenses_get: (ctx) => listLicenses(state, ctx),

    license_get: (ctx) => itemReply(ctx, state.version, state.licensing.packages().find((p) => p.name === ctx.pathParams.name), source),

    // 201 with Location (ref §1, §5.4); records only with return_records=true (ref §1); errors in the
    // plural envelope `{"errors": [...]}` (error_responses, ref §1, §2.11). return_timeout is accepted
    // and ignored: the install is synchronous (ref §5.4).
    license_create: (ctx) => {
      const keys = (ctx.body as { keys: unknown[] }).keys;
      const outcomes = state.licensing.install(keys);
      const errors = outcomes.flatMap((o) => (o.error ? [o.error] : []));
      if (errors.length) return errorsReply(errors);
      const names = [...new Set(outcomes.flatMap((o) => o.packages ?? []))];
      const body: Writable<SuccessBody<"license_create">> = { num_records: names.length };
      if (/^true$/i.test(ctx.query.get("return_records") ?? "")) {
        // Served as the release serves records (fields introduced later are not there), like any listing.
        body.records = state.licensing.packages().filter((p) => names.includes(String(p.name))).map((p) => projectToVersion("license_package", { ...p, _links: { self: { href: source.selfHref!(p) } } }, state.version));
      }
      return { status: 201, body, headers: { location: `${COLLECTION}/${encodeURIComponent(names[0])}` } };
    },

    // serial_number is a query expression (`*` matches every serial, ref §5.1); 200 without a body (ref §1).
    license_delete: (ctx) => {
      const serial = parseExpression(ctx.query.get("serial_number") ?? "");
      const compiled = [{ field: "serial_number", type: "string" as const, expr: serial }];
      state.licensing.deletePackage(ctx.pathParams.name, (l) => matchesCompiled({ serial_number: l.serial_number }, compiled));
      return { status: 200 };
    },

    // 200 with {num_records, _links} (ref §5.1, the docs' delete-by-query example).
    license_delete_collection: (ctx) => {
      const filters = filtersOf(ctx);
      const id = (l: InstalledLicense) => `${l.package}|${l.serial_number}|${l.owner}`;
      const victims = new Set(matchingLicenses(state, filters).map(id));
      const count = state.licensing.deleteWhere((l) => victims.has(id(l)));
      return { status: 200, body: { num_records: count, _links: { self: { href: `${ctx.path}${ctx.url.search}` } } } };
    },
  };
}

export const LICENSING_REQUIRED_BODY_CODES = {
  license_create: { keys: new OntapError(400, Number(LICENSE_CREATE_CODES.NO_LICENSE_CODE), "No license code was provided.") },
};
