// The node:http / node:https listener: reads bodies (bounded), applies the
// simulated network latency, and hands requests to dispatch().
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";
import { OntapError } from "../errors.ts";
import { errorReply, send } from "./respond.ts";
import type { Reply } from "./types.ts";

/**
 * Upload bodies may be large; anything beyond this is refused unread (400
 * 262199). A resource guard of the mock process, sized for package uploads,
 * not a contract rule: ONTAP's own limit is not documented and no check
 * asserts this one.
 */
export const MAX_BODY = 64 * 1024 * 1024;

export interface TlsMaterial {
  cert: string;
  key: string;
}

export interface ListenOptions {
  host: string;
  port: number;
  tls?: TlsMaterial;
  latencyMs: number;
  handle(req: IncomingMessage, body: Buffer): Promise<{ reply: Reply; plainJson: boolean; head: boolean }>;
}

/** A self-signed certificate for 127.0.0.1, ::1 and localhost, made at start. */
export async function selfSignedCertificate(host: string): Promise<TlsMaterial> {
  const pems = await generate([{ name: "commonName", value: host }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }, { type: 7, ip: "::1" }, ...(/^[\d.]+$/.test(host) || host.includes(":") ? [{ type: 7 as const, ip: host }] : [{ type: 2 as const, value: host }])] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY) {
      req.resume();
      resolve("too-large");
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.removeAllListeners("data");
        req.resume();
        resolve("too-large");
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function listen(opts: ListenOptions): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const body = await readBody(req);
      const result = body === "too-large"
        ? { reply: errorReply(new OntapError(400, 262199, `The request body is larger than ${MAX_BODY} bytes.`)), plainJson: false, head: false }
        : await opts.handle(req, body);
      if (opts.latencyMs > 0) await new Promise((r) => setTimeout(r, opts.latencyMs));
      if (!res.destroyed) send(res, result.reply, result);
    } catch (e) {
      if (!res.headersSent && !res.destroyed) send(res, errorReply(new OntapError(500, 262145, `Unexpected application exception: ${(e as Error).message}`)), { plainJson: false });
    }
  };
  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest) : createHttpServer(onRequest);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  const url = `${opts.tls ? "https" : "http"}://${hostForUrl}:${port}`;
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
