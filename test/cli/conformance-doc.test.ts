// CONFORMANCE.md is generated from the checks themselves; it must not drift.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { conformanceMarkdown } from "../../src/cli/list-command.ts";
import { allChecks } from "../../suites/index.ts";

it("CONFORMANCE.md is fresh (regenerate: npx ontap-conformance list --markdown > CONFORMANCE.md)", () => {
  const committed = readFileSync(join(import.meta.dirname, "../../CONFORMANCE.md"), "utf8");
  expect(committed.trim()).toBe(conformanceMarkdown(allChecks()).trim());
});

it("every check has a unique id, a requirement in RFC 2119 words and a reference", () => {
  const checks = allChecks();
  expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
  for (const c of checks) {
    expect(c.id).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
    expect(c.requirement, c.id).toMatch(/\b(MUST|MUST NOT|SHOULD|SHOULD NOT|MAY)\b/);
    expect(c.ref.length, c.id).toBeGreaterThan(5);
  }
});
