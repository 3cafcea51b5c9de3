// `ontap-conformance merge DIR... --out DIR`: put runs made apart back
// together. The inputs are run directories (or report directories, meaning
// their latest run): the shards of a run (run --shard i/n), fleet runs
// (run --targets), or both (the shards of fleet runs, or fleets of some
// targets each). Each target's shards become one run, as if it had not been
// sharded: the same checks, each exactly once, with its verdict from the
// shard that ran it; summary.json, junit.xml, the coverage matrix and the
// HTML report are made from those. One target gives a run directory,
// several a fleet run directory. A missing or duplicated shard, shards that
// disagree (target, seed, profile, split) or a target given twice is exit 2,
// before anything is written.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { allChecks } from "../../suites/index.ts";
import { settleAllureResults } from "../../reports/allure.ts";
import { coverageHtml } from "../../reports/coverage-html.ts";
import { toJUnit } from "../../reports/junit.ts";
import { checkShards, mergedPart, mergeShards, MergeError, type MergeInput } from "../../reports/merge.ts";
import { summaryMarkdown } from "../../reports/summary-md.ts";
import type { MergedPart, Summary } from "../../reports/summary.ts";
import type { FleetSummary } from "../../reports/fleet.ts";
import { summaryFileProblem } from "../../reports/summary-file.ts";
import { UsageError } from "./exit-codes.ts";
import { checkOutDir, isWithin } from "./out-dir.ts";
import { writeFleetRun } from "./fleet-report.ts";
import { generateHtml } from "./run-command.ts";
import { SHARD_FILE, summaryPathOf } from "./shard.ts";
import { failedAndErrors, painter, resultLine, useColor } from "./terminal.ts";

export interface MergeOptions {
  out: string;
  /** commander's --no-html */
  html?: boolean;
  quiet?: boolean;
}

function readJson(file: string, label: string): any {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new UsageError(`cannot read ${label}: ${existsSync(file) ? `${file} is not valid JSON` : "no summary.json there"}`);
  }
}

/** A run's or a fleet run's summary.json, held to its schema (reports/summary-file.ts) before anything reads it. */
function readSummary(file: string, label: string): any {
  const data = readJson(file, label);
  if (typeof data?.format !== "string" || !data.format.startsWith("ontap-conformance/summary@")) throw new UsageError(`${label} is not an ontap-conformance run (format ${JSON.stringify(data?.format)})`);
  // The shards of one run come from the same version: held to the whole schema.
  const problem = summaryFileProblem(file, data, { whole: true });
  if (problem) throw new UsageError(problem);
  return data;
}

/** One run directory as a merge input (its shard.json too, for a shard). */
function readPart(dir: string, label: string, summary: Summary = readSummary(join(dir, "summary.json"), label)): MergeInput {
  if (Array.isArray((summary as any).targets)) throw new UsageError(`${label}: ${join(dir, "summary.json")} is a fleet run's summary, not the run of one target`);
  const shardFile = join(dir, SHARD_FILE);
  const coverage = summary.shard && existsSync(shardFile) ? readJson(shardFile, `${label} (${SHARD_FILE})`).coverage : undefined;
  return { label, dir, summary, ...(coverage ? { coverage } : {}) };
}

/** A path given to merge as its parts: a run, or each target of a fleet run. */
function expand(path: string): { fleet: boolean; parts: MergeInput[] } {
  const file = summaryPathOf(path);
  const data = readSummary(file, path);
  const dir = resolve(file, "..");
  if (!Array.isArray(data.targets)) return { fleet: false, parts: [readPart(dir, path, data)] };
  const fleet = data as FleetSummary;
  return { fleet: true, parts: fleet.targets.map((t) => readPart(join(dir, t.runDir), `${path} (target ${t.name})`)) };
}

/** What groups parts into one target: its fleet name, else its URL. */
const keyOf = (p: MergeInput) => p.summary.name ?? p.summary.shard?.target ?? p.summary.target;
/** A directory name for a target without a fleet name. */
const dirName = (key: string) => key.replace(/^https?:\/\//, "").replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64) || "target";

/** Copy each shard's Allure results and exchanges of the checks it owns. */
function gather(outDir: string, owner: Map<string, MergeInput>, parts: MergeInput[]): void {
  const results = join(outDir, "allure-results");
  mkdirSync(results, { recursive: true });
  for (const p of parts) {
    const src = join(p.dir, "allure-results");
    if (existsSync(src)) {
      for (const f of readdirSync(src)) {
        if (f.endsWith("-result.json")) {
          const data = JSON.parse(readFileSync(join(src, f), "utf8"));
          const id = data.labels?.find((l: any) => l.name === "story")?.value ?? data.name;
          if (owner.get(id) !== p) continue;
          writeFileSync(join(results, f), JSON.stringify(data));
        } else copyFileSync(join(src, f), join(results, f));
      }
    }
    const exchanges = join(p.dir, "exchanges");
    if (existsSync(exchanges)) {
      mkdirSync(join(outDir, "exchanges"), { recursive: true });
      for (const f of readdirSync(exchanges)) if (owner.get(f.replace(/\.json$/, "")) === p) copyFileSync(join(exchanges, f), join(outDir, "exchanges", f));
    }
  }
}

/** Write one target's merged run into `outDir`; with `html`, its own HTML report. */
async function writeMergedRun(outDir: string, parts: MergeInput[], runId: string, opts: { html: boolean; out: (line: string) => void }): Promise<Summary> {
  const requirements = new Map(allChecks().map((c) => [c.id, { requirement: c.requirement, ref: c.ref, spec: c.spec, oracle: c.oracle, definedAt: c.definedAt }]));
  const { summary, owner } = mergeShards(parts, { runId, requirements });
  mkdirSync(outDir, { recursive: true });
  gather(outDir, owner, parts);
  writeFileSync(join(outDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(outDir, "junit.xml"), toJUnit(summary.checks, { name: "ontap-conformance", timestamp: summary.start }));
  writeFileSync(join(outDir, "coverage.html"), coverageHtml(summary.coverage!, { target: summary.target, version: summary.ontapVersion, profile: summary.profile }));
  settleAllureResults(join(outDir, "allure-results"), summary, requirements);
  let html = false;
  if (opts.html) {
    const made = await generateHtml(outDir, outDir);
    if (made.ok) html = true;
    else opts.out(`  note: the HTML report could not be generated: ${made.reason}`);
  }
  if (!html) {
    mkdirSync(join(outDir, "html"), { recursive: true });
    writeFileSync(join(outDir, "html", "index.html"), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ontap-conformance ${summary.runId}: ${summary.result}</title></head><body style="font-family:system-ui,sans-serif;margin:2rem"><h1>${summary.result}</h1><p>This merged run has no HTML report here${opts.html ? "" : ": merge was given --no-html"}.</p><p><a href="../summary.md">summary.md</a>, <a href="../summary.json">summary.json</a>, <a href="../junit.xml">junit.xml</a>, <a href="../coverage.html">coverage.html</a>.</p></body></html>\n`);
  }
  writeFileSync(join(outDir, "summary.md"), summaryMarkdown(summary, { html: html ? "html/index.html" : undefined }));
  return summary;
}

export async function mergeCommand(paths: string[], opts: MergeOptions): Promise<number> {
  const out = (line: string) => { if (!opts.quiet) process.stdout.write(`${line}\n`); };
  if (!paths.length) throw new UsageError("merge needs the run directories to merge: merge DIR... --out DIR");
  const outDir = checkOutDir(opts.out);
  if (existsSync(join(outDir, "summary.json"))) throw new UsageError(`--out ${opts.out} already holds a run (summary.json): give a new directory`);
  const inputs = paths.map(expand);
  // A run is copied, or read, from where it is: --out inside one would copy it into itself.
  const holder = inputs.flatMap((i) => i.parts).find((p) => isWithin(outDir, p.dir));
  if (holder) throw new UsageError(`--out ${opts.out} is inside ${holder.label}, a run being merged: give a directory outside the runs`);
  const groups = new Map<string, MergeInput[]>();
  for (const p of inputs.flatMap((i) => i.parts)) groups.set(keyOf(p), [...(groups.get(keyOf(p)) ?? []), p]);
  // Everything is checked before anything is written.
  try {
    for (const [key, parts] of groups) {
      if (parts.length > 1 || parts[0].summary.shard) checkShards(parts, `target ${key}`);
    }
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(e.message);
    throw e;
  }
  const runId = new Date().toISOString().replace(/[:.]/g, "-");
  const started = Date.now();
  const asFleet = groups.size > 1 || inputs.some((i) => i.fleet);
  const merged = async (dir: string, parts: MergeInput[], html: boolean): Promise<{ summary: Summary; from: MergedPart[] }> => {
    if (parts.length === 1 && !parts[0].summary.shard) {
      // A whole run of its target: taken as it is.
      cpSync(parts[0].dir, dir, { recursive: true });
      return { summary: parts[0].summary, from: [mergedPart(parts[0], parts[0].summary.checks.length)] };
    }
    const summary = await writeMergedRun(dir, parts, runId, { html, out });
    return { summary, from: summary.merged!.from };
  };
  if (!asFleet) {
    const [parts] = [...groups.values()];
    const { summary } = await merged(outDir, parts, opts.html !== false);
    // Counted and concluded as the unsharded run's terminal says it.
    const paint = painter(useColor());
    const { failed, errors } = failedAndErrors(summary, paint);
    out(`merged ${parts.length} shard(s) of ${summary.target} into ${outDir}: ${summary.totals.checks} checks, ${summary.totals.pass} passed, ${failed}, ${errors}`);
    out(resultLine(summary, paint));
    return summary.exitCode!;
  }
  mkdirSync(outDir, { recursive: true });
  const from: MergedPart[] = [];
  const fleetParts = [];
  const used = new Set<string>();
  for (const [key, parts] of groups) {
    let name = parts[0].summary.name ?? dirName(key);
    for (let i = 2; used.has(name); i++) name = `${dirName(key).slice(0, 60)}-${i}`;
    used.add(name);
    const dir = join(outDir, "targets", name);
    const m = await merged(dir, parts, false);
    if (!m.summary.name) {
      m.summary.name = name;
      writeFileSync(join(dir, "summary.json"), `${JSON.stringify(m.summary, null, 2)}\n`);
    }
    from.push(...m.from.map((f) => ({ ...f, name })));
    fleetParts.push({ name, dir });
  }
  const starts = fleetParts.map((p) => JSON.parse(readFileSync(join(p.dir, "summary.json"), "utf8")) as Summary);
  const start = Math.min(...starts.map((s) => Date.parse(s.start)));
  const end = Math.max(...starts.map((s) => Date.parse(s.start) + s.durationMs));
  const fleet = await writeFleetRun(outDir, fleetParts, { runId, start: new Date(start).toISOString(), durationMs: end - start, merged: { from } }, { html: opts.html !== false, reportDir: outDir, out });
  out(`merged ${inputs.reduce((n, i) => n + i.parts.length, 0)} run(s) of ${groups.size} target(s) into ${outDir} (${((Date.now() - started) / 1000).toFixed(1)} s): ${fleet.verdicts.conformant} conformant, ${fleet.verdicts["not conformant"]} not conformant, ${fleet.verdicts["could not run"]} could not run`);
  out(`result: ${fleet.result}`);
  return fleet.exitCode;
}
