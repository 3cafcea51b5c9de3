// Regression reports: what changed between two runs (summary.json) or two
// mutant runs (kill tables). Pure functions; the CLI writes the Markdown (for
// a CI comment) and the HTML page.
import type { Summary } from "./summary.ts";
import { describeEntry } from "./baseline.ts";
import type { MutantsSummary } from "./kill-table.ts";

export interface Change {
  id: string;
  from: string;
  to: string;
  /** The current message, whole (with its Received, Documented and Reproduce lines). */
  message?: string;
  /** The current run's baseline knows this failure: not counted as a regression. */
  known?: string;
}

/** One side of a comparison of runs, as its title and links show it. */
export interface RunSide {
  /** The run's id (its directory name), or its start time for older summaries. */
  id: string;
  target: string;
  ontapVersion?: string;
  profile: string;
  result?: string;
  /** Paths to the run's reports (relative to the comparison's output), where they exist. */
  links: { html?: string; summary?: string };
}

export interface Comparison {
  kind: "run" | "mutants";
  regressions: Change[];
  /** pass → fail (or error) that the current run's baseline knows: reported, not counted. */
  known: Change[];
  fixes: Change[];
  added: string[];
  removed: string[];
  otherChanges: Change[];
  context: string[];
  runs?: { before: RunSide; after: RunSide };
  /** Coverage percentages before and after (runs only), each metric that both have. */
  coverage?: Array<{ metric: string; before: number; after: number }>;
}

const GOOD = new Set(["pass", "killed", "equivalent"]);

function diff(before: Map<string, { status: string; message?: string; known?: string }>, after: Map<string, { status: string; message?: string; known?: string }>) {
  const regressions: Change[] = [];
  const known: Change[] = [];
  const fixes: Change[] = [];
  const otherChanges: Change[] = [];
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b || b.status === a.status) continue;
    const change: Change = { id, from: b.status, to: a.status, message: a.message, ...(a.known ? { known: a.known } : {}) };
    if (GOOD.has(b.status) && (a.status === "fail" || a.status === "error" || a.status === "survived")) (a.known ? known : regressions).push(change);
    else if (!GOOD.has(b.status) && GOOD.has(a.status)) fixes.push(change);
    else otherChanges.push(change);
  }
  return {
    regressions, known, fixes, otherChanges,
    added: [...after.keys()].filter((id) => !before.has(id)).sort(),
    removed: [...before.keys()].filter((id) => !after.has(id)).sort(),
  };
}

const METRICS: Array<[keyof NonNullable<Summary["coverage"]>["percent"], string]> = [
  ["statuses", "statuses"],
  ["params", "parameters"],
  ["fields", "fields"],
  ["errorCodesExercised", "error codes exercised"],
];

export function compareRuns(baseline: Summary, current: Summary, links: { before?: RunSide["links"]; after?: RunSide["links"] } = {}): Comparison {
  const map = (s: Summary) => new Map(s.checks.map((c) => [c.id, { status: c.status, message: c.message, known: c.known ? describeEntry(c.known) : undefined }]));
  const context: string[] = [];
  if (baseline.ontapVersion !== current.ontapVersion) context.push(`ONTAP version changed: ${baseline.ontapVersion ?? "?"} → ${current.ontapVersion ?? "?"}`);
  if (baseline.profile !== current.profile) context.push(`profile changed: ${baseline.profile} → ${current.profile}`);
  if (baseline.target !== current.target) context.push(`target changed: ${baseline.target} → ${current.target}`);
  if (baseline.strict !== current.strict) context.push(`strict changed: ${baseline.strict} → ${current.strict}`);
  const coverage = baseline.coverage && current.coverage ? METRICS.map(([k, metric]) => ({ metric, before: baseline.coverage!.percent[k], after: current.coverage!.percent[k] })) : undefined;
  const drops = (coverage ?? []).filter((m) => m.after < m.before);
  if (drops.length) {
    const ranBefore = baseline.checks.filter((c) => c.status !== "skip" && c.status !== "disabled").length;
    const ranNow = current.checks.filter((c) => c.status !== "skip" && c.status !== "disabled").length;
    context.push(`coverage dropped: ${drops.map((m) => `${m.metric} ${m.before}% → ${m.after}%`).join(", ")}${ranNow < ranBefore ? ` (${ranBefore - ranNow} fewer checks ran: ${ranBefore} → ${ranNow})` : ""}`);
  }
  const side = (s: Summary, l: RunSide["links"] = {}): RunSide => ({ id: s.runId ?? s.start, target: s.target, ...(s.ontapVersion ? { ontapVersion: s.ontapVersion } : {}), profile: s.profile, ...(s.result ? { result: s.result } : {}), links: l });
  return { kind: "run", ...diff(map(baseline), map(current)), context, runs: { before: side(baseline, links.before), after: side(current, links.after) }, ...(coverage ? { coverage } : {}) };
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

/** The title of a comparison: run ids and targets, or the inputs' names. */
export function titleOf(c: Comparison, names: { baseline: string; current: string }): string {
  if (!c.runs) return `${names.baseline} → ${names.current}`;
  const side = (r: RunSide) => `run ${r.id} (${r.target}${r.ontapVersion ? `, ONTAP ${r.ontapVersion}` : ""}, ${r.profile})`;
  return `${side(c.runs.before)} → ${side(c.runs.after)}`;
}

/** The verdict line: regressions count; known failures and fixes are named but do not count. */
export function verdictOf(c: Comparison): string {
  const extra = [c.known.length ? `${c.known.length} new failure(s) the current baseline knows (not counted)` : "", c.fixes.length ? `${c.fixes.length} fix(es)` : ""].filter(Boolean).join(", ");
  return `${c.regressions.length ? `${c.regressions.length} regression(s)` : "No regressions"}${extra ? `; ${extra}` : ""}.`;
}

export function toMarkdown(c: Comparison, names: { baseline: string; current: string }): string {
  const what = c.kind === "run" ? "checks" : "mutants";
  const lines = [`## ontap-conformance: ${titleOf(c, names)}`, ""];
  if (c.runs) {
    const link = (label: string, r: RunSide) => `${label}: ${[r.links.html ? `[report](${r.links.html})` : "", r.links.summary ? `[summary.json](${r.links.summary})` : ""].filter(Boolean).join(", ") || "no report files found"}${r.result ? ` (${r.result})` : ""}`;
    lines.push(`${link("before", c.runs.before)}; ${link("after", c.runs.after)}`, "");
  }
  lines.push(c.regressions.length ? `**${verdictOf(c)}**` : verdictOf(c), "");
  const section = (title: string, rows: Change[], details: boolean) => {
    if (!rows.length) return;
    lines.push(`### ${title}`, "", `| ${what === "checks" ? "check" : "mutant"} | before | now | detail |`, "| --- | --- | --- | --- |");
    for (const r of rows) lines.push(`| \`${r.id}\` | ${r.from} | ${r.to} | ${(r.known ? `known (baseline: ${r.known}): ` : "") + (r.message ?? "").split("\n")[0].replace(/\|/g, "\\|")} |`);
    lines.push("");
    if (details && what === "checks") {
      for (const r of rows.filter((x) => x.message && (x.to === "fail" || x.to === "error"))) lines.push(`<details><summary><code>${r.id}</code></summary>`, "", "```text", r.message!, "```", "", "</details>", "");
    }
  };
  section("Regressions", c.regressions, true);
  section("New failures the baseline knows (not counted)", c.known, true);
  section("Fixes", c.fixes, false);
  section("Other status changes", c.otherChanges, true);
  if (c.coverage) {
    lines.push("### Coverage", "", "| metric | before | now | change |", "| --- | ---: | ---: | ---: |");
    for (const m of c.coverage) lines.push(`| ${m.metric} | ${m.before}% | ${m.after}% | ${m.after === m.before ? "=" : `${m.after > m.before ? "+" : ""}${Math.round((m.after - m.before) * 10) / 10}`} |`);
    lines.push("");
  }
  if (c.added.length) lines.push(`### New ${what}`, "", ...c.added.map((id) => `- \`${id}\``), "");
  if (c.removed.length) lines.push(`### Removed ${what}`, "", ...c.removed.map((id) => `- \`${id}\``), "");
  if (c.context.length) lines.push("### Context", "", ...c.context.map((x) => `- ${x}`), "");
  return lines.join("\n");
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function toHtml(c: Comparison, names: { baseline: string; current: string }): string {
  const rows = (title: string, list: Change[], cls: string) => list.length
    ? `<h2>${esc(title)} (${list.length})</h2><table><tr><th>id</th><th>before</th><th>now</th><th>detail</th></tr>${list.map((r) => `<tr class="${cls}"><td><code>${esc(r.id)}</code></td><td>${esc(r.from)}</td><td>${esc(r.to)}</td><td>${r.known ? `<p>known (baseline: ${esc(r.known)})</p>` : ""}<pre>${esc(r.message ?? "")}</pre></td></tr>`).join("")}</table>` : "";
  const list = (title: string, ids: string[]) => ids.length ? `<h2>${esc(title)} (${ids.length})</h2><ul>${ids.map((i) => `<li><code>${esc(i)}</code></li>`).join("")}</ul>` : "";
  const side = (label: string, r: RunSide) => `<li>${label}: run <code>${esc(r.id)}</code>, ${esc(r.target)}${r.ontapVersion ? `, ONTAP ${esc(r.ontapVersion)}` : ""}, ${esc(r.profile)}${r.result ? `: ${esc(r.result)}` : ""} — ${[r.links.html ? `<a href="${esc(r.links.html)}">report</a>` : "", r.links.summary ? `<a href="${esc(r.links.summary)}">summary.json</a>` : ""].filter(Boolean).join(", ") || "no report files found"}</li>`;
  const runs = c.runs ? `<ul>${side("before", c.runs.before)}${side("after", c.runs.after)}</ul>` : "";
  const coverage = c.coverage ? `<h2>Coverage</h2><table><tr><th>metric</th><th>before</th><th>now</th></tr>${c.coverage.map((m) => `<tr class="${m.after < m.before ? "bad" : ""}"><td>${esc(m.metric)}</td><td>${m.before}%</td><td>${m.after}%</td></tr>`).join("")}</table>` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ontap-conformance compare: ${esc(titleOf(c, names))}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;margin:0}.bad{background:#fde8e8}.good{background:#e6f6e6}.known{background:#e8f0fd}</style></head>
<body><h1>${esc(titleOf(c, names))}</h1>${runs}<p>${c.regressions.length ? `<strong>${esc(verdictOf(c))}</strong>` : esc(verdictOf(c))}</p>
${rows("Regressions", c.regressions, "bad")}${rows("New failures the baseline knows (not counted)", c.known, "known")}${rows("Fixes", c.fixes, "good")}${rows("Other status changes", c.otherChanges, "")}
${coverage}${list(c.kind === "run" ? "New checks" : "New mutants", c.added)}${list(c.kind === "run" ? "Removed checks" : "Removed mutants", c.removed)}${list("Context", c.context)}
</body></html>
`;
}

/** Two fleet runs compared target by target, by name. */
export interface FleetComparison {
  kind: "fleet";
  runs: { before: { id: string; targets: number }; after: { id: string; targets: number } };
  /** One comparison per target both runs have, in the later run's order. */
  targets: Array<{ name: string; comparison: Comparison }>;
  /** Targets only the later run has, and only the earlier one. */
  added: string[];
  removed: string[];
}

export interface FleetSide {
  id: string;
  targets: Array<{ name: string; summary: Summary; links?: RunSide["links"] }>;
}

export function compareFleets(before: FleetSide, after: FleetSide): FleetComparison {
  const earlier = new Map(before.targets.map((t) => [t.name, t]));
  const later = new Set(after.targets.map((t) => t.name));
  return {
    kind: "fleet",
    runs: { before: { id: before.id, targets: before.targets.length }, after: { id: after.id, targets: after.targets.length } },
    targets: after.targets.filter((t) => earlier.has(t.name)).map((t) => ({ name: t.name, comparison: compareRuns(earlier.get(t.name)!.summary, t.summary, { before: earlier.get(t.name)!.links, after: t.links }) })),
    added: after.targets.filter((t) => !earlier.has(t.name)).map((t) => t.name),
    removed: before.targets.filter((t) => !later.has(t.name)).map((t) => t.name),
  };
}

export function fleetRegressions(f: FleetComparison): number {
  return f.targets.reduce((n, t) => n + t.comparison.regressions.length, 0);
}

function fleetVerdict(f: FleetComparison): string {
  const hit = f.targets.filter((t) => t.comparison.regressions.length);
  const n = fleetRegressions(f);
  return n ? `${n} regression(s) on ${hit.length} of ${f.targets.length} target(s): ${hit.map((t) => `${t.name} (${t.comparison.regressions.length})`).join(", ")}.` : `No regressions on ${f.targets.length} target(s).`;
}

export function fleetToMarkdown(f: FleetComparison): string {
  const lines = [`## ontap-conformance: fleet run ${f.runs.before.id} (${f.runs.before.targets} targets) → fleet run ${f.runs.after.id} (${f.runs.after.targets} targets)`, ""];
  lines.push(fleetRegressions(f) ? `**${fleetVerdict(f)}**` : fleetVerdict(f), "");
  lines.push("| target | verdict before | now | regressions | fixes | other changes |", "| --- | --- | --- | ---: | ---: | ---: |");
  for (const t of f.targets) lines.push(`| ${t.name} | ${t.comparison.runs?.before.result ?? "?"} | ${t.comparison.runs?.after.result ?? "?"} | ${t.comparison.regressions.length} | ${t.comparison.fixes.length} | ${t.comparison.otherChanges.length} |`);
  lines.push("");
  if (f.added.length) lines.push(`New targets: ${f.added.join(", ")}.`, "");
  if (f.removed.length) lines.push(`Targets no longer in the fleet: ${f.removed.join(", ")}.`, "");
  for (const t of f.targets) {
    const c = t.comparison;
    if (!c.regressions.length && !c.fixes.length && !c.otherChanges.length && !c.known.length && !c.added.length && !c.removed.length && !c.context.length) continue;
    // Each target's own comparison, its headings one level down.
    const own = toMarkdown(c, { baseline: t.name, current: t.name }).split("\n").slice(1).map((l) => (l.startsWith("#") ? `#${l}` : l));
    lines.push(`### ${t.name}: ${titleOf(c, { baseline: t.name, current: t.name })}`, ...own);
  }
  return lines.join("\n");
}

export function fleetToHtml(f: FleetComparison): string {
  const body = (html: string) => /<body>([\s\S]*)<\/body>/.exec(html)?.[1] ?? "";
  const rows = f.targets.map((t) => `<tr class="${t.comparison.regressions.length ? "bad" : ""}"><td><a href="#${esc(t.name)}">${esc(t.name)}</a></td><td>${esc(t.comparison.runs?.before.result ?? "?")}</td><td>${esc(t.comparison.runs?.after.result ?? "?")}</td><td>${t.comparison.regressions.length}</td><td>${t.comparison.fixes.length}</td><td>${t.comparison.otherChanges.length}</td></tr>`).join("");
  const sections = f.targets.map((t) => `<section id="${esc(t.name)}"><h2>${esc(t.name)}</h2>${body(toHtml(t.comparison, { baseline: t.name, current: t.name })).replace(/<h1>/g, "<h3>").replace(/<\/h1>/g, "</h3>").replace(/<h2>/g, "<h4>").replace(/<\/h2>/g, "</h4>")}</section>`).join("\n");
  const title = `fleet run ${f.runs.before.id} → fleet run ${f.runs.after.id}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ontap-conformance compare: ${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;margin:0}.bad{background:#fde8e8}.good{background:#e6f6e6}.known{background:#e8f0fd}section{margin-top:2rem}</style></head>
<body><h1>${esc(title)}</h1><p>${fleetRegressions(f) ? `<strong>${esc(fleetVerdict(f))}</strong>` : esc(fleetVerdict(f))}</p>
<table><tr><th>target</th><th>verdict before</th><th>now</th><th>regressions</th><th>fixes</th><th>other changes</th></tr>${rows}</table>
${f.added.length ? `<p>New targets: ${esc(f.added.join(", "))}.</p>` : ""}${f.removed.length ? `<p>Targets no longer in the fleet: ${esc(f.removed.join(", "))}.</p>` : ""}
${sections}
</body></html>
`;
}
