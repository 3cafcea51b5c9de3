// The legal-variant catalog: each entry changes the reference mock's answers
// in exactly one way a real ONTAP cluster may legally answer, and cites why
// that is legal. `ontap-conformance variants` runs the suite against each, in
// default and strict mode; every run must be conformant (no check may fail a
// legal answer). The mirror of mock/mutants/catalog.ts.
//
// Sources: "ref §n" is spec/sources/ontap-reference.md; "docs 00n" the pages
// in spec/sources/; RFCs for HTTP and JSON.
import { commonErrorCodes, matchOperation } from "../../src/contract/index.ts";
import { OntapError } from "../errors.ts";
import type { Reply } from "../server/types.ts";
import type { MockState } from "../scenarios/index.ts";
import { rewriteQuery, rewriteReply } from "../mutants/types.ts";
import { hash, repage } from "./paging.ts";
import { eachObject, seeded, type Variant, type WireAnswer } from "./types.ts";

const ASYNC = ["software_modify", "software_package_create", "software_package_delete", "software_upload"];

function isJson(a: WireAnswer): boolean {
  return /json/i.test(String(a.headers["content-type"] ?? "")) && a.body.length > 0;
}

/** Every error object of a body: `error`, `errors[]`, and a failed job's `error`. */
function errorObjects(body: unknown): Array<Record<string, unknown>> {
  const b = body as Record<string, any> | undefined;
  if (!b || typeof b !== "object") return [];
  const out: Array<Record<string, unknown>> = [];
  if (b.error && typeof b.error === "object") out.push(b.error);
  if (Array.isArray(b.errors)) out.push(...b.errors.filter((e: unknown) => e && typeof e === "object"));
  return out;
}

/** A private copy of a reply's body: handlers may hand out objects the mock's state still holds. */
function own(reply: Reply): any {
  if (reply.body !== undefined) reply.body = structuredClone(reply.body);
  return reply.body;
}

/** The same JSON value with every object's members in another order. */
function shuffleMembers(value: unknown, rnd: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleMembers(v, rnd));
  if (!value || typeof value !== "object") return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleMembers(v, rnd)]));
}

/** Real ms a job of the slow-jobs variant stays queued, and at least lasts. */
const SLOW_QUEUED_MS = 150;
const SLOW_JOB_MS = 400;

function slowJobs(state: MockState, queuedUntil: Map<string, number>): void {
  const start = state.jobs.start.bind(state.jobs);
  state.jobs.start = (description, durationMs, work) => {
    const job = start(description, Math.max(durationMs, SLOW_JOB_MS * state.clock.speed), work);
    queuedUntil.set(job.uuid, Date.now() + SLOW_QUEUED_MS);
    return job;
  };
}

const slowQueuedUntil = new Map<string, number>();

export const VARIANTS: Variant[] = [
  // ---- JSON formatting
  {
    name: "json.pretty-printed", category: "json",
    changes: "every JSON body is indented (two spaces a level) and ends with a newline",
    legal: "RFC 8259 §2: insignificant whitespace is allowed around any structural character; ONTAP itself pretty-prints with pretty=true (ref §5.3, other global parameters)",
    wire: { answer: (a) => { if (isJson(a)) a.body = Buffer.from(`${JSON.stringify(JSON.parse(a.body.toString("utf8")), null, 2)}\n`); } },
  },
  {
    name: "json.member-order-shuffled", category: "json",
    changes: "the members of every JSON object come in another order, different from answer to answer",
    legal: "RFC 8259 §4: an object is an unordered collection of name/value pairs; no ONTAP source gives a member order",
    rewriteResponse: (() => {
      const rnd = seeded(18);
      return (reply: Reply) => { if (reply.body !== undefined) reply.body = shuffleMembers(reply.body, rnd); };
    })(),
  },
  {
    name: "json.escaped-solidus", category: "json",
    changes: "every \"/\" in a JSON string is written as the escape \"\\/\" (hrefs read \"\\/api\\/cluster\\/…\")",
    legal: "RFC 8259 §7: any character may be escaped, and \\/ is one of the short escapes; the value is the same string",
    wire: { answer: (a) => { if (isJson(a)) a.body = Buffer.from(a.body.toString("utf8").replace(/\//g, "\\/")); } },
  },
  // ---- media types
  {
    name: "media.charset-utf8", category: "media",
    changes: "Content-Type carries a charset parameter: application/hal+json; charset=utf-8 (and application/json; charset=utf-8)",
    legal: "RFC 9110 §8.3.1: a media type may carry parameters; RFC 8259 §11: a charset parameter on JSON has no effect on compliant recipients; JSON is UTF-8 (RFC 8259 §8.1)",
    wire: { answer: (a) => { const ct = a.headers["content-type"]; if (typeof ct === "string" && /json/.test(ct) && !/charset/i.test(ct)) a.headers["content-type"] = `${ct}; charset=utf-8`; } },
  },
  // ---- transport
  {
    name: "transport.chunked", category: "transport",
    changes: "bodies come with Transfer-Encoding: chunked, in several chunks, without Content-Length",
    legal: "RFC 9112 §6.1 and §7.1: a server may frame any HTTP/1.1 response body with chunked transfer coding instead of Content-Length",
    wire: { chunked: true },
  },
  {
    name: "transport.connection-close", category: "transport",
    changes: "every answer carries Connection: close and the server closes the connection after it",
    legal: "RFC 9112 §9.6: a server may close a connection after any response, announcing it with Connection: close; the client opens a new one",
    wire: { close: true },
  },
  // ---- extra response headers
  {
    name: "headers.extra", category: "headers",
    changes: "every answer carries more headers: Set-Cookie (a session cookie), Vary: Accept, X-Dot-Cluster-UUID, Strict-Transport-Security, X-Frame-Options and a Link to itself",
    legal: "RFC 9110 §5.1: recipients ignore header fields they do not recognise; RFC 6265 §4.1 (Set-Cookie), RFC 9110 §12.5.5 (Vary), RFC 8288 (Link); ONTAP's own X-Dot-* headers (ref §5.8)",
    wire: {
      answer: (a) => {
        a.headers["set-cookie"] = ["sessionid=0123456789abcdef0123456789abcdef; Path=/; Secure; HttpOnly; SameSite=Strict"];
        a.headers.vary = "Accept, Accept-Encoding";
        a.headers["x-dot-cluster-uuid"] = "5bd3a7e1-3a2d-11f0-8000-005056bb0001";
        a.headers["strict-transport-security"] = "max-age=31536000; includeSubDomains";
        a.headers["x-frame-options"] = "DENY";
        const self = `<${a.url.split("?")[0]}>; rel="self"`;
        a.headers.link = a.headers.link ? `${a.headers.link}, ${self}` : self;
      },
    },
  },
  // ---- timing
  {
    name: "timing.jitter", category: "timing",
    changes: "every answer is held back by a random 0-12 ms, so answers to concurrent requests arrive in another order",
    legal: "no source promises an answer time: a GET may take up to return_timeout (default 15 s) and async writes answer 202 when they will take longer (ref §5.3, §5.4)",
    wire: { delayMs: (() => { const rnd = seeded(22); return () => Math.floor(rnd() * 13); })() },
  },
  // ---- page sizes and paging links
  {
    name: "paging.short-pages", category: "paging",
    changes: "a page holds about half of max_records (at least one record) and links to the rest, as when return_timeout runs out first",
    legal: "ref §5.3: when return_timeout or max_records is hit, the response holds the records gathered so far plus _links.next; max_records is a cap, not a promise",
    ...repage({ size: (max) => (max === undefined ? undefined : Math.ceil(max / 2)) }),
  },
  {
    name: "paging.unpaged-split", category: "paging",
    changes: "a listing asked without max_records comes in pages of 3 records with next links",
    legal: "ref §5.3: return_timeout (default 15 s on GET) ends a page too, with the records so far and _links.next.href, whether or not max_records was given",
    ...repage({ size: (max) => (max === undefined ? 3 : undefined) }),
  },
  {
    name: "paging.key-token", category: "paging",
    changes: "next links name the next record (/api/…?start.name=<opaque>&…, parameters in another order) instead of the reference's start.cursor offset token",
    legal: "ref §5.3: next hrefs look like /api/storage/aggregates?start.aggregate=aggr25&max_records=25 and are to be treated as opaque; spec/conventions.md §3: follow next as given",
    ...repage({ keyToken: true }),
  },
  {
    name: "paging.next-on-last-page", category: "paging",
    changes: "the page that ends a listing still carries a next link, to an empty page without one",
    legal: "ref §5.3: a next link may appear even when no records remain; spec/conventions.md §3",
    ...repage({ nextOnLast: true }),
  },
  {
    name: "paging.partial-count", category: "paging",
    changes: "return_records=false counts at most 2 records per answer and links to the rest of the count",
    legal: "ref §5.3: with return_records=false, if a threshold is hit the count is partial; follow next and add the counts",
    ...repage({ countCap: 2 }),
  },
  // ---- record order without order_by
  {
    name: "order.reversed", category: "order",
    changes: "without order_by, records come in the reverse of the reference's natural order (identifying key descending)",
    legal: "no source defines the order of records when no order_by is asked (ref §5.3 sorts only with order_by); paging stays consistent",
    ...repage({ order: (rs) => [...rs].reverse() }),
  },
  {
    name: "order.shuffled", category: "order",
    changes: "without order_by, records come in a stable pseudo-random order (by a hash of their key)",
    legal: "no source defines the order of records when no order_by is asked (ref §5.3 sorts only with order_by); paging stays consistent",
    ...repage({ order: (rs, keys) => [...rs].sort((a, b) => hash(JSON.stringify(keys.map((k) => k.split(".").reduce<any>((v, p) => v?.[p], a)))) - hash(JSON.stringify(keys.map((k) => k.split(".").reduce<any>((v, p) => v?.[p], b))))) }),
  },
  // ---- job timing and what becomes visible when
  {
    name: "jobs.slow", category: "jobs",
    changes: `every job stays queued for ${SLOW_QUEUED_MS} ms and lasts at least ${SLOW_JOB_MS} ms; what it changes (a downloaded or uploaded package, a deleted one) shows only once it succeeded, and the Location of a 202 answers 404 until then`,
    legal: "ref §5.4: an async write answers 202 with a job that moves queued → running → success|failure, and the Location of a 202 may 404 until the job finishes; docs 003 (Downloading the software package): the job's state is success when the package is fully created",
    setup: (state) => slowJobs(state, slowQueuedUntil),
    wrap: rewriteReply(["job_get"], (r) => {
      const job = own(r);
      if (job?.state === "running" && (slowQueuedUntil.get(job.uuid) ?? 0) > Date.now()) {
        job.state = "queued";
        job.message = "Queued";
      }
    }),
  },
  {
    name: "jobs.always-202", category: "jobs",
    changes: "return_timeout is never waited for: every async write answers 202 with its job at once",
    legal: "ref §5.4: with a non-zero return_timeout ONTAP waits that long and *may* return the final code instead; 202 is documented for every async operation (ref §1)",
    wrap: rewriteQuery(ASYNC, (q) => { q.delete("return_timeout"); }),
  },
  // ---- error wording and arguments
  {
    name: "errors.reworded", category: "errors",
    changes: "every error message (and a failed job's message) is worded differently; codes and statuses stay",
    legal: "ref §2.11: message is a free string of returned_error; the error code is what identifies an error (docs 000, ONTAP Error Response Codes tables)",
    rewriteResponse: (reply, req) => {
      const reword = (e: Record<string, unknown>) => { e.message = `The operation could not be completed (reason code ${String(e.code)}).`; };
      for (const e of errorObjects(own(reply))) reword(e);
      const b = reply.body as any;
      if (req.path.startsWith("/api/cluster/jobs/") && b?.state === "failure") {
        b.message = `The job failed (reason code ${String(b.code)}).`;
        if (b.error) reword(b.error);
      }
    },
  },
  {
    name: "errors.extra-arguments", category: "errors",
    changes: "every error (and a failed job's error) carries arguments: [{code, message}]",
    legal: "ref §2.11: returned_error has arguments, an array of error_arguments {code, message}; clients ask for them with X-Dot-Error-Arguments (ref §5.8)",
    rewriteResponse: (reply) => {
      const b = own(reply);
      const all = [...errorObjects(b), ...(b?.state === "failure" && b?.error ? [b.error] : [])];
      for (const e of all) if (!e.arguments) e.arguments = [{ code: String(e.code), message: String(e.message) }];
    },
  },
  {
    name: "errors.no-target", category: "errors",
    changes: "no error carries target",
    legal: "ref §2.11: S3's getting-started page (Error objects) says target is optional; the 9.16.1 definition dropped job error.target",
    rewriteResponse: (reply) => { for (const e of errorObjects(own(reply))) delete e.target; },
  },
  {
    name: "errors.target-added", category: "errors",
    changes: "every error that has no target names one: the field or path parameter the request concerns (name, version, uuid, keys, url, version, file, or the first query parameter)",
    legal: "ref §2.11: returned_error.target is an optional read-only string (example \"uuid\") naming the field in error; S3's getting-started page (Error objects) shows it on any error",
    rewriteResponse: (reply, req) => {
      if (reply.status < 400) return;
      const path = req.path.replace(/\/+$/, "");
      const target = /\/licensing\/licenses\/[^/]+$/.test(path) ? "name"
        : /\/software\/packages\/[^/]+$/.test(path) ? "version"
          : /\/jobs\/[^/]+$/.test(path) ? "uuid"
            : req.method === "POST" && path.endsWith("/licensing/licenses") ? "keys"
              : req.method === "POST" && path.endsWith("/software/download") ? "url"
                : req.method === "POST" && path.endsWith("/software/upload") ? "file"
                  : req.method === "PATCH" && path.endsWith("/cluster/software") ? "version"
                    : [...req.query.keys()][0];
      if (target === undefined) return;
      for (const e of errorObjects(own(reply))) if (e.target === undefined) e.target = target;
    },
  },
  {
    name: "errors.endpoint-codes-400", category: "errors",
    changes: "an endpoint-specific error the reference answers 404 or 409 (package not found, update in progress, not paused, image exists, ...) comes with status 400; the code stays",
    legal: "ref §3 and §7: the endpoint error tables give codes, not HTTP statuses, and which status a real cluster uses for each is not known; 400 is ONTAP's status for a request it will not carry out (ref §5.5). Common codes keep their documented status (ref §5.6)",
    wrap: rewriteReply(["*"], (r) => {
      const common = commonErrorCodes();
      const codes = errorObjects(r.body).map((e) => String(e.code));
      if ((r.status === 404 || r.status === 409) && codes.length && codes.every((c) => !(c in common))) r.status = 400;
    }),
  },
  // ---- the license POST's error envelope
  {
    name: "envelope.license-post-singular", category: "envelope",
    changes: "license POST errors come as {\"error\": {...}} (several as one error whose arguments list each) instead of {\"errors\": [...]}",
    legal: "the sources disagree (ref §7, issue 18 item 5): the definition says error_responses {errors: [...]}; the getting-started page's error object and NetApp's own client (netapp.ontap's send_request reads json['error']) use {error: {...}}",
    quirk: "license-post-error-singular",
    rewriteResponse: (reply, req) => {
      if (req.method !== "POST" || req.path.replace(/\/+$/, "") !== "/api/cluster/licensing/licenses" || reply.status < 400) return;
      const b = own(reply);
      if (!Array.isArray(b?.errors) || !b.errors.length) return;
      const [first, ...rest] = b.errors;
      reply.body = { error: rest.length ? { ...first, arguments: [...(first.arguments ?? []), ...b.errors.map((e: any) => ({ code: e.code, message: e.message }))] } : first };
    },
  },
  // ---- a release newer than the spec
  {
    name: "release.newer-fields", category: "release",
    changes: "the cluster runs ONTAP 9.20.1 (newer than the spec's newest, 9.19.1), whose records carry fields the spec does not know",
    legal: "every release adds fields (ref §2, the 'since' column); a release newer than spec/ontap.yaml's x-ontap-versions.newest may carry fields no definition the spec was written from has",
    options: { ontapVersion: "9.20.1" },
    rewriteResponse: (reply, req) => {
      if (reply.status >= 300 || req.method !== "GET" || !reply.body) return;
      // A new field shows wherever every standard field is returned (fields=* or **; an item GET
      // without fields; a listing whose records carry all their attributes by default), and a new
      // member of licenses[] wherever licenses is returned whole.
      const fields = req.query.get("fields");
      const entries = fields === null ? [] : fields.split(",").map((f) => f.trim());
      const all = entries.includes("*") || entries.includes("**");
      const keys = new Set(["_links", ...(matchOperation("GET", req.path.replace(/\/+$/, ""))?.op.keys ?? []).map((k) => k.split(".")[0])]);
      const add = (r: any, byDefault: boolean) => {
        if (!r || typeof r !== "object") return;
        if (all || byDefault) r.last_modified_time = "2027-03-01T10:00:00Z";
        if (Array.isArray(r.licenses) && (all || byDefault || entries.includes("licenses"))) for (const l of r.licenses) l.entitlement_id = "e-0001";
      };
      const b = own(reply);
      if (Array.isArray(b.records)) for (const r of b.records) add(r, fields === null && Object.keys(r).some((k) => !keys.has(k)));
      else if (!("num_records" in b)) add(b, fields === null);
    },
  },
  // ---- HAL and plain JSON
  {
    name: "hal.self-hrefs-as-docs-show", category: "hal",
    changes: "self links in the form the licensing page's examples show: a collection's own self link with a slash before the query (/api/cluster/licensing/licenses/?fields=*&name=…), a license package's self link with a trailing slash (/api/cluster/licensing/licenses/fabricpool/)",
    legal: "docs 000 (Examples: retrieving licenses with fields=*, retrieving a package by name) show exactly these hrefs; next and self hrefs are to be followed as given (ref §5.3, spec/conventions.md §3)",
    rewriteResponse: (reply, req) => {
      const b = reply.body as any;
      const href = b?._links?.self?.href;
      if (reply.status >= 300 || req.method !== "GET" || typeof href !== "string") return;
      const [path, query] = href.split("?");
      if ("num_records" in b) own(reply)._links.self.href = `${path.replace(/\/+$/, "")}/${query === undefined ? "" : `?${query}`}`;
      else if (/^\/api\/cluster\/licensing\/licenses\/[^/?]+$/.test(href)) own(reply)._links.self.href = `${href}/`;
    },
  },
  // ---- optional values left out
  {
    name: "shape.zero-omitted", category: "shape",
    changes: "optional numbers that are 0 are left out of every answer but listings (a successful job's code, the download status's code, durations and counts of the software profile and of items)",
    legal: "the definitions give these objects no required list (ref §2.1, §2.4, §2.7, §2.10: optional, read-only fields); a client must read a missing optional field as unset. Listings keep them: a server that filters on a value must show it, or the filter contradicts the answer (spec/conventions.md §1.3)",
    rewriteResponse: (reply) => {
      if (reply.status >= 300 || !reply.body || "num_records" in (reply.body as object)) return;
      eachObject(own(reply), (o) => { for (const [k, v] of Object.entries(o)) if (v === 0 && k !== "num_records") delete o[k]; });
    },
  },
  {
    name: "shape.empty-records-omitted", category: "shape",
    changes: "a listing with no records answers {num_records: 0} without a records array",
    legal: "ref §8 (NetApp's Ansible collection, S5): collections are {records, num_records}, records present whenever num_records > 0",
    rewriteResponse: (reply) => {
      const b = reply.body as any;
      if (reply.status === 200 && Array.isArray(b?.records) && !b.records.length) delete own(reply).records;
    },
  },
];

/** A fixed sample for `npm test`: two false alarms found and fixed, one of them a quirk --strict must fail. */
export const SAMPLE = ["paging.short-pages", "envelope.license-post-singular"];

export function findVariant(name: string): Variant {
  const v = VARIANTS.find((x) => x.name === name);
  if (!v) throw new OntapError(400, 262185, `unknown variant ${name}`);
  return v;
}
