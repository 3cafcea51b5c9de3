// The HTTP transport of the harness, on undici: keep-alive connections,
// TLS options for self-signed clusters, preemptive basic auth, per-request
// timeouts, a body size limit, bounded retries that honour 429/503
// Retry-After, and a cap on requests in flight. Every exchange is recorded,
// redacted, and every transport fault becomes one readable sentence.
import { Agent, request, errors as undiciErrors } from "undici";
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

export type FaultKind = "timeout" | "connection-refused" | "reset" | "tls" | "dns" | "too-large" | "other";

export interface Exchange {
  id: number;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; contentType: string; bodyText: string; json?: unknown; jsonError?: string };
  durationMs: number;
  retries: number;
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

function describeFault(e: unknown, timeoutMs: number, url: string): { kind: FaultKind; message: string } {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err?.code ?? err?.cause?.code ?? "";
  const msg = String(err?.message ?? e);
  if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError || code === "UND_ERR_CONNECT_TIMEOUT" || /timeout/i.test(code)) {
    return { kind: "timeout", message: `no complete answer from ${url} within ${timeoutMs} ms (timeout)` };
  }
  if (code === "ECONNREFUSED") return { kind: "connection-refused", message: `connection refused by ${new URL(url).host}: is the target running and the port right?` };
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || /other side closed|socket hang up/i.test(msg)) return { kind: "reset", message: `the connection to ${new URL(url).host} was reset before the answer was complete` };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { kind: "dns", message: `cannot resolve the host ${new URL(url).hostname}` };
  if (/CERT|SSL|TLS|self.signed|altname|certificate/i.test(code + msg)) {
    const why = /altname|Hostname/i.test(code + msg) ? "the certificate is for another host" : /self.signed|SELF_SIGNED|UNABLE_TO_VERIFY|local issuer/i.test(code + msg) ? "the certificate is self-signed or from an unknown CA" : "the TLS handshake failed";
    return { kind: "tls", message: `TLS handshake with ${new URL(url).host} failed: ${why} (use --ca FILE to trust it, or --insecure for a lab system)` };
  }
  if (code === "UND_ERR_RES_EXCEEDED_MAX_SIZE") return { kind: "too-large", message: `the answer from ${url} is larger than the body size limit` };
  return { kind: "other", message: `the request to ${url} failed: ${msg.split("\n")[0]}` };
}

function retryDelay(headers: Record<string, string>, attempt: number, cap: number): number {
  const ra = headers["retry-after"];
  if (ra !== undefined) {
    const secs = Number(ra);
    const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(ra) - Date.now();
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), cap);
  }
  return Math.min(100 * 2 ** attempt, cap);
}

export class HttpClient {
  private readonly agent: Agent;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  readonly redactor: Redactor;

  constructor(private readonly opts: TransportOptions) {
    this.redactor = opts.redactor ?? new Redactor({ secrets: opts.password ? [opts.password] : [], username: opts.username });
    this.agent = new Agent({
      connections: Math.max(1, opts.concurrency),
      keepAliveTimeout: 10_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      maxResponseSize: opts.maxBodyBytes ?? 16 * 1024 * 1024,
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
    const url = `${this.opts.baseUrl}${spec.path}${encodeQuery(spec.query)}`;
    const headers: Record<string, string> = { accept: spec.accept ?? "application/hal+json", "user-agent": "ontap-conformance", ...(spec.headers ?? {}) };
    if (this.opts.username !== undefined && this.opts.password !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${this.opts.username}:${this.opts.password}`).toString("base64")}`;
    }
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
    const exchange: Exchange = {
      id: nextId++,
      request: { method: spec.method, url: this.redactor.redactText(url), headers: this.redactor.redactHeaders(headers), body: shown === undefined ? undefined : this.redactor.redactText(shown) },
      durationMs: 0,
      retries: 0,
    };
    const started = Date.now();
    await this.slot();
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await request(url, { method: spec.method as never, headers, body: body as never, dispatcher: this.agent });
          const text = await res.body.text();
          const resHeaders = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)]));
          if ((res.statusCode === 429 || res.statusCode === 503) && attempt < this.opts.retries.max) {
            exchange.retries++;
            await new Promise((r) => setTimeout(r, retryDelay(resHeaders, attempt, this.opts.retries.maxDelayMs)));
            continue;
          }
          const contentType = resHeaders["content-type"] ?? "";
          const response: Exchange["response"] = { status: res.statusCode, headers: this.redactor.redactHeaders(resHeaders), contentType, bodyText: text };
          if (text.length) {
            try {
              response.json = JSON.parse(text);
            } catch (e) {
              response.jsonError = `${(e as Error).message} (${text.length} bytes)`;
            }
          }
          exchange.response = response;
          break;
        } catch (e) {
          exchange.error = describeFault(e, this.opts.timeoutMs, this.redactor.redactText(url));
          break;
        }
      }
    } finally {
      this.release();
      exchange.durationMs = Date.now() - started;
    }
    this.opts.onExchange?.(exchange);
    return exchange;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
