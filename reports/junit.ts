// JUnit XML for CI systems: one <testsuite> per area, one <testcase> per
// check, in the form CI systems count: fail → <failure>, error → <error>,
// skip and disabled → <skipped> with the reason, and a failure or error the
// baseline knows → <skipped> with the baseline's reason (it does not fail
// the run, so it must not turn a CI job red). Warnings, and the full message
// of a known failure, go to <system-out>. Everything written has already
// been redacted.
import { describeEntry } from "./baseline.ts";
import type { SummaryCheck } from "./summary.ts";

function xml(text: string): string {
  // Drop characters XML 1.0 cannot carry, then escape.
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

export type JUnitCase = Pick<SummaryCheck, "id" | "title" | "area" | "operation" | "status" | "message" | "warnings" | "durationMs" | "known" | "baselineExpired">;

/** How CI reads a check: failure, error or skipped (a known failure is skipped). */
export function junitKind(c: Pick<JUnitCase, "status" | "known">): "pass" | "failure" | "error" | "skipped" {
  if (c.status === "pass") return "pass";
  if (c.known) return "skipped";
  return c.status === "fail" ? "failure" : c.status === "error" ? "error" : "skipped";
}

const count = (rs: readonly JUnitCase[], kind: ReturnType<typeof junitKind>) => rs.filter((r) => junitKind(r) === kind).length;
const secs = (rs: readonly JUnitCase[]) => (rs.reduce((t, r) => t + r.durationMs, 0) / 1000).toFixed(3);
const counts = (rs: readonly JUnitCase[]) => `tests="${rs.length}" failures="${count(rs, "failure")}" errors="${count(rs, "error")}" skipped="${count(rs, "skipped")}" time="${secs(rs)}"`;

export function toJUnit(results: readonly JUnitCase[], opts: { name: string; timestamp: string }): string {
  return [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="${xml(opts.name)}" ${counts(results)} timestamp="${xml(opts.timestamp)}">`, ...junitSuites(results, opts), `</testsuites>`, ``].join("\n");
}

/** One JUnit file for several targets (a fleet): each target's suites named "<target>: <area>", its test cases' class names starting with the target. */
export function toFleetJUnit(targets: ReadonlyArray<{ name: string; checks: readonly JUnitCase[] }>, opts: { name: string; timestamp: string }): string {
  const all = targets.flatMap((t) => t.checks);
  return [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="${xml(opts.name)}" ${counts(all)} timestamp="${xml(opts.timestamp)}">`, ...targets.flatMap((t) => junitSuites(t.checks, { timestamp: opts.timestamp, target: t.name })), `</testsuites>`, ``].join("\n");
}

/** The <testsuite> elements of one run's checks, one per area. */
function junitSuites(results: readonly JUnitCase[], opts: { timestamp: string; target?: string }): string[] {
  const areas = new Map<string, JUnitCase[]>();
  for (const r of results) areas.set(r.area, [...(areas.get(r.area) ?? []), r]);
  const lines: string[] = [];
  const prefix = opts.target ? `${opts.target}.` : "";
  for (const [area, rs] of areas) {
    lines.push(`  <testsuite name="${xml(opts.target ? `${opts.target}: ${area}` : area)}" ${counts(rs)} timestamp="${xml(opts.timestamp)}">`);
    for (const r of rs) {
      const open = `    <testcase classname="${xml(`${prefix}${r.area}.${r.operation}`)}" name="${xml(`${r.id}: ${r.title}`)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      const message = r.message ?? "";
      const firstLine = message.split("\n")[0];
      const expired = r.baselineExpired ? `the baseline entry expired on ${r.baselineExpired.expires} (${describeEntry(r.baselineExpired)}), so this counts again: ` : "";
      const body: string[] = [];
      switch (junitKind(r)) {
        case "failure":
          body.push(`      <failure message="${xml(expired + firstLine)}" type="nonconformance">${xml(expired + message)}</failure>`);
          break;
        case "error":
          body.push(`      <error message="${xml(expired + firstLine)}" type="suite-or-transport">${xml(expired + message)}</error>`);
          break;
        case "skipped":
          body.push(r.known
            ? `      <skipped message="${xml(`known ${r.status === "fail" ? "failure" : "error"} (baseline): ${describeEntry(r.known)}`)}"/>`
            : `      <skipped message="${xml(`${r.status}: ${firstLine}`)}"/>`);
          break;
      }
      const out = [
        ...(r.known ? [`known ${r.status === "fail" ? "failure" : "error"}, not counted (baseline: ${describeEntry(r.known)}):`, message, ""] : []),
        ...r.warnings.map((w) => `warning: ${w}`),
      ];
      if (out.length) body.push(`      <system-out>${xml(out.join("\n"))}</system-out>`);
      lines.push(body.length ? `${open}>\n${body.join("\n")}\n    </testcase>` : `${open}/>`);
    }
    lines.push(`  </testsuite>`);
  }
  return lines;
}
