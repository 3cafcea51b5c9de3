// The kill table a run of `ontap-conformance mutants --out` writes: every
// mutant with its fate and the checks that killed it, and per check the
// mutants that kill it. Read by `compare` and by `mutants --merge`.

export const MUTANTS_FORMAT = "ontap-conformance/mutants@1";

export interface KillRow {
  mutant: string;
  category: string;
  breaks: string;
  /** error: the run against this mutant could not complete (counted as not killed). */
  status: "killed" | "survived" | "equivalent" | "error";
  killedBy: string[];
}

export interface MutantsSummary {
  format: typeof MUTANTS_FORMAT;
  start: string;
  durationMs: number;
  shard?: string;
  reference: { failed: string[] };
  kills: KillRow[];
  /** check id → mutants that make it fail. */
  checkToMutants: Record<string, string[]>;
  /** Checks no mutant of this run made fail. */
  unkilledChecks: string[];
}
