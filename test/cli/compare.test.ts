// compare: two runs against the mock, the second with one rule broken, and
// compare reports exactly that regression; shards of a mutant run merge back.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { findMutant } from "../../mock/mutants/catalog.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

async function runAgainst(mock: MockHandle, dir: string) {
  return cli(["run", "--target", mock.url, "--password-env", "P", "--seed", "1", "--report-dir", dir], { P: "pw" });
}

it("reports exactly the regression a broken rule causes, with exit 1; identical runs exit 0; unreadable input exits 2", async () => {
  const work = mkdtempSync(join(tmpdir(), "compare-"));
  const good = await startMock({ password: "pw" });
  const bad = await startMock({ password: "pw", mutant: findMutant("query.num-records-off-by-one") });
  try {
    expect((await runAgainst(good, join(work, "a"))).code).toBe(0);
    expect((await runAgainst(bad, join(work, "b"))).code).toBe(1);
  } finally {
    await good.close();
    await bad.close();
  }
  const r = await cli(["compare", join(work, "a"), join(work, "b"), "--out", join(work, "cmp")]);
  expect(r.code).toBe(1);
  const md = readFileSync(join(work, "cmp", "compare.md"), "utf8");
  const regressed = [...md.matchAll(/^\| `([^`]+)` \| pass \| fail \|/gm)].map((m) => m[1]).sort();
  expect(regressed).toEqual(["history.list.num-records", "licenses.list.num-records", "nodes.list.num-records", "packages.list.num-records"]);
  expect(md).toContain("**4 regression(s).**");
  expect(readFileSync(join(work, "cmp", "compare.html"), "utf8")).toContain("<h2>Regressions (4)</h2>");
  expect((await cli(["compare", join(work, "a"), join(work, "a"), "--out", join(work, "same")])).code).toBe(0);
  const missing = await cli(["compare", join(work, "nope"), join(work, "a")]);
  expect(missing.code).toBe(2);
  expect(missing.err.trim().split("\n")).toHaveLength(1);
  writeFileSync(join(work, "junk.json"), "{}");
  expect((await cli(["compare", join(work, "junk.json"), join(work, "a")])).code).toBe(2);
}, 180_000);

it("--baseline: known failures are reported but only new ones fail the run", async () => {
  const work = mkdtempSync(join(tmpdir(), "baseline-"));
  const bad = await startMock({ password: "pw", mutant: findMutant("query.num-records-off-by-one") });
  try {
    const args = ["run", "--target", bad.url, "--password-env", "P", "--no-html"];
    expect((await cli([...args, "--report-dir", join(work, "first")], { P: "pw" })).code).toBe(1);
    const again = await cli([...args, "--report-dir", join(work, "second"), "--baseline", join(work, "first", "latest", "summary.json")], { P: "pw" });
    expect(again.out).toMatch(/baseline \S+: 4 known failures not counted/);
    expect(again.code).toBe(0);
    writeFileSync(join(work, "known.yaml"), "- { id: licenses.list.num-records, reason: BURT 1 }\n");
    const partial = await cli([...args, "--report-dir", join(work, "third"), "--baseline", join(work, "known.yaml")], { P: "pw" });
    expect(partial.code).toBe(1);
    const summary = JSON.parse(readFileSync(join(work, "third", "latest", "summary.json"), "utf8"));
    expect(summary.baseline.knownFailures).toEqual([{ id: "licenses.list.num-records", reason: "BURT 1" }]);
  } finally {
    await bad.close();
  }
}, 180_000);

it("mutant shards merge back into one kill table", async () => {
  const work = mkdtempSync(join(tmpdir(), "shards-"));
  const only = "query.num-records-off-by-one,envelope.no-message";
  const a = await cli(["mutants", "--only", only, "--shard", "1/2", "--out", join(work, "1.json")]);
  const b = await cli(["mutants", "--only", only, "--shard", "2/2", "--out", join(work, "2.json")]);
  expect([a.code, b.code]).toEqual([0, 0]);
  const m = await cli(["mutants", "--merge", join(work, "1.json"), join(work, "2.json"), "--out", join(work, "all.json")]);
  expect(m.code).toBe(0);
  const merged = JSON.parse(readFileSync(join(work, "all.json"), "utf8"));
  expect(merged.kills.map((k: any) => `${k.mutant}:${k.status}`)).toEqual(["envelope.no-message:killed", "query.num-records-off-by-one:killed"]);
  expect(merged.checkToMutants["licenses.list.num-records"]).toEqual(["query.num-records-off-by-one"]);
}, 180_000);
