// The CLI's documented exit codes (README "Exit codes").
export const EXIT = {
  /** The target conforms (warnings allowed unless --strict). */
  CONFORMANT: 0,
  /** At least one check failed (or, for `compare`/`mutants`, a regression or a survivor). */
  NOT_CONFORMANT: 1,
  /** Could not run: bad flag, unreadable input, unreachable target, authentication failure. */
  CANNOT_RUN: 2,
  /**
   * Interrupted (Ctrl-C, 128 + SIGINT): the suites were stopped, the target
   * restored as far as possible, and the reports written with the checks that
   * ran (the rest as errors "interrupted"). A second Ctrl-C exits 130 at once.
   */
  INTERRUPTED: 130,
} as const;

/** An error that ends the command with one readable line and an exit code. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.CANNOT_RUN) {
    super(message);
    this.name = "UsageError";
  }
}
