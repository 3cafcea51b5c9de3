// Writes a fleet run directory from its targets' own run directories
// (targets/<name>/): summary.json, summary.md, junit.xml, the matrix page and
// one Allure HTML report of every target. Used by `run --targets` once its
// targets have run, and by `merge` when what it merges is several targets.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { allChecks } from "../../suites/index.ts";
import { settleAllureResults } from "../../reports/allure.ts";
import { allureTestId, buildFleetSummary, fleetAllureConfig, fleetJUnit, fleetMarkdown, fleetMatrixHtml, fleetTarget, relabelForTarget, type FleetSummary } from "../../reports/fleet.ts";
import type { MergedPart, Summary } from "../../reports/summary.ts";
import { generateHtml } from "./run-command.ts";

export interface FleetPart {
  name: string;
  /** The target's run directory (absolute). */
  dir: string;
  /** Why the target could not run or was not started, when its run does not say. */
  reason?: string;
}

export interface FleetMeta {
  runId?: string;
  start: string;
  durationMs: number;
  inventory?: string;
  parallelTargets?: number;
  interrupted?: boolean;
  merged?: { from: MergedPart[] };
}

export function readRunSummary(dir: string): Summary {
  return JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as Summary;
}

/**
 * Every target's Allure results, relabelled for the fleet (reports/fleet.ts),
 * into <fleet>/allure-results; returns, per target, each check's test id in
 * the report (the route of its page).
 */
function combineAllureResults(fleetDir: string, parts: FleetPart[], summaries: Summary[]): Map<string, Map<string, string>> {
  const out = join(fleetDir, "allure-results");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const requirements = new Map(allChecks().map((c) => [c.id, { requirement: c.requirement, ref: c.ref }]));
  const ids = new Map<string, Map<string, string>>();
  parts.forEach((part, i) => {
    const src = join(part.dir, "allure-results");
    // Every check gets its result, settled to the target's verdict (a target that never started has none yet).
    settleAllureResults(src, summaries[i], requirements);
    const mine = new Map<string, string>();
    for (const file of readdirSync(src)) {
      if (file.endsWith("-result.json")) {
        const data = relabelForTarget(JSON.parse(readFileSync(join(src, file), "utf8")), { name: part.name, ontapVersion: summaries[i].ontapVersion });
        const id = data.labels.find((l: any) => l.name === "story")?.value ?? data.name;
        mine.set(id, allureTestId(data.uuid));
        writeFileSync(join(out, file), JSON.stringify(data));
      } else {
        copyFileSync(join(src, file), join(out, file));
      }
    }
    ids.set(part.name, mine);
  });
  return ids;
}

/**
 * Write the fleet's reports. `html: false` (--no-html) leaves a page that
 * says so where the report would be; the matrix links to each check's
 * exchanges instead.
 */
export async function writeFleetRun(fleetDir: string, parts: FleetPart[], meta: FleetMeta, opts: { html: boolean; reportDir: string; out: (line: string) => void }): Promise<FleetSummary> {
  const summaries = parts.map((p) => readRunSummary(p.dir));
  const targets = parts.map((p, i) => fleetTarget(p.name, relative(fleetDir, p.dir), summaries[i], p.reason));
  const fleet = buildFleetSummary(targets, meta);
  writeFileSync(join(fleetDir, "summary.json"), `${JSON.stringify(fleet, null, 2)}\n`);
  writeFileSync(join(fleetDir, "junit.xml"), fleetJUnit(fleet));
  let html = false;
  let testIds = new Map<string, Map<string, string>>();
  const htmlDir = join(fleetDir, "html");
  // The targets' Allure results are settled and combined even when no HTML report is made from them (Ctrl-C).
  if (opts.html) testIds = combineAllureResults(fleetDir, parts, summaries);
  if (opts.html && !meta.interrupted) {
    const made = await generateHtml(fleetDir, opts.reportDir, fleetAllureConfig(targets));
    if (made.ok) html = true;
    else opts.out(`  note: the HTML report could not be generated: ${made.reason}`);
  }
  if (!html) {
    mkdirSync(htmlDir, { recursive: true });
    const why = !opts.html ? "the run was made with --no-html" : meta.interrupted ? "the run was interrupted (Ctrl-C)" : "Allure could not generate it";
    writeFileSync(join(htmlDir, "index.html"), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ontap-conformance fleet: ${fleet.result}</title></head><body style="font-family:system-ui,sans-serif;margin:2rem"><h1>${fleet.result}</h1><p>This fleet run has no HTML report: ${why}.</p><p>Its results: <a href="../matrix.html">matrix.html</a>, <a href="../summary.md">summary.md</a>, <a href="../summary.json">summary.json</a>, <a href="../junit.xml">junit.xml</a>.</p></body></html>\n`);
  }
  writeFileSync(join(fleetDir, "matrix.html"), fleetMatrixHtml(fleet, (t, c) => {
    const id = testIds.get(t.name)?.get(c.id);
    if (html && id) return `html/index.html#${id}`;
    if (existsSync(join(fleetDir, t.runDir, "exchanges", `${c.id}.json`))) return `${t.runDir}/exchanges/${c.id}.json`;
    return `${t.runDir}/summary.json`;
  }, { html: html ? "html/index.html" : undefined }));
  writeFileSync(join(fleetDir, "summary.md"), fleetMarkdown(fleet, { html: html ? "html/index.html" : undefined, matrix: "matrix.html" }));
  return fleet;
}
