// What a check works with: the target (discovered once), `call()` which sends
// one request of an operation and applies the generic contract checks, and
// `awaitJob()`. A departure from the contract ends the check with a message
// that says what was received, what is documented, and how to reproduce it.
// `call()` is typed by spec/generated/ontap.d.ts (src/contract/typed.ts): the
// operation id, its parameters and body, and the body of its answer.
import { backoff } from "./backoff.ts";
import { acceptedParamNames, existsIn, getOperation, matchOperation, validateResponse, documentedMediaTypes, type Operation, type Violation } from "../contract/index.ts";
import type { AnyOperation, ErrorFields, OperationId, Schemas, PathParams, QueryParams, ReplyBody, RequestBody } from "../contract/index.ts";
import { CheckError, CheckFailure, CheckSkip, NotTested, type Aspect } from "./outcomes.ts";
import type { Profile } from "./profiles.ts";
import type { ErrorCodeMet } from "./coverage.ts";
import type { Exchange, HttpClient, RequestSpec } from "./transport.ts";
import { ledgerRequestId, type Ledger } from "./ledger.ts";
import { hrefTarget } from "./paging.ts";
import { toCurl } from "./reproduce.ts";

export interface TargetInfo {
  url: string;
  username?: string;
  /** ONTAP version the target reports ("9.18.1"), undefined if it could not be read. */
  version?: string;
  clusterName?: string;
  nodes: Array<{ name: string; uuid: string; version?: string }>;
  profile: Profile;
  strict: boolean;
  insecure: boolean;
  seed: number;
  runs: number;
  /** The target is the embedded mock (its /__mock control API may be used). */
  embedded: boolean;
  /** The target accepts spec/test-keys.md keys (the embedded mock; other mocks by config). */
  acceptsTestKeys: boolean;
  /** The target accepts made-up package files and URLs (the embedded mock; other mocks by config). */
  acceptsTestPackages: boolean;
  /** Download URL of a package the target can fetch (config), for download round trips. */
  downloadUrl?: string;
  /** The target may be upgraded by the suite (the embedded mock; a cluster only by config). */
  allowUpgrade: boolean;
  /** The target understands the reference mock's /__mock/faults switch (the embedded mock; mutants by config). */
  faultSwitch?: boolean;
  /** How long awaitJob waits for a job before failing (default 60 s). */
  jobTimeoutMs?: number;
}

export interface CallParams {
  path?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: unknown;
  /** Send this exact text as the body (for malformed-input checks). */
  rawBody?: { text: string; contentType: string };
  multipart?: FormData;
  accept?: string;
  headers?: Record<string, string>;
  /**
   * Request this path and query exactly as given (a next or self link the
   * target answered with); it must be a path of `operationId`. Replaces
   * `path` and `query`.
   */
  href?: string;
  /** What the check expects: a success (default) or an error response. */
  expect?: "success" | "error" | "any";
  /**
   * Documented error codes that say the target cannot do this now, such as
   * 10551357 "a previous update is still in progress": where a success was
   * expected, such an answer ends the check as a skip that names it (a busy
   * cluster answering as documented is not a departure).
   */
  skipOn?: string[];
}

/**
 * What `call()` takes for operation `Id`: its path and query parameters by
 * name and its request body, as the generated types of spec/ontap.yaml say.
 * An id only known at run time (a check over every operation of the table)
 * takes the untyped `CallParams`; a request the contract does not allow
 * (malformed bodies, unknown parameters) goes through `callUnchecked()`.
 */
export type TypedCallParams<Id extends OperationId> = Omit<CallParams, "path" | "query" | "body"> & {
  path?: PathParams<Id>;
  query?: QueryParams<Id>;
  body?: RequestBody<Id>;
};
export type ParamsOf<Id extends OperationId> = AnyOperation<Id> extends true ? CallParams : TypedCallParams<Id>;
/**
 * A reply of an operation known only at run time: the error envelope, the
 * members every ONTAP collection answer has (spec/conventions.md §3; absent
 * from other answers), and whatever else the body holds, unknown.
 */
export type UntypedBody = ErrorFields & {
  readonly records?: unknown[];
  readonly num_records?: number;
  readonly _links?: Schemas["collection_links"];
  readonly [field: string]: unknown;
};
/** The body of a reply of `Id`: its documented 2xx content with the error envelope (`ReplyBody`). */
export type BodyOf<Id extends OperationId> = AnyOperation<Id> extends true ? UntypedBody : ReplyBody<Id>;

export interface CallResult<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string>;
  exchange: Exchange;
  warnings: Violation[];
}

export function fillPath(op: Operation, params: Record<string, string> = {}): string {
  if (!op.apiPath.includes("{")) return op.apiPath;
  return op.apiPath.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (!(name in params)) throw new CheckError(`path parameter "${name}" missing for ${op.id}`);
    return encodeURIComponent(params[name]);
  });
}

/** The statuses an operation documents, as a failure names them (made only then: every call checks its answer). */
function documentedStatuses(op: Operation): string {
  return op.statuses.filter((s) => s.status !== "default").map((s) => s.status).join(", ");
}

/** What a check's context knows of the run beyond the target (all optional: benches and tests build bare contexts). */
export interface RunServices {
  /** Where the run records what it creates and deletes (teardown reads it). */
  ledger?: Ledger;
  /** The licenses a license POST installed, from its body and its answer (the suite layer knows the key scheme). */
  licensesOf?(operationId: string, body: unknown, answer: { status: number; json?: unknown }): Array<{ package: string; serial: string }>;
  /** The check that owns a read's contract ("licenses_get:contract"), if one is selected in this run. */
  ownerOf?(operation: string, aspect: Aspect): string | undefined;
}

/** The longest Received/Documented text a failure message carries. */
export const PREVIEW_CHARS = 600;
/** The most distinct warnings a check keeps (each with its count). */
export const MAX_WARNINGS = 25;

/** A value as a failure shows it: long arrays cut to their first items with the total, long texts cut. */
export function preview(value: unknown): string {
  let v = value;
  if (Array.isArray(v) && v.length > 10) v = [...v.slice(0, 10), `… ${v.length - 10} more (${v.length} in all)`];
  const text = typeof v === "string" ? v : JSON.stringify(v) ?? String(v);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}… (${text.length} characters in all)` : text;
}

/** The first line of an answer that is not a success: ONTAP's envelope, a gateway's problem+json, or its status alone. */
export function errorSummary(res: { status: number; contentType: string; json?: unknown }): string {
  const body = res.json as any;
  const err = body?.error ?? (Array.isArray(body?.errors) ? body.errors[0] : undefined);
  if (err && (err.code !== undefined || err.message !== undefined)) return ` (error ${err.code}: ${err.message})`;
  // Not ONTAP's envelope: a gateway or proxy answered (RFC 9457 problem details, or anything else).
  if (body && typeof body === "object" && (body.title !== undefined || body.detail !== undefined)) {
    return ` (not an ONTAP error: ${res.contentType.split(";")[0] || "no Content-Type"} ${[body.title, body.detail].filter((x) => x !== undefined).join(": ")})`;
  }
  return res.contentType && !/json/i.test(res.contentType) ? ` (not an ONTAP error: ${res.contentType.split(";")[0]})` : "";
}

export class CheckContext {
  /** Every exchange this check made, in order: its report steps and its coverage (checks may run side by side). */
  readonly log: Exchange[] = [];
  readonly errorCodes: ErrorCodeMet[] = [];
  /** Distinct warnings with how often each was raised, in order of first appearance. */
  private readonly warned = new Map<string, number>();

  constructor(readonly target: TargetInfo, private readonly http: HttpClient, readonly checkId: string, private readonly services: RunServices = {}) {}

  /** Why this check sends nothing more, once it was stopped. */
  private abandoned: string | undefined;

  /** The check was stopped (its time limit, Ctrl-C): whatever it still tries to send is not sent, and says `why`. */
  abandon(why = "the check was stopped at its time limit"): void {
    this.abandoned ??= why;
  }

  /** The warnings, each once, with how many times it was raised. */
  get warnings(): string[] {
    const out = [...this.warned].slice(0, MAX_WARNINGS).map(([m, n]) => (n > 1 ? `${m} (${n.toLocaleString("en-US")} times)` : m));
    if (this.warned.size > MAX_WARNINGS) out.push(`… and ${this.warned.size - MAX_WARNINGS} more distinct warnings`);
    return out;
  }

  /** The curl line that replays an exchange, secrets masked. */
  reproduce(exchange: Exchange): string {
    return toCurl(exchange, { insecure: this.target.insecure, username: this.target.username });
  }

  /** End the check as failed: what was received, what is documented, how to reproduce. */
  fail(what: string, detail: { received?: unknown; documented?: unknown; exchange?: Exchange; aspect?: { operation: string; kind: Aspect } } = {}): never {
    const lines = [what];
    if (detail.received !== undefined) lines.push(`Received: ${preview(detail.received)}`);
    if (detail.documented !== undefined) lines.push(`Documented: ${preview(detail.documented)}`);
    if (detail.exchange) lines.push(`Reproduce with: ${this.reproduce(detail.exchange)}`);
    const message = lines.join("\n");
    // A read whose answer departs from a contract another selected check owns (the schema of a listing, its
    // paging): this check could not test what it is about, and the departure is reported once, by the owner.
    if (detail.aspect && getOperation(detail.aspect.operation).method === "GET") {
      const owner = this.services.ownerOf?.(detail.aspect.operation, detail.aspect.kind);
      if (owner && owner !== this.checkId) throw new NotTested(owner, message);
    }
    throw new CheckFailure(message, detail.aspect, detail.exchange?.id);
  }

  /**
   * The embedded mock's fault switch (POST /__mock/faults): the next request
   * of `operation` answers `code`. Only the embedded mock understands it.
   */
  async injectFault(operation: string, code: string, httpStatus: number): Promise<void> {
    if (!this.target.faultSwitch) throw new CheckError("fault injection needs the reference mock's fault switch");
    const ex = await this.http.request({ method: "POST", path: "/__mock/faults", body: { operation, code: Number(code), httpStatus, message: `Injected fault ${code} (ontap-conformance error-code coverage).` } });
    this.log.push(ex);
    if (ex.response?.status !== 201) throw new CheckError(`the mock refused the fault ${code} for ${operation}: ${ex.error?.message ?? ex.response?.bodyText}`);
  }

  /**
   * Run `fn` for every item side by side (the run's --concurrency still
   * bounds the requests in flight), wait for all of them, then end as the
   * first item in order ended: the verdict and its message are those of a
   * loop, only sooner. For independent requests of a check (pages of other
   * sizes, the items of a listing, one case per filter).
   */
  async each<T>(items: readonly T[], fn: (item: T, index: number) => Promise<void>): Promise<void> {
    const settled = await Promise.allSettled(items.map((item, i) => fn(item, i)));
    const first = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (first) throw first.reason;
  }

  skip(reason: string): never {
    throw new CheckSkip(reason);
  }

  warn(message: string): void {
    this.warned.set(message, (this.warned.get(message) ?? 0) + 1);
  }

  /** Send a request of `operationId`; no contract checks (use call() for those). */
  async send(operationId: OperationId, params: CallParams = {}): Promise<Exchange> {
    const op = getOperation(operationId);
    if (this.abandoned) throw new CheckError(`${op.method} ${op.apiPath} not sent: ${this.abandoned}`);
    this.gate(op, params);
    let path: string;
    let query = params.query;
    if (params.href !== undefined) {
      const at = hrefTarget(params.href);
      if (matchOperation(op.method, at.path)?.op !== op) throw new CheckError(`the link ${params.href} is not a path of ${op.id} (${op.apiPath})`);
      path = `${at.path}${at.query}`;
      query = undefined;
    } else path = fillPath(op, params.path);
    const spec: RequestSpec = {
      method: op.method,
      path,
      query,
      headers: params.headers,
      accept: params.accept,
      body: params.multipart ? { multipart: params.multipart } : params.rawBody ? { raw: params.rawBody.text, contentType: params.rawBody.contentType } : params.body,
    };
    // Every write is in the ledger before it is sent: an interrupted run still knows what it may have changed.
    const ahead = op.method !== "GET" ? this.recordAhead(op, params) : undefined;
    const exchange = await this.http.request(spec);
    this.log.push(exchange);
    if (exchange.response && op.method !== "GET") this.record(op, spec, params, exchange, ahead);
    if (exchange.error) throw new CheckError(`${op.method} ${spec.path}: ${exchange.error.message}`);
    // No check expects a 401: the credentials worked at discovery, so the
    // session expired or the account changed, and the transport stops here.
    if (exchange.response!.status === 401) {
      throw new CheckError(`${op.method} ${spec.path} answered 401: the target refused the credentials in the middle of the run (the session expired, or the password or account changed); no further requests are sent, so that repeated failed logins cannot lock the account`);
    }
    if (exchange.retries) this.warn(`${op.method} ${spec.path} needed ${exchange.retries} retr${exchange.retries === 1 ? "y" : "ies"} (answered ${exchange.retriedOn!.join(", ")} first)`);
    return exchange;
  }

  /**
   * Version gates on every request (x-ontap-introduced/-removed): an
   * operation the target's release lacks, or a parameter of the operation
   * that release lacks, is never sent; the check ends as a skip that says so.
   * Names the contract does not know at all are sent as they are (checks that
   * probe unknown parameters need them).
   */
  private gate(op: Operation, params: CallParams): void {
    const version = this.target.version;
    if (!version) return;
    if (!existsIn(version, op.introduced)) this.skip(`${op.method} ${op.path} was introduced in ONTAP ${op.introduced}; the target runs ${version}`);
    if (params.href !== undefined || !params.query) return;
    const accepted = acceptedParamNames(op, version);
    for (const name of Object.keys(params.query)) {
      const p = op.params.find((x) => x.name === name && x.in === "query");
      // The framework may accept what the operation's own definition dropped (x-ontap-framework-params).
      if (p && !accepted.has(name) && !existsIn(version, p.introduced, p.removed)) {
        this.skip(`the ${name} parameter of ${op.method} ${op.path} ${p.removed && !existsIn(version, undefined, p.removed) ? `was removed in ONTAP ${p.removed}` : `was introduced in ONTAP ${p.introduced}`}; the target runs ${version}`);
      }
    }
  }

  /**
   * Before a write is sent: that it is sent, and the licenses it would
   * install, with status 0 (README "Running against production"); `answered`
   * follows when its answer comes. A write whose answer never came may still
   * have changed the target: teardown says so of what appeared meanwhile.
   */
  private recordAhead(op: Operation, params: CallParams): string | undefined {
    const ledger = this.services.ledger;
    if (!ledger) return undefined;
    const request = ledgerRequestId();
    ledger.record({ kind: "sent", method: op.method, operation: op.id, check: this.checkId, request });
    for (const l of this.services.licensesOf?.(op.id, params.body, { status: 200 }) ?? []) ledger.record({ kind: "license", package: l.package, serial: l.serial, check: this.checkId, status: 0, request });
    return request;
  }

  /** What a write did to the target, in the run's ledger: teardown removes what the run created, and only that. */
  private record(op: Operation, spec: RequestSpec, params: CallParams, exchange: Exchange, ahead?: string): void {
    const ledger = this.services.ledger;
    if (!ledger) return;
    const status = exchange.response!.status;
    for (const l of this.services.licensesOf?.(op.id, params.body, exchange.response!) ?? []) ledger.record({ kind: "license", package: l.package, serial: l.serial, check: this.checkId, status });
    if (ahead) ledger.record({ kind: "answered", request: ahead, status });
    const location = exchange.response!.headers["location"];
    if (op.method === "POST" && (status === 201 || status === 202) && location) ledger.record({ kind: "created", operation: op.id, href: location, check: this.checkId, status });
    if (op.method === "DELETE" && status >= 200 && status < 300) ledger.record({ kind: "deleted", operation: op.id, path: spec.path, check: this.checkId, status });
  }

  /**
   * Send a request of `operationId` and apply the generic checks: a documented
   * status for this operation and version, a documented content type, a body
   * that matches the schema, a well-formed error envelope with a documented
   * code, and Location on 201/202 answers to POST.
   */
  call<Id extends OperationId>(operationId: Id, params: ParamsOf<Id> = {}): Promise<CallResult<BodyOf<Id>>> {
    // Not async: callUnchecked's promise as it is, without one more promise and tick per request (bench row 1).
    return this.callUnchecked(operationId, params as CallParams);
  }

  /**
   * `call()` for a request the contract does not allow, which a check sends on
   * purpose (an unknown parameter, a body of the wrong shape): the parameters
   * are not typed by the operation; the answer is checked and typed all the same.
   */
  async callUnchecked<Id extends OperationId>(operationId: Id, params: CallParams = {}): Promise<CallResult<BodyOf<Id>>> {
    const op = getOperation(operationId);
    const exchange = await this.send(operationId, params);
    const res = exchange.response!;
    const expect = params.expect ?? "success";
    const where = `${op.method} ${exchange.request.url}`;
    // A departure of the answer's body from the operation's contract (JSON, media type, schema): one cause that
    // every check reading this operation meets. A status is each check's own finding and stays with it.
    const aspect = { operation: op.id, kind: "contract" as const };
    if (res.status >= 300 && res.status < 400 && res.headers["location"] !== undefined) {
      this.fail(`${where} answered ${res.status} with a redirect to ${res.headers["location"]}: ONTAP does not redirect API calls, and the harness does not follow redirects (they would carry the credentials to another address)`, {
        received: `${res.status} Location: ${res.headers["location"]}`, documented: documentedStatuses(op), exchange,
      });
    }
    if (expect === "success" && res.status >= 400 && params.skipOn?.length) {
      const body = res.json as any;
      const code = String(body?.error?.code ?? body?.errors?.[0]?.code ?? "");
      if (params.skipOn.includes(code)) {
        this.skip(`${where} answered ${res.status} ${code} (${op.errorCodes[code]?.meaning ?? "documented"}): the target cannot do this now, so there is nothing to test`);
      }
    }
    if (expect === "success" && (res.status < 200 || res.status >= 300)) {
      const retried = exchange.notRetried ? `; it was not retried: ${exchange.notRetried}` : exchange.retries ? `, and still did after ${exchange.retries} retr${exchange.retries === 1 ? "y" : "ies"}` : "";
      this.fail(`${where} answered ${res.status}${errorSummary(res)} where a success was expected${retried}`, { received: res.status, documented: documentedStatuses(op), exchange });
    }
    if (expect === "error" && res.status < 400) {
      this.fail(`${where} answered ${res.status} where the request must be rejected with an error`, { received: res.status, documented: "4xx with an ONTAP error envelope", exchange });
    }
    const hasBody = res.bodyText.length > 0;
    const schema = op.statuses.find((s) => s.status === String(res.status))?.schemaName;
    if (!hasBody && schema && res.status >= 200 && res.status < 300) {
      this.fail(`${where} answered ${res.status} with an empty body where a ${schema} object is documented`, { received: "an empty body", documented: schema, exchange, aspect });
    }
    if (hasBody && res.jsonError) {
      this.fail(`${where} answered ${res.status} with a body that is not valid JSON: ${res.jsonError}`, { received: res.bodyText.slice(0, 200), documented: "application/hal+json or application/json", exchange, aspect });
    }
    if (hasBody) {
      const types = documentedMediaTypes(op.id, res.status);
      const ct = res.contentType.split(";")[0].trim().toLowerCase();
      if (types.length && !types.includes(ct)) {
        this.fail(`${where} answered ${res.status} with Content-Type "${res.contentType}"${res.status >= 400 ? errorSummary(res) : ""}`, { received: res.contentType, documented: types.join(" or "), exchange, aspect });
      }
    }
    const result = validateResponse(op.id, res.status, hasBody ? res.json : undefined, { ontapVersion: this.target.version, strict: this.target.strict });
    if (!result.ok) {
      // The first violation on the first line (what a terminal or a CI annotation shows), the rest below it.
      const [first, ...rest] = result.errors.map((e) => e.message);
      const more = rest.length ? ` (and ${rest.length} more)` : "";
      this.fail(`${where} answered ${res.status} with a response that departs from the contract: ${first}${more}${rest.length ? `\n  ${rest.slice(0, 9).join("\n  ")}${rest.length > 9 ? `\n  … ${rest.length - 9} more` : ""}` : ""}`, {
        documented: result.errors[0].schemaPath, exchange, aspect,
      });
    }
    for (const w of result.warnings) this.warn(`${op.id}: ${w.message}`);
    if (op.method === "POST" && (res.status === 201 || res.status === 202) && op.statuses.find((s) => s.status === String(res.status))?.headers.includes("Location") && !res.headers["location"]) {
      this.fail(`${where} answered ${res.status} without a Location header`, { received: Object.keys(res.headers).join(", "), documented: "Location header on 201/202", exchange });
    }
    // The body was validated against the operation's schema above (or is the error envelope, or the check expected "any").
    return { status: res.status, body: res.json as BodyOf<Id>, headers: res.headers, exchange, warnings: result.warnings };
  }

  /** How long to wait for a job (jobTimeoutMs of the config; 60 s by default). */
  get jobTimeoutMs(): number {
    return this.target.jobTimeoutMs ?? 60_000;
  }

  /**
   * Follow a job link until the job is terminal (success or failure),
   * validating each job object. Polls with backoff; never a fixed sleep.
   */
  async awaitJob(job: { uuid?: string; _links?: { self?: { href?: string } } } | undefined, opts: { timeoutMs?: number; exchange?: Exchange } = {}): Promise<BodyOf<"job_get">> {
    if (!job?.uuid) this.fail("the response carries no job uuid", { received: job, documented: "job: {uuid, _links.self.href}", exchange: opts.exchange });
    const href = job._links?.self?.href;
    if (href !== undefined && href !== `/api/cluster/jobs/${job.uuid}`) {
      this.fail(`the job link ${href} does not point at /api/cluster/jobs/${job.uuid}`, { received: href, documented: `/api/cluster/jobs/${job.uuid}`, exchange: opts.exchange });
    }
    const limit = opts.timeoutMs ?? this.jobTimeoutMs;
    const deadline = Date.now() + limit;
    const wait = backoff(5, 1000);
    const seen: Array<string | undefined> = [];
    for (;;) {
      const r = await this.call("job_get", { path: { uuid: job.uuid! }, query: { fields: "*" } });
      const state = r.body?.state;
      if (seen[seen.length - 1] !== state) seen.push(state);
      if (state === "success" || state === "failure") return r.body;
      if (Date.now() > deadline) {
        this.fail(`job ${job.uuid} did not finish within ${Math.round(limit / 1000)} s (states seen: ${seen.join(" → ")})`, { received: r.body, documented: "a job reaches success or failure", exchange: r.exchange });
      }
      await wait();
    }
  }
}
