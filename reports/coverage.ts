// The coverage matrix of a run: for each operation of the contract, the
// documented statuses seen, parameters exercised, error codes provoked,
// observed, injected or excused (with the recorded reason), fields validated,
// and the checks skipped by version or profile. Built from the checks'
// coverage records and the operation table, so a spec element nothing
// exercised shows up as a gap.
import { operations, paramsFor, schemaFields, successStatuses } from "../src/contract/index.ts";
import type { CheckResult } from "../src/harness/check.ts";

/**
 * How each documented error code is accounted for: the scenario that
 * provokes it, or the recorded reason why a client cannot. The CLI passes
 * suites/errors/scenarios.ts errorCodeTable; without it every code that no
 * check met is missing.
 */
export type ErrorCodeAccounts = (documented: Array<{ operation: string; code: string }>) => Array<{ operation: string; code: string; scenario?: { what: string }; reason?: string }>;

export type CodeOutcome = "provoked" | "injected" | "observed" | "unprovokable" | "missing";

export interface OperationCoverage {
  operation: string;
  method: string;
  path: string;
  statuses: { documented: string[]; seen: string[] };
  params: { documented: string[]; exercised: string[] };
  fields: { documented: string[]; validated: string[] };
  errorCodes: Record<CodeOutcome, number> & { documented: number };
  skipped: Array<{ id: string; reason: string }>;
}

export interface ErrorCodeRow {
  operation: string;
  code: string;
  meaning: string;
  outcome: CodeOutcome;
  /** The scenario sent, the recorded reason, or the check that observed it. */
  detail: string;
}

export interface Coverage {
  operations: OperationCoverage[];
  errorCodes: ErrorCodeRow[];
  /** Percentages over the whole contract (0–100, one decimal). */
  percent: { statuses: number; params: number; fields: number; errorCodesExercised: number; errorCodesAccounted: number };
}

const pct = (n: number, d: number) => (d ? Math.round((1000 * n) / d) / 10 : 100);

export function buildCoverage(results: readonly CheckResult[], version?: string, accounts: ErrorCodeAccounts = (documented) => documented): Coverage {
  const touched = (opId: string) => results.flatMap((r) => (r.coverage?.operations[opId] ? [{ r, t: r.coverage.operations[opId] }] : []));
  const met = results.flatMap((r) => (r.coverage?.errorCodes ?? []).map((m) => ({ ...m, check: r.id })));
  const ops: OperationCoverage[] = [];
  const rows: ErrorCodeRow[] = [];
  for (const op of operations()) {
    const seen = touched(op.id);
    const union = (pick: (t: { statuses: string[]; params: string[]; codes: string[]; fields: string[] }) => string[]) => [...new Set(seen.flatMap(({ t }) => pick(t)))].sort();
    const seenStatuses = union((t) => t.statuses);
    const documentedStatuses = [...successStatuses(op, version).map(String), ...(op.statuses.some((s) => s.status === "default") ? ["error"] : [])];
    const statusSeen = documentedStatuses.filter((s) => (s === "error" ? seenStatuses.some((x) => Number(x) >= 400) : seenStatuses.includes(s)));
    const documentedParams = paramsFor(op, version).map((p) => p.name);
    const sentParams = new Set(union((t) => t.params));
    const documentedFields = op.method === "GET" && op.recordSchema ? schemaFields(op.recordSchema, { version }).filter((f) => f.type !== "object" && f.type !== "array" && !f.writeOnly).map((f) => f.path) : [];
    const gotFields = new Set(union((t) => t.fields));
    const codesSeen = new Map<string, string>();
    for (const { r, t } of seen) for (const c of t.codes) if (!codesSeen.has(c)) codesSeen.set(c, r.id);
    const counts: Record<CodeOutcome, number> = { provoked: 0, injected: 0, observed: 0, unprovokable: 0, missing: 0 };
    for (const row of accounts(Object.keys(op.errorCodes).map((code) => ({ operation: op.id, code })))) {
      const hit = met.find((m) => m.operation === op.id && m.code === row.code && m.outcome === "provoked") ?? met.find((m) => m.operation === op.id && m.code === row.code);
      let outcome: CodeOutcome;
      let detail: string;
      if (hit) {
        outcome = hit.outcome;
        detail = `${hit.what} (${hit.check})`;
      } else if (codesSeen.has(row.code)) {
        outcome = "observed";
        detail = `answered during ${codesSeen.get(row.code)}`;
      } else if (row.reason) {
        outcome = "unprovokable";
        detail = row.reason;
      } else {
        outcome = "missing";
        detail = row.scenario ? `scenario not run here: ${row.scenario.what}` : "no scenario and no recorded reason";
      }
      counts[outcome]++;
      rows.push({ operation: op.id, code: row.code, meaning: op.errorCodes[row.code].meaning, outcome, detail });
    }
    ops.push({
      operation: op.id,
      method: op.method,
      path: op.apiPath,
      statuses: { documented: documentedStatuses, seen: statusSeen },
      params: { documented: documentedParams, exercised: documentedParams.filter((p) => sentParams.has(p)) },
      fields: { documented: documentedFields, validated: documentedFields.filter((f) => gotFields.has(f)) },
      errorCodes: { documented: Object.keys(op.errorCodes).length, ...counts },
      skipped: results.filter((r) => r.operation === op.id && r.status === "skip").map((r) => ({ id: r.id, reason: r.message ?? "" })),
    });
  }
  const sum = (f: (o: OperationCoverage) => number) => ops.reduce((n, o) => n + f(o), 0);
  const documentedCodes = sum((o) => o.errorCodes.documented);
  return {
    operations: ops,
    errorCodes: rows,
    percent: {
      statuses: pct(sum((o) => o.statuses.seen.length), sum((o) => o.statuses.documented.length)),
      params: pct(sum((o) => o.params.exercised.length), sum((o) => o.params.documented.length)),
      fields: pct(sum((o) => o.fields.validated.length), sum((o) => o.fields.documented.length)),
      errorCodesExercised: pct(sum((o) => o.errorCodes.provoked + o.errorCodes.injected + o.errorCodes.observed), documentedCodes),
      errorCodesAccounted: pct(sum((o) => o.errorCodes.documented - o.errorCodes.missing), documentedCodes),
    },
  };
}

/** The error-code coverage table the terminal prints at the end of a run. */
export function coverageTable(c: Coverage): string[] {
  const rows = c.operations.filter((o) => o.errorCodes.documented);
  const head = ["operation", "codes", "provoked", "observed", "injected", "excused", "missing"];
  const body = rows.map((o) => [o.operation, o.errorCodes.documented, o.errorCodes.provoked, o.errorCodes.observed, o.errorCodes.injected, o.errorCodes.unprovokable, o.errorCodes.missing].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join("  ");
  return [
    "error-code coverage (excused = a recorded reason why a client cannot provoke it on a healthy cluster):",
    `  ${line(head)}`,
    ...body.map((r) => `  ${line(r)}`),
    `  coverage: statuses ${c.percent.statuses}%, parameters ${c.percent.params}%, fields ${c.percent.fields}%, error codes exercised ${c.percent.errorCodesExercised}% (accounted for ${c.percent.errorCodesAccounted}%)`,
  ];
}
