// summary.md: a short Markdown verdict of a run, for a CI job summary
// ($GITHUB_STEP_SUMMARY) or a pull-request comment: the verdict, the totals,
// every failure and error that counts with its first line, the known ones,
// the baseline's news, and where the full report is.
import { describeEntry } from "./baseline.ts";
import { counts, type Summary, type SummaryCheck } from "./summary.ts";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function summaryMarkdown(s: Summary, links: { html?: string } = {}): string {
  const t = s.totals;
  const icon = s.result === "conformant" ? "✅" : s.result === "interrupted" ? "⏹️" : "❌";
  const lines = [
    `## ${icon} ontap-conformance: ${s.result ?? "?"}`,
    "",
    `Target \`${s.target}\`${s.ontapVersion ? `, ONTAP ${s.ontapVersion}` : ""}; profile ${s.profile}${s.strict ? ", strict" : ""}; seed ${s.seed}; ${(s.durationMs / 1000).toFixed(1)} s${s.runId ? `; run ${s.runId}` : ""}.`,
    "",
    "| checks | passed | failed | errors | known (baseline) | skipped | disabled | warnings |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${t.checks} | ${t.pass} | ${t.fail} | ${t.error} | ${t.known ?? 0} | ${t.skip} | ${t.disabled} | ${t.warnings} |`,
    "",
  ];
  const table = (title: string, rows: SummaryCheck[], detail: (c: SummaryCheck) => string) => {
    if (!rows.length) return;
    const shown = rows.slice(0, 25);
    lines.push(`### ${title}`, "", "| check | area | detail |", "| --- | --- | --- |");
    for (const c of shown) lines.push(`| \`${c.id}\` | ${c.area} | ${cell(detail(c))} |`);
    if (rows.length > shown.length) lines.push(`| … | | ${rows.length - shown.length} more in summary.json |`);
    lines.push("");
  };
  const first = (c: SummaryCheck) => (c.message ?? "").split("\n")[0];
  const counted = s.checks.filter(counts);
  table(`Failures (${counted.filter((c) => c.status === "fail").length})`, counted.filter((c) => c.status === "fail"), (c) => `${c.baselineExpired ? `baseline entry expired ${c.baselineExpired.expires}: ` : ""}${first(c)}`);
  table(`Errors (${counted.filter((c) => c.status === "error").length}): the suite or transport broke`, counted.filter((c) => c.status === "error"), first);
  table(`Known failures (${s.checks.filter((c) => c.known).length}): not counted`, s.checks.filter((c) => c.known), (c) => `${describeEntry(c.known!)} — ${first(c)}`);
  if (s.baseline?.fixed.length) lines.push(`### Fixed: remove from the baseline`, "", ...s.baseline.fixed.map((e) => `- \`${e.id}\` (${cell(describeEntry(e))})`), "");
  if (s.teardown && !s.teardown.restored) lines.push(`### The target was not left as it was found`, "", ...s.teardown.differences.map((d) => `- ${cell(d)}`), "");
  if (s.coverage) {
    const p = s.coverage.percent;
    lines.push(`Coverage: statuses ${p.statuses}%, parameters ${p.params}%, fields ${p.fields}%, error codes exercised ${p.errorCodesExercised}%.`, "");
  }
  lines.push(links.html ? `Full report: \`${links.html}\` (open it in a browser); details in \`summary.json\` and \`junit.xml\`.` : "Details in `summary.json` and `junit.xml`.", "");
  return lines.join("\n");
}
