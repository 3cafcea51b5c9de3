// The docs' own mistakes, by name (spec/quirks.yaml). A violation that matches
// a quirk is a named warning in lenient mode and a failure under --strict.
import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { QUIRKS_PATH } from "./spec.ts";

export interface Quirk {
  id: string;
  title: string;
  operations: string[];
  /** JSON pointer pattern into the body; `*` matches one segment, a trailing `**` any rest. */
  pointer: string;
  keyword: string;
  property?: string;
  docs_show?: string;
  definition_says?: string;
  sources?: string[];
  stance: "warn";
}

let cached: Quirk[] | undefined;

export function loadQuirks(): Quirk[] {
  if (!cached) {
    cached = existsSync(QUIRKS_PATH) ? ((parse(readFileSync(QUIRKS_PATH, "utf8"))?.quirks ?? []) as Quirk[]) : [];
  }
  return cached;
}

export function pointerMatches(pattern: string, pointer: string): boolean {
  const p = pattern.split("/").slice(1);
  const s = pointer.split("/").slice(1);
  for (let i = 0; i < p.length; i++) {
    if (p[i] === "**") return true;
    if (i >= s.length) return false;
    if (p[i] !== "*" && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

/** The quirk that explains a violation, if any. */
export function findQuirk(operationId: string, v: { pointer: string; keyword: string; property?: string }): Quirk | undefined {
  return loadQuirks().find(
    (q) =>
      (q.operations.includes(operationId) || q.operations.includes("*")) &&
      q.keyword === v.keyword &&
      (q.property === undefined || q.property === v.property) &&
      pointerMatches(q.pointer, v.pointer),
  );
}
