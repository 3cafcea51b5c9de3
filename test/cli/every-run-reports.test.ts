// Every run writes its report (issue #17): each exit 2 after the target was
// named leaves summary.json and junit.xml, every selected check an error that
// says why; and discovery does not believe a release it cannot read or one
// older than the REST API.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { startHostileTarget } from "../support/hostile-target.ts";
import { startRecordingProxy } from "../support/recording-proxy.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
let mock: MockHandle;
beforeAll(async () => { mock = await startMock({ scenario: "docs" }); });
afterAll(async () => { await mock.close(); });

interface Run {
  code: number | null;
  out: string;
  err: string;
  dir: string;
  summary?: any;
  junit?: string;
}

/** Async on purpose: the mock lives in this process. */
function run(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "reports-"));
  const child = spawn(process.execPath, [BIN, "run", "--report-dir", dir, "--seed", "1", "--no-html", ...args], { env: { ...process.env, ONTAP_PASSWORD: undefined, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => {
    const at = (f: string) => join(dir, "latest", f);
    resolve({ code, out, err, dir, summary: existsSync(at("summary.json")) ? JSON.parse(readFileSync(at("summary.json"), "utf8")) : undefined, junit: existsSync(at("junit.xml")) ? readFileSync(at("junit.xml"), "utf8") : undefined });
  }));
}

function expectReported(r: Run, why: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err.trim().split("\n"), r.err).toHaveLength(1);
  expect(r.err).toMatch(why);
  expect(r.summary, "summary.json written").toBeDefined();
  expect(r.junit, "junit.xml written").toContain("<testsuites");
  const selected = r.summary.checks.filter((c: any) => c.status !== "disabled" && c.status !== "skip");
  expect(selected.length).toBeGreaterThan(0);
  for (const c of selected) {
    expect(c.status).toBe("error");
    expect(c.message).toMatch(why);
  }
}

describe("every exit 2 after the target was named writes the report", () => {
  it("a writing run whose inventory read is refused (422) stops before the suites start", async () => {
    const target = await startHostileTarget({ upstream: mock.url, fault: "status", status: 422, match: /^\/api\/cluster\/licensing\/licenses\?/ });
    try {
      const r = await run(["--target", target.url, "--password-env", "P", "--profile", "non-disruptive"], { P: mock.options.password });
      expectReported(r, /cannot read \/api\/cluster\/licensing\/licenses for the inventory: HTTP 422.*a non-disruptive run needs it to leave the target as it found it/);
    } finally {
      await target.close();
    }
  });

  it("an error on a read discovery needs (a 500 on /api/cluster/nodes) is an error of the run, not \"0 node(s)\" and a verdict", async () => {
    const target = await startHostileTarget({ upstream: mock.url, fault: "status", status: 500, match: /^\/api\/cluster\/nodes\?/ });
    try {
      const r = await run(["--target", target.url, "--password-env", "P"], { P: mock.options.password });
      expectReported(r, /discovery cannot read the nodes: the target answers 500 \(error 1: Internal error\. Unexpected failure\.\) on GET \/api\/cluster\/nodes/);
      expect(r.out).not.toMatch(/0 node\(s\)/);
      expect(r.summary).toMatchObject({ result: "could not run", exitCode: 2 });
    } finally {
      await target.close();
    }
  });

  // A nodes answer of the wrong shape was a TypeError ("records.map is not a function") in the run's one line.
  for (const [what, body, why] of [
    ["records that are not a list", { records: "no", num_records: 1 }, /discovery cannot read the nodes: the target answers 200 without a records array on GET \/api\/cluster\/nodes/],
    ["a record that is null", { records: [null], num_records: 1 }, /discovery cannot read the nodes: the target answers 200 with a record that is not an object on GET \/api\/cluster\/nodes/],
  ] as const) {
    it(`a nodes answer with ${what} is an error of the run that says so`, async () => {
      const proxy = await startRecordingProxy(mock.url, { intercept: (q) => (q.path === "/api/cluster/nodes" ? { status: 200, body } : undefined) });
      try {
        expectReported(await run(["--target", proxy.url, "--password-env", "P"], { P: mock.options.password }), why);
      } finally {
        await proxy.close();
      }
    });
  }

  it("no password and no terminal to ask on", async () => {
    const r = await run(["--target", mock.url]);
    expectReported(r, /no password: set ONTAP_PASSWORD/);
    expect(r.summary.target).toBe(mock.url);
  });

  it("a CA file that cannot be read", async () => {
    const r = await run(["--target", mock.url, "--ca", "/nonexistent/ca.pem"], { ONTAP_PASSWORD: mock.options.password });
    expectReported(r, /cannot read the CA file \/nonexistent\/ca\.pem/);
  });

  // TLS ignored a CA file that was not PEM, and a key that was not PEM failed with an OpenSSL code naming no file.
  it("a CA file that holds no certificate", async () => {
    const garbage = join(mkdtempSync(join(tmpdir(), "pem-")), "ca.pem");
    writeFileSync(garbage, "not a certificate\n");
    const r = await run(["--target", mock.url, "--ca", garbage], { ONTAP_PASSWORD: mock.options.password });
    expectReported(r, /the CA file \S+ca\.pem holds no PEM block/);
  });

  it("with a baseline: every check is still an error, none known, in summary.json, junit.xml and summary.md (nor does such a run's summary.json, as the baseline, know any)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baseline-"));
    writeFileSync(join(dir, "known.yaml"), '- id: licenses.list.num-records\n  reason: "BURT 1"\n');
    const gone = ["--target", "http://127.0.0.1:1", "--profile", "read-only"];
    const first = await run([...gone, "--baseline", join(dir, "known.yaml")], { ONTAP_PASSWORD: "x" });
    const again = await run([...gone, "--baseline", join(first.dir, "latest", "summary.json")], { ONTAP_PASSWORD: "x" });
    for (const r of [first, again]) {
      expectReported(r, /cannot reach the target/);
      expect(r.summary.checks.filter((c: any) => c.known)).toEqual([]);
      expect(r.summary.totals.known).toBe(0);
      // junit.xml counts what summary.json counts: every error an <error>, none turned into a known <skipped>.
      expect(r.junit!.match(/<testsuites [^>]*\berrors="(\d+)"/)![1]).toBe(String(r.summary.totals.error));
      expect(r.junit).not.toMatch(/known (failure|error)/);
      expect(readFileSync(join(r.dir, "latest", "summary.md"), "utf8")).not.toMatch(/Known failures/);
    }
    expect(again.summary.baseline.knownFailures).toEqual([]);
  });
});

describe("discovery believes only a release the REST API can have", () => {
  for (const [what, version, note] of [
    ["one older than the REST API (9.4.0, as Prism's example answers)", { full: "NetApp Release 9.4.0", generation: 9, major: 4, minor: 0 }, /the target reports ONTAP 9\.4\.0, which has no REST API \(it came with 9\.6\): the release is not used/],
    ["one it cannot read (Prism -d's negative numbers)", { full: "Ut enim", generation: -38179363, major: -90523229, minor: -62461123 }, /the target reports a version that is not an ONTAP release \(-38179363\.-90523229\.-62461123\): it is not used/],
  ] as const) {
    it(`${what}: one note, the version unknown, the run goes on`, async () => {
      const proxy = await startRecordingProxy(mock.url, {
        intercept: (q) => (q.path === "/api/cluster" ? { status: 200, body: { name: "cluster1", uuid: "a8d5fb46-1f5d-11e8-9b7c-005056b4d9a1", version } } : undefined),
      });
      try {
        // The nodes carry no version either, so nothing else can name the release.
        const nodes = await startRecordingProxy(proxy.url, { intercept: (q) => (q.path === "/api/cluster/nodes" && /fields=name%2Cuuid%2Cversion|fields=name,uuid,version/.test(q.query) ? { status: 200, body: { records: [{ name: "node1", uuid: "f8b2c0a8-1f5d-11e8-9b7c-005056b4d9a1" }], num_records: 1 } } : undefined) });
        try {
          const r = await run(["--target", nodes.url, "--password-env", "P", "--only", "licenses.list.schema"], { P: mock.options.password });
          expect(r.code, r.err).toBe(0);
          expect(r.out).toMatch(note);
          expect(r.out).toMatch(/ONTAP \(unknown version\)/);
          expect(r.summary.ontapVersion).toBeUndefined();
        } finally {
          await nodes.close();
        }
      } finally {
        await proxy.close();
      }
    });
  }
});

describe("a check that outlives its limit", () => {
  it("ends as an error that names the limit, and the run goes on", async () => {
    const slow = await startMock({ scenario: "docs", latencyMs: 150 });
    try {
      const r = await run(["--target", slow.url, "--password-env", "P", "--only", "nodes.list.filter-property,cluster.get.version", "--check-timeout", "1000"], { P: slow.options.password });
      expect(r.code, r.err).toBe(1);
      const byId = Object.fromEntries(r.summary.checks.map((c: any) => [c.id, c]));
      expect(byId["nodes.list.filter-property"]).toMatchObject({ status: "error", message: "the check did not finish within 1000 ms, the per-check limit (--check-timeout; default 4 × --timeout, at least 120 s): it was stopped there" });
      expect(byId["cluster.get.version"].status).toBe("pass");
    } finally {
      await slow.close();
    }
  });
});
