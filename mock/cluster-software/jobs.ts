// Asynchronous jobs of the reference mock (/api/cluster/jobs/{uuid}):
// queued → running → success | failure, driven by the virtual clock (job
// states, ref §2.10; a failed job carries its code and message and, from 9.9,
// error{code, message}, ref §5.4; a job nobody knows is 404 code 4 "entry
// doesn't exist", ref §3 and §8; ref = spec/sources/ontap-reference.md).
import { randomUUID } from "node:crypto";
import { OntapError } from "../errors.ts";
import type { VirtualClock } from "../clock.ts";
import type { Schemas } from "../../src/contract/index.ts";

export interface Job {
  uuid: string;
  description?: string;
  state: Schemas["job_state"];
  message: string;
  code: number;
  start_time?: string;
  end_time?: string;
  error?: { code: string; message: string };
}

/** What a job's work decides: success, or an ONTAP error. */
export type JobOutcome = { ok: true; message?: string } | { ok: false; error: OntapError };

export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private readonly waiters = new Map<string, Array<(job: Job) => void>>();

  constructor(private readonly clock: VirtualClock) {}

  /**
   * A job that starts running after a moment and finishes after `durationMs`
   * of virtual time with what `work` decides at that point.
   */
  start(description: string, durationMs: number, work: () => JobOutcome): Job {
    const job: Job = { uuid: randomUUID(), description, state: "queued", message: "Queued", code: 0, start_time: this.clock.isoNow() };
    this.jobs.set(job.uuid, job);
    this.clock.schedule(Math.min(500, durationMs / 2), () => {
      job.state = "running";
      job.message = "Running";
    });
    this.clock.schedule(durationMs, () => {
      let outcome: JobOutcome;
      try {
        outcome = work();
      } catch (e) {
        outcome = { ok: false, error: e instanceof OntapError ? e : new OntapError(500, 262145, String((e as Error).message)) };
      }
      job.end_time = this.clock.isoNow();
      if (outcome.ok) {
        job.state = "success";
        job.message = outcome.message ?? "success";
        job.code = 0;
      } else {
        job.state = "failure";
        job.message = outcome.error.message;
        job.code = outcome.error.code;
        job.error = { code: String(outcome.error.code), message: outcome.error.message };
      }
      for (const w of this.waiters.get(job.uuid) ?? []) w(job);
      this.waiters.delete(job.uuid);
    });
    return job;
  }

  get(uuid: string): Job {
    const job = this.jobs.get(uuid);
    if (!job) throw new OntapError(404, 4, "entry doesn't exist", { target: "uuid" });
    return job;
  }

  /** The job once terminal, or undefined when `virtualMs` pass first. */
  waitFor(uuid: string, virtualMs: number): Promise<Job | undefined> {
    const job = this.get(uuid);
    if (job.state === "success" || job.state === "failure") return Promise.resolve(job);
    return new Promise((resolve) => {
      const timer = this.clock.schedule(virtualMs, () => resolve(undefined));
      const list = this.waiters.get(uuid) ?? [];
      list.push((j) => {
        timer.cancel();
        resolve(j);
      });
      this.waiters.set(uuid, list);
    });
  }

  /** Every job, in uuid order (a listing's natural order is its key's). */
  list(): Job[] {
    return [...this.jobs.values()].sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
  }

  /** A job that already ended (a scenario's history, e.g. the docs' example jobs). */
  seed(job: Job): void {
    this.jobs.set(job.uuid, structuredClone(job));
  }

  snapshot(): Job[] {
    return structuredClone([...this.jobs.values()]);
  }
}
