// Baselines: known failures that do not fail a run. A baseline is a previous
// summary.json (its failures and errors) or a YAML list of entries
// {id, reason, owner?, expires?}. An entry whose `expires` date has passed no
// longer covers its check (the failure counts again, and says so); an entry
// whose check now passes is listed as fixed (remove it); an id that names no
// check is refused (exit 2), since a misspelt id would hide nothing and
// report nothing. A baseline records what checks that ran found: the errors
// the harness writes for checks it never judged are never known, never taken
// from a summary.json and never written (`recordable`).
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { isDateTime } from "../src/contract/formats.ts";
import { SUMMARY_FORMAT } from "./summary-format.ts";
import { summaryFileProblem } from "./summary-file.ts";

export interface BaselineEntry {
  id: string;
  reason: string;
  owner?: string;
  /** YYYY-MM-DD: the entry covers its check up to and including this day (UTC). */
  expires?: string;
}

export interface Baseline {
  file: string;
  entries: Map<string, BaselineEntry>;
}

/** What a baseline did to one run. */
export interface BaselineOutcome {
  /** Failures and errors covered by an entry: reported, not counted. */
  known: BaselineEntry[];
  /** Failures whose entry has expired: they count again. */
  expired: BaselineEntry[];
  /** Entries whose check passed in this run: remove them from the baseline. */
  fixed: BaselineEntry[];
}

const ENTRY_KEYS = new Set(["id", "reason", "owner", "expires"]);

/** A day as YYYY-MM-DD in UTC. */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export class BaselineError extends Error {}

/**
 * The errors the harness writes for a check it did not judge (README "Exit
 * codes", "Ctrl-C", "When the target misbehaves"): the run could not start
 * ("not run: …", run-command.ts and a fleet's stand-in), Ctrl-C came before
 * the check ended ("interrupted"), its suite file never reported it ("the
 * check did not run: …"), or the target refused the credentials in the middle
 * of the run (the check that met the 401, and every check whose request was
 * then not sent: context.ts, transport.ts).
 */
const NOT_JUDGED = /^(?:not run: |interrupted(?::|$)|the check did not run: )|the target refused the credentials (?:in the middle of the run|earlier in this run)/;

/** A failure or error a baseline may record and cover: one a check that ran found, not one the harness wrote for a check it did not judge. */
export function recordable(c: { status: string; message?: string }): boolean {
  return c.status === "fail" || (c.status === "error" && !NOT_JUDGED.test(c.message ?? ""));
}

/**
 * Read a baseline; `checkIds` are the ids of the suite, and an entry naming
 * none of them is an error (with the nearest id, when `suggest` finds one).
 */
export function readBaseline(file: string, checkIds: ReadonlySet<string>, suggest: (id: string) => string = () => ""): Baseline {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new BaselineError(`cannot read the baseline ${file}`);
  }
  let data: any;
  try {
    data = parse(text);
  } catch (e) {
    // The parser's first line says where (", at line 2, column 1"), as for --config.
    throw new BaselineError(`the baseline ${file} is not valid ${/\.json$/i.test(file) ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0].replace(/:$/, "")}`);
  }
  const entries = new Map<string, BaselineEntry>();
  if (data?.format === SUMMARY_FORMAT) {
    const problem = summaryFileProblem(file, data);
    if (problem) throw new BaselineError(`the baseline ${problem}`);
    if (Array.isArray(data.targets)) throw new BaselineError(`the baseline ${file} is a fleet run's summary.json: give the summary.json of one target's run (targets/<name>/summary.json in the fleet's run directory)`);
    for (const c of data.checks as Array<{ id: string; status: string; message?: string }>) {
      if (!recordable(c)) continue;
      entries.set(c.id, { id: c.id, reason: `${c.status === "fail" ? "failed" : "errored"} in the baseline run of ${data.start}: ${(c.message ?? "").split("\n")[0]}` });
    }
  } else {
    const list = Array.isArray(data) ? data : data?.known;
    if (!Array.isArray(list)) throw new BaselineError(`the baseline ${file} must be a summary.json or a YAML list of {id, reason, owner?, expires?}`);
    list.forEach((e: any, i: number) => {
      const where = `the baseline ${file}, entry ${i + 1}`;
      if (!e || typeof e !== "object" || Array.isArray(e)) throw new BaselineError(`${where} must be a mapping {id, reason, owner?, expires?}`);
      const unknown = Object.keys(e).find((k) => !ENTRY_KEYS.has(k));
      if (unknown) throw new BaselineError(`${where}: unknown key "${unknown}" (an entry holds id, reason, owner and expires)`);
      if (typeof e.id !== "string" || !e.id) throw new BaselineError(`${where} needs an id (a check id)`);
      if (typeof e.reason !== "string" || !e.reason.trim()) throw new BaselineError(`${where} (${e.id}) needs a reason`);
      if (e.owner !== undefined && (typeof e.owner !== "string" || !e.owner.trim())) throw new BaselineError(`${where} (${e.id}): owner must be a name`);
      if (e.expires !== undefined) {
        // A day of the calendar: Date.parse takes 2027-02-30 for March 2; the contract's date-time judgement does not.
        const shaped = typeof e.expires === "string" && /^\d{4}-\d{2}-\d{2}$/.test(e.expires);
        if (!shaped || !isDateTime(`${e.expires}T00:00:00Z`)) throw new BaselineError(`${where} (${e.id}): expires must be a date YYYY-MM-DD, not ${JSON.stringify(e.expires)}${shaped ? " (no such day)" : ""}`);
      }
      if (entries.has(e.id)) throw new BaselineError(`${where}: ${e.id} is listed twice`);
      entries.set(e.id, { id: e.id, reason: e.reason, ...(e.owner ? { owner: e.owner } : {}), ...(e.expires ? { expires: e.expires } : {}) });
    });
  }
  for (const id of entries.keys()) {
    if (!checkIds.has(id)) throw new BaselineError(`the baseline ${file} names "${id}", which is not a check${suggest(id)}`);
  }
  return { file, entries };
}

/** Which failures a baseline covers on `day`, which entries expired, and which now pass. An error the harness wrote for a check it did not judge is none of these: it stays an error. */
export function applyBaseline(baseline: Baseline | undefined, checks: ReadonlyArray<{ id: string; status: string; message?: string }>, day = today()): BaselineOutcome {
  const outcome: BaselineOutcome = { known: [], expired: [], fixed: [] };
  if (!baseline) return outcome;
  for (const c of checks) {
    const entry = baseline.entries.get(c.id);
    if (!entry) continue;
    if (recordable(c)) {
      if (entry.expires && entry.expires < day) outcome.expired.push(entry);
      else outcome.known.push(entry);
    } else if (c.status === "pass") outcome.fixed.push(entry);
  }
  return outcome;
}

/** How an entry reads in one line: "reason (owner: x, expires 2026-03-01)". */
export function describeEntry(e: BaselineEntry): string {
  const more = [e.owner ? `owner: ${e.owner}` : "", e.expires ? `expires ${e.expires}` : ""].filter(Boolean);
  return more.length ? `${e.reason} (${more.join(", ")})` : e.reason;
}

/**
 * A baseline file (YAML) for the failures and errors of a run (those it may record): the entries of
 * `previous` are kept as they were for checks that still fail; the others get
 * the failure's first line as their reason, to be edited.
 */
export function baselineYaml(checks: ReadonlyArray<{ id: string; status: string; message?: string }>, opts: { start: string; target: string; previous?: Baseline }): string {
  const entries = checks
    .filter(recordable)
    .map((c) => opts.previous?.entries.get(c.id) ?? { id: c.id, reason: (c.message ?? c.status).split("\n")[0] });
  const header = [
    `# ontap-conformance baseline: the failures of the run of ${opts.start} against ${opts.target}.`,
    "# Each entry: id, reason (why it is accepted: edit it), owner (who removes it) and expires (YYYY-MM-DD:",
    "# after that day the failure counts again). Use with: ontap-conformance run --baseline FILE",
  ];
  return `${header.join("\n")}\n${entries.length ? stringify(entries, { lineWidth: 0 }) : "[]\n"}`;
}
