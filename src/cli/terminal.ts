// The terminal summary at the end of every run: totals, failures grouped by
// area with their one-line reasons, and where the report is.
import type { Summary } from "../../reports/summary.ts";

export function printSummary(summary: Summary, opts: { out: (line: string) => void; reportDir: string }): void {
  const { out } = opts;
  const t = summary.totals;
  out("");
  out(`${t.checks} checks: ${t.pass} passed, ${t.fail} failed, ${t.error} errors, ${t.skip} skipped, ${t.disabled} disabled; ${t.warnings} warnings (${(summary.durationMs / 1000).toFixed(1)} s)`);
  const broken = summary.checks.filter((c) => c.status === "fail" || c.status === "error");
  const areas = [...new Set(broken.map((c) => c.area))];
  for (const area of areas) {
    out(`  ${area}:`);
    for (const c of broken.filter((b) => b.area === area)) out(`    ${c.status === "fail" ? "FAIL " : "ERROR"} ${c.id}: ${(c.message ?? "").split("\n")[0]}`);
  }
  out(`report: ${opts.reportDir}`);
  out(broken.length === 0 ? "result: conformant" : `result: not conformant (${t.fail} failed, ${t.error} errors)`);
}
