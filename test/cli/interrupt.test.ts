// Teardown restores, even when interrupted (test/harness/teardown.test.ts
// has the rules of what it deletes): Ctrl-C during `run --target … --profile destructive` stops the suites,
// restores the target, writes summary.json with the checks so far and exits 130.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { EXIT } from "../../src/cli/exit-codes.ts";
import { expectSettled, readAllureResults } from "../support/allure-results.ts";
import { startRecordingProxy } from "../support/recording-proxy.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");

/** Licenses and packages, read from the mock's own state (not through the API under test). */
function inventory(mock: MockHandle): { licenses: string[]; packages: string[] } {
  const s = mock.state().snapshot() as any;
  return { licenses: s.licenses.map((l: any) => `${l.package} ${l.serial_number} ${l.owner}`).sort(), packages: s.software.packages.map((p: any) => p.version).sort() };
}

/**
 * `run --target <proxy> --profile destructive` with a config file of `config` (and `extra` flags), as a child process:
 * `started` gets it (the proxy's hooks signal it), `stderr` what it has printed so far; resolves its exit code.
 * With `stdout`, the run is made as a user makes it (not --quiet, not --no-html: its Allure results are written),
 * and `stdout` gets what it has printed so far.
 */
function runDestructive(target: string, password: string, dir: string, config: string, extra: string[], started: (child: ReturnType<typeof spawn>) => void, stderr: (text: string) => void, stdout?: (text: string) => void): Promise<number | null> {
  const cfg = join(dir, "ontap.yaml");
  writeFileSync(cfg, config);
  const child = spawn(process.execPath, [BIN, "run", "--target", target, "--password-env", "P", "--profile", "destructive", "--allow-destructive", "--config", cfg, ...extra, ...(stdout ? [] : ["--no-html", "--quiet"]), "--seed", "1", "--report-dir", dir], {
    env: { ...process.env, P: password, NO_COLOR: "1", FORCE_COLOR: undefined },
  });
  started(child);
  let err = "";
  child.stderr!.on("data", (d) => stderr((err += d)));
  let out = "";
  if (stdout) child.stdout!.on("data", (d) => stdout((out += d)));
  else child.stdout!.resume();
  return new Promise<number | null>((resolve) => child.on("close", resolve));
}

describe("Ctrl-C during a destructive run", () => {
  it("stops at the first license install, restores the target, writes summary.json (interrupted), Allure results that say the same, and exits 130", async () => {
    const mock = await startMock({ scenario: "docs" });
    const before = inventory(mock);
    let signalled = false;
    let child: ReturnType<typeof spawn> | undefined;
    let err = "";
    let out = "";
    /** Resolves once the CLI has taken the Ctrl-C (it says so on stderr). */
    const acknowledged = () => new Promise<void>((resolve) => {
      const look = () => (/^interrupted: /m.test(err) ? resolve() : setTimeout(look, 10));
      look();
    });
    const proxy = await startRecordingProxy(mock.url, {
      // Ctrl-C right after the first license install the target accepted; the
      // check gets its 201 only once the CLI has taken the signal, so the
      // interrupted check may or may not get to delete its license: either
      // way the target must end as it was.
      onResponse: async (q) => {
        if (!signalled && q.method === "POST" && q.path === "/api/cluster/licensing/licenses" && q.status === 201) {
          signalled = true;
          child?.kill("SIGINT");
          await acknowledged();
        }
      },
    });
    const dir = mkdtempSync(join(tmpdir(), "interrupt-"));
    try {
      const code = await runDestructive(proxy.url, mock.options.password, dir, "testKeys: true\n", [], (c) => (child = c), (e) => (err = e), (o) => (out = o));

      expect(signalled).toBe(true);
      expect(code, err).toBe(EXIT.INTERRUPTED);
      expect(err).toMatch(/^interrupted: stopping the suites/m);
      expect(err).toMatch(/^teardown: /m);
      expect(inventory(mock)).toEqual(before);
      const summary = JSON.parse(readFileSync(join(dir, "latest", "summary.json"), "utf8"));
      expect(summary.interrupted).toBe(true);
      expect(summary.teardown.restored).toBe(true);
      // What teardown removed, if anything, is what the interrupted check could not.
      expect((summary.teardown.removed ?? []).every((r: string) => /^license /.test(r))).toBe(true);
      if (summary.teardown.removed) expect(err).toMatch(/^teardown: removed what the run left behind: license /m);
      const ids = summary.checks.map((c: any) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      const interrupted = summary.checks.filter((c: any) => c.status === "error" && c.message === "interrupted");
      expect(interrupted.length).toBeGreaterThan(0);
      // The check under way (its license install held until the Ctrl-C was taken) says so too: no test timeout came.
      expect(summary.checks.filter((c: any) => c.status === "error" && c.message !== "interrupted").map((c: any) => `${c.id}: ${c.message}`)).toEqual([]);
      // The checks that ran before Ctrl-C keep their results.
      expect(summary.checks.filter((c: any) => c.status === "pass").length).toBeGreaterThan(0);
      expect(readFileSync(join(dir, "latest", "junit.xml"), "utf8")).toContain("interrupted");
      // No HTML report (the user waits for the prompt), and the terminal says why; the Allure results it would be made
      // from are settled all the same: every check once, with the status, the message and the tags summary.json has.
      const runDir = join(dir, "runs", summary.runId);
      expect(out).toContain(`report: ${runDir} (no HTML report: the run was interrupted (Ctrl-C))`);
      expect(readFileSync(join(runDir, "html", "index.html"), "utf8")).toMatch(/has no HTML report: the run was interrupted \(Ctrl-C\)/);
      expectSettled(readAllureResults(join(runDir, "allure-results")), summary.checks);
      console.log(`interrupt: exit ${code}, ${summary.checks.length - interrupted.length} checks ran, ${interrupted.length} interrupted, teardown removed ${summary.teardown.removed?.length ?? 0}`);
    } finally {
      child?.kill("SIGKILL");
      await proxy.close();
      await mock.close();
    }
  });

  it("a second Ctrl-C exits 130 at once, saying the target is not restored", async () => {
    const mock = await startMock({ scenario: "docs" });
    let child: ReturnType<typeof spawn> | undefined;
    let err = "";
    let signalled = false;
    const proxy = await startRecordingProxy(mock.url, {
      onRequest: (q) => {
        if (!signalled && q.method === "POST" && q.path === "/api/cluster/licensing/licenses") {
          signalled = true;
          child?.kill("SIGINT");
          const again = () => (/^interrupted: /m.test(err) ? child?.kill("SIGINT") : setTimeout(again, 10));
          again();
        }
      },
    });
    const dir = mkdtempSync(join(tmpdir(), "interrupt-"));
    try {
      const code = await runDestructive(proxy.url, mock.options.password, dir, "testKeys: true\n", [], (c) => (child = c), (e) => (err = e));
      expect(code, err).toBe(EXIT.INTERRUPTED);
      expect(err).toMatch(/^interrupted again: exiting now, the target is NOT restored$/m);
    } finally {
      child?.kill("SIGKILL");
      await proxy.close();
      await mock.close();
    }
  });
});

describe("Ctrl-C while a download is in flight", () => {
  it("a package that appeared while the run's download had no answer is left in place and reported as possibly the run's (exit 130)", async () => {
    const mock = await startMock({ scenario: "docs" });
    const before = inventory(mock);
    let child: ReturnType<typeof spawn> | undefined;
    let err = "";
    let signalled = false;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const proxy = await startRecordingProxy(mock.url, {
      // The target took the download (its job runs and adds the package), but its answer never reaches the run:
      // the check under way ends when its request times out (--timeout), then teardown runs.
      onResponse: async (q) => {
        if (!signalled && q.method === "POST" && q.path === "/api/cluster/software/download" && q.status === 202) {
          signalled = true;
          child?.kill("SIGINT");
          await held;
        }
      },
    });
    const dir = mkdtempSync(join(tmpdir(), "interrupt-download-"));
    try {
      const config = "testPackages: true\ndownloadUrl: http://packages.example.invalid/9.99.1_image.tgz\n";
      const code = await runDestructive(proxy.url, mock.options.password, dir, config, ["--only", "packages.download.lifecycle", "--timeout", "3000"], (c) => (child = c), (e) => (err = e));
      expect(signalled).toBe(true);
      expect(code, err).toBe(EXIT.INTERRUPTED);
      // Nothing was deleted on a guess: the package the download made is still there.
      const after = inventory(mock);
      expect(after.packages).toEqual([...before.packages, "9.99.1"].sort());
      const summary = JSON.parse(readFileSync(join(dir, "latest", "summary.json"), "utf8"));
      expect(summary.teardown.restored).toBe(false);
      expect(summary.teardown.differences).toEqual([expect.stringMatching(/^package 9\.99\.1 appeared during the run while the run's software_package_create \(packages\.download\.lifecycle\) had no answer .*it may be the run's.*left alone/)]);
      expect(summary.teardown.changedByOthers ?? []).toEqual([]);
    } finally {
      release();
      child?.kill("SIGKILL");
      await proxy.close();
      await mock.close();
    }
  }, 120_000);
});
