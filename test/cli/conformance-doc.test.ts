// CONFORMANCE.md is generated from the checks themselves; it must not drift.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { conformanceMarkdown } from "../../src/cli/list-command.ts";
import { allChecks } from "../../suites/index.ts";
import { namingProblem, specSince } from "../../suites/define.ts";

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

it("every id and area follows the naming scheme CONFORMANCE.md states (subject.aspect.rule; the subject's area, or conventions)", () => {
  expect(allChecks().flatMap((c) => { const p = namingProblem(c); return p ? [`${c.id}: ${p}`] : []; })).toEqual([]);
  expect(namingProblem({ id: "software.download.get.schema", area: "software", operation: "software_download_get" })).toMatch(/three kebab-case parts/);
  expect(namingProblem({ id: "nodes.get.version", area: "conventions", operation: "node_get" })).toBeUndefined();
  expect(namingProblem({ id: "jobs.get.terminal", area: "software", operation: "job_get" })).toMatch(/area is software, where jobs checks are in jobs/);
});

it("a check's since is what x-ontap-introduced of its operation and the parameters it uses say, or a later behaviour gate the docs date", () => {
  const byHand = allChecks().filter((c) => c.since !== specSince(c));
  expect(byHand.map((c) => `${c.id} ${c.since}`)).toEqual(["licenses.list.no-base 9.11.1"]);
  for (const c of byHand) expect(c.ref, c.id).toMatch(/docs:/);
});
