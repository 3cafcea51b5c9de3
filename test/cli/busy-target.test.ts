// A profile's promise holds on a busy cluster too (issue #17):
// - someone else downloads a package and installs a license while a run is
//   under way: the run leaves both alone, says so, and stays conformant;
// - a cluster in the middle of an update, or a MetroCluster, is conformant
//   under every profile, and no request that could act on the update under
//   way (an `action` PATCH) reaches it.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { startMock, type MockHandle, type MockOptions } from "../../mock/index.ts";
import { makeTestKey } from "../../mock/licensing/grants.ts";
import { startRecordingProxy, type Recorded } from "../support/recording-proxy.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
const PROFILES = ["read-only", "non-disruptive", "destructive"] as const;

interface Run {
  code: number | null;
  out: string;
  err: string;
  summary: any;
  requests: Recorded[];
}

/** The CLI against `mock` through a recording proxy; `during` sees every answered request (and may act as another operator). */
async function run(mock: MockHandle, profile: string, during?: (r: Recorded) => Promise<void> | void): Promise<Run> {
  const proxy = await startRecordingProxy(mock.url, { onResponse: during });
  const dir = mkdtempSync(join(tmpdir(), "busy-"));
  writeFileSync(join(dir, "ontap.yaml"), "testKeys: true\ntestPackages: true\nallowUpgrade: true\njobTimeoutMs: 8000\n");
  try {
    const child = spawn(process.execPath, [BIN, "run", "--target", proxy.url, "--password-env", "P", "--profile", profile, "--allow-destructive", "--config", join(dir, "ontap.yaml"), "--no-html", "--seed", "1", "--report-dir", dir], {
      env: { ...process.env, P: mock.options.password },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    return { code, out, err, summary: JSON.parse(readFileSync(join(dir, "latest", "summary.json"), "utf8")), requests: proxy.requests };
  } finally {
    await proxy.close();
  }
}

const failures = (r: Run) => r.summary.checks.filter((c: any) => c.status === "fail" || c.status === "error").map((c: any) => `${c.id}: ${c.message}`);

/** Another operator, straight to the target (not through the run's proxy). */
async function operator(mock: MockHandle, method: string, path: string, body: unknown): Promise<number> {
  const auth = `Basic ${Buffer.from(`${mock.options.username}:${mock.options.password}`).toString("base64")}`;
  const res = await request(`${mock.url}${path}`, { method: method as "POST", headers: { authorization: auth, "content-type": "application/json" }, body: JSON.stringify(body) });
  await res.body.dump();
  return res.statusCode;
}

async function withMock<T>(options: MockOptions, fn: (mock: MockHandle) => Promise<T>): Promise<T> {
  const mock = await startMock(options);
  try {
    return await fn(mock);
  } finally {
    await mock.close();
  }
}

describe("someone else writes while the run is under way", () => {
  for (const profile of ["non-disruptive", "destructive"] as const) {
    it(`${profile}: what another operator downloads and installs stays, reported as changed by someone else`, () => withMock({ scenario: "docs" }, async (mock) => {
      const serial = mock.state().cluster.nodes[1].serial_number;
      let acted = false;
      const r = await run(mock, profile, async (q) => {
        // Once the run is past discovery and its inventory: the operator's upgrade image and a license.
        if (acted || q.method !== "GET" || !q.path.startsWith("/api/cluster/software")) return;
        acted = true;
        expect(await operator(mock, "POST", "/api/cluster/software/download", { url: "http://images.example.invalid/9.20.1_image.tgz" })).toBe(202);
        expect(await operator(mock, "POST", "/api/cluster/licensing/licenses", { keys: [makeTestKey(16, serial)] })).toBe(201);
      });
      expect(acted).toBe(true);
      expect(failures(r), r.err).toEqual([]);
      expect(r.code, r.err).toBe(0);
      // The operator's package and license are still there: the run deleted neither.
      mock.state().clock.advance(60 * 60_000);
      const s = mock.state().snapshot() as any;
      expect(s.software.packages.map((p: any) => p.version)).toContain("9.20.1");
      expect(s.licenses.some((l: any) => l.package === "flexcache" && l.serial_number === serial)).toBe(true);
      const deletes = r.requests.filter((q) => q.method === "DELETE" && q.status! < 300);
      expect(deletes.some((q) => q.path.endsWith("/packages/9.20.1") || q.path.endsWith("/licenses/flexcache")), JSON.stringify(deletes)).toBe(false);
      if (profile === "non-disruptive") expect(deletes).toEqual([]);
      expect(r.summary.teardown.restored).toBe(true);
      expect(r.summary.teardown.changedByOthers).toEqual(expect.arrayContaining([
        expect.stringMatching(/^package 9\.20\.1 appeared during the run; the run did not create it, so it was left alone$/),
        expect.stringMatching(new RegExp(`^license flexcache ${serial} .*appeared during the run`)),
      ]));
      expect(r.out).toMatch(/^teardown: changed by someone else during the run \(left alone\):$/m);
    }), 180_000);
  }
});

describe("a busy cluster answers as documented: conformant under every profile", () => {
  // clockSpeed 1: the update of upgrade-in-progress stays under way for the whole run.
  for (const [scenario, options] of [["upgrade-in-progress", { clockSpeed: 1 }], ["metrocluster", {}]] as const) {
    it(`${scenario}: conformant read-only, non-disruptive and destructive, and no action reaches an update under way`, () => withMock({ scenario, ...options }, async (mock) => {
      for (const profile of PROFILES) {
        const r = await run(mock, profile);
        expect(failures(r), `${profile}: ${r.err}`).toEqual([]);
        expect(r.code, `${profile}: ${r.err}`).toBe(0);
        if (scenario === "upgrade-in-progress") {
          expect(r.requests.filter((q) => q.method === "PATCH" && /(^|&)action=/.test(q.query)), profile).toEqual([]);
          const skipped = Object.fromEntries(r.summary.checks.filter((c: any) => c.status === "skip").map((c: any) => [c.id, c.message]));
          if (profile !== "read-only") {
            expect(skipped["software.modify.action-illegal"]).toMatch(/^an update is under way on the target \(state \w+\): action=resume could act on it, so it is not sent$/);
            expect(skipped["software.validate.changes-nothing"]).toMatch(/^an update is under way on the target/);
          }
        }
      }
    }), 300_000);
  }
});
