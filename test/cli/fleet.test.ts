// run --targets (issue 21): a fleet of mock clusters in one run. Three
// targets on two releases, one broken by a mutant: one summary.json with a
// verdict per target and fleet totals (valid against its schema), junit.xml
// with the target's name in every suite, one Allure report with an
// environment per target, the matrix page, and exit 1. Each target is its
// own run: an unreachable or refused target is "could not run" and the
// others are not touched by it; a Ctrl-C on one target's process stops that
// target only; a Ctrl-C on the fleet starts no further target. Mistakes in
// the inventory are exit 2 naming the target, before anything is written.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XMLParser } from "fast-xml-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { stringify } from "yaml";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { findMutant } from "../../mock/mutants/catalog.ts";
import { expectSettled, readAllureResults } from "../support/allure-results.ts";
import { startRecordingProxy, type RecordingProxy } from "../support/recording-proxy.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
const ROOT = join(import.meta.dirname, "../..");

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** The CLI in a child process (async: the mocks live in this process). */
function cli(args: string[], env: Record<string, string | undefined> = {}, onSpawn?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ONTAP_PASSWORD: undefined, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  onSpawn?.(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

function inventory(dir: string, data: unknown): string {
  const file = join(dir, `targets-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(data));
  return file;
}

const latest = (dir: string, f: string) => join(dir, "latest", f);
const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));

function schemaValidator() {
  const ajv = new Ajv2020({ allErrors: true });
  (addFormats as any)(ajv);
  return ajv.compile(json(join(ROOT, "reports", "summary.schema.json")));
}

describe("a fleet of three mock targets (two releases, one broken by a mutant)", () => {
  let mocks: MockHandle[] = [];
  const work = mkdtempSync(join(tmpdir(), "fleet-"));
  let run: Run;
  beforeAll(async () => {
    mocks = await Promise.all([
      startMock({ password: "pw-a", ontapVersion: "9.18.1" }),
      startMock({ password: "pw-b", ontapVersion: "9.10.1" }),
      startMock({ password: "pw-c", ontapVersion: "9.18.1", mutant: findMutant("query.num-records-off-by-one") }),
    ]);
    const file = inventory(work, {
      defaults: { username: "admin", concurrency: 8 },
      targets: [
        { name: "lab-new", target: mocks[0].url, passwordEnv: "PW_A" },
        { name: "lab-old", target: mocks[1].url, passwordEnv: "PW_B", seed: 7 },
        { name: "lab-broken", target: mocks[2].url, passwordEnv: "PW_C" },
      ],
    });
    run = await cli(["run", "--targets", file, "--report-dir", join(work, "reports"), "--seed", "1", "--parallel-targets", "3"], { PW_A: "pw-a", PW_B: "pw-b", PW_C: "pw-c" });
  }, 300_000);
  afterAll(async () => { await Promise.all(mocks.map((m) => m.close())); });

  it("one summary.json: a verdict per target, fleet totals, the worst verdict as exit code (1)", () => {
    expect(run.code, run.err).toBe(1);
    const fleet = json(latest(join(work, "reports"), "summary.json"));
    const validate = schemaValidator();
    expect(validate(fleet), JSON.stringify(validate.errors)).toBe(true);
    expect(fleet).toMatchObject({ result: "not conformant", exitCode: 1, verdicts: { conformant: 2, "not conformant": 1, "could not run": 0, interrupted: 0 }, parallelTargets: 3 });
    const byName = Object.fromEntries(fleet.targets.map((t: any) => [t.name, t]));
    expect(Object.keys(byName)).toEqual(["lab-new", "lab-old", "lab-broken"]);
    expect(byName["lab-new"]).toMatchObject({ target: mocks[0].url, ontapVersion: "9.18.1", profile: "read-only", verdict: "conformant", exitCode: 0, seed: 1 });
    // A flag wins over the inventory: --seed 1 for every target, though lab-old's own entry says 7.
    expect(byName["lab-old"]).toMatchObject({ ontapVersion: "9.10.1", verdict: "conformant", seed: 1 });
    expect(byName["lab-broken"]).toMatchObject({ verdict: "not conformant", exitCode: 1 });
    const failed = byName["lab-broken"].checks.filter((c: any) => c.status === "fail").map((c: any) => c.id).sort();
    expect(failed).toEqual(["history.list.num-records", "jobs.list.num-records", "licenses.list.num-records", "nodes.list.num-records", "packages.list.num-records"]);
    // Fleet totals are the targets' summed; each target is its own run with its own summary.json.
    for (const k of ["pass", "fail", "skip", "disabled", "error", "checks"]) expect(fleet.totals[k]).toBe(fleet.targets.reduce((n: number, t: any) => n + t.totals[k], 0));
    for (const t of fleet.targets) {
      const own = json(join(work, "reports", "latest", t.runDir, "summary.json"));
      expect(validate(own), JSON.stringify(validate.errors)).toBe(true);
      expect(own).toMatchObject({ name: t.name, result: t.verdict, target: t.target, ontapVersion: t.ontapVersion });
      expect(own.checks.map((c: any) => c.status)).toEqual(t.checks.map((c: any) => c.status));
    }
    // The terminal: a line per target as it ends, then the fleet's verdict.
    expect(run.out).toMatch(/lab-broken: not conformant \(http:\/\/127\.0\.0\.1:\d+, ONTAP 9\.18\.1, read-only, seed 1\): \d+ passed, 5 failed/);
    expect(run.out).toMatch(/^result: not conformant$/m);
  });

  it("junit.xml: every suite carries its target's name; counts per target agree with summary.json", () => {
    const fleet = json(latest(join(work, "reports"), "summary.json"));
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(readFileSync(latest(join(work, "reports"), "junit.xml"), "utf8"));
    const suites: any[] = [doc.testsuites.testsuite].flat();
    for (const s of suites) expect(s.name).toMatch(/^(lab-new|lab-old|lab-broken): (conventions|licensing|software|jobs|cluster)$/);
    for (const t of fleet.targets) {
      const mine = suites.filter((s) => s.name.startsWith(`${t.name}: `));
      expect(mine.reduce((n, s) => n + Number(s.tests), 0)).toBe(t.totals.checks);
      expect(mine.reduce((n, s) => n + Number(s.failures), 0)).toBe(t.totals.fail);
      for (const c of mine.flatMap((s) => [s.testcase].flat())) expect(c.classname.startsWith(`${t.name}.`)).toBe(true);
    }
    expect(Number(doc.testsuites.tests)).toBe(fleet.totals.checks);
  });

  it("one Allure report: every result labelled by its target, an environment per target; summary.md and the matrix page", () => {
    const dir = join(work, "reports", "latest");
    const fleet = json(join(dir, "summary.json"));
    const results = readdirSync(join(dir, "allure-results")).filter((f) => f.endsWith("-result.json")).map((f) => json(join(dir, "allure-results", f)));
    expect(results.length).toBe(fleet.totals.checks);
    const label = (r: any, n: string) => r.labels.find((l: any) => l.name === n)?.value;
    for (const t of fleet.targets) {
      const mine = results.filter((r) => label(r, "target") === t.name);
      expect(mine.length).toBe(t.totals.checks);
      expect(new Set(mine.map((r) => r.historyId)).size).toBe(t.totals.checks);
      expect(mine.filter((r) => r.status === "failed").map((r) => label(r, "story")).sort()).toEqual(t.checks.filter((c: any) => c.status === "fail").map((c: any) => c.id).sort());
    }
    // The same check on two targets is two tests, never a retry of one.
    expect(new Set(results.map((r) => r.historyId)).size).toBe(results.length);
    const html = readFileSync(join(dir, "html", "index.html"), "utf8");
    expect(html.length).toBeGreaterThan(100_000);
    const md = readFileSync(join(dir, "summary.md"), "utf8");
    expect(md).toMatch(/^## ❌ ontap-conformance fleet: not conformant/);
    expect(md).toMatch(/\| lab-old \| `http:\/\/127\.0\.0\.1:\d+` \| 9\.10\.1 \| read-only \| ✅ conformant \|/);
    expect(md).toMatch(/### lab-broken \(ONTAP 9\.18\.1\): not conformant/);
    const matrix = readFileSync(join(dir, "matrix.html"), "utf8");
    // A row per check, a column per target (its release in the header), each cell a link to its result in the report.
    expect(matrix.match(/<th class="id"/g)?.length).toBe(fleet.targets[0].checks.length);
    for (const v of ["9.18.1", "9.10.1"]) expect(matrix).toContain(`<div>${v}</div>`);
    expect(matrix.match(/href="html\/index\.html#[0-9a-f]{32}"/g)?.length).toBe(fleet.totals.checks);
    expect(matrix).toMatch(/<td class="fail" title="lab-broken: fail — num_records is 11 but 10 records came back"><a href="html\/index\.html#[0-9a-f]{32}">✗<\/a><\/td>/);
  });

  it("compare takes two fleet runs and compares target by target, by name", async () => {
    const before = join(work, "reports", "latest");
    // The later fleet: lab-new now fails one check.
    const after = join(work, "after");
    cpSync(before, after, { recursive: true, dereference: true });
    const fleet = json(join(after, "summary.json"));
    const t = fleet.targets.find((x: any) => x.name === "lab-new");
    const own = json(join(after, t.runDir, "summary.json"));
    for (const s of [t, own]) Object.assign(s.checks.find((c: any) => c.id === "cluster.get.version"), { status: "fail", message: "version.full is missing" });
    writeFileSync(join(after, "summary.json"), JSON.stringify(fleet));
    writeFileSync(join(after, t.runDir, "summary.json"), JSON.stringify(own));
    const r = await cli(["compare", before, after, "--out", join(work, "cmp")]);
    expect(r.code, r.err).toBe(1);
    const md = readFileSync(join(work, "cmp", "compare.md"), "utf8");
    expect(md).toContain("**1 regression(s) on 1 of 3 target(s): lab-new (1).**");
    expect(md).toMatch(/### lab-new: [\s\S]*\| `cluster\.get\.version` \| pass \| fail \| version\.full is missing \|/);
    expect(md).toMatch(/\| lab-broken \| not conformant \| not conformant \| 0 \| 0 \| 0 \|/);
    expect((await cli(["compare", before, before, "--out", join(work, "same")])).code).toBe(0);
    const mixed = await cli(["compare", before, join(before, t.runDir)]);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toMatch(/cannot compare a fleet run .* with the run of one target/);
  });
});

describe("each target is its own run", () => {
  let mock: MockHandle;
  beforeAll(async () => { mock = await startMock({ password: "pw" }); });
  afterAll(async () => { await mock.close(); });

  it("an unreachable target and one that refuses the password could not run (exit 2); the third is validated as usual", async () => {
    const work = mkdtempSync(join(tmpdir(), "fleet-faults-"));
    const file = inventory(work, {
      defaults: { passwordEnv: "PW", only: "cluster.*,licenses.list.*", timeoutMs: 2000 },
      targets: [
        { name: "good", target: mock.url },
        { name: "gone", target: "http://127.0.0.1:9" },
        { name: "refused", target: mock.url, passwordEnv: "WRONG" },
      ],
    });
    const r = await cli(["run", "--targets", file, "--report-dir", join(work, "reports"), "--no-html"], { PW: "pw", WRONG: "not-the-password" });
    expect(r.code, r.err).toBe(2);
    const fleet = json(latest(join(work, "reports"), "summary.json"));
    const byName = Object.fromEntries(fleet.targets.map((t: any) => [t.name, t]));
    expect(byName.good).toMatchObject({ verdict: "conformant", exitCode: 0 });
    expect(byName.gone).toMatchObject({ verdict: "could not run", exitCode: 2, reason: expect.stringMatching(/cannot reach the target/) });
    expect(byName.refused).toMatchObject({ verdict: "could not run", reason: expect.stringMatching(/refused the credentials \(401\)/) });
    // Their reasons reach stderr prefixed by the target's name; the good target's run never saw a fault.
    expect(r.err).toMatch(/^\[gone\] ontap-conformance: cannot reach the target/m);
    expect(byName.good.checks.filter((c: any) => c.status === "error")).toEqual([]);
    expect(readFileSync(latest(join(work, "reports"), "html/index.html"), "utf8")).toMatch(/no HTML report: the run was made with --no-html/);
  }, 180_000);

  it("with a baseline: a target's line counts the known failures as a run's does; a target that could not run keeps every error (none known) in its reports and the fleet's", async () => {
    const work = mkdtempSync(join(tmpdir(), "fleet-baseline-"));
    const broken = await startMock({ password: "pw", mutant: findMutant("query.num-records-off-by-one") });
    try {
      const baseline = join(work, "known.yaml");
      writeFileSync(baseline, '- id: licenses.list.num-records\n  reason: "BURT 1"\n');
      const file = inventory(work, {
        defaults: { passwordEnv: "PW", only: "cluster.*,licenses.list.*", timeoutMs: 2000, baseline },
        targets: [{ name: "broken", target: broken.url }, { name: "gone", target: "http://127.0.0.1:9" }],
      });
      const r = await cli(["run", "--targets", file, "--report-dir", join(work, "reports"), "--no-html"], { PW: "pw" });
      expect(r.code, r.err).toBe(2);
      const dir = join(work, "reports", "latest");
      const fleet = json(join(dir, "summary.json"));
      const byName = Object.fromEntries(fleet.targets.map((t: any) => [t.name, t]));
      expect(byName.broken).toMatchObject({ verdict: "conformant", totals: { fail: 1, known: 1 } });
      expect(r.out).toMatch(/^ {2}broken: conformant \([^)]*\): \d+ passed, 1 failed \(1 known\), 0 errors, /m);
      const gone = json(join(dir, byName.gone.runDir, "summary.json"));
      expect(gone).toMatchObject({ result: "could not run", totals: { known: 0 } });
      expect(gone.checks.filter((c: any) => c.known)).toEqual([]);
      expect(r.out).toMatch(new RegExp(`^ {2}gone: could not run \\([^)]*\\): 0 passed, 0 failed, ${gone.totals.error} errors, `, "m"));
      // JUnit, the target's own and the fleet's, counts every one of its errors.
      const errors = (xml: string, suites: RegExp) => [...xml.matchAll(/<testsuite name="([^"]*)" tests="\d+" failures="\d+" errors="(\d+)"/g)].filter((m) => suites.test(m[1])).reduce((n, m) => n + Number(m[2]), 0);
      expect(errors(readFileSync(join(dir, byName.gone.runDir, "junit.xml"), "utf8"), /./)).toBe(gone.totals.error);
      expect(errors(readFileSync(join(dir, "junit.xml"), "utf8"), /^gone: /)).toBe(gone.totals.error);
    } finally {
      await broken.close();
    }
  }, 180_000);

  it("Ctrl-C on one target's process stops that target only; Ctrl-C on the fleet starts no further target (exit 130)", async () => {
    const work = mkdtempSync(join(tmpdir(), "fleet-int-"));
    const slow = await startMock({ password: "pw", latencyMs: 40 });
    const proxies: RecordingProxy[] = await Promise.all([startRecordingProxy(slow.url), startRecordingProxy(mock.url), startRecordingProxy(mock.url)]);
    try {
      // Two at once; SIGINT to the process of "a" (found by its --name) once it is sending requests.
      const file = inventory(work, {
        defaults: { passwordEnv: "PW", only: "licenses.*,nodes.*,cluster.*" },
        targets: [{ name: "a", target: proxies[0].url }, { name: "b", target: proxies[1].url }],
      });
      let fleetPid = 0;
      const signalA = setInterval(() => {
        if (!fleetPid || proxies[0].requests.length < 5) return;
        const ps = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(fleetPid)], { encoding: "utf8" }).stdout;
        const pid = ps.split("\n").find((l) => / --name a /.test(l))?.trim().split(/\s+/)[0];
        if (pid) {
          clearInterval(signalA);
          process.kill(Number(pid), "SIGINT");
        }
      }, 50);
      const one = await cli(["run", "--targets", file, "--report-dir", join(work, "one"), "--no-html", "--parallel-targets", "2", "--seed", "3"], { PW: "pw" }, (c) => { fleetPid = c.pid!; });
      clearInterval(signalA);
      const f1 = json(latest(join(work, "one"), "summary.json"));
      expect(f1.targets.map((t: any) => `${t.name}:${t.verdict}`)).toEqual(["a:interrupted", "b:conformant"]);
      expect(one.code).toBe(130);
      expect(f1.interrupted).toBeUndefined();

      // One at a time, with the HTML report; Ctrl-C on the fleet while "a" runs: "a" stops and reports, "b" is never
      // started (nothing reaches it). No HTML report is made, but every target's Allure results, and the fleet's, are settled.
      const file2 = inventory(work, {
        defaults: { passwordEnv: "PW", only: "licenses.*,nodes.*,cluster.*" },
        targets: [{ name: "a", target: proxies[0].url }, { name: "b", target: proxies[2].url }],
      });
      const sent = proxies[0].requests.length;
      let fleet: ReturnType<typeof spawn> | undefined;
      const signalFleet = setInterval(() => {
        if (fleet && proxies[0].requests.length > sent + 5) {
          clearInterval(signalFleet);
          fleet.kill("SIGINT");
        }
      }, 50);
      const two = await cli(["run", "--targets", file2, "--report-dir", join(work, "two"), "--parallel-targets", "1", "--seed", "3"], { PW: "pw" }, (c) => { fleet = c; });
      clearInterval(signalFleet);
      expect(two.code).toBe(130);
      expect(two.err).toMatch(/^interrupted: no further target starts/m);
      const f2 = json(latest(join(work, "two"), "summary.json"));
      expect(f2).toMatchObject({ result: "interrupted", exitCode: 130, interrupted: true });
      expect(f2.targets.map((t: any) => `${t.name}:${t.verdict}`)).toEqual(["a:interrupted", "b:interrupted"]);
      expect(f2.targets[1].reason).toMatch(/not started/);
      expect(proxies[2].requests).toEqual([]);
      expect(schemaValidator()(f2)).toBe(true);
      const dir2 = join(work, "two", "latest");
      expect(readFileSync(join(dir2, "html", "index.html"), "utf8")).toMatch(/no HTML report: the run was interrupted \(Ctrl-C\)/);
      for (const t of f2.targets) {
        const own = json(join(dir2, t.runDir, "summary.json"));
        expectSettled(readAllureResults(join(dir2, t.runDir, "allure-results")), own.checks);
        expectSettled(readAllureResults(join(dir2, "allure-results"), t.name), own.checks);
      }
    } finally {
      await Promise.all(proxies.map((p) => p.close()));
      await slow.close();
    }
  }, 240_000);
});

describe("the inventory (run --targets FILE): mistakes are exit 2 with one line naming the target, before anything is written", () => {
  const work = mkdtempSync(join(tmpdir(), "fleet-usage-"));
  const reports = join(work, "reports");
  const bad = (data: unknown, args: string[] = [], env: Record<string, string> = { ONTAP_PASSWORD: "x" }) => {
    const r = spawnSync(process.execPath, [BIN, "run", "--targets", inventory(work, data), "--report-dir", reports, ...args], { encoding: "utf8", env: { ...process.env, ONTAP_PASSWORD: undefined, ...env } });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
    return r.stderr.trim();
  };
  const one = [{ name: "a", target: "https://a.example.com" }];

  it("unknown keys, a password, a bad value, a duplicate name", () => {
    expect(bad({ targets: [{ name: "a", target: "https://a.example.com", profil: "read-only" }] })).toMatch(/targets\[0\] \("a"\)\."profil" \(did you mean "profile"\?\)$/);
    expect(bad({ targets: [{ name: "a", target: "https://a.example.com", password: "hunter2" }] })).toMatch(/holds a password \(target "a"\): use passwordEnv/);
    expect(bad({ targets: [...one, { name: "b", target: "https://b.example.com", concurrency: 0 }] })).toMatch(/targets\[1\] \("b"\)\.concurrency must be a whole number from 1 to 256, not 0$/);
    expect(bad({ targets: [...one, { name: "a", target: "https://b.example.com" }] })).toMatch(/the name "a" is given to two targets/);
    expect(bad({ defaults: { keep: 3 }, targets: one })).toMatch(/"keep" belongs to the whole fleet run/);
    expect(bad({ targts: one })).toMatch(/unknown key "targts" \(did you mean "targets"\?\)/);
    expect(bad({ targets: [{ name: "a b", target: "https://a.example.com" }] })).toMatch(/name must be a name of letters, digits, _ and -/);
  });

  it("a destructive target without --allow-destructive, a selection that matches nothing, a password variable that is not set, an unknown --only-targets", () => {
    expect(bad({ targets: [{ ...one[0], profile: "destructive" }] })).toMatch(/target "a" of \S+ has profile destructive, which also needs --allow-destructive/);
    expect(bad({ targets: [{ ...one[0], only: "licences.list.schema" }] })).toMatch(/target "a" of \S+: only "licences\.list\.schema" matches no check \(did you mean "licenses\.list\.schema"\?\)/);
    expect(bad({ targets: [{ ...one[0], passwordEnv: "NOT_SET_ANYWHERE" }] })).toMatch(/target "a" of \S+: the environment variable NOT_SET_ANYWHERE \(passwordEnv\) is not set/);
    expect(bad({ targets: one }, [], {})).toMatch(/target "a" of \S+ has no password: set ONTAP_PASSWORD/);
    expect(bad({ targets: one }, ["--only-targets", "nope"])).toMatch(/--only-targets "nope" is no target of \S+; its targets are a$/);
    expect(bad({ targets: one }, ["--target", "https://x.example.com"])).toMatch(/--target does not go with --targets/);
    expect(bad({ targets: one }, ["--shard", "1/2"])).toMatch(/--shard needs a seed for target "a"/);
    expect(existsSync(reports)).toBe(false);
  });
});

describe("mock --fleet", () => {
  it("starts mocks on releases spread from 9.6 to 9.19.1 and prints an inventory that run --targets takes", async () => {
    const work = mkdtempSync(join(tmpdir(), "mock-fleet-"));
    const file = join(work, "fleet.yaml");
    const child = spawn(process.execPath, [BIN, "mock", "--fleet", "3", "--inventory", file], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const printed = await new Promise<string>((resolve) => {
        let out = "";
        child.stdout!.on("data", (d) => { out += d; if (/^# ready: /m.test(out)) resolve(out); });
      });
      expect(readFileSync(file, "utf8")).toBe(printed.replace(/^# ready: .*\n/m, ""));
      const inv = (await import("yaml")).parse(printed);
      expect(inv.targets.map((t: any) => t.name)).toEqual(["ontap-9-6-0", "ontap-9-13-1", "ontap-9-19-1"]);
      expect(inv.defaults).toMatchObject({ profile: "destructive", testKeys: true, faultSwitch: true });
      const r = await cli(["run", "--targets", file, "--profile", "read-only", "--only", "cluster.get.version", "--no-html", "--report-dir", join(work, "reports")], { ONTAP_PASSWORD: "netapp123" });
      expect(r.code, r.err).toBe(0);
      const fleet = json(latest(join(work, "reports"), "summary.json"));
      expect(fleet.targets.map((t: any) => t.ontapVersion)).toEqual(["9.6.0", "9.13.1", "9.19.1"]);
    } finally {
      child.kill("SIGINT");
    }
  }, 120_000);
});
