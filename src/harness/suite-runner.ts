// Turns a table of checks into vitest tests. Each test ends as one of
// pass | fail | skip | disabled | error; the CheckResult travels to the
// reporters in the test's meta, so results never depend on parsing output.
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { compareVersions } from "../contract/index.ts";
import { CheckError, CheckFailure, CheckSkip, profileAllows, type Area, type Check, type CheckResult } from "./check.ts";
import { CheckContext } from "./context.ts";
import { HttpClient } from "./transport.ts";
import { matchesOnly } from "./select.ts";
import "./run-config.ts";

declare module "vitest" {
  interface TaskMeta {
    check?: CheckResult;
  }
}

/** Why a check does not run on this target, if it does not. */
export function notApplicable(check: Check, cfg: ReturnType<typeof inject<"ontapRun">>): { status: "skip" | "disabled"; reason: string } | undefined {
  if (cfg.disabled[check.id]) return { status: "disabled", reason: `disabled by configuration: ${cfg.disabled[check.id]}` };
  if (!matchesOnly(cfg.only, check.id, check.area)) return { status: "disabled", reason: `not selected by --only ${cfg.only.join(",")}` };
  if (!profileAllows(cfg.profile, check.profile)) return { status: "skip", reason: `needs the ${check.profile} profile (this run: ${cfg.profile})` };
  if (check.since && cfg.info.version && compareVersions(cfg.info.version, check.since) < 0) {
    return { status: "skip", reason: `introduced in ONTAP ${check.since}; the target runs ${cfg.info.version}` };
  }
  return undefined;
}

export function defineSuite(area: Area, checks: Check[]): void {
  const cfg = inject("ontapRun");
  describe(area, () => {
    let http: HttpClient;
    beforeAll(() => {
      http = new HttpClient({ ...cfg.target });
    });
    afterAll(async () => {
      await http?.close();
    });
    for (const check of checks) {
      it(check.id, async (t) => {
        const started = Date.now();
        const { run: _run, ...meta } = check;
        const result: CheckResult = { ...meta, status: "pass", warnings: [], durationMs: 0, exchanges: [] };
        t.task.meta.check = result;
        const na = notApplicable(check, cfg);
        if (na) {
          result.status = na.status;
          result.message = na.reason;
          t.skip(na.reason);
          return;
        }
        const ctx = new CheckContext(cfg.info, http, check.id);
        let thrown: unknown;
        try {
          await check.run(ctx);
        } catch (e) {
          thrown = e;
        }
        result.durationMs = Date.now() - started;
        result.warnings = ctx.warnings;
        result.exchanges = ctx.exchanges;
        if (thrown instanceof CheckSkip) {
          result.status = "skip";
          result.message = thrown.reason;
          t.skip(thrown.reason);
          return;
        }
        if (thrown instanceof CheckFailure) {
          result.status = "fail";
          result.message = thrown.message;
        } else if (thrown instanceof CheckError) {
          result.status = "error";
          result.message = thrown.message;
        } else if (thrown) {
          // An assertion library or a bug in the check: the suite broke, not the target.
          result.status = "error";
          result.message = `the check itself broke: ${(thrown as Error)?.message ?? String(thrown)}`;
        }
        if (result.status !== "pass") throw new Error(`[${result.status}] ${result.message}`);
      });
    }
  });
}
