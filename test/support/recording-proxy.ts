// A recording HTTP proxy for CLI tests: sits in front of a target (the
// reference mock), forwards every request unchanged and records its method,
// path, query, body and the status the target answered.
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { readAll } from "./local-server.ts";

export interface Recorded {
  method: string;
  path: string;
  /** The raw query string, without "?". */
  query: string;
  body: string;
  status?: number;
}

export interface RecordingProxy {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export interface ProxyHooks {
  /** Sees each request before it is forwarded. */
  onRequest?(r: Recorded): void;
  /** Sees each request once the target has answered (status set); the client gets the answer when it returns (or its promise settles). */
  onResponse?(r: Recorded): void | Promise<void>;
  /** Answer a request in the target's place (it is recorded, not forwarded): `body` as JSON, or `text` as it is. */
  intercept?(r: Recorded): { status: number; body?: unknown; text?: string; headers?: Record<string, string> } | undefined;
}

export async function startRecordingProxy(targetUrl: string, hooks: ProxyHooks = {}): Promise<RecordingProxy> {
  const target = new URL(targetUrl);
  const requests: Recorded[] = [];
  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    const [path, query = ""] = (req.url ?? "/").split(/\?(.*)/s);
    const rec: Recorded = { method: req.method ?? "GET", path, query, body: body.toString("utf8") };
    requests.push(rec);
    hooks.onRequest?.(rec);
    const canned = hooks.intercept?.(rec);
    if (canned) {
      rec.status = canned.status;
      res.writeHead(canned.status, { "content-type": "application/hal+json", ...canned.headers });
      res.end(canned.text ?? JSON.stringify(canned.body));
      return;
    }
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, async (up) => {
      rec.status = up.statusCode;
      await hooks.onResponse?.(rec);
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", (e) => {
      rec.status = 502;
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(String(e));
    });
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
