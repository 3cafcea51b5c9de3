// The Allure result files of a run, as the HTML report is made from them:
// read one per check, and compared with what summary.json says of each check.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { allureMessage } from "../../reports/allure.ts";
import type { SummaryCheck } from "../../reports/summary.ts";

/** The results in `dir` (an allure-results directory; of a fleet, those labelled with `target`), by check id (the story label); each check once. */
export function readAllureResults(dir: string, target?: string): Map<string, any> {
  const byId = new Map<string, any>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith("-result.json"))) {
    const r = JSON.parse(readFileSync(join(dir, f), "utf8"));
    if (target !== undefined && !r.labels.some((l: any) => l.name === "target" && l.value === target)) continue;
    const id = r.labels.find((l: any) => l.name === "story")?.value ?? r.name;
    expect(byId.has(id), `one result per check: ${id}`).toBe(false);
    byId.set(id, r);
  }
  return byId;
}

const STATUS = { pass: "passed", fail: "failed", error: "broken", skip: "skipped", disabled: "skipped" } as const;

/** Every check of `checks` has one finished result in `results` with its verdict: status, message, known, warning tag. */
export function expectSettled(results: Map<string, any>, checks: readonly SummaryCheck[]): void {
  expect([...results.keys()].sort()).toEqual(checks.map((c) => c.id).sort());
  for (const c of checks) {
    const r = results.get(c.id);
    const seen = { status: r.status, stage: r.stage, message: r.statusDetails?.message, known: r.statusDetails?.known ?? false, warning: r.labels.some((l: any) => l.name === "tag" && l.value === "warning") };
    expect(seen, c.id).toEqual({ status: STATUS[c.status], stage: "finished", message: allureMessage(c), known: Boolean(c.known), warning: c.warnings.length > 0 });
  }
}
