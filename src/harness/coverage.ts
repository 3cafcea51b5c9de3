// What one check exercised, read from its exchanges: per operation the
// statuses seen, the query parameters sent, the error codes answered and the
// response fields that were validated (success bodies of call()). The run
// merges these into the coverage matrix (reports/coverage.ts).
import { matchOperation } from "../contract/index.ts";
import type { Exchange } from "./transport.ts";

/** How a documented error code was met by a check (the run's error-code coverage). */
export interface ErrorCodeMet {
  operation: string;
  code: string;
  /** provoked: a scenario sent a request that must raise it; injected: the embedded mock's fault switch raised it. */
  outcome: "provoked" | "injected";
  what: string;
}

export interface OperationTouch {
  statuses: string[];
  params: string[];
  codes: string[];
  fields: string[];
}

export interface CheckCoverage {
  operations: Record<string, OperationTouch>;
  errorCodes: ErrorCodeMet[];
}

/** Dotted leaf paths of a record (arrays crossed, `_links` left out). */
function leafPaths(value: unknown, prefix: string, out: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((v) => leafPaths(v, prefix, out));
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (k !== "_links") leafPaths(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (prefix) out.add(prefix);
}

export function coverageOf(exchanges: readonly Exchange[], errorCodes: readonly ErrorCodeMet[] = []): CheckCoverage {
  const operations: Record<string, { statuses: Set<string>; params: Set<string>; codes: Set<string>; fields: Set<string> }> = {};
  for (const ex of exchanges) {
    if (!ex.response) continue;
    const url = new URL(ex.request.url);
    const hit = matchOperation(ex.request.method, url.pathname);
    if (!hit) continue;
    const t = (operations[hit.op.id] ??= { statuses: new Set(), params: new Set(), codes: new Set(), fields: new Set() });
    t.statuses.add(String(ex.response.status));
    for (const name of url.searchParams.keys()) t.params.add(name);
    for (const name of Object.keys(hit.pathParams)) t.params.add(name);
    const body = ex.response.json as any;
    const codes = [body?.error?.code, ...(Array.isArray(body?.errors) ? body.errors.map((e: any) => e?.code) : [])].filter((c) => c !== undefined);
    for (const c of codes) t.codes.add(String(c));
    if (ex.response.status < 300 && body && typeof body === "object") {
      const fields = new Set<string>();
      leafPaths(hit.op.collection ? body.records ?? [] : body, "", fields);
      for (const f of fields) t.fields.add(f);
    }
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    operations: Object.fromEntries(Object.entries(operations).map(([id, t]) => [id, { statuses: sorted(t.statuses), params: sorted(t.params), codes: sorted(t.codes), fields: sorted(t.fields) }])),
    errorCodes: [...errorCodes],
  };
}
