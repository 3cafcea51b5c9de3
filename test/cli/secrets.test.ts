// Secrets never leave memory: a run with a known password, whose failing
// checks print curl lines with license POST bodies, leaves neither the
// password, its basic-auth form, nor any license key it sent in any artifact
// or on the terminal; the keys' fingerprints stand in for them.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { shortKey, TEST_KEY_CATALOG } from "../../generators/license-keys.ts";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { findMutant } from "../../mock/mutants/catalog.ts";

const PASSWORD = "Sup3r-S3cret-pw!";
const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
let mock: MockHandle;
beforeAll(async () => { mock = await startMock({ password: PASSWORD, mutant: findMutant("licensing.install-noop") }); });
afterAll(async () => { await mock.close(); });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

it("no password, Authorization value or license key reaches the report directory or the terminal", async () => {
  const dir = mkdtempSync(join(tmpdir(), "secrets-"));
  const cfg = join(dir, "cfg.yaml");
  writeFileSync(cfg, "testKeys: true\n");
  const { out, code } = await new Promise<{ out: string; code: number | null }>((resolve) => {
    const child = spawn(process.execPath, [BIN, "run", "--target", mock.url, "--password-env", "P", "--profile", "destructive", "--allow-destructive", "--config", cfg, "--report-dir", join(dir, "reports"), "--only", "licensing", "--seed", "1475429035"], { env: { ...process.env, P: PASSWORD } });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.stderr.on("data", (d) => (text += d));
    child.on("close", (c) => resolve({ out: text, code: c }));
  });
  expect(code).toBe(1); // the mutant makes the install checks fail, so their curl lines are written
  const artifacts = filesUnder(join(dir, "reports")).map((f) => readFileSync(f, "utf8"));
  expect(artifacts.length).toBeGreaterThanOrEqual(2);
  const everything = [out, ...artifacts].join("\n");
  const keys = TEST_KEY_CATALOG.flatMap((p) => ["4149027492", "4149027493"].map((s) => shortKey(p, s)));
  const secrets = [PASSWORD, encodeURIComponent(PASSWORD), Buffer.from(`admin:${PASSWORD}`).toString("base64"), ...keys];
  for (const s of secrets) expect(everything.includes(s), `found ${s.slice(0, 6)}…`).toBe(false);
  // The failures did carry key material, as fingerprints.
  expect(everything).toMatch(/<license-key sha256:[0-9a-f]{8}>/);
  expect(everything).toContain("Reproduce with: curl");
});
