// --only PATTERN: check ids matched by globs (`licenses.*`, `*.schema`) or
// plain prefixes (`licensing`).
export function matchesOnly(patterns: string[], id: string, area: string): boolean {
  if (!patterns.length) return true;
  return patterns.some((p) => {
    if (p === area || id === p || id.startsWith(`${p}.`)) return true;
    const re = new RegExp(`^${p.replace(/[.+?^$()|[\]\\{}]/g, "\\$&").replace(/\*/g, ".*")}$`);
    return re.test(id);
  });
}
