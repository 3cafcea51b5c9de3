// A vitest reporter living in the CLI process: collects each check's
// CheckResult from the test meta, prints progress (counts only: the phases
// run side by side, so the failures are listed once, by area, at the end),
// and hands the list back to the run command. A suite file that fails to
// load becomes an `error` result, so nothing is ever silently missing.
import type { Reporter, TestCase, TestModule } from "vitest/node";
import type { CheckResult } from "../harness/check.ts";

export class ResultsReporter implements Reporter {
  readonly results: CheckResult[] = [];
  readonly loadErrors: string[] = [];
  private done = 0;
  private failed = 0;
  private errors = 0;

  constructor(private readonly out: (line: string) => void, private readonly total: number) {}

  onTestCaseResult(test: TestCase): void {
    const meta = test.meta().check;
    if (!meta) return;
    // A run cancelled by Ctrl-C reports the tests under way a second time: one result per check.
    const earlier = this.results.findIndex((r) => r.id === meta.id);
    if (earlier >= 0) {
      this.results[earlier] = meta;
      return;
    }
    this.results.push(meta);
    this.done++;
    if (meta.status === "fail") this.failed++;
    if (meta.status === "error") this.errors++;
    if (this.done % 25 === 0) this.out(`  ... ${this.done}/${this.total} checks${this.failed || this.errors ? ` (so far ${this.failed} failed, ${this.errors} errors)` : ""}`);
  }

  onTestModuleEnd(mod: TestModule): void {
    for (const e of mod.errors()) this.loadErrors.push(`${mod.moduleId}: ${e.message}`);
  }
}
