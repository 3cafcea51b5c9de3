// Every check of the suite is made by defineCheck. It records where the check
// is defined (the line that holds its id or, for a check made from a
// template, its rule: `list --json` definedAt), and refuses at load a spec
// pointer that does not resolve or an oracle suites/oracles/ does not
// export, so the trace from a check to its spec element and its oracle can
// never point nowhere.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveSpecPointer } from "../src/contract/index.ts";
import type { Check } from "../src/harness/check.ts";
import * as oracles from "./oracles/index.ts";

/** What a suite file writes for a check; definedAt is found by defineCheck. */
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

/** `path:line` of the first line holding `id:` at or after the call. */
function definedAt(): string {
  const { file, line } = caller();
  const lines = linesOf(file);
  for (let i = line - 1; i < lines.length && i < line + 40; i++) {
    if (/\bid:\s*["'`]/.test(lines[i])) return `${relative(ROOT, file)}:${i + 1}`;
  }
  throw new Error(`defineCheck called at ${relative(ROOT, file)}:${line}: no "id:" line follows`);
}

export function defineCheck(def: CheckDefinition): Check {
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
  return { ...def, definedAt: definedAt() };
}
