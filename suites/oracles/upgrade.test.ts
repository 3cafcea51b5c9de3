import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { actionAllowed, checkTransitions, isTerminal, reachable, rejectionCodes, UPGRADE_EDGES, UPGRADE_STATES, type UpgradeState } from "./upgrade.ts";
import { checkJobDescription, checkJobProgress, JOB_STATES } from "./jobs.ts";

describe("upgrade state graph", () => {
  it("final states", () => {
    expect(["completed", "canceled", "failed"].every(isTerminal)).toBe(true);
    expect(["in_progress", "waiting", "paused_by_user", "paused_on_error", "pause_pending", "cancel_pending"].some(isTerminal)).toBe(false);
  });

  it("actions per state (resume/cancel only when paused; pause only while running)", () => {
    expect(actionAllowed("in_progress", "pause")).toBe(true);
    expect(actionAllowed("waiting", "pause")).toBe(true);
    expect(actionAllowed("paused_by_user", "pause")).toBe(false);
    expect(actionAllowed("paused_by_user", "resume")).toBe(true);
    expect(actionAllowed("paused_on_error", "resume")).toBe(true);
    expect(actionAllowed("in_progress", "resume")).toBe(false);
    expect(actionAllowed("paused_by_user", "cancel")).toBe(true);
    expect(actionAllowed("in_progress", "cancel")).toBe(false); // 10551524: must pause first
    expect(actionAllowed("completed", "cancel")).toBe(false);
    expect(actionAllowed("completed", "pause")).toBe(false);
    expect(actionAllowed("in_progress", "stop")).toBe(false);
    expect(rejectionCodes("in_progress", "cancel")).toContain("10551524");
    expect(rejectionCodes("completed", "resume")).toContain("10551303");
    expect(rejectionCodes("paused_by_user", "resume")).toEqual([]);
  });

  it("every edge stays within the nine states, and final states have none", () => {
    for (const s of UPGRADE_STATES) {
      for (const t of UPGRADE_EDGES[s]) expect(UPGRADE_STATES).toContain(t);
      if (isTerminal(s)) expect(UPGRADE_EDGES[s]).toEqual([]);
    }
  });

  it("legal flows from the docs pass", () => {
    expect(checkTransitions(["in_progress", "in_progress", "waiting", "in_progress", "completed"])).toEqual([]);
    expect(checkTransitions(["in_progress", "pause_pending", "paused_by_user", "in_progress", "completed"])).toEqual([]);
    expect(checkTransitions(["in_progress", "paused_on_error", "cancel_pending", "canceled"])).toEqual([]);
    expect(checkTransitions(["in_progress", "completed"])).toEqual([]);
    expect(checkTransitions(["in_progress", "canceled"])).toEqual([]); // pause and cancel between two polls
    expect(checkTransitions(["pause_pending", "in_progress"])).toEqual([]); // paused and resumed between polls
  });

  it("flags leaving a final state without a new update", () => {
    const v = checkTransitions(["in_progress", "completed", "in_progress"]);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule: "upgrade-transition", pointer: "/observations/2" });
    expect(v[0].message).toBe("the upgrade state went from completed (observation 2) to in_progress (observation 3), which cannot happen: completed is final until a new update is started");
    expect(checkTransitions(["canceled", "paused_by_user"])[0].rule).toBe("upgrade-transition");
    expect(checkTransitions(["failed", "completed"])[0].rule).toBe("upgrade-transition");
    expect(checkTransitions(["in_progress", "completed", "in_progress"], { newUpdateAt: [2] })).toEqual([]);
  });

  it("flags a pending cancel that does not end the update", () => {
    expect(checkTransitions(["cancel_pending", "completed"])[0].rule).toBe("upgrade-transition");
    expect(checkTransitions(["cancel_pending", "in_progress"])[0].rule).toBe("upgrade-transition");
    expect(checkTransitions(["cancel_pending", "failed"])).toEqual([]);
  });

  it("flags states outside the enum", () => {
    expect(checkTransitions(["in_progress", "in-progress"])[0].rule).toBe("upgrade-state-unknown");
  });

  it("property: any walk of the graph (observed with skips) passes", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), fc.array(fc.boolean(), { maxLength: 30 }), (choices, keep) => {
        const walk: UpgradeState[] = ["in_progress"];
        for (const c of choices) {
          const next = UPGRADE_EDGES[walk[walk.length - 1]];
          if (next.length === 0) break;
          walk.push(next[c % next.length]);
        }
        const observed = walk.filter((_, i) => i === 0 || keep[i % Math.max(1, keep.length)] !== false);
        expect(checkTransitions(observed)).toEqual([]);
      }),
    );
  });

  it("property: a pair is flagged exactly when the target is unreachable", () => {
    fc.assert(
      fc.property(fc.constantFrom(...UPGRADE_STATES), fc.constantFrom(...UPGRADE_STATES), (a, b) => {
        expect(checkTransitions([a, b]).length === 0).toBe(reachable(a).has(b));
      }),
    );
  });
});

describe("jobs", () => {
  it("legal progress passes", () => {
    expect(checkJobProgress(["queued", "running", "running", "success"])).toEqual([]);
    expect(checkJobProgress(["running", "paused", "running", "failure", "failure"])).toEqual([]);
    expect(checkJobProgress(["queued", "success"])).toEqual([]);
  });
  it("flags leaving a final state, going back, and unknown states", () => {
    const v = checkJobProgress(["running", "success", "running"]);
    expect(v).toHaveLength(1);
    expect(v[0].message).toBe("the job went from success (observation 2) to running (observation 3), which cannot happen: success is final");
    expect(checkJobProgress(["success", "failure"])[0].rule).toBe("job-transition");
    expect(checkJobProgress(["running", "queued"])[0].message).toContain("never goes back to queued");
    expect(checkJobProgress(["running", "error"])[0]).toMatchObject({ rule: "job-state-unknown" });
  });
  it("property: any monotone sequence passes", () => {
    fc.assert(
      fc.property(fc.nat({ max: 5 }), fc.array(fc.constantFrom("running", "paused"), { maxLength: 6 }), fc.nat({ max: 4 }), fc.constantFrom("success", "failure"), (q, middle, tail, end) => {
        const states = [...Array(q).fill("queued"), ...middle, ...Array(tail).fill(end)];
        expect(checkJobProgress(states)).toEqual([]);
        expect(JOB_STATES).toEqual(expect.arrayContaining(states));
      }),
    );
  });

  it("description names the request", () => {
    const job = { uuid: "f587d316-5feb-11e8-b0e0-005056956dfc", description: "PATCH /api/cluster/software", state: "success" };
    expect(checkJobDescription(job, { method: "PATCH", path: "/api/cluster/software" })).toEqual([]);
    expect(checkJobDescription(job, { method: "patch", path: "/cluster/software?action=pause" })).toEqual([]);
    expect(checkJobDescription({ description: "DELETE /api/cluster/software/packages/9.8.0" }, { method: "DELETE", path: "/api/cluster/software/packages/9.8.0" })).toEqual([]);
    const v = checkJobDescription({ description: "POST /api/cluster/software/download" }, { method: "PATCH", path: "/api/cluster/software" });
    expect(v[0]).toMatchObject({ rule: "job-description", expected: "PATCH /api/cluster/software" });
    expect(v[0].message).toBe('the job started by PATCH /api/cluster/software is described as "POST /api/cluster/software/download", which does not name that request');
    expect(checkJobDescription({}, { method: "PATCH", path: "/api/cluster/software" })[0].message).toContain("no description");
    expect(checkJobDescription({ description: "PATCH /cluster/software" }, { method: "PATCH", path: "/api/cluster/software" })[0].rule).toBe("ambiguous");
  });
});
