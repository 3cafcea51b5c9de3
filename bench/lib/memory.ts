// The resident memory of a process and all its descendants, sampled from
// /proc (Linux): the peak of the sum over the tree, and of the process
// count. A fleet run's footprint is its own plus its targets' processes
// (and Allure's, while the report is made).
import { readdirSync, readFileSync } from "node:fs";

const PAGE = 4096;

/** pid -> [ppid, rss bytes] of every process that can be read. */
function processes(): Map<number, [number, number]> {
  const all = new Map<number, [number, number]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const rss = Number(readFileSync(`/proc/${name}/statm`, "utf8").split(" ")[1]) * PAGE;
      all.set(Number(name), [ppid, rss]);
    } catch {
      // Gone meanwhile.
    }
  }
  return all;
}

/** The summed RSS and the process count of `root` and its descendants now. */
export function treeRss(root: number): { bytes: number; count: number } {
  const all = processes();
  const children = new Map<number, number[]>();
  for (const [pid, [ppid]] of all) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let bytes = 0;
  let count = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    const p = all.get(pid);
    if (!p) continue;
    bytes += p[1];
    count++;
    stack.push(...(children.get(pid) ?? []));
  }
  return { bytes, count };
}

/** Sample a process tree every `everyMs` until stopped: the peak summed RSS and the most processes seen at once. */
export function sampleTree(root: number, everyMs = 250): { stop(): { peakBytes: number; peakProcesses: number; samples: number } } {
  let peakBytes = 0;
  let peakProcesses = 0;
  let samples = 0;
  const take = () => {
    const { bytes, count } = treeRss(root);
    samples++;
    peakBytes = Math.max(peakBytes, bytes);
    peakProcesses = Math.max(peakProcesses, count);
  };
  take();
  const timer = setInterval(take, everyMs);
  return { stop: () => { clearInterval(timer); return { peakBytes, peakProcesses, samples }; } };
}
