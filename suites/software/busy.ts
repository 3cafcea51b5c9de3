// A cluster in the middle of an update answers some requests with a
// documented refusal instead of doing them (ref §3: 10551357 "a previous
// update is still in progress" on PATCH /cluster/software and on POST
// /cluster/software/download). A check whose precondition does not hold on
// such a cluster ends as a skip that names the state; and a request that can
// change an update under way (pause, resume, cancel) is never sent to one.
import { SOFTWARE_DOWNLOAD_CODES, SOFTWARE_MODIFY_CODES } from "../../src/contract/index.ts";
import { backoff } from "../../src/harness/backoff.ts";
import type { CheckContext } from "../../src/harness/context.ts";
import { isTerminal } from "../oracles/index.ts";

/** The documented answer of a cluster that is busy with a download: one runs at a time (ref §3 POST download, 10551382). */
export const DOWNLOAD_RUNNING = SOFTWARE_DOWNLOAD_CODES.DOWNLOAD_RUNNING;

/** The documented answer of a cluster that is busy with an update. */
export const UPDATE_IN_PROGRESS = SOFTWARE_MODIFY_CODES.UPDATE_IN_PROGRESS;

/** The update state the target reports (undefined: none, no update was ever started), and whether an update is under way (any state but the final ones). */
export async function updateState(ctx: CheckContext): Promise<{ state?: string; underWay: boolean }> {
  const r = await ctx.call("software_get", { query: { fields: "state" } });
  const state: unknown = r.body?.state;
  return typeof state === "string" ? { state, underWay: !isTerminal(state) } : { underWay: false };
}

/** The update state when an update is under way (any state but the final ones), else undefined. */
export async function updateUnderWay(ctx: CheckContext): Promise<string | undefined> {
  const s = await updateState(ctx);
  return s.underWay ? s.state : undefined;
}

/** Skip, saying why, when an update is under way on the target. */
export async function skipIfUpdating(ctx: CheckContext, why: string): Promise<void> {
  const state = await updateUnderWay(ctx);
  if (state) ctx.skip(`an update is under way on the target (state ${state}): ${why}`);
}

/**
 * Before a check starts a download: a cluster runs one download at a time
 * and refuses another with 10551382 while one runs (someone else's, or the
 * one an earlier check left behind when it stopped early). Wait, polling
 * GET /cluster/software/download with backoff, until no download runs, at
 * most the job time limit; then skip, saying why.
 */
export async function awaitNoDownload(ctx: CheckContext, why: string): Promise<void> {
  const limit = ctx.jobTimeoutMs;
  const deadline = Date.now() + limit;
  const wait = backoff(5, 1000);
  for (;;) {
    const r = await ctx.call("software_download_get", { query: { fields: "state" } });
    if (r.body?.state !== "running") return;
    if (Date.now() > deadline) ctx.skip(`a download is running on the target and did not end within ${Math.round(limit / 1000)} s: ${why}`);
    await wait();
  }
}
