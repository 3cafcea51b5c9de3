// Test client for the reference mock: every response is validated against
// the contract (strict mode) as it arrives, so a test fails whenever the mock
// breaks its own schema, status list or error-code table.
import { request } from "undici";
import { expect } from "vitest";
import { matchOperation, validateResponse } from "../../src/contract/index.ts";
import { startMock, type MockHandle, type MockOptions } from "../../mock/index.ts";

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
}

export interface Api {
  mock: MockHandle;
  call(method: string, path: string, opts?: { query?: Record<string, string>; body?: unknown; raw?: string | Buffer; headers?: Record<string, string>; auth?: string | null; validate?: boolean }): Promise<ApiResponse>;
  get(path: string, query?: Record<string, string>): Promise<ApiResponse>;
  close(): Promise<void>;
}

export async function mockApi(options: MockOptions = {}): Promise<Api> {
  const mock = await startMock(options);
  const version = mock.options.ontapVersion;
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;
  const call: Api["call"] = async (method, path, opts = {}) => {
    const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : "";
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.auth !== null) headers.authorization = opts.auth ?? basic(mock.options.username, mock.options.password);
    let body: string | Buffer | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await request(`${mock.url}${path}${qs}`, { method: method as never, headers, body });
    const text = await res.body.text();
    let parsed: unknown;
    if (text) parsed = JSON.parse(text);
    const out: ApiResponse = { status: res.statusCode, headers: res.headers as Record<string, string>, body: parsed, text };
    const match = matchOperation(method === "HEAD" ? "GET" : method, path);
    if (match && opts.validate !== false && method !== "HEAD" && res.statusCode !== 401) {
      const result = validateResponse(match.op.id, res.statusCode, parsed, { ontapVersion: version, strict: true });
      expect(result.errors.map((e) => e.message), `${method} ${path}${qs} → ${res.statusCode}: the mock broke its own contract`).toEqual([]);
    }
    return out;
  };
  return { mock, call, get: (path, query) => call("GET", path, { query }), close: () => mock.close() };
}

/** The ONTAP error code of a response (single or plural envelope). */
export function codeOf(r: ApiResponse): string | undefined {
  return r.body?.error?.code ?? r.body?.errors?.[0]?.code;
}

/** Advance the mock's virtual clock (an upgrade step is 30 virtual minutes). */
export function advance(api: Api, ms: number): void {
  api.mock.state().clock.advance(ms);
}
