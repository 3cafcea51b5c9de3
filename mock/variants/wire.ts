// The transport half of a legal variant: an HTTP proxy in front of the
// reference mock that forwards every request unchanged and sends the mock's
// answer on with the variant's framing, bytes and timing (chunked transfer
// coding, Connection: close, extra headers, reformatted JSON, delays).
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { WireAnswer, WireBehaviour } from "./types.ts";

export interface WireProxy {
  url: string;
  close(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function send(res: ServerResponse, a: WireAnswer, behaviour: WireBehaviour): Promise<void> {
  const headers = { ...a.headers };
  delete headers["content-length"];
  delete headers["transfer-encoding"];
  delete headers.connection;
  delete headers["keep-alive"];
  if (behaviour.close) headers.connection = "close";
  const head = a.method === "HEAD";
  if (head) {
    // HEAD: the headers a GET would carry, no body (RFC 9110 §9.3.2).
    if (a.headers["content-length"] !== undefined) headers["content-length"] = a.headers["content-length"];
    res.writeHead(a.status, headers);
    res.end();
    return;
  }
  if (!behaviour.chunked || a.body.length === 0) {
    headers["content-length"] = String(a.body.length);
    res.writeHead(a.status, headers);
    res.end(a.body);
    return;
  }
  // No Content-Length: Node frames the body with chunked transfer coding (RFC 9112 §7.1).
  res.writeHead(a.status, headers);
  const parts = Math.min(4, a.body.length);
  const size = Math.ceil(a.body.length / parts);
  for (let at = 0; at < a.body.length; at += size) {
    res.write(a.body.subarray(at, at + size));
    await new Promise((r) => setImmediate(r));
  }
  res.end();
}

export async function startWireProxy(targetUrl: string, behaviour: WireBehaviour): Promise<WireProxy> {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server = createServer(async (req, res) => {
    try {
      const body = await readAll(req);
      const answer = await new Promise<WireAnswer>((resolve, reject) => {
        const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, agent, headers: { ...req.headers, host: target.host, connection: "keep-alive" } }, async (r) => {
          try {
            const headers: Record<string, string | string[]> = {};
            for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) headers[k] = v;
            resolve({ method: req.method ?? "GET", url: req.url ?? "/", status: r.statusCode ?? 502, headers, body: await readAll(r) });
          } catch (e) {
            reject(e);
          }
        });
        up.on("error", reject);
        up.end(body);
      });
      behaviour.answer?.(answer);
      const delay = behaviour.delayMs?.() ?? 0;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      if (!res.destroyed) await send(res, answer, behaviour);
    } catch (e) {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`wire proxy: ${(e as Error).message}`);
      }
    }
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
