// The CLI as a user runs it, for tests: a child process of bin/ontap-conformance.mjs
// with a clean environment (no ONTAP_PASSWORD, no colour settings), and the
// project's rule for bad input: exit 2 with exactly one line on stderr.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";

export const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** ms before the blocking cli() kills the command (code null): for a command that must end by itself (default 120000). */
  timeout?: number;
}

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

const envOf = (opts: CliOptions) => ({ ...process.env, ONTAP_PASSWORD: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env });

/** Blocking: for commands that need no server of this process. */
export function cli(args: string[], opts: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: opts.cwd, env: envOf(opts), timeout: opts.timeout ?? 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Async: for runs against a mock that lives in this process. */
export function cliAsync(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: envOf(opts), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

/** Exit 2 with exactly one line on stderr, no stack trace, matching `says`. */
export function expectOneLine(r: { code: number | null; err: string }, says: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err.trim().split("\n"), r.err).toHaveLength(1);
  expect(r.err.trim()).toMatch(says);
  expect(r.err).not.toMatch(/\n\s+at /);
}
