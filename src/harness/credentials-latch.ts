// The run's credentials latch: after a 401, no client of the run sends
// another request, so that repeated failed logins cannot lock the account.
// Clients in one process learn of it at once, through memory. The run's other
// processes (vitest workers) learn of it through a file in the run directory.
//
// The file's directory is watched (inotify and the like) rather than the file
// looked for before every request: on a busy 2-core machine that stat cost
// about 6 µs of a 70 µs request (bench row 1). Where the directory cannot be
// watched, the file is looked for before every request, as before.
import { existsSync, readFileSync, watch, writeFileSync, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";

/** Latch files written or seen by this process, with the request that met the 401. */
const refusals = new Map<string, string>();

export class CredentialsLatch {
  private watcher?: FSWatcher;

  constructor(private readonly file: string) {
    try {
      const name = basename(file);
      this.watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
        // Some platforms do not say which file changed.
        if (changed === null || String(changed) === name) this.look();
      });
      this.watcher.on("error", () => this.stopWatching());
    } catch {
      // Not watchable (no such directory, no inotify instances left): look before every request.
      this.watcher = undefined;
    }
    this.look();
  }

  /** The request that met a 401 anywhere in the run, if one did. */
  refusedOn(): string | undefined {
    return refusals.get(this.file) ?? (this.watcher ? undefined : this.look());
  }

  /** A 401 met by this process: known to its clients at once, to the others through the file. */
  set(what: string): void {
    if (!refusals.has(this.file)) refusals.set(this.file, what);
    try {
      writeFileSync(this.file, what, { flag: "wx" });
    } catch {
      // Another worker latched first: its request is the one the run reports.
    }
  }

  close(): void {
    this.stopWatching();
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Read the file if it is there. Its creation may be seen before its text: an empty file still latches. */
  private look(): string | undefined {
    if (existsSync(this.file)) {
      try {
        const what = readFileSync(this.file, "utf8").trim();
        if (what || !refusals.has(this.file)) refusals.set(this.file, what || "an earlier request");
      } catch {
        // Removed meanwhile (the run ended): what was seen stands.
      }
    }
    return refusals.get(this.file);
  }
}
