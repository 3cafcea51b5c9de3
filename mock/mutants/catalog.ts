// The mutant catalog: each entry breaks one rule of the contract and
// nothing else. `ontap-conformance mutants` runs the suite against each and
// expects at least one check to fail (the mutant is "killed").
import { collections, completeQuery, frameworkParamNames, operationKind, operations } from "../../src/contract/index.ts";
import { OntapError } from "../errors.ts";
import { PAGE_TOKEN_PARAM } from "../server/collection.ts";
import { listLicenses } from "../routes/licensing.ts";
import { eachRecord, rewriteQuery, rewriteReply, type Mutant } from "./types.ts";

// Derived from the operation table (spec/ontap.yaml), never listed by hand: a collection added to the spec is mutated too.
/** The collection GETs. */
const COLLECTIONS = collections().map((c) => c.operation.id);
/** Collection GETs whose records link to an item GET, and those item GETs. */
const LINKED = collections().filter((c) => c.item).map((c) => c.operation.id);
const ITEMS = collections().flatMap((c) => (c.item ? [c.item.id] : []));
/** Query parameters that steer a listing (the framework's, spec x-ontap-framework-params, and the paging token); everything else on a collection GET is a filter. */
const CONTROL = new Set([...frameworkParamNames(), PAGE_TOKEN_PARAM]);
/** GETs of one object at a path without parameters. */
const SINGLETONS: readonly string[] = operations().filter((o) => operationKind(o) === "singleton").map((o) => o.id);
/** Operations that answer with a job link. */
const ASYNC = operations().filter((o) => o.async).map((o) => o.id);

export const MUTANTS: Mutant[] = [
  // ---- schema
  {
    name: "schema.package-state-capitalised", category: "schema", breaks: "license_package.state must be one of its lower-case enum values",
    wrap: rewriteReply(["licenses_get", "license_get"], (r) => eachRecord(r.body, (p) => { if (p.state) p.state = p.state[0].toUpperCase() + p.state.slice(1); })),
  },
  {
    name: "schema.serial-number-integer", category: "schema", breaks: "licenses[].serial_number must be a string",
    wrap: rewriteReply(["licenses_get", "license_get"], (r) => eachRecord(r.body, (p) => (p.licenses ?? []).forEach((l: any) => { if (/^\d+$/.test(l.serial_number ?? "")) l.serial_number = Number(l.serial_number); }))),
  },
  {
    name: "schema.version-minor-missing", category: "schema", breaks: "version.minor is required",
    wrap: rewriteReply(["cluster_get", "node_get"], (r) => { delete (r.body as any)?.version?.minor; }),
  },
  {
    name: "schema.unknown-field", category: "schema", breaks: "records carry only documented fields (strict mode)",
    wrap: rewriteReply(["software_packages_collection_get", "software_package_get"], (r) => eachRecord(r.body, (p) => { p.checksum = "abc"; })),
  },
  {
    name: "schema.create-time-format", category: "schema", breaks: "create_time must be an ISO-8601 date-time",
    wrap: rewriteReply(["software_packages_collection_get", "software_package_get"], (r) => eachRecord(r.body, (p) => { if (p.create_time) p.create_time = "2019-02-04 19:00:00 +0000"; })),
  },
  {
    name: "schema.history-state-enum", category: "schema", breaks: "history state must be successful, canceled or skip_upgrade",
    wrap: rewriteReply(["software_history_collection_get"], (r) => eachRecord(r.body, (h) => { if (h.state === "successful") h.state = "success"; })),
  },
  {
    name: "schema.license-item-scope-capitalised", category: "schema", breaks: "a license package read by name has a scope of its enum (the listing is right)",
    wrap: rewriteReply(["license_get"], (r) => { const b = r.body as any; if (typeof b?.scope === "string") b.scope = b.scope.toUpperCase(); }),
  },
  {
    name: "schema.package-item-time-format", category: "schema", breaks: "a software package read by version has an ISO-8601 create_time (the listing is right)",
    wrap: rewriteReply(["software_package_get"], (r) => { const b = r.body as any; if (b?.create_time) b.create_time = "2019-02-04 19:00:00 +0000"; }),
  },
  {
    name: "schema.node-name-number", category: "schema", breaks: "a node's name is a string",
    wrap: rewriteReply(["cluster_nodes_get"], (r) => eachRecord(r.body, (n) => { if (typeof n.name === "string") n.name = n.name.length; })),
  },
  // ---- status
  {
    name: "status.history-needs-fields", category: "status", breaks: "a collection GET without `fields` is answered (with the keys and links)",
    wrap: rewriteReply(["software_history_collection_get"], (r, ctx) => {
      if (!ctx.query.get("fields")) return { status: 400, headers: r.headers, body: { error: { code: "262185", message: "Invalid value: fields is required.", target: "fields" } } };
    }),
  },
  {
    name: "status.license-create-200", category: "status", breaks: "license POST answers 201 Created",
    wrap: rewriteReply(["license_create"], (r) => { if (r.status === 201) r.status = 200; }),
  },
  {
    name: "status.missing-item-200", category: "status", breaks: "a missing item answers 404",
    wrap: rewriteReply(ITEMS, (r, ctx) => (r.status === 404 ? { status: 200, body: { name: ctx.pathParams.name ?? "x", version: ctx.pathParams.version, uuid: ctx.pathParams.uuid } } : r)),
  },
  {
    name: "status.bad-input-500", category: "status", breaks: "bad input answers 4xx, never 5xx",
    wrap: rewriteReply(["licenses_get", "license_delete", "software_package_create"], (r) => (r.status >= 400 && r.status < 500 ? { status: 500, body: { error: { code: "262145", message: "Unexpected application exception." } } } : r)),
  },
  {
    name: "status.patch-software-201", category: "status", breaks: "PATCH /cluster/software answers 200 or 202, not 201",
    wrap: rewriteReply(["software_modify"], (r) => { if (r.status === 202) r.status = 201; }),
  },
  {
    name: "status.get-return-timeout-refused", category: "status", breaks: "return_timeout is accepted on GETs (the docs' own example requests send return_timeout=15)",
    wrap: rewriteReply(["software_get", "software_packages_collection_get"], (r, ctx) => (ctx.query.has("return_timeout") ? { status: 400, body: { error: { code: "262179", message: "Unexpected argument \"return_timeout\".", target: "return_timeout" } } } : r)),
  },
  {
    name: "licensing.unlicensed-item-hidden", category: "licensing", breaks: "an unlicensed package can be read by name",
    wrap: rewriteReply(["license_get"], (r) => ((r.body as any)?.state === "unlicensed" ? { status: 404, body: { error: { code: "4", message: "entry doesn't exist", target: "name" } } } : r)),
  },
  // ---- error envelope
  {
    name: "envelope.flat", category: "envelope", breaks: "errors come as {\"error\": {code, message}}",
    wrap: rewriteReply(["license_get", "software_package_get", "job_get", "licenses_get"], (r) => { if (r.status >= 400 && (r.body as any)?.error) r.body = (r.body as any).error; }),
  },
  {
    name: "envelope.code-number", category: "envelope", breaks: "the error code is a JSON string",
    // On every reply, so errors raised before a handler runs (bad input, injected faults) break too.
    rewriteResponse: (r) => {
      const b = r.body as any;
      for (const e of [b?.error, ...(Array.isArray(b?.errors) ? b.errors : [])]) if (e?.code) e.code = Number(e.code);
    },
  },
  {
    name: "envelope.no-message", category: "envelope", breaks: "an error carries a message",
    wrap: rewriteReply(["license_get", "licenses_get", "software_package_get"], (r) => { delete (r.body as any)?.error?.message; }),
  },
  {
    name: "envelope.undocumented-code", category: "envelope", breaks: "error codes are documented for the operation or common",
    wrap: rewriteReply(["licenses_get", "software_modify"], (r) => { const e = (r.body as any)?.error; if (e) e.code = "999999"; }),
  },
  // ---- media type
  {
    name: "media.text-plain", category: "media", breaks: "JSON bodies are served as application/hal+json or application/json",
    wrap: rewriteReply(["licenses_get", "software_packages_collection_get"], (r) => { r.headers = { ...r.headers, "content-type": "text/plain" }; }),
  },
  // ---- query semantics
  {
    name: "query.filter-ignored", category: "query", breaks: "filters select records",
    wrap: rewriteQuery(COLLECTIONS, (q, ctx) => { for (const k of [...q.keys()]) if (!CONTROL.has(k) && !(k in ctx.op.defaultFilters)) q.delete(k); }),
  },
  {
    name: "query.negation-ignored", category: "query", breaks: "`!x` selects records whose field is not x",
    wrap: rewriteQuery(COLLECTIONS, (q) => { for (const [k, v] of [...q]) if (!CONTROL.has(k) && v.startsWith("!") && v !== "!null") q.set(k, v.slice(1)); }),
  },
  {
    name: "query.fields-leak", category: "query", breaks: "collections return only keys and links unless fields asks for more",
    wrap: rewriteQuery(COLLECTIONS, (q) => { if (!q.get("fields")) q.set("fields", "*"); }),
  },
  {
    name: "query.history-default-keys-only", category: "query", breaks: "history records, which have no self link, come with all their attributes by default (docs 002, history)",
    wrap: rewriteQuery(["software_history_collection_get"], (q, ctx) => { if (q.get("fields") === null) q.set("fields", ctx.op.keys.join(",")); }),
  },
  {
    name: "query.fields-dropped", category: "query", breaks: "requested fields are returned",
    wrap: rewriteReply([...COLLECTIONS, "license_get"], (r, ctx) => {
      const f = ctx.query.get("fields");
      const keys = new Set(["_links", ...ctx.op.keys.map((k) => k.split(".")[0])]);
      if (f && f !== "*" && f !== "**") eachRecord(r.body, (p) => { for (const k of Object.keys(p)) if (!keys.has(k)) delete p[k]; });
    }),
  },
  {
    name: "query.order-ignored", category: "query", breaks: "order_by orders records",
    wrap: rewriteQuery(COLLECTIONS, (q) => { q.delete("order_by"); }),
  },
  {
    name: "query.max-records-ignored", category: "query", breaks: "max_records caps a page",
    wrap: rewriteQuery(COLLECTIONS, (q) => { q.delete("max_records"); }),
  },
  {
    name: "query.next-missing", category: "query", breaks: "a page that is not the last has a next link",
    wrap: rewriteReply(COLLECTIONS, (r) => { delete (r.body as any)?._links?.next; if (r.headers) delete r.headers.link; }),
  },
  {
    name: "query.pages-overlap", category: "query", breaks: "pages are disjoint",
    wrap: (() => {
      // What each mock carries from a page to the next (one map per mock: a process may start this mutant twice).
      const carriedBy = new WeakMap<object, Map<string, unknown>>();
      return rewriteReply(COLLECTIONS, (r, ctx, state) => {
        let carried = carriedBy.get(state);
        if (!carried) carriedBy.set(state, (carried = new Map()));
        const body = r.body as any;
        const key = `${ctx.path}${ctx.url.search}`;
        const prev = carried.get(key);
        if (prev && Array.isArray(body?.records)) { body.records.unshift(prev); body.num_records = body.records.length; }
        const next = body?._links?.next?.href;
        if (next && body.records.length) { const u = new URL(next, "http://x"); carried.set(`${u.pathname}${u.search}`, body.records[body.records.length - 1]); }
      });
    })(),
  },
  {
    name: "query.return-records-ignored", category: "query", breaks: "return_records=false returns the count only",
    wrap: rewriteQuery(COLLECTIONS, (q) => { q.delete("return_records"); }),
  },
  {
    name: "query.num-records-off-by-one", category: "query", breaks: "num_records equals the number of records",
    wrap: rewriteReply(COLLECTIONS, (r) => { const b = r.body as any; if (Array.isArray(b?.records)) b.num_records = b.records.length + 1; }),
  },
  {
    name: "query.limits-unchecked", category: "query", breaks: "integer query parameters outside their documented bounds are rejected",
    rewriteRequest: (url) => {
      const clamp = (k: string, lo: number, hi: number) => { const v = url.searchParams.get(k); if (v !== null && /^-?\d+$/.test(v)) url.searchParams.set(k, String(Math.min(hi, Math.max(lo, Number(v))))); };
      clamp("return_timeout", 0, 120);
      clamp("max_records", 0, Number.MAX_SAFE_INTEGER);
    },
  },
  {
    name: "query.unknown-parameter-accepted", category: "query", breaks: "an undocumented query parameter is rejected with 262179",
    rewriteRequest: (url) => { for (const k of [...url.searchParams.keys()]) if (k.startsWith("ontap_conformance_")) url.searchParams.delete(k); },
  },
  {
    name: "query.singleton-max-records-rejected", category: "query", breaks: "a singleton GET accepts the max_records NetApp's clients send (x-ontap-framework-params)",
    wrap: (op, h) => (SINGLETONS.includes(op) ? (ctx) => { if (ctx.query.has("max_records")) throw new OntapError(400, 262179, 'Unexpected argument "max_records".', { target: "max_records" }); return h(ctx); } : undefined),
  },
  {
    name: "query.write-return-timeout-rejected", category: "query", breaks: "a synchronous write accepts the return_timeout NetApp's clients send (x-ontap-framework-params)",
    wrap: (op, h) => (["license_create", "license_delete"].includes(op) ? (ctx) => { if (ctx.query.has("return_timeout")) throw new OntapError(400, 262179, 'Unexpected argument "return_timeout".', { target: "return_timeout" }); return h(ctx); } : undefined),
  },
  // ---- HAL links
  {
    name: "hal.links-in-plain-json", category: "hal", breaks: "with Accept: application/json only the next link is returned",
    wrap: rewriteReply(COLLECTIONS, (r) => { r.keepLinks = true; }),
  },
  {
    name: "hal.self-wrong", category: "hal", breaks: "a record's self link leads to that record",
    wrap: rewriteReply(LINKED, (r) => {
      const recs = (r.body as any)?.records;
      if (Array.isArray(recs) && recs.length > 1) {
        const hrefs = recs.map((x: any) => x._links?.self?.href);
        recs.forEach((x: any, i: number) => { if (x._links?.self) x._links.self.href = hrefs[(i + 1) % hrefs.length]; });
      }
    }),
  },
  {
    name: "hal.job-link-stripped", category: "hal", breaks: "with Accept: application/json an asynchronous answer keeps job._links",
    wrap: rewriteReply(ASYNC, (r, ctx) => { if (ctx.plainJson) delete (r.body as any)?.job?._links; }),
  },
  // ---- jobs
  {
    name: "jobs.link-without-uuid", category: "jobs", breaks: "a job link carries the job's uuid",
    wrap: rewriteReply(ASYNC, (r) => { delete (r.body as any)?.job?.uuid; }),
  },
  {
    name: "jobs.broken-link", category: "jobs", breaks: "a job link points at /api/cluster/jobs/{uuid}",
    wrap: rewriteReply(ASYNC, (r) => { const j = (r.body as any)?.job; if (j?._links?.self) j._links.self.href = "/api/cluster/jobs/00000000-0000-4000-8000-000000000000"; }),
  },
  {
    name: "jobs.never-terminal", category: "jobs", breaks: "jobs end in success or failure",
    wrap: rewriteReply(["job_get"], (r) => { const j = r.body as any; if (j?.state === "success" || j?.state === "failure") { j.state = "running"; delete j.end_time; } }),
  },
  {
    name: "jobs.unknown-state", category: "jobs", breaks: "a job's state is queued, running, paused, success or failure",
    wrap: rewriteReply(["job_get"], (r) => { const j = r.body as any; if (j?.state === "success") j.state = "done"; }),
  },
  // ---- licensing semantics
  {
    name: "licensing.install-noop", category: "licensing", breaks: "a valid key installs its package",
    wrap: (op, h) => (op === "license_create" ? (ctx) => { const keys = (ctx.body as any)?.keys ?? []; return keys.length ? { status: 201, body: { num_records: 0 }, headers: { location: "/api/cluster/licensing/licenses" } } : h(ctx); } : undefined),
  },
  {
    name: "licensing.delete-noop", category: "licensing", breaks: "DELETE removes the license",
    wrap: (op) => (op === "license_delete" ? () => ({ status: 200 }) : undefined),
  },
  {
    name: "licensing.invalid-key-accepted", category: "licensing", breaks: "an invalid key is rejected",
    wrap: rewriteReply(["license_create"], (r) => (r.status >= 400 && !/1115130/.test(JSON.stringify(r.body)) ? { status: 201, body: { num_records: 0 }, headers: { location: "/api/cluster/licensing/licenses" } } : r)),
  },
  {
    name: "licensing.state-not-derived", category: "licensing", breaks: "a package's state follows from its licenses",
    wrap: rewriteReply(["licenses_get", "license_get"], (r) => eachRecord(r.body, (p) => { if (p.state === "noncompliant" || p.state === "unknown") p.state = "compliant"; })),
  },
  {
    name: "licensing.unlicensed-shown", category: "licensing", breaks: "the default listing hides unlicensed packages",
    // The listing's default filters lifted (x-ontap-default-filters: state=* where no state query is given).
    wrap: rewriteQuery(["licenses_get"], (q) => { for (const [param, all] of Object.entries(completeQuery("licenses_get"))) if (!q.has(param)) q.set(param, all); }),
  },
  // ---- software semantics
  {
    name: "software.validate-starts-upgrade", category: "software", breaks: "validate_only changes nothing",
    wrap: rewriteQuery(["software_modify"], (q) => { if (/^true$/i.test(q.get("validate_only") ?? "")) { q.delete("validate_only"); q.set("skip_warnings", "true"); } }),
  },
  {
    name: "software.illegal-action-accepted", category: "software", breaks: "an action outside its state is rejected",
    wrap: rewriteReply(["software_modify"], (r, ctx) => (ctx.query.get("action") && r.status >= 400 ? { status: 202, body: { job: { uuid: "1cd8a442-86d1-11e0-ae1c-123478563499", _links: { self: { href: "/api/cluster/jobs/1cd8a442-86d1-11e0-ae1c-123478563499" } } } } } : r)),
  },
  {
    name: "software.history-not-written", category: "software", breaks: "a completed update adds history records",
    setup: (state) => { const initial = structuredClone(state.software.history); Object.defineProperty(state.software, "history", { get: () => structuredClone(initial), set: () => undefined }); },
  },
  {
    name: "software.download-never-finishes", category: "software", breaks: "a download job ends",
    setup: (state) => {
      const original = state.software.startDownload.bind(state.software);
      state.software.startDownload = (body) => {
        const out = original(body);
        state.jobs.get(out.job.uuid).description = "POST /api/cluster/software/download";
        (state.jobs as any).jobs.delete(out.job.uuid);
        const stuck = { ...out.job, state: "running" as const, message: "Downloading" };
        (state.jobs as any).jobs.set(stuck.uuid, stuck);
        return { ...out, job: stuck };
      };
    },
  },
  {
    name: "software.package-listed-early", category: "software", breaks: "a package is listed only after its download succeeded",
    setup: (state) => {
      // The download job lasts 60 times longer (as a real download takes minutes), so the check can list the
      // packages while it runs; the rest of the mock keeps its clock (a slow clock everywhere made the full
      // upgrade take a minute of this mutant's run).
      const start = state.jobs.start.bind(state.jobs);
      state.jobs.start = (description, durationMs, work) => start(description, description === "POST /api/cluster/software/download" ? durationMs * 60 : durationMs, work);
      const original = state.software.startDownload.bind(state.software);
      state.software.startDownload = (body) => {
        const out = original(body);
        state.software.packages.push({ version: out.version, create_time: state.clock.isoNow() });
        return out;
      };
    },
  },
  {
    name: "software.stabilize-unchecked", category: "software", breaks: "stabilize_minutes outside 1..60 is rejected",
    rewriteRequest: (url) => { const v = url.searchParams.get("stabilize_minutes"); if (v !== null && (Number(v) < 1 || Number(v) > 60)) url.searchParams.set("stabilize_minutes", "8"); },
  },
  {
    name: "software.package-delete-noop", category: "software", breaks: "a successful delete job removes the package",
    setup: (state) => { state.software.deletePackage = (version: string) => state.jobs.start(`DELETE /api/cluster/software/packages/${version}`, 2_000, () => ({ ok: true })); },
  },
  {
    name: "software.upload-several-files", category: "software", breaks: "an upload carries exactly one file (10551807)",
    setup: (state) => { const original = state.software.startUpload.bind(state.software); state.software.startUpload = (files) => original(files.slice(0, 1)); },
  },
  {
    name: "schema.download-state-enum", category: "schema", breaks: "the download state is not_started, running, success or failure",
    wrap: rewriteReply(["software_download_get"], (r) => { const b = r.body as any; if (b?.state === "not_started" || b?.state === "success") b.state = "idle"; }),
  },
  {
    name: "schema.node-version-number", category: "schema", breaks: "nodes[].version of the software profile is a string",
    wrap: rewriteReply(["software_get"], (r) => { for (const n of (r.body as any)?.nodes ?? []) if (typeof n.version === "string") n.version = Number(n.version.split(".").slice(0, 2).join(".")); }),
  },
  // ---- version handling
  {
    name: "version.field-early", category: "version", breaks: "a field is not served before the version that introduced it",
    options: { ontapVersion: "9.10.1" },
    wrap: rewriteReply(["licenses_get", "license_get"], (r) => eachRecord(r.body, (p) => (p.licenses ?? []).forEach((l: any) => { if (l.capacity) l.capacity.measurement_unit = "bytes"; }))),
  },
  // ---- found by the requirements inventory (spec/requirements.yaml), one per new check
  {
    name: "licensing.node-scope-ignored", category: "licensing", breaks: "a node-scoped package without a license for every node is not compliant (000 Licensing terms > Scope)",
    // The package keeps its compliant state while one node's licenses are gone from it.
    wrap: rewriteReply(["licenses_get", "license_get"], (r) => eachRecord(r.body, (p) => {
      const owners = [...new Set((p.licenses ?? []).map((l: any) => l.owner))];
      if (p.scope === "node" && p.state === "compliant" && owners.length > 1) p.licenses = p.licenses.filter((l: any) => l.owner !== owners[owners.length - 1]);
    })),
  },
  {
    name: "licensing.base-listed", category: "licensing", breaks: "from 9.11.1 the license listing returns no Base license record (000 Retrieve license packages)",
    // The reference listing with the Base record kept: filters, paging and fields apply to it as to any package.
    wrap: (op, _handler, state) => (op === "licenses_get" ? (ctx) => listLicenses(state, ctx, { listBase: true }) : undefined),
  },
  {
    name: "query.fields-braces-ignored", category: "query", breaks: "fields=b.{c,d} selects b.c and b.d only (ref §5.2)",
    wrap: rewriteQuery(["licenses_get"], (q) => { const f = q.get("fields"); if (f && /\.\{[^{}]*\}/.test(f)) q.set("fields", f.replace(/\.\{[^{}]*\}/g, "")); }),
  },
  {
    name: "software.return-timeout-waits", category: "software", breaks: "without return_timeout (default 0) an asynchronous PATCH answers 202 at once (002 return_timeout)",
    rewriteRequest: (url, method) => { if (method === "PATCH" && url.pathname.replace(/\/+$/, "") === "/api/cluster/software" && !url.searchParams.has("return_timeout")) url.searchParams.set("return_timeout", "120"); },
  },
  {
    name: "jobs.failure-without-code", category: "jobs", breaks: "a failed job carries its error code and error (ref §5.4)",
    wrap: rewriteReply(["job_get"], (r) => { const j = r.body as any; if (j?.state === "failure") { j.code = 0; delete j.error; } }),
  },
  {
    name: "licensing.delete-without-serial", category: "licensing", breaks: "a license DELETE without serial_number (required) is rejected (000 Delete a license > Parameters)",
    rewriteRequest: (url, method) => { if (method === "DELETE" && /^\/api\/cluster\/licensing\/licenses\/[^/]+\/?$/.test(url.pathname) && !url.searchParams.has("serial_number")) url.searchParams.set("serial_number", "*"); },
  },
  {
    name: "licensing.create-records-ignored", category: "licensing", breaks: "a license POST with return_records=true returns the installed records (000 Install > Parameters)",
    wrap: rewriteReply(["license_create"], (r) => { const b = r.body as any; if (Array.isArray(b?.records)) delete b.records; }),
  },
];

/** A fixed sample for `npm test`: six mutants, each of another category (schema, status, envelope, query, licensing, software), quick to kill. */
export const SAMPLE = ["schema.package-state-capitalised", "status.license-create-200", "envelope.flat", "query.num-records-off-by-one", "licensing.unlicensed-shown", "software.validate-starts-upgrade"];

export function findMutant(name: string): Mutant {
  const m = MUTANTS.find((x) => x.name === name);
  if (!m) throw new OntapError(400, 262185, `unknown mutant ${name}`);
  return m;
}
