// What the run itself changed on the target, recorded from its own requests
// and answers as they happen: the licenses its keys stand for, the resources
// a 201/202 answer named in its Location header, and the deletes the target
// accepted. Teardown removes exactly what this ledger says the run created and
// nothing else; whatever else changed during the run was done by someone else
// and is reported, never undone (README "Running against production").
//
// The ledger is a file in the run directory, appended one JSON line per entry
// as each write is sent and as each answer arrives, so the run's workers
// share it and an interrupted run (Ctrl-C) still knows what it made. It
// holds package names, serial numbers, versions and paths, never a key or a
// password.
import { appendFileSync, existsSync, readFileSync } from "node:fs";

export type LedgerEntry =
  /**
   * A license the run asked the target to install (its key stands for this package and serial); `status` is
   * the answer. Written ahead too, with status 0, before the request is sent: should the answer never be
   * read (the run interrupted, the connection lost mid-request), teardown still knows what the request
   * may have installed (`request` ties the two together; an `answered` entry says the answer came).
   */
  | { kind: "license"; package: string; serial: string; check: string; status: number; request?: string }
  /** A write of the run, recorded before it is sent (`request` ties it to its `answered` entry). */
  | { kind: "sent"; method: string; operation: string; check: string; request: string }
  /** The answer to a write the ledger recorded ahead arrived: what it installed is in the entries with its status. */
  | { kind: "answered"; request: string; status: number }
  /** A resource a 201/202 answer of the run's POST named in its Location header. */
  | { kind: "created"; operation: string; href: string; check: string; status: number }
  /** A DELETE of the run that the target accepted (2xx). */
  | { kind: "deleted"; operation: string; path: string; check: string; status: number };

let requests = 0;

/** An id for a write recorded ahead, unique in the run (the workers are processes or threads of one run). */
export function ledgerRequestId(): string {
  return `${process.pid}-${Math.random().toString(36).slice(2, 8)}-${++requests}`;
}

/** The requests recorded ahead whose answer came. */
function answeredRequests(ledger: readonly LedgerEntry[]): Set<string> {
  return new Set(ledger.flatMap((e) => (e.kind === "answered" ? [e.request] : [])));
}

/** The licenses the ledger attributes to the run: those answered as installed, and those of requests whose answer never came. */
export function licensesMadeBy(ledger: readonly LedgerEntry[]): Array<{ package: string; serial: string }> {
  const answered = answeredRequests(ledger);
  return ledger.flatMap((e) => (e.kind === "license" && (e.status !== 0 || (e.request !== undefined && !answered.has(e.request))) ? [{ package: e.package, serial: e.serial }] : []));
}

/** The run's writes whose answer never came (the run stopped, or the connection failed, before it did): they may have changed the target. */
export function unansweredWrites(ledger: readonly LedgerEntry[]): Array<Extract<LedgerEntry, { kind: "sent" }>> {
  const answered = answeredRequests(ledger);
  return ledger.flatMap((e) => (e.kind === "sent" && !answered.has(e.request) ? [e] : []));
}

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
