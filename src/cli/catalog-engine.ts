// The engine behind `mutants` and `variants`: pick entries of a catalog
// (--only, --sample, --shard), run the suite (destructive, seed 1) against
// the reference mock changed by one entry, and read back the run's summary.
// Mutants judge the runs by kills, variants by false alarms; both share how
// a run is made, so their verdicts come from the same runs.
//
// Runs are made in worker threads (CatalogPool), twice as many as the machine
// has cores (--parallel): each worker loads the suite once and runs entry after entry in
// process (catalog-run.ts), each with its own mock, port and report
// directory. A mutant that changes only some operations' handlers is run
// narrowed to the checks that can see it (catalog-run.ts says why that is
// exact); the others take the reference run's verdicts. The first engine,
// one `ontap-conformance run` child process per entry, stays as
// `--engine process` (runSuite) to cross-check the two.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { startMock } from "../../mock/index.ts";
import type { MockPatch } from "../../mock/mutants/types.ts";
import type { WireBehaviour } from "../../mock/variants/types.ts";
import { startWireProxy } from "../../mock/variants/wire.ts";
import type { Summary } from "../../reports/summary.ts";
import type { CatalogRun, NarrowPlan } from "./catalog-run.ts";
import { CACHE_DIR, writeWhole } from "../contract/yaml-file.ts";
import { UsageError } from "./exit-codes.ts";
import { catalogConfigYaml, catalogRunFlags, PASSWORD } from "./catalog-settings.ts";

const BIN = new URL("../../bin/ontap-conformance.mjs", import.meta.url);

/** What every catalog entry has. */
export interface CatalogEntry {
  name: string;
  category: string;
}

export interface Selection {
  only?: string;
  sample?: boolean;
  shard?: string;
}

export function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (!text) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard takes i/n with 1 <= i <= n, not "${text}"`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

/** The entries a command runs: the sample, or those --only names (by name or category), then this shard's share. */
export function selectEntries<T extends CatalogEntry>(catalog: T[], sample: string[], opts: Selection, what: { noun: string; file: string }): T[] {
  let selected = catalog;
  if (opts.sample) selected = catalog.filter((m) => sample.includes(m.name));
  if (opts.only) {
    const names = opts.only.split(",").map((s) => s.trim());
    const unknown = names.filter((n) => !catalog.some((m) => m.name === n || m.category === n));
    if (unknown.length) throw new UsageError(`unknown ${what.noun} ${unknown.join(", ")} (see ${what.file})`);
    selected = catalog.filter((m) => names.includes(m.name) || names.includes(m.category));
  }
  const shard = parseShard(opts.shard);
  if (shard) selected = selected.filter((_m, i) => i % shard.count === shard.index - 1);
  return selected;
}

/** One run for a worker: the reference, or a catalog entry by name (functions do not cross threads). */
export interface CatalogJob {
  kind: "reference" | "mutant" | "variant";
  name?: string;
  strict: boolean;
  /** Where the run writes (runs/<id>/summary.json). */
  dir: string;
  narrow?: NarrowPlan;
}

/** --parallel: how many runs at once (default: twice the machine's cores). */
export function parseParallel(text: string | number | undefined): number {
  // A catalog run waits on its mock much of the time (job polls, a never-ending job's limit): the whole
  // catalog used about a quarter of two cores at one run a core, so two runs a core by default.
  if (text === undefined) return 2 * availableParallelism();
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--parallel takes a whole number from 1 to 64, not "${text}"`);
  return n;
}

/** A run's name in the run times: "mutant jobs.never-terminal (narrowed)", "variant slow-jobs strict", "reference". */
export function labelOf(job: CatalogJob): string {
  return `${job.kind === "reference" ? "reference" : `${job.kind} ${job.name}`}${job.narrow ? " (narrowed)" : ""}${job.kind === "variant" ? (job.strict ? " strict" : " default") : ""}`;
}

/**
 * How long each run of the last catalog run took (label → ms), kept in the
 * project's cache directory (src/contract/yaml-file.ts), as vitest keeps its test
 * files' durations to start the longest first. An order for the queue,
 * never an input to a verdict: without the file (a fresh clone) the runs
 * start in the catalog's order. ONTAP_CATALOG_RUN_TIMES names another file
 * (bench row 7 times a catalog without and with them).
 */
const RUN_TIMES = process.env.ONTAP_CATALOG_RUN_TIMES || join(CACHE_DIR, "catalog-run-times.json");

export function lastRunTimes(file = RUN_TIMES): Record<string, number> {
  try {
    const data = JSON.parse(readFileSync(file, "utf8"));
    return data && typeof data === "object" && !Array.isArray(data) ? data : {};
  } catch {
    return {};
  }
}

/** Add this run's times to the file (written whole, then renamed: two catalogs at once cannot leave half a file). */
export function keepRunTimes(times: Array<{ label: string; ms: number }>, file = RUN_TIMES): void {
  if (!times.length) return;
  // Not written (a read-only checkout): only an order is lost.
  writeWhole(file, `${JSON.stringify({ ...lastRunTimes(file), ...Object.fromEntries(times.map((t) => [t.label, t.ms])) })}\n`);
}

/** Put `entry` in `queue` before the first entry of a lower priority (after its equals: first queued, first taken). */
export function enqueue<T extends { priority: number }>(queue: T[], entry: T): void {
  const at = queue.findIndex((q) => q.priority < entry.priority);
  queue.splice(at < 0 ? queue.length : at, 0, entry);
}

/**
 * Worker threads that make catalog runs, `size` at once: a job waits for a
 * free worker; a worker is started when first needed and keeps its loaded
 * modules for the next job. A free worker takes the reference first, then
 * the queued run that took longest in the last catalog run (longest first:
 * the catalog then ends soonest), runs the last one did not make by the
 * priority they were queued with.
 */
export class CatalogPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Array<{ job: CatalogJob; priority: number; resolve: (r: CatalogRun) => void; reject: (e: Error) => void }> = [];
  private busy = 0;
  private nextId = 1;
  /** Each run made and its time (what bounds a catalog: its longest runs); how many were queued by the last catalog run's times. */
  private readonly times: Array<{ label: string; ms: number }> = [];
  private timed = 0;

  constructor(readonly size: number, private readonly last: Record<string, number> = lastRunTimes()) {}

  /** Queue a run; `unknown`: its priority when the last catalog run did not make it (ms, as the times). */
  run(job: CatalogJob, unknown = 0): Promise<CatalogRun> {
    const known = this.last[labelOf(job)];
    if (known !== undefined && job.kind !== "reference") this.timed++;
    const priority = job.kind === "reference" ? Number.POSITIVE_INFINITY : known ?? unknown;
    return new Promise((resolve, reject) => {
      enqueue(this.queue, { job, priority, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length && (this.idle.length || this.all.length < this.size)) {
      const worker = this.idle.pop() ?? this.spawn();
      const { job, resolve, reject } = this.queue.shift()!;
      const id = this.nextId++;
      const started = Date.now();
      this.busy++;
      const done = (msg: { id: number; result?: CatalogRun; error?: string }) => {
        if (msg.id !== id) return;
        worker.off("message", done);
        worker.off("error", failed);
        this.busy--;
        this.times.push({ label: labelOf(job), ms: Date.now() - started });
        this.idle.push(worker);
        if (msg.error !== undefined) reject(new Error(msg.error));
        else resolve(msg.result!);
        this.pump();
      };
      const failed = (e: Error) => {
        // The worker itself died: its job fails, and the worker is not reused.
        worker.off("message", done);
        this.busy--;
        this.all.splice(this.all.indexOf(worker), 1);
        reject(e);
        this.pump();
      };
      worker.on("message", done);
      worker.once("error", failed);
      worker.postMessage({ id, job });
    }
  }

  private spawn(): Worker {
    const worker = new Worker(new URL("./catalog-worker.mjs", import.meta.url));
    this.all.push(worker);
    return worker;
  }

  /** "the 3 longest runs: a 12.3 s, b 8.0 s, c 7.9 s; 45 runs took 210 s of workers' time". */
  timesLine(n = 3): string {
    const longest = [...this.times].sort((a, b) => b.ms - a.ms).slice(0, n);
    const busyMs = this.times.reduce((sum, t) => sum + t.ms, 0);
    return `the ${longest.length} longest runs: ${longest.map((t) => `${t.label} ${(t.ms / 1000).toFixed(1)} s`).join(", ")}; ${this.runs} runs took ${(busyMs / 1000).toFixed(0)} s of workers' time; ${this.timed ? `${this.timed} queued longest first by the last catalog run's times` : "queued in the catalog's order (no times of a last run)"}`;
  }

  /** Runs made so far. */
  get runs(): number {
    return this.times.length;
  }

  async close(): Promise<void> {
    keepRunTimes(this.times);
    await Promise.all(this.all.map((w) => w.terminate()));
    this.all.length = 0;
    this.idle.length = 0;
  }
}

/** Why a catalog entry cannot be narrowed (it changes more than some operations' handlers), or undefined. */
export function wholeRunReason(patch: MockPatch): string | undefined {
  if (patch.setup) return "it changes the mock's state or behaviour (setup)";
  if (patch.rewriteRequest) return "it rewrites every request";
  if (patch.rewriteResponse) return "it rewrites every answer";
  if (patch.options) return "it runs the mock with other options";
  return undefined;
}

/** What a narrowed run needs of the reference run; undefined when the reference run forbids narrowing (a GET changed the state). */
export function narrowPlanOf(reference: CatalogRun): NarrowPlan | undefined {
  if (reference.statefulReads.length || reference.writesWhileReading) return undefined;
  return { operations: reference.operations, verdicts: reference.summary.checks, writes: reference.writes, discovery: reference.discovery };
}

export interface SuiteRun {
  summary: Summary;
  /** The run's exit code (0 conformant, 1 not, 2 could not run). */
  exitCode: number | null;
}

/**
 * The first engine (`--engine process`): one destructive run of the whole
 * suite (seed 1) against the reference mock changed by `patch` (none: the
 * reference), behind a wire proxy when the entry acts on the transport. The
 * suite runs in a child process (`ontap-conformance run`) so every run starts
 * from a clean vitest; the mock stays in this process (hence an async spawn).
 */
export async function runSuite(patch: MockPatch | undefined, dir: string, opts: { strict: boolean; label: string; wire?: WireBehaviour }): Promise<SuiteRun> {
  const mock = await startMock({ scenario: "docs", mutant: patch, ...(patch?.options ?? {}), password: PASSWORD });
  const proxy = opts.wire ? await startWireProxy(mock.url, opts.wire) : undefined;
  try {
    mkdirSync(dir, { recursive: true });
    const config = join(dir, "config.yaml");
    writeFileSync(config, catalogConfigYaml());
    const args = [fileURLToPath(BIN), "run", "--target", proxy?.url ?? mock.url, ...catalogRunFlags(opts.strict, "ONTAP_MUTANT_PASSWORD", dir, config)];
    const { stderr, exitCode } = await new Promise<{ stderr: string; exitCode: number | null }>((done) => {
      const child = spawn(process.execPath, args, { env: { ...process.env, ONTAP_MUTANT_PASSWORD: PASSWORD }, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      child.on("close", (code) => done({ stderr: err, exitCode: code }));
    });
    try {
      return { summary: JSON.parse(readFileSync(join(dir, "latest", "summary.json"), "utf8")) as Summary, exitCode };
    } catch {
      throw new Error(`the run against ${opts.label} wrote no summary: ${stderr.trim().split("\n")[0]}`);
    }
  } finally {
    await proxy?.close();
    await mock.close();
  }
}

/** Read the --out files of shard runs for --merge, each of the given format. */
export function readTables<T>(files: string[], format: string, what: string): T[] {
  return files.map((f) => {
    try {
      const data = JSON.parse(readFileSync(f, "utf8"));
      if (data.format !== format) throw new Error("format");
      return data as T;
    } catch {
      throw new UsageError(`cannot read the ${what} ${f}`);
    }
  });
}

/** Write a table as JSON (creating its directory); returns the absolute path. */
export function writeTable(file: string, data: unknown): string {
  const path = resolve(file);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}
