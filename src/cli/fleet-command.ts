// `run --targets FILE`: validate a fleet of clusters in one run.
//
// Each target of the inventory runs as its own `run`, in its own child
// process, into its own run directory (<fleet run>/targets/<name>/): its own
// discovery, release, profile, safety rules, inventory and teardown, 401
// latch, seed and Ctrl-C handling. Nothing is shared between targets but
// the machine, so a fault in one (a crash, a hung cluster, a refused
// password, an out-of-memory) cannot leak into another. At most
// --parallel-targets run at once. Then the fleet's reports are written from
// the targets' own (src/cli/fleet-report.ts), and the exit code is the
// worst of the targets'.
//
// Children are started in their own process groups: a Ctrl-C at the
// terminal reaches this process only, which passes exactly one SIGINT to
// each running target (each restores its target and writes its report),
// starts no other, and exits 130 once they are done. A second Ctrl-C is
// passed on too (the targets exit at once, unrestored). A SIGINT sent to one
// target's process stops that target only.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, freemem, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { allChecks } from "../../suites/index.ts";
import { buildSummary, settleVerdict, type RunResult, type Summary } from "../../reports/summary.ts";
import { BaselineError, readBaseline } from "../../reports/baseline.ts";
import type { Check, CheckResult, Profile } from "../harness/check.ts";
import { notApplicable } from "../harness/select.ts";
import { envSetting, readInventoryFile, type FileConfig, type InventoryTarget } from "./config.ts";
import { EXIT, UsageError } from "./exit-codes.ts";
import { pruneRuns, type RunOptions } from "./run-command.ts";
import { disabledBy, parseOnly, suggestCheck } from "./selection.ts";
import { parseShardSpec } from "./shard.ts";
import { didYouMean } from "./suggest.ts";
import { writeFleetRun, type FleetPart } from "./fleet-report.ts";
import { failedAndErrors, painter, useColor } from "./terminal.ts";

const BIN = fileURLToPath(new URL("../../bin/ontap-conformance.mjs", import.meta.url));

export interface FleetOptions extends RunOptions {
  /** --targets FILE: the inventory. */
  targets: string;
  /** --parallel-targets N: targets validated at once. */
  parallelTargets?: number;
  /** --only-targets NAMES: some of the inventory's targets (comma-separated). */
  onlyTargets?: string;
}

/** Memory one target's run may take at its peak: 510 MB resident measured for a read-only run against a mock, 570 MB for the default destructive run. */
const MEMORY_PER_TARGET = 600 * 2 ** 20;

/**
 * How many targets run at once by default: a run against a cluster mostly
 * waits for answers, so a few per core, as many as free memory allows
 * (at most 16, at least 2), never more than there are targets.
 */
export function defaultParallelTargets(targets: number): number {
  const byCpu = 5 * availableParallelism();
  const byMemory = Math.floor(freemem() / MEMORY_PER_TARGET);
  return Math.max(1, Math.min(targets, 16, Math.max(2, Math.min(byCpu, byMemory))));
}

/** The ONTAP_* setting variables a child must not read: in a fleet the inventory and the flags decide, per target. */
const PER_RUN_VARIABLES = ["ONTAP_TARGET", "ONTAP_USERNAME", "ONTAP_PROFILE", "ONTAP_INSECURE", "ONTAP_CA", "ONTAP_CONFIG", "ONTAP_REPORT_DIR"];

/** The settings a flag of `run --targets` sets for every target (a flag wins over the inventory). */
function flagSettings(opts: FleetOptions): Partial<FileConfig> {
  const s: Partial<FileConfig> = {};
  const set = <K extends keyof FileConfig>(k: K, v: FileConfig[K] | undefined) => { if (v !== undefined) s[k] = v; };
  set("username", opts.username);
  set("passwordEnv", opts.passwordEnv);
  set("insecure", opts.insecure);
  set("ca", opts.ca);
  set("clientCert", opts.clientCert);
  set("clientKey", opts.clientKey);
  set("timeoutMs", opts.timeout);
  set("checkTimeoutMs", opts.checkTimeout);
  set("concurrency", opts.concurrency);
  set("profile", opts.profile);
  set("only", opts.only);
  set("seed", opts.seed);
  set("runs", opts.runs);
  set("strict", opts.strict);
  set("baseline", opts.baseline);
  return s;
}

interface Planned {
  name: string;
  settings: InventoryTarget & { seed: number };
  dir: string;
  selection: { disabled: Record<string, string>; only: string[]; profile: Profile };
}

const withoutUserinfo = (url: string) => {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
};

/**
 * A summary for a target whose run left none (it was never started, or its
 * process died before writing one): every selected check an error that
 * says why, as a run that could not start writes it.
 */
function standInSummary(p: Planned, checks: Check[], result: RunResult, message: string, startedAt: number): Summary {
  const results: CheckResult[] = checks.map((check) => {
    const { run: _run, ...meta } = check;
    const na = notApplicable(check, { ...p.selection, info: {} });
    return { ...meta, status: na?.status ?? "error", message: na?.reason ?? message, warnings: [], durationMs: 0, exchanges: [] };
  });
  const summary = buildSummary({ runId: new Date(startedAt).toISOString().replace(/[:.]/g, "-"), results, target: withoutUserinfo(p.settings.target), profile: p.selection.profile, seed: p.settings.seed, runs: p.settings.runs ?? 25, strict: Boolean(p.settings.strict), startedAt: new Date(startedAt).toISOString(), durationMs: Date.now() - startedAt, phases: {} });
  summary.name = p.name;
  if (result === "interrupted") summary.interrupted = true;
  settleVerdict(summary, { unusable: result === "could not run" });
  return summary;
}

export async function fleetCommand(opts: FleetOptions): Promise<number> {
  for (const [given, flag, why] of [
    [opts.target, "--target", "each target's URL is in the targets file"],
    [opts.config, "--config", "put the settings every target shares under defaults: in the targets file"],
    [opts.writeBaseline, "--write-baseline", "each target's run writes its own summary.json, which --baseline takes"],
    [opts.bundle, "--bundle", "bundle a target's run directory (targets/<name>) on its own"],
  ] as const) {
    if (given) throw new UsageError(`${flag} does not go with --targets: ${why}`);
  }
  const env = process.env;
  const inventory = readInventoryFile(opts.targets);
  let chosen = inventory.targets;
  if (opts.onlyTargets) {
    const names = opts.onlyTargets.split(",").map((s) => s.trim()).filter(Boolean);
    const all = inventory.targets.map((t) => t.name);
    for (const n of names) if (!all.includes(n)) throw new UsageError(`--only-targets "${n}" is no target of ${opts.targets}${didYouMean(n, all)}; its targets are ${all.join(", ")}`);
    chosen = inventory.targets.filter((t) => names.includes(t.name));
  }
  if (opts.shard) parseShardSpec(opts.shard);
  const checks = allChecks();
  const ids = new Set(checks.map((c) => c.id));
  const flags = flagSettings(opts);
  const reportDir = resolve(opts.reportDir ?? envSetting("reportDir", "ONTAP_REPORT_DIR") ?? "reports");
  const runId = new Date().toISOString().replace(/[:.]/g, "-");
  const fleetDir = join(reportDir, "runs", runId);

  // Every target's settings are checked before anything is sent or written: a mistake is exit 2 naming the target.
  const planned: Planned[] = chosen.map((t) => {
    const where = `target "${t.name}" of ${opts.targets}`;
    const settings = { ...inventory.defaults, ...t, ...flags } as InventoryTarget;
    const profile: Profile = settings.profile ?? "read-only";
    if (profile === "destructive" && !opts.allowDestructive) throw new UsageError(`${where} has profile destructive, which also needs --allow-destructive (it installs and deletes licenses and packages, and runs upgrades)`);
    const only = parseOnly(settings.only, checks, `${where}: only`);
    const disabled = disabledBy(settings.disable, checks, `${opts.targets} (target "${t.name}")`);
    if (settings.baseline) {
      try {
        readBaseline(settings.baseline, ids, (id) => suggestCheck(id, checks));
      } catch (e) {
        if (e instanceof BaselineError) throw new UsageError(`${where}: ${e.message}`);
        throw e;
      }
    }
    const variable = settings.passwordEnv ?? "ONTAP_PASSWORD";
    if (env[variable] === undefined) throw new UsageError(settings.passwordEnv ? `${where}: the environment variable ${variable} (passwordEnv) is not set` : `${where} has no password: set ONTAP_PASSWORD, or name a variable with passwordEnv`);
    for (const key of ["ca", "clientCert", "clientKey"] as const) {
      if (settings[key] && !existsSync(settings[key]!)) throw new UsageError(`${where}: cannot read ${key} ${settings[key]}`);
    }
    if (opts.shard && settings.seed === undefined) throw new UsageError(`--shard needs a seed for ${where} (--seed N, or seed: in the targets file), the same in every shard, so that the merged run is one run that replays`);
    const seed = settings.seed ?? Math.floor(Math.random() * 2 ** 31);
    return { name: t.name, settings: { ...settings, seed }, dir: join(fleetDir, "targets", t.name), selection: { disabled, only, profile } };
  });

  const parallel = Math.min(planned.length, opts.parallelTargets ?? defaultParallelTargets(planned.length));
  const out = (line: string) => { if (!opts.quiet) process.stdout.write(`${line}\n`); };
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const paint = painter(useColor());
  mkdirSync(fleetDir, { recursive: true });
  const configs = mkdtempSync(join(tmpdir(), "ontap-fleet-"));
  const started = Date.now();
  out(`ontap-conformance: a fleet of ${planned.length} target(s) from ${opts.targets}, ${parallel} at a time`);

  const childEnv: NodeJS.ProcessEnv = { ...env };
  for (const v of PER_RUN_VARIABLES) delete childEnv[v];
  const running = new Map<string, ChildProcess>();
  const reasons = new Map<string, string>();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) {
      say("interrupted again: exiting now, the targets are NOT restored");
      for (const c of running.values()) c.kill("SIGINT");
      process.exit(EXIT.INTERRUPTED);
    }
    interrupted = true;
    say(`interrupted: no further target starts; the ${running.size} running stop their suites and restore their targets (Ctrl-C again exits at once)`);
    for (const c of running.values()) c.kill("SIGINT");
  };
  process.on("SIGINT", onSignal);
  // Should this process end otherwise (a crash), no target is left running unwatched.
  const reap = () => { for (const c of running.values()) c.kill("SIGKILL"); };
  process.on("exit", reap);

  const runOne = (p: Planned): Promise<void> => new Promise((done) => {
    const startedAt = Date.now();
    const { name: _name, seed, ...config } = p.settings;
    const file = join(configs, `${p.name}.yaml`);
    writeFileSync(file, stringify(config));
    const args = [BIN, "run", "--config", file, "--seed", String(seed), "--run-dir", p.dir, "--name", p.name, "--quiet",
      ...(p.selection.profile === "destructive" ? ["--allow-destructive"] : []),
      ...(opts.html === false ? ["--no-html"] : []),
      ...(opts.shard ? ["--shard", opts.shard] : []),
      ...(opts.durations ? ["--durations", opts.durations] : []),
    ];
    const child = spawn(process.execPath, args, { cwd: process.cwd(), env: childEnv, stdio: ["ignore", "ignore", "pipe"], detached: true });
    running.set(p.name, child);
    let err = "";
    let partial = "";
    child.stderr!.on("data", (d: Buffer) => {
      err += d;
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop()!;
      for (const l of lines) if (l.trim()) say(`[${p.name}] ${l}`);
    });
    child.on("close", (code, signal) => {
      running.delete(p.name);
      if (partial.trim()) say(`[${p.name}] ${partial}`);
      const firstError = err.split("\n").map((l) => l.replace(/^ontap-conformance: /, "").trim()).find(Boolean);
      if (!existsSync(join(p.dir, "summary.json"))) {
        // The run wrote no report (its process died, or refused to start): the fleet writes one for it.
        const why = `the run of this target ended without a report (${signal ? `killed by ${signal}` : `exit ${code}`})${firstError ? `: ${firstError}` : ""}`;
        reasons.set(p.name, why);
        mkdirSync(p.dir, { recursive: true });
        writeFileSync(join(p.dir, "summary.json"), `${JSON.stringify(standInSummary(p, checks, "could not run", `not run: ${why}`, startedAt), null, 2)}\n`);
      } else if (code === EXIT.CANNOT_RUN && firstError) reasons.set(p.name, firstError);
      const s = JSON.parse(readFileSync(join(p.dir, "summary.json"), "utf8")) as Summary;
      const t = s.totals;
      const colour = s.result === "conformant" ? "green" : s.result === "not conformant" ? "red" : "magenta";
      const { failed, errors } = failedAndErrors(s, paint);
      out(`  ${p.name}: ${paint(colour, s.result ?? "?")} (${s.target}, ONTAP ${s.ontapVersion ?? "?"}, ${s.profile}, seed ${s.seed}): ${t.pass} passed, ${failed}, ${errors}, ${t.skip} skipped in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
      done();
    });
  });

  try {
    const queue = [...planned];
    await Promise.all(Array.from({ length: parallel }, async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        if (interrupted) {
          queue.unshift(p);
          return;
        }
        await runOne(p);
      }
    }));
    for (const p of planned) {
      if (existsSync(join(p.dir, "summary.json"))) continue;
      // Never started: Ctrl-C came first.
      reasons.set(p.name, "not started: the fleet run was interrupted (Ctrl-C) before this target's turn");
      mkdirSync(p.dir, { recursive: true });
      writeFileSync(join(p.dir, "summary.json"), `${JSON.stringify(standInSummary(p, checks, "interrupted", "interrupted: the fleet run was stopped before this target started", Date.now()), null, 2)}\n`);
    }
    const parts: FleetPart[] = planned.map((p) => ({ name: p.name, dir: p.dir, ...(reasons.has(p.name) ? { reason: reasons.get(p.name) } : {}) }));
    const fleet = await writeFleetRun(fleetDir, parts, { runId, start: new Date(started).toISOString(), durationMs: Date.now() - started, inventory: opts.targets, parallelTargets: parallel, interrupted }, { html: opts.html !== false, reportDir, out });
    const latest = join(reportDir, "latest");
    rmSync(latest, { force: true, recursive: true });
    symlinkSync(join("runs", runId), latest);
    pruneRuns(reportDir, opts.keep ?? 20, runId);
    const v = fleet.verdicts;
    out("");
    out(`${fleet.targets.length} target(s): ${v.conformant} conformant, ${v["not conformant"]} not conformant, ${v["could not run"]} could not run${v.interrupted ? `, ${v.interrupted} interrupted` : ""}; ${fleet.totals.checks} checks, ${fleet.totals.fail} failed, ${fleet.totals.error} errors (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    out(`matrix: ${join(fleetDir, "matrix.html")}`);
    out(`report: ${join(fleetDir, "html", "index.html")}`);
    out(`result: ${fleet.result}`);
    return fleet.exitCode;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("exit", reap);
    rmSync(configs, { recursive: true, force: true });
  }
}
