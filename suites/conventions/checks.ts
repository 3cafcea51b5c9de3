// Conventions every collection and item of the contract follows
// (spec/conventions.md): counts, default fields, unknown parameters, plain
// JSON vs HAL, paging, order, filters, fields, self links, not-found.
// Generated per collection of the operation table (src/contract
// collections()), so a new collection gets them by being in the spec; the
// oracles of suites/oracles decide what the answers must be.
import { COMMON_CODES, collections, completeQuery, errorCodePointer, filterTypes, getOperation, matchOperation, operationPointer, parameterPointer, paramsFor, schemaFields, schemaPointer, specPointer, type Collection, type ErrorFields, type OperationId } from "../../src/contract/index.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import type { CheckContext } from "../../src/harness/context.ts";
import { hrefTarget } from "../../src/harness/paging.ts";
import type { Exchange } from "../../src/harness/transport.ts";
import { listAll, MISSING, walkPages } from "../sample.ts";
import { checkCollectionEnvelope, checkFields, checkFilter, checkOrder, checkPages, type Page } from "../oracles/index.ts";
import { judge } from "../judge.ts";

const CONV = "spec/conventions.md";

function keyOf(op: string, record: any): string {
  return getOperation(op).keys.map((k) => k.split(".").reduce((v, p) => v?.[p], record)).join("|");
}

function collectionChecks(c: Collection): Check[] {
  const op = c.operation;
  const operation = op.id;
  /** The query that returns the whole collection (its default filters lifted: state=* on licenses). */
  const all = c.complete;
  const listSchema = op.statuses.find((s) => s.status === "200")!.schemaName!;
  const base = { area: "conventions" as const, operation, profile: "read-only" as const };
  const checks: Check[] = [
    defineCheck({
      ...base,
      id: `${c.name}.list.num-records`,
      owns: [`${operation}:num-records`],
      title: `${op.apiPath}: num_records counts the records returned`,
      requirement: "A collection response MUST carry num_records equal to the number of records it returns.",
      ref: `${CONV} §3`,
      spec: [schemaPointer(listSchema, "num_records")],
      oracle: "checkCollectionEnvelope",
      severity: "critical",
      async run(ctx) {
        await ctx.each([{}, { fields: "*" }] as Array<Record<string, string>>, async (query) => {
          const r = await ctx.call(operation, { query });
          judge(ctx, checkCollectionEnvelope(r.body, { returnRecords: true }), { exchange: r.exchange });
        });
      },
    }),
    c.item
      ? defineCheck({
        ...base,
        id: `${c.name}.list.default-fields`,
        title: `${op.apiPath}: a collection without fields= returns identifying keys and links only`,
        requirement: "A collection GET without `fields` MUST return only each record's identifying fields and `_links`.",
        ref: `${CONV} §2; spec/sources/ontap-reference.md §5.2`,
        spec: [parameterPointer(operation, "fields"), specPointer("components", "schemas", op.recordSchema!, "x-ontap-keys")],
        oracle: "checkFields",
        severity: "normal",
        async run(ctx) {
          const r = await ctx.call(operation, { query: all });
          judge(ctx, checkFields({ requested: "", records: r.body.records ?? [], keys: op.keys, knownPaths: [] }), { context: `${op.apiPath} without fields=`, exchange: r.exchange });
        },
      })
      : defineCheck({
        ...base,
        id: `${c.name}.list.default-fields`,
        title: `${op.apiPath}: records without a self link come with all their attributes by default`,
        requirement: "A collection GET without `fields` whose records have no self link MUST return all the attributes of each record, as with fields=*.",
        ref: "spec/sources/002_d792e4551950e0af.txt:1567 (history: \"provide all the attributes by default in response when the self referential link is not present\")",
        spec: [parameterPointer(operation, "fields"), specPointer("components", "schemas", op.recordSchema!, "x-ontap-keys")],
        oracle: "checkFields",
        severity: "normal",
        async run(ctx) {
          const [plain, full] = await Promise.all([ctx.call(operation, { query: all }), ctx.call(operation, { query: { ...all, fields: "*" } })]);
          judge(ctx, checkFields({ requested: "", records: plain.body.records ?? [], keys: op.keys, knownPaths: [], unfiltered: full.body.records ?? [], allByDefault: true }), { context: `${op.apiPath} without fields=`, exchange: plain.exchange });
        },
      }),
    defineCheck({
      ...base,
      id: `${c.name}.list.unknown-parameter`,
      title: `${op.apiPath}: an unknown query parameter is rejected with 262179`,
      requirement: "A request with an undocumented query parameter MUST be rejected with HTTP 400 and error code 262179.",
      ref: `${CONV} §3; spec/sources/ontap-reference.md §5.6`,
      spec: [operationPointer(operation, "parameters"), errorCodePointer(operation, COMMON_CODES.UNEXPECTED_ARGUMENT)],
      oracle: null,
      severity: "normal",
      async run(ctx) {
        const r = await ctx.call(operation, { query: { ontap_conformance_unknown: "1" }, expect: "error" });
        const code = r.body?.error?.code;
        if (r.status !== 400 || code !== COMMON_CODES.UNEXPECTED_ARGUMENT) {
          ctx.fail("an unknown query parameter was not rejected as documented", { received: `${r.status} code ${code}`, documented: `400 code ${COMMON_CODES.UNEXPECTED_ARGUMENT}`, exchange: r.exchange });
        }
      },
    }),
    defineCheck({
      ...base,
      id: `${c.name}.list.plain-json`,
      title: `${op.apiPath}: Accept application/json gets plain JSON without HAL links`,
      requirement: "With `Accept: application/json` a server MUST answer application/json and MUST NOT include `_links` other than `next`.",
      ref: "spec/sources/ontap-reference.md §5.7",
      spec: [operationPointer(operation, "responses", "200", "content", "application/json")],
      oracle: null,
      severity: "minor",
      async run(ctx) {
        const r = await ctx.call(operation, { query: { fields: "*", ...all }, accept: "application/json" });
        const ct = (r.headers["content-type"] ?? "").split(";")[0];
        if (ct !== "application/json") ctx.fail("the response is not application/json", { received: ct, documented: "application/json", exchange: r.exchange });
        const text = JSON.stringify(r.body);
        const links = [...text.matchAll(/"_links":\{"(\w+)"/g)].map((m) => m[1]).filter((k) => k !== "next");
        if (links.length) ctx.fail(`HAL links (${[...new Set(links)].join(", ")}) came back for Accept: application/json`, { received: text.slice(0, 200), documented: "no _links except next", exchange: r.exchange });
        const hal = await ctx.call(operation, { query: { fields: "*", ...all } });
        const halCt = (hal.headers["content-type"] ?? "").split(";")[0];
        if (halCt !== "application/hal+json") ctx.fail("the default response is not application/hal+json", { received: halCt, documented: "application/hal+json", exchange: hal.exchange });
      },
    }),
    defineCheck({
      ...base,
      id: `${c.name}.list.return-records-false`,
      title: `${op.apiPath}: return_records=false returns the count only`,
      requirement: "With return_records=false a collection GET MUST return num_records (the count) and no records; where a threshold cut the count short, the counts along the next links MUST add up to the listing.",
      ref: `${CONV} §3; spec/sources/ontap-reference.md §5.3 (count only: follow next and add the counts)`,
      spec: [parameterPointer(operation, "return_records"), schemaPointer(listSchema, "num_records")],
      oracle: "checkCollectionEnvelope",
      severity: "normal",
      async run(ctx) {
        const full = await listAll(ctx, operation, all);
        // A partial count links to the rest (ref §5.3): follow next and add the counts.
        let count = 0;
        const { exchanges } = await walkPages(ctx, operation, { return_records: "false", ...all }, {
          onPage(r) {
            judge(ctx, checkCollectionEnvelope(r.body, { returnRecords: false }), { exchange: r.exchange });
            count += Number(r.body.num_records);
          },
        });
        const along = exchanges.length > 1 ? ` (added up along ${exchanges.length} answers)` : "";
        judge(ctx, checkCollectionEnvelope({ num_records: count }, { returnRecords: false, expectedCount: full.length }), { context: `${op.apiPath}?return_records=false${along}`, exchange: exchanges[0] });
      },
    }),
  ];
  const key = op.keys[0];
  /** The field each filter parameter filters, and the types the oracles compare them by (of the target's release). */
  const fieldOf = (param: string) => op.params.find((p) => p.name === param)?.field ?? param;
  const typesFor = (ctx: CheckContext) => filterTypes(op.recordSchema!, { version: ctx.target.version });
  /** A query and the same as filters by field for the oracle: the complete listing's filters (state=*) unless overridden. */
  const filtered = (query: Record<string, string>) => {
    const sent = { ...all, ...query };
    return { sent, filters: Object.entries(sent).filter(([p]) => op.params.some((x) => x.name === p && x.filter)).map(([p, v]) => [fieldOf(p), v] as const) };
  };
  // Paging, order and negation compare records by one identifying key; a
  // collection whose records need several (history) would see ties.
  if (op.keys.length === 1 || operation === "cluster_nodes_get") checks.push(
    defineCheck({
      ...base,
      id: `${c.name}.list.pages`,
      owns: [`${operation}:paging`],
      title: `${op.apiPath}: max_records pages are capped, complete and disjoint`,
      requirement: "With max_records=N every page MUST hold at most N records and at least one, a page followed by more records MUST carry _links.next, and following next links MUST return every record exactly once, in order.",
      ref: `${CONV} §3; spec/sources/ontap-reference.md §5.3 (a page may hold fewer records when return_timeout ends it)`,
      spec: [parameterPointer(operation, "max_records"), schemaPointer("collection_links", "next")],
      oracle: "checkPages",
      severity: "critical",
      async run(ctx) {
        const unpaged = await listAll(ctx, operation, all);
        if (unpaged.length < 2) ctx.skip(`${op.apiPath} holds fewer than 2 records on this target`);
        // The pages of max_records=max (next links followed whole, while they advance), at most `limit` of them, judged by the pages oracle.
        const walk = async (max: number, limit: number): Promise<void> => {
          const pages: Page[] = [];
          const { exchanges } = await walkPages(ctx, operation, { max_records: String(max), fields: op.keys.join(","), ...all }, {
            pages: limit,
            onPage(r) {
              pages.push({ records: r.body.records ?? [], num_records: r.body.num_records, next: r.body._links?.next?.href });
            },
          });
          // A page's num_records is the count list.num-records owns: reported there once, here only if that check passes.
          judge(ctx, checkPages({ pages, unpaged, key: op.keys, maxRecords: max }), { context: `max_records=${max}`, exchange: exchanges.at(-1), aspectOf: (v) => (v.rule === "pages-num-records" ? { operation, kind: "num-records" } : undefined) });
        };
        // Whole walks with pages of about N/20 records (at least 2) and with N-1 (a full page, then a short last
        // one): a bounded number of requests however large the collection, so the check grows linearly with it.
        const sizes = [...new Set([Math.max(2, Math.ceil(unpaged.length / 20)), Math.max(1, unpaged.length - 1)])];
        // max_records=1 and 2, the smallest pages, over the first few pages (the oracle judges what remains after them only when a walk ends).
        const small = [1, 2].filter((max) => !sizes.includes(max));
        // The walks are independent of one another: all side by side (each walk's own pages stay in order), so
        // against a far cluster the check takes about its longest walk, not the sum of them.
        await ctx.each([...sizes.map((max) => [max, unpaged.length + 2]), ...small.map((max) => [max, Math.min(5, Math.ceil(unpaged.length / max) - 1)])], ([max, limit]) => walk(max, limit));
      },
    }),
    defineCheck({
      ...base,
      id: `${c.name}.list.order-by`,
      title: `${op.apiPath}: order_by ${key} asc and desc order the records`,
      requirement: "order_by=<field> [asc|desc] MUST return the records sorted by that field, ascending unless desc.",
      ref: `${CONV} §3`,
      spec: [parameterPointer(operation, "order_by")],
      oracle: "checkOrder",
      severity: "normal",
      async run(ctx) {
        const keys = (await listAll(ctx, operation, all)).map((r) => keyOf(operation, r));
        if (new Set(keys).size < 2) ctx.skip(`${op.apiPath} holds fewer than 2 records with different ${key} values on this target: nothing to order`);
        await ctx.each(["asc", "desc"], async (dir) => {
          const orderBy = `${key} ${dir}`;
          const records = await listAll(ctx, operation, { ...all, order_by: orderBy, fields: op.keys.join(",") });
          judge(ctx, checkOrder({ orderBy, records, types: typesFor(ctx), key: op.keys }), { context: `order_by=${orderBy}` });
        });
      },
    }),
    defineCheck({
      ...base,
      id: `${c.name}.list.filter-negation`,
      title: `${op.apiPath}: ${key}=!value returns every record but that one`,
      requirement: "A filter `!v` MUST return exactly the records whose field is set and is not v.",
      ref: `${CONV} §1`,
      spec: [parameterPointer(operation, key)],
      oracle: "checkFilter",
      severity: "normal",
      async run(ctx) {
        if (!paramsFor(op, ctx.target.version).some((p) => p.name === key)) ctx.skip(`ONTAP ${ctx.target.version} has no ${key} filter on ${op.apiPath}`);
        const unfiltered = await listAll(ctx, operation, all);
        if (!unfiltered.length) ctx.skip(`${op.apiPath} holds no records on this target`);
        const { sent, filters } = filtered({ [key]: `!"${keyOf(operation, unfiltered[0]).split("|")[0]}"`, fields: op.keys.join(",") });
        const got = await listAll(ctx, operation, sent);
        judge(ctx, checkFilter({ filters, types: typesFor(ctx), filtered: got, unfiltered, key: op.keys }), { context: `${key}=${sent[key]}` });
      },
    }),
  );
  const record = op.recordSchema!;
  const leafTypes = new Map(schemaFields(record).map((f) => [f.path, f]));
  checks.push(
    defineCheck({
      ...base,
      id: `${c.name}.list.filter-complete`,
      title: `${op.apiPath}: each documented filter returns exactly the records that match`,
      requirement: "A collection GET with a filter field=value MUST return every record of the unfiltered listing whose field equals value (any element, through arrays) and no other.",
      ref: `${CONV} §1`,
      spec: [operationPointer(operation, "parameters")],
      oracle: "checkFilter",
      severity: "critical",
      async run(ctx) {
        const unfiltered = await listAll(ctx, operation, all);
        if (!unfiltered.length) ctx.skip(`${op.apiPath} holds no records on this target`);
        const types = typesFor(ctx);
        const params = paramsFor(op, ctx.target.version).filter((p) => p.filter && p.field && p.in === "query" && !p.required && leafTypes.has(p.field) && ["string", "enum", "integer", "boolean"].includes(leafTypes.get(p.field)!.type));
        let tested = 0;
        // One listing per filter, on a value some record holds, all independent: side by side.
        await ctx.each(params, async (p) => {
          const value = unfiltered.flatMap((r) => p.field!.split(".").reduce<any[]>((vals, seg) => vals.flatMap((x) => (Array.isArray(x?.[seg]) ? x[seg] : x?.[seg] === undefined || x?.[seg] === null ? [] : [x[seg]])), [r]))[0];
          if (value === undefined) return;
          const { sent, filters } = filtered({ [p.name]: typeof value === "string" ? `"${value}"` : String(value), fields: op.keys.join(",") });
          const got = await listAll(ctx, operation, sent);
          tested++;
          judge(ctx, checkFilter({ filters, types, filtered: got, unfiltered, key: op.keys }), { context: `${p.name}=${sent[p.name]}` });
        });
        if (!tested) ctx.skip("no filter field has a value on this target");
      },
    }),
    defineCheck({
      ...base,
      id: `${c.name}.list.fields`,
      title: `${op.apiPath}: fields=<field> returns that field and nothing else but keys and links`,
      requirement: "A collection GET with fields=f MUST return f wherever the record has it, and MUST NOT return fields other than f, the identifying keys and _links.",
      ref: `${CONV} §2`,
      spec: [parameterPointer(operation, "fields")],
      oracle: "checkFields",
      severity: "normal",
      async run(ctx) {
        const unfiltered = await listAll(ctx, operation, all);
        if (!unfiltered.length) ctx.skip(`${op.apiPath} holds no records on this target`);
        const roots = new Set(op.keys.map((k) => k.split(".")[0]));
        const field = [...leafTypes.values()].find((f) => !f.path.includes(".") && !roots.has(f.path) && !f.writeOnly && unfiltered.some((r) => r[f.path] !== undefined))?.path;
        if (!field) ctx.skip("no non-key field is set on this target's records");
        const got = await listAll(ctx, operation, { ...all, fields: field! });
        judge(ctx, checkFields({ requested: field!, records: got, keys: op.keys, knownPaths: [], unfiltered }), { context: `fields=${field}` });
      },
    }),
  );
  if (c.item) {
    checks.push(
    defineCheck({
      ...base,
      id: `${c.name}.list.self-links`,
      title: `${op.apiPath}: each record's self link resolves to that record`,
      requirement: "The `_links.self.href` of every record MUST resolve to the same record.",
      ref: "spec/sources/ontap-reference.md §5.7",
      spec: [schemaPointer("self_link", "self"), operationPointer(c.item!.id)],
      oracle: null,
      severity: "normal",
      async run(ctx) {
        const records = (await listAll(ctx, operation, all)).slice(0, 5);
        const itemOp = c.item!.id;
        if (!records.length) ctx.skip(`the target holds no records in ${op.apiPath}`);
        await ctx.each(records, async (record) => {
          const href: string | undefined = record._links?.self?.href;
          if (!href) return ctx.fail(`a record has no _links.self.href`, { received: record, documented: "_links.self.href" });
          // Requested as given: a link that is not the item's own path does not resolve to the record, whatever it answers.
          if (matchOperation("GET", hrefTarget(href).path)?.op.id !== itemOp) {
            ctx.fail(`the self link of ${keyOf(operation, record)} is ${href}, which is not a ${getOperation(itemOp).apiPath} path`, { received: href, documented: getOperation(itemOp).apiPath });
          }
          const r = await ctx.call(itemOp, { href });
          if (keyOf(operation, r.body) !== keyOf(operation, record)) {
            ctx.fail(`${href} resolves to another record`, { received: keyOf(operation, r.body), documented: keyOf(operation, record), exchange: r.exchange });
          }
        });
      },
    }),
    );
  }
  return checks;
}

function notFound(ctx: CheckContext, r: { status: number; body: ErrorFields | undefined; exchange: Exchange }): void {
  if (r.status !== 404 || r.body?.error?.code !== COMMON_CODES.NOT_FOUND) {
    ctx.fail(`a missing item did not answer 404 with code ${COMMON_CODES.NOT_FOUND}`, { received: `${r.status} code ${r.body?.error?.code}`, documented: `404 {"error": {"code": "${COMMON_CODES.NOT_FOUND}", "message": "entry doesn't exist"}}`, exchange: r.exchange });
  }
}

/** A GET of an item that does not exist answers 404 with code 4 (conventions §4): one check per item GET. */
function notFoundCheck(c: { id: string; operation: OperationId; path: Record<string, string>; what: string; item: string; requirement?: string; ref?: string }): Check {
  const op = getOperation(c.operation);
  return defineCheck({
    id: c.id,
    title: `GET ${op.apiPath} of ${c.what} is 404 with code ${COMMON_CODES.NOT_FOUND}`,
    requirement: c.requirement ?? `A GET of ${c.item} that does not exist MUST answer 404 with error code "${COMMON_CODES.NOT_FOUND}".`,
    ref: c.ref ?? `${CONV} §4`,
    spec: [operationPointer(c.operation, "responses", "default"), specPointer("x-ontap-common-error-codes", COMMON_CODES.NOT_FOUND)],
    oracle: null,
    severity: "normal", profile: "read-only", area: "conventions", operation: c.operation,
    async run(ctx) {
      // The operation varies by row, so its path parameters are not typed here: the call is unchecked by design.
      notFound(ctx, await ctx.callUnchecked(c.operation, { path: c.path, expect: "error" }));
    },
  });
}

const UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000";
const itemChecks: Check[] = [
  notFoundCheck({ id: "licenses.get.not-found", operation: "license_get", path: { name: MISSING }, what: "a missing package", item: "a license package" }),
  notFoundCheck({ id: "packages.get.not-found", operation: "software_package_get", path: { version: "0.0.0-missing" }, what: "a missing package", item: "a software package" }),
  notFoundCheck({ id: "nodes.get.not-found", operation: "node_get", path: { uuid: UNKNOWN_UUID }, what: "an unknown node", item: "a node", ref: `${CONV} §4; spec/sources/ontap-reference.md §5.6, §8.1` }),
  notFoundCheck({ id: "jobs.get.not-found", operation: "job_get", path: { uuid: UNKNOWN_UUID }, what: "an unknown job", item: "a job", requirement: `A GET of a job that does not exist MUST answer 404 with error code "${COMMON_CODES.NOT_FOUND}" ("entry doesn't exist").`, ref: `${CONV} §4; spec/sources/ontap-reference.md §8` }),
];

/** fields= beyond one name (ref §5.2, §8): braces, exclusions, lists, the empty value, unknown names. */
const fieldsChecks: Check[] = [
  defineCheck({
    id: "licenses.list.fields-syntax",
    title: "/api/cluster/licensing/licenses: fields= takes braces, exclusions, lists and the empty value, and refuses mismatched braces and unknown names",
    requirement: "A collection GET MUST read fields=b.{c,d} as b.c,b.d, fields=b,!b.c as b without b.c, a comma list as each field, and an empty fields= as the default fields; it MUST reject mismatched braces with 400 and code 262286 and an unknown field name with 400, unless ignore_unknown_fields=true.",
    ref: "spec/sources/ontap-reference.md §5.2, §8 (query values); spec/conventions.md §2",
    spec: ["spec/ontap.yaml#/components/parameters/fields", "spec/ontap.yaml#/components/parameters/ignore_unknown_fields", "spec/ontap.yaml#/x-ontap-common-error-codes/262286"],
    oracle: "checkFields",
    severity: "normal",
    profile: "read-only",
    area: "conventions",
    operation: "licenses_get",
    async run(ctx) {
      const op = getOperation("licenses_get");
      const all = completeQuery("licenses_get");
      const full = await listAll(ctx, "licenses_get", all);
      if (!full.some((p) => Array.isArray(p.licenses) && p.licenses.length)) ctx.skip("no license package on this target holds licenses to select fields of");
      // The oracle judges each answer against the fields=* listing: requested fields present where the record has them, nothing else but keys and links.
      for (const requested of ["licenses.{serial_number,owner}", "licenses,!licenses.serial_number", "name,state,licenses", ""]) {
        const got = await listAll(ctx, "licenses_get", { ...all, fields: requested });
        judge(ctx, checkFields({ requested, records: got, keys: op.keys, knownPaths: [], unfiltered: full }), { context: `fields=${requested}`, documented: `exactly the fields fields=${requested} selects, with the keys and _links` });
      }
      const braces = await ctx.call("licenses_get", { query: { ...all, fields: "licenses.{serial_number" }, expect: "error" });
      if (braces.status !== 400 || braces.body?.error?.code !== COMMON_CODES.MISMATCHED_BRACES) ctx.fail(`fields with a mismatched brace was not rejected with 400 code ${COMMON_CODES.MISMATCHED_BRACES}`, { received: `${braces.status} code ${braces.body?.error?.code}`, documented: `400 code ${COMMON_CODES.MISMATCHED_BRACES}`, exchange: braces.exchange });
      const unknown = await ctx.call("licenses_get", { query: { ...all, fields: "ontap_conformance_unknown" }, expect: "error" });
      if (unknown.status !== 400) ctx.fail(`fields naming an unknown field answered ${unknown.status}`, { received: unknown.status, documented: 400, exchange: unknown.exchange });
      // ignore_unknown_fields is a framework parameter (x-ontap-framework-params), which the operation's generated type does not name.
      await ctx.callUnchecked("licenses_get", { query: { ...all, fields: "ontap_conformance_unknown", ignore_unknown_fields: "true" } });
    },
  }),
];

export const conventionsChecks: Check[] = [...collections().flatMap(collectionChecks), ...itemChecks, ...fieldsChecks];
