// The docs' examples as fixtures (spec/examples/), and which named quirks
// each one exhibits: every contract violation of an example must be
// explained by a quirk of spec/quirks.yaml, or the contract (or the quirk
// list) is wrong.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLES_DIR } from "./spec.ts";
import { getOperation, successStatuses, commonErrorCodes } from "./operations.ts";
import { findQuirk, loadQuirks } from "./quirks.ts";
import { validateRequestBody, validateResponse, type Violation } from "./validators.ts";

export interface Fixture {
  id: string;
  source: { file: string; section: string; line: number };
  ontap_version: string;
  operation: string | null;
  kind: "request" | "response" | "error" | "license-key";
  status: number | null;
  request: { method: string; path: string; query: Record<string, string> } | null;
  body: unknown;
  raw?: string;
  quirks: string[];
}

export function loadExamples(): Fixture[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(EXAMPLES_DIR, f), "utf8")) as Fixture);
}

/** The HTTP status an example stands for: given, or the code's, or the operation's first success. */
function statusOf(x: Fixture): number {
  if (x.status) return x.status;
  if (x.kind === "error") {
    const code = (x.body as any)?.error?.code ?? (x.body as any)?.errors?.[0]?.code;
    return commonErrorCodes()[code]?.http?.[0] ?? 400;
  }
  return successStatuses(getOperation(x.operation!), x.ontap_version)[0];
}

export interface ExampleVerdict {
  /** Quirk ids the example exhibits. */
  quirks: string[];
  /** Violations no quirk explains (must be empty). */
  unexplained: Violation[];
}

/** Keys of a license POST body that are not 28 characters (and not NLF JSON). */
function keyLengthQuirks(body: unknown): string[] {
  const keys = (body as { keys?: unknown[] })?.keys;
  if (!Array.isArray(keys)) return [];
  const ids: string[] = [];
  for (const k of keys) {
    if (typeof k !== "string" || k.trim().startsWith("{") || k.length === 28) continue;
    const q = loadQuirks().find((x) => x.keyword === "other" && x.docs_show === k);
    if (q) ids.push(q.id);
  }
  return ids;
}

export function judgeExample(x: Fixture): ExampleVerdict {
  const quirks = new Set<string>();
  const unexplained: Violation[] = [];
  if (x.raw !== undefined) {
    // Not valid JSON: named as such, plus every quirk whose docs text it shows.
    quirks.add("example-invalid-json");
    for (const q of loadQuirks()) if (q.docs_show && q.keyword !== "json" && q.keyword !== "other" && x.raw.includes(q.docs_show) && (q.operations.includes(x.operation ?? "") || q.operations.includes("*"))) quirks.add(q.id);
    for (const q of loadQuirks()) if (q.keyword === "other" && q.docs_show && x.raw.includes(q.docs_show)) quirks.add(q.id);
    return { quirks: [...quirks].sort(), unexplained };
  }
  if (x.kind === "license-key" || !x.operation) return { quirks: [], unexplained };
  const result = x.kind === "request"
    ? validateRequestBody(x.operation, x.body, { ontapVersion: x.ontap_version, strict: true })
    : validateResponse(x.operation, statusOf(x), x.body, { ontapVersion: x.ontap_version, strict: true });
  for (const v of result.errors) {
    const q = findQuirk(x.operation, v);
    if (q) quirks.add(q.id);
    else unexplained.push(v);
  }
  if (x.kind === "request" && x.operation === "license_create") for (const id of keyLengthQuirks(x.body)) quirks.add(id);
  return { quirks: [...quirks].sort(), unexplained };
}
