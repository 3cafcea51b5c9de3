// Every check of the suite, by area. `list` and the run read this; the
// phase files (suites/phases/*.suite.ts) hand the same table to vitest,
// one file per phase so that phases run in order.
import { PHASES, phaseOf, type Check, type Phase } from "../src/harness/check.ts";
import type { SuiteDefinition } from "../src/harness/suite-runner.ts";
import { licensesOfKey } from "../generators/license-keys.ts";
import { conventionsChecks } from "./conventions/checks.ts";
import { propertyChecks } from "./conventions/properties.ts";
import { frameworkChecks } from "./conventions/framework.ts";
import { licensingChecks } from "./licensing/checks.ts";
import { softwareChecks } from "./software/checks.ts";
import { jobsChecks } from "./jobs/checks.ts";
import { clusterChecks } from "./cluster/checks.ts";
import { errorChecks } from "./errors/checks.ts";
import { boundaryChecks } from "./boundary/checks.ts";
import { exampleChecks } from "./examples/checks.ts";
import { licensingProperties } from "./licensing/properties.ts";
import { softwareProperties } from "./software/properties.ts";

export function allChecks(): Check[] {
  return [...exampleChecks, ...conventionsChecks, ...frameworkChecks, ...licensingChecks, ...softwareChecks, ...jobsChecks, ...clusterChecks, ...propertyChecks, ...licensingProperties, ...softwareProperties, ...errorChecks, ...boundaryChecks];
}

export function checksOfPhase(phase: Phase): Check[] {
  return allChecks().filter((c) => phaseOf(c) === phase);
}

/** What a phase file hands the runner: its checks, every check of the suite (owners of contracts), and the key scheme for the ledger. */
export function suiteOf(phase: Phase): SuiteDefinition {
  return { checks: checksOfPhase(phase), all: allChecks(), licensesOf: (operationId, body, answer) => (operationId === "license_create" ? installedBy(body, answer) : []) };
}

/** Every check in one file, phases in order (a read-only run: suites/phases/all-reads.suite.ts). */
export function suiteOfAll(): SuiteDefinition {
  return { ...suiteOf("examples"), checks: PHASES.flatMap(checksOfPhase) };
}

/**
 * The licenses a license POST installed, as its own answer tells: every key's
 * on a 2xx; on an error that names the failed keys by index ("Failed to
 * install the license at index N", the message NetApp's Ansible modules parse,
 * ref §8), the keys at the other indices; otherwise none (nothing can be
 * attributed, so teardown must not delete anything on its strength).
 */
function installedBy(body: unknown, answer: { status: number; json?: unknown }): Array<{ package: string; serial: string }> {
  const keys = (body as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) return [];
  let failed: Set<number>;
  if (answer.status >= 200 && answer.status < 300) failed = new Set();
  else {
    const errors: unknown = (answer.json as { errors?: unknown })?.errors;
    if (!Array.isArray(errors) || !errors.length) return [];
    const indices = errors.map((e) => /\bat index (\d+)\b/.exec(String((e as { message?: unknown })?.message ?? ""))?.[1]);
    if (indices.some((i) => i === undefined)) return [];
    failed = new Set(indices.map(Number));
  }
  return keys.flatMap((k, i) => (typeof k === "string" && !failed.has(i) ? licensesOfKey(k) : []));
}
