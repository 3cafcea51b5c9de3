// Every check of the suite is made by defineCheck. It records where the check
// is defined (the line that holds its id or, for a check made from a
// template, its rule: `list --json` definedAt), and refuses at load a spec
// pointer that does not resolve or an oracle suites/oracles/ does not
// export, so the trace from a check to its spec element and its oracle can
// never point nowhere.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { compareVersions, getOperation, loadSpec, resolveSpecPointer } from "../src/contract/index.ts";
import type { Area, Check } from "../src/harness/check.ts";
import * as oracles from "./oracles/index.ts";

/**
 * What a suite file writes for a check. definedAt is found by defineCheck,
 * and `since` computed: the release that introduced the check's operation
 * and the query parameters it `uses` (x-ontap-introduced). A check writes
 * `since` itself only for a behaviour the spec does not gate (a docs note:
 * "starting with ONTAP 9.11.1 ..."), later than what the spec says.
 */
export type CheckDefinition = Omit<Check, "definedAt">;

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const HERE = fileURLToPath(import.meta.url);
const sources = new Map<string, string[]>();

function linesOf(file: string): string[] {
  let lines = sources.get(file);
  if (!lines) sources.set(file, (lines = readFileSync(file, "utf8").split("\n")));
  return lines;
}

/** The file and line that called defineCheck, from a stack trace (tsx and vitest map it to the TypeScript source). */
function caller(): { file: string; line: number } {
  for (const frame of (new Error().stack ?? "").split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^()]*?):(\d+):\d+\)?\s*$/.exec(frame.trim());
    if (!m) continue;
    const file = m[1].startsWith("file://") ? fileURLToPath(m[1]) : m[1];
    if (file !== HERE) return { file, line: Number(m[2]) };
  }
  throw new Error("defineCheck: the stack trace names no caller");
}

/**
 * `path:line` of the line that holds the check's id as a literal ("jobs.get.not-found", also in a table
 * row that a helper turns into checks), else of the first line holding `id:` at or after the call (a
 * template's rule).
 */
function definedAt(id: string): string {
  const { file, line } = caller();
  const lines = linesOf(file);
  const literal = lines.findIndex((l) => l.includes(`"${id}"`));
  if (literal >= 0) return `${relative(ROOT, file)}:${literal + 1}`;
  for (let i = line - 1; i < lines.length && i < line + 40; i++) {
    if (/\bid:\s*["'`]/.test(lines[i])) return `${relative(ROOT, file)}:${i + 1}`;
  }
  throw new Error(`defineCheck called at ${relative(ROOT, file)}:${line}: no "id:" line follows`);
}

/** The release the check needs by the spec: its operation's x-ontap-introduced and that of each parameter it uses (undefined: every release). */
export function specSince(def: Pick<CheckDefinition, "id" | "operation" | "uses">): string | undefined {
  const op = getOperation(def.operation);
  const gates = [op.introduced, ...(def.uses ?? []).map((name) => {
    const p = op.params.find((x) => x.name === name);
    if (!p) throw new Error(`${def.id}: uses ${name}, which ${def.operation} does not have`);
    return p.introduced;
  })].filter((v): v is string => v !== undefined);
  const latest = gates.sort(compareVersions).pop();
  return latest && compareVersions(latest, loadSpec()["x-ontap-versions"].oldest) > 0 ? latest : undefined;
}

/**
 * The naming scheme of check ids and areas (CONFORMANCE.md's header says it
 * in words). An id is `<subject>.<aspect>.<rule>`: the subject is a resource
 * (the last segment of its collection's or singleton's path) or a family of
 * checks made once per operation or across operations; each subject has its
 * area, or takes its operation's tag (the families made per operation).
 * A check of a resource may instead be in `conventions` when it enforces a
 * rule every collection follows (spec/conventions.md, made per collection).
 */
export const SUBJECTS: Readonly<Record<string, Area | "the operation's tag">> = {
  cluster: "cluster",
  nodes: "cluster",
  licenses: "licensing",
  software: "software",
  packages: "software",
  history: "software",
  jobs: "jobs",
  examples: "the operation's tag",
  errors: "the operation's tag",
  boundary: "conventions",
  framework: "conventions",
};

/** Why an id or area breaks the naming scheme, if it does. */
export function namingProblem(c: Pick<Check, "id" | "area" | "operation">): string | undefined {
  const m = /^([a-z]+)\.([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(c.id);
  if (!m) return `the id is not <subject>.<aspect>.<rule> (three kebab-case parts)`;
  const area = SUBJECTS[m[1]];
  if (!area) return `the subject ${m[1]} is none of ${Object.keys(SUBJECTS).join(", ")}`;
  const expected = area === "the operation's tag" ? getOperation(c.operation).tags[0] : area;
  const isResource = !["examples", "errors", "boundary", "framework"].includes(m[1]);
  if (c.area !== expected && !(isResource && c.area === "conventions")) return `the area is ${c.area}, where ${m[1]} checks are in ${expected}${isResource ? " (or conventions)" : ""}`;
  return undefined;
}

export function defineCheck(def: CheckDefinition): Check {
  const naming = namingProblem(def);
  if (naming) throw new Error(`${def.id}: ${naming}`);
  if (!def.spec.length) throw new Error(`${def.id}: a check names at least one element of spec/ontap.yaml (spec)`);
  for (const p of def.spec) {
    try {
      resolveSpecPointer(p);
    } catch (e) {
      throw new Error(`${def.id}: the spec pointer ${p} does not resolve (${(e as Error).message})`);
    }
  }
  if (def.oracle !== null && typeof (oracles as Record<string, unknown>)[def.oracle] !== "function") {
    throw new Error(`${def.id}: the oracle ${def.oracle} is not a function suites/oracles/ exports`);
  }
  const gate = specSince(def);
  if (def.since && gate && compareVersions(def.since, gate) <= 0) throw new Error(`${def.id}: since ${def.since} repeats what the spec says (${gate}, x-ontap-introduced of ${def.operation}${def.uses?.length ? ` and ${def.uses.join(", ")}` : ""}); leave it out`);
  const since = def.since ?? gate;
  return { ...def, ...(since ? { since } : {}), definedAt: definedAt(def.id) };
}
