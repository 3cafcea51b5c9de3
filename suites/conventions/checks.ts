// Conventions every collection and item of the contract follows
// (spec/conventions.md): counts, default fields, unknown parameters, plain
// JSON vs HAL, paging, self links, not-found. Generated per collection from
// the operation table, so a new collection gets them by being in the spec.
import { getOperation } from "../../src/contract/index.ts";
import type { Check } from "../../src/harness/check.ts";
import type { CheckContext } from "../../src/harness/context.ts";
import { listAll, MISSING } from "../sample.ts";

const CONV = "spec/conventions.md";

interface Collection {
  /** Check id prefix: licenses, packages, history, nodes. */
  prefix: string;
  operation: string;
  /** The item GET a record's self link leads to, if the contract has one. */
  itemOperation?: string;
  /** Extra query that makes the listing complete (licenses hide unlicensed packages). */
  all?: Record<string, string>;
}

const COLLECTIONS: Collection[] = [
  { prefix: "licenses", operation: "licenses_get", itemOperation: "license_get" },
  { prefix: "packages", operation: "software_packages_collection_get", itemOperation: "software_package_get" },
  { prefix: "history", operation: "software_history_collection_get" },
  { prefix: "nodes", operation: "cluster_nodes_get" },
];

function keyOf(op: string, record: any): string {
  return getOperation(op).keys.map((k) => k.split(".").reduce((v, p) => v?.[p], record)).join("|");
}

function collectionChecks(c: Collection): Check[] {
  const op = getOperation(c.operation);
  const base = { area: "conventions" as const, operation: c.operation, profile: "read-only" as const };
  const checks: Check[] = [
    {
      ...base,
      id: `${c.prefix}.list.num-records`,
      title: `${op.apiPath}: num_records counts the records returned`,
      requirement: "A collection response MUST carry num_records equal to the number of records it returns.",
      ref: `${CONV} §3`,
      severity: "critical",
      async run(ctx) {
        for (const query of [{}, { fields: "*" }] as Array<Record<string, string>>) {
          const r = await ctx.call(c.operation, { query });
          const records = r.body.records ?? [];
          if (r.body.num_records !== records.length) {
            ctx.fail(`num_records is ${r.body.num_records} but ${records.length} records came back`, { received: r.body.num_records, documented: records.length, exchange: r.exchange });
          }
        }
      },
    },
    {
      ...base,
      id: `${c.prefix}.list.default-fields`,
      title: `${op.apiPath}: a collection without fields= returns identifying keys and links only`,
      requirement: "A collection GET without `fields` MUST return only each record's identifying fields and `_links`.",
      ref: `${CONV} §2; spec/sources/ontap-reference.md §5.2`,
      severity: "normal",
      async run(ctx) {
        const r = await ctx.call(c.operation, { query: c.all ?? {} });
        const roots = new Set(["_links", ...op.keys.map((k) => k.split(".")[0])]);
        for (const [i, record] of (r.body.records ?? []).entries()) {
          const extra = Object.keys(record).filter((k) => !roots.has(k));
          if (extra.length) ctx.fail(`records/${i} carries ${extra.join(", ")} although no fields were requested`, { received: Object.keys(record), documented: [...roots], exchange: r.exchange });
        }
      },
    },
    {
      ...base,
      id: `${c.prefix}.list.unknown-parameter`,
      title: `${op.apiPath}: an unknown query parameter is rejected with 262179`,
      requirement: "A request with an undocumented query parameter MUST be rejected with HTTP 400 and error code 262179.",
      ref: `${CONV} §3; spec/sources/ontap-reference.md §5.6`,
      severity: "normal",
      async run(ctx) {
        const r = await ctx.call(c.operation, { query: { ontap_conformance_unknown: "1" }, expect: "error" });
        const code = r.body?.error?.code;
        if (r.status !== 400 || code !== "262179") {
          ctx.fail("an unknown query parameter was not rejected as documented", { received: `${r.status} code ${code}`, documented: "400 code 262179", exchange: r.exchange });
        }
      },
    },
    {
      ...base,
      id: `${c.prefix}.list.plain-json`,
      title: `${op.apiPath}: Accept application/json gets plain JSON without HAL links`,
      requirement: "With `Accept: application/json` a server MUST answer application/json and MUST NOT include `_links` other than `next`.",
      ref: "spec/sources/ontap-reference.md §5.7",
      severity: "minor",
      async run(ctx) {
        const r = await ctx.call(c.operation, { query: { fields: "*", ...(c.all ?? {}) }, accept: "application/json" });
        const ct = (r.headers["content-type"] ?? "").split(";")[0];
        if (ct !== "application/json") ctx.fail("the response is not application/json", { received: ct, documented: "application/json", exchange: r.exchange });
        const text = JSON.stringify(r.body);
        const links = [...text.matchAll(/"_links":\{"(\w+)"/g)].map((m) => m[1]).filter((k) => k !== "next");
        if (links.length) ctx.fail(`HAL links (${[...new Set(links)].join(", ")}) came back for Accept: application/json`, { received: text.slice(0, 200), documented: "no _links except next", exchange: r.exchange });
        const hal = await ctx.call(c.operation, { query: { fields: "*", ...(c.all ?? {}) } });
        const halCt = (hal.headers["content-type"] ?? "").split(";")[0];
        if (halCt !== "application/hal+json") ctx.fail("the default response is not application/hal+json", { received: halCt, documented: "application/hal+json", exchange: hal.exchange });
      },
    },
    {
      ...base,
      id: `${c.prefix}.list.return-records-false`,
      title: `${op.apiPath}: return_records=false returns the count only`,
      requirement: "With return_records=false a collection GET MUST return num_records (the count) and no records.",
      ref: `${CONV} §3`,
      severity: "normal",
      async run(ctx) {
        const full = await listAll(ctx, c.operation, c.all);
        const r = await ctx.call(c.operation, { query: { return_records: "false", ...(c.all ?? {}) } });
        if (r.body.records !== undefined) ctx.fail("records came back with return_records=false", { received: Object.keys(r.body), documented: "num_records only", exchange: r.exchange });
        if (r.body.num_records !== full.length) ctx.fail(`num_records is ${r.body.num_records} but the listing has ${full.length} records`, { received: r.body.num_records, documented: full.length, exchange: r.exchange });
      },
    },
  ];
  if (c.itemOperation) {
    checks.push(
    {
      ...base,
      id: `${c.prefix}.list.self-links`,
      title: `${op.apiPath}: each record's self link resolves to that record`,
      requirement: "The `_links.self.href` of every record MUST resolve to the same record.",
      ref: "spec/sources/ontap-reference.md §5.7",
      severity: "normal",
      async run(ctx) {
        const records = (await listAll(ctx, c.operation, c.all)).slice(0, 5);
        const itemOp = c.itemOperation!;
        if (!records.length) ctx.skip(`the target holds no records in ${op.apiPath}`);
        for (const record of records) {
          const href: string | undefined = record._links?.self?.href;
          if (!href) return ctx.fail(`a record has no _links.self.href`, { received: record, documented: "_links.self.href" });
          const name = decodeURIComponent(href.replace(/\/+$/, "").split("/").pop()!);
          const pathParam = getOperation(itemOp).apiPath.match(/\{(\w+)\}/)![1];
          const r = await ctx.call(itemOp, { path: { [pathParam]: name } });
          if (keyOf(c.operation, r.body) !== keyOf(c.operation, record)) {
            ctx.fail(`${href} resolves to another record`, { received: keyOf(c.operation, r.body), documented: keyOf(c.operation, record), exchange: r.exchange });
          }
        }
      },
    },
    );
  }
  return checks;
}

function notFound(ctx: CheckContext, r: { status: number; body: any; exchange: any }): void {
  if (r.status !== 404 || r.body?.error?.code !== "4") {
    ctx.fail("a missing item did not answer 404 with code 4", { received: `${r.status} code ${r.body?.error?.code}`, documented: `404 {"error": {"code": "4", "message": "entry doesn't exist"}}`, exchange: r.exchange });
  }
}

const itemChecks: Check[] = [
  {
    id: "licenses.get.not-found",
    title: "GET /api/cluster/licensing/licenses/{name} of a missing package is 404 with code 4",
    requirement: "A GET of a license package that does not exist MUST answer 404 with error code \"4\".",
    ref: `${CONV} §4`,
    severity: "normal", profile: "read-only", area: "conventions", operation: "license_get",
    async run(ctx) {
      notFound(ctx, await ctx.call("license_get", { path: { name: MISSING }, expect: "error" }));
    },
  },
  {
    id: "packages.get.not-found",
    title: "GET /api/cluster/software/packages/{version} of a missing package is 404 with code 4",
    requirement: "A GET of a software package that does not exist MUST answer 404 with error code \"4\".",
    ref: `${CONV} §4`,
    severity: "normal", profile: "read-only", area: "conventions", operation: "software_package_get",
    async run(ctx) {
      notFound(ctx, await ctx.call("software_package_get", { path: { version: "0.0.0-missing" }, expect: "error" }));
    },
  },
  {
    id: "jobs.get.not-found",
    title: "GET /api/cluster/jobs/{uuid} of an unknown job is 404 with code 4",
    requirement: "A GET of a job that does not exist MUST answer 404 with error code \"4\" (\"entry doesn't exist\").",
    ref: `${CONV} §4; spec/sources/ontap-reference.md §8`,
    severity: "normal", profile: "read-only", area: "conventions", operation: "job_get",
    async run(ctx) {
      notFound(ctx, await ctx.call("job_get", { path: { uuid: "00000000-0000-4000-8000-000000000000" }, expect: "error" }));
    },
  },
];

export const conventionsChecks: Check[] = [...COLLECTIONS.flatMap(collectionChecks), ...itemChecks];
