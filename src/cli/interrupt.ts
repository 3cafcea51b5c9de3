// Ctrl-C during `run`. The first stops the suites: vitest runs no further
// check, and the one under way is abandoned (it sends nothing more:
// executeCheck), and the run command restores the target, writes the reports
// with what it has and exits 130. The second exits at once, restoring nothing.
import type { Reporter, Vitest } from "vitest/node";
import { EXIT } from "./exit-codes.ts";

export class Interrupt {
  interrupted = false;
  private vitest?: Vitest;
  private foreign = new Set<(...args: unknown[]) => void>();
  private readonly onSignal = () => this.signal();

  constructor(private readonly say: (line: string) => void) {}

  install(): void {
    this.foreign = new Set(process.listeners("SIGINT") as Array<(...args: unknown[]) => void>);
    process.on("SIGINT", this.onSignal);
  }

  dispose(): void {
    process.off("SIGINT", this.onSignal);
  }

  /**
   * A reporter that hands over the running vitest, and removes the SIGINT
   * handler vitest's logger adds: it exits the process 1 ms after Ctrl-C,
   * which would leave the target as the interrupted check left it.
   */
  reporter(): Reporter {
    return {
      onInit: (vitest) => {
        this.vitest = vitest;
        for (const l of process.listeners("SIGINT")) {
          if (l !== this.onSignal && !this.foreign.has(l as never)) process.off("SIGINT", l as never);
        }
        if (this.interrupted) void vitest.cancelCurrentRun("keyboard-input");
      },
    };
  }

  private signal(): void {
    if (this.interrupted) {
      this.say("interrupted again: exiting now, the target is NOT restored");
      process.exit(EXIT.INTERRUPTED);
    }
    this.interrupted = true;
    this.say("interrupted: stopping the suites, then restoring the target (Ctrl-C again exits at once)");
    void this.vitest?.cancelCurrentRun("keyboard-input");
  }
}
