// The critical path of a latency-bound run, from the requests' own timing.
//
// A request chain is a run of requests each sent after the previous one was
// answered. Two requests whose time intervals overlap were in flight at the
// same time, so neither waited for the other; two that do not overlap
// happened one after the other. The longest chain of a check is therefore
// the largest set of pairwise non-overlapping intervals (the longest chain
// of the interval order), found greedily by earliest end.
//
// Checks run side by side (src/harness/suite-runner.ts), so no concurrency
// can make a run shorter than discovery's chain plus the longest chain of one
// check (bench row 4).
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
