// Conventions every collection and item of the contract follows
// (spec/conventions.md): counts, default fields, unknown parameters, plain
// JSON vs HAL, paging, self links, not-found. Generated per collection from
// the operation table, so a new collection gets them by being in the spec.
import { errorCodePointer, getOperation, matchOperation, operationPointer, parameterPointer, paramsFor, schemaFields, schemaPointer, specPointer } from "../../src/contract/index.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import type { CheckContext } from "../../src/harness/context.ts";
import { hrefTarget } from "../../src/harness/paging.ts";
import { listAll, MISSING, walkPages } from "../sample.ts";
import { CANNOT_PARSE, checkFields } from "../oracles/index.ts";

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
  { prefix: "nodes", operation: "cluster_nodes_get", itemOperation: "node_get" },
  { prefix: "jobs", operation: "job_collection_get", itemOperation: "job_get" },
];

function keyOf(op: string, record: any): string {
  return getOperation(op).keys.map((k) => k.split(".").reduce((v, p) => v?.[p], record)).join("|");
}

function collectionChecks(c: Collection): Check[] {
  const op = getOperation(c.operation);
  const listSchema = op.statuses.find((s) => s.status === "200")!.schemaName!;
  const base = { area: "conventions" as const, operation: c.operation, profile: "read-only" as const };
  const checks: Check[] = [
    defineCheck({
      ...base,
      id: `${c.prefix}.list.num-records`,
      title: `${op.apiPath}: num_records counts the records returned`,
      requirement: "A collection response MUST carry num_records equal to the number of records it returns.",
      ref: `${CONV} §3`,
      spec: [schemaPointer(listSchema, "num_records")],
      oracle: null,
      severity: "critical",
      async run(ctx) {
        await ctx.each([{}, { fields: "*" }] as Array<Record<string, string>>, async (query) => {
          const r = await ctx.call(c.operation, { query });
          const records = r.body.records ?? [];
          if (r.body.num_records !== records.length) {
            ctx.fail(`num_records is ${r.body.num_records} but ${records.length} records came back`, { received: r.body.num_records, documented: records.length, exchange: r.exchange });
          }
        });
      },
    }),
    c.itemOperation
      ? defineCheck({
        ...base,
        id: `${c.prefix}.list.default-fields`,
        title: `${op.apiPath}: a collection without fields= returns identifying keys and links only`,
        requirement: "A collection GET without `fields` MUST return only each record's identifying fields and `_links`.",
        ref: `${CONV} §2; spec/sources/ontap-reference.md §5.2`,
        spec: [parameterPointer(c.operation, "fields"), specPointer("components", "schemas", op.recordSchema!, "x-ontap-keys")],
        oracle: null,
        severity: "normal",
        async run(ctx) {
          const r = await ctx.call(c.operation, { query: c.all ?? {} });
          const roots = new Set(["_links", ...op.keys.map((k) => k.split(".")[0])]);
          for (const [i, record] of (r.body.records ?? []).entries()) {
            const extra = Object.keys(record).filter((k) => !roots.has(k));
            if (extra.length) ctx.fail(`records/${i} carries ${extra.join(", ")} although no fields were requested`, { received: Object.keys(record), documented: [...roots], exchange: r.exchange });
          }
        },
      })
      : defineCheck({
        ...base,
        id: `${c.prefix}.list.default-fields`,
        title: `${op.apiPath}: records without a self link come with all their attributes by default`,
        requirement: "A collection GET without `fields` whose records have no self link MUST return all the attributes of each record, as with fields=*.",
        ref: "spec/sources/002_d792e4551950e0af.txt:1567 (history: \"provide all the attributes by default in response when the self referential link is not present\")",
        spec: [parameterPointer(c.operation, "fields"), specPointer("components", "schemas", op.recordSchema!, "x-ontap-keys")],
        oracle: null,
        severity: "normal",
        async run(ctx) {
          const [plain, all] = await Promise.all([ctx.call(c.operation, { query: c.all ?? {} }), ctx.call(c.operation, { query: { ...(c.all ?? {}), fields: "*" } })]);
          const shape = (recs: any[]) => recs.map((x) => Object.keys(x).filter((k) => k !== "_links").sort().join(","));
          const got = shape(plain.body.records ?? []);
          const want = shape(all.body.records ?? []);
          if (got.join("\n") !== want.join("\n")) ctx.fail(`without fields the records carry ${got[0] ?? "nothing"} where fields=* gives ${want[0] ?? "nothing"}`, { received: got, documented: want, exchange: plain.exchange });
        },
      }),
    defineCheck({
      ...base,
      id: `${c.prefix}.list.unknown-parameter`,
      title: `${op.apiPath}: an unknown query parameter is rejected with 262179`,
      requirement: "A request with an undocumented query parameter MUST be rejected with HTTP 400 and error code 262179.",
      ref: `${CONV} §3; spec/sources/ontap-reference.md §5.6`,
      spec: [operationPointer(c.operation, "parameters"), errorCodePointer(c.operation, "262179")],
      oracle: null,
      severity: "normal",
      async run(ctx) {
        const r = await ctx.call(c.operation, { query: { ontap_conformance_unknown: "1" }, expect: "error" });
        const code = r.body?.error?.code;
        if (r.status !== 400 || code !== "262179") {
          ctx.fail("an unknown query parameter was not rejected as documented", { received: `${r.status} code ${code}`, documented: "400 code 262179", exchange: r.exchange });
        }
      },
    }),
    defineCheck({
      ...base,
      id: `${c.prefix}.list.plain-json`,
      title: `${op.apiPath}: Accept application/json gets plain JSON without HAL links`,
      requirement: "With `Accept: application/json` a server MUST answer application/json and MUST NOT include `_links` other than `next`.",
      ref: "spec/sources/ontap-reference.md §5.7",
      spec: [operationPointer(c.operation, "responses", "200", "content", "application/json")],
      oracle: null,
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
    }),
    defineCheck({
      ...base,
      id: `${c.prefix}.list.return-records-false`,
      title: `${op.apiPath}: return_records=false returns the count only`,
      requirement: "With return_records=false a collection GET MUST return num_records (the count) and no records; where a threshold cut the count short, the counts along the next links MUST add up to the listing.",
      ref: `${CONV} §3; spec/sources/ontap-reference.md §5.3 (count only: follow next and add the counts)`,
      spec: [parameterPointer(c.operation, "return_records"), schemaPointer(listSchema, "num_records")],
      oracle: null,
      severity: "normal",
      async run(ctx) {
        const full = await listAll(ctx, c.operation, c.all);
        // A partial count links to the rest (ref §5.3): follow next and add the counts.
        let count = 0;
        const { exchanges } = await walkPages(ctx, c.operation, { return_records: "false", ...(c.all ?? {}) }, {
          onPage(r) {
            if (r.body.records !== undefined) ctx.fail("records came back with return_records=false", { received: Object.keys(r.body), documented: "num_records only", exchange: r.exchange });
            count += Number(r.body.num_records);
          },
        });
        if (count !== full.length) ctx.fail(`num_records ${exchanges.length > 1 ? `along ${exchanges.length} answers adds up to` : "is"} ${count} but the listing has ${full.length} records`, { received: count, documented: full.length, exchange: exchanges[0] });
      },
    }),
  ];
  const key = op.keys[0];
  const keyOf1 = (r: any) => String(key.split(".").reduce((v: any, k) => v?.[k], r));
  // Paging, order and negation compare records by one identifying key; a
  // collection whose records need several (history) would see ties.
  if (op.keys.length === 1 || c.operation === "cluster_nodes_get") checks.push(
    defineCheck({
      ...base,
      id: `${c.prefix}.list.pages`,
      owns: [`${c.operation}:paging`],
      title: `${op.apiPath}: max_records pages are capped, complete and disjoint`,
      requirement: "With max_records=N every page MUST hold at most N records, a page followed by more records MUST carry _links.next, and following next links MUST return every record exactly once, in order.",
      ref: `${CONV} §3`,
      spec: [parameterPointer(c.operation, "max_records"), schemaPointer("collection_links", "next")],
      oracle: null,
      severity: "critical",
      async run(ctx) {
        const all = (await listAll(ctx, c.operation, c.all)).map(keyOf1);
        if (all.length < 2) ctx.skip(`${op.apiPath} holds fewer than 2 records on this target`);
        // Walks the pages of max_records=max (next links whole, while they advance), at most `limit` of them; returns the keys seen.
        const walk = async (max: number, limit: number): Promise<string[]> => {
          const seen: string[] = [];
          await walkPages(ctx, c.operation, { max_records: String(max), fields: key, ...(c.all ?? {}) }, {
            pages: limit,
            onPage(r) {
              const recs = r.body.records ?? [];
              if (recs.length > max) ctx.fail(`a page of max_records=${max} holds ${recs.length} records`, { received: recs.length, documented: `at most ${max}`, exchange: r.exchange });
              seen.push(...recs.map(keyOf1));
              if (!r.body._links?.next?.href) {
                if (seen.length < all.length) ctx.fail(`paging with max_records=${max} stopped after ${seen.length} of ${all.length} records without a next link`, { received: seen.length, documented: all.length, exchange: r.exchange });
              }
            },
          });
          const once = new Set<string>();
          const dupes = new Set(seen.filter((k) => once.size === once.add(k).size));
          if (dupes.size) ctx.fail(`pages of max_records=${max} repeat ${[...dupes].join(", ")}`, { received: seen, documented: "every record exactly once" });
          return seen;
        };
        // Whole walks with pages of about N/20 records and with N-1 (a full page, then a short last one):
        // a bounded number of requests however large the collection, so the check grows linearly with it.
        const sizes = [...new Set([Math.max(1, Math.ceil(all.length / 20)), Math.max(1, all.length - 1)])];
        // The walks are independent of one another: side by side (each walk's own pages stay in order).
        await ctx.each(sizes, async (max) => {
          const seen = await walk(max, all.length + 2);
          if (seen.join("\n") !== all.join("\n")) ctx.fail(`pages of max_records=${max} do not add up to the unpaged listing`, { received: seen, documented: all });
        });
        // max_records=1 and 2, the smallest pages, over the first few pages: each page is the next records of the
        // listing. A page may hold fewer than max_records when return_timeout ends it first (ref §5.3), but not none.
        await ctx.each([1, 2].filter((max) => !sizes.includes(max)), async (max) => {
          const pages = Math.min(5, Math.ceil(all.length / max) - 1);
          const seen = await walk(max, pages);
          const expected = all.slice(0, seen.length);
          if (seen.length < Math.min(all.length, pages) || seen.join("\n") !== expected.join("\n")) {
            ctx.fail(`the first ${pages} pages of max_records=${max} are not the first records of the unpaged listing`, { received: seen, documented: all.slice(0, pages * max) });
          }
        });
      },
    }),
    defineCheck({
      ...base,
      id: `${c.prefix}.list.order-by`,
      title: `${op.apiPath}: order_by ${key} asc and desc order the records`,
      requirement: "order_by=<field> [asc|desc] MUST return the records sorted by that field, ascending unless desc.",
      ref: `${CONV} §3`,
      spec: [parameterPointer(c.operation, "order_by")],
      oracle: null,
      severity: "normal",
      async run(ctx) {
        const keys = (await listAll(ctx, c.operation, c.all)).map(keyOf1);
        if (new Set(keys).size < 2) ctx.skip(`${op.apiPath} holds fewer than 2 records with different ${key} values on this target: nothing to order`);
        const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        await ctx.each([["asc", sorted], ["desc", [...sorted].reverse()]] as const, async ([dir, want]) => {
          const got = (await listAll(ctx, c.operation, { ...(c.all ?? {}), order_by: `${key} ${dir}`, fields: key })).map(keyOf1);
          if (got.join("\n") !== want.join("\n")) ctx.fail(`order_by=${key} ${dir} returned ${got.slice(0, 5).join(", ")}...`, { received: got, documented: want });
        });
      },
    }),
    defineCheck({
      ...base,
      id: `${c.prefix}.list.filter-negation`,
      title: `${op.apiPath}: ${key}=!value returns every record but that one`,
      requirement: "A filter `!v` MUST return exactly the records whose field is set and is not v.",
      ref: `${CONV} §1`,
      spec: [parameterPointer(c.operation, key)],
      oracle: null,
      severity: "normal",
      async run(ctx) {
        if (!paramsFor(op, ctx.target.version).some((p) => p.name === key)) ctx.skip(`ONTAP ${ctx.target.version} has no ${key} filter on ${op.apiPath}`);
        const keys = (await listAll(ctx, c.operation, c.all)).map(keyOf1);
        if (!keys.length) ctx.skip(`${op.apiPath} holds no records on this target`);
        const v = keys[0];
        const got = (await listAll(ctx, c.operation, { ...(c.all ?? {}), [key]: `!"${v}"`, fields: key })).map(keyOf1);
        const want = keys.filter((k) => k !== v);
        if ([...got].sort().join("\n") !== [...want].sort().join("\n")) ctx.fail(`${key}=!"${v}" returned ${got.length} records`, { received: got, documented: want });
      },
    }),
  );
  const record = op.recordSchema!;
  const leafTypes = new Map(schemaFields(record).map((f) => [f.path, f]));
  checks.push(
    defineCheck({
      ...base,
      id: `${c.prefix}.list.filter-complete`,
      title: `${op.apiPath}: each documented filter returns exactly the records that match`,
      requirement: "A collection GET with a filter field=value MUST return every record of the unfiltered listing whose field equals value (any element, through arrays) and no other.",
      ref: `${CONV} §1`,
      spec: [operationPointer(c.operation, "parameters")],
      oracle: null,
      severity: "critical",
      async run(ctx) {
        const withAll = (q: Record<string, string>) => ({ ...(c.prefix === "licenses" && !("state" in q) ? { state: "*" } : {}), ...q });
        const all = await listAll(ctx, c.operation, withAll({}));
        if (!all.length) ctx.skip(`${op.apiPath} holds no records on this target`);
        const filters = paramsFor(op, ctx.target.version).filter((p) => p.filter && p.field && p.in === "query" && !p.required && leafTypes.has(p.field) && ["string", "enum", "integer", "boolean"].includes(leafTypes.get(p.field)!.type));
        let tested = 0;
        // One listing per filter, all independent: side by side.
        await ctx.each(filters, async (f) => {
          const values = all.flatMap((r) => {
            const v = f.field!.split(".").reduce<any[]>((vals, seg) => vals.flatMap((x) => (Array.isArray(x?.[seg]) ? x[seg] : x?.[seg] === undefined || x?.[seg] === null ? [] : [x[seg]])), [r]);
            return v.map((x) => ({ r, x }));
          });
          if (!values.length) return;
          const value = values[0].x;
          const text = typeof value === "string" ? `"${value}"` : String(value);
          const expected = [...new Set(values.filter((e) => String(e.x) === String(value)).map((e) => keyOf(c.operation, e.r)))].sort();
          const got = (await listAll(ctx, c.operation, withAll({ [f.name]: text, fields: op.keys.join(",") }))).map((r) => keyOf(c.operation, r)).sort();
          tested++;
          if (got.join("\n") !== expected.join("\n")) {
            const missing = expected.filter((k) => !got.includes(k));
            const extra = got.filter((k) => !expected.includes(k));
            ctx.fail(`${f.name}=${text} ${missing.length ? `misses ${missing.slice(0, 5).join(", ")}` : ""}${missing.length && extra.length ? " and " : ""}${extra.length ? `returns non-matching ${extra.slice(0, 5).join(", ")}` : ""}`, { received: got, documented: expected });
          }
        });
        if (!tested) ctx.skip("no filter field has a value on this target");
      },
    }),
    defineCheck({
      ...base,
      id: `${c.prefix}.list.fields`,
      title: `${op.apiPath}: fields=<field> returns that field and nothing else but keys and links`,
      requirement: "A collection GET with fields=f MUST return f wherever the record has it, and MUST NOT return fields other than f, the identifying keys and _links.",
      ref: `${CONV} §2`,
      spec: [parameterPointer(c.operation, "fields")],
      oracle: null,
      severity: "normal",
      async run(ctx) {
        const all = await listAll(ctx, c.operation, c.all);
        if (!all.length) ctx.skip(`${op.apiPath} holds no records on this target`);
        const roots = new Set(op.keys.map((k) => k.split(".")[0]));
        const field = [...leafTypes.values()].find((f) => !f.path.includes(".") && !roots.has(f.path) && !f.writeOnly && all.some((r) => r[f.path] !== undefined))?.path;
        if (!field) ctx.skip("no non-key field is set on this target's records");
        const byKey = new Map(all.map((r) => [keyOf1(r), r]));
        const got = await listAll(ctx, c.operation, { ...(c.all ?? {}), fields: field! });
        for (const r of got) {
          const extra = Object.keys(r).filter((k) => k !== field && k !== "_links" && !roots.has(k));
          if (extra.length) ctx.fail(`fields=${field} also returned ${extra.join(", ")} for ${keyOf1(r)}`, { received: Object.keys(r), documented: [field, "_links", ...roots] });
          if (byKey.get(keyOf1(r))?.[field!] !== undefined && r[field!] === undefined) ctx.fail(`fields=${field} left out ${field} of ${keyOf1(r)}, which has it`, { received: Object.keys(r), documented: field });
        }
      },
    }),
  );
  if (c.itemOperation) {
    checks.push(
    defineCheck({
      ...base,
      id: `${c.prefix}.list.self-links`,
      title: `${op.apiPath}: each record's self link resolves to that record`,
      requirement: "The `_links.self.href` of every record MUST resolve to the same record.",
      ref: "spec/sources/ontap-reference.md §5.7",
      spec: [schemaPointer("self_link", "self"), operationPointer(c.itemOperation!)],
      oracle: null,
      severity: "normal",
      async run(ctx) {
        const records = (await listAll(ctx, c.operation, c.all)).slice(0, 5);
        const itemOp = c.itemOperation!;
        if (!records.length) ctx.skip(`the target holds no records in ${op.apiPath}`);
        await ctx.each(records, async (record) => {
          const href: string | undefined = record._links?.self?.href;
          if (!href) return ctx.fail(`a record has no _links.self.href`, { received: record, documented: "_links.self.href" });
          // Requested as given: a link that is not the item's own path does not resolve to the record, whatever it answers.
          if (matchOperation("GET", hrefTarget(href).path)?.op.id !== itemOp) {
            ctx.fail(`the self link of ${keyOf(c.operation, record)} is ${href}, which is not a ${getOperation(itemOp).apiPath} path`, { received: href, documented: getOperation(itemOp).apiPath });
          }
          const r = await ctx.call(itemOp, { href });
          if (keyOf(c.operation, r.body) !== keyOf(c.operation, record)) {
            ctx.fail(`${href} resolves to another record`, { received: keyOf(c.operation, r.body), documented: keyOf(c.operation, record), exchange: r.exchange });
          }
        });
      },
    }),
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
  defineCheck({
    id: "licenses.get.not-found",
    title: "GET /api/cluster/licensing/licenses/{name} of a missing package is 404 with code 4",
    requirement: "A GET of a license package that does not exist MUST answer 404 with error code \"4\".",
    ref: `${CONV} §4`,
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses~1{name}/get/responses/default", "spec/ontap.yaml#/x-ontap-common-error-codes/4"],
    oracle: null,
    severity: "normal", profile: "read-only", area: "conventions", operation: "license_get",
    async run(ctx) {
      notFound(ctx, await ctx.call("license_get", { path: { name: MISSING }, expect: "error" }));
    },
  }),
  defineCheck({
    id: "packages.get.not-found",
    title: "GET /api/cluster/software/packages/{version} of a missing package is 404 with code 4",
    requirement: "A GET of a software package that does not exist MUST answer 404 with error code \"4\".",
    ref: `${CONV} §4`,
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software~1packages~1{version}/get/responses/default", "spec/ontap.yaml#/x-ontap-common-error-codes/4"],
    oracle: null,
    severity: "normal", profile: "read-only", area: "conventions", operation: "software_package_get",
    async run(ctx) {
      notFound(ctx, await ctx.call("software_package_get", { path: { version: "0.0.0-missing" }, expect: "error" }));
    },
  }),
  defineCheck({
    id: "nodes.get.not-found",
    title: "GET /api/cluster/nodes/{uuid} of an unknown node is 404 with code 4",
    requirement: "A GET of a node that does not exist MUST answer 404 with error code \"4\".",
    ref: `${CONV} §4; spec/sources/ontap-reference.md §5.6, §8.1`,
    spec: ["spec/ontap.yaml#/paths/~1cluster~1nodes~1{uuid}/get/responses/default", "spec/ontap.yaml#/x-ontap-common-error-codes/4"],
    oracle: null,
    severity: "normal", profile: "read-only", area: "conventions", operation: "node_get",
    async run(ctx) {
      notFound(ctx, await ctx.call("node_get", { path: { uuid: "00000000-0000-4000-8000-000000000000" }, expect: "error" }));
    },
  }),
  defineCheck({
    id: "nodes.get.version",
    title: "GET /api/cluster/nodes/{uuid}?fields=version gives that node's full, generation, major and minor",
    requirement: "GET /api/cluster/nodes/{uuid}?fields=version MUST return the node named by the uuid with version.full, .generation, .major and .minor, as the node listing shows them.",
    ref: "spec/sources/ontap-reference.md §8 (version discovery), §8.1 (netapp_ontap Node.get())",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1nodes~1{uuid}/get", "spec/ontap.yaml#/components/schemas/version"],
    oracle: null,
    severity: "normal", profile: "read-only", area: "conventions", operation: "node_get",
    async run(ctx) {
      const nodes = await listAll(ctx, "cluster_nodes_get", { fields: "uuid,name,version" });
      if (!nodes.length) ctx.skip("the target lists no node");
      for (const node of nodes.slice(0, 4)) {
        const r = await ctx.call("node_get", { path: { uuid: node.uuid }, query: { fields: "version" } });
        const v = r.body.version ?? {};
        const missing = ["full", "generation", "major", "minor"].filter((k) => v[k] === undefined);
        if (r.body.uuid !== node.uuid) ctx.fail(`GET /api/cluster/nodes/${node.uuid} answered node ${r.body.uuid}`, { received: r.body.uuid, documented: node.uuid, exchange: r.exchange });
        if (missing.length) ctx.fail(`node ${node.name}: version lacks ${missing.join(", ")}`, { received: v, documented: "full, generation, major, minor", exchange: r.exchange });
        const differ = ["full", "generation", "major", "minor"].filter((k) => v[k] !== node.version?.[k]);
        if (differ.length) ctx.fail(`node ${node.name}: the item's version ${differ.join(", ")} differ from the listing's`, { received: v, documented: node.version, exchange: r.exchange });
      }
    },
  }),
  defineCheck({
    id: "jobs.get.not-found",
    title: "GET /api/cluster/jobs/{uuid} of an unknown job is 404 with code 4",
    requirement: "A GET of a job that does not exist MUST answer 404 with error code \"4\" (\"entry doesn't exist\").",
    ref: `${CONV} §4; spec/sources/ontap-reference.md §8`,
    spec: ["spec/ontap.yaml#/paths/~1cluster~1jobs~1{uuid}/get/responses/default", "spec/ontap.yaml#/x-ontap-common-error-codes/4"],
    oracle: null,
    severity: "normal", profile: "read-only", area: "conventions", operation: "job_get",
    async run(ctx) {
      notFound(ctx, await ctx.call("job_get", { path: { uuid: "00000000-0000-4000-8000-000000000000" }, expect: "error" }));
    },
  }),
];

/** fields= beyond one name (ref §5.2, §8): braces, exclusions, lists, the empty value, unknown names. */
const fieldsChecks: Check[] = [
  defineCheck({
    id: "licenses.list.fields-syntax",
    title: "/api/cluster/licensing/licenses: fields= takes braces, exclusions, lists and the empty value, and refuses mismatched braces and unknown names",
    requirement: "A collection GET MUST read fields=b.{c,d} as b.c,b.d, fields=b,!b.c as b without b.c, a comma list as each field, and an empty fields= as the default fields; it MUST reject mismatched braces with 400 and code 262286 and an unknown field name with 400, unless ignore_unknown_fields=true.",
    ref: "spec/sources/ontap-reference.md §5.2, §8 (query values); spec/conventions.md §2; suites/oracles/fields.ts checkFields",
    spec: ["spec/ontap.yaml#/components/parameters/fields", "spec/ontap.yaml#/components/parameters/ignore_unknown_fields", "spec/ontap.yaml#/x-ontap-common-error-codes/262286"],
    oracle: "checkFields",
    severity: "normal",
    profile: "read-only",
    area: "conventions",
    operation: "licenses_get",
    async run(ctx) {
      const op = getOperation("licenses_get");
      const all = { state: "*" };
      const full = await listAll(ctx, "licenses_get", all);
      if (!full.some((p) => Array.isArray(p.licenses) && p.licenses.length)) ctx.skip("no license package on this target holds licenses to select fields of");
      // The oracle judges each answer against the fields=* listing: requested fields present where the record has them, nothing else but keys and links.
      for (const requested of ["licenses.{serial_number,owner}", "licenses,!licenses.serial_number", "name,state,licenses", ""]) {
        const got = await listAll(ctx, "licenses_get", { ...all, fields: requested });
        const violations = checkFields({ requested, records: got, keys: op.keys, knownPaths: [], unfiltered: full });
        if (violations.some((v) => v.rule === CANNOT_PARSE)) throw new Error(`the oracle cannot read fields=${requested}: ${violations[0].message}`);
        if (violations.length) ctx.fail(`fields=${requested}: ${violations[0].message}`, { received: violations.slice(0, 3).map((v) => v.message).join("; "), documented: `exactly the fields fields=${requested} selects, with the keys and _links` });
      }
      const braces = await ctx.call("licenses_get", { query: { ...all, fields: "licenses.{serial_number" }, expect: "error" });
      if (braces.status !== 400 || braces.body?.error?.code !== "262286") ctx.fail("fields with a mismatched brace was not rejected with 400 code 262286", { received: `${braces.status} code ${braces.body?.error?.code}`, documented: "400 code 262286", exchange: braces.exchange });
      const unknown = await ctx.call("licenses_get", { query: { ...all, fields: "ontap_conformance_unknown" }, expect: "error" });
      if (unknown.status !== 400) ctx.fail(`fields naming an unknown field answered ${unknown.status}`, { received: unknown.status, documented: 400, exchange: unknown.exchange });
      await ctx.call("licenses_get", { query: { ...all, fields: "ontap_conformance_unknown", ignore_unknown_fields: "true" } });
    },
  }),
];

export const conventionsChecks: Check[] = [...COLLECTIONS.flatMap(collectionChecks), ...itemChecks, ...fieldsChecks];
