// Turns a table of checks into vitest tests. Each test ends as one of
// pass | fail | skip | disabled | error; the CheckResult travels to the
// reporters in the test's meta, so results never depend on parsing output.
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as allure from "allure-js-commons";
import { Status } from "allure-js-commons";
import { CheckFailure, type Check, type CheckResult } from "./check.ts";
import type { RunServices } from "./context.ts";
import { Ledger } from "./ledger.ts";
import { HttpClient, type Exchange } from "./transport.ts";
import { hideUserinfo } from "./secrets.ts";
import { executeCheck, interruptedResult, ownerIn, pendingResult } from "./execute.ts";
import "./run-config.ts";

declare module "vitest" {
  interface TaskMeta {
    check?: CheckResult;
  }
}

/** Allure labels: epic/feature/story = area/operation/check id, severity, a `spec` label per spec pointer, run parameters. */
async function label(check: Check, cfg: ReturnType<typeof inject<"ontapRun">>): Promise<void> {
  await allure.epic(check.area);
  await allure.feature(check.operation);
  await allure.story(check.id);
  await allure.severity(check.severity);
  for (const pointer of check.spec) await allure.label("spec", pointer);
  await allure.description(`${check.requirement}\n\nSpec: ${check.spec.join(", ")}${check.oracle ? `\n\nOracle: suites/oracles ${check.oracle}` : ""}\n\nReference: ${check.ref}\n\nDefined at: ${check.definedAt}`);
  await allure.parameter("target", hideUserinfo(cfg.info.url));
  await allure.parameter("ONTAP version", cfg.info.version ?? "unknown");
  await allure.parameter("profile", cfg.profile);
  await allure.parameter("seed", String(cfg.info.seed));
}

/** Steps shown for a check that passed (no bodies), and for one that did not (bodies attached). */
const PASSING_STEPS = 12;
const DETAILED_STEPS = 40;
/** The longest body attached to a step; the run's exchanges/<id>.json keeps it whole. */
const ATTACHED_BODY_CHARS = 64 * 1024;

/** A body as JSON where it is JSON (so the report shows a document, not an escaped string), else its text. */
function bodyOf(text: string | undefined, cap = Infinity): unknown {
  if (text === undefined || text === "") return undefined;
  if (text.length > cap) return `${text.slice(0, cap)}… (cut at ${cap.toLocaleString("en-US")} of ${text.length.toLocaleString("en-US")} characters; exchanges/<check>.json in the run directory has it whole)`;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An exchange as the reports show it: redacted, bodies as JSON documents. */
function shownExchange(ex: Exchange, http: HttpClient, cap = Infinity) {
  return {
    request: { method: ex.request.method, url: ex.request.url, headers: ex.request.headers, ...(ex.request.body !== undefined ? { body: bodyOf(ex.request.body, cap) } : {}) },
    ...(ex.response ? { response: { status: ex.response.status, headers: ex.response.headers, ...(ex.response.bodyText ? { body: bodyOf(http.redactor.redactBody(ex.response.bodyText), cap) } : {}) } } : {}),
    ...(ex.error ? { error: ex.error } : {}),
    durationMs: ex.durationMs,
    ...(ex.retries ? { retries: ex.retries, retriedOn: ex.retriedOn } : {}),
  };
}

/** Ends a step or a test as failed (a departure: its name reads as an assertion to Allure) or broken (the suite or transport). */
class StepVerdict extends Error {
  constructor(message: string, failed: boolean) {
    super(message);
    this.name = failed ? "AssertionError" : "TransportError";
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * One step per request. The steps of a check that passed name the request
 * and its status (the first PASSING_STEPS and the last three; no bodies: the
 * HTML report is opened to read failures, and stays small). A check that did
 * not pass has the redacted request and response attached as JSON, and the
 * step whose answer departs is marked failed (broken for a transport fault).
 */
async function recordExchanges(exchanges: Exchange[], http: HttpClient, result: CheckResult, failedOn: number | undefined): Promise<void> {
  const detailed = result.status !== "pass";
  const limit = detailed ? DETAILED_STEPS : PASSING_STEPS;
  const culprit = result.status === "fail" || result.status === "error" ? (failedOn ?? exchanges.at(-1)?.id) : undefined;
  let shown = exchanges;
  if (exchanges.length > limit) {
    const keep = new Set([...exchanges.slice(0, limit - 3), ...exchanges.slice(-3)].map((e) => e.id));
    if (culprit !== undefined) keep.add(culprit);
    shown = exchanges.filter((e) => keep.has(e.id));
  }
  const gap = (n: number) => allure.logStep(`… ${n} more request(s) not shown here${detailed ? ` (exchanges/${result.id}.json in the run directory has every one)` : ""}`, Status.PASSED);
  let previous = -1;
  for (const ex of shown) {
    const index = exchanges.indexOf(ex);
    if (index > previous + 1) await gap(index - previous - 1);
    previous = index;
    const status = ex.response ? String(ex.response.status) : (ex.error?.kind ?? "error");
    const failing = ex.id === culprit;
    try {
      await allure.step(`${ex.request.method} ${ex.request.url} → ${status}`, async () => {
        if (detailed) {
          const shownEx = shownExchange(ex, http, ATTACHED_BODY_CHARS);
          await allure.attachment("request", JSON.stringify(shownEx.request, null, 2), "application/json");
          await allure.attachment(ex.response ? "response" : "transport fault", JSON.stringify(shownEx.response ?? shownEx.error, null, 2), "application/json");
        }
        if (failing) throw new StepVerdict((result.message ?? "").split("\n")[0], result.status === "fail" && !ex.error);
      });
    } catch (e) {
      if (!(e instanceof StepVerdict)) throw e;
    }
  }
}

/** The exchanges of a check that did not pass, whole and redacted, for `run --bundle` (exchanges/<id>.json in the run directory). */
function keepExchanges(runDir: string, id: string, exchanges: Exchange[], http: HttpClient): void {
  if (!exchanges.length) return;
  const dir = join(runDir, "exchanges");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${id}.json`), `${JSON.stringify(exchanges.map((ex) => ({ id: ex.id, ...shownExchange(ex, http) })), null, 2)}\n`);
}

/**
 * The worker's one client, and so its one redactor (which learns every licence
 * key the run sends, whichever phase sends it): the run loads its phase files
 * into one module graph (vitest `isolate: false`), so they all find it here.
 */
let workerClient: HttpClient | undefined;

/** What a phase file hands the runner (suites/index.ts suiteOf). */
export interface SuiteDefinition {
  /** The phase's checks, in table order. */
  checks: Check[];
  /** Every check of the suite: the owners of contracts (CheckMeta.owns) may run in another phase. */
  all: Check[];
  /** The licenses a license POST body stands for (the ledger's record of what the run installs). */
  licensesOf: NonNullable<RunServices["licensesOf"]>;
}

/**
 * One vitest file per phase. The checks that only read (profile read-only)
 * run side by side (a `describe.concurrent`), since none changes what another
 * sees; the checks that write run after them, one after another, in table
 * order. Every request of the file goes through one client, so --concurrency
 * bounds the requests in flight however many checks run. Each check keeps its
 * own exchanges (CheckContext.log), so steps and coverage stay its own.
 */
export function defineSuite(phase: string, suite: SuiteDefinition): void {
  const cfg = inject("ontapRun");
  const services: RunServices = { ledger: new Ledger(cfg.ledgerFile), licensesOf: suite.licensesOf, ownerOf: ownerIn(cfg.selection.owners) };
  let http: HttpClient;
  beforeAll(() => {
    http = workerClient ??= new HttpClient({ ...cfg.target });
  });
  afterAll(async () => {
    // The run's last phase file closes the worker's client (the files before it leave it to the next).
    if (phase !== cfg.files.at(-1)) return;
    await workerClient?.close();
    workerClient = undefined;
  });
  const reads = suite.checks.filter((c) => c.profile === "read-only");
  const writes = suite.checks.filter((c) => c.profile !== "read-only");
  if (!suite.checks.length) it.skip(`no checks in the ${phase} phase`, () => {});
  if (reads.length) describe.concurrent(phase, () => defineChecks(reads, cfg, () => http, services));
  if (writes.length) describe(phase, () => defineChecks(writes, cfg, () => http, services));
}

function defineChecks(checks: Check[], cfg: ReturnType<typeof inject<"ontapRun">>, client: () => HttpClient, services: RunServices): void {
  for (const check of checks) {
    it(check.id, async (t) => {
      // An error until the check ends: one that outlives vitest's test timeout must not read as a pass.
      const result = pendingResult(check);
      t.task.meta.check = result;
      // Ctrl-C: vitest cancels the run and ends the test under way at once, whatever its check is doing. A check not
      // judged by then reports "interrupted" (not the timeout of a test that never timed out), in a result of its own,
      // so that what the abandoned check still writes into `result` is not reported as its verdict.
      let judged = false;
      const interrupted = new AbortController();
      t.signal.addEventListener("abort", () => {
        if ((t.signal.reason as Error | undefined)?.name !== "TestRunAbortError") return;
        if (!judged) t.task.meta.check = interruptedResult(check);
        interrupted.abort();
      }, { once: true });
      const na = cfg.selection.notRun[check.id];
      if (na) {
        result.status = na.status;
        result.message = na.reason;
        t.skip(na.reason);
        return;
      }
      await label(check, cfg);
      const http = client();
      const { ctx, thrown } = await executeCheck(check, result, cfg, http, services, interrupted.signal);
      judged = true;
      await recordExchanges(ctx.log, http, result, thrown instanceof CheckFailure ? thrown.exchangeId : undefined);
      if (result.status !== "pass") keepExchanges(cfg.runDir, check.id, ctx.log, http);
      if (result.status === "skip") {
        t.skip(result.message);
        return;
      }
      // Allure reads a failure as an assertion (failed), anything else as broken; the run command settles the final status.
      if (result.status !== "pass") throw new StepVerdict(`[${result.status}] ${result.message}`, result.status === "fail");
    });
  }
}
