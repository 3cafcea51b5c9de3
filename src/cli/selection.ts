// What a run selects, checked before anything is sent: every --only pattern
// and every `disable` entry of the config file must match at least one
// check, so that a typo is exit 2 with one line (and the nearest id), not a
// run that quietly tests nothing, or everything.
import type { Check } from "../harness/check.ts";
import { matchesOnly } from "../harness/select.ts";
import { UsageError } from "./exit-codes.ts";
import { didYouMean } from "./suggest.ts";

function globOf(id: string): RegExp {
  return new RegExp(`^${id.replace(/[.+?^$()|[\]\\{}]/g, "\\$&").replace(/\*/g, ".*")}$`);
}

/** The nearest check id, area or id prefix (`licenses`, or `licenses.*` for a glob) to a pattern that matched nothing. */
export function suggestCheck(pattern: string, checks: readonly Check[]): string {
  const prefixes = [...new Set(checks.map((c) => c.id.split(".")[0]))];
  const globs = pattern.includes("*") ? prefixes.map((p) => `${p}.*`) : [];
  return didYouMean(pattern, [...new Set([...checks.map((c) => c.id), ...checks.map((c) => c.area), ...prefixes, ...globs])]);
}

/** The longest --only pattern: longer than any check id by far, and short enough to make a regular expression of. */
const LONGEST_PATTERN = 200;

/** --only PATTERNS as a list; every pattern must select a check, and a value given must hold one. */
export function parseOnly(text: string | undefined, checks: readonly Check[], flag = "--only"): string[] {
  const patterns = text !== undefined ? text.split(",").map((s) => s.trim()).filter(Boolean) : [];
  // An empty value (an unset "$VAR", ",,,") is no selection: it must not become "every check".
  if (text !== undefined && !patterns.length) throw new UsageError(`${flag} gives no pattern (${JSON.stringify(text)}): name check ids, areas or globs, e.g. ${flag} licenses.*`);
  for (const p of patterns) {
    if (p.length > LONGEST_PATTERN) throw new UsageError(`${flag} has a pattern of ${p.length} characters (at most ${LONGEST_PATTERN}): "${p.slice(0, 40)}…"`);
    if (!checks.some((c) => matchesOnly([p], c.id, c.area))) throw new UsageError(`${flag} "${p}" matches no check${suggestCheck(p, checks)}; \`ontap-conformance list\` shows every id`);
  }
  return patterns;
}

/** The config file's `disable` entries as check id → reason; an entry that disables no check is an error. */
export function disabledBy(entries: ReadonlyArray<{ id: string; reason: string; operation?: string }> | undefined, checks: readonly Check[], file: string | undefined): Record<string, string> {
  const disabled: Record<string, string> = {};
  (entries ?? []).forEach((d, i) => {
    const pattern = globOf(d.id);
    const hit = checks.filter((c) => pattern.test(c.id) && (!d.operation || d.operation === c.operation));
    if (!hit.length) {
      const why = checks.some((c) => pattern.test(c.id)) ? ` with operation "${d.operation}"${didYouMean(d.operation!, new Set(checks.filter((c) => pattern.test(c.id)).map((c) => c.operation)))}` : suggestCheck(d.id, checks);
      throw new UsageError(`the config file ${file}: disable[${i}] "${d.id}" matches no check${why}`);
    }
    for (const c of hit) disabled[c.id] = d.reason;
  });
  return disabled;
}
