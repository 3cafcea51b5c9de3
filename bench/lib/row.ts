// What each benchmark row hands to the table and to the results file.
export interface RowResult {
  /** "1. Request path overhead" */
  name: string;
  /** The headline figure ("8,900 req/s"). */
  figure: string;
  /** The ratio the target is about ("0.62x of ceiling"). */
  ratio: string;
  target: string;
  met?: boolean;
  /** Further lines: every measurement behind the figure, and the method. */
  details: string[];
  data: Record<string, unknown>;
}

export interface BenchOptions {
  quick: boolean;
  /** Measured seconds per throughput sample. */
  sampleMs: number;
  warmupMs: number;
  /** Throughput samples are taken in order A B C … then … C B A (2 passes) unless quick. */
  passes: number;
  concurrency: number;
  log(line: string): void;
}
