// The HTTP transport of the harness, on undici: keep-alive connections,
// TLS options for self-signed clusters, preemptive basic auth, per-request
// timeouts, a body size limit, bounded retries that honour 429/503
// Retry-After, and a cap on requests in flight. Every exchange is recorded,
// redacted, and every transport fault becomes one readable sentence.
//
// Rules the hostile-target catalog (test/reliability/) pins down:
// - the timeout is a deadline for the whole answer (headers and body), so a
//   body that trickles forever still ends;
// - the body size limit is counted while reading, announced or chunked;
// - 429 and 503 are retried for any method (the request was not processed),
//   502 and 504 for GET/HEAD only (a gateway may have passed a write on);
//   a Retry-After longer than the harness waits is not retried at all;
// - redirects are never followed: ONTAP does not redirect API calls, and
//   following one would send the credentials to another address;
// - after a 401 the client sends nothing more (shared by the run's workers
//   through `credentialsLatch`): repeated failed logins can lock an account.
import { Pool, errors as undiciErrors, type Dispatcher } from "undici";
import { Redactor } from "./secrets.ts";
import { CredentialsLatch } from "./credentials-latch.ts";

export interface TransportOptions {
  baseUrl: string;
  username?: string;
  password?: string;
  insecure: boolean;
  caPem?: string;
  clientCert?: { certPem: string; keyPem: string };
  timeoutMs: number;
  concurrency: number;
  retries: { max: number; maxDelayMs: number };
  /** Largest response body read (default 16 MiB). */
  maxBodyBytes?: number;
  /**
   * A file the run's workers share: written at the first 401, after which
   * no client of the run sends another request (account lockout). See
   * credentials-latch.ts.
   */
  credentialsLatch?: string;
  redactor?: Redactor;
  onExchange?(exchange: Exchange): void;
}

export interface RequestSpec {
  method: string;
  path: string;
  query?: Record<string, string | string[]> | URLSearchParams;
  headers?: Record<string, string>;
  accept?: string;
  body?: unknown | { multipart: FormData } | { raw: string | Buffer; contentType: string };
}

export type FaultKind = "timeout" | "connection-refused" | "reset" | "tls" | "dns" | "too-large" | "credentials-refused" | "other";

export interface Exchange {
  id: number;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; contentType: string; bodyText: string; json?: unknown; jsonError?: string };
  durationMs: number;
  retries: number;
  /** The statuses that were retried (429, 503, ...), in order. */
  retriedOn?: number[];
  /** Why a retryable answer was not retried (a Retry-After longer than the harness waits). */
  notRetried?: string;
  error?: { kind: FaultKind; message: string };
}

let nextId = 1;

/** ONTAP-style query encoding: spaces as %20, the query characters kept readable. */
export function encodeQuery(query: RequestSpec["query"]): string {
  if (!query) return "";
  // Plain loops, no closures: this runs for every request (bench row 1).
  let out = "";
  if (query instanceof URLSearchParams) {
    for (const [k, v] of query) out = appendParam(out, k, v);
    return out;
  }
  for (const k in query) {
    const v = query[k];
    if (Array.isArray(v)) for (const x of v) out = appendParam(out, k, x);
    else out = appendParam(out, k, v);
  }
  return out;
}

function appendParam(query: string, name: string, value: unknown): string {
  return `${query}${query ? "&" : "?"}${enc(name)}=${enc(String(value))}`;
}

/** encodeURIComponent keeps * and ! already; "," and "|" are put back (ONTAP lists and alternatives). */
const READABLE = /%2C|%7C/g;
function enc(s: string): string {
  const e = encodeURIComponent(s);
  return e.includes("%") ? e.replace(READABLE, (m) => (m === "%2C" ? "," : "|")) : e;
}

/** How far an attempt got: what a fault sentence says about where it broke. */
interface Progress {
  url: string;
  timeoutMs: number;
  /** The status line arrived (the body was being read). */
  status?: number;
  bytes: number;
}

/** Thrown into an attempt by its own deadline. */
class DeadlineExceeded extends Error {
  constructor() {
    super("deadline exceeded");
    this.name = "DeadlineExceeded";
  }
}

const TRUST_HINT = "use --ca FILE to trust it, or --insecure for a lab system";

function tlsReason(code: string, msg: string, err: { host?: string; cert?: { subjectaltname?: string } }): string | undefined {
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID" || /altname|Hostname\/IP does not match/i.test(msg)) {
    const names = err.cert?.subjectaltname ? ` (it names ${err.cert.subjectaltname.replace(/IP Address:/g, "IP:")}, not ${err.host ?? "this host"})` : "";
    return `the certificate is for another host${names}: use --target with a name the certificate carries, or --insecure for a lab system`;
  }
  if (/SELF_SIGNED|self.signed/i.test(code + msg)) return `the certificate is self-signed (${TRUST_HINT})`;
  if (/UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT_UNTRUSTED|local issuer/i.test(code + msg)) return `the certificate is signed by an unknown authority (${TRUST_HINT})`;
  if (code === "CERT_HAS_EXPIRED") return `the certificate has expired (${TRUST_HINT})`;
  if (code === "CERT_NOT_YET_VALID") return `the certificate is not valid yet (check the clock, or ${TRUST_HINT})`;
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST/.test(code)) return "the server did not answer with TLS (is it an http:// port?)";
  if (/ALERT_HANDSHAKE_FAILURE|NO_PROTOCOLS_AVAILABLE|UNSUPPORTED_PROTOCOL|ALERT_PROTOCOL_VERSION/.test(code)) return "the server ended the handshake: no TLS version or cipher in common";
  if (/CERTIFICATE_REQUIRED/.test(code)) return "the server requires a client certificate (use --client-cert and --client-key)";
  if (/^ERR_SSL_|^ERR_TLS_|CERT/.test(code)) return code.replace(/^ERR_(SSL|TLS)_/, "").toLowerCase().replace(/_/g, " ");
  return undefined;
}

function mib(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}

function describeFault(e: unknown, at: Progress): { kind: FaultKind; message: string } {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException; host?: string; cert?: { subjectaltname?: string } };
  const code = String(err?.code ?? err?.cause?.code ?? "");
  // OpenSSL's "8096…:error:0A00010B:SSL routines:…" is not a sentence; only the first line is ever shown.
  const msg = String(err?.message ?? e).split("\n")[0].replace(/^[0-9A-F]+:error:[0-9A-F]+:/i, "");
  const host = new URL(at.url).host;
  if (e instanceof DeadlineExceeded || e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError || /timeout/i.test(code)) {
    if (code === "UND_ERR_CONNECT_TIMEOUT") return { kind: "timeout", message: `could not connect to ${host} within ${at.timeoutMs} ms (timeout)` };
    if (at.status === undefined) return { kind: "timeout", message: `no answer from ${at.url} within ${at.timeoutMs} ms (timeout): the server took the request but did not respond` };
    return { kind: "timeout", message: `the answer from ${at.url} (status ${at.status}) did not end within ${at.timeoutMs} ms: ${at.bytes} body bytes received (timeout)` };
  }
  if (code === "ECONNREFUSED") return { kind: "connection-refused", message: `connection refused by ${host}: is the target running and the port right?` };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { kind: "dns", message: `cannot resolve the host ${new URL(at.url).hostname}` };
  const tls = tlsReason(code, msg, err?.cert ? err : (err?.cause as typeof err) ?? {});
  if (tls) return { kind: "tls", message: `TLS handshake with ${host} failed: ${tls}` };
  if (code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET" || /other side closed|socket hang up/i.test(msg)) {
    const when = at.status === undefined ? "before the answer arrived" : `after ${at.bytes} bytes of the body (status ${at.status})`;
    return { kind: "reset", message: `the connection to ${host} was reset ${when}` };
  }
  return { kind: "other", message: `the request to ${at.url} failed: ${msg}` };
}

/** Whether an answer may be retried: the request was not processed, or was a read. */
function retryable(status: number, method: string): boolean {
  if (status === 429 || status === 503) return true;
  return (status === 502 || status === 504) && (method === "GET" || method === "HEAD");
}

/** How long to wait before the next attempt; a Retry-After beyond the cap is not waited for. */
function retryDelay(headers: Record<string, string>, attempt: number, cap: number): { ms: number } | { tooLong: string } {
  const ra = headers["retry-after"];
  if (ra !== undefined) {
    const secs = Number(ra);
    const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(ra) - Date.now();
    if (Number.isFinite(ms)) {
      if (ms > cap) return { tooLong: `the target asked to retry after ${Math.round(ms / 1000)} s (Retry-After: ${ra}), longer than the ${cap / 1000} s the harness waits` };
      return { ms: Math.max(ms, 0) };
    }
  }
  return { ms: Math.min(100 * 2 ** attempt, cap) };
}

/** Given to undici when the harness stops reading an answer it has already judged. */
class Abandoned extends Error {
  constructor() {
    super("answer abandoned by the harness");
    this.name = "Abandoned";
  }
}

type Attempt = { status: number; headers: Record<string, string>; bytes: Buffer } | { fault: { kind: FaultKind; message: string } };

/** undici's parsed headers (a repeated header is an array) as one string per name. */
function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/**
 * Reads one answer through undici's dispatch API: no Readable and no
 * AbortSignal per request, which pool.request() and an AbortController
 * cost (bench row 1: ~10 µs of a ~60 µs request path). It settles once:
 * with the answer, or with a fault sentence (deadline, size limit, or
 * undici's error), and then drops the connection if the answer is unread.
 */
class AnswerReader implements Dispatcher.DispatchHandler {
  readonly answer: Promise<Attempt>;
  private resolve!: (a: Attempt) => void;
  private readonly at: Progress;
  private controller?: Dispatcher.DispatchController;
  private settled = false;
  private headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(shownUrl: string, timeoutMs: number, private readonly limit: number) {
    this.at = { url: shownUrl, timeoutMs, bytes: 0 };
    this.answer = new Promise<Attempt>((resolve) => (this.resolve = resolve));
    this.timer = setTimeout(() => this.stop({ fault: describeFault(new DeadlineExceeded(), this.at) }), timeoutMs);
  }

  private finish(a: Attempt): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.resolve(a);
  }

  /** Judged already: settle, stop reading and drop the connection (the rest is not wanted). */
  private stop(a: Attempt): void {
    this.finish(a);
    if (this.controller && !this.controller.aborted) this.controller.abort(new Abandoned());
  }

  private tooLarge(how: string): Attempt {
    return { fault: { kind: "too-large", message: `the answer from ${this.at.url} (status ${this.at.status}) is larger than the body size limit of ${mib(this.limit)}: ${how}` } };
  }

  onRequestStart(c: Dispatcher.DispatchController): void {
    this.controller = c;
    // The deadline passed while the request waited for a connection.
    if (this.settled) c.abort(new Abandoned());
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, h: Record<string, string | string[] | undefined>): void {
    if (statusCode < 200) return; // 1xx: the answer is still to come
    this.at.status = statusCode;
    this.headers = flattenHeaders(h);
    const announced = Number(this.headers["content-length"]);
    if (announced > this.limit) this.stop(this.tooLarge(`it announced ${announced} bytes`));
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.at.bytes += chunk.length;
    if (this.at.bytes > this.limit) this.stop(this.tooLarge(`reading stopped after ${this.at.bytes} bytes`));
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.finish({ status: this.at.status ?? 0, headers: this.headers, bytes: this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks) });
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, err: Error): void {
    this.finish({ fault: describeFault(err, this.at) });
  }
}

export class HttpClient {
  /** One origin per client: a Pool is cheaper per request than an Agent's lookup by URL. */
  private readonly pool: Pool;
  /** The path of --target, if it has one (a cluster behind a reverse proxy's prefix). */
  private readonly prefix: string;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** The request that met a 401 ("GET /api/..."): nothing more is sent. */
  private refused?: string;
  private readonly credentialsLatch?: CredentialsLatch;
  readonly redactor: Redactor;
  /** The basic-auth header, built once (it is sent with every request). */
  private readonly authorization?: string;
  /** The usual request headers as reports show them, redacted once per redactor generation (frozen: shared by exchanges). */
  private shownDefaults?: { generation: number; headers: Readonly<Record<string, string>> };

  constructor(private readonly opts: TransportOptions) {
    if (opts.username !== undefined && opts.password !== undefined) this.authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString("base64")}`;
    if (opts.credentialsLatch) this.credentialsLatch = new CredentialsLatch(opts.credentialsLatch);
    this.redactor = opts.redactor ?? new Redactor({ secrets: opts.password ? [opts.password] : [], username: opts.username });
    const base = new URL(opts.baseUrl);
    this.prefix = base.pathname.replace(/\/+$/, "");
    this.pool = new Pool(base.origin, {
      connections: Math.max(1, opts.concurrency),
      keepAliveTimeout: 10_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connect: {
        rejectUnauthorized: !opts.insecure,
        ...(opts.caPem ? { ca: opts.caPem } : {}),
        ...(opts.clientCert ? { cert: opts.clientCert.certPem, key: opts.clientCert.keyPem } : {}),
        timeout: opts.timeoutMs,
      },
    });
  }

  /** A free slot at once (no promise), or a promise of the next one freed. */
  private slot(): Promise<void> | undefined {
    if (this.inFlight < this.opts.concurrency) {
      this.inFlight++;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiting.push(() => {
      this.inFlight++;
      resolve();
    }));
  }

  private release(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }

  async request(spec: RequestSpec): Promise<Exchange> {
    const pathAndQuery = `${spec.path}${encodeQuery(spec.query)}`;
    const url = `${this.opts.baseUrl}${pathAndQuery}`;
    const headers: Record<string, string> = { accept: spec.accept ?? "application/hal+json", "user-agent": "ontap-conformance", ...(spec.headers ?? {}) };
    if (this.authorization) headers.authorization = this.authorization;
    let body: string | Buffer | undefined;
    let shown: string | undefined;
    const b = spec.body as any;
    if (b && typeof b === "object" && "multipart" in b && b.multipart instanceof FormData) {
      // undici's request() takes bytes, not FormData: let Response encode it (boundary included).
      const encoded = new Response(b.multipart);
      body = Buffer.from(await encoded.arrayBuffer());
      headers["content-type"] = encoded.headers.get("content-type")!;
      shown = `<multipart/form-data: ${[...b.multipart.keys()].join(", ")}>`;
    } else if (b && typeof b === "object" && "raw" in b && "contentType" in b) {
      body = b.raw;
      headers["content-type"] = b.contentType;
      shown = String(b.raw);
    } else if (b !== undefined) {
      if (b && typeof b === "object" && "keys" in b) this.redactor.addKeys(b.keys);
      body = JSON.stringify(b);
      headers["content-type"] = "application/json";
      shown = JSON.stringify(this.redactor.redactJson(b));
    }
    const shownUrl = this.redactor.redactText(url);
    const exchange: Exchange = {
      id: nextId++,
      request: { method: spec.method, url: shownUrl, headers: this.shownHeaders(headers, !spec.headers && !spec.accept && body === undefined), body: shown === undefined ? undefined : this.redactor.redactText(shown) },
      durationMs: 0,
      retries: 0,
    };
    const refused = this.refusedBy();
    if (refused) return this.notSent(exchange, refused);
    const started = Date.now();
    const wait = this.slot();
    if (wait) {
      await wait;
      // Checks run side by side: a 401 may have come while this request waited for its slot.
      const meanwhile = this.refusedBy();
      if (meanwhile) {
        this.release();
        return this.notSent(exchange, meanwhile);
      }
    }
    try {
      for (let attempt = 0; ; attempt++) {
        const got = await this.attempt(`${this.prefix}${pathAndQuery}`, shownUrl, spec.method, headers, body);
        if ("fault" in got) {
          exchange.error = got.fault;
          break;
        }
        if (retryable(got.status, spec.method) && attempt < this.opts.retries.max) {
          const wait = retryDelay(got.headers, attempt, this.opts.retries.maxDelayMs);
          if ("ms" in wait) {
            exchange.retries++;
            (exchange.retriedOn ??= []).push(got.status);
            await new Promise((r) => setTimeout(r, wait.ms));
            continue;
          }
          exchange.notRetried = wait.tooLong;
        }
        if (got.status === 401 && headers.authorization) this.latch(this.redactor.redactText(`${spec.method} ${spec.path}`));
        const text = got.bytes.toString("utf8");
        const response: Exchange["response"] = { status: got.status, headers: this.redactor.redactHeaders(got.headers), contentType: got.headers["content-type"] ?? "", bodyText: text };
        if (text.length) {
          try {
            response.json = JSON.parse(text);
          } catch (e) {
            response.jsonError = `${(e as Error).message} (${got.bytes.length} bytes)`;
          }
        }
        exchange.response = response;
        break;
      }
    } finally {
      this.release();
      exchange.durationMs = Date.now() - started;
    }
    this.opts.onExchange?.(exchange);
    return exchange;
  }

  /** A request not sent after a 401 (a method, not a closure made for every request). */
  private notSent(exchange: Exchange, refused: string): Exchange {
    exchange.error = { kind: "credentials-refused", message: `not sent: the target refused the credentials earlier in this run (401 on ${refused}); no further requests are sent, so that repeated failed logins cannot lock the account` };
    this.opts.onExchange?.(exchange);
    return exchange;
  }

  /**
   * One attempt under one deadline for the whole answer (undici's own
   * timeouts are idle timeouts: a body trickling a byte a second never
   * trips them), the body read up to the size limit.
   */
  private attempt(path: string, shownUrl: string, method: string, headers: Record<string, string>, body: string | Buffer | undefined): Promise<Attempt> {
    const reader = new AnswerReader(shownUrl, this.opts.timeoutMs, this.opts.maxBodyBytes ?? 16 * 1024 * 1024);
    try {
      this.pool.dispatch({ path, method: method as Dispatcher.HttpMethod, headers, body }, reader);
    } catch (e) {
      reader.onResponseError(undefined, e as Error);
    }
    return reader.answer;
  }

  /** Redacted request headers; the usual set (no headers of the caller's, no body) is redacted once and shared. */
  private shownHeaders(headers: Record<string, string>, usual: boolean): Record<string, string> {
    if (!usual) return this.redactor.redactHeaders(headers);
    if (this.shownDefaults?.generation !== this.redactor.generation) {
      this.shownDefaults = { generation: this.redactor.generation, headers: Object.freeze(this.redactor.redactHeaders(headers)) };
    }
    return this.shownDefaults.headers as Record<string, string>;
  }

  /** The request that met a 401, in this client or (through the latch) another of the run. */
  private refusedBy(): string | undefined {
    this.refused ??= this.credentialsLatch?.refusedOn();
    return this.refused;
  }

  private latch(what: string): void {
    this.refused ??= what;
    this.credentialsLatch?.set(what);
  }

  async close(): Promise<void> {
    this.credentialsLatch?.close();
    await this.pool.close();
  }
}
