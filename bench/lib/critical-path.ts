// The critical path of a latency-bound run, from the requests' own timing.
//
// A request chain is a run of requests each sent after the previous one was
// answered. Two requests whose time intervals overlap were in flight at the
// same time, so neither waited for the other; two that do not overlap
// happened one after the other. The longest chain of a check is therefore
// the largest set of pairwise non-overlapping intervals (the longest chain
// of the interval order), found greedily by earliest end.
//
// Checks of one suite file run one after another (sum of their chains);
// suite files may run in parallel (max over files); discovery runs before
// any file. So: critical path = discovery chain + max over files of the sum
// of its checks' chains, times the latency of one request.
export interface Interval {
  start: number;
  end: number;
}

export function longestChain(intervals: readonly Interval[]): number {
  let count = 0;
  let lastEnd = -Infinity;
  for (const iv of [...intervals].sort((a, b) => a.end - b.end)) {
    if (iv.start >= lastEnd) {
      count++;
      lastEnd = iv.end;
    }
  }
  return count;
}

export interface CriticalPath {
  /** Requests on the critical path. */
  requests: number;
  /** The file whose checks make it. */
  file: string;
  /** Per file: the sum of its checks' chains. */
  perFile: Record<string, number>;
  /** Every request chain of every file, one after another (the path if files ran sequentially). */
  sequentialRequests: number;
}

export function criticalPath(discoveryChain: number, chainsByFile: Record<string, number[]>): CriticalPath {
  const perFile = Object.fromEntries(Object.entries(chainsByFile).map(([f, chains]) => [f, chains.reduce((a, b) => a + b, 0)]));
  const [file, longest] = Object.entries(perFile).reduce((best, cur) => (cur[1] > best[1] ? cur : best), ["(none)", 0] as [string, number]);
  const all = Object.values(perFile).reduce((a, b) => a + b, 0);
  return { requests: discoveryChain + longest, file, perFile, sequentialRequests: discoveryChain + all };
}
