// JUnit XML for CI systems: one <testsuite> per area, one <testcase> per
// check. fail → <failure>, error → <error>, skip and disabled → <skipped>
// with the reason. Everything written has already been redacted.
import type { CheckResult } from "../src/harness/check.ts";

function xml(text: string): string {
  // Drop characters XML 1.0 cannot carry, then escape.
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

export function toJUnit(results: CheckResult[], opts: { name: string; timestamp: string }): string {
  const areas = new Map<string, CheckResult[]>();
  for (const r of results) areas.set(r.area, [...(areas.get(r.area) ?? []), r]);
  const count = (rs: CheckResult[], s: CheckResult["status"][]) => rs.filter((r) => s.includes(r.status)).length;
  const secs = (rs: CheckResult[]) => (rs.reduce((t, r) => t + r.durationMs, 0) / 1000).toFixed(3);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${xml(opts.name)}" tests="${results.length}" failures="${count(results, ["fail"])}" errors="${count(results, ["error"])}" skipped="${count(results, ["skip", "disabled"])}" time="${secs(results)}" timestamp="${xml(opts.timestamp)}">`,
  ];
  for (const [area, rs] of areas) {
    lines.push(`  <testsuite name="${xml(area)}" tests="${rs.length}" failures="${count(rs, ["fail"])}" errors="${count(rs, ["error"])}" skipped="${count(rs, ["skip", "disabled"])}" time="${secs(rs)}">`);
    for (const r of rs) {
      const open = `    <testcase classname="${xml(`${r.area}.${r.operation}`)}" name="${xml(`${r.id}: ${r.title}`)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      const message = r.message ?? "";
      const firstLine = message.split("\n")[0];
      switch (r.status) {
        case "pass":
          lines.push(`${open}/>`);
          break;
        case "fail":
          lines.push(`${open}>`, `      <failure message="${xml(firstLine)}" type="nonconformance">${xml(message)}</failure>`, `    </testcase>`);
          break;
        case "error":
          lines.push(`${open}>`, `      <error message="${xml(firstLine)}" type="suite-or-transport">${xml(message)}</error>`, `    </testcase>`);
          break;
        default:
          lines.push(`${open}>`, `      <skipped message="${xml(`${r.status}: ${firstLine}`)}"/>`, `    </testcase>`);
      }
    }
    lines.push(`  </testsuite>`);
  }
  lines.push(`</testsuites>`, ``);
  return lines.join("\n");
}
