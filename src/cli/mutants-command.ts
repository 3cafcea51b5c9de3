// `ontap-conformance mutants`: runs the suite (strict, destructive) against
// the reference mock and against each mutant of mock/mutants/, and prints the
// kill table and the check-to-mutant map. Exit 1 when a mutant survives or
// the reference fails; every check that no mutant kills is listed as a defect.
import { mkdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startMock } from "../../mock/index.ts";
import { MUTANTS, SAMPLE } from "../../mock/mutants/catalog.ts";
import type { Mutant } from "../../mock/mutants/types.ts";
import type { Summary } from "../../reports/summary.ts";
import { allChecks } from "../../suites/index.ts";
import { mergeMutants } from "../../reports/compare.ts";
import { EXIT, UsageError } from "./exit-codes.ts";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const MUTANTS_FORMAT = "ontap-conformance/mutants@1";

export interface KillRow {
  mutant: string;
  category: string;
  breaks: string;
  /** error: the run against this mutant could not complete (counted as not killed). */
  status: "killed" | "survived" | "equivalent" | "error";
  killedBy: string[];
}

export interface MutantsSummary {
  format: typeof MUTANTS_FORMAT;
  start: string;
  durationMs: number;
  shard?: string;
  reference: { failed: string[] };
  kills: KillRow[];
  /** check id → mutants that make it fail. */
  checkToMutants: Record<string, string[]>;
  /** Checks no mutant of this run made fail. */
  unkilledChecks: string[];
}

const BIN = new URL("../../bin/ontap-conformance.mjs", import.meta.url);

/**
 * One strict, destructive run of the suite against `mutant` (or the
 * reference). The suite runs in a child process so every run starts from a
 * clean vitest; the mock stays in this process (hence an async spawn).
 */
async function runAgainst(mutant: Mutant | undefined, dir: string): Promise<Summary> {
  const mock = await startMock({ scenario: "docs", mutant, ...(mutant?.options ?? {}), password: "mutant-pass" });
  try {
    mkdirSync(dir, { recursive: true });
    const config = join(dir, "config.yaml");
    writeFileSync(config, "testKeys: true\ntestPackages: true\nallowUpgrade: true\nfaultSwitch: true\ndownloadUrl: http://packages.example.invalid/9.99.1_image.tgz\njobTimeoutMs: 4000\nconcurrency: 16\n");
    const args = [fileURLToPath(BIN), "run", "--target", mock.url, "--username", "admin", "--password-env", "ONTAP_MUTANT_PASSWORD", "--profile", "destructive", "--allow-destructive", "--strict", "--timeout", "10000", "--seed", "1", "--report-dir", dir, "--config", config, "--no-html"];
    const stderr = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, args, { env: { ...process.env, ONTAP_MUTANT_PASSWORD: "mutant-pass" }, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      child.on("close", () => resolve(err));
    });
    try {
      return JSON.parse(readFileSync(join(dir, "latest", "summary.json"), "utf8")) as Summary;
    } catch {
      throw new Error(`the run against ${mutant?.name ?? "the reference"} wrote no summary: ${stderr.trim().split("\n")[0]}`);
    }
  } finally {
    await mock.close();
  }
}

function mergeCommand(files: string[], outFile: string | undefined, out: (s: string) => void): number {
  if (!outFile) throw new UsageError("--merge needs --out FILE for the merged kill table");
  const parts = files.map((f) => {
    try {
      const data = JSON.parse(readFileSync(f, "utf8"));
      if (data.format !== MUTANTS_FORMAT) throw new Error("format");
      return data as MutantsSummary;
    } catch {
      throw new UsageError(`cannot read the kill table ${f}`);
    }
  });
  const merged = mergeMutants(parts);
  writeFileSync(resolve(outFile), `${JSON.stringify(merged, null, 2)}\n`);
  const survivors = merged.kills.filter((k) => k.status === "survived");
  out(`${merged.kills.length} mutants from ${parts.length} shards: ${merged.kills.filter((k) => k.status === "killed").length} killed, ${survivors.length} survived`);
  if (merged.unkilledChecks.length) out(`checks no mutant kills (defects): ${merged.unkilledChecks.join(", ")}`);
  return survivors.length || merged.reference.failed.length ? EXIT.NOT_CONFORMANT : EXIT.CONFORMANT;
}

function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (!text) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard takes i/n with 1 <= i <= n, not "${text}"`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

export async function mutantsCommand(opts: { only?: string; sample?: boolean; shard?: string; out?: string; merge?: string[] }, out: (s: string) => void): Promise<number> {
  if (opts.merge) return mergeCommand(opts.merge, opts.out, out);
  const started = Date.now();
  let selected = MUTANTS;
  if (opts.sample) selected = MUTANTS.filter((m) => SAMPLE.includes(m.name));
  if (opts.only) {
    const names = opts.only.split(",").map((s) => s.trim());
    const unknown = names.filter((n) => !MUTANTS.some((m) => m.name === n || m.category === n));
    if (unknown.length) throw new UsageError(`unknown mutant ${unknown.join(", ")} (see mock/mutants/catalog.ts)`);
    selected = MUTANTS.filter((m) => names.includes(m.name) || names.includes(m.category));
  }
  const shard = parseShard(opts.shard);
  if (shard) selected = selected.filter((_m, i) => i % shard.count === shard.index - 1);
  const work = mkdtempSync(join(tmpdir(), "ontap-mutants-"));

  out(`reference mock: running the suite (strict, destructive)`);
  const reference = await runAgainst(undefined, join(work, "reference"));
  const refFailed = reference.checks.filter((c) => c.status === "fail" || c.status === "error").map((c) => c.id);
  const passedOnReference = new Set(reference.checks.filter((c) => c.status === "pass").map((c) => c.id));
  if (refFailed.length) out(`  the reference FAILS ${refFailed.join(", ")}`);

  const kills: KillRow[] = [];
  const checkToMutants: Record<string, string[]> = Object.fromEntries(allChecks().map((c) => [c.id, [] as string[]]));
  for (const m of selected) {
    if (m.equivalent) {
      kills.push({ mutant: m.name, category: m.category, breaks: m.breaks, status: "equivalent", killedBy: [] });
      continue;
    }
    let s: Summary;
    try {
      s = await runAgainst(m, join(work, m.name));
    } catch (e) {
      kills.push({ mutant: m.name, category: m.category, breaks: m.breaks, status: "error", killedBy: [] });
      out(`  ERROR    ${m.name}: ${(e as Error).message}`);
      continue;
    }
    const killedBy = s.checks.filter((c) => c.status === "fail" && passedOnReference.has(c.id)).map((c) => c.id);
    const errored = s.checks.filter((c) => c.status === "error").map((c) => c.id);
    if (errored.length) out(`  note: ${m.name} made ${errored.length} checks error (not counted as kills): ${errored.slice(0, 3).join(", ")}`);
    for (const id of killedBy) (checkToMutants[id] ??= []).push(m.name);
    kills.push({ mutant: m.name, category: m.category, breaks: m.breaks, status: killedBy.length ? "killed" : "survived", killedBy });
    out(`  ${killedBy.length ? "killed  " : "SURVIVED"} ${m.name}${killedBy.length ? ` by ${killedBy.slice(0, 4).join(", ")}${killedBy.length > 4 ? `, +${killedBy.length - 4}` : ""}` : ""}`);
  }
  const unkilledChecks = Object.entries(checkToMutants).filter(([, ms]) => !ms.length).map(([id]) => id).sort();
  const summary: MutantsSummary = {
    format: MUTANTS_FORMAT, start: new Date(started).toISOString(), durationMs: Date.now() - started, ...(opts.shard ? { shard: opts.shard } : {}),
    reference: { failed: refFailed }, kills, checkToMutants, unkilledChecks,
  };
  const survivors = kills.filter((k) => k.status === "survived" || k.status === "error");
  out("");
  out(`${kills.length} mutants: ${kills.filter((k) => k.status === "killed").length} killed, ${kills.filter((k) => k.status === "survived").length} survived, ${kills.filter((k) => k.status === "error").length} could not run, ${kills.filter((k) => k.status === "equivalent").length} equivalent (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (survivors.length) out(`survivors (missing or weak checks): ${survivors.map((k) => k.mutant).join(", ")}`);
  if (!opts.only && !opts.sample && !shard && unkilledChecks.length) out(`checks no mutant kills (defects): ${unkilledChecks.join(", ")}`);
  if (opts.out) {
    const file = resolve(opts.out);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
    out(`kill table: ${file}`);
  }
  // Over the whole catalog, a check no mutant kills is a defect too (it has not been shown able to fail).
  const defects = !opts.only && !opts.sample && !shard ? unkilledChecks.length : 0;
  return survivors.length || refFailed.length || defects ? EXIT.NOT_CONFORMANT : EXIT.CONFORMANT;
}
