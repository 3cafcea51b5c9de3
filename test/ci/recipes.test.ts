// The CI recipes of docs/ci/ (issue 21): valid YAML, every command they
// call exists (each `ontap-conformance` subcommand and flag is in the CLI's
// own --help, each `npm run` script in package.json), the clusters their
// matrices name are in the inventory they pass, every shard gets a seed. And
// the GitHub recipe's shard-and-merge path runs here as it would on the
// runners: each shard job's steps in its own directory and process, the
// artifacts gathered, the report job's merge and publish steps.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readInventoryFile } from "../../src/cli/config.ts";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "ontap-conformance.mjs");
const GITHUB = join(ROOT, "docs", "ci", "github-actions.yml");
const GITLAB = join(ROOT, "docs", "ci", "gitlab-ci.yml");

const help = new Map<string, string>();
/** The CLI's own --help, for the program or a subcommand (hidden options are not in it, so recipes cannot use them). */
function helpOf(sub?: string): string {
  const key = sub ?? "";
  if (!help.has(key)) help.set(key, spawnSync(process.execPath, [BIN, ...(sub ? [sub] : []), "--help"], { encoding: "utf8" }).stdout);
  return help.get(key)!;
}

interface Line {
  job: string;
  text: string;
}

/** Every shell command of a GitHub Actions workflow (steps' run:) or a GitLab CI file (before_script, script, after_script). */
function shellLines(file: string): Line[] {
  const doc = parse(readFileSync(file, "utf8"));
  const lines: Line[] = [];
  const add = (job: string, text: unknown) => {
    for (const l of String(text).split("\n")) for (const part of l.split(/&&|;/)) if (part.trim()) lines.push({ job, text: part.trim() });
  };
  if (doc.jobs) {
    for (const [job, def] of Object.entries<any>(doc.jobs)) for (const step of def.steps ?? []) if (step.run) add(job, step.run);
  } else {
    for (const [job, def] of Object.entries<any>(doc)) {
      if (!def || typeof def !== "object" || Array.isArray(def)) continue;
      for (const k of ["before_script", "script", "after_script"]) for (const l of [def[k] ?? []].flat()) add(job, l);
    }
  }
  return lines;
}

function invocations(lines: Line[]): Array<Line & { sub: string; flags: string[]; args: string[] }> {
  return lines.flatMap((l) => {
    const m = /(?:^|\s)(?:npx\s+)?ontap-conformance\s+(\S+)(.*)$/.exec(l.text);
    if (!m) return [];
    // An expression such as ${{ matrix.shard }} is one word of the command.
    const args = m[2].replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, "${{$1}}").trim().split(/\s+/).filter(Boolean);
    return [{ ...l, sub: m[1], args, flags: args.filter((a) => a.startsWith("--")).map((a) => a.split("=")[0]) }];
  });
}

const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe.each([["GitHub Actions", GITHUB], ["GitLab CI", GITLAB]])("the %s recipe", (_name, file) => {
  const lines = shellLines(file);
  const calls = invocations(lines);

  it("is valid YAML and calls ontap-conformance run (shards and a fleet) and merge", () => {
    expect(() => parse(readFileSync(file, "utf8"))).not.toThrow();
    expect(calls.map((c) => c.sub).sort()).toEqual(["merge", "run", "run"]);
    expect(calls.some((c) => c.flags.includes("--targets") && c.flags.includes("--shard"))).toBe(true);
  });

  it("every subcommand and flag it uses is one the CLI has (its --help), every npm script one package.json has", () => {
    const commands = helpOf();
    for (const c of calls) {
      expect(commands, `${c.sub} in ${c.text}`).toMatch(new RegExp(`^\\s+${c.sub}\\b`, "m"));
      const own = helpOf(c.sub);
      for (const f of c.flags) expect(own, `${f} of ${c.sub} in ${c.text}`).toMatch(new RegExp(`(^|[\\s,])${f}[\\s=<\\[]`, "m"));
    }
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
    for (const l of lines) {
      const npm = /^npm\s+(run\s+)?(\S+)/.exec(l.text);
      if (!npm) continue;
      if (npm[1]) expect(Object.keys(scripts), l.text).toContain(npm[2]);
      else expect(["ci", "test", "start"], l.text).toContain(npm[2]);
    }
  });

  it("every shard gets a seed; the inventory it passes is valid and holds every cluster its matrix names", () => {
    for (const c of calls.filter((x) => x.flags.includes("--shard"))) expect(c.flags, c.text).toContain("--seed");
    const doc = parse(readFileSync(file, "utf8"));
    for (const c of calls.filter((x) => x.flags.includes("--targets"))) {
      const inventory = readInventoryFile(join(ROOT, valueOf(c.args, "--targets")));
      const names = inventory.targets.map((t) => t.name);
      const only = valueOf(c.args, "--only-targets");
      // The matrix variable the cluster comes from, and the values it takes.
      const variable = /\$\{\{\s*matrix\.(\w+)\s*\}\}|\$\{(\w+)\}/.exec(only)!;
      const clusters: string[] = doc.jobs ? doc.jobs[c.job].strategy.matrix[variable[1]] : doc[c.job].parallel.matrix.flatMap((m: any) => m[variable[2]]);
      expect(clusters.length).toBeGreaterThan(1);
      for (const cl of clusters) expect(names).toContain(cl);
    }
  });
});

it("the GitHub recipe's report job needs both matrices, runs unless cancelled, publishes summary.md and uploads the merged run", () => {
  const doc = parse(readFileSync(GITHUB, "utf8"));
  expect(doc.jobs.report.needs).toEqual(["suite", "clusters"]);
  expect(doc.jobs.report.if).toBe("${{ !cancelled() }}");
  const steps = doc.jobs.report.steps;
  expect(steps.some((s: any) => /merged\/summary\.md >> "\$GITHUB_STEP_SUMMARY"/.test(s.run ?? ""))).toBe(true);
  expect(steps.filter((s: any) => s.uses?.startsWith("actions/upload-artifact")).map((s: any) => s.with.path)).toEqual(["merged/"]);
  for (const job of ["suite", "clusters"]) expect(doc.jobs[job].steps.find((s: any) => s.uses?.startsWith("actions/upload-artifact")).if).toBe("${{ !cancelled() }}");
  const gitlab = parse(readFileSync(GITLAB, "utf8"));
  expect(gitlab.report.artifacts.reports.junit).toBe("merged/junit.xml");
  expect(gitlab.suite.parallel).toBe(2);
});

/** Run a recipe's shell lines as a runner would: in `cwd`, with the project's CLI for `npx ontap-conformance`. */
function runSteps(script: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; err: string }> {
  const text = script.map((s) => s.replace(/npx ontap-conformance/g, `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`)).join("\n");
  const child = spawn("sh", ["-e", "-c", text], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, err })));
}

it("the GitHub recipe's shard-and-merge path, run here: two shard jobs as separate processes, their artifacts, the merge and publish steps", async () => {
  const doc = parse(readFileSync(GITHUB, "utf8"));
  const work = mkdtempSync(join(tmpdir(), "recipe-"));
  const expand = (text: string, shard: number) => text.replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, String(shard)).replace(/\$\{\{\s*github\.run_number\s*\}\}/g, "17").replace(/\$\{\{\s*!cancelled\(\)\s*\}\}/g, "");
  const shardSteps = (shard: number) => doc.jobs.suite.steps.filter((s: any) => s.run && s.run !== "npm ci").map((s: any) => expand(s.run, shard));
  const runners = [1, 2].map((i) => join(work, `runner-${i}`));
  for (const r of runners) mkdirSync(r);
  const shards = await Promise.all([1, 2].map((i) => runSteps(shardSteps(i), runners[i - 1], {})));
  for (const s of shards) expect(s.code, s.err).toBe(0);
  // actions/download-artifact with merge-multiple: every runner's parts/ in one parts/.
  const report = join(work, "report");
  for (const r of runners) cpSync(join(r, "parts"), join(report, "parts"), { recursive: true });
  expect(readdirSync(join(report, "parts")).sort()).toEqual(["suite-1", "suite-2"]);
  const steps = doc.jobs.report.steps.filter((s: any) => s.run && s.run !== "npm ci").map((s: any) => s.run);
  const summaryFile = join(work, "step-summary.md");
  const merged = await runSteps(steps, report, { GITHUB_STEP_SUMMARY: summaryFile });
  expect(merged.code, merged.err).toBe(0);
  const summary = JSON.parse(readFileSync(join(report, "merged", "summary.json"), "utf8"));
  expect(summary).toMatchObject({ result: "conformant", seed: 17, totals: { error: 0, fail: 0 } });
  expect(summary.merged.from.map((f: any) => f.shard)).toEqual(["1/2", "2/2"]);
  expect(new Set(summary.checks.map((c: any) => c.id)).size).toBe(summary.checks.length);
  expect(readFileSync(summaryFile, "utf8")).toMatch(/^## ✅ ontap-conformance: conformant/);
}, 300_000);
