// `ontap-conformance run`: resolve the target (the embedded mock when none
// is given), discover it, run the suites under vitest, write the reports,
// print the summary, and answer with the documented exit code.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestSpecification } from "vitest/node";
import { allChecks } from "../../suites/index.ts";
import type { MockHandle } from "../../mock/index.ts";
import { toJUnit } from "../../reports/junit.ts";
import { buildSummary, settleVerdict, type Summary } from "../../reports/summary.ts";
import { applyBaseline, baselineYaml, BaselineError, readBaseline, recordable, type Baseline } from "../../reports/baseline.ts";
import { settleAllureResults } from "../../reports/allure.ts";
import { compactReport } from "../../reports/html.ts";
import { summaryMarkdown } from "../../reports/summary-md.ts";
import { writeBundle } from "../../reports/bundle.ts";
import { buildCoverage, coverageTable, type Coverage } from "../../reports/coverage.ts";
import { errorCodeTable } from "../../suites/errors/scenarios.ts";
import { coverageHtml } from "../../reports/coverage-html.ts";
import { PHASES, phaseOf, type Check, type CheckResult, type Profile } from "../harness/check.ts";
import { discover, TargetUnusable } from "../harness/discovery.ts";
import { InventoryUnreadable, takeInventory, teardown as restore, type Inventory } from "../harness/inventory.ts";
import { Ledger } from "../harness/ledger.ts";
import { HttpClient } from "../harness/transport.ts";
import { PasswordUnavailable, resolvePassword } from "../harness/password.ts";
import type { RunConfig, SuiteRunConfig } from "../harness/run-config.ts";
import { Redactor } from "../harness/secrets.ts";
import { notApplicable, planSelection } from "../harness/select.ts";
import { envSetting, readConfigFile } from "./config.ts";
import { EXIT, UsageError } from "./exit-codes.ts";
import { Interrupt } from "./interrupt.ts";
import { checkOutFile } from "./out-dir.ts";
import { ResultsReporter } from "./results-reporter.ts";
import { printSummary, useColor } from "./terminal.ts";
import { disabledBy, parseOnly, suggestCheck } from "./selection.ts";
import { EMBEDDED_TARGET, parseShardSpec, planShard, readDurations, shardBlock, writeShardFile, type Durations } from "./shard.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VERSION: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;

/** vitest and the phase-order sequencer, loaded while discovery runs (a run that ends at discovery does not wait for it). */
async function loadVitest() {
  const { BaseSequencer, startVitest } = await import("vitest/node");
  class PhaseOrder extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
    }
  }
  return { startVitest, PhaseOrder };
}

/**
 * The Allure 3 HTML report, offline, into <run>/html: one file that opens
 * from the file system, compacted (reports/html.ts: its application and data
 * gzip-compressed, the analytics tag Allure's plugin hardcodes removed).
 */
export async function generateHtml(runDir: string, reportDir: string, extraConfig?: string): Promise<{ ok: boolean; reason?: string }> {
  const results = join(runDir, "allure-results");
  const out = join(runDir, "html");
  const cli = join(ROOT, "node_modules", "allure", "cli.js");
  const history = join(reportDir, "history");
  mkdirSync(history, { recursive: true });
  const config = join(runDir, "allurerc.mjs");
  writeFileSync(config, `import base from ${JSON.stringify(join(ROOT, "allurerc.mjs"))};\nexport default { ...base, output: ${JSON.stringify(out)}, historyPath: ${JSON.stringify(join(history, "history.jsonl"))}${extraConfig ? `, ...${extraConfig}` : ""} };\n`);
  const r = spawnSync(process.execPath, [cli, "generate", results, "-c", config], { encoding: "utf8", timeout: 120_000 });
  rmSync(config, { force: true });
  if (r.status !== 0) return { ok: false, reason: (r.stderr || r.stdout || "").trim().split("\n")[0] };
  const index = join(out, "index.html");
  if (!existsSync(index)) return { ok: false, reason: "Allure wrote no index.html" };
  writeFileSync(index, compactReport(readFileSync(index, "utf8")).html);
  // Allure's own copies of the data (the report carries them inline).
  for (const f of ["summary.json", "test-results.json"]) rmSync(join(out, f), { force: true });
  return { ok: true };
}

/** The page html/index.html holds when a run has no HTML report, so that reports/latest/html never shows an older run's. */
function placeholderHtml(summary: Summary, why: string): string {
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ontap-conformance ${esc(summary.runId ?? "")}: ${esc(summary.result ?? "")}</title></head>
<body style="font-family:system-ui,sans-serif;margin:2rem;max-width:50rem"><h1>${esc(summary.result ?? "")}</h1>
<p>This run (${esc(summary.runId ?? "")}, ${esc(summary.target)}) has no HTML report: ${esc(why)}.</p>
<p>Its results: <a href="../summary.md">summary.md</a>, <a href="../summary.json">summary.json</a>, <a href="../junit.xml">junit.xml</a>${summary.coverage ? `, <a href="../coverage.html">coverage.html</a>` : ""}.</p></body></html>
`;
}

/** Run directory names: the run's start as an ISO date with ":" and "." replaced. */
const RUN_ID = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/** Delete the oldest runs of <report-dir>/runs beyond `keep` (0: keep all); never `current`, never a directory that is not a run. */
export function pruneRuns(reportDir: string, keep: number, current: string): string[] {
  if (keep <= 0) return [];
  const runsDir = join(reportDir, "runs");
  const runs = existsSync(runsDir) ? readdirSync(runsDir).filter((n) => RUN_ID.test(n)).sort() : [];
  const doomed = runs.slice(0, Math.max(0, runs.length - keep)).filter((n) => n !== current);
  for (const n of doomed) rmSync(join(runsDir, n), { recursive: true, force: true });
  return doomed;
}

export interface RunOptions {
  target?: string;
  username?: string;
  passwordEnv?: string;
  insecure?: boolean;
  ca?: string;
  clientCert?: string;
  clientKey?: string;
  /** --timeout (config timeoutMs; default 60000). */
  timeout?: number;
  /** --check-timeout: how long one check may run (config checkTimeoutMs; default 4 x timeout, at least 120 s). */
  checkTimeout?: number;
  concurrency?: number;
  profile?: Profile;
  allowDestructive?: boolean;
  only?: string;
  seed?: number;
  runs?: number;
  strict?: boolean;
  reportDir?: string;
  /** Runs kept in <report-dir>/runs (default 20; 0 keeps every run). */
  keep?: number;
  config?: string;
  quiet?: boolean;
  /** A previous summary.json, or a YAML list of {id, reason, owner?, expires?}: known failures that do not fail the run. */
  baseline?: string;
  /** Write this run's failures as a baseline (YAML). */
  writeBaseline?: string;
  /** Write the run's bundle (.tar.gz): true for <run>/bundle.tar.gz, or a file name. */
  bundle?: boolean | string;
  /** commander's --no-html: skip the Allure HTML report. */
  html?: boolean;
  /** --shard i/n: run only this shard's checks (src/cli/shard.ts); `merge` puts the shards together. */
  shard?: string;
  /** --durations: the summary.json (run or report directory) whose durations balance the shards. */
  durations?: string;
  /** Internal (fleet runs): write the run into exactly this directory (no `latest` link, no pruning). */
  runDir?: string;
  /** Internal (fleet runs): the target's name in the fleet's inventory, kept in summary.json. */
  name?: string;
}

function readPem(file: string | undefined, what: string): string | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read ${what} ${file}`);
  }
  // Not PEM at all: TLS would ignore it (a CA) or fail with an OpenSSL code (a key) that names no file.
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) throw new UsageError(`${what} ${file} holds no PEM block (-----BEGIN ...-----)`);
  return text;
}

/** What every way a run ends needs to write its reports. */
interface Finish {
  runDir: string;
  reportDir: string;
  runId: string;
  keep: number;
  baseline?: Baseline;
  writeBaseline?: string;
  bundle?: boolean | string;
  out: (line: string) => void;
  /** The run writes into a directory it was given (a fleet's target): no `latest` link, no pruning. */
  ownDir?: boolean;
  /** The run is part of a larger one (a fleet's target, a shard), whose HTML report is made from its Allure results: why there is none here. */
  htmlElsewhere?: string;
}

/**
 * Settle the verdict and write every report of a run: summary.json,
 * junit.xml, summary.md, the Allure results settled to the verdict, the HTML
 * report (or a page that says why there is none), the `latest` link, then
 * prune old runs, and write the baseline and the bundle when asked. Returns
 * the HTML report's path, or why there is none.
 */
async function writeReports(summary: Summary, results: readonly CheckResult[], f: Finish, opts: { unusable?: boolean; noHtmlBecause?: string }): Promise<{ html?: string; noHtml?: string }> {
  settleVerdict(summary, { baselineFile: f.baseline?.file, outcome: applyBaseline(f.baseline, summary.checks), unusable: opts.unusable });
  writeFileSync(join(f.runDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(f.runDir, "junit.xml"), toJUnit(summary.checks, { name: "ontap-conformance", timestamp: summary.start }));
  // The Allure results the workers wrote (none with --no-html, or when the suites never started) say the verdict
  // whether or not an HTML report is made here: an interrupted run, a shard and a fleet's target keep them too.
  const allureResults = join(f.runDir, "allure-results");
  if (existsSync(allureResults)) {
    const requirements = new Map(results.map((r) => [r.id, { requirement: r.requirement, ref: r.ref }]));
    settleAllureResults(allureResults, summary, requirements);
  }
  let html: string | undefined;
  let noHtml = opts.noHtmlBecause ?? f.htmlElsewhere;
  const htmlDir = join(f.runDir, "html");
  if (!noHtml) {
    const made = await generateHtml(f.runDir, f.reportDir);
    if (made.ok) html = join(htmlDir, "index.html");
    else {
      f.out(`  note: the HTML report could not be generated: ${made.reason}`);
      noHtml = "Allure could not generate it";
    }
  }
  if (!html) {
    mkdirSync(htmlDir, { recursive: true });
    writeFileSync(join(htmlDir, "index.html"), placeholderHtml(summary, noHtml!));
  }
  writeFileSync(join(f.runDir, "summary.md"), summaryMarkdown(summary, { html: html ? "html/index.html" : undefined }));
  if (!f.ownDir) {
    const latest = join(f.reportDir, "latest");
    rmSync(latest, { force: true, recursive: true });
    symlinkSync(join("runs", f.runId), latest);
    pruneRuns(f.reportDir, f.keep, f.runId);
  }
  // Their paths were checked before the run; what fails now (a full disk) is said, and the run's reports and verdict stand.
  if (f.writeBaseline) {
    try {
      writeFileSync(f.writeBaseline, baselineYaml(summary.checks, { start: summary.start, target: summary.target, previous: f.baseline }));
      f.out(`baseline written: ${f.writeBaseline} (${summary.checks.filter(recordable).length} entries)`);
    } catch (e) {
      process.stderr.write(`ontap-conformance: the baseline ${f.writeBaseline} could not be written: ${(e as Error).message}\n`);
    }
  }
  if (f.bundle) {
    const file = typeof f.bundle === "string" ? resolve(f.bundle) : join(f.runDir, "bundle.tar.gz");
    try {
      await writeBundle(file, { runDir: f.runDir, summary, specFile: join(ROOT, "spec", "ontap.yaml"), tool: { name: "ontap-conformance", version: VERSION }, baselineFile: f.baseline?.file });
      f.out(`bundle: ${file}`);
    } catch (e) {
      process.stderr.write(`ontap-conformance: the bundle ${file} could not be written: ${(e as Error).message}\n`);
    }
  }
  return { html, noHtml };
}

/**
 * A target that cannot be used (discovery failed) still leaves a report: every
 * check an error naming the reason, so CI shows why nothing ran (exit 2).
 */
async function reportUnusable(reason: string, run: Finish & { checks: Check[]; selection: Parameters<typeof notApplicable>[1]; target: string; profile: Profile; seed: number; runs: number; strict: boolean; started: number; name?: string; shardOf?: Summary["shard"] }): Promise<void> {
  const results: CheckResult[] = run.checks.map((check) => {
    const { run: _run, ...meta } = check;
    const na = notApplicable(check, run.selection);
    return { ...meta, status: na?.status ?? "error", message: na?.reason ?? `not run: ${reason}`, warnings: [], durationMs: 0, exchanges: [] };
  });
  const summary = buildSummary({ runId: run.runId, results, target: run.target, profile: run.profile, seed: run.seed, runs: run.runs, strict: run.strict, startedAt: new Date(run.started).toISOString(), durationMs: Date.now() - run.started, phases: {} });
  if (run.name) summary.name = run.name;
  if (run.shardOf) summary.shard = run.shardOf;
  await writeReports(summary, results, { ...run, bundle: undefined, writeBaseline: undefined }, { unusable: true, noHtmlBecause: `the run could not start: ${reason}` });
}

/**
 * A check "not tested" because a read it needs departs from a contract that
 * another check owns is a skip only where that owner failed and so reports
 * the departure; otherwise (the owner passed, or never ran) the departure
 * would be reported nowhere, and the check fails with it.
 */
export function settleNotTested(results: CheckResult[]): Array<{ id: string; owner: string; message: string }> {
  const failed = new Set(results.filter((r) => r.status === "fail").map((r) => r.id));
  const settled: Array<{ id: string; owner: string; message: string }> = [];
  for (const r of results) {
    if (r.status === "skip" && r.notTested && !failed.has(r.notTested.owner)) {
      settled.push({ id: r.id, owner: r.notTested.owner, message: r.message ?? "" });
      r.status = "fail";
      r.message = r.notTested.cause;
    }
  }
  // A shard's owner may have failed in another shard: `merge` settles these again (src/cli/shard.ts).
  return settled;
}

export async function runCommand(opts: RunOptions): Promise<number> {
  const env = process.env;
  const configFile = opts.config ?? env.ONTAP_CONFIG;
  const file = readConfigFile(configFile);
  const checks = allChecks();
  // Everything that can be checked without the target is checked first: a mistake is exit 2 before anything is sent or written.
  const targetUrl = opts.target ?? envSetting("target", "ONTAP_TARGET") ?? file.target;
  const embedded = !targetUrl;
  const profile: Profile = opts.profile ?? envSetting("profile", "ONTAP_PROFILE") ?? file.profile ?? (embedded ? "destructive" : "read-only");
  if (!embedded && profile === "destructive" && !opts.allowDestructive) {
    throw new UsageError("--profile destructive against a real target also needs --allow-destructive (it installs and deletes licenses and packages, and runs upgrades)");
  }
  const only = parseOnly(opts.only ?? file.only, checks, opts.only !== undefined ? "--only" : `only in ${configFile}`);
  const disabled = disabledBy(file.disable, checks, configFile);
  const baselineFile = opts.baseline ?? file.baseline;
  let baseline: Baseline | undefined;
  try {
    baseline = baselineFile ? readBaseline(baselineFile, new Set(checks.map((c) => c.id)), (id) => suggestCheck(id, checks)) : undefined;
  } catch (e) {
    if (e instanceof BaselineError) throw new UsageError(e.message);
    throw e;
  }
  const timeoutMs = opts.timeout ?? file.timeoutMs ?? 60_000;
  const checkTimeoutMs = opts.checkTimeout ?? file.checkTimeoutMs ?? Math.max(120_000, timeoutMs * 4);
  const seed = opts.seed ?? file.seed ?? Math.floor(Math.random() * 2 ** 31);
  const runs = opts.runs ?? file.runs ?? 25;
  const strict = Boolean(opts.strict ?? file.strict ?? false);
  const keep = opts.keep ?? file.keep ?? 20;
  const insecureEnv = envSetting("insecure", "ONTAP_INSECURE", env);
  if (Boolean(opts.clientCert ?? file.clientCert) !== Boolean(opts.clientKey ?? file.clientKey)) {
    throw new UsageError(`${opts.clientCert ?? file.clientCert ? "--client-cert needs --client-key" : "--client-key needs --client-cert"} (clientCert and clientKey in the config file): certificate authentication takes both`);
  }
  // Written when the run ends: a path that cannot take them is exit 2 now, not a finished run that loses them.
  if (opts.writeBaseline !== undefined) checkOutFile(opts.writeBaseline, "--write-baseline");
  if (typeof opts.bundle === "string") checkOutFile(opts.bundle, "--bundle");
  // --shard: this shard's checks, chosen before anything is sent (every shard makes the same split).
  let durations: Durations | undefined;
  let shard: RunConfig["shard"];
  if (opts.shard) {
    if (opts.seed === undefined && file.seed === undefined) throw new UsageError("--shard needs --seed N (every shard the same), so that the merged run is one run that replays");
    durations = opts.durations ? readDurations(opts.durations, opts.name) : undefined;
    shard = planShard(checks, (c) => !notApplicable(c, { disabled, only, profile, info: {} }), parseShardSpec(opts.shard), durations);
  } else if (opts.durations) throw new UsageError("--durations balances the shards of --shard i/n; without --shard it does nothing");
  // Reports go under the directory the command is run from, not the tool's own.
  const reportDir = resolve(opts.reportDir ?? envSetting("reportDir", "ONTAP_REPORT_DIR") ?? file.reportDir ?? "reports");
  const runId = new Date().toISOString().replace(/[:.]/g, "-");
  const runDir = opts.runDir ? resolve(opts.runDir) : join(reportDir, "runs", runId);
  try {
    mkdirSync(runDir, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot make the run's directory ${runDir}${opts.runDir ? "" : ` under the report directory (--report-dir, ONTAP_REPORT_DIR, reportDir)`}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const out = (line: string) => { if (!opts.quiet) process.stdout.write(`${line}\n`); };
  const htmlElsewhere = opts.name ? "the fleet's HTML report holds this target" : shard ? `this run is shard ${shard.index} of ${shard.count}, and \`ontap-conformance merge\` makes the report of the whole run` : undefined;
  const finish: Finish = { runDir, reportDir, runId, keep, baseline, writeBaseline: opts.writeBaseline, bundle: opts.bundle, out, ownDir: Boolean(opts.runDir), htmlElsewhere };

  let mock: MockHandle | undefined;
  const started = Date.now();
  // Set once summary.json is written: any exit after the run directory exists without one writes it (every check an error saying why).
  let reported = false;
  let shownTarget = targetUrl ?? "the embedded reference mock";
  let redact = (text: string) => text;
  const interrupt = new Interrupt((line) => process.stderr.write(`${line}\n`));
  interrupt.install();
  try {
    let baseUrl: string;
    let username: string | undefined;
    let password: string | undefined;
    if (embedded) {
      // Loaded only when it is the target: a run against a cluster does not pay for the mock's modules.
      const { startMock } = await import("../../mock/index.ts");
      mock = await startMock({ scenario: "docs" });
      baseUrl = mock.url;
      username = mock.options.username;
      password = mock.options.password;
      out(`ontap-conformance: no --target given, running against the embedded reference mock at ${baseUrl}`);
    } else {
      baseUrl = targetUrl!.replace(/\/+$/, "").replace(/\/api$/, "");
      username = opts.username ?? envSetting("username", "ONTAP_USERNAME") ?? file.username ?? "admin";
      password = await resolvePassword({ passwordEnv: opts.passwordEnv ?? file.passwordEnv, env });
    }
    const insecure = Boolean(opts.insecure ?? insecureEnv ?? file.insecure ?? false);
    const caPem = readPem(opts.ca ?? envSetting("ca", "ONTAP_CA") ?? file.ca, "the CA file");
    const certPem = readPem(opts.clientCert ?? file.clientCert, "the client certificate");
    const keyPem = readPem(opts.clientKey ?? file.clientKey, "the client key");
    const redactor = new Redactor({ secrets: [password].filter(Boolean) as string[], username });
    redact = (text) => redactor.redactText(text);
    shownTarget = baseUrl;
    const target: RunConfig["target"] = {
      baseUrl,
      username,
      password,
      insecure,
      caPem,
      clientCert: certPem && keyPem ? { certPem, keyPem } : undefined,
      timeoutMs,
      concurrency: opts.concurrency ?? file.concurrency ?? (embedded ? 16 : 4),
      retries: { max: 3, maxDelayMs: 10_000 },
      credentialsLatch: join(runDir, "credentials-refused"),
    };

    const http = new HttpClient({ ...target, redactor });
    let found;
    let before: Inventory | undefined;
    let vitestLoading: ReturnType<typeof loadVitest> | undefined;
    try {
      // vitest loads while discovery waits on the target (a far cluster: a second saved).
      vitestLoading = loadVitest();
      vitestLoading.catch(() => {});
      found = await discover(http);
      if (profile !== "read-only") {
        try {
          before = await takeInventory(http);
        } catch (e) {
          // Without the inventory, teardown could not tell what the run changed from what was there: no write is sent.
          if (e instanceof InventoryUnreadable) throw new TargetUnusable(`${e.message}; a ${profile} run needs it to leave the target as it found it (--profile read-only needs none)`);
          throw e;
        }
      }
    } catch (e) {
      rmSync(target.credentialsLatch!, { force: true });
      throw e;
    } finally {
      await http.close();
    }
    out(`target ${redactor.redactText(baseUrl)}: ONTAP ${found.version ?? "(unknown version)"}, ${found.nodes.length} node(s), profile ${profile}, seed ${seed}`);
    // A note quotes what the target said (a version text, a header): it may echo a secret.
    for (const note of found.notes) out(`  note: ${redactor.redactText(note)}`);

    const runConfig: RunConfig = {
      target,
      info: { url: baseUrl, username, version: found.version, clusterName: found.clusterName, nodes: found.nodes, profile, strict, insecure, seed, runs, embedded, acceptsTestKeys: embedded || Boolean(file.testKeys), acceptsTestPackages: embedded || Boolean(file.testPackages), downloadUrl: file.downloadUrl, allowUpgrade: embedded || Boolean(file.allowUpgrade), faultSwitch: embedded || Boolean(file.faultSwitch), jobTimeoutMs: file.jobTimeoutMs },
      profile,
      only,
      disabled,
      runDir,
      ledgerFile: join(runDir, "ledger.jsonl"),
      checkTimeoutMs,
      ...(shard ? { shard } : {}),
    };
    // The selection, evaluated once now that the target's version is known: the workers read it, and so does what follows.
    const selection = planSelection(checks, runConfig);
    // Only the phases with a check to run are loaded (a narrow --only is quick).
    const phases = [...new Set(checks.filter((c) => !selection.notRun[c.id]).map(phaseOf))];
    const files = profile === "read-only" ? ["read-only"] : phases.length ? PHASES.filter((p) => phases.includes(p)) : PHASES;
    const config: SuiteRunConfig = { ...runConfig, selection, files };

    const collector = new ResultsReporter(out, checks.length);
    const suitesStarted = Date.now();
    const { startVitest, PhaseOrder } = await (vitestLoading ?? loadVitest());
    const vitest = await startVitest("test", [], {
      config: false,
      root: ROOT,
      // A read-only run changes nothing, so it needs no phase order: one file, every read side by side.
      include: profile === "read-only" ? ["suites/phases/all-reads.suite.ts"] : phases.length ? phases.map((p) => `suites/phases/*-${p}.suite.ts`) : ["suites/phases/[0-9]-*.suite.ts"],
      // Phases run in file-name order (1-examples … 5-stateful), not vitest's
      // duration-based order.
      sequence: { sequencer: PhaseOrder },
      watch: false,
      reporters: opts.html === false ? [collector, interrupt.reporter()] : [collector, interrupt.reporter(), ["allure-vitest/reporter", { resultsDir: join(runDir, "allure-results") }]],
      provide: { ontapRun: config },
      // The runner stops a check at config.checkTimeoutMs with a sentence that names the limit; vitest's own timeout is a backstop.
      testTimeout: config.checkTimeoutMs + 30_000,
      hookTimeout: 60_000,
      pool: "threads",
      // The phase files share one module graph in the worker, so they share one client and redactor
      // (suite-runner.ts), the compiled validators and the operation table, instead of building them per file.
      isolate: false,
      // One worker: every request of the run goes through one client, so --concurrency is the one limit of
      // requests in flight at the target. Phases run one after another (a writing run's phases must); inside a
      // phase the checks that only read run side by side (suite-runner.ts), up to twice --concurrency at once.
      fileParallelism: false,
      maxWorkers: 1,
      maxConcurrency: Math.max(8, target.concurrency * 4),
      silent: true,
      // The transformed modules of the suites are kept on disk (node_modules/.vitest-cache, keyed by their
      // content), so a run does not transform the same hundred files again before its first check: start-up
      // is time the person at the terminal waits for on every run.
      experimental: { fsModuleCache: true },
    } as never);
    await vitest.close();
    const suitesMs = Date.now() - suitesStarted;

    // Teardown first (an interrupted run most of all): delete what the run's
    // ledger says it created, and nothing else; what the run cannot undo fails
    // it, what others changed meanwhile is reported and left alone.
    let teardown: string[] = [];
    let removed: string[] = [];
    let changedByOthers: string[] = [];
    if (before) {
      const after = new HttpClient({ ...target, redactor });
      try {
        ({ removed, remaining: teardown, changedByOthers } = await restore(after, before, Ledger.read(config.ledgerFile), { jobTimeoutMs: file.jobTimeoutMs }));
      } catch (e) {
        teardown = [`the target could not be restored: ${(e as Error).message}`];
      } finally {
        await after.close();
      }
    }
    // A 401 after discovery stopped every client of the run (transport.ts): say so, even with --quiet.
    const refusedOn = existsSync(target.credentialsLatch!) ? readFileSync(target.credentialsLatch!, "utf8").trim() : undefined;
    rmSync(target.credentialsLatch!, { force: true });
    // Redacted once, by the worker that ran each check (executeCheck): the worker's redactor also knows the licence keys the run sent.
    const results = collector.results;
    const seen = new Set(results.map((r) => r.id));
    for (const c of checks) {
      if (!seen.has(c.id)) {
        const { run: _run, ...meta } = c;
        const na = config.selection.notRun[c.id];
        if (na) {
          results.push({ ...meta, status: na.status, message: na.reason, warnings: [], durationMs: 0, exchanges: [] });
          continue;
        }
        const why = interrupt.interrupted ? "interrupted" : redactor.redactText(`the check did not run: ${collector.loadErrors.join("; ") || "its suite file did not report it"}`);
        results.push({ ...meta, status: "error", message: why, warnings: [], durationMs: 0, exchanges: [] });
      }
    }
    const settled = settleNotTested(results);
    const summary: Summary = buildSummary({ runId, results, target: redactor.redactText(baseUrl), version: found.version, profile, seed, runs, strict, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, phases: { suitesMs } });
    if (before) {
      summary.teardown = {
        restored: teardown.length === 0,
        differences: teardown.map((t) => redactor.redactText(t)),
        ...(removed.length ? { removed: removed.map((t) => redactor.redactText(t)) } : {}),
        ...(changedByOthers.length ? { changedByOthers: changedByOthers.map((t) => redactor.redactText(t)) } : {}),
      };
    }
    if (interrupt.interrupted) summary.interrupted = true;
    if (opts.name) summary.name = opts.name;
    if (shard) {
      summary.shard = shardBlock(shard, durations, settled, embedded ? EMBEDDED_TARGET : summary.target);
      writeShardFile(runDir, shard, results);
    }
    summary.coverage = redactor.redactJson(buildCoverage(results, found.version, errorCodeTable)) as Coverage;
    writeFileSync(join(runDir, "coverage.html"), coverageHtml(summary.coverage, { target: summary.target, version: found.version, profile }));
    const reportStarted = Date.now();
    // An interrupted run skips the HTML report: the user is waiting for the prompt.
    const { html, noHtml } = await writeReports(summary, results, finish, { noHtmlBecause: opts.html === false ? "the run was made with --no-html" : interrupt.interrupted ? "the run was interrupted (Ctrl-C)" : undefined });
    reported = true;
    summary.phases.reportMs = Date.now() - reportStarted;
    writeFileSync(join(runDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    for (const line of coverageTable(summary.coverage)) out(line);
    out(`  matrix: ${join(runDir, "coverage.html")}`);
    printSummary(summary, { out, html, noHtml, runDir, color: useColor() });
    // What teardown did matters most after Ctrl-C: printed even with --quiet.
    const say = interrupt.interrupted ? (line: string) => process.stderr.write(`${line}\n`) : out;
    if (removed.length) say(`teardown: removed what the run left behind: ${summary.teardown!.removed!.join(", ")}`);
    else if (interrupt.interrupted && before) say("teardown: nothing was left behind to remove");
    if (teardown.length) {
      say(`teardown: the target was not left as it was found:`);
      for (const t of summary.teardown!.differences) say(`  ${t}`);
    }
    if (changedByOthers.length) {
      say("teardown: changed by someone else during the run (left alone):");
      for (const t of summary.teardown!.changedByOthers!) say(`  ${t}`);
    }
    if (refusedOn) process.stderr.write(`ontap-conformance: the target refused the credentials in the middle of the run (401 on ${redactor.redactText(refusedOn)}); no further requests were sent, and the checks after it are errors\n`);
    return summary.exitCode!;
  } catch (e) {
    // Whatever ended the run once the target was named (unreachable, refused, unreadable inventory, a prompt
    // that got no password, a broken suite), the report says why every selected check did not run.
    if (!reported) {
      const reason = redact(e instanceof TargetUnusable || e instanceof UsageError || e instanceof PasswordUnavailable ? e.message : `the run broke: ${(e as Error).message}`);
      await reportUnusable(reason, { ...finish, checks, selection: { disabled, only, profile, info: {}, shard }, target: redact(shownTarget), profile, seed, runs, strict, started, name: opts.name, shardOf: shard && shardBlock(shard, durations, [], embedded ? EMBEDDED_TARGET : redact(shownTarget)) });
      out(`report: ${join(runDir, "summary.md")}`);
    }
    if (e instanceof TargetUnusable || e instanceof PasswordUnavailable) throw new UsageError(e.message);
    throw e;
  } finally {
    interrupt.dispose();
    await mock?.close();
  }
}
