// A hostile target for the reliability tests (test/reliability/): a proxy in
// front of the reference mock that applies ONE named fault to the requests a
// rule selects (a path pattern, the requests after discovery, the first N),
// and passes every other request through unchanged. Whole-target faults (a
// TLS handshake that fails, a certificate for another name) break every
// request. The catalog is the list of `HostileFault`s below.
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { generate } from "selfsigned";
import { readAll } from "./local-server.ts";

export type HostileFault =
  /** 200 with the first half of the real body, Content-Length matching (valid HTTP, broken JSON). */
  | "truncated-json"
  /** The real body with a trailing comma before the last brace. */
  | "invalid-json"
  /** 200 with Content-Length 0. */
  | "empty-200"
  /** The real body labelled text/html. */
  | "wrong-content-type"
  /** Headers and half the body, then a space every 100 ms, forever. */
  | "never-ending-body"
  /** The request is read and never answered. */
  | "no-answer"
  /** Headers and half the body, then a TCP reset. */
  | "reset-mid-body"
  /** A well-formed JSON body of `hugeBytes` (default 50 MB), chunked or (`announce`) with its Content-Length. */
  | "huge-body"
  /** `status` (500, 502, 503, 429 ...) with an error body and optional Retry-After. */
  | "status"
  /** 200 with an HTML login page, as a proxy or web UI in front of the cluster answers. */
  | "html-page"
  /** 302 to `location` (default the same path on another host). */
  | "redirect"
  /** 401 with WWW-Authenticate, as when a session expires or the password changes. */
  | "credentials-refused"
  /** Every connection: a TLS handshake_failure alert in answer to the ClientHello. */
  | "tls-handshake-failure"
  /** HTTPS with a certificate for cluster.other.example (trust it with --ca to reach the name check). */
  | "wrong-host-certificate"
  /** A gateway's RFC 9457 answer: `status` with application/problem+json {type, title, status, detail}. */
  | "problem-json"
  /** Every collection answer's `_links.next.href` set to /api/resourcelink, as Prism answers NetApp's swagger. */
  | "next-link-elsewhere"
  /** Every collection answer's `_links.next.href` set to the request's own path and query: the same page again. */
  | "next-link-repeats";

export interface HostileOptions {
  /** The reference mock (http://) every request that is not broken goes to. */
  upstream: string;
  fault: HostileFault;
  /** Requests the fault applies to, matched on the path with its query; default every request. */
  match?: RegExp;
  /** Leave the first N requests of all alone (discovery makes 2). */
  after?: number;
  /** Break only this many matching requests, then pass through (a burst); default all. */
  times?: number;
  status?: number;
  retryAfter?: string;
  location?: string;
  hugeBytes?: number;
  /** huge-body: send Content-Length up front instead of chunks. */
  announce?: boolean;
}

export interface HostileStats {
  /** Requests (TLS faults: connections) that reached the hostile target. */
  requests: number;
  /** Requests the fault was applied to. */
  faulted: number;
  /** Requests that arrived after the first fault was applied. */
  afterFirstFault: number;
}

export interface HostileTarget {
  url: string;
  stats: HostileStats;
  /** The certificate served (wrong-host-certificate), PEM. */
  certificate?: string;
  close(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function fetchUpstream(upstream: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const up = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, async (res) => {
      try {
        resolve({ status: res.statusCode ?? 502, headers: res.headers, body: await readAll(res) });
      } catch (e) {
        reject(e);
      }
    });
    up.on("error", reject);
    up.end(body);
  });
}

/** Upstream headers without the framing ones (the proxy frames the body itself). */
function passHeaders(h: Upstream["headers"], extra: Record<string, string | number> = {}): Record<string, string | string[] | number> {
  const out: Record<string, string | string[] | number> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !["content-length", "transfer-encoding", "connection", "keep-alive"].includes(k)) out[k] = v;
  return { ...out, ...extra };
}

function send(res: ServerResponse, status: number, headers: Record<string, string | string[] | number>, body: Buffer | string): void {
  res.writeHead(status, { ...headers, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const ERROR_BODY: Record<number, { message: string; code: string }> = {
  401: { message: "User is not authorized.", code: "6" },
  429: { message: "Too many requests. Try again later.", code: "262143" },
  500: { message: "Internal error. Unexpected failure.", code: "1" },
  503: { message: "The service is temporarily unavailable.", code: "262144" },
};

/** Answer one request with the fault. */
async function applyFault(opts: HostileOptions, upstream: URL, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
  const half = (b: Buffer) => b.subarray(0, Math.floor(b.length / 2));
  switch (opts.fault) {
    case "truncated-json": {
      const up = await fetchUpstream(upstream, req, body);
      return send(res, up.status, passHeaders(up.headers), half(up.body));
    }
    case "invalid-json": {
      const up = await fetchUpstream(upstream, req, body);
      return send(res, up.status, passHeaders(up.headers), up.body.toString("utf8").replace(/\}\s*$/, ",}"));
    }
    case "empty-200":
      return send(res, 200, { "content-type": "application/hal+json" }, "");
    case "wrong-content-type": {
      const up = await fetchUpstream(upstream, req, body);
      return send(res, up.status, passHeaders(up.headers, { "content-type": "text/html; charset=utf-8" }), up.body);
    }
    case "never-ending-body": {
      const up = await fetchUpstream(upstream, req, body);
      res.writeHead(up.status, passHeaders(up.headers));
      res.write(half(up.body));
      // Faster than any idle timeout: only a deadline for the whole answer ends this.
      const drip = setInterval(() => res.write(" "), 100);
      res.on("close", () => clearInterval(drip));
      return;
    }
    case "no-answer":
      return;
    case "reset-mid-body": {
      const up = await fetchUpstream(upstream, req, body);
      res.writeHead(up.status, passHeaders(up.headers, { "content-length": up.body.length }));
      res.write(half(up.body), () => setTimeout(() => res.socket?.resetAndDestroy(), 20));
      return;
    }
    case "huge-body":
      return streamHuge(res, opts.hugeBytes ?? 50 * 1024 * 1024, opts.announce ?? false);
    case "status": {
      const status = opts.status ?? 500;
      const headers: Record<string, string> = opts.retryAfter !== undefined ? { "retry-after": opts.retryAfter } : {};
      // A 502 comes from a gateway in front of the cluster: HTML, as proxies send it.
      if (status === 502) return send(res, status, { ...headers, "content-type": "text/html" }, "<html><body><h1>502 Bad Gateway</h1></body></html>");
      return send(res, status, { ...headers, "content-type": "application/hal+json" }, JSON.stringify({ error: ERROR_BODY[status] ?? ERROR_BODY[500] }));
    }
    case "html-page":
      return send(res, 200, { "content-type": "text/html; charset=utf-8" }, "<!doctype html><html><head><title>Sign in</title></head><body><form method=post><input name=user></form></body></html>");
    case "redirect":
      return send(res, 302, { location: opts.location ?? `https://cluster.example.invalid${req.url}`, "content-type": "text/html" }, "<html><body>Moved</body></html>");
    case "problem-json": {
      const status = opts.status ?? 503;
      return send(res, status, { "content-type": "application/problem+json" }, JSON.stringify({ type: "about:blank", title: "Service Unavailable", status, detail: "upstream cluster-mgmt is draining" }));
    }
    case "next-link-elsewhere":
    case "next-link-repeats": {
      const up = await fetchUpstream(upstream, req, body);
      const json = JSON.parse(up.body.toString("utf8"));
      if (json && Array.isArray(json.records)) json._links = { ...json._links, next: { href: opts.fault === "next-link-elsewhere" ? "/api/resourcelink" : req.url } };
      return send(res, up.status, passHeaders(up.headers), JSON.stringify(json));
    }
    case "credentials-refused":
      return send(res, 401, { "www-authenticate": 'Basic realm="ONTAP"', "content-type": "application/hal+json" }, JSON.stringify({ error: ERROR_BODY[401] }));
    default:
      throw new Error(`${opts.fault} is a whole-target fault`);
  }
}

/** `{"records":[{...},{...},...]}` of about `size` bytes, honouring backpressure; stops when the client goes. */
async function streamHuge(res: ServerResponse, size: number, announce: boolean): Promise<void> {
  const record = Buffer.from(`{"name":"${"x".repeat(1000)}"},`);
  const chunk = Buffer.concat(Array.from({ length: 64 }, () => record));
  const head = '{"records":[';
  const tail = '{"name":"last"}]}';
  const chunks = Math.ceil(size / chunk.length);
  res.writeHead(200, { "content-type": "application/hal+json", ...(announce ? { "content-length": head.length + chunks * chunk.length + tail.length } : {}) });
  let closed = false;
  let wake = () => {};
  res.on("close", () => {
    closed = true;
    wake();
  });
  res.write(head);
  for (let i = 0; i < chunks && !closed; i++) {
    if (!res.write(chunk)) await new Promise<void>((r) => { wake = r; res.once("drain", r); });
  }
  if (!closed) res.end(tail);
}

export async function startHostileTarget(opts: HostileOptions): Promise<HostileTarget> {
  const upstream = new URL(opts.upstream);
  const stats: HostileStats = { requests: 0, faulted: 0, afterFirstFault: 0 };
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  };

  if (opts.fault === "tls-handshake-failure") {
    // TLS record: alert (21), TLS 1.2, length 2, fatal (2), handshake_failure (40).
    const server = createNetServer((socket) => {
      track(socket);
      stats.requests++;
      stats.faulted++;
      socket.once("data", () => socket.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])));
      socket.on("error", () => {});
    });
    return finish(server, "https", stats, sockets);
  }

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const body = await readAll(req);
      stats.requests++;
      if (stats.faulted > 0) stats.afterFirstFault++;
      const selected = opts.fault !== "wrong-host-certificate" && stats.requests > (opts.after ?? 0) && (!opts.match || opts.match.test(req.url ?? "")) && (opts.times === undefined || stats.faulted < opts.times);
      if (selected) {
        stats.faulted++;
        await applyFault(opts, upstream, req, body, res);
        return;
      }
      const up = await fetchUpstream(upstream, req, body);
      send(res, up.status, passHeaders(up.headers), up.body);
    } catch {
      res.socket?.destroy();
    }
  };

  if (opts.fault === "wrong-host-certificate") {
    const pems = await generate([{ name: "commonName", value: "cluster.other.example" }], {
      keySize: 2048,
      algorithm: "sha256",
      extensions: [{ name: "basicConstraints", cA: false }, { name: "subjectAltName", altNames: [{ type: 2, value: "cluster.other.example" }] }],
    });
    const server = createHttpsServer({ cert: pems.cert, key: pems.private }, handler);
    server.on("connection", track);
    const target = await finish(server, "https", stats, sockets);
    return { ...target, certificate: pems.cert };
  }
  const server = createHttpServer(handler);
  server.on("connection", track);
  return finish(server, "http", stats, sockets);
}

async function finish(server: Server | ReturnType<typeof createNetServer>, scheme: "http" | "https", stats: HostileStats, sockets: Set<Socket>): Promise<HostileTarget> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    stats,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
