// `ontap-conformance compare BASELINE CURRENT [--out DIR]`: what changed
// between two runs (run directories or summary.json files), or two mutant
// kill tables. Writes compare.md (for a CI comment) and compare.html.
// Titled by run ids and targets, with links to both runs' reports, whole
// messages (with the curl line), the coverage change, and a verdict that
// knows the current run's baseline: exit 1 on a regression the baseline does
// not know, 0 otherwise, 2 when an input cannot be read.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { compareFleets, compareMutants, compareRuns, fleetRegressions, fleetToHtml, fleetToMarkdown, toHtml, toMarkdown, type FleetSide } from "../../reports/compare.ts";
import type { FleetSummary } from "../../reports/fleet.ts";
import type { Summary } from "../../reports/summary.ts";
import { SUMMARY_FORMAT } from "../../reports/summary.ts";
import { summaryFileProblem } from "../../reports/summary-file.ts";
import { EXIT, UsageError } from "./exit-codes.ts";
import { MUTANTS_FORMAT } from "./mutants-command.ts";
import { checkOutDir } from "./out-dir.ts";

/** The summary.json a path names: the file, a run directory, or a report directory (its latest run). */
function summaryFile(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) {
    return [join(path, "summary.json"), join(path, "latest", "summary.json")].find((f) => existsSync(f)) ?? join(path, "summary.json");
  }
  return path;
}

/** Links from `outDir` to a run's HTML report and summary.json. */
function linksOf(path: string, outDir: string): { html?: string; summary?: string } {
  const file = summaryFile(path);
  if (!existsSync(file)) return {};
  const runDir = dirname(realpathSync(file));
  const html = join(runDir, "html", "index.html");
  return { ...(existsSync(html) ? { html: relative(outDir, html) } : {}), summary: relative(outDir, realpathSync(file)) };
}

export function readSummary(path: string): any {
  const file = summaryFile(path);
  let data: any;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${existsSync(file) ? "not valid JSON" : "no summary.json there"}`);
  }
  if (data?.format !== SUMMARY_FORMAT && data?.format !== MUTANTS_FORMAT) throw new UsageError(`${path} is not an ontap-conformance summary (format ${JSON.stringify(data?.format)})`);
  const problem = data.format === SUMMARY_FORMAT ? summaryFileProblem(file, data) : undefined;
  if (problem) throw new UsageError(problem);
  return data;
}

/** A fleet run's targets, each with its own run's summary (coverage included) where its directory is there. */
function fleetSide(path: string, fleet: FleetSummary, outDir: string): FleetSide {
  const dir = dirname(realpathSync(summaryFile(path)));
  return {
    id: fleet.runId ?? fleet.start,
    targets: fleet.targets.map((t) => {
      const own = join(dir, t.runDir, "summary.json");
      const summary: Summary = existsSync(own)
        ? readSummary(own)
        : { format: fleet.format, runId: t.runId, result: t.verdict, exitCode: t.exitCode, target: t.target, ontapVersion: t.ontapVersion, profile: t.profile, seed: t.seed, runs: t.runs ?? 25, strict: Boolean(t.strict), start: fleet.start, durationMs: t.durationMs, phases: {}, totals: t.totals, checks: t.checks };
      const html = join(dir, "html", "index.html");
      return { name: t.name, summary, links: { ...(existsSync(html) ? { html: relative(outDir, html) } : {}), ...(existsSync(own) ? { summary: relative(outDir, own) } : {}) } };
    }),
  };
}

export function compareCommand(baselinePath: string, currentPath: string, opts: { out?: string }, out: (s: string) => void): number {
  const baseline = readSummary(baselinePath);
  const current = readSummary(currentPath);
  if (baseline.format !== current.format) throw new UsageError("cannot compare a run with a mutant kill table");
  const dir = checkOutDir(opts.out ?? "compare-report");
  if (Array.isArray(baseline.targets) !== Array.isArray(current.targets)) {
    const [fleet, single] = Array.isArray(baseline.targets) ? [baselinePath, currentPath] : [currentPath, baselinePath];
    throw new UsageError(`cannot compare a fleet run (${fleet}) with the run of one target (${single}): compare the fleet's targets/<name> with it`);
  }
  if (Array.isArray(baseline.targets)) {
    // Two fleets: target by target, by name.
    const fleet = compareFleets(fleetSide(baselinePath, baseline, dir), fleetSide(currentPath, current, dir));
    const markdown = fleetToMarkdown(fleet);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "compare.md"), markdown);
    writeFileSync(join(dir, "compare.html"), fleetToHtml(fleet));
    out(markdown);
    out(`written: ${join(dir, "compare.md")}, ${join(dir, "compare.html")}`);
    return fleetRegressions(fleet) ? EXIT.NOT_CONFORMANT : EXIT.CONFORMANT;
  }
  const comparison = baseline.format === SUMMARY_FORMAT
    ? compareRuns(baseline, current, { before: linksOf(baselinePath, dir), after: linksOf(currentPath, dir) })
    : compareMutants(baseline, current);
  const titles = { baseline: baselinePath, current: currentPath };
  const markdown = toMarkdown(comparison, titles);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "compare.md"), markdown);
  writeFileSync(join(dir, "compare.html"), toHtml(comparison, titles));
  out(markdown);
  out(`written: ${join(dir, "compare.md")}, ${join(dir, "compare.html")}`);
  return comparison.regressions.length ? EXIT.NOT_CONFORMANT : EXIT.CONFORMANT;
}
