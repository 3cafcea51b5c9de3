// What the CLI hands to the suites (vitest `provide`/`inject`): in memory
// only, never written to disk, since it carries the credentials.
import type { Profile } from "./check.ts";
import type { TargetInfo } from "./context.ts";

export interface RunConfig {
  target: {
    baseUrl: string;
    username?: string;
    password?: string;
    insecure: boolean;
    caPem?: string;
    clientCert?: { certPem: string; keyPem: string };
    timeoutMs: number;
    concurrency: number;
    retries: { max: number; maxDelayMs: number };
  };
  info: TargetInfo;
  profile: Profile;
  /** Check id globs selected by --only (empty: all). */
  only: string[];
  /** Check id → reason, from the config file. */
  disabled: Record<string, string>;
  /** Where this run writes its artifacts. */
  runDir: string;
}

declare module "vitest" {
  interface ProvidedContext {
    ontapRun: RunConfig;
  }
}
