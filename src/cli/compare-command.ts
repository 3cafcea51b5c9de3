// `ontap-conformance compare BASELINE CURRENT [--out DIR]`: what changed
// between two runs (run directories or summary.json files), or two mutant
// kill tables. Writes compare.md (for a CI comment) and compare.html.
// Titled by run ids and targets, with links to both runs' reports, whole
// messages (with the curl line), the coverage change, and a verdict that
// knows the current run's baseline: exit 1 on a regression the baseline does
// not know, 0 otherwise, 2 when an input cannot be read.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { compareMutants, compareRuns, toHtml, toMarkdown } from "../../reports/compare.ts";
import { SUMMARY_FORMAT } from "../../reports/summary.ts";
import { EXIT, UsageError } from "./exit-codes.ts";
import { MUTANTS_FORMAT } from "./mutants-command.ts";

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
  return data;
}

export function compareCommand(baselinePath: string, currentPath: string, opts: { out?: string }, out: (s: string) => void): number {
  const baseline = readSummary(baselinePath);
  const current = readSummary(currentPath);
  if (baseline.format !== current.format) throw new UsageError("cannot compare a run with a mutant kill table");
  const dir = resolve(opts.out ?? "compare-report");
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
