// A summary.json given back to the CLI (compare, merge, run --baseline) is
// checked against its own JSON Schema (summary.schema.json) before anything
// reads it: a file with the right `format` but `checks` missing, null or
// holding null, or a fleet whose targets lack their `runDir`, is refused
// with one line that names what is wrong, instead of a JavaScript error from
// deep inside the reader (and before merge writes anything). One validation
// for every reader, so they cannot disagree about what a summary is.
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { isDateTime } from "../src/contract/formats.ts";

const validators = new Map<boolean, ValidateFunction>();

/**
 * The keys a reader of another run's summary needs: a summary.json written
 * by an earlier version of the tool (kept as a CI baseline, compared
 * against) lacks keys later versions require, or has keys they dropped, and
 * is still read. Only `merge`, which makes one run of shards of the same run,
 * holds its inputs to the whole schema.
 */
const READ_NEEDS = new Set(["format", "checks", "targets", "runDir", "id", "status"]);

/** The schema as a reader of an earlier version's file applies it: unknown keys allowed, only READ_NEEDS required. */
function forReading(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forReading);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "additionalProperties" && v === false) continue;
    out[k] = k === "required" && Array.isArray(v) ? v.filter((r) => READ_NEEDS.has(r)) : forReading(v);
  }
  return out;
}

/** The schema's validator (whole, or as a reader applies it), compiled on first use (about 0.1 s: a run without a summary to read does not pay it). */
function validator(whole: boolean): ValidateFunction {
  let validate = validators.get(whole);
  if (!validate) {
    const schema = JSON.parse(readFileSync(new URL("./summary.schema.json", import.meta.url), "utf8"));
    const ajv = new Ajv2020({ allErrors: false, verbose: true });
    // The schema's one format; the contract's date-time is ajv-formats' own judgement (src/contract/formats.ts).
    ajv.addFormat("date-time", { type: "string", validate: isDateTime });
    validate = ajv.compile(whole ? schema : (forReading(schema) as object));
    validators.set(whole, validate);
  }
  return validate;
}

/** "/targets/0/runDir" → "targets[0].runDir" */
function keyPath(pointer: string): string {
  return pointer.split("/").filter(Boolean).map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join("");
}

const shown = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "a mapping" : JSON.stringify(v));
const TYPES: Record<string, string> = { array: "a list", object: "a mapping", string: "a text", integer: "a whole number", number: "a number", boolean: "true or false" };

/** One schema error in words: where, and what it must be. */
function describe(e: ErrorObject): string {
  const where = keyPath(e.instancePath);
  switch (e.keyword) {
    case "required":
      return `${where || "it"} has no "${e.params.missingProperty}"`;
    case "type":
      return `${where} must be ${String(e.params.type).split(",").map((t) => TYPES[t] ?? t).join(" or ")}, not ${shown(e.data)}`;
    case "additionalProperties":
      return `unknown key ${where ? `${where}.` : ""}"${e.params.additionalProperty}"`;
    case "const":
      return `${where} must be ${JSON.stringify(e.params.allowedValue)}, not ${shown(e.data)}`;
    case "enum":
      return `${where} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, not ${shown(e.data)}`;
    case "false schema":
      // The schema's only false schemas: the keys of one target's run, which a fleet's summary keeps under targets[].
      return `"${where}" does not belong in a fleet run's summary (it has targets)`;
    default:
      return `${where || "it"} ${e.message}${e.data !== undefined && typeof e.data !== "object" ? `, not ${shown(e.data)}` : ""}`;
  }
}

/**
 * Why `data` (read from `file`) is not a summary.json of this format, in one
 * line ("<file> is not a valid summary.json: checks must be a list, not
 * null"), or undefined when it is one. The caller has already seen its
 * `format`.
 */
export function summaryFileProblem(file: string, data: unknown, opts: { whole?: boolean } = {}): string | undefined {
  const check = validator(Boolean(opts.whole));
  if (check(data)) return undefined;
  return `${file} is not a valid summary.json: ${describe(check.errors![0])}`;
}
