// Writing replies: ONTAP's headers (the docs' sample headers, ref §5.7), HAL
// or plain JSON by Accept (application/json → plain; anything else → HAL,
// ref §5.7 S4), and the error envelopes (`{"error": {...}}`, `{"errors":
// [...]}` for license POST, ref §2.11).
import { STATUS_CODES, type ServerResponse } from "node:http";
import { OntapError } from "../errors.ts";
import type { Reply } from "./types.ts";

export const HAL = "application/hal+json";
export const JSON_TYPE = "application/json";

/**
 * With Accept: application/json, ONTAP drops HAL links except `next` (ref
 * §5.7, S4 "interpret the response"). The job link of an asynchronous answer
 * stays: the docs' own examples send `accept: application/json` and show
 * `job._links.self.href` (spec/sources/002 "Validating the software" PATCH
 * and "Downloading the software package" POST; spec/sources/003), and
 * na_ontap_restit follows it (ref §8.1).
 */
export function stripLinks(value: unknown, top = true): unknown {
  if (Array.isArray(value)) return value.map((v) => stripLinks(v, false));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "_links") {
      const next = (v as { next?: unknown })?.next;
      if (next) out._links = { next };
      continue;
    }
    out[k] = top && k === "job" && v && typeof v === "object" ? keepJobLink(v as Record<string, unknown>) : stripLinks(v, false);
  }
  return out;
}

function keepJobLink(job: Record<string, unknown>): Record<string, unknown> {
  const { _links, ...rest } = job;
  const out = stripLinks(rest, false) as Record<string, unknown>;
  return _links === undefined ? out : { ...out, _links };
}

export function wantsPlainJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(",").map((t) => t.split(";")[0].trim().toLowerCase());
  return !types.includes(HAL) && types.includes(JSON_TYPE);
}

export function errorReply(err: OntapError, plural = false): Reply {
  return { status: err.httpStatus, body: plural ? { errors: [err.toJSON()] } : { error: err.toJSON() } };
}

export function errorsReply(errors: OntapError[]): Reply {
  return { status: errors[0].httpStatus, body: { errors: errors.map((e) => e.toJSON()) } };
}

const BASE_HEADERS = {
  server: "libzapid-httpd",
  "cache-control": "no-cache,no-store,must-revalidate",
  "x-content-type-options": "nosniff",
};

/** A reply's body as JSON text, as it is sent for a request that asked for plain JSON (`plainJson`) or HAL. */
export function bodyText(reply: Reply, plainJson: boolean): string {
  return JSON.stringify(plainJson && !reply.keepLinks ? stripLinks(reply.body) : reply.body);
}

/**
 * A whole HTTP/1.1 response as text, for a socket no ServerResponse stands
 * for (a request node's parser refused, listen.ts): the same headers and
 * body `send` writes, and `connection: close`.
 */
export function responseText(reply: Reply): string {
  const payload = reply.body === undefined ? "" : bodyText(reply, false);
  const headers: Record<string, string> = { ...BASE_HEADERS, ...reply.headers, ...(reply.body === undefined ? {} : { "content-type": HAL }), "content-length": String(Buffer.byteLength(payload)), connection: "close" };
  const head = [`HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? ""}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${head.join("\r\n")}\r\n\r\n${payload}`;
}

export function send(res: ServerResponse, reply: Reply, opts: { plainJson: boolean; head?: boolean }): void {
  const headers: Record<string, string> = { ...BASE_HEADERS, ...reply.headers };
  // The body goes out as the JSON text itself: node:http then writes the head and the body in one piece, and no
  // copy of the text into a Buffer is made first (the same bytes, UTF-8).
  let payload: string | Buffer | undefined;
  if (reply.body !== undefined) {
    payload = reply.payload ?? bodyText(reply, opts.plainJson);
    headers["content-type"] = reply.headers?.["content-type"] ?? (opts.plainJson ? JSON_TYPE : HAL);
  }
  headers["content-length"] = String(payload === undefined ? 0 : typeof payload === "string" ? Buffer.byteLength(payload) : payload.length);
  res.writeHead(reply.status, headers);
  res.end(opts.head ? undefined : payload);
}
