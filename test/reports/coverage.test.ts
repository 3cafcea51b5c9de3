// The error-code table matches the spec exactly, and the coverage matrix
// reports what checks exercised and what nothing did.
import { describe, expect, it } from "vitest";
import { operations } from "../../src/contract/index.ts";
import { SCENARIOS, UNPROVOKABLE, errorCodeTable } from "../../suites/errors/scenarios.ts";
import { buildCoverage, coverageTable } from "../../reports/coverage.ts";
import { coverageHtml } from "../../reports/coverage-html.ts";
import type { CheckResult } from "../../src/harness/check.ts";

const documented = operations().flatMap((op) => Object.keys(op.errorCodes).map((code) => ({ operation: op.id, code })));

describe("the error-code table (suites/errors/scenarios.ts)", () => {
  it("gives every documented code of every operation a scenario or a recorded reason", () => {
    const gaps = errorCodeTable(documented).filter((r) => !r.scenario && !r.reason).map((r) => `${r.operation} ${r.code}`);
    expect(gaps).toEqual([]);
    expect(documented.length).toBeGreaterThan(100);
  });

  it("names only codes the spec documents for that operation, each once", () => {
    const key = (r: { operation: string; code: string }) => `${r.operation} ${r.code}`;
    const known = new Set(documented.map(key));
    const rows = [...SCENARIOS, ...UNPROVOKABLE].map(key);
    expect(rows.filter((k) => !known.has(k))).toEqual([]);
    expect(rows.filter((k, i) => rows.indexOf(k) !== i)).toEqual([]);
  });
});

function result(id: string, operation: string, coverage: CheckResult["coverage"], status: CheckResult["status"] = "pass", message?: string): CheckResult {
  return { id, title: id, requirement: "", ref: "", spec: [], oracle: null, definedAt: "", severity: "normal", profile: "read-only", area: "licensing", operation, status, message, warnings: [], durationMs: 1, exchanges: [], coverage };
}

describe("buildCoverage", () => {
  const results = [
    result("a.check", "licenses_get", { operations: { licenses_get: { statuses: ["200", "400"], params: ["fields", "name"], codes: ["262179"], fields: ["name", "state"] }, license_create: { statuses: ["400"], params: [], codes: ["1115159", "1115130"], fields: [] } }, errorCodes: [{ operation: "license_create", code: "1115159", outcome: "provoked", what: "a 26-character key" }] }),
    result("b.check", "license_delete", undefined, "skip", "needs the destructive profile (this run: read-only)"),
  ];
  const c = buildCoverage(results, "9.18.1", errorCodeTable);
  const licenses = c.operations.find((o) => o.operation === "licenses_get")!;
  const create = c.operations.find((o) => o.operation === "license_create")!;

  it("counts documented statuses, parameters and fields that were exercised", () => {
    expect(licenses.statuses).toEqual({ documented: ["200", "error"], seen: ["200", "error"] });
    expect([...licenses.params.exercised].sort()).toEqual(["fields", "name"]);
    expect(licenses.params.documented).toContain("return_timeout");
    expect(licenses.fields.validated).toEqual(["name", "state"]);
    expect(c.operations.find((o) => o.operation === "cluster_get")!.statuses.seen).toEqual([]);
  });

  it("tells provoked, observed and excused codes apart, and lists skipped checks", () => {
    const row = (code: string) => c.errorCodes.find((r) => r.operation === "license_create" && r.code === code)!;
    expect(row("1115159").outcome).toBe("provoked");
    expect(row("1115130").outcome).toBe("observed");
    expect(row("1115130").detail).toContain("a.check");
    expect(row("1115117").outcome).toBe("unprovokable");
    expect(create.errorCodes.provoked).toBe(1);
    // Scenarios this run did not send are gaps, with the scenario named.
    const notRun = SCENARIOS.filter((s) => s.operation === "license_create").length - 2; // one provoked, one observed
    expect(create.errorCodes.missing).toBe(notRun);
    expect(row("1115134")).toMatchObject({ outcome: "missing", detail: expect.stringContaining("scenario not run here") });
    expect(c.operations.find((o) => o.operation === "license_delete")!.skipped).toEqual([{ id: "b.check", reason: "needs the destructive profile (this run: read-only)" }]);
    expect(c.percent.errorCodesAccounted).toBeLessThan(100);
    expect(c.percent.errorCodesExercised).toBeLessThan(5);
  });

  it("prints a table and writes a page without scripts", () => {
    const lines = coverageTable(c);
    const codes = documented.filter((d) => d.operation === "license_create").length;
    expect(lines.find((l) => l.includes("license_create"))).toMatch(new RegExp(`license_create\\s+${codes}\\s+1\\s+1\\s+0\\s+\\d+\\s+\\d+$`));
    const html = coverageHtml(c, { target: "http://x", profile: "read-only" });
    expect(html).toContain("<table id=\"matrix\">");
    expect(html).not.toMatch(/<script|src=|href=/);
  });
});
