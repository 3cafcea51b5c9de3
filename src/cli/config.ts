// Run configuration from (in order of precedence) flags, ONTAP_* environment
// variables and an optional YAML config file. The password is never taken
// from the config file or a plain flag: --password-env VAR, ONTAP_PASSWORD,
// or a prompt on a terminal.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { PROFILES, type Profile } from "../harness/check.ts";
import { UsageError } from "./exit-codes.ts";

export interface FileConfig {
  target?: string;
  username?: string;
  passwordEnv?: string;
  insecure?: boolean;
  ca?: string;
  clientCert?: string;
  clientKey?: string;
  profile?: Profile;
  timeoutMs?: number;
  concurrency?: number;
  reportDir?: string;
  /** The target accepts spec/test-keys.md license keys (a mock built on this project's contract). */
  testKeys?: boolean;
  /** The target accepts made-up package files and URLs (a mock): upload and delete round trips run. */
  testPackages?: boolean;
  /** A package URL the target can download, for the download round trip on a real cluster. */
  downloadUrl?: string;
  /** Let destructive runs start a real upgrade (and never roll it back). */
  allowUpgrade?: boolean;
  /** The target is this project's reference mock (its /__mock/faults switch raises any error code). */
  faultSwitch?: boolean;
  /** How long to wait for a job before a check fails (default 60000). */
  jobTimeoutMs?: number;
  /** Checks to disable: `{id, reason, operation?}`; id may be a glob; operation limits it to one operationId. */
  disable?: Array<{ id: string; reason: string; operation?: string }>;
}

/** Environment variables the CLI reads, with what they stand for. */
export const ENV = {
  ONTAP_TARGET: "--target",
  ONTAP_USERNAME: "--username",
  ONTAP_PASSWORD: "the password (or --password-env VAR)",
  ONTAP_PROFILE: "--profile",
  ONTAP_INSECURE: "--insecure (1/true)",
  ONTAP_CA: "--ca",
  ONTAP_REPORT_DIR: "--report-dir",
  ONTAP_CONFIG: "--config",
} as const;

export function readConfigFile(file: string | undefined): FileConfig {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read the config file ${file}`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new UsageError(`the config file ${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) throw new UsageError(`the config file ${file} must hold a mapping of settings`);
  const cfg = data as FileConfig & { password?: unknown };
  if ("password" in cfg) throw new UsageError(`the config file ${file} holds a password: use passwordEnv (the name of an environment variable) instead`);
  if (cfg.profile !== undefined && !PROFILES.includes(cfg.profile)) throw new UsageError(`profile "${cfg.profile}" in ${file} is not one of ${PROFILES.join(", ")}`);
  for (const d of cfg.disable ?? []) {
    if (!d || typeof d.id !== "string" || typeof d.reason !== "string" || !d.reason.trim()) {
      throw new UsageError(`every entry of "disable" in ${file} needs an id and a reason`);
    }
  }
  return cfg;
}

export function envFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return /^(1|true|yes)$/i.test(value);
}
