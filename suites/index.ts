// Every check of the suite, by area. `list` and the run read this; the
// phase files (suites/phases/*.suite.ts) hand the same table to vitest,
// one file per phase so that phases run in order.
import { phaseOf, type Check, type Phase } from "../src/harness/check.ts";
import { conventionsChecks } from "./conventions/checks.ts";
import { propertyChecks } from "./conventions/properties.ts";
import { frameworkChecks } from "./conventions/framework.ts";
import { licensingChecks } from "./licensing/checks.ts";
import { softwareChecks } from "./software/checks.ts";
import { jobsChecks } from "./jobs/checks.ts";
import { errorChecks } from "./errors/checks.ts";
import { boundaryChecks } from "./boundary/checks.ts";
import { exampleChecks } from "./examples/checks.ts";
import { licensingProperties } from "./licensing/properties.ts";
import { softwareProperties } from "./software/properties.ts";

export function allChecks(): Check[] {
  return [...exampleChecks, ...conventionsChecks, ...frameworkChecks, ...licensingChecks, ...softwareChecks, ...jobsChecks, ...propertyChecks, ...licensingProperties, ...softwareProperties, ...errorChecks, ...boundaryChecks];
}

export function checksOfPhase(phase: Phase): Check[] {
  return allChecks().filter((c) => phaseOf(c) === phase);
}
