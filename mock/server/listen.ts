// The node:http / node:https listener: reads bodies (bounded), applies the
// simulated network latency, and hands requests to dispatch().
import { createServer as createHttpServer, maxHeaderSize, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { generate } from "selfsigned";
import { OntapError } from "../errors.ts";
import { errorReply, responseText, send } from "./respond.ts";
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

/** What node's HTTP parser could not read in a request, in words (its error codes: llhttp's HPE_*). */
function unreadable(err: NodeJS.ErrnoException & { reason?: string }, headerLimit: number): string {
  switch (err.code) {
    case "HPE_INVALID_METHOD":
      return "the request method is not an HTTP method";
    case "HPE_HEADER_OVERFLOW":
      return `the request line and headers are larger than ${headerLimit} bytes`;
    case "HPE_INVALID_HEADER_TOKEN":
      return "a header name or value holds a character HTTP does not allow there";
    case "HPE_INVALID_CONTENT_LENGTH":
      return "the Content-Length header is not a number of bytes";
    case "HPE_UNEXPECTED_CONTENT_LENGTH":
      return "the request has both Content-Length and Transfer-Encoding";
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return "the request did not arrive whole in time";
    default:
      return `the request is not valid HTTP/1.1 (${err.reason ?? err.message})`;
  }
}

/**
 * A request node's HTTP parser refuses before any handler sees it (an
 * unknown method, headers over the parser's limit, a control byte in a
 * header, a Content-Length that is no number, a 100 KB query) is answered
 * like any other bad input: ONTAP's error envelope, 400 ("input could not be
 * parsed, or invalid", ref §5.5) with code 262185 invalid value (ref §5.6),
 * as the mock answers a request path that is not valid percent-encoding
 * (dispatch.ts), instead of node's bare 400 or 431 without a body. Nothing
 * reaches dispatch(), so the state is unchanged. The connection is then
 * closed (what follows on it cannot be read either). Nothing is written to
 * a socket that is gone, or on which an answer has begun (a pipelined
 * request after one being answered): it is only closed, as node does.
 */
function answerUnreadable(headerLimit: number) {
  return (err: NodeJS.ErrnoException & { reason?: string }, socket: Duplex): void => {
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (err.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(responseText(errorReply(new OntapError(400, 262185, `Invalid value: ${unreadable(err, headerLimit)}.`))), () => socket.destroy());
  };
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
  server.on("clientError", answerUnreadable(maxHeaderSize));
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
