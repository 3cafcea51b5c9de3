// Child processes: servers under test (bench/serve.ts, Prism) and runs of
// the CLI, with wall times measured from spawn to exit. Every child is
// stopped by its own pid.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { undici } from "./deps.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BENCH = join(ROOT, "bench");

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `ontap-bench-${tag}-`));
}

export interface Server {
  url: string;
  pid: number;
  /** ms from spawn until the server answered (or said it listens). */
  startupMs: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => { clearTimeout(timer); resolve(); });
    child.kill("SIGTERM");
  });
}

/** A bench/serve.ts child: `mock` with startMock options, or `minimal` with a canned-responses file. */
export function startServer(kind: "mock" | "minimal", arg: string): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", join(BENCH, "serve.ts"), kind, arg], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let buf = "";
    child.once("exit", (code) => reject(new Error(`bench/serve.ts ${kind} exited with ${code} before listening`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      buf += chunk.toString();
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      child.removeAllListeners("exit");
      const { url } = JSON.parse(buf.slice(0, nl));
      child.stdout!.resume();
      resolve({ url, pid: child.pid!, startupMs: performance.now() - started, stop: stopper(child) });
    });
  });
}

/**
 * Stoplight Prism from bench/node_modules, logging to a file (as one would
 * run it). Ready when it answers `probePath` with any status.
 */
export async function startPrism(specFile: string, port: number, opts: { silent: boolean; dynamic?: boolean; logFile: string; probePath: string; authorization: string }): Promise<Server> {
  const bin = join(BENCH, "node_modules", "@stoplight", "prism-cli", "dist", "index.js");
  if (!existsSync(bin)) throw new Error(`Prism is not installed: run npm --prefix bench ci (looked for ${bin})`);
  const started = performance.now();
  const log = createWriteStream(opts.logFile);
  await new Promise((r) => log.once("open", r));
  const args = [bin, "mock", specFile, "-h", "127.0.0.1", "-p", String(port), ...(opts.silent ? ["-v", "silent"] : []), ...(opts.dynamic ? ["-d"] : [])];
  const child = spawn(process.execPath, args, { cwd: BENCH, stdio: ["ignore", log, log] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Prism exited with ${child.exitCode}; see ${opts.logFile}`);
    try {
      const res = await undici.request(`${url}${opts.probePath}`, { headers: { authorization: opts.authorization } });
      await res.body.dump();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`Prism did not answer within 60 s; see ${opts.logFile}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return { url, pid: child.pid!, startupMs: performance.now() - started, stop: stopper(child) };
}

export interface CliRun {
  code: number | null;
  wallMs: number;
  timedOut: boolean;
  /** stdout lines with the ms since spawn at which each arrived. */
  lines: Array<{ atMs: number; text: string }>;
  stderr: string;
  summary?: any;
}

/** `node bin/ontap-conformance.mjs <args>`, timed from spawn to exit; reads the run's summary.json (a command without --report-dir: none). */
export function runCli(args: string[], opts: { reportDir?: string; env?: Record<string, string>; timeoutMs: number; onSpawn?: (pid: number) => void }): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, "bin", "ontap-conformance.mjs"), ...args, ...(opts.reportDir ? ["--report-dir", opts.reportDir] : [])], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  opts.onSpawn?.(child.pid!);
  const lines: CliRun["lines"] = [];
  let partial = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const at = performance.now() - started;
    const parts = (partial + chunk.toString()).split("\n");
    partial = parts.pop()!;
    for (const text of parts) lines.push({ atMs: at, text });
  });
  child.stderr!.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, opts.timeoutMs);
  return new Promise((resolve) => {
    child.once("close", (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const runs = opts.reportDir ? join(opts.reportDir, "runs") : "";
      const dirs = runs && existsSync(runs) ? readdirSync(runs).sort() : [];
      const file = dirs.length ? join(runs, dirs[dirs.length - 1], "summary.json") : "";
      const summary = file && existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
      resolve({ code, wallMs, timedOut, lines, stderr, summary });
    });
  });
}
