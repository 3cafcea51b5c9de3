// The Allure results of a run, settled to the run's verdict before the HTML
// report is generated from them. The workers write a result per check they
// ran (allure-vitest), with a step per request; what only the run command
// knows is applied here, so that the report says what summary.json, JUnit,
// the terminal and the exit code say:
//   pass → passed; fail → failed (a departure from the contract); error →
//   broken (the suite or transport broke); skip and disabled → skipped, with
//   the reason as the message; a failure or error the baseline knows keeps
//   its status with `known` set (Allure 3 shows it as accepted and leaves it
//   out of the failure counts); an expired baseline entry says so.
// Every check of the run gets a result, including those no worker ran
// (skipped by profile or version, disabled, a phase with nothing to run).
// Warnings are listed in the description and tagged "warning". No stack
// trace is kept anywhere: the messages are the sentences the checks wrote.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeEntry } from "./baseline.ts";
import type { Summary, SummaryCheck } from "./summary.ts";

type AllureStatus = "passed" | "failed" | "broken" | "skipped";

/** The Allure status of a check's verdict. */
export function allureStatus(c: Pick<SummaryCheck, "status">): AllureStatus {
  switch (c.status) {
    case "pass":
      return "passed";
    case "fail":
      return "failed";
    case "error":
      return "broken";
    default:
      return "skipped";
  }
}

/** The message Allure shows for a check (undefined for a pass). */
export function allureMessage(c: SummaryCheck): string | undefined {
  if (c.status === "pass") return undefined;
  const message = c.message ?? "";
  if (c.known) return `known ${c.status === "fail" ? "failure" : "error"}, not counted (baseline: ${describeEntry(c.known)})\n\n${message}`;
  if (c.baselineExpired) return `the baseline entry expired on ${c.baselineExpired.expires} (${describeEntry(c.baselineExpired)}), so this counts again\n\n${message}`;
  if (c.status === "skip") return c.notTestedBecause ? `not tested (see ${c.notTestedBecause}): ${message}` : `skipped: ${message}`;
  if (c.status === "disabled") return message.startsWith("disabled") || message.startsWith("not selected") ? message : `disabled: ${message}`;
  return message;
}

const NOISE = new Set(["framework", "language", "host", "thread", "package"]);
const OURS = new Set(["parentSuite", "epic", "feature", "story", "severity"]);

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

function stripTraces(steps: any[] | undefined): void {
  for (const step of steps ?? []) {
    if (step.statusDetails) delete step.statusDetails.trace;
    stripTraces(step.steps);
  }
}

function warningsText(c: SummaryCheck): string {
  if (!c.warnings.length) return "";
  return `\n\n**Warnings (${c.warnings.length})**\n\n${c.warnings.map((w) => `- ${w.replace(/\n/g, " ")}`).join("\n")}`;
}

/**
 * Settle the results in `dir` to the summary's verdict: one result per check,
 * its status, message and warnings; returns how many results were written
 * for checks no worker reported.
 */
export function settleAllureResults(dir: string, summary: Summary, requirements: ReadonlyMap<string, { requirement: string; ref: string }>): number {
  mkdirSync(dir, { recursive: true });
  const byId = new Map<string, { file: string; data: any }>();
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (!name.endsWith("-result.json")) continue;
    const file = join(dir, name);
    const data = JSON.parse(readFileSync(file, "utf8"));
    const id = data.labels?.find((l: any) => l.name === "story")?.value ?? data.name;
    const earlier = byId.get(id);
    // A test reported twice (a run cancelled by Ctrl-C reports the one under way again): the later result stands.
    if (earlier) {
      const [older, newer] = (earlier.data.stop ?? 0) <= (data.stop ?? 0) ? [earlier, { file, data }] : [{ file, data }, earlier];
      rmSync(older.file, { force: true });
      byId.set(id, newer);
    } else byId.set(id, { file, data });
  }
  let added = 0;
  const start = Date.parse(summary.start);
  for (const c of summary.checks) {
    let entry = byId.get(c.id);
    if (!entry) {
      entry = {
        file: join(dir, `${randomUUID()}-result.json`),
        data: {
          uuid: randomUUID(),
          name: c.id,
          fullName: `ontap-conformance:${c.phase}:${c.id}`,
          historyId: md5(c.id),
          testCaseId: md5(c.id),
          stage: "finished",
          steps: [],
          attachments: [],
          parameters: [
            { name: "target", value: summary.target },
            { name: "ONTAP version", value: summary.ontapVersion ?? "unknown" },
            { name: "profile", value: summary.profile },
            { name: "seed", value: String(summary.seed) },
          ],
          labels: [],
          links: [],
          start,
          stop: start,
        },
      };
      added++;
    }
    const r = entry.data;
    // A test Ctrl-C cancelled is left "pending" by the reporter: settled, it is finished with the run's verdict.
    r.stage = "finished";
    r.status = allureStatus(c);
    const message = allureMessage(c);
    r.statusDetails = { ...(message ? { message } : {}), ...(c.known ? { known: true } : {}) };
    stripTraces(r.steps);
    // The labels a person reads (phase, area, operation, check, severity); the runner's own (framework, host, thread, package) are noise.
    // Every result is labelled alike (a check skipped before it started has only the runner's labels).
    r.labels = [
      ...(r.labels ?? []).filter((l: any) => !NOISE.has(l.name) && !OURS.has(l.name) && !(l.name === "tag" && l.value === "warning")),
      { name: "parentSuite", value: c.phase },
      { name: "epic", value: c.area },
      { name: "feature", value: c.operation },
      { name: "story", value: c.id },
      { name: "severity", value: c.severity },
      ...(c.warnings.length ? [{ name: "tag", value: "warning" }] : []),
    ];
    const req = requirements.get(c.id);
    const base = String(r.description || (req ? `${req.requirement}\n\nReference: ${req.ref}` : c.title)).split("\n\n**Warnings (")[0];
    r.description = `${base}${warningsText(c)}`;
    writeFileSync(entry.file, JSON.stringify(r));
  }
  return added;
}
