// A fixed sample of legal variants on every `npm test`: the suite runs against
// each in default and strict mode and no check fails a legal answer. The full
// catalog runs in .ci/run (`ontap-conformance variants`).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { SAMPLE } from "../../mock/variants/catalog.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");

it("the sample: every run against each sampled variant is conformant", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "variants-")), "variants.json");
  let stdout = "";
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [BIN, "variants", "--sample", "--out", out], { stdio: ["ignore", "pipe", "ignore"] });
    child.stdout.on("data", (d) => (stdout += d));
    child.on("close", resolve);
  });
  const summary = JSON.parse(readFileSync(out, "utf8"));
  const alarms = summary.rows.flatMap((r: { variant: string; runs: Array<{ mode: string; falseAlarms: Array<{ check: string; message: string }> }> }) => r.runs.flatMap((run) => run.falseAlarms.map((a) => `${r.variant} (${run.mode}): ${a.check}: ${a.message}`)));
  expect(alarms).toEqual([]);
  expect(summary.rows.map((r: { variant: string; status: string; runs: unknown[] }) => `${r.variant}:${r.status}:${r.runs.length}`)).toEqual(SAMPLE.map((n) => `${n}:conformant:2`));
  expect(code, stdout).toBe(0);
}, 300_000);
