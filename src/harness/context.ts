// What a check works with: the target (discovered once), `call()` which sends
// one request of an operation and applies the generic contract checks, and
// `awaitJob()`. A departure from the contract ends the check with a message
// that says what was received, what is documented, and how to reproduce it.
import { getOperation, validateResponse, documentedMediaTypes, type Operation, type Violation } from "../contract/index.ts";
import { CheckError, CheckFailure, CheckSkip, type Profile } from "./check.ts";
import type { Exchange, HttpClient, RequestSpec } from "./transport.ts";
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
  /** What the check expects: a success (default) or an error response. */
  expect?: "success" | "error" | "any";
}

export interface CallResult<T = any> {
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

/** How a documented error code was met by a check (the run's error-code coverage). */
export interface ErrorCodeMet {
  operation: string;
  code: string;
  /** provoked: a scenario sent a request that must raise it; injected: the embedded mock's fault switch raised it. */
  outcome: "provoked" | "injected";
  what: string;
}

export class CheckContext {
  readonly warnings: string[] = [];
  readonly exchanges: number[] = [];
  readonly errorCodes: ErrorCodeMet[] = [];

  constructor(readonly target: TargetInfo, private readonly http: HttpClient, readonly checkId: string) {}

  /** The curl line that replays an exchange, secrets masked. */
  reproduce(exchange: Exchange): string {
    return toCurl(exchange, { insecure: this.target.insecure, username: this.target.username });
  }

  /** End the check as failed: what was received, what is documented, how to reproduce. */
  fail(what: string, detail: { received?: unknown; documented?: unknown; exchange?: Exchange } = {}): never {
    const lines = [what];
    if (detail.received !== undefined) lines.push(`Received: ${typeof detail.received === "string" ? detail.received : JSON.stringify(detail.received)}`);
    if (detail.documented !== undefined) lines.push(`Documented: ${typeof detail.documented === "string" ? detail.documented : JSON.stringify(detail.documented)}`);
    if (detail.exchange) lines.push(`Reproduce with: ${this.reproduce(detail.exchange)}`);
    throw new CheckFailure(lines.join("\n"));
  }

  /**
   * The embedded mock's fault switch (POST /__mock/faults): the next request
   * of `operation` answers `code`. Only the embedded mock understands it.
   */
  async injectFault(operation: string, code: string, httpStatus: number): Promise<void> {
    if (!this.target.faultSwitch) throw new CheckError("fault injection needs the reference mock's fault switch");
    const ex = await this.http.request({ method: "POST", path: "/__mock/faults", body: { operation, code: Number(code), httpStatus, message: `Injected fault ${code} (ontap-conformance error-code coverage).` } });
    if (ex.response?.status !== 201) throw new CheckError(`the mock refused the fault ${code} for ${operation}: ${ex.error?.message ?? ex.response?.bodyText}`);
  }

  skip(reason: string): never {
    throw new CheckSkip(reason);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Send a request of `operationId`; no contract checks (use call() for those). */
  async send(operationId: string, params: CallParams = {}): Promise<Exchange> {
    const op = getOperation(operationId);
    const spec: RequestSpec = {
      method: op.method,
      path: fillPath(op, params.path),
      query: params.query,
      headers: params.headers,
      accept: params.accept,
      body: params.multipart ? { multipart: params.multipart } : params.rawBody ? { raw: params.rawBody.text, contentType: params.rawBody.contentType } : params.body,
    };
    const exchange = await this.http.request(spec);
    this.exchanges.push(exchange.id);
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
   * Send a request of `operationId` and apply the generic checks: a documented
   * status for this operation and version, a documented content type, a body
   * that matches the schema, a well-formed error envelope with a documented
   * code, and Location on 201/202 answers to POST.
   */
  async call<T = any>(operationId: string, params: CallParams = {}): Promise<CallResult<T>> {
    const op = getOperation(operationId);
    const exchange = await this.send(operationId, params);
    const res = exchange.response!;
    const expect = params.expect ?? "success";
    const where = `${op.method} ${exchange.request.url}`;
    if (res.status >= 300 && res.status < 400 && res.headers["location"] !== undefined) {
      this.fail(`${where} answered ${res.status} with a redirect to ${res.headers["location"]}: ONTAP does not redirect API calls, and the harness does not follow redirects (they would carry the credentials to another address)`, {
        received: `${res.status} Location: ${res.headers["location"]}`, documented: op.statuses.filter((s) => s.status !== "default").map((s) => s.status).join(", "), exchange,
      });
    }
    if (expect === "success" && (res.status < 200 || res.status >= 300)) {
      const err = (res.json as any)?.error ?? (res.json as any)?.errors?.[0];
      const retried = exchange.notRetried ? `; it was not retried: ${exchange.notRetried}` : exchange.retries ? `, and still did after ${exchange.retries} retr${exchange.retries === 1 ? "y" : "ies"}` : "";
      this.fail(`${where} answered ${res.status}${err ? ` (error ${err.code}: ${err.message})` : ""} where a success was expected${retried}`, {
        received: res.status, documented: op.statuses.filter((s) => s.status !== "default").map((s) => s.status).join(", "), exchange,
      });
    }
    if (expect === "error" && res.status < 400) {
      this.fail(`${where} answered ${res.status} where the request must be rejected with an error`, { received: res.status, documented: "4xx with an ONTAP error envelope", exchange });
    }
    const hasBody = res.bodyText.length > 0;
    const schema = op.statuses.find((s) => s.status === String(res.status))?.schemaName;
    if (!hasBody && schema && res.status >= 200 && res.status < 300) {
      this.fail(`${where} answered ${res.status} with an empty body where a ${schema} object is documented`, { received: "an empty body", documented: schema, exchange });
    }
    if (hasBody && res.jsonError) {
      this.fail(`${where} answered ${res.status} with a body that is not valid JSON: ${res.jsonError}`, { received: res.bodyText.slice(0, 200), documented: "application/hal+json or application/json", exchange });
    }
    if (hasBody) {
      const types = documentedMediaTypes(op.id, res.status);
      const ct = res.contentType.split(";")[0].trim().toLowerCase();
      if (types.length && !types.includes(ct)) {
        this.fail(`${where} answered with Content-Type "${res.contentType}"`, { received: res.contentType, documented: types.join(" or "), exchange });
      }
    }
    const result = validateResponse(op.id, res.status, hasBody ? res.json : undefined, { ontapVersion: this.target.version, strict: this.target.strict });
    if (!result.ok) {
      this.fail(`${where} answered ${res.status} with a response that departs from the contract:\n  ${result.errors.map((e) => e.message).join("\n  ")}`, {
        documented: result.errors[0].schemaPath, exchange,
      });
    }
    for (const w of result.warnings) this.warn(`${op.id}: ${w.message}`);
    if (op.method === "POST" && (res.status === 201 || res.status === 202) && op.statuses.find((s) => s.status === String(res.status))?.headers.includes("Location") && !res.headers["location"]) {
      this.fail(`${where} answered ${res.status} without a Location header`, { received: Object.keys(res.headers).join(", "), documented: "Location header on 201/202", exchange });
    }
    return { status: res.status, body: res.json as T, headers: res.headers, exchange, warnings: result.warnings };
  }

  /**
   * Follow a job link until the job is terminal (success or failure),
   * validating each job object. Polls with backoff; never a fixed sleep.
   */
  async awaitJob(job: { uuid?: string; _links?: { self?: { href?: string } } } | undefined, opts: { timeoutMs?: number; exchange?: Exchange } = {}): Promise<any> {
    if (!job?.uuid) this.fail("the response carries no job uuid", { received: job, documented: "job: {uuid, _links.self.href}", exchange: opts.exchange });
    const href = job._links?.self?.href;
    if (href !== undefined && href !== `/api/cluster/jobs/${job.uuid}`) {
      this.fail(`the job link ${href} does not point at /api/cluster/jobs/${job.uuid}`, { received: href, documented: `/api/cluster/jobs/${job.uuid}`, exchange: opts.exchange });
    }
    const limit = opts.timeoutMs ?? this.target.jobTimeoutMs ?? 60_000;
    const deadline = Date.now() + limit;
    let delay = 5;
    const seen: string[] = [];
    for (;;) {
      const r = await this.call("job_get", { path: { uuid: job.uuid! }, query: { fields: "*" } });
      const state = r.body?.state;
      if (seen[seen.length - 1] !== state) seen.push(state);
      if (state === "success" || state === "failure") return r.body;
      if (Date.now() > deadline) {
        this.fail(`job ${job.uuid} did not finish within ${Math.round(limit / 1000)} s (states seen: ${seen.join(" → ")})`, { received: r.body, documented: "a job reaches success or failure", exchange: r.exchange });
      }
      await new Promise((res) => setTimeout(res, delay));
      delay = Math.min(delay * 2, 1000);
    }
  }
}
