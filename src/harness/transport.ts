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
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Pool, errors as undiciErrors } from "undici";
import { Redactor } from "./secrets.ts";

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
   * no client of the run sends another request (account lockout).
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
  const pairs = query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]));
  if (!pairs.length) return "";
  const enc = (s: string) => encodeURIComponent(s).replace(/%2A/g, "*").replace(/%2C/g, ",").replace(/%7C/g, "|").replace(/%21/g, "!");
  return `?${pairs.map(([k, v]) => `${enc(k)}=${enc(String(v))}`).join("&")}`;
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

/**
 * Drop a body unread. undici's body emits "aborted" as an error when
 * destroyed: without a listener that error would end the process.
 */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on("error", () => {});
  body.destroy();
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

export class HttpClient {
  /** One origin per client: a Pool is cheaper per request than an Agent's lookup by URL. */
  private readonly pool: Pool;
  /** The path of --target, if it has one (a cluster behind a reverse proxy's prefix). */
  private readonly prefix: string;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** The request that met a 401 ("GET /api/..."): nothing more is sent. */
  private refused?: string;
  readonly redactor: Redactor;
  /** The basic-auth header, built once (it is sent with every request). */
  private readonly authorization?: string;

  constructor(private readonly opts: TransportOptions) {
    if (opts.username !== undefined && opts.password !== undefined) this.authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString("base64")}`;
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

  private async slot(): Promise<void> {
    if (this.inFlight < this.opts.concurrency) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
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
      request: { method: spec.method, url: shownUrl, headers: this.redactor.redactHeaders(headers), body: shown === undefined ? undefined : this.redactor.redactText(shown) },
      durationMs: 0,
      retries: 0,
    };
    const refused = this.refusedBy();
    if (refused) {
      exchange.error = { kind: "credentials-refused", message: `not sent: the target refused the credentials earlier in this run (401 on ${refused}); no further requests are sent, so that repeated failed logins cannot lock the account` };
      this.opts.onExchange?.(exchange);
      return exchange;
    }
    const started = Date.now();
    await this.slot();
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

  /**
   * One attempt under one deadline for the whole answer (undici's own
   * timeouts are idle timeouts: a body trickling a byte a second never
   * trips them), the body read up to the size limit.
   */
  private async attempt(path: string, shownUrl: string, method: string, headers: Record<string, string>, body: string | Buffer | undefined): Promise<{ status: number; headers: Record<string, string>; bytes: Buffer } | { fault: { kind: FaultKind; message: string } }> {
    const at: Progress = { url: shownUrl, timeoutMs: this.opts.timeoutMs, bytes: 0 };
    const limit = this.opts.maxBodyBytes ?? 16 * 1024 * 1024;
    const tooLarge = (how: string) => ({ fault: { kind: "too-large" as const, message: `the answer from ${at.url} (status ${at.status}) is larger than the body size limit of ${mib(limit)}: ${how}` } });
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new DeadlineExceeded()), this.opts.timeoutMs);
    let res: Awaited<ReturnType<Pool["request"]>> | undefined;
    try {
      res = await this.pool.request({ path, method: method as never, headers, body: body as never, signal: ac.signal });
      at.status = res.statusCode;
      const resHeaders = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)]));
      const announced = Number(resHeaders["content-length"]);
      if (announced > limit) {
        discard(res.body);
        return tooLarge(`it announced ${announced} bytes`);
      }
      // Read with 'data' events (cheaper than an async iterator), counting against the limit.
      const stream = res.body;
      const bytes = await new Promise<Buffer | undefined>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let over = false;
        stream.on("data", (chunk: Buffer) => {
          if (over) return;
          at.bytes += chunk.length;
          if (at.bytes > limit) {
            over = true;
            resolve(undefined);
          } else chunks.push(chunk);
        });
        stream.on("end", () => resolve(Buffer.concat(chunks)));
        stream.on("error", reject);
      });
      if (bytes === undefined) {
        discard(stream);
        return tooLarge(`reading stopped after ${at.bytes} bytes`);
      }
      return { status: res.statusCode, headers: resHeaders, bytes };
    } catch (e) {
      if (res) discard(res.body);
      return { fault: describeFault(ac.signal.aborted ? ac.signal.reason : e, at) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The request that met a 401, in this client or (through the latch file) another of the run. */
  private refusedBy(): string | undefined {
    if (this.refused === undefined && this.opts.credentialsLatch && existsSync(this.opts.credentialsLatch)) {
      try {
        this.refused = readFileSync(this.opts.credentialsLatch, "utf8").trim() || "an earlier request";
      } catch {
        // Removed meanwhile: nothing was refused after all.
      }
    }
    return this.refused;
  }

  private latch(what: string): void {
    this.refused ??= what;
    if (!this.opts.credentialsLatch) return;
    try {
      writeFileSync(this.opts.credentialsLatch, what, { flag: "wx" });
    } catch {
      // Another worker latched first: its request is the one reported.
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
