// What the CLI hands to the suites (vitest `provide`/`inject`): in memory
// only, never written to disk, since it carries the credentials.
import type { Profile } from "./check.ts";
import type { TargetInfo } from "./context.ts";
import type { TransportOptions } from "./transport.ts";

export interface RunConfig {
  /** How to reach the target (the transport's own options, minus what the worker builds itself). */
  target: Omit<TransportOptions, "redactor" | "onExchange" | "maxBodyBytes">;
  info: TargetInfo;
  profile: Profile;
  /** Check id globs selected by --only (empty: all). */
  only: string[];
  /** Check id → reason, from the config file. */
  disabled: Record<string, string>;
  /** Where this run writes its artifacts. */
  runDir: string;
  /** The run's ledger of what it created and deleted (ledger.ts), shared by its workers. */
  ledgerFile: string;
  /** How long one check may take before it is stopped (vitest's own test timeout is longer). */
  checkTimeoutMs: number;
  /** `run --shard i/n`: the checks this shard runs (src/cli/shard.ts); the others run in other shards. */
  shard?: RunShard;
}

export interface RunShard {
  index: number;
  count: number;
  /** The ids of the checks this shard owns (every check of the suite is owned by exactly one shard). */
  ids: string[];
}

/** Why each check does not run in this run, and who owns each contract: decided once, by the run command, after discovery. */
export interface Selection {
  /** Check id → why it does not run (absent: it runs). */
  notRun: Record<string, { status: "skip" | "disabled"; reason: string }>;
  /** "operation:aspect" → the selected check that owns that contract (CheckMeta.owns), the first in table order. */
  owners: Record<string, string>;
}

/** What the vitest workers get: the run's configuration and its selection, evaluated once by the run command. */
export interface SuiteRunConfig extends RunConfig {
  selection: Selection;
  /**
   * The phase files this run loads, in the order they run (`read-only` for a
   * read-only run's one file): they share the worker's one client, which the
   * last of them closes.
   */
  files: string[];
}

declare module "vitest" {
  interface ProvidedContext {
    ontapRun: SuiteRunConfig;
  }
}
