// `ontap-conformance run`: resolve the target (the embedded mock when none
// is given), discover it, run the suites under vitest, write the reports,
// print the summary, and answer with the documented exit code.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { TestSpecification } from "vitest/node";
import { allChecks } from "../../suites/index.ts";
import type { MockHandle } from "../../mock/index.ts";
import { toJUnit } from "../../reports/junit.ts";
import { buildSummary, type Summary } from "../../reports/summary.ts";
import { buildCoverage, coverageTable, type Coverage } from "../../reports/coverage.ts";
import { coverageHtml } from "../../reports/coverage-html.ts";
import { PROFILES, phaseOf, type Check, type CheckResult, type Profile } from "../harness/check.ts";
import { discover, TargetUnusable } from "../harness/discovery.ts";
import { InventoryUnreadable, takeInventory, teardown as restore, type Inventory } from "../harness/inventory.ts";
import { Ledger } from "../harness/ledger.ts";
import { HttpClient } from "../harness/transport.ts";
import { resolvePassword } from "../harness/password.ts";
import type { RunConfig } from "../harness/run-config.ts";
import { Redactor } from "../harness/secrets.ts";
import { notApplicable } from "../harness/select.ts";
import { envFlag, readConfigFile } from "./config.ts";
import { EXIT, UsageError } from "./exit-codes.ts";
import { Interrupt } from "./interrupt.ts";
import { ResultsReporter } from "./results-reporter.ts";
import { printSummary } from "./terminal.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

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
 * The Allure 3 HTML report, offline, into <run>/html (one file: it opens from
 * the file system). Allure's awesome plugin hardcodes a Google Analytics tag,
 * which is stripped: the report must not call out.
 */
async function generateHtml(runDir: string, reportDir: string): Promise<{ ok: boolean; reason?: string }> {
  const results = join(runDir, "allure-results");
  const out = join(runDir, "html");
  const cli = join(ROOT, "node_modules", "allure", "cli.js");
  const history = join(reportDir, "history");
  mkdirSync(history, { recursive: true });
  const config = join(runDir, "allurerc.mjs");
  writeFileSync(config, `import base from ${JSON.stringify(join(ROOT, "allurerc.mjs"))};\nexport default { ...base, output: ${JSON.stringify(out)}, historyPath: ${JSON.stringify(join(history, "history.jsonl"))} };\n`);
  const r = spawnSync(process.execPath, [cli, "generate", results, "-c", config], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) return { ok: false, reason: (r.stderr || r.stdout || "").trim().split("\n")[0] };
  for (const file of ["index.html"]) {
    const p = join(out, file);
    if (existsSync(p)) writeFileSync(p, readFileSync(p, "utf8").replace(/<script async src="https:\/\/www\.googletagmanager\.com[^"]*"><\/script>\s*<script>\s*window\.dataLayer[\s\S]*?<\/script>/g, ""));
  }
  return { ok: true };
}

export interface RunOptions {
  target?: string;
  username?: string;
  passwordEnv?: string;
  insecure?: boolean;
  ca?: string;
  clientCert?: string;
  clientKey?: string;
  timeout: number;
  /** --check-timeout: how long one check may run (default 4 x timeout, at least 120 s). */
  checkTimeout?: number;
  concurrency?: number;
  profile?: string;
  allowDestructive?: boolean;
  only?: string;
  seed?: number;
  runs?: number;
  strict?: boolean;
  reportDir?: string;
  config?: string;
  quiet?: boolean;
  /** A previous summary.json, or a YAML list of {id, reason}: known failures that do not fail the run. */
  baseline?: string;
  /** commander's --no-html: skip the Allure HTML report. */
  html?: boolean;
}

function readPem(file: string | undefined, what: string): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read ${what} ${file}`);
  }
}

/** Known failures: check id → reason, from a previous summary.json or a YAML/JSON list of {id, reason}. */
function readBaseline(file: string | undefined): Map<string, string> {
  if (!file) return new Map();
  let data: any;
  try {
    data = parse(readFileSync(file, "utf8"));
  } catch {
    throw new UsageError(`cannot read the baseline ${file}`);
  }
  if (data?.format === "ontap-conformance/summary@1") {
    return new Map((data.checks as Array<{ id: string; status: string; message?: string }>).filter((c) => c.status === "fail" || c.status === "error").map((c) => [c.id, `failed in the baseline run: ${(c.message ?? "").split("\n")[0]}`]));
  }
  const list = Array.isArray(data) ? data : data?.known;
  if (!Array.isArray(list) || list.some((e) => typeof e?.id !== "string" || typeof e?.reason !== "string")) {
    throw new UsageError(`the baseline ${file} must be a summary.json or a list of {id, reason}`);
  }
  return new Map(list.map((e: { id: string; reason: string }) => [e.id, e.reason]));
}

/**
 * A target that cannot be used (discovery failed) still leaves a report: every
 * check an error naming the reason, so CI shows why nothing ran (exit 2).
 */
function reportUnusable(reason: string, run: { checks: Check[]; selection: Parameters<typeof notApplicable>[1]; runDir: string; reportDir: string; runId: string; target: string; profile: Profile; seed: number; runs: number; strict: boolean; started: number }): void {
  const results: CheckResult[] = run.checks.map((check) => {
    const { run: _run, ...meta } = check;
    const na = notApplicable(check, run.selection);
    return { ...meta, status: na?.status ?? "error", message: na?.reason ?? `not run: ${reason}`, warnings: [], durationMs: 0, exchanges: [] };
  });
  const summary = buildSummary({ results, target: run.target, profile: run.profile, seed: run.seed, runs: run.runs, strict: run.strict, startedAt: new Date(run.started).toISOString(), durationMs: Date.now() - run.started, phases: {} });
  writeFileSync(join(run.runDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(run.runDir, "junit.xml"), toJUnit(results, { name: "ontap-conformance", timestamp: summary.start }));
  const latest = join(run.reportDir, "latest");
  rmSync(latest, { force: true, recursive: true });
  symlinkSync(join("runs", run.runId), latest);
}

/**
 * A check "not tested" because a read it needs departs from a contract that
 * another check owns is a skip only where that owner failed and so reports
 * the departure; otherwise (the owner passed, or never ran) the departure
 * would be reported nowhere, and the check fails with it.
 */
function settleNotTested(results: CheckResult[]): void {
  const failed = new Set(results.filter((r) => r.status === "fail").map((r) => r.id));
  for (const r of results) {
    if (r.status === "skip" && r.notTested && !failed.has(r.notTested.owner)) {
      r.status = "fail";
      r.message = r.notTested.cause;
    }
  }
}

export async function runCommand(opts: RunOptions): Promise<number> {
  const env = process.env;
  const file = readConfigFile(opts.config ?? env.ONTAP_CONFIG);
  const knownFromBaseline = readBaseline(opts.baseline);
  const targetUrl = opts.target ?? env.ONTAP_TARGET ?? file.target;
  const embedded = !targetUrl;
  const profileText = opts.profile ?? env.ONTAP_PROFILE ?? file.profile ?? (embedded ? "destructive" : "read-only");
  if (!PROFILES.includes(profileText as Profile)) throw new UsageError(`--profile must be one of ${PROFILES.join(", ")}, not "${profileText}"`);
  const profile = profileText as Profile;
  if (!embedded && profile === "destructive" && !opts.allowDestructive) {
    throw new UsageError("--profile destructive against a real target also needs --allow-destructive (it installs and deletes licenses and packages, and runs upgrades)");
  }
  if (targetUrl && !/^https?:\/\/[^/]+/i.test(targetUrl)) throw new UsageError(`--target must be an http(s) URL such as https://cluster.example.com, not "${targetUrl}"`);

  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const runs = opts.runs ?? 25;
  const reportDir = resolve(opts.reportDir ?? env.ONTAP_REPORT_DIR ?? file.reportDir ?? join(ROOT, "reports"));
  const runId = new Date().toISOString().replace(/[:.]/g, "-");
  const runDir = join(reportDir, "runs", runId);
  mkdirSync(runDir, { recursive: true });
  const out = (line: string) => { if (!opts.quiet) process.stdout.write(`${line}\n`); };

  const disabled: Record<string, string> = {};
  for (const d of file.disable ?? []) {
    const pattern = new RegExp(`^${d.id.replace(/[.+?^$()|[\]\\{}]/g, "\\$&").replace(/\*/g, ".*")}$`);
    for (const c of allChecks()) if (pattern.test(c.id) && (!d.operation || d.operation === c.operation)) disabled[c.id] = d.reason;
  }
  const only = opts.only ? opts.only.split(",").map((s) => s.trim()).filter(Boolean) : [];

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
      username = opts.username ?? env.ONTAP_USERNAME ?? file.username ?? "admin";
      password = await resolvePassword({ passwordEnv: opts.passwordEnv ?? file.passwordEnv, env });
    }
    const insecure = Boolean(opts.insecure ?? envFlag(env.ONTAP_INSECURE) ?? file.insecure ?? false);
    const caPem = readPem(opts.ca ?? env.ONTAP_CA ?? file.ca, "the CA file");
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
      timeoutMs: opts.timeout,
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
    for (const note of found.notes) out(`  note: ${note}`);

    const config: RunConfig = {
      target,
      info: { url: baseUrl, username, version: found.version, clusterName: found.clusterName, nodes: found.nodes, profile, strict: Boolean(opts.strict), insecure, seed, runs, embedded, acceptsTestKeys: embedded || Boolean(file.testKeys), acceptsTestPackages: embedded || Boolean(file.testPackages), downloadUrl: file.downloadUrl, allowUpgrade: embedded || Boolean(file.allowUpgrade), faultSwitch: embedded || Boolean(file.faultSwitch), jobTimeoutMs: file.jobTimeoutMs },
      profile,
      only,
      disabled,
      runDir,
      ledgerFile: join(runDir, "ledger.jsonl"),
      checkTimeoutMs: opts.checkTimeout ?? Math.max(120_000, opts.timeout * 4),
    };

    const checks = allChecks();
    const collector = new ResultsReporter(out, checks.length);
    // Only the phases with a check to run start a worker (a narrow --only is quick).
    const phases = [...new Set(checks.filter((c) => !notApplicable(c, config)).map(phaseOf))];
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
      // One worker: every request of the run goes through one client, so --concurrency is the one limit of
      // requests in flight at the target. Phases run one after another (a writing run's phases must); inside a
      // phase the checks that only read run side by side (suite-runner.ts), up to twice --concurrency at once.
      fileParallelism: false,
      maxWorkers: 1,
      maxConcurrency: Math.max(8, target.concurrency * 4),
      silent: true,
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
    const reportStarted = Date.now();
    // An interrupted run skips the HTML report: the user is waiting for the prompt.
    const html = opts.html === false || interrupt.interrupted ? { ok: true } : await generateHtml(runDir, reportDir);
    const reportMs = Date.now() - reportStarted;
    const results = redactor.redactJson(collector.results) as typeof collector.results;
    const known = new Set(results.map((r) => r.id));
    for (const c of checks) {
      if (!known.has(c.id)) {
        const { run: _run, ...meta } = c;
        const na = notApplicable(c, config);
        if (na) {
          results.push({ ...meta, status: na.status, message: na.reason, warnings: [], durationMs: 0, exchanges: [] });
          continue;
        }
        const why = interrupt.interrupted ? "interrupted" : `the check did not run: ${collector.loadErrors.join("; ") || "its suite file did not report it"}`;
        results.push({ ...meta, status: "error", message: why, warnings: [], durationMs: 0, exchanges: [] });
      }
    }
    settleNotTested(results);
    const summary: Summary = buildSummary({ results, target: redactor.redactText(baseUrl), version: found.version, profile, seed, runs, strict: Boolean(opts.strict), startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, phases: { suitesMs, reportMs } });
    if (before) {
      summary.teardown = {
        restored: teardown.length === 0,
        differences: teardown.map((t) => redactor.redactText(t)),
        ...(removed.length ? { removed: removed.map((t) => redactor.redactText(t)) } : {}),
        ...(changedByOthers.length ? { changedByOthers: changedByOthers.map((t) => redactor.redactText(t)) } : {}),
      };
    }
    if (interrupt.interrupted) summary.interrupted = true;
    summary.coverage = redactor.redactJson(buildCoverage(results, found.version)) as Coverage;
    writeFileSync(join(runDir, "coverage.html"), coverageHtml(summary.coverage, { target: summary.target, version: found.version, profile }));
    writeFileSync(join(runDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(join(runDir, "junit.xml"), toJUnit(results, { name: "ontap-conformance", timestamp: summary.start }));
    reported = true;
    const latest = join(reportDir, "latest");
    rmSync(latest, { force: true, recursive: true });
    symlinkSync(join("runs", runId), latest);
    if (!html.ok) out(`  note: the HTML report could not be generated: ${html.reason}`);
    for (const line of coverageTable(summary.coverage)) out(line);
    out(`  matrix: ${join(runDir, "coverage.html")}`);
    printSummary(summary, { out, reportDir: runDir });
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
    const knownFailures = summary.checks.filter((c) => (c.status === "fail" || c.status === "error") && knownFromBaseline.has(c.id));
    if (opts.baseline) {
      summary.baseline = { file: opts.baseline, knownFailures: knownFailures.map((c) => ({ id: c.id, reason: knownFromBaseline.get(c.id)! })) };
      writeFileSync(join(runDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
      if (knownFailures.length) out(`baseline: ${knownFailures.length} known failure(s) not counted: ${knownFailures.map((c) => c.id).join(", ")}`);
    }
    if (interrupt.interrupted) return EXIT.INTERRUPTED;
    const broken = summary.totals.fail + summary.totals.error - knownFailures.length + teardown.length;
    return broken > 0 ? EXIT.NOT_CONFORMANT : EXIT.CONFORMANT;
  } catch (e) {
    // Whatever ended the run once the target was named (unreachable, refused, unreadable inventory, a prompt
    // that got no password, a broken suite), the report says why every selected check did not run.
    if (!reported) {
      const reason = redact(e instanceof TargetUnusable || e instanceof UsageError ? e.message : `the run broke: ${(e as Error).message}`);
      reportUnusable(reason, { checks: allChecks(), selection: { disabled, only, profile, info: {} }, runDir, reportDir, runId, target: redact(shownTarget), profile, seed, runs, strict: Boolean(opts.strict), started });
      out(`report: ${runDir}`);
    }
    if (e instanceof TargetUnusable) throw new UsageError(e.message);
    throw e;
  } finally {
    interrupt.dispose();
    await mock?.close();
  }
}
