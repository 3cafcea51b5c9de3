// One run of the suite for the catalog engine (catalog-engine.ts), in this
// process: the reference mock changed by one catalog entry, started here, and
// the suite against it as `ontap-conformance run --target <mock> --profile
// destructive --allow-destructive [--strict] --seed 1 --timeout 10000` with
// the catalog's config file runs it (the same settings, discovery, inventory,
// phase order, check runner, teardown and verdict), without vitest, Allure
// or a child process.
//
// A run records what the engine needs to narrow later runs: for each check,
// the operations its requests reached (as the mock routes them) and a digest
// of every write it sent; and whether a GET changed the mock's state.
//
// A narrowed run (`narrow`) runs, of a mutant that changes only some
// operations' handlers, just the checks that can see it, and proves as it
// goes that the others would have seen the reference run's answers. Why that
// is exact: the mock's state changes only through writes to its handlers
// (and the clock tasks they start); a GET handler changes nothing (watched in
// every reference run); a check's requests follow from the seed and the
// answers it gets. So until some check sends other writes than in the
// reference run, or meets a changed handler that writes, the state before
// each check is the reference run's, and a check that reaches no changed
// operation gets the reference run's answers and verdict. Hence:
// - a read-only check (GETs only) that never reached a changed operation in
//   the reference run is not run: its answers come from unchanged handlers
//   over the same state, so its verdict is the reference's;
// - a writing check runs if it reached a changed operation, or if a check
//   that runs comes after it (the state it leaves is theirs to see);
// - after each writing check the run verifies that the state it left is the
//   reference's: it sent exactly the writes it sent in the reference run,
//   no changed write handler answered it, and no GET changed the state
//   while it ran. The first check that fails this "diverges": every check
//   after it runs, as in a whole run;
// - discovery must find what the reference run found (otherwise every check
//   runs), and a GET that changes the state while the read-only checks run
//   side by side cannot be placed: the engine then runs the mutant whole.
// Checks not run take the reference run's verdict.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startMock, type MockState } from "../../mock/index.ts";
import { VirtualClock } from "../../mock/clock.ts";
import { resolvePath } from "../../mock/server/dispatch.ts";
import type { Handler } from "../../mock/server/types.ts";
import type { MockPatch } from "../../mock/mutants/types.ts";
import type { WireBehaviour } from "../../mock/variants/types.ts";
import { startWireProxy } from "../../mock/variants/wire.ts";
import { allChecks, checksOfPhase, suiteOf } from "../../suites/index.ts";
import { buildSummary, settleVerdict, type Summary, type SummaryCheck } from "../../reports/summary.ts";
import { getOperation, matchOperation } from "../contract/index.ts";
import { PHASES, type Check, type CheckResult } from "../harness/check.ts";
import type { RunServices } from "../harness/context.ts";
import { discover, type Discovery } from "../harness/discovery.ts";
import { executeCheck, ownerIn, pendingResult } from "../harness/execute.ts";
import { takeInventory, teardown as restore } from "../harness/inventory.ts";
import { Ledger } from "../harness/ledger.ts";
import type { RunConfig } from "../harness/run-config.ts";
import { Redactor } from "../harness/secrets.ts";
import { planSelection } from "../harness/select.ts";
import { encodeQuery, HttpClient, type Exchange, type RequestSpec } from "../harness/transport.ts";
import { settleNotTested } from "./run-command.ts";
import { CHECK_TIMEOUT_MS, CONCURRENCY, DOWNLOAD_URL, JOB_TIMEOUT_MS, PASSWORD, RUNS, SEED, TIMEOUT_MS, USERNAME } from "./catalog-settings.ts";

/** Checks side by side in a phase's read block, as the run command sets vitest's maxConcurrency. */
const MAX_CONCURRENT_CHECKS = Math.max(8, CONCURRENCY * 4);

/** What discovery found, as the checks are told it. */
export type Found = Pick<Discovery, "version" | "clusterName" | "nodes">;

/** What a narrowed run needs of the reference run (same seed, same settings). */
export interface NarrowPlan {
  /** Check id → the operations its requests reached in the reference run. */
  operations: Record<string, string[]>;
  /** The reference run's verdicts, taken by the checks not run. */
  verdicts: SummaryCheck[];
  /** The reference run's write digests per writing check. */
  writes: Record<string, string[]>;
  discovery: Found;
}

export interface CatalogRunOptions {
  strict: boolean;
  wire?: WireBehaviour;
  /** The reference run of a catalog: every GET handler is watched for changes to the state. */
  reference?: boolean;
  narrow?: NarrowPlan;
}

export interface CatalogRun {
  summary: Summary;
  /** The run's exit code (0 conformant, 1 not). */
  exitCode: number;
  /** Check id → the operations its requests reached (the mock's routing), of every check that ran. */
  operations: Record<string, string[]>;
  /** Check id → digests of the writes it sent (method, path, query, headers, body), in order; writing checks that ran. */
  writes: Record<string, string[]>;
  /** GET operations whose handler changed the mock's state while it answered (a reference run must have none). */
  statefulReads: string[];
  /** Writes sent while read-only checks ran side by side (a reference run must have none). */
  writesWhileReading: number;
  discovery: Found;
  /** The checks that ran, in order. */
  ran: string[];
  /**
   * A narrowed run: the operations the patch changes, the checks that reached
   * one in the reference run, the check after which every check ran (if one
   * diverged) and why; or why the run must be made whole.
   */
  narrowed?: { changed: string[]; touching: string[]; divergedAt?: string; why?: string; rerunWhole?: string };
}

/**
 * A fingerprint of everything the mock's answers are made from: cluster,
 * licenses, packages, history, download and upgrade state, jobs, and the
 * tasks scheduled on the virtual clock (not its time, which moves by itself);
 * Maps and Sets are written as their entries; an object met twice is written
 * once.
 */
export function stateFingerprint(state: MockState): string {
  const seen = new WeakSet<object>();
  // Of the clock, what requests can change: the time added by /__mock/clock, and how many tasks were ever scheduled.
  const clock = state.clock as unknown as { offset: number; seq: number };
  return JSON.stringify({ version: state.version, clock: [clock.offset, clock.seq], cluster: state.cluster, licensing: state.licensing, software: state.software, jobs: state.jobs }, (_key, value: unknown) => {
    if (typeof value === "function" || value instanceof VirtualClock) return undefined;
    if (value && typeof value === "object") {
      if (seen.has(value)) return "(seen)";
      seen.add(value);
      if (value instanceof Map) return [...value];
      if (value instanceof Set) return [...value];
    }
    return value;
  });
}

/** What the instrumented mock tells the run. */
interface MockEvents {
  /** The operations whose handler the patch replaces. */
  changed: Set<string>;
  /** Answers of a write operation the patch changed. */
  changedWrites: number;
  /** GET operations whose handler left the state changed, in order. */
  statefulReads: string[];
}

/**
 * The patch, watched: every GET handler (`watchAllReads`), or only those the
 * patch changed, is checked to leave the state as it found it (a GET handler
 * runs to its end without waiting on a timer, so nothing else changes the
 * state in between); every answer of a write handler the patch changed is
 * counted.
 */
function instrument(patch: MockPatch | undefined, events: MockEvents, watchAllReads: boolean): MockPatch {
  return {
    ...patch,
    wrap: (op: string, handler: Handler, state: MockState) => {
      const wrapped = patch?.wrap?.(op, handler, state);
      if (wrapped) events.changed.add(op);
      const read = getOperation(op).method === "GET";
      if (!read) {
        if (!wrapped) return undefined;
        return (ctx) => {
          events.changedWrites++;
          return wrapped(ctx);
        };
      }
      if (!wrapped && !watchAllReads) return undefined;
      const inner = wrapped ?? handler;
      return async (ctx) => {
        const before = stateFingerprint(state);
        try {
          return await inner(ctx);
        } finally {
          if (stateFingerprint(state) !== before) events.statefulReads.push(op);
        }
      };
    },
  };
}

/** The operation the mock routes a request to (dispatch.ts: path resolution, then the operation table; HEAD as GET). */
export function operationOf(method: string, url: string, baseUrl: string): string | undefined {
  const target = url.startsWith(baseUrl) ? url.slice(baseUrl.length) : new URL(url).pathname;
  try {
    return matchOperation(method === "HEAD" ? "GET" : method, resolvePath(target || "/"))?.op.id;
  } catch {
    return undefined;
  }
}

/** A digest of a write as the target receives it: method, path, query, headers, and the body (a multipart body part by part, files by their bytes). */
async function writeDigest(spec: RequestSpec): Promise<string> {
  const b = spec.body as any;
  let body: unknown = b;
  if (b && typeof b === "object" && "multipart" in b && b.multipart instanceof FormData) {
    const parts: unknown[] = [];
    for (const [name, value] of b.multipart.entries()) {
      parts.push(typeof value === "string" ? [name, value] : [name, value.name, value.type, createHash("sha256").update(Buffer.from(await value.arrayBuffer())).digest("hex")]);
    }
    body = { multipart: parts };
  } else if (b && typeof b === "object" && "raw" in b && Buffer.isBuffer(b.raw)) {
    body = { raw: b.raw.toString("base64"), contentType: b.contentType };
  }
  const text = JSON.stringify([spec.method, spec.path, encodeQuery(spec.query), spec.accept ?? null, spec.headers ?? null, body ?? null]);
  return createHash("sha256").update(text).digest("hex").slice(0, 24);
}

/** The run's client, which also keeps a digest of every write it sends (what the writing check under way sent). */
class RecordingClient extends HttpClient {
  writes: string[] = [];

  override async request(spec: RequestSpec): Promise<Exchange> {
    if (spec.method !== "GET" && spec.method !== "HEAD") {
      // In the order the check sent them (its place is taken before the digest is made, which may wait on a file's bytes).
      const at = this.writes.push("") - 1;
      this.writes[at] = await writeDigest(spec);
    }
    return super.request(spec);
  }
}

/** Run `fn` over `items`, at most `limit` at once, starting them in order. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** One run of the suite against the reference mock changed by `patch` (none: the reference), its results under `dir`. */
export async function runInProcess(patch: MockPatch | undefined, dir: string, opts: CatalogRunOptions): Promise<CatalogRun> {
  const events: MockEvents = { changed: new Set(), changedWrites: 0, statefulReads: [] };
  const watched = opts.reference || opts.narrow ? instrument(patch, events, Boolean(opts.reference)) : patch;
  const mock = await startMock({ scenario: "docs", mutant: watched, ...(patch?.options ?? {}), password: PASSWORD });
  const proxy = opts.wire ? await startWireProxy(mock.url, opts.wire) : undefined;
  try {
    const runId = new Date().toISOString().replace(/[:.]/g, "-");
    const runDir = join(dir, "runs", runId);
    mkdirSync(runDir, { recursive: true });
    const started = Date.now();
    const baseUrl = proxy?.url ?? mock.url;
    const username = USERNAME;
    const redactor = new Redactor({ secrets: [PASSWORD], username });
    const target: RunConfig["target"] = {
      baseUrl, username, password: PASSWORD, insecure: false, timeoutMs: TIMEOUT_MS, concurrency: CONCURRENCY,
      retries: { max: 3, maxDelayMs: 10_000 }, credentialsLatch: join(runDir, "credentials-refused"),
    };
    const http = new HttpClient({ ...target, redactor });
    let found: Discovery;
    let before;
    try {
      found = await discover(http);
      before = await takeInventory(http);
    } finally {
      await http.close();
    }
    const discovery: Found = { version: found.version, clusterName: found.clusterName, nodes: found.nodes };
    const profile = "destructive" as const;
    const config: RunConfig = {
      target,
      info: {
        url: baseUrl, username, version: found.version, clusterName: found.clusterName, nodes: found.nodes, profile, strict: opts.strict, insecure: false, seed: SEED, runs: RUNS, embedded: false,
        acceptsTestKeys: true, acceptsTestPackages: true, downloadUrl: DOWNLOAD_URL, allowUpgrade: true, faultSwitch: true, jobTimeoutMs: JOB_TIMEOUT_MS,
      },
      profile, only: [], disabled: {}, runDir, ledgerFile: join(runDir, "ledger.jsonl"), checkTimeoutMs: CHECK_TIMEOUT_MS,
    };

    const checks = allChecks();
    const results: CheckResult[] = [];
    const operations: Record<string, string[]> = {};
    const writes: Record<string, string[]> = {};
    const ran: string[] = [];
    let writesWhileReading = 0;
    // The timeline of a run: per phase, its read-only checks side by side, then its writing checks in order.
    const timeline = PHASES.flatMap((phase) => {
      const inPhase = checksOfPhase(phase);
      return [inPhase.filter((c) => c.profile === "read-only"), inPhase.filter((c) => c.profile !== "read-only")].map((block) => ({ phase, block }));
    });
    const plan = opts.narrow;
    let narrowing = Boolean(plan);
    // The checks that can see the patch: those whose requests reached an operation it changes, in the reference run.
    const touching = new Set(plan ? Object.keys(plan.operations).filter((id) => plan.operations[id].some((op) => events.changed.has(op))) : []);
    const narrowed: CatalogRun["narrowed"] = plan ? { changed: [...events.changed].sort(), touching: [...touching].sort() } : undefined;
    if (plan && JSON.stringify(discovery) !== JSON.stringify(plan.discovery)) {
      narrowing = false;
      narrowed!.why = "discovery found another cluster than in the reference run";
    } else if (plan && events.statefulReads.length) {
      narrowing = false;
      narrowed!.why = `a GET of ${events.statefulReads[0]} changed the mock's state during discovery or the inventory`;
    }
    const order = timeline.flatMap((b) => b.block.map((c) => c.id));
    const lastTouching = Math.max(-1, ...order.flatMap((id, i) => (touching.has(id) ? [i] : [])));

    // The selection, worked out once for the run (which checks do not run and why, who owns each contract).
    const selection = planSelection(checks, config);
    const suitesStarted = Date.now();
    for (const { phase, block } of timeline) {
      if (!block.length) continue;
      const reading = block[0].profile === "read-only";
      const suite = suiteOf(phase);
      const services: RunServices = { ledger: new Ledger(config.ledgerFile), licensesOf: suite.licensesOf, ownerOf: ownerIn(selection.owners) };
      const client = new RecordingClient({ ...config.target });
      const one = async (check: Check) => {
        const result = pendingResult(check);
        results.push(result);
        const na = selection.notRun[check.id];
        if (na) {
          result.status = na.status;
          result.message = na.reason;
          return;
        }
        ran.push(check.id);
        const { ctx } = await executeCheck(check, result, config, client, services);
        operations[check.id] = operationsOf(ctx.log, baseUrl);
      };
      try {
        if (reading) {
          const selected = narrowing ? block.filter((c) => touching.has(c.id)) : block;
          const changedBefore = events.statefulReads.length;
          await pool(selected, MAX_CONCURRENT_CHECKS, one);
          writesWhileReading += client.writes.length;
          if (narrowing && (events.statefulReads.length > changedBefore || client.writes.length)) {
            // The checks left out ran side by side with what changed the state in the whole run: they cannot be placed.
            narrowed!.rerunWhole = events.statefulReads.length > changedBefore ? `a GET of ${events.statefulReads[changedBefore]} changed the mock's state while the read-only checks of the ${phase} phase ran` : `a write was sent while the read-only checks of the ${phase} phase ran`;
            narrowing = false;
          }
          continue;
        }
        for (const check of block) {
          const at = order.indexOf(check.id);
          if (narrowing && !touching.has(check.id) && at > lastTouching) continue;
          client.writes = [];
          const changedWrites = events.changedWrites;
          const changedReads = events.statefulReads.length;
          await one(check);
          if (!ran.includes(check.id)) continue;
          writes[check.id] = client.writes;
          if (!narrowing) continue;
          // Did this check leave the state as in the reference run? If not, every check after it runs.
          const why = events.changedWrites > changedWrites ? "a write it sent was answered by a changed handler"
            : events.statefulReads.length > changedReads ? `a GET of ${events.statefulReads[changedReads]} changed the mock's state`
            : (writes[check.id] ?? []).join() !== (plan!.writes[check.id] ?? []).join() ? "it sent other writes than in the reference run" : undefined;
          if (why) {
            narrowing = false;
            narrowed!.divergedAt = check.id;
            narrowed!.why = why;
          }
        }
      } finally {
        await client.close();
      }
    }
    const suitesMs = Date.now() - suitesStarted;

    const after = new HttpClient({ ...target, redactor });
    let teardown: string[] = [];
    let removed: string[] = [];
    let changedByOthers: string[] = [];
    try {
      ({ removed, remaining: teardown, changedByOthers } = await restore(after, before, Ledger.read(config.ledgerFile), { jobTimeoutMs: JOB_TIMEOUT_MS }));
    } catch (e) {
      teardown = [`the target could not be restored: ${(e as Error).message}`];
    } finally {
      await after.close();
    }
    const redacted = redactor.redactJson(results) as CheckResult[];
    const seen = new Set(redacted.map((r) => r.id));
    const reference = new Map(plan?.verdicts.map((v) => [v.id, v]));
    for (const c of checks) {
      if (seen.has(c.id)) continue;
      const { run: _run, ...meta } = c;
      const verdict = reference.get(c.id);
      if (verdict) {
        // Not run: it would have seen the reference run's answers.
        redacted.push({ ...meta, status: verdict.status, ...(verdict.message ? { message: verdict.message } : {}), ...(verdict.notTestedBecause ? { notTested: { owner: verdict.notTestedBecause, cause: verdict.message ?? "" } } : {}), warnings: verdict.warnings, durationMs: 0, exchanges: [] });
        continue;
      }
      const na = selection.notRun[c.id];
      redacted.push({ ...meta, status: na?.status ?? "error", message: na?.reason ?? "the check did not run", warnings: [], durationMs: 0, exchanges: [] });
    }
    settleNotTested(redacted);
    const summary = buildSummary({ runId, results: redacted, target: redactor.redactText(baseUrl), version: found.version, profile, seed: SEED, runs: RUNS, strict: opts.strict, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, phases: { suitesMs } });
    summary.teardown = {
      restored: teardown.length === 0,
      differences: teardown.map((t) => redactor.redactText(t)),
      ...(removed.length ? { removed: removed.map((t) => redactor.redactText(t)) } : {}),
      ...(changedByOthers.length ? { changedByOthers: changedByOthers.map((t) => redactor.redactText(t)) } : {}),
    };
    settleVerdict(summary, {});
    writeFileSync(join(runDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    return { summary, exitCode: summary.exitCode!, operations, writes, statefulReads: [...new Set(events.statefulReads)].sort(), writesWhileReading, discovery, ran, ...(narrowed ? { narrowed } : {}) };
  } finally {
    await proxy?.close();
    await mock.close();
  }
}

function operationsOf(log: readonly Exchange[], baseUrl: string): string[] {
  const ops = new Set<string>();
  for (const ex of log) {
    const op = operationOf(ex.request.method, ex.request.url, baseUrl);
    if (op) ops.add(op);
  }
  return [...ops].sort();
}
