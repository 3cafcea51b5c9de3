// The three requests rows 1 and 2 send, and recorded answers to them.
import { undici } from "./deps.ts";
import type { OperationId } from "../../src/contract/typed.ts";

export interface CannedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request of the mix: the operation it belongs to and its URL path + query. */
export interface MixRequest {
  operationId: OperationId;
  path: string;
  query: Record<string, string>;
  pathParams: Record<string, string>;
  url: string;
}

function mixEntry(operationId: OperationId, path: string, query: Record<string, string> = {}, pathParams: Record<string, string> = {}): MixRequest {
  const qs = Object.entries(query).map(([k, v]) => `${k}=${v}`).join("&");
  return { operationId, path, query, pathParams, url: qs ? `${path}?${qs}` : path };
}

/** Collection with every field, one item, and the cluster software object. */
export const MIX: MixRequest[] = [
  mixEntry("licenses_get", "/api/cluster/licensing/licenses", { fields: "*" }),
  mixEntry("license_get", "/api/cluster/licensing/licenses/base", {}, { name: "base" }),
  mixEntry("software_get", "/api/cluster/software"),
];

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** Record what `baseUrl` answers to the mix (headers that describe a connection are dropped). */
export async function record(baseUrl: string, authorization: string): Promise<Record<string, CannedResponse>> {
  const out: Record<string, CannedResponse> = {};
  for (const m of MIX) {
    const res = await undici.request(`${baseUrl}${m.url}`, { headers: { authorization, accept: "application/hal+json" } });
    const body = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (["date", "connection", "keep-alive", "content-length", "transfer-encoding"].includes(k)) continue;
      headers[k] = Array.isArray(v) ? v.join(", ") : String(v);
    }
    out[m.url] = { status: res.statusCode, headers, body };
  }
  return out;
}
