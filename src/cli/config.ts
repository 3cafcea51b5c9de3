// Run settings from (in order of precedence) flags, ONTAP_* environment
// variables and an optional YAML config file. One JSON Schema
// (config.schema.json) says what every setting may be: the config file is
// validated against it whole (an unknown key or a wrong type is exit 2 with
// one line naming the key), and each flag and variable against the same
// property, so a value means the same wherever it is given. The password is
// never taken from the config file or a plain flag: --password-env VAR,
// ONTAP_PASSWORD, or a prompt on a terminal.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { InvalidArgumentError } from "commander";
import type { Profile } from "../harness/check.ts";
import { hideUserinfo } from "../harness/secrets.ts";
import { UsageError } from "./exit-codes.ts";
import { didYouMean } from "./suggest.ts";

const SCHEMA = JSON.parse(readFileSync(new URL("./config.schema.json", import.meta.url), "utf8"));

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
  checkTimeoutMs?: number;
  concurrency?: number;
  only?: string;
  seed?: number;
  runs?: number;
  strict?: boolean;
  reportDir?: string;
  keep?: number;
  baseline?: string;
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

/** Every key the config file may hold (the schema's properties), in the schema's order. */
export const CONFIG_KEYS = Object.keys(SCHEMA.properties) as Array<keyof FileConfig>;

/** Environment variables the CLI reads, with the setting each stands for. */
export const ENV = {
  ONTAP_TARGET: "target",
  ONTAP_USERNAME: "username",
  ONTAP_PROFILE: "profile",
  ONTAP_INSECURE: "insecure",
  ONTAP_CA: "ca",
  ONTAP_REPORT_DIR: "reportDir",
  ONTAP_CONFIG: "--config",
  ONTAP_PASSWORD: "the password (or --password-env VAR)",
} as const;

const ajv = new Ajv2020({ allErrors: false, verbose: true, strict: true });
ajv.addKeyword({ keyword: "x-expected", schemaType: "string" });
ajv.addFormat("target-url", { type: "string", validate: (s: string) => targetUrlProblem(s) === undefined });
const validateFile: ValidateFunction = ajv.compile(SCHEMA);
const validateKey = new Map<string, ValidateFunction>(CONFIG_KEYS.map((k) => [k, ajv.compile(SCHEMA.properties[k])]));

/** What a schema accepts, in words. */
function expected(schema: any): string {
  if (!schema || typeof schema !== "object") return "valid";
  if (schema["x-expected"]) return schema["x-expected"];
  if (schema.enum) return `one of ${schema.enum.join(", ")}`;
  if (schema.type === "integer") {
    if (schema.minimum !== undefined && schema.maximum !== undefined) return `a whole number from ${schema.minimum} to ${schema.maximum}`;
    return schema.minimum !== undefined ? `a whole number of at least ${schema.minimum}` : "a whole number";
  }
  if (schema.type === "boolean") return "true or false";
  if (schema.type === "string") return "a text";
  return `of type ${schema.type}`;
}

const shown = (v: unknown) => (typeof v === "string" ? JSON.stringify(hideUserinfo(v)) : v === null ? "empty" : Array.isArray(v) ? "a list" : typeof v === "object" ? "a mapping" : String(v));

/** One line for the first schema error: which key, what it must be, what it is. */
function describeError(e: ErrorObject, name: (path: string) => string): string {
  if ((e.keyword === "pattern" || e.keyword === "format") && typeof e.data === "string") {
    const problem = targetUrlProblem(e.data);
    if (problem) return `${name(e.instancePath)} ${problem}`;
  }
  if (e.keyword === "unevaluatedProperties") {
    // An inventory's defaults or target (the $defs of config.schema.json): the settings of a run, and a target's name and URL.
    const key = String(e.params.unevaluatedProperty);
    const parent = e.instancePath;
    if (key === "target" && parent === "/defaults") return `defaults: "target" is each target's own URL (give it under targets)`;
    if (key === "reportDir" || key === "keep") return `${name(parent)}: "${key}" belongs to the whole fleet run, not to a target (give --${key === "reportDir" ? "report-dir" : "keep"} to run --targets)`;
    const known = [...Object.keys(SCHEMA.$defs.targetSettings.properties), ...(/^\/targets\/\d+$/.test(parent) ? ["name", "target"] : [])];
    return `unknown key ${parent ? `${name(parent)}.` : ""}"${key}"${didYouMean(key, known)}`;
  }
  if (e.keyword === "additionalProperties") {
    const key = String(e.params.additionalProperty);
    const parent = e.instancePath;
    const known = Object.keys((e.parentSchema as any)?.properties ?? {});
    return `unknown key ${parent ? `${name(parent)}.` : ""}"${key}"${didYouMean(key, known)}`;
  }
  if (e.keyword === "minItems") return `${name(e.instancePath)} must not be empty`;
  if (e.keyword === "required") return `${name(e.instancePath) || "the file"} needs "${e.params.missingProperty}" (${expected(e.parentSchema)})`;
  return `${name(e.instancePath)} must be ${expected(e.parentSchema)}, not ${shown(e.data)}`;
}

/** Whether a URL carries user:password@ (or a user alone); one URL parsing refuses, whether hideUserinfo would mask some. */
function hasUserinfo(text: string): boolean {
  try {
    const url = new URL(text);
    return url.username !== "" || url.password !== "";
  } catch {
    return hideUserinfo(text) !== text;
  }
}

/**
 * What is wrong with a target URL, said after its setting's name, or
 * undefined. Credentials are refused (they would be written wherever the URL
 * is, and are never repeated); so are a query or fragment (the suite appends
 * /api/... to the URL: they would be lost or break every path) and what URL
 * parsing refuses (a space, a port beyond 65535), before anything is written.
 */
export function targetUrlProblem(text: string): string | undefined {
  if (hasUserinfo(text)) return `holds credentials (${hideUserinfo(text)}): give the URL without them, the user as username (--username) and the password through ONTAP_PASSWORD or passwordEnv (--password-env); a URL's credentials would be written wherever the URL is`;
  if (!/^https?:\/\//i.test(text)) return undefined; // the pattern says what it must be
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `is not a valid URL: ${JSON.stringify(text)} (a space, a bad port or host?)`;
  }
  if (url.search || url.hash || /[?#]/.test(text)) return `holds a query or fragment (${JSON.stringify(text)}): give the base URL only, such as https://cluster.example.com (the suite adds /api/... to it)`;
  return undefined;
}

/** "/disable/1/reason" → "disable[1].reason" */
function keyPath(pointer: string): string {
  return pointer.split("/").filter(Boolean).map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join("");
}

/** The YAML document of a settings file (`what`: "config", "targets"), or one readable line and exit 2. */
function readSettingsYaml(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read the ${what} file ${file}`);
  }
  try {
    return parse(text);
  } catch (e) {
    throw new UsageError(`the ${what} file ${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
}

export function readConfigFile(file: string | undefined): FileConfig {
  if (!file) return {};
  const data: unknown = readSettingsYaml(file, "config");
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) throw new UsageError(`the config file ${file} must hold a mapping of settings`);
  if ("password" in data) throw new UsageError(`the config file ${file} holds a password: use passwordEnv (the name of an environment variable) instead`);
  if (!validateFile(data)) throw new UsageError(`the config file ${file}: ${describeError(validateFile.errors![0], keyPath)}`);
  return data as FileConfig;
}

/** One target of a fleet's inventory (run --targets): its name, URL and settings (no reportDir, no keep). */
export type InventoryTarget = Omit<FileConfig, "reportDir" | "keep"> & { name: string; target: string };

export interface InventoryFile {
  defaults?: Omit<FileConfig, "target" | "reportDir" | "keep">;
  targets: InventoryTarget[];
}

const validateInventory: ValidateFunction = ajv.getSchema(`${SCHEMA.$id}#/$defs/inventory`)!;

/**
 * A fleet's inventory (run --targets FILE), validated with the same schema
 * as the config file (its `$defs/inventory`): exit 2 with one line naming
 * the key, as for --config. No password anywhere; names are unique.
 */
export function readInventoryFile(file: string): InventoryFile {
  const data: any = readSettingsYaml(file, "targets");
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new UsageError(`the targets file ${file} must hold a mapping with a list of targets: targets: [{name, target, ...}]`);
  const holders = [data.defaults, ...(Array.isArray(data.targets) ? data.targets : [])];
  for (const h of holders) {
    if (h && typeof h === "object" && "password" in h) throw new UsageError(`the targets file ${file} holds a password${typeof h.name === "string" ? ` (target "${h.name}")` : ""}: use passwordEnv (the name of an environment variable) instead`);
  }
  const unknown = Object.keys(data).filter((k) => k !== "defaults" && k !== "targets");
  if (unknown.length) throw new UsageError(`the targets file ${file}: unknown key "${unknown[0]}"${didYouMean(unknown[0], ["defaults", "targets"])} (it holds defaults and targets)`);
  if (!validateInventory(data)) {
    const e = validateInventory.errors![0];
    // The schema's first error names the entry by index; say its name too.
    const name = (pointer: string) => {
      const path = keyPath(pointer);
      const m = /^\/targets\/(\d+)/.exec(pointer);
      const named = m ? data.targets[Number(m[1])]?.name : undefined;
      return typeof named === "string" ? path.replace(/^targets\[\d+\]/, (t) => `${t} ("${named}")`) : path;
    };
    throw new UsageError(`the targets file ${file}: ${describeError(e, name)}`);
  }
  const seen = new Set<string>();
  for (const t of (data as InventoryFile).targets) {
    if (seen.has(t.name)) throw new UsageError(`the targets file ${file}: the name "${t.name}" is given to two targets (names must be unique)`);
    seen.add(t.name);
  }
  return data as InventoryFile;
}

/** A flag's or variable's text as the setting's type (a whole number for integer settings); what is not is left for the schema to refuse. */
function coerce(key: string, text: string): unknown {
  const type = SCHEMA.properties[key]?.type;
  if (type === "integer" && /^-?\d+$/.test(text.trim())) return Number(text);
  if (type === "boolean") return /^(1|true|yes)$/i.test(text) ? true : /^(0|false|no|)$/i.test(text) ? false : text;
  return text;
}

/** Check one setting given as text (a flag or an environment variable) against its schema property. */
export function checkSetting<K extends keyof FileConfig>(key: K, text: string, source: string): FileConfig[K] {
  const problem = key === "target" ? targetUrlProblem(text) : undefined;
  if (problem) throw new UsageError(`${source} ${problem}`);
  const value = coerce(key, text);
  const validate = validateKey.get(key)!;
  if (!validate(value)) throw new UsageError(`${source} must be ${expected(validate.errors![0].parentSchema ?? SCHEMA.properties[key])}, not ${shown(value)}`);
  return value as FileConfig[K];
}

/** A commander argument parser for the flag of a setting: the same schema property as the config key. */
export function flagSetting<K extends keyof FileConfig>(key: K, flag: string) {
  return (text: string): FileConfig[K] => {
    try {
      return checkSetting(key, text, flag);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

/** A setting from its environment variable, checked like the flag, or undefined. */
export function envSetting<K extends keyof FileConfig>(key: K, variable: keyof typeof ENV, env: NodeJS.ProcessEnv = process.env): FileConfig[K] | undefined {
  const text = env[variable];
  if (text === undefined || text === "") return undefined;
  return checkSetting(key, text, variable);
}
