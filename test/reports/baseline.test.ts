// What a baseline may cover: the failures and errors of checks that ran. The
// errors the harness writes for checks it did not judge (the run could not
// start, Ctrl-C, a request not sent after a 401) stay errors whatever the
// baseline lists, and a baseline never takes or writes them.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { applyBaseline, baselineYaml, readBaseline, type Baseline } from "../../reports/baseline.ts";
import { SUMMARY_FORMAT } from "../../reports/summary-format.ts";

/** The messages the harness writes for checks it did not judge, as the run writes them. */
const NOT_JUDGED = {
  "could.not-run": "not run: cannot reach the target: connection refused by 127.0.0.1:1: is the target running and the port right?",
  "fleet.stand-in": "not run: the run of this target ended without a report (killed by SIGKILL)",
  "ctrl.c": "interrupted",
  "fleet.not-started": "interrupted: the fleet run was stopped before this target started",
  "suite.not-loaded": "the check did not run: suites/phases/all-reads.suite.ts: boom",
  "met.the-401": "GET /api/cluster/licensing/licenses answered 401: the target refused the credentials in the middle of the run (the session expired, or the password or account changed); no further requests are sent, so that repeated failed logins cannot lock the account",
  "after.the-401": "GET /api/cluster/nodes: not sent: the target refused the credentials earlier in this run (401 on GET /api/cluster/licensing/licenses); no further requests are sent, so that repeated failed logins cannot lock the account",
};
/** Errors and failures of checks that ran: a baseline covers these. */
const RAN = {
  "a.check.broke": ["error", "the check itself broke: x is undefined"],
  "a.check.slow": ["error", "the check did not finish within 1000 ms, the per-check limit (--check-timeout; default 4 × --timeout, at least 120 s): it was stopped there"],
  "a.check.failed": ["fail", "num_records is 3 but 2 records came back"],
} as const;

const checks = [
  ...Object.entries(NOT_JUDGED).map(([id, message]) => ({ id, status: "error", message })),
  ...Object.entries(RAN).map(([id, [status, message]]) => ({ id, status, message })),
];
const everyone: Baseline = { file: "known.yaml", entries: new Map(checks.map((c) => [c.id, { id: c.id, reason: "BURT 1" }])) };

describe("a baseline covers what checks that ran found, never what the harness wrote for checks it did not judge", () => {
  it("applyBaseline: known (or expired) only for the failures and errors of checks that ran", () => {
    const outcome = applyBaseline(everyone, checks, "2026-01-01");
    expect(outcome.known.map((e) => e.id).sort()).toEqual(Object.keys(RAN).sort());
    expect(outcome.fixed).toEqual([]);
    const expiring: Baseline = { ...everyone, entries: new Map([...everyone.entries].map(([id, e]) => [id, { ...e, expires: "2001-01-01" }])) };
    expect(applyBaseline(expiring, checks, "2026-01-01").expired.map((e) => e.id).sort()).toEqual(Object.keys(RAN).sort());
  });

  it("a previous summary.json gives no entry for them, and --write-baseline writes none", () => {
    const dir = mkdtempSync(join(tmpdir(), "baseline-"));
    const file = join(dir, "summary.json");
    writeFileSync(file, JSON.stringify({ format: SUMMARY_FORMAT, start: "2026-01-01T00:00:00.000Z", checks }));
    const read = readBaseline(file, new Set(checks.map((c) => c.id)));
    expect([...read.entries.keys()].sort()).toEqual(Object.keys(RAN).sort());
    const written = parse(baselineYaml(checks, { start: "2026-01-01T00:00:00.000Z", target: "https://c" }));
    expect(written.map((e: { id: string }) => e.id).sort()).toEqual(Object.keys(RAN).sort());
  });
});
