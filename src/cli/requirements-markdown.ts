// The "Requirement coverage" section of CONFORMANCE.md: how many behavioural
// statements of the reference pages (spec/requirements.yaml) the suite
// enforces, per area, the way Kubernetes' conformance program counts tested
// behaviours; and which statements each check enforces.
import { loadRequirements, requirementCoverage, requirementsByCheck, REASON_KINDS } from "../contract/requirements.ts";

const percent = (part: number, whole: number): string => (whole ? `${((100 * part) / whole).toFixed(1)}%` : "n/a");

export function requirementCoverageMarkdown(checkIds: string[]): string[] {
  const reqs = loadRequirements();
  const coverage = requirementCoverage(reqs);
  const byCheck = requirementsByCheck(reqs);
  const kinds = (k: Partial<Record<string, number>>) => REASON_KINDS.filter((x) => k[x]).map((x) => `${x} ${k[x]}`).join(", ") || "none";
  const total = coverage.reduce((t, c) => ({ entries: t.entries + c.entries, enforced: t.enforced + c.enforced, withReason: t.withReason + c.withReason }), { entries: 0, enforced: 0, withReason: 0 });
  const allKinds: Partial<Record<string, number>> = {};
  for (const c of coverage) for (const [k, n] of Object.entries(c.byKind)) allKinds[k] = (allKinds[k] ?? 0) + (n ?? 0);
  const lines = [
    "## Requirement coverage",
    "",
    "Every behavioural statement of the reference pages in `spec/sources/` is an entry of `spec/requirements.yaml`, quoted",
    "with its place: enforced by the checks it names, or given the reason no check can (`test/contract/requirements.test.ts`",
    "holds each quote to its source and each check to at least one entry).",
    "",
    "| area | entries | enforced | with a reason | % enforced | reasons by kind |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    ...coverage.map((c) => `| ${c.area} | ${c.entries} | ${c.enforced} | ${c.withReason} | ${percent(c.enforced, c.entries)} | ${kinds(c.byKind)} |`),
    `| all | ${total.entries} | ${total.enforced} | ${total.withReason} | ${percent(total.enforced, total.entries)} | ${kinds(allKinds)} |`,
    "",
    "### Requirements each check enforces",
    "",
    "| check | requirements |",
    "| --- | --- |",
    ...checkIds.map((id) => `| \`${id}\` | ${(byCheck.get(id) ?? []).join(", ") || "none"} |`),
    "",
  ];
  return lines;
}
