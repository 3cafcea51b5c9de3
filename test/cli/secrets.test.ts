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
import { startRecordingProxy } from "../support/recording-proxy.ts";

const PASSWORD = "Sup3r-S3cret-pw!";
const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
let mock: MockHandle;
beforeAll(async () => { mock = await startMock({ password: PASSWORD, mutant: findMutant("licensing.install-noop") }); });
afterAll(async () => { await mock.close(); });

/** `run` with the password in P; stdout and stderr together. */
function runCli(args: string[]): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "run", ...args], { env: { ...process.env, P: PASSWORD } });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.stderr.on("data", (d) => (text += d));
    child.on("close", (c) => resolve({ out: text, code: c }));
  });
}

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
  const { out, code } = await runCli(["--target", mock.url, "--password-env", "P", "--profile", "destructive", "--allow-destructive", "--config", cfg, "--report-dir", join(dir, "reports"), "--only", "licensing", "--seed", "1475429035"]);
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

// A target may echo the password back in spellings the run never sent: in a
// version text (a discovery note on the terminal), \u-escaped in a JSON error
// body (the reports show bodies parsed, so decoded), percent-encoded with
// every character escaped in a header. None of them reaches an artifact or
// the terminal (the leaks an audit found on 2026-12-06).
it("a password the target echoes in another spelling reaches no artifact and not the terminal", async () => {
  const dir = mkdtempSync(join(tmpdir(), "secrets-echo-"));
  const escaped = [...PASSWORD].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
  const strict = [...Buffer.from(PASSWORD)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
  const proxy = await startRecordingProxy(mock.url, {
    intercept: (q) => {
      if (q.path === "/api/cluster") return { status: 200, body: { name: "cluster1", uuid: "a8d5fb46-1f5d-11e8-9b7c-005056b4d9a1", version: { full: `custom build, password ${PASSWORD}` } } };
      if (q.path === "/api/cluster/software/history") return { status: 500, text: `{"error":{"code":"1","message":"pw=${escaped}"}}`, headers: { "x-echo": `token=${strict}` } };
      return undefined;
    },
  });
  try {
    const { out, code } = await runCli(["--target", proxy.url, "--password-env", "P", "--report-dir", join(dir, "reports"), "--only", "history.*,licenses.list.schema"]);
    expect(code, out).toBe(1); // the history checks fail on the 500, so their exchanges are written
    expect(out).toMatch(/note: the target reports a version that is not an ONTAP release \(.*\*\*\*/);
    const everything = [out, ...filesUnder(join(dir, "reports")).map((f) => readFileSync(f, "utf8"))].join("\n");
    expect(everything).toContain("pw=***");
    for (const s of [PASSWORD, escaped, strict, strict.toUpperCase(), Buffer.from(`admin:${PASSWORD}`).toString("base64")]) expect(everything.includes(s), `found ${s.slice(0, 8)}…`).toBe(false);
  } finally {
    await proxy.close();
  }
});
