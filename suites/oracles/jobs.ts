// Jobs (GET /cluster/jobs/{uuid}; ontap-reference §2.10, §5.4): `state`
// moves queued → running → success | failure, `paused` is possible while the
// job has not finished, and a finished job never changes again. The job's
// `description` names the request that started it ("PATCH
// /api/cluster/software" in the software docs' example).
import { isObject, ptr, show, type Violation } from "./types.ts";

export const JOB_STATES = ["queued", "running", "paused", "success", "failure"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Progress rank: a job never goes back to a lower rank. */
const RANK: Record<JobState, number> = { queued: 0, running: 1, paused: 1, success: 2, failure: 2 };

export function isJobTerminal(state: string | undefined): boolean {
  return state === "success" || state === "failure";
}

/**
 * Illegal moves in a sequence of polled job states. Rules: `job-state-unknown`
 * (e.g. `error`, which the getting-started page mentions but the schema does
 * not have), `job-transition` (back to queued, out of a final state, or from
 * one final state to the other).
 */
export function checkJobProgress(observedStates: readonly (string | undefined)[]): Violation[] {
  const out: Violation[] = [];
  let previous: { state: JobState; index: number } | undefined;
  observedStates.forEach((state, index) => {
    if (!(JOB_STATES as readonly (string | undefined)[]).includes(state)) {
      const hint = state === "error" ? " (the getting-started page says a failed job reports error, but the job schema's enum has failure)" : "";
      out.push({ rule: "job-state-unknown", pointer: ptr("observations", index), message: `observation ${index + 1} has job state ${show(state)}, which is none of ${JOB_STATES.join(", ")}${hint}`, received: state, expected: JOB_STATES });
      return;
    }
    const s = state as JobState;
    if (previous && previous.state !== s) {
      let why: string | undefined;
      if (isJobTerminal(previous.state)) why = `${previous.state} is final`;
      else if (RANK[s] < RANK[previous.state]) why = `a job never goes back to ${s}`;
      if (why) {
        out.push({ rule: "job-transition", pointer: ptr("observations", index), message: `the job went from ${previous.state} (observation ${previous.index + 1}) to ${s} (observation ${index + 1}), which cannot happen: ${why}`, received: [previous.state, s], expected: isJobTerminal(previous.state) ? [previous.state] : JOB_STATES.filter((x) => RANK[x] >= RANK[previous!.state]) });
      }
    }
    previous = { state: s, index };
  });
  return out;
}

function normalisePath(path: string): string {
  let p = path.trim();
  try {
    p = decodeURI(p);
  } catch {
    // keep as given
  }
  p = p.replace(/^https?:\/\/[^/]+/i, "").split("?")[0].replace(/\/{2,}/g, "/");
  if (!p.startsWith("/")) p = `/${p}`;
  if (!p.startsWith("/api/") && p !== "/api") p = `/api${p}`;
  return p.length > 1 ? p.replace(/\/$/, "") : p;
}

/**
 * The job's description names the request that started it: `<METHOD>
 * /api/<path>` (query strings are not part of it). Rules: `job-description`;
 * `ambiguous` when it names the path without the `/api` prefix.
 */
export function checkJobDescription(job: unknown, request: { method: string; path: string }): Violation[] {
  const method = request.method.toUpperCase();
  const path = normalisePath(request.path);
  const expected = `${method} ${path}`;
  const description = isObject(job) ? job.description : undefined;
  if (typeof description !== "string" || description.trim() === "") {
    return [{ rule: "job-description", pointer: "/description", message: `the job started by ${expected} has ${description === undefined ? "no description" : `description ${show(description)}`}, expected one naming "${expected}"`, received: description, expected }];
  }
  const m = /^\s*([A-Za-z]+)\s+(\S+)/.exec(description);
  if (m && m[1].toUpperCase() === method) {
    const named = m[2];
    if (normalisePath(named) === path) {
      if (!named.replace(/^https?:\/\/[^/]+/i, "").replace(/^\/+/, "").startsWith("api")) {
        return [{ rule: "ambiguous", pointer: "/description", message: `the job description ${show(description)} names ${method} ${named} without the /api prefix of "${expected}"`, received: description, expected }];
      }
      return [];
    }
  }
  return [{ rule: "job-description", pointer: "/description", message: `the job started by ${expected} is described as ${show(description)}, which does not name that request`, received: description, expected }];
}

export interface FinishedJobOptions {
  /** The target's release serves the job's `error` object (ONTAP 9.9 and later, ontap-reference §2.10). */
  errorObject?: boolean;
}

/**
 * What a finished job carries (ontap-reference §2.10, §5.4): a successful
 * job's `code`, where it has one, is 0; a failed job has a non-zero numeric
 * `code` and a `message` saying why, and from 9.9 an `error` with its code
 * and message. Rules: `job-success-code`, `job-failure-code`,
 * `job-failure-message`, `job-failure-error`. Nothing for a job that has not
 * finished.
 */
export function checkFinishedJob(job: unknown, opts: FinishedJobOptions = {}): Violation[] {
  const j = isObject(job) ? job : {};
  const out: Violation[] = [];
  if (j.state === "success" && j.code !== undefined && j.code !== 0) {
    out.push({ rule: "job-success-code", pointer: "/code", message: `a successful job carries code ${show(j.code)}`, received: j.code, expected: 0 });
  }
  if (j.state === "failure") {
    if (typeof j.code !== "number" || j.code === 0) out.push({ rule: "job-failure-code", pointer: "/code", message: `a failed job carries code ${show(j.code)}`, received: j.code, expected: "the job's final error code (not 0)" });
    if (typeof j.message !== "string" || !j.message) out.push({ rule: "job-failure-message", pointer: "/message", message: "a failed job carries no message", received: j.message, expected: "the error text in message" });
    const error = isObject(j.error) ? j.error : undefined;
    if (opts.errorObject && (typeof error?.code !== "string" || !error.code || typeof error?.message !== "string")) {
      out.push({ rule: "job-failure-error", pointer: "/error", message: "a failed job carries no error with code and message", received: j.error, expected: 'error: {"code": "<code>", "message": "..."} (ONTAP 9.9 and later)' });
    }
  }
  return out;
}
