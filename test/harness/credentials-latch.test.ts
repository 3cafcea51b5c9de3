// The run's credentials latch across processes: a 401 met by one vitest
// worker stops the others. The latch file's directory is watched, so no
// request pays a look at the file; where it cannot be watched, the file is
// looked for before every request. (Clients of one process share the latch
// through memory: test/harness/transport-faults.test.ts.)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { CredentialsLatch } from "../../src/harness/credentials-latch.ts";

/** Another process of the run latches, as a worker's HttpClient does. */
function latchFromAnotherProcess(file: string, what: string): void {
  execFileSync(process.execPath, ["-e", `require("node:fs").writeFileSync(${JSON.stringify(file)}, ${JSON.stringify(what)}, { flag: "wx" })`]);
}

describe("credentials latch", () => {
  it("sees another process's 401 through the watched directory", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "latch-")), "credentials-refused");
    const latch = new CredentialsLatch(file);
    try {
      expect(latch.refusedOn()).toBeUndefined();
      latchFromAnotherProcess(file, "GET /api/cluster/nodes");
      await vi.waitFor(() => expect(latch.refusedOn()).toBe("GET /api/cluster/nodes"), { timeout: 5000, interval: 5 });
    } finally {
      latch.close();
    }
  });

  it("sees a latch written before it was made", () => {
    const file = join(mkdtempSync(join(tmpdir(), "latch-")), "credentials-refused");
    latchFromAnotherProcess(file, "GET /api/cluster");
    const latch = new CredentialsLatch(file);
    try {
      // Asked while watching: no event will come for a file that was already there.
      expect(latch.refusedOn()).toBe("GET /api/cluster");
    } finally {
      latch.close();
    }
  });

  it("where the directory cannot be watched, looks for the file before every request", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "latch-")), "made-later");
    const file = join(dir, "credentials-refused");
    const latch = new CredentialsLatch(file); // no such directory yet: nothing to watch
    expect(latch.refusedOn()).toBeUndefined();
    mkdirSync(dir);
    writeFileSync(file, "");
    // Seen at once, without waiting for an event; a file whose text is not written yet still latches.
    expect(latch.refusedOn()).toBe("an earlier request");
    latch.close();
  });

  it("a 401 in this process is known to its other clients at once, and written for the others", () => {
    const file = join(mkdtempSync(join(tmpdir(), "latch-")), "credentials-refused");
    const first = new CredentialsLatch(file);
    const second = new CredentialsLatch(file);
    first.set("GET /api/cluster/licensing/licenses");
    expect(second.refusedOn()).toBe("GET /api/cluster/licensing/licenses");
    first.close();
    second.close();
    expect(readFileSync(file, "utf8")).toBe("GET /api/cluster/licensing/licenses");
  });
});
