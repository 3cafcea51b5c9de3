// Reading a V8 .cpuprofile (node --cpu-prof): self and total time per
// function. bench/profile.ts prints them.
import { relative } from "node:path";
import { ROOT } from "./proc.ts";

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a function is: a project file relative to the root, or the module / node internal it came from. */
function where(frame: ProfileNode["callFrame"]): string {
  if (!frame.url) return "(native)";
  const file = frame.url.replace(/^file:\/\//, "");
  const rel = file.startsWith(ROOT) ? relative(ROOT, file) : file;
  // tsx's transformed sources keep no line numbers (every function reads as line 1): the file alone then.
  return `${rel.replace(/^.*node_modules\//, "node_modules/")}${frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : ""}`;
}

/** Self and total milliseconds per function (name + place), from a .cpuprofile. */
export function summarize(profile: CpuProfile): { totalMs: number; rows: Array<{ name: string; where: string; selfMs: number; totalMs: number }> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const key = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"}\t${where(n.callFrame)}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    self.set(key(node), (self.get(key(node)) ?? 0) + us);
    // Total: every function on the sample's stack, once (recursion counted once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  }
  const totalMs = [...selfUs.values()].reduce((a, b) => a + b, 0) / 1000;
  const rows = [...total.keys()].map((k) => {
    const [name, w] = k.split("\t");
    return { name, where: w, selfMs: (self.get(k) ?? 0) / 1000, totalMs: total.get(k)! / 1000 };
  });
  return { totalMs, rows };
}


/**
 * The two tables bench:profile and bench:profile-path print: the `top`
 * functions by self time, then by total time among `ours` (a filter on the
 * place, e.g. the project's files), each in ms, µs per request and share of
 * the busy time.
 */
export function printTables(summary: ReturnType<typeof summarize>, opts: { requests: number; top: number; ours: (where: string) => boolean; oursTitle: string; selfTitle: string }, print: (line: string) => void): void {
  const { totalMs, rows } = summary;
  const idle = rows.find((r) => r.name === "(idle)")?.selfMs ?? 0;
  const perRequest = (ms: number) => `${((ms * 1000) / opts.requests).toFixed(1)} µs`;
  const table = (title: string, sorted: typeof rows, pick: (r: (typeof rows)[number]) => number) => {
    print("");
    print(title);
    for (const r of sorted.slice(0, opts.top)) print(`  ${pick(r).toFixed(0).padStart(7)} ms ${perRequest(pick(r)).padStart(9)}/req  ${((pick(r) / (totalMs - idle)) * 100).toFixed(1).padStart(5)}%  ${r.name}  ${r.where}`);
  };
  const busy = rows.filter((r) => !["(idle)", "(root)", "(program)"].includes(r.name));
  table(opts.selfTitle, [...busy].sort((a, b) => b.selfMs - a.selfMs), (r) => r.selfMs);
  table(opts.oursTitle, busy.filter((r) => opts.ours(r.where)).sort((a, b) => b.totalMs - a.totalMs), (r) => r.totalMs);
}
