// The reports of a fleet run (run --targets, or `merge` of several targets):
// one summary.json with a verdict per target and fleet totals, summary.md,
// one junit.xml whose suites carry the target's name, the fleet matrix page
// (targets x checks), and the Allure results of every target relabelled so
// that one HTML report tells the targets apart. Pure functions; the CLI
// (src/cli/fleet-report.ts) reads and writes the files.
import { createHash } from "node:crypto";
import { describeEntry } from "./baseline.ts";
import { toFleetJUnit } from "./junit.ts";
import { counts, runIdentity, SUMMARY_FORMAT, type MergedPart, type RunResult, type Summary, type SummaryCheck } from "./summary.ts";

/** One target of a fleet, as the fleet's summary.json lists it. */
export interface FleetTarget {
  name: string;
  target: string;
  ontapVersion?: string;
  profile: string;
  seed: number;
  runs?: number;
  strict?: boolean;
  verdict: RunResult;
  exitCode: number;
  totals: Summary["totals"];
  durationMs: number;
  runId?: string;
  /** The target's run directory, relative to the fleet's. */
  runDir: string;
  teardown?: Summary["teardown"];
  shard?: Summary["shard"];
  merged?: Summary["merged"];
  /** Why it could not run or was not started, in the run's own words. */
  reason?: string;
  checks: SummaryCheck[];
}

export interface FleetSummary {
  format: typeof SUMMARY_FORMAT;
  runId?: string;
  /** The worst verdict of the targets (interrupted, then could not run, then not conformant). */
  result: RunResult;
  exitCode: number;
  start: string;
  durationMs: number;
  /** The inventory file (run --targets). */
  inventory?: string;
  parallelTargets?: number;
  /** Summed over the targets. */
  totals: Summary["totals"];
  /** How many targets ended with each verdict. */
  verdicts: Record<RunResult, number>;
  interrupted?: true;
  merged?: { from: MergedPart[] };
  targets: FleetTarget[];
}

const RANK: Record<RunResult, number> = { conformant: 0, "not conformant": 1, "could not run": 2, interrupted: 3 };
export const EXIT_OF: Record<RunResult, number> = { conformant: 0, "not conformant": 1, "could not run": 2, interrupted: 130 };

/** The worst of the verdicts: interrupted (130), could not run (2), not conformant (1), conformant (0). */
export function worstVerdict(verdicts: readonly RunResult[]): RunResult {
  return verdicts.reduce<RunResult>((w, v) => (RANK[v] > RANK[w] ? v : w), "conformant");
}

/** A target's line in the fleet's summary.json, from its own run's summary. */
export function fleetTarget(name: string, runDir: string, s: Summary, reason?: string): FleetTarget {
  const verdict = s.result ?? "could not run";
  return {
    name,
    ...runIdentity(s),
    verdict,
    exitCode: s.exitCode ?? EXIT_OF[verdict],
    totals: s.totals,
    durationMs: s.durationMs,
    runDir,
    ...(s.teardown ? { teardown: s.teardown } : {}),
    ...(s.shard ? { shard: s.shard } : {}),
    ...(s.merged ? { merged: s.merged } : {}),
    ...(reason ? { reason } : {}),
    checks: s.checks,
  };
}

export function buildFleetSummary(targets: FleetTarget[], meta: { runId?: string; start: string; durationMs: number; inventory?: string; parallelTargets?: number; interrupted?: boolean; merged?: { from: MergedPart[] } }): FleetSummary {
  const totals: Summary["totals"] = { pass: 0, fail: 0, skip: 0, disabled: 0, error: 0, checks: 0, warnings: 0 };
  let known = 0;
  let anyKnown = false;
  for (const t of targets) {
    for (const k of ["pass", "fail", "skip", "disabled", "error", "checks", "warnings"] as const) totals[k] += t.totals[k];
    if (t.totals.known !== undefined) {
      anyKnown = true;
      known += t.totals.known;
    }
  }
  if (anyKnown) totals.known = known;
  const verdicts: Record<RunResult, number> = { conformant: 0, "not conformant": 0, "could not run": 0, interrupted: 0 };
  for (const t of targets) verdicts[t.verdict]++;
  const result = meta.interrupted ? "interrupted" : worstVerdict(targets.map((t) => t.verdict));
  return {
    format: SUMMARY_FORMAT,
    ...(meta.runId ? { runId: meta.runId } : {}),
    result,
    exitCode: EXIT_OF[result],
    start: meta.start,
    durationMs: meta.durationMs,
    ...(meta.inventory ? { inventory: meta.inventory } : {}),
    ...(meta.parallelTargets ? { parallelTargets: meta.parallelTargets } : {}),
    totals,
    verdicts,
    ...(meta.interrupted ? { interrupted: true as const } : {}),
    ...(meta.merged ? { merged: meta.merged } : {}),
    targets,
  };
}

export function fleetJUnit(f: FleetSummary): string {
  return toFleetJUnit(f.targets.map((t) => ({ name: t.name, checks: t.checks })), { name: "ontap-conformance fleet", timestamp: f.start });
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const icon = (r: RunResult) => (r === "conformant" ? "✅" : r === "interrupted" ? "⏹️" : "❌");

/** summary.md of a fleet: a line per target, then each target's failures and errors that count. */
export function fleetMarkdown(f: FleetSummary, links: { html?: string; matrix?: string } = {}): string {
  const v = f.verdicts;
  const lines = [
    `## ${icon(f.result)} ontap-conformance fleet: ${f.result}`,
    "",
    `${f.targets.length} target(s): ${v.conformant} conformant, ${v["not conformant"]} not conformant, ${v["could not run"]} could not run${v.interrupted ? `, ${v.interrupted} interrupted` : ""}; ${f.totals.checks} checks; ${(f.durationMs / 1000).toFixed(1)} s${f.runId ? `; run ${f.runId}` : ""}.`,
    "",
    "| target | URL | ONTAP | profile | verdict | passed | failed | errors | known | skipped | disabled | seed |",
    "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...f.targets.map((t) => `| ${cell(t.name)} | \`${cell(t.target)}\` | ${t.ontapVersion ?? "?"} | ${t.profile} | ${icon(t.verdict)} ${t.verdict} | ${t.totals.pass} | ${t.totals.fail} | ${t.totals.error} | ${t.totals.known ?? 0} | ${t.totals.skip} | ${t.totals.disabled} | ${t.seed} |`),
    "",
  ];
  for (const t of f.targets) {
    const counted = t.checks.filter(counts);
    if (!counted.length && !t.reason && t.teardown?.restored !== false) continue;
    lines.push(`### ${t.name} (${t.ontapVersion ? `ONTAP ${t.ontapVersion}` : t.target}): ${t.verdict}`, "");
    if (t.reason) lines.push(`${cell(t.reason)}`, "");
    const shown = counted.slice(0, 15);
    if (shown.length) {
      lines.push("| check | status | detail |", "| --- | --- | --- |");
      for (const c of shown) lines.push(`| \`${c.id}\` | ${c.status} | ${cell((c.message ?? "").split("\n")[0])} |`);
      if (counted.length > shown.length) lines.push(`| … | | ${counted.length - shown.length} more in summary.json |`);
      lines.push("");
    }
    if (t.teardown && !t.teardown.restored) lines.push("The target was not left as it was found:", "", ...t.teardown.differences.map((d) => `- ${cell(d)}`), "");
  }
  const where = [links.matrix ? `the matrix \`${links.matrix}\`` : "", links.html ? `the report \`${links.html}\`` : ""].filter(Boolean).join(" and ");
  lines.push(`${where ? `See ${where}; d` : "D"}etails in \`summary.json\` and \`junit.xml\` (each target's own run under \`targets/\`).`, "");
  return lines.join("\n");
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** How a check's verdict shows in a matrix cell. */
function mark(c: SummaryCheck): { cls: string; text: string } {
  if (c.known) return { cls: "known", text: "K" };
  switch (c.status) {
    case "pass":
      return { cls: "pass", text: "✓" };
    case "fail":
      return { cls: "fail", text: "✗" };
    case "error":
      return { cls: "error", text: "!" };
    case "skip":
      return { cls: "skip", text: "–" };
    default:
      return { cls: "disabled", text: "·" };
  }
}

/**
 * The fleet matrix page: a row per check, a column per target (its
 * release, profile and verdict in the header), each cell its verdict,
 * linking to its result (`link`: the HTML report's test, or the check's
 * exchanges, or the target's summary.json).
 */
export function fleetMatrixHtml(f: FleetSummary, link: (target: FleetTarget, check: SummaryCheck) => string | undefined, top: { html?: string } = {}): string {
  const ids = new Map<string, SummaryCheck>();
  for (const t of f.targets) for (const c of t.checks) if (!ids.has(c.id)) ids.set(c.id, c);
  const rows = [...ids.values()].sort((a, b) => a.area.localeCompare(b.area) || a.id.localeCompare(b.id));
  const byTarget = f.targets.map((t) => new Map(t.checks.map((c) => [c.id, c])));
  const head = f.targets.map((t) => `<th class="t ${t.verdict === "conformant" ? "pass" : t.verdict === "not conformant" ? "fail" : "error"}" title="${esc(`${t.target}; profile ${t.profile}; seed ${t.seed}; ${t.verdict}${t.reason ? `: ${t.reason}` : ""}`)}"><a href="${esc(`${t.runDir}/summary.md`)}">${esc(t.name)}</a><div>${esc(t.ontapVersion ?? "?")}</div><div class="p">${esc(t.profile)}</div><div>${esc(t.verdict)}</div></th>`).join("");
  let area = "";
  const body: string[] = [];
  for (const r of rows) {
    if (r.area !== area) {
      area = r.area;
      body.push(`<tr class="area"><th colspan="${f.targets.length + 1}">${esc(area)}</th></tr>`);
    }
    const cells = f.targets.map((t, i) => {
      const c = byTarget[i].get(r.id);
      if (!c) return `<td class="none" title="not in this target's run">&nbsp;</td>`;
      const m = mark(c);
      const title = `${t.name}: ${c.status}${c.known ? ` (known: ${describeEntry(c.known)})` : ""}${c.message ? ` — ${c.message.split("\n")[0]}` : ""}`;
      const href = link(t, c);
      return `<td class="${m.cls}" title="${esc(title)}">${href ? `<a href="${esc(href)}">${m.text}</a>` : m.text}</td>`;
    });
    body.push(`<tr><th class="id" title="${esc(r.title)}">${esc(r.id)}</th>${cells.join("")}</tr>`);
  }
  const v = f.verdicts;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ontap-conformance fleet ${esc(f.runId ?? "")}: ${esc(f.result)}</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.15rem .35rem;font-size:.85rem}th.id{text-align:left;font-weight:normal;font-family:ui-monospace,monospace;white-space:nowrap}th.t{vertical-align:bottom;font-size:.75rem}th.t div{font-weight:normal}tr.area th{text-align:left;background:#f3f3f3}td{text-align:center}td a{text-decoration:none;color:inherit;display:block}.pass{background:#e6f6e6}.fail{background:#fbd5d5}.error{background:#fde9c8}.skip{background:#f5f5f5;color:#777}.disabled{color:#aaa}.known{background:#dbe7fb}.none{background:#fff}thead th{position:sticky;top:0;background:#fff}</style></head>
<body><h1>${esc(f.result)}: ${f.targets.length} target(s)</h1>
<p>${v.conformant} conformant, ${v["not conformant"]} not conformant, ${v["could not run"]} could not run${v.interrupted ? `, ${v.interrupted} interrupted` : ""}. ${f.totals.checks} checks: ${f.totals.pass} passed, ${f.totals.fail} failed, ${f.totals.error} errors, ${f.totals.skip} skipped, ${f.totals.disabled} disabled.${top.html ? ` <a href="${esc(top.html)}">The HTML report</a> (one environment per target).` : ""} <a href="summary.md">summary.md</a>, <a href="summary.json">summary.json</a>, <a href="junit.xml">junit.xml</a>.</p>
<p>✓ pass, ✗ fail, ! error, K known failure (baseline), – skipped, · disabled; a cell links to its result.</p>
<table><thead><tr><th>check</th>${head}</tr></thead><tbody>
${body.join("\n")}
</tbody></table></body></html>
`;
}

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/**
 * An Allure result of one target, relabelled for the fleet's report: the
 * target is its parent suite (the phase moves to suite), a `target` label
 * (the report's environment for that target) and a tag; its test case and
 * history ids are the target's own, so the same check on two targets is two
 * tests, never a retry of one.
 */
export function relabelForTarget(result: any, target: { name: string; ontapVersion?: string }): any {
  const id: string = result.labels?.find((l: any) => l.name === "story")?.value ?? result.name;
  const phase: string | undefined = result.labels?.find((l: any) => l.name === "parentSuite")?.value;
  const labels = (result.labels ?? []).filter((l: any) => !["parentSuite", "suite", "target"].includes(l.name) && !(l.name === "tag" && l.value === target.name));
  return {
    ...result,
    fullName: `${target.name}:${result.fullName ?? id}`,
    testCaseId: md5(`${target.name}:${id}`),
    historyId: md5(`${target.name}:${id}`),
    labels: [
      { name: "parentSuite", value: `${target.name}${target.ontapVersion ? ` (ONTAP ${target.ontapVersion})` : ""}` },
      ...(phase ? [{ name: "suite", value: phase }] : []),
      { name: "target", value: target.name },
      { name: "tag", value: target.name },
      ...labels,
    ],
    parameters: [{ name: "target name", value: target.name }, ...(result.parameters ?? []).filter((p: any) => p.name !== "target name")],
  };
}

/** The id Allure 3 gives a test result (its page in the report is index.html#<id>): the md5 of the result's uuid. */
export function allureTestId(uuid: string): string {
  return md5(uuid);
}

/** The Allure configuration a fleet's report adds: one environment per target (the report groups by it, and a person picks a cluster). */
export function fleetAllureConfig(targets: ReadonlyArray<{ name: string; ontapVersion?: string }>): string {
  const envs = targets.map((t) => `${JSON.stringify(t.name)}: { name: ${JSON.stringify(`${t.name}${t.ontapVersion ? ` (ONTAP ${t.ontapVersion})` : ""}`)}, matcher: ({ labels }) => labels.some((l) => l.name === "target" && l.value === ${JSON.stringify(t.name)}) }`);
  return `{ environments: { ${envs.join(", ")} } }`;
}
