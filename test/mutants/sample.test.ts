// A fixed sample of mutants on every `npm test`: the reference passes every
// check (strict, destructive) and each sampled mutant is killed. The full
// catalog runs in .ci/run (`ontap-conformance mutants`).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { MUTANTS, SAMPLE } from "../../mock/mutants/catalog.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");

it("the catalog has at least 40 mutants over every category, each with a unique name", () => {
  expect(MUTANTS.length).toBeGreaterThanOrEqual(40);
  expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
  expect(new Set(MUTANTS.map((m) => m.category))).toEqual(new Set(["schema", "status", "envelope", "media", "query", "hal", "jobs", "licensing", "software", "version"]));
  for (const name of SAMPLE) expect(MUTANTS.map((m) => m.name)).toContain(name);
});

it("the sample: the reference passes and every sampled mutant is killed", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "mutants-")), "kills.json");
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [BIN, "mutants", "--sample", "--out", out], { stdio: "ignore" });
    child.on("close", resolve);
  });
  const summary = JSON.parse(readFileSync(out, "utf8"));
  expect(summary.reference.failed).toEqual([]);
  expect(summary.kills.map((k: { mutant: string; status: string }) => `${k.mutant}:${k.status}`)).toEqual(SAMPLE.map((n) => `${n}:killed`));
  expect(code).toBe(0);
}, 300_000);
