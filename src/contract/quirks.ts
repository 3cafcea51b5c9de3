// The docs' own mistakes, by name (spec/quirks.yaml). A violation that matches
// a quirk is a named warning in lenient mode and a failure under --strict.
import { existsSync } from "node:fs";
import { readYamlFile } from "./yaml-file.ts";
import { QUIRKS_PATH } from "./spec.ts";

export interface Quirk {
  id: string;
  title: string;
  operations: string[];
  /** JSON pointer pattern into the body; `*` matches one segment, a trailing `**` any rest. */
  pointer?: string;
  /** Several pointer patterns. */
  pointers?: string[];
  keyword: string;
  property?: string;
  properties?: string[];
  /** The offending value, exactly. */
  value?: unknown;
  /** The offending value (as text) matches this regular expression. */
  value_pattern?: string;
  docs_show?: string;
  definition_says?: string;
  sources?: string[];
  /** disagreement: not a broken example, but sources that disagree about what a real cluster answers. */
  kind?: "disagreement";
  stance: "warn";
}

let cached: Quirk[] | undefined;

export function loadQuirks(): Quirk[] {
  if (!cached) {
    cached = existsSync(QUIRKS_PATH) ? (((readYamlFile(QUIRKS_PATH) as { quirks?: Quirk[] } | null)?.quirks ?? []) as Quirk[]) : [];
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
export function findQuirk(operationId: string, v: { pointer: string; keyword: string; property?: string; value?: unknown }): Quirk | undefined {
  return loadQuirks().find((q) => {
    if (!(q.operations.includes(operationId) || q.operations.includes("*")) || q.keyword !== v.keyword) return false;
    const patterns = q.pointers ?? (q.pointer !== undefined ? [q.pointer] : []);
    if (!patterns.some((p) => pointerMatches(p, v.pointer))) return false;
    if (q.property !== undefined && q.property !== v.property) return false;
    if (q.properties !== undefined && !q.properties.includes(v.property ?? "")) return false;
    if (q.value !== undefined && q.value !== v.value) return false;
    if (q.value_pattern !== undefined && !new RegExp(q.value_pattern).test(String(v.value))) return false;
    return true;
  });
}
