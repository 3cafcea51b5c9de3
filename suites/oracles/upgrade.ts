// The state graph of an automated non-disruptive upgrade as GET
// /cluster/software shows it (`software_reference.state`), and the `action`s
// PATCH /cluster/software accepts in each state.
//
// Sources ("Manage cluster software", spec/sources/002_d792e4551950e0af.txt,
// and ontap-reference §2.4, §3, §5.4):
// - PATCH with `version` starts an update ("Set the version field to trigger
//   the installation"); progress is shown as in_progress, with per-cluster or
//   per-phase `waiting` (MetroCluster example) while a step waits its turn.
// - "Setting the action field performs a pause, resume, or cancel operation on
//   an ongoing upgrade"; the pause example shows `pause_pending` right after
//   `action=pause`, before the update settles as `paused_by_user`.
// - `paused_on_error`: the update stops itself on an error (post-update checks
//   example) and waits for the user.
// - "An upgrade can only be resumed if it is in the paused state" (resume:
//   paused_by_user, paused_on_error → in_progress; error 10551303 "not in the
//   paused state").
// - Cancel: error 10551524 "The update must be paused before it can be
//   cancelled", 10551306 "cannot be cancelled now"; "When a request to cancel
//   an upgrade is successful, the upgrade state changes to either success or
//   failure" (read: cancel_pending → canceled | failed).
// - Pause: 10551300 "no update in progress to pause", 10551297 "no update in
//   progress found".
// - Clients (S5) stop polling at paused_by_user, paused_on_error, completed,
//   canceled, failed; of these only completed, canceled and failed are final
//   (the paused ones resume).
//
// Direct edges (a state may also repeat between polls):
//
//   (new update) ──► in_progress ◄──► waiting
//   in_progress, waiting ──► pause_pending ──► paused_by_user
//   in_progress, waiting, pause_pending ──► paused_on_error
//   in_progress, waiting ──► paused_by_user       (pause taking effect at once)
//   in_progress, waiting, pause_pending ──► completed | failed
//   paused_by_user, paused_on_error ──► in_progress   (action=resume)
//   paused_by_user, paused_on_error ──► cancel_pending ──► canceled | failed
//   paused_by_user, paused_on_error ──► canceled | failed
//   completed, canceled, failed: final until a new update is started.
//
// Polling may skip any number of states, so a transition between two
// observations is illegal only when no path of the graph leads from the first
// to the second: leaving a final state without a new update, and a pending
// cancel turning into anything but canceled or failed.
import { ptr, type Violation } from "./types.ts";

export const UPGRADE_STATES = ["in_progress", "waiting", "paused_by_user", "paused_on_error", "completed", "canceled", "failed", "pause_pending", "cancel_pending"] as const;
export type UpgradeState = (typeof UPGRADE_STATES)[number];
export type UpgradeAction = "pause" | "resume" | "cancel";

const FINAL: ReadonlySet<string | undefined> = new Set(["completed", "canceled", "failed"]);

/** Direct transitions (see the graph above). */
export const UPGRADE_EDGES: Readonly<Record<UpgradeState, readonly UpgradeState[]>> = {
  in_progress: ["waiting", "pause_pending", "paused_by_user", "paused_on_error", "completed", "failed"],
  waiting: ["in_progress", "pause_pending", "paused_by_user", "paused_on_error", "completed", "failed"],
  pause_pending: ["paused_by_user", "paused_on_error", "completed", "failed"],
  paused_by_user: ["in_progress", "cancel_pending", "canceled", "failed"],
  paused_on_error: ["in_progress", "cancel_pending", "canceled", "failed"],
  cancel_pending: ["canceled", "failed"],
  completed: [],
  canceled: [],
  failed: [],
};

function isState(s: string | undefined): s is UpgradeState {
  return s !== undefined && (UPGRADE_STATES as readonly string[]).includes(s);
}

/** Every state reachable from `from` in zero or more steps. */
export function reachable(from: UpgradeState): ReadonlySet<UpgradeState> {
  const seen = new Set<UpgradeState>([from]);
  const queue: UpgradeState[] = [from];
  while (queue.length) for (const n of UPGRADE_EDGES[queue.shift()!]) if (!seen.has(n)) seen.add(n), queue.push(n);
  return seen;
}

/** completed, canceled, failed: nothing follows without a new update. */
export function isTerminal(state: string): boolean {
  return FINAL.has(state);
}

/**
 * Where an update stops moving on its own: a final state, or paused
 * (paused_by_user, paused_on_error wait for a user's resume or cancel). A
 * client waiting for an update stops polling here (S5).
 */
export function isSettled(state: string | undefined): boolean {
  return FINAL.has(state) || state === "paused_by_user" || state === "paused_on_error";
}

/**
 * Whether the docs allow `action` in `state`. true means a server may accept
 * it ("Not all update operations support these actions"); false means it
 * must reject it.
 */
export function actionAllowed(state: string | undefined, action: string): boolean {
  switch (action) {
    case "pause":
      return state === "in_progress" || state === "waiting";
    case "resume":
    case "cancel":
      return state === "paused_by_user" || state === "paused_on_error";
    default:
      return false;
  }
}

/**
 * The documented error codes a server may use to reject `action` in `state`
 * (empty when it is allowed); `state` undefined: no update was ever started.
 */
export function rejectionCodes(state: string | undefined, action: string): string[] {
  if (actionAllowed(state, action)) return [];
  const idle = !isState(state) || isTerminal(state);
  switch (action) {
    case "pause":
      return ["10551300", "10551297"];
    case "resume":
      return idle ? ["10551297", "10551303", "10551434"] : ["10551303", "10551434"];
    case "cancel":
      return idle ? ["10551297", "10551306", "10551524"] : ["10551524", "10551306"];
    default:
      return ["262179", "262185", "262197"];
  }
}

export interface TransitionOptions {
  /** Indices i where a new update was started between observation i-1 and i. */
  newUpdateAt?: readonly number[];
}

/**
 * Illegal transitions in a sequence of polled `state` values. Rules:
 * `upgrade-state-unknown` (not one of the nine documented values),
 * `upgrade-transition` (no path of the documented graph leads there, even
 * with skipped observations).
 */
export function checkTransitions(observedStates: readonly (string | undefined)[], opts: TransitionOptions = {}): Violation[] {
  const out: Violation[] = [];
  const restarts = new Set(opts.newUpdateAt ?? []);
  let previous: { state: UpgradeState; index: number } | undefined;
  observedStates.forEach((state, index) => {
    if (!isState(state)) {
      out.push({ rule: "upgrade-state-unknown", pointer: ptr("observations", index), message: `observation ${index + 1} has state ${JSON.stringify(state)}, which is none of ${UPGRADE_STATES.join(", ")}`, received: state, expected: UPGRADE_STATES });
      return;
    }
    // A new update starts the graph afresh (its first state is not judged).
    if (previous && !restarts.has(index) && !reachable(previous.state).has(state)) {
      const why = isTerminal(previous.state) ? `${previous.state} is final until a new update is started` : `from ${previous.state} the update can only reach ${[...reachable(previous.state)].join(", ")}`;
      out.push({ rule: "upgrade-transition", pointer: ptr("observations", index), message: `the upgrade state went from ${previous.state} (observation ${previous.index + 1}) to ${state} (observation ${index + 1}), which cannot happen: ${why}`, received: [previous.state, state], expected: [...reachable(previous.state)] });
    }
    previous = { state, index };
  });
  return out;
}
