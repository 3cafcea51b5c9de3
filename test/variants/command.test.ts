// How `ontap-conformance variants` judges a run, and its usage errors and
// --merge, without running the suite (test/variants/sample.test.ts does).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { judge, variantsCommand, VARIANTS_FORMAT, type VariantsSummary } from "../../src/cli/variants-command.ts";
import type { Summary, SummaryCheck } from "../../reports/summary.ts";

const check = (id: string, status: SummaryCheck["status"], message?: string): SummaryCheck => ({ id, title: id, area: "conventions", operation: "licenses_get", spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/get"], profile: "read-only", severity: "normal", phase: "contract", status, message, warnings: [], durationMs: 1 });

function run(checks: SummaryCheck[], exitCode: number, teardown?: Summary["teardown"]) {
  const totals = { pass: 0, fail: 0, skip: 0, disabled: 0, error: 0, checks: checks.length, warnings: 0 };
  for (const c of checks) totals[c.status]++;
  return { exitCode, summary: { checks, totals, ...(teardown ? { teardown } : {}) } as unknown as Summary };
}

describe("judging a run against a legal variant", () => {
  it("a conformant run has no false alarm", () => {
    expect(judge({}, "default", run([check("a", "pass"), check("b", "skip")], 0), 1).falseAlarms).toEqual([]);
  });

  it("a failing or erroring check is a false alarm, with its first line", () => {
    const r = judge({}, "strict", run([check("a", "fail", "pages do not add up\nReceived: 3"), check("b", "error", "reset")], 1), 1);
    expect(r.falseAlarms).toEqual([{ check: "a", status: "fail", message: "pages do not add up" }, { check: "b", status: "error", message: "reset" }]);
  });

  it("a run that exits 1 with every check passing (teardown) is not conformant either", () => {
    const r = judge({}, "default", run([check("a", "pass")], 1, { restored: false, differences: ["license nfs disappeared"] }), 1);
    expect(r.falseAlarms).toEqual([{ check: "(run)", status: "fail", message: "teardown: license nfs disappeared" }]);
  });

  it("a quirk variant passes in default mode and, under --strict, must fail naming only its quirk", () => {
    const v = { quirk: "license-post-error-singular" };
    expect(judge(v, "default", run([check("a", "fail", "x (quirk license-post-error-singular: the sources disagree)")], 1), 1).falseAlarms).toHaveLength(1);
    const named = judge(v, "strict", run([check("a", "fail", "x (quirk license-post-error-singular: the sources disagree)"), check("b", "pass")], 1), 1);
    expect(named.falseAlarms).toEqual([]);
    expect(named.quirkFailures).toEqual(["a"]);
    const other = judge(v, "strict", run([check("a", "fail", "x (quirk license-post-error-singular)"), check("c", "fail", "something else")], 1), 1);
    expect(other.falseAlarms.map((f) => f.check)).toEqual(["c"]);
    const silent = judge(v, "strict", run([check("a", "pass")], 0), 1);
    expect(silent.falseAlarms.map((f) => f.check)).toEqual(["(strict mode)"]);
  });
});

describe("the command", () => {
  const out: string[] = [];
  const print = (s: string) => out.push(s);

  it("refuses unknown variants, bad modes and bad shards", async () => {
    await expect(variantsCommand({ only: "json.nothing" }, print)).rejects.toThrow(/unknown variant json.nothing/);
    await expect(variantsCommand({ mode: "lenient" }, print)).rejects.toThrow(/--mode takes default, strict or both/);
    await expect(variantsCommand({ shard: "3/2" }, print)).rejects.toThrow(/--shard takes i\/n/);
    await expect(variantsCommand({ merge: ["x.json"] }, print)).rejects.toThrow(/--merge needs --out/);
  });

  it("merges shard tables into one, and exits 1 when a shard found a false alarm", async () => {
    const dir = mkdtempSync(join(tmpdir(), "variants-merge-"));
    const table = (rows: VariantsSummary["rows"]): VariantsSummary => ({ format: VARIANTS_FORMAT, start: "2026-12-06T00:00:00.000Z", durationMs: 10, rows });
    const row = (variant: string, status: "conformant" | "false-alarm") => ({ variant, category: variant.split(".")[0], changes: "c", legal: "l", status, runs: [] });
    writeFileSync(join(dir, "1.json"), JSON.stringify(table([row("order.shuffled", "conformant")])));
    writeFileSync(join(dir, "2.json"), JSON.stringify(table([row("json.pretty-printed", "conformant")])));
    writeFileSync(join(dir, "3.json"), JSON.stringify(table([row("paging.short-pages", "false-alarm")])));
    expect(await variantsCommand({ merge: [join(dir, "1.json"), join(dir, "2.json")], out: join(dir, "ok.json") }, print)).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "ok.json"), "utf8")).rows.map((r: { variant: string }) => r.variant)).toEqual(["json.pretty-printed", "order.shuffled"]);
    expect(await variantsCommand({ merge: [join(dir, "1.json"), join(dir, "3.json")], out: join(dir, "bad.json") }, print)).toBe(1);
    await expect(variantsCommand({ merge: [join(dir, "1.json"), join(dir, "nope.json")], out: join(dir, "x.json") }, print)).rejects.toThrow(/cannot read the variant table/);
  });
});
