// One verdict everywhere (issue 20): for a read-only run against a mock that
// breaks one rule (num_records off by one), the terminal, summary.json,
// junit.xml (parsed as a CI system parses it), the Allure result files the
// HTML report is made from, summary.md, the bundle and the exit code all say
// the same thing for every check: fail, pass, skip with its reason, and,
// with a baseline, known, expired and fixed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { findMutant } from "../../mock/mutants/catalog.ts";
import { allChecks } from "../../suites/index.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
const BROKEN = ["history.list.num-records", "jobs.list.num-records", "licenses.list.num-records", "nodes.list.num-records", "packages.list.num-records"];
// What a read-only run of the suite holds, from the suite itself (it grows): every check, and those the profile skips.
const ALL = allChecks();
const BY_PROFILE = { "non-disruptive": ALL.filter((c) => c.profile === "non-disruptive").length, destructive: ALL.filter((c) => c.profile === "destructive").length };
// The paging checks of the broken collections: their pages carry the same wrong num_records, which the
// num-records checks own and report, so they are "not tested" (one cause, one failure).
const NOT_TESTED = ALL.filter((c) => c.id.endsWith(".list.pages") && BROKEN.includes(c.id.replace(/\.pages$/, ".num-records"))).map((c) => c.id);
const SKIPPED = BY_PROFILE["non-disruptive"] + BY_PROFILE.destructive + NOT_TESTED.length;
const PASSED = ALL.length - SKIPPED - BROKEN.length;

interface Run {
  code: number | null;
  out: string;
  err: string;
  dir: string;
  summary: any;
}

function run(mock: MockHandle, args: string[], dir = mkdtempSync(join(tmpdir(), "verdict-"))): Promise<Run> {
  const child = spawn(process.execPath, [BIN, "run", "--target", mock.url, "--password-env", "P", "--seed", "1", "--report-dir", dir, ...args], { env: { ...process.env, P: "pw", NO_COLOR: "1", FORCE_COLOR: undefined }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => {
    const file = join(dir, "latest", "summary.json");
    resolve({ code, out, err, dir, summary: existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined });
  }));
}

/** junit.xml as a CI system reads it: per <testsuite>, its testcases' failure/error/skipped elements counted (not the attributes). */
function readJUnit(dir: string) {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => name === "testsuite" || name === "testcase" }).parse(readFileSync(join(dir, "latest", "junit.xml"), "utf8"));
  const suites = doc.testsuites.testsuite as any[];
  const cases = new Map<string, any>();
  const perSuite: Record<string, { tests: number; failures: number; errors: number; skipped: number; attributes: { failures: number; errors: number; skipped: number } }> = {};
  for (const s of suites) {
    const tc = s.testcase as any[];
    perSuite[s.name] = {
      tests: tc.length,
      failures: tc.filter((c) => c.failure !== undefined).length,
      errors: tc.filter((c) => c.error !== undefined).length,
      skipped: tc.filter((c) => c.skipped !== undefined).length,
      attributes: { failures: Number(s.failures), errors: Number(s.errors), skipped: Number(s.skipped) },
    };
    for (const c of tc) cases.set(String(c.name).split(":")[0], c);
  }
  return { perSuite, cases, total: { failures: Number(doc.testsuites.failures), errors: Number(doc.testsuites.errors), skipped: Number(doc.testsuites.skipped) } };
}

/** The Allure result files of the latest run, by check id. */
function readAllure(dir: string): Map<string, any> {
  const results = join(dir, "latest", "allure-results");
  const byId = new Map<string, any>();
  for (const f of readdirSync(results).filter((n) => n.endsWith("-result.json"))) {
    const r = JSON.parse(readFileSync(join(results, f), "utf8"));
    const id = r.labels.find((l: any) => l.name === "story").value;
    expect(byId.has(id), `one result per check: ${id}`).toBe(false);
    byId.set(id, r);
  }
  return byId;
}

function allSteps(steps: any[] = []): any[] {
  return steps.flatMap((s) => [s, ...allSteps(s.steps)]);
}

let bad: MockHandle;
let good: MockHandle;
let first: Run;
const work = mkdtempSync(join(tmpdir(), "verdict-work-"));

beforeAll(async () => {
  bad = await startMock({ password: "pw", mutant: findMutant("query.num-records-off-by-one") });
  good = await startMock({ password: "pw" });
  // A whole read-only run with the HTML report, the bundle and a baseline written from it.
  first = await run(bad, ["--bundle", "--write-baseline", join(work, "written.yaml")]);
}, 300_000);
afterAll(async () => {
  await bad?.close();
  await good?.close();
});

describe("a read-only run that finds five failures", () => {
  it("exit code, summary.json and the terminal agree: not conformant, five failures, grouped under their area with Received and Documented", () => {
    expect(first.code, first.err).toBe(1);
    expect(first.summary).toMatchObject({ result: "not conformant", exitCode: 1, totals: { fail: BROKEN.length, error: 0, skip: SKIPPED } });
    expect(first.summary.checks.filter((c: any) => c.status === "fail").map((c: any) => c.id).sort()).toEqual(BROKEN);
    const out = first.out;
    expect(out).toMatch(new RegExp(`^${ALL.length} checks: ${PASSED} passed, ${BROKEN.length} failed, 0 errors, ${SKIPPED} skipped, 0 disabled; 1 warning `, "m"));
    // The failures under their area, each followed by what was received and documented, and the curl line.
    const failures = out.slice(out.indexOf(`failures (${BROKEN.length})`), out.indexOf("warnings ("));
    expect(failures).toMatch(/^ {2}conventions\n {4}FAIL {2}history\.list\.num-records: num_records is 3 but 2 records came back\n {10}Received: 3\n {10}Documented: 2\n {10}Reproduce with: curl /m);
    // No area header without a line under it (the progress no longer prints headers).
    expect(out).not.toMatch(/^[a-z]+:\n(?! )/m);
    // Warnings and skip reasons come with their text.
    expect(out).toMatch(/warnings \(1, in 1 check[^\n]*\n {2}WARN examples\.licenses-get\.replay: docs quirk/);
    expect(out).toMatch(new RegExp(`skipped \\(${SKIPPED}\\), by reason:\\n +${BY_PROFILE["non-disruptive"]} × needs the non-disruptive profile \\(this run: read-only\\)\\n +${BY_PROFILE.destructive} × needs the destructive profile \\(this run: read-only\\)`));
    expect(out).toMatch(/^slowest: (\S+ \d+\.\d s, ){4}\S+ \d+\.\d s$/m);
    // report: names the HTML file, and the verdict closes the output.
    expect(out).toMatch(new RegExp(`^report: ${join(first.dir, "runs", first.summary.runId, "html", "index.html").replace(/[.]/g, "\\.")}$`, "m"));
    expect(out.trim().split("\n").at(-1)).toBe(`result: not conformant (${BROKEN.length} failed)`);
  });

  it("junit.xml, counted per suite as a CI system counts it, has the failures, the skips with their reasons, and the warning", () => {
    const j = readJUnit(first.dir);
    expect(j.total).toEqual({ failures: BROKEN.length, errors: 0, skipped: SKIPPED });
    for (const [name, s] of Object.entries(j.perSuite)) {
      const inArea = first.summary.checks.filter((c: any) => c.area === name);
      expect(s.tests, name).toBe(inArea.length);
      expect({ failures: s.failures, errors: s.errors, skipped: s.skipped }, name).toEqual({
        failures: inArea.filter((c: any) => c.status === "fail").length,
        errors: inArea.filter((c: any) => c.status === "error").length,
        skipped: inArea.filter((c: any) => c.status === "skip" || c.status === "disabled").length,
      });
      expect(s.attributes, `${name}: the attributes say what the elements say`).toEqual({ failures: s.failures, errors: s.errors, skipped: s.skipped });
    }
    expect(j.cases.get("licenses.list.num-records").failure.message).toBe("num_records is 11 but 10 records came back");
    expect(j.cases.get("software.validate.changes-nothing").skipped.message).toBe("skip: needs the non-disruptive profile (this run: read-only)");
    expect(j.cases.get("examples.licenses-get.replay")["system-out"]).toMatch(/^warning: docs quirk example-undocumented-parameter/);
  });

  it("the Allure results hold every check of the run, a failure as failed (not broken), the failing step failed, skips with their reason, bodies as JSON, no stack trace", () => {
    const allure = readAllure(first.dir);
    expect([...allure.keys()].sort()).toEqual(first.summary.checks.map((c: any) => c.id).sort());
    const expected = { pass: "passed", fail: "failed", error: "broken", skip: "skipped", disabled: "skipped" } as const;
    for (const c of first.summary.checks) expect(allure.get(c.id).status, c.id).toBe(expected[c.status as keyof typeof expected]);
    const failed = allure.get("licenses.list.num-records");
    expect(failed.statusDetails.message).toMatch(/^num_records is 11 but 10 records came back\nReceived: 11\nDocumented: 10\nReproduce with: curl /);
    const step = failed.steps.find((s: any) => /^GET \S+\/api\/cluster\/licensing\/licenses → 200$/.test(s.name));
    expect(step.status).toBe("failed");
    const attachments = Object.fromEntries(allSteps(step.steps).flatMap((s) => s.attachments ?? []).map((a: any) => [a.name, a]));
    expect(Object.keys(attachments).sort()).toEqual(["request", "response"]);
    const response = JSON.parse(readFileSync(join(first.dir, "latest", "allure-results", attachments.response.source), "utf8"));
    expect(attachments.response.type).toBe("application/json");
    expect(typeof response.body, "the body is a JSON document, not an escaped string").toBe("object");
    expect(response.body.num_records).toBe(11);
    // A skip (by profile: no worker ran it) carries its reason; the warning is visible.
    expect(allure.get("software.validate.changes-nothing").statusDetails.message).toBe("skipped: needs the non-disruptive profile (this run: read-only)");
    const warned = allure.get("examples.licenses-get.replay");
    expect(warned.description).toMatch(/\*\*Warnings \(1\)\*\*\n\n- docs quirk example-undocumented-parameter/);
    expect(warned.labels).toContainEqual({ name: "tag", value: "warning" });
    // A passing check names its requests but carries no bodies; nothing anywhere has a stack trace.
    expect(allSteps(allure.get("cluster.get.version").steps).flatMap((s) => s.attachments ?? [])).toEqual([]);
    const text = readdirSync(join(first.dir, "latest", "allure-results")).filter((f) => f.endsWith("-result.json")).map((f) => readFileSync(join(first.dir, "latest", "allure-results", f), "utf8")).join("\n");
    expect(text).not.toMatch(/"trace"|\s+at \S+ \(/);
  });

  it("summary.md, the HTML report's size, the bundle and the written baseline", () => {
    const latest = join(first.dir, "latest");
    const md = readFileSync(join(latest, "summary.md"), "utf8");
    expect(md).toMatch(/^## ❌ ontap-conformance: not conformant/);
    expect(md).toContain("| `licenses.list.num-records` | conventions | num_records is 11 but 10 records came back |");
    expect(statSync(join(latest, "html", "index.html")).size).toBeLessThanOrEqual(3_000_000);
    const bundle = join(latest, "bundle.tar.gz");
    const listed = spawnSync("tar", ["-tzf", bundle], { encoding: "utf8" }).stdout.trim().split("\n");
    const root = `ontap-conformance-${first.summary.runId}`;
    for (const f of ["bundle.json", "summary.json", "summary.md", "junit.xml", "coverage.html", "html/index.html", ...BROKEN.map((id) => `exchanges/${id}.json`)]) expect(listed, f).toContain(`${root}/${f}`);
    // Only the checks that did not pass (failed, or not tested because of a failure) have their exchanges in it.
    expect(listed.filter((f) => f.includes("/exchanges/")).length).toBe(BROKEN.length + NOT_TESTED.length);
    const manifest = JSON.parse(spawnSync("tar", ["-xzOf", bundle, `${root}/bundle.json`], { encoding: "utf8" }).stdout);
    expect(manifest).toMatchObject({ format: "ontap-conformance/bundle@1", seed: 1, ontapVersion: "9.18.1", profile: "read-only", result: "not conformant", spec: { file: "spec/ontap.yaml", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const written = parseYaml(readFileSync(join(work, "written.yaml"), "utf8"));
    expect(written.map((e: any) => e.id).sort()).toEqual(BROKEN);
  });
});

describe("with a baseline", () => {
  it("known failures are not counted anywhere: exit 0, 'conformant', JUnit skipped with the baseline's reason, Allure failed but known", async () => {
    writeFileSync(join(work, "all-known.yaml"), BROKEN.map((id) => `- { id: ${id}, reason: "BURT 1234", owner: storage-team, expires: "2999-12-31" }`).join("\n"));
    const r = await run(bad, ["--baseline", join(work, "all-known.yaml"), "--only", "*.num-records,cluster.get.version"]);
    expect(r.code, r.err).toBe(0);
    expect(r.summary).toMatchObject({ result: "conformant", exitCode: 0, totals: { fail: BROKEN.length, known: BROKEN.length } });
    expect(r.out).toMatch(/KNOWN licenses\.list\.num-records: num_records is 11 but 10 records came back\n {10}known \(baseline\): BURT 1234 \(owner: storage-team, expires 2999-12-31\)/);
    expect(r.out.trim().split("\n").at(-1)).toBe(`result: conformant (${BROKEN.length} known failures from the baseline, not counted)`);
    const j = readJUnit(r.dir);
    expect(j.total).toMatchObject({ failures: 0, errors: 0 });
    expect(j.cases.get("licenses.list.num-records").skipped.message).toBe("known failure (baseline): BURT 1234 (owner: storage-team, expires 2999-12-31)");
    const allure = readAllure(r.dir);
    expect(allure.get("licenses.list.num-records")).toMatchObject({ status: "failed", statusDetails: { known: true, message: expect.stringMatching(/^known failure, not counted \(baseline: BURT 1234/) } });
    expect(readFileSync(join(r.dir, "latest", "summary.md"), "utf8")).toMatch(/^## ✅ ontap-conformance: conformant/);
  }, 180_000);

  it("an expired entry fails again and says so; an entry whose check passes is listed as fixed", async () => {
    writeFileSync(join(work, "mixed.yaml"), [
      "- { id: licenses.list.num-records, reason: BURT 1 }",
      "- { id: nodes.list.num-records, reason: BURT 2, owner: ana, expires: '2001-01-01' }",
      "- { id: history.list.num-records, reason: BURT 3 }",
      "- { id: packages.list.num-records, reason: BURT 4 }",
      "- { id: jobs.list.num-records, reason: BURT 6 }",
      "- { id: cluster.get.version, reason: BURT 5 }",
    ].join("\n"));
    const r = await run(bad, ["--baseline", join(work, "mixed.yaml"), "--only", "*.num-records,cluster.get.version", "--no-html"]);
    expect(r.code).toBe(1);
    expect(r.summary.baseline).toMatchObject({ expired: [{ id: "nodes.list.num-records", expires: "2001-01-01" }], fixed: [{ id: "cluster.get.version" }] });
    expect(r.out).toMatch(/EXPIRED nodes\.list\.num-records: the entry expired on 2001-01-01 \(BURT 2 \(owner: ana, expires 2001-01-01\)\): the failure counts again/);
    expect(r.out).toMatch(/FIXED {3}cluster\.get\.version: passes now: remove it from the baseline/);
    expect(r.out.trim().split("\n").at(-1)).toBe("result: not conformant (1 failed, 4 more known from the baseline)");
    const j = readJUnit(r.dir);
    expect(j.total).toMatchObject({ failures: 1, errors: 0 });
    expect(j.cases.get("nodes.list.num-records").failure.message).toMatch(/^the baseline entry expired on 2001-01-01/);
  }, 180_000);
});

describe("compare", () => {
  it("is titled by run ids and targets, links both reports, shows whole messages and the coverage change, and does not count what the baseline knows", async () => {
    const before = await run(good, ["--only", "*.num-records,cluster.get.version"]);
    expect(before.code).toBe(0);
    const out = join(work, "cmp");
    const cmp = spawnSync(process.execPath, [BIN, "compare", before.dir, first.dir, "--out", out], { encoding: "utf8" });
    expect(cmp.status).toBe(1);
    const md = readFileSync(join(out, "compare.md"), "utf8");
    expect(md.split("\n")[0]).toBe(`## ontap-conformance: run ${before.summary.runId} (${good.url}, ONTAP 9.18.1, read-only) → run ${first.summary.runId} (${bad.url}, ONTAP 9.18.1, read-only)`);
    const links = [...md.matchAll(/\[(report|summary\.json)\]\(([^)]+)\)/g)].map((m) => m[2]);
    expect(links).toHaveLength(4);
    for (const l of links) expect(existsSync(join(out, l)), l).toBe(true);
    expect(md).toContain(`Reproduce with: curl -u admin:"$ONTAP_PASSWORD" '${bad.url}/api/cluster/licensing/licenses'`);
    expect(md).toMatch(/\| statuses \| \d+(\.\d)?% \| \d+(\.\d)?% \|/);
    const html = readFileSync(join(out, "compare.html"), "utf8");
    expect(html).toContain(`<title>ontap-conformance compare: run ${before.summary.runId}`);
    expect(html).toContain("Received: 11\nDocumented: 10\nReproduce with: curl");
    // The other way round, coverage drops: a whole run's coverage against a handful of checks.
    const back = spawnSync(process.execPath, [BIN, "compare", first.dir, before.dir, "--out", join(work, "back")], { encoding: "utf8" });
    expect(back.status).toBe(0);
    expect(readFileSync(join(work, "back", "compare.md"), "utf8")).toMatch(new RegExp(`- coverage dropped: statuses [\\d.]+% → [\\d.]+%.*\\(\\d+ fewer checks ran: ${PASSED + BROKEN.length} → ${BROKEN.length + 1}\\)`));
    // A run whose baseline knows the new failures: listed, not counted.
    writeFileSync(join(work, "known.yaml"), BROKEN.map((id) => `- { id: ${id}, reason: BURT 9 }`).join("\n"));
    const known = await run(bad, ["--baseline", join(work, "known.yaml"), "--only", "*.num-records,cluster.get.version", "--no-html"]);
    const k = spawnSync(process.execPath, [BIN, "compare", before.dir, known.dir, "--out", join(work, "known")], { encoding: "utf8" });
    expect(k.status).toBe(0);
    expect(readFileSync(join(work, "known", "compare.md"), "utf8")).toContain(`No regressions; ${BROKEN.length} new failure(s) the current baseline knows (not counted).`);
  }, 240_000);
});
