// run --shard i/n and merge (issue 21): a run split in two, each shard its
// own process, merged back into one run directory whose summary.json,
// junit.xml, coverage matrix and HTML report are those of the unsharded run
// (the same checks, each exactly once, with the same verdicts); a missing or
// duplicated shard, or shards that disagree, is exit 2. The split itself is
// deterministic, covers every check once and is balanced by durations; a
// "not tested" skip whose owner ran in another shard is settled by merge.
// Fleet runs shard too: merging sharded fleets gives the unsharded fleet.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XMLParser } from "fast-xml-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { stringify } from "yaml";
import { allChecks } from "../../suites/index.ts";
import { planShard, type Durations } from "../../src/cli/shard.ts";
import { checkShards, mergeShards, MergeError, type MergeInput } from "../../reports/merge.ts";
import type { Summary, SummaryCheck } from "../../reports/summary.ts";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { findMutant } from "../../mock/mutants/catalog.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
const ROOT = join(import.meta.dirname, "../..");

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}
const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const statuses = (s: { checks: Array<{ id: string; status: string }> }) => Object.fromEntries(s.checks.map((c) => [c.id, c.status]));

describe("the split (planShard)", () => {
  const checks = allChecks();
  const all = () => true;

  it("is deterministic, and every check is in exactly one shard", () => {
    for (const n of [1, 2, 3, 7]) {
      const shards = Array.from({ length: n }, (_, i) => planShard(checks, all, { index: i + 1, count: n }));
      expect(shards.map((s) => s.ids)).toEqual(Array.from({ length: n }, (_, i) => planShard(checks, all, { index: i + 1, count: n }).ids));
      const seen = shards.flatMap((s) => s.ids);
      expect(seen.length).toBe(checks.length);
      expect(new Set(seen).size).toBe(checks.length);
      // Without durations every check weighs the same: the shards differ by at most one check.
      const sizes = shards.map((s) => s.ids.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it("is balanced by recorded durations: no shard's work exceeds another's by more than the heaviest check", () => {
    const byId = new Map(checks.map((c, i) => [c.id, ((i * 7919) % 97) * 100 + 50]));
    byId.set(checks[3].id, 20_000);
    const durations: Durations = { byId, from: "test", digest: "x" };
    for (const n of [2, 3, 5]) {
      const loads = Array.from({ length: n }, (_, i) => planShard(checks, all, { index: i + 1, count: n }, durations).ids.reduce((t, id) => t + byId.get(id)!, 0));
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(20_000);
    }
    // Checks the run would not run weigh nothing, but still belong to a shard.
    const selected = (c: { id: string }) => c.id.startsWith("licenses.");
    const two = [1, 2].map((i) => planShard(checks, selected, { index: i, count: 2 }, durations));
    expect(two.flatMap((s) => s.ids).sort()).toEqual(checks.map((c) => c.id).sort());
    const ran = two.map((s) => s.ids.filter((id) => id.startsWith("licenses.")).length);
    expect(Math.abs(ran[0] - ran[1])).toBeLessThanOrEqual(3);
  });
});

describe("merge of synthetic shards", () => {
  const check = (id: string, status: SummaryCheck["status"], message?: string): SummaryCheck => ({ id, title: id, area: "licensing", operation: "licenses_get", spec: [], profile: "read-only", severity: "normal", phase: "contract", status, ...(message ? { message } : {}), warnings: [], durationMs: 5 });
  const shard = (index: number, own: string[], checks: SummaryCheck[], extra: Partial<Summary["shard"]> = {}, seed = 1): MergeInput => ({
    label: `s${index}`,
    dir: `/nowhere/s${index}`,
    summary: {
      format: "ontap-conformance/summary@1", runId: "2026-01-01T00-00-00-000Z", result: "not conformant", exitCode: 1, target: "https://c", ontapVersion: "9.16.1", profile: "read-only", seed, runs: 25, strict: false,
      start: "2026-01-01T00:00:00.000Z", durationMs: 1000, phases: {}, totals: { pass: 0, fail: 0, skip: 0, disabled: 0, error: 0, checks: 3, warnings: 0 },
      checks: checks.map((c) => (own.includes(c.id) ? c : check(c.id, "disabled", `runs in another shard (this run is shard ${index} of 2)`))),
      shard: { index, count: 2, target: "https://c", checks: own, ...extra },
    },
  });
  const ids = ["a.list.schema", "b.list.thing", "c.list.other"];
  const req = new Map<string, { requirement: string; ref: string }>();

  it("a check not tested because of a contract another shard's check owns: a skip pointing at it if it failed there, else the failure stands", () => {
    const notTested = "not tested: a read this check needs departs from the contract, which a.list.schema reports (bad)";
    const s1 = shard(1, ["a.list.schema"], [check("a.list.schema", "fail", "bad schema"), check("b.list.thing", "pass"), check("c.list.other", "pass")]);
    const s2 = shard(2, ["b.list.thing", "c.list.other"], [check("a.list.schema", "pass"), check("b.list.thing", "fail", "the departure itself"), check("c.list.other", "pass")], { deferred: [{ id: "b.list.thing", owner: "a.list.schema", message: notTested }] });
    checkShards([s1, s2], "t");
    const { summary } = mergeShards([s2, s1], { requirements: req });
    expect(statuses(summary)).toEqual({ "a.list.schema": "fail", "b.list.thing": "skip", "c.list.other": "pass" });
    expect(summary.checks.find((c) => c.id === "b.list.thing")).toMatchObject({ message: notTested, notTestedBecause: "a.list.schema" });
    expect(summary).toMatchObject({ result: "not conformant", exitCode: 1, totals: { fail: 1, skip: 1, pass: 1, checks: 3 } });
    expect(summary.merged!.from.map((f) => f.shard)).toEqual(["1/2", "2/2"]);
    // The owner passed in its shard: the departure is reported by the check that met it.
    const s1ok = shard(1, ["a.list.schema"], [check("a.list.schema", "pass"), check("b.list.thing", "pass"), check("c.list.other", "pass")]);
    expect(statuses(mergeShards([s1ok, s2], { requirements: req }).summary)["b.list.thing"]).toBe("fail");
  });

  it("a missing, duplicated or disagreeing shard is refused, naming it", () => {
    const cs = ids.map((id) => check(id, "pass"));
    const s1 = shard(1, ["a.list.schema"], cs);
    const s2 = shard(2, ["b.list.thing", "c.list.other"], cs);
    const refused = (parts: MergeInput[]) => { try { checkShards(parts, "target t"); return ""; } catch (e) { expect(e).toBeInstanceOf(MergeError); return (e as Error).message; } };
    expect(refused([s1])).toBe("target t: shard 2/2 is missing (given: 1/2 s1)");
    expect(refused([s1, s1, s2])).toBe("target t: shard 1/2 is given twice (s1 and s1)");
    expect(refused([s1, shard(2, ["b.list.thing", "c.list.other"], cs, {}, 9)])).toMatch(/the shards disagree on the seed \(1 in s1, 9 in s2\): give every shard the same --seed/);
    expect(refused([s1, shard(2, ["a.list.schema", "c.list.other"], cs)])).toMatch(/the check a\.list\.schema is in shard 1\/2 and in shard 2\/2: the shards were split differently/);
    expect(refused([s1, shard(2, ["c.list.other"], cs)])).toMatch(/1 check\(s\) are in no shard \(b\.list\.thing\)/);
    expect(refused([s1, shard(2, ["b.list.thing", "c.list.other"], cs, { target: "https://other" })])).toMatch(/the shards ran against different targets/);
    const plain: MergeInput = { ...s2, label: "whole", summary: { ...s2.summary, shard: undefined } };
    expect(refused([s1, plain])).toBe("target t mixes shards with a run that is not one (whole)");
  });
});

describe("the default run, sharded in two (separate processes) and merged", () => {
  const work = mkdtempSync(join(tmpdir(), "shard-merge-"));
  let whole: any;
  let merge: { code: number | null; out: string; err: string };
  beforeAll(async () => {
    const runs = await Promise.all([
      cli(["run", "--seed", "1", "--quiet", "--report-dir", join(work, "whole")]),
      cli(["run", "--seed", "1", "--quiet", "--shard", "1/2", "--report-dir", join(work, "s1")]),
      cli(["run", "--seed", "1", "--quiet", "--shard", "2/2", "--report-dir", join(work, "s2")]),
    ]);
    for (const r of runs) expect(r.code, r.err).toBe(0);
    whole = json(join(work, "whole", "latest", "summary.json"));
    merge = await cli(["merge", join(work, "s1"), join(work, "s2"), "--out", join(work, "merged")]);
  }, 400_000);

  it("each shard runs its own checks and names the others as another shard's", () => {
    const [a, b] = ["s1", "s2"].map((s) => json(join(work, s, "latest", "summary.json")));
    expect(a.shard).toMatchObject({ index: 1, count: 2, target: "the embedded reference mock" });
    expect(a.shard.checks.length + b.shard.checks.length).toBe(whole.checks.length);
    expect(a.checks.filter((c: any) => !a.shard.checks.includes(c.id)).every((c: any) => c.status === "disabled" && /^runs in another shard \(this run is shard 1 of 2\)$/.test(c.message))).toBe(true);
    expect(readFileSync(join(work, "s1", "latest", "html", "index.html"), "utf8")).toMatch(/merge. makes the report of the whole run/);
    expect(existsSync(join(work, "s1", "latest", "shard.json"))).toBe(true);
  });

  it("summary.json, junit.xml, coverage and the HTML report are those of the unsharded run: every check once, the same verdicts", () => {
    expect(merge.code, merge.err).toBe(0);
    const merged = json(join(work, "merged", "summary.json"));
    const ajv = new Ajv2020({ allErrors: true });
    (addFormats as any)(ajv);
    const validate = ajv.compile(json(join(ROOT, "reports", "summary.schema.json")));
    expect(validate(merged), JSON.stringify(validate.errors)).toBe(true);
    expect(merged.checks.map((c: any) => c.id)).toEqual(whole.checks.map((c: any) => c.id));
    expect(statuses(merged)).toEqual(statuses(whole));
    expect(merged).toMatchObject({ result: whole.result, exitCode: whole.exitCode, seed: 1, totals: { ...whole.totals } });
    expect(merged.shard).toBeUndefined();
    expect(merged.merged.from.map((f: any) => `${f.shard} seed ${f.seed}`)).toEqual(["1/2 seed 1", "2/2 seed 1"]);
    // The coverage matrix: the same figures, operation by operation.
    expect(merged.coverage.percent).toEqual(whole.coverage.percent);
    const ops = (s: any) => s.coverage.operations.map((o: any) => [o.operation, o.statuses.seen, o.params.exercised, o.fields.validated, o.errorCodes]);
    expect(ops(merged)).toEqual(ops(whole));
    expect(merged.coverage.errorCodes.map((r: any) => `${r.operation} ${r.code} ${r.outcome}`)).toEqual(whole.coverage.errorCodes.map((r: any) => `${r.operation} ${r.code} ${r.outcome}`));
    // junit.xml: each check exactly once, counted as CI systems count.
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(readFileSync(join(work, "merged", "junit.xml"), "utf8"));
    const cases = [doc.testsuites.testsuite].flat().flatMap((s: any) => [s.testcase].flat());
    expect(cases.map((c: any) => c.name.split(":")[0]).sort()).toEqual(whole.checks.map((c: any) => c.id).sort());
    expect(Number(doc.testsuites.tests)).toBe(whole.totals.checks);
    // One Allure result per check, every one from the shard that ran it; the HTML report and the coverage page are there.
    const results = readdirSync(join(work, "merged", "allure-results")).filter((f) => f.endsWith("-result.json")).map((f) => json(join(work, "merged", "allure-results", f)));
    expect(results.length).toBe(whole.checks.length);
    expect(results.filter((r) => r.status === "passed").length).toBe(whole.totals.pass);
    expect(readFileSync(join(work, "merged", "html", "index.html"), "utf8").length).toBeGreaterThan(100_000);
    expect(readFileSync(join(work, "merged", "coverage.html"), "utf8")).toContain("licenses_get");
    expect(readFileSync(join(work, "merged", "summary.md"), "utf8")).toMatch(/ontap-conformance: conformant/);
  });

  it("a missing or duplicated shard, shards of another seed, or an --out that holds a run: exit 2 with one line, nothing written", async () => {
    const expectRefused = async (args: string[], says: RegExp) => {
      const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
      const r = await cli(["merge", ...args, "--out", out]);
      expect(r.code, r.err).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toMatch(says);
      expect(existsSync(out)).toBe(false);
    };
    await expectRefused([join(work, "s1")], /shard 2\/2 is missing/);
    await expectRefused([join(work, "s1"), join(work, "s2"), join(work, "s2")], /shard 2\/2 is given twice/);
    const other = join(work, "s2-seed-9");
    cpSync(join(work, "s2", "latest"), other, { recursive: true, dereference: true });
    writeFileSync(join(other, "summary.json"), JSON.stringify({ ...json(join(other, "summary.json")), seed: 9 }));
    await expectRefused([join(work, "s1"), other], /the shards disagree on the seed \(1 in \S+, 9 in \S+\): give every shard the same --seed/);
    const r = await cli(["merge", join(work, "s1"), join(work, "s2"), "--out", join(work, "merged")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/already holds a run/);
  });

  it("--shard needs --seed, and takes i/n", () => {
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, "run", ...args], { encoding: "utf8" });
    expect(run(["--shard", "1/2"]).stderr).toMatch(/--shard needs --seed N \(every shard the same\)/);
    for (const bad of ["0/2", "3/2", "two", "1/0"]) {
      const r = run(["--shard", bad, "--seed", "1"]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--shard takes i\/n with 1 <= i <= n/);
    }
    expect(run(["--durations", "x.json"]).stderr).toMatch(/--durations balances the shards of --shard i\/n/);
  });
});

describe("a sharded run with a baseline, merged", () => {
  it("says what the unsharded run says: its known failures counted apart, and the verdict line", async () => {
    const mock = await startMock({ password: "pw", mutant: findMutant("query.num-records-off-by-one") });
    try {
      const work = mkdtempSync(join(tmpdir(), "shard-baseline-"));
      const broken = ["history", "jobs", "licenses", "nodes", "packages"].map((c) => `${c}.list.num-records`);
      writeFileSync(join(work, "known.yaml"), broken.map((id) => `- { id: ${id}, reason: BURT 1 }`).join("\n"));
      const args = ["run", "--target", mock.url, "--password-env", "PW", "--seed", "1", "--no-html", "--only", "*.num-records,cluster.get.version", "--baseline", join(work, "known.yaml")];
      const [whole, ...shards] = await Promise.all([
        cli([...args, "--report-dir", join(work, "whole")], { PW: "pw" }),
        ...["1/2", "2/2"].map((s, i) => cli([...args, "--quiet", "--shard", s, "--report-dir", join(work, `s${i + 1}`)], { PW: "pw" })),
      ]);
      for (const r of [whole, ...shards]) expect(r.code, r.err).toBe(0);
      const merge = await cli(["merge", join(work, "s1"), join(work, "s2"), "--out", join(work, "merged"), "--no-html"]);
      expect(merge.code, merge.err).toBe(0);
      const last = (out: string) => out.trim().split("\n").at(-1);
      expect(last(whole.out)).toBe("result: conformant (5 known failures from the baseline, not counted)");
      expect(last(merge.out)).toBe(last(whole.out));
      expect(whole.out).toMatch(/ 5 failed \(5 known\), 0 errors, /);
      expect(merge.out).toMatch(/: \d+ checks, \d+ passed, 5 failed \(5 known\), 0 errors$/m);
    } finally {
      await mock.close();
    }
  }, 180_000);
});

describe("sharded fleets merge into the fleet", () => {
  let mocks: MockHandle[];
  beforeAll(async () => { mocks = await Promise.all([startMock({ password: "pw" }), startMock({ password: "pw", ontapVersion: "9.8" })]); });
  afterAll(async () => { await Promise.all(mocks.map((m) => m.close())); });

  it("two fleet runs, shard 1/2 and 2/2 of each target (balanced by the durations of a whole fleet run), merge into one fleet equal to the whole", async () => {
    const work = mkdtempSync(join(tmpdir(), "fleet-shards-"));
    const inv = join(work, "fleet.yaml");
    writeFileSync(inv, stringify({ defaults: { passwordEnv: "PW", only: "licenses.*,nodes.*,cluster.*,packages.*", seed: 4 }, targets: [{ name: "new", target: mocks[0].url }, { name: "old", target: mocks[1].url }] }));
    const args = ["run", "--targets", inv, "--no-html", "--quiet"];
    const whole = await cli([...args, "--report-dir", join(work, "whole")], { PW: "pw" });
    expect(whole.code, whole.err).toBe(0);
    const durations = join(work, "whole", "latest", "summary.json");
    const [a, b] = await Promise.all(["1/2", "2/2"].map((s, i) => cli([...args, "--shard", s, "--durations", durations, "--report-dir", join(work, `shard${i + 1}`)], { PW: "pw" })));
    expect([a.code, b.code], a.err + b.err).toEqual([0, 0]);
    const m = await cli(["merge", join(work, "shard1"), join(work, "shard2"), "--out", join(work, "merged"), "--no-html"]);
    expect(m.code, m.err).toBe(0);
    const merged = json(join(work, "merged", "summary.json"));
    const fleet = json(durations);
    expect(merged.targets.map((t: any) => t.name)).toEqual(["new", "old"]);
    for (const t of fleet.targets) {
      const mt = merged.targets.find((x: any) => x.name === t.name);
      expect(statuses(mt)).toEqual(statuses(t));
      expect(mt.verdict).toBe(t.verdict);
      expect(mt.merged.from.map((f: any) => f.shard)).toEqual(["1/2", "2/2"]);
      expect(mt.merged.from[0].seed).toBe(4);
    }
    const shard = json(join(work, "shard1", "latest", "summary.json")).targets[0].shard;
    expect(shard.durations).toMatchObject({ from: durations });
    expect(merged.merged.from.length).toBe(4);
  }, 300_000);
});
