// A server whose filter ignores `!` (the reference mock with the
// query.negation-ignored mutant) is found by the filter property, shrunk to
// a minimal counterexample, and the failure says seed, path, the shrunk case
// and a curl line that replays it.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { findMutant } from "../../mock/mutants/catalog.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
let mock: MockHandle;

beforeAll(async () => {
  mock = await startMock({ mutant: findMutant("query.negation-ignored") });
});
afterAll(async () => mock?.close());

// The mock lives in this process, so the CLI must run asynchronously (spawnSync would starve it).
async function run(seed: number): Promise<{ status: number | null; check: any }> {
  const dir = mkdtempSync(join(tmpdir(), "broken-filter-"));
  const child = spawn(process.execPath, [BIN, "run", "--target", mock.url, "--only", "licenses.list.filter-property", "--seed", String(seed), "--runs", "100", "--no-html", "--report-dir", dir], {
    env: { ...process.env, ONTAP_PASSWORD: mock.options.password },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (status === 2) throw new Error(`the run could not start: ${stderr}`);
  const summary = JSON.parse(readFileSync(join(dir, "latest", "summary.json"), "utf8"));
  return { status, check: summary.checks.find((c: any) => c.id === "licenses.list.filter-property") };
}

it("finds the ignored negation, shrinks it and prints seed, path, counterexample and curl", async () => {
  const first = await run(42);
  expect(first.status).toBe(1);
  expect(first.check.status).toBe("fail");
  const msg: string = first.check.message;
  expect(msg).toMatch(/Seed: 42 {2}Path: [\d:]+/);
  expect(msg).toContain("replay with --seed 42 --runs 100");
  const shrunk = msg.match(/Counterexample \(shrunk\): (.*)/)![1];
  // Minimal: one filter, one negated value, nothing else in the query.
  expect(shrunk).toMatch(/^[\w.]+=!("?)[^|,&]*\1$/);
  expect(msg).toMatch(/Reproduce with: curl .*licenses\?.*%21|Reproduce with: curl .*licenses\?.*!/);
  expect(msg).not.toContain(mock.options.password);
  console.log(`broken filter (negation ignored): ${shrunk}`);
  // The default run is deterministic for a seed: the same search finds the same case.
  const again = await run(42);
  expect(again.check.message).toBe(msg);
}, 240_000);
