// The suite against a separately started mock over HTTPS, as a user runs it
// against a cluster: read-only, then destructive, leaving the target as found.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
let mock: MockHandle;
beforeAll(async () => { mock = await startMock({ tls: true, password: "s3cret-pass" }); });
afterAll(async () => { await mock.close(); });

/** Async on purpose: the mock lives in this process, so a blocking spawn would starve it. */
function run(args: string[], target: MockHandle = mock): Promise<{ code: number | null; out: string; err: string; summary: any }> {
  const dir = mkdtempSync(join(tmpdir(), "target-"));
  const child = spawn(process.execPath, [BIN, "run", "--target", target.url, "--insecure", "--username", "admin", "--password-env", "P", "--report-dir", dir, "--seed", "1", ...args], {
    env: { ...process.env, P: "s3cret-pass" },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err, summary: JSON.parse(readFileSync(join(dir, "latest", "summary.json"), "utf8")) })));
}

const inventory = () => {
  const s = mock.state().snapshot() as any;
  return { licenses: s.licenses.map((l: any) => `${l.package} ${l.serial_number} ${l.owner}`).sort(), packages: s.software.packages.map((p: any) => p.version).sort() };
};

describe("run --target against mock --tls", () => {
  it("read-only: conformant, and only GET requests were needed", async () => {
    const r = await run([]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.summary.profile).toBe("read-only");
    expect(r.summary.totals.fail + r.summary.totals.error).toBe(0);
    expect(r.summary.checks.filter((c: any) => c.status === "skip").every((c: any) => /profile/.test(c.message))).toBe(true);
  });

  it("destructive with --allow-destructive: conformant, and the licenses and packages are as they were", async () => {
    const before = inventory();
    const cfg = join(mkdtempSync(join(tmpdir(), "cfg-")), "ontap.yaml");
    writeFileSync(cfg, "testKeys: true\ndownloadUrl: http://packages.example.invalid/9.99.1_image.tgz\n");
    const r = await run(["--profile", "destructive", "--allow-destructive", "--config", cfg]);
    expect(r.out).toContain("result: conformant");
    expect(r.code).toBe(0);
    expect(r.summary.teardown).toEqual({ restored: true, differences: [] });
    const ran = r.summary.checks.filter((c: any) => c.profile === "destructive" && c.status === "pass").map((c: any) => c.id);
    expect(ran).toContain("licenses.install.short-key-roundtrip");
    expect(ran).toContain("licenses.install.nlf-bundle-roundtrip");
    expect(ran).toContain("packages.download.lifecycle");
    expect(inventory()).toEqual(before);
  });

  it("an older target (ONTAP 9.8): conformant, newer checks skipped with the reason, 9.8 field names accepted", async () => {
    const old = await startMock({ tls: true, password: "s3cret-pass", ontapVersion: "9.8" });
    try {
      const r = await run(["--profile", "non-disruptive", "--strict"], old);
      expect(r.code).toBe(0);
      expect(r.summary.ontapVersion).toBe("9.8.0");
      const estimate = r.summary.checks.find((c: any) => c.id === "software.estimate.changes-nothing");
      expect(estimate).toMatchObject({ status: "skip", message: "introduced in ONTAP 9.9; the target runs 9.8.0" });
    } finally {
      await old.close();
    }
  });
});
