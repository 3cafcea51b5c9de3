// Every check of the suite, by area. `list` and the run read this; the
// *.suite.ts files hand the same tables to vitest.
import type { Check } from "../src/harness/check.ts";
import { conventionsChecks } from "./conventions/checks.ts";
import { licensingChecks } from "./licensing/checks.ts";
import { softwareChecks } from "./software/checks.ts";
import { jobsChecks } from "./jobs/checks.ts";

export function allChecks(): Check[] {
  return [...conventionsChecks, ...licensingChecks, ...softwareChecks, ...jobsChecks];
}
