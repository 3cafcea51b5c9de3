// What the run itself changed on the target, recorded from its own requests
// and answers as they happen: the licenses its keys stand for, the resources
// a 201/202 answer named in its Location header, and the deletes the target
// accepted. Teardown removes exactly what this ledger says the run created and
// nothing else; whatever else changed during the run was done by someone else
// and is reported, never undone (README "Running against production").
//
// The ledger is a file in the run directory, appended one JSON line per entry
// as each answer arrives, so the run's workers share it and an interrupted run
// (Ctrl-C) still knows what it made. It holds package names, serial numbers,
// versions and paths, never a key or a password.
import { appendFileSync, existsSync, readFileSync } from "node:fs";

export type LedgerEntry =
  /** A license the run asked the target to install (its key stands for this package and serial); `status` is the answer. */
  | { kind: "license"; package: string; serial: string; check: string; status: number }
  /** A resource a 201/202 answer of the run's POST named in its Location header. */
  | { kind: "created"; operation: string; href: string; check: string; status: number }
  /** A DELETE of the run that the target accepted (2xx). */
  | { kind: "deleted"; operation: string; path: string; check: string; status: number };

export class Ledger {
  private readonly memory: LedgerEntry[] = [];

  /** @param file where entries are appended (none: kept in memory, for tests and benches) */
  constructor(private readonly file?: string) {}

  record(entry: LedgerEntry): void {
    this.memory.push(entry);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  /** Entries recorded by this process (the file holds every worker's). */
  get entries(): readonly LedgerEntry[] {
    return this.memory;
  }

  /** Every entry of a run's ledger file, from all its workers. */
  static read(file: string): LedgerEntry[] {
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8").split("\n").filter(Boolean).flatMap((line) => {
      try {
        return [JSON.parse(line) as LedgerEntry];
      } catch {
        // A line cut short by a worker killed mid-write: the rest still counts.
        return [];
      }
    });
  }
}
