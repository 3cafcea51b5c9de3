// Regression reports: what changed between two runs (summary.json) or two
// mutant runs (kill tables). Pure functions; the CLI writes the Markdown (for
// a CI comment) and the HTML page.
import type { Summary } from "./summary.ts";
import type { MutantsSummary } from "../src/cli/mutants-command.ts";

export interface Change {
  id: string;
  from: string;
  to: string;
  message?: string;
}

export interface Comparison {
  kind: "run" | "mutants";
  regressions: Change[];
  fixes: Change[];
  added: string[];
  removed: string[];
  otherChanges: Change[];
  context: string[];
}

const GOOD = new Set(["pass", "killed", "equivalent"]);

function diff(before: Map<string, { status: string; message?: string }>, after: Map<string, { status: string; message?: string }>) {
  const regressions: Change[] = [];
  const fixes: Change[] = [];
  const otherChanges: Change[] = [];
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b || b.status === a.status) continue;
    const change = { id, from: b.status, to: a.status, message: a.message };
    if (GOOD.has(b.status) && (a.status === "fail" || a.status === "error" || a.status === "survived")) regressions.push(change);
    else if (!GOOD.has(b.status) && GOOD.has(a.status)) fixes.push(change);
    else otherChanges.push(change);
  }
  return {
    regressions, fixes, otherChanges,
    added: [...after.keys()].filter((id) => !before.has(id)).sort(),
    removed: [...before.keys()].filter((id) => !after.has(id)).sort(),
  };
}

export function compareRuns(baseline: Summary, current: Summary): Comparison {
  const map = (s: Summary) => new Map(s.checks.map((c) => [c.id, { status: c.status, message: c.message }]));
  const context: string[] = [];
  if (baseline.ontapVersion !== current.ontapVersion) context.push(`ONTAP version changed: ${baseline.ontapVersion ?? "?"} → ${current.ontapVersion ?? "?"}`);
  if (baseline.profile !== current.profile) context.push(`profile changed: ${baseline.profile} → ${current.profile}`);
  if (baseline.target !== current.target) context.push(`target changed: ${baseline.target} → ${current.target}`);
  if (baseline.strict !== current.strict) context.push(`strict changed: ${baseline.strict} → ${current.strict}`);
  return { kind: "run", ...diff(map(baseline), map(current)), context };
}

export function compareMutants(baseline: MutantsSummary, current: MutantsSummary): Comparison {
  const map = (s: MutantsSummary) => new Map(s.kills.map((k) => [k.mutant, { status: k.status, message: k.killedBy.join(", ") }]));
  const context: string[] = [];
  const refB = baseline.reference.failed.length;
  const refC = current.reference.failed.length;
  if (refB !== refC) context.push(`reference failures: ${refB} → ${refC}`);
  return { kind: "mutants", ...diff(map(baseline), map(current)), context };
}

/** One kill table from the results of `mutants --shard i/n` runs. */
export function mergeMutants(parts: MutantsSummary[]): MutantsSummary {
  const kills = parts.flatMap((p) => p.kills);
  const checkToMutants: Record<string, string[]> = {};
  for (const p of parts) for (const [id, ms] of Object.entries(p.checkToMutants)) checkToMutants[id] = [...new Set([...(checkToMutants[id] ?? []), ...ms])];
  return {
    format: parts[0].format,
    start: parts.map((p) => p.start).sort()[0],
    durationMs: parts.reduce((t, p) => t + p.durationMs, 0),
    reference: { failed: [...new Set(parts.flatMap((p) => p.reference.failed))] },
    kills: kills.sort((a, b) => a.mutant.localeCompare(b.mutant)),
    checkToMutants,
    unkilledChecks: Object.entries(checkToMutants).filter(([, ms]) => !ms.length).map(([id]) => id).sort(),
  };
}

export function toMarkdown(c: Comparison, titles: { baseline: string; current: string }): string {
  const what = c.kind === "run" ? "checks" : "mutants";
  const lines = [`## ontap-conformance: ${titles.baseline} → ${titles.current}`, ""];
  lines.push(c.regressions.length ? `**${c.regressions.length} regression(s)**` : "No regressions.", "");
  const section = (title: string, rows: Change[]) => {
    if (!rows.length) return;
    lines.push(`### ${title}`, "", `| ${what === "checks" ? "check" : "mutant"} | before | now | detail |`, "| --- | --- | --- | --- |");
    for (const r of rows) lines.push(`| \`${r.id}\` | ${r.from} | ${r.to} | ${(r.message ?? "").split("\n")[0].replace(/\|/g, "\\|")} |`);
    lines.push("");
  };
  section("Regressions", c.regressions);
  section("Fixes", c.fixes);
  section("Other status changes", c.otherChanges);
  if (c.added.length) lines.push(`### New ${what}`, "", ...c.added.map((id) => `- \`${id}\``), "");
  if (c.removed.length) lines.push(`### Removed ${what}`, "", ...c.removed.map((id) => `- \`${id}\``), "");
  if (c.context.length) lines.push("### Context", "", ...c.context.map((x) => `- ${x}`), "");
  return lines.join("\n");
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function toHtml(c: Comparison, titles: { baseline: string; current: string }): string {
  const rows = (title: string, list: Change[], cls: string) => list.length
    ? `<h2>${esc(title)} (${list.length})</h2><table><tr><th>id</th><th>before</th><th>now</th><th>detail</th></tr>${list.map((r) => `<tr class="${cls}"><td><code>${esc(r.id)}</code></td><td>${esc(r.from)}</td><td>${esc(r.to)}</td><td>${esc((r.message ?? "").split("\n")[0])}</td></tr>`).join("")}</table>` : "";
  const list = (title: string, ids: string[]) => ids.length ? `<h2>${esc(title)} (${ids.length})</h2><ul>${ids.map((i) => `<li><code>${esc(i)}</code></li>`).join("")}</ul>` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ontap-conformance compare</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}.bad{background:#fde8e8}.good{background:#e6f6e6}</style></head>
<body><h1>${esc(titles.baseline)} → ${esc(titles.current)}</h1><p>${c.regressions.length ? `<strong>${c.regressions.length} regression(s)</strong>` : "No regressions."}</p>
${rows("Regressions", c.regressions, "bad")}${rows("Fixes", c.fixes, "good")}${rows("Other status changes", c.otherChanges, "")}
${list(c.kind === "run" ? "New checks" : "New mutants", c.added)}${list(c.kind === "run" ? "Removed checks" : "Removed mutants", c.removed)}${list("Context", c.context)}
</body></html>
`;
}
