// Bad input gets a clear error and loses nothing: files the CLI is given back
// (a summary.json to compare, merge or take as a baseline, a baseline file),
// the directories it is told to write to, and the mock's flags. Each mistake
// is exit 2 with one readable line that names it (never a JavaScript error),
// and nothing is written.
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { selfSignedCertificate } from "../../mock/server/listen.ts";
import { summaryFileProblem } from "../../reports/summary-file.ts";
import { releaseProblem, tlsProblem } from "../../src/cli/mock-command.ts";
import { coveredReleases } from "../../src/contract/index.ts";
import { cli, expectOneLine } from "../support/cli.ts";

const totals = { pass: 1, fail: 0, skip: 0, disabled: 0, error: 0, checks: 1, warnings: 0 };
const check = { id: "licenses.list.schema", title: "schema", area: "licensing", operation: "licenses_get", spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/get"], profile: "read-only", severity: "normal", phase: "contract", status: "pass", warnings: [], durationMs: 5 };
/** The smallest run summary its schema accepts. */
const run = () => ({
  format: "ontap-conformance/summary@1", runId: "2026-01-01T00-00-00-000Z", result: "conformant", exitCode: 0, target: "https://c", ontapVersion: "9.16.1", profile: "read-only", seed: 1, runs: 25, strict: false,
  start: "2026-01-01T00:00:00.000Z", durationMs: 1000, phases: {}, totals, checks: [check] as unknown[],
});
/** A fleet of one target, whose own run is under targets/a. */
const fleet = () => ({
  format: "ontap-conformance/summary@1", result: "conformant", exitCode: 0, start: "2026-01-01T00:00:00.000Z", durationMs: 1000, totals,
  verdicts: { conformant: 1, "not conformant": 0, "could not run": 0, interrupted: 0 },
  targets: [{ name: "a", target: "https://c", profile: "read-only", seed: 1, verdict: "conformant", exitCode: 0, totals, durationMs: 1000, runDir: "targets/a", checks: [check] }] as Array<Record<string, unknown>>,
});

/** A run directory holding `summary` as its summary.json. */
function runDir(parent: string, name: string, summary: unknown): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "summary.json"), JSON.stringify(summary));
  return dir;
}

describe("a summary.json with the right format but not the shape of one (compare, merge, run --baseline)", () => {
  const work = mkdtempSync(join(tmpdir(), "bad-summary-"));
  const good = runDir(work, "good", run());
  const goodFleet = runDir(work, "fleet", fleet());
  runDir(goodFleet, "targets/a", run());
  const noChecks = runDir(work, "no-checks", { ...run(), checks: undefined });
  const nullChecks = runDir(work, "null-checks", { ...run(), checks: null });
  const nullCheck = runDir(work, "null-check", { ...run(), checks: [null] });
  const f = fleet();
  delete f.targets[0].runDir;
  const noRunDir = runDir(work, "no-rundir", f);
  const bad: Array<[string, RegExp]> = [
    [noChecks, /no-checks\/summary\.json is not a valid summary\.json: it has no "checks"$/],
    [nullChecks, /null-checks\/summary\.json is not a valid summary\.json: checks must be a list, not null$/],
    [nullCheck, /null-check\/summary\.json is not a valid summary\.json: checks\[0\] must be a mapping, not null$/],
    [noRunDir, /no-rundir\/summary\.json is not a valid summary\.json: targets\[0\] has no "runDir"$/],
  ];

  it("the schema (reports/summary.schema.json) is what decides: the fixtures' good runs pass it", () => {
    expect(summaryFileProblem("good", run())).toBeUndefined();
    expect(summaryFileProblem("fleet", fleet())).toBeUndefined();
  });

  it("compare: exit 2 with one line naming the file and what is wrong, nothing written", () => {
    for (const [dir, says] of bad) {
      const out = join(work, "cmp");
      expectOneLine(cli(["compare", good, dir, "--out", out]), says);
      expectOneLine(cli(["compare", dir, dir === noRunDir ? goodFleet : good, "--out", out]), says);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("compare of two fleets reads each target's own summary.json under the same rule", () => {
    const other = runDir(work, "fleet-bad-target", fleet());
    runDir(other, "targets/a", { ...run(), checks: null });
    expectOneLine(cli(["compare", goodFleet, other, "--out", join(work, "cmp-fleet")]), /fleet-bad-target\/targets\/a\/summary\.json is not a valid summary\.json: checks must be a list, not null$/);
    expect(existsSync(join(work, "cmp-fleet"))).toBe(false);
  });

  // A summary.json kept as a CI baseline was written by an earlier version of the tool: keys a later version
  // requires are missing, keys it dropped are there. Readers hold it only to what they read; merge (shards
  // of one run, one version) to the whole schema.
  it("an earlier version's summary.json (keys missing and keys unknown) is still a baseline and compared; merge refuses it", () => {
    const older = (() => {
      const r: Record<string, unknown> = { ...run(), checks: [{ id: check.id, status: "fail", message: "an old failure", retiredKey: 1 }], fromAnOlderVersion: true };
      delete r.result;
      delete r.exitCode;
      delete r.phases;
      return r;
    })();
    expect(summaryFileProblem("older", older)).toBeUndefined();
    expect(summaryFileProblem("older", older, { whole: true })).toMatch(/is not a valid summary\.json/);
    const dir = runDir(work, "older", older);
    const out = join(work, "cmp-older");
    const compared = cli(["compare", dir, good, "--out", out]);
    expect(compared.code, compared.err).toBe(0);
    expectOneLine(cli(["merge", dir, "--out", join(work, "merged-older"), "--no-html"]), /older\/summary\.json is not a valid summary\.json/);
  });

  it("merge: exit 2, --out not made (so a retry is not told it already holds a run)", () => {
    for (const [dir, says] of bad) {
      const out = join(work, "merged");
      expectOneLine(cli(["merge", dir, "--out", out, "--no-html"]), says);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("run --baseline: exit 2 before anything is written", () => {
    const reports = join(work, "reports");
    for (const [dir, says] of bad) expectOneLine(cli(["run", "--baseline", join(dir, "summary.json"), "--report-dir", reports]), new RegExp(`^ontap-conformance: the baseline .*${says.source}`));
    // A fleet's summary.json is a summary, but not one run's: said so.
    expectOneLine(cli(["run", "--baseline", join(goodFleet, "summary.json"), "--report-dir", reports]), /the baseline .*fleet\/summary\.json is a fleet run's summary\.json: give the summary\.json of one target's run/);
    expect(existsSync(reports)).toBe(false);
  });
});

describe("--out that cannot be a directory to write in", () => {
  const work = mkdtempSync(join(tmpdir(), "bad-out-"));
  const good = runDir(work, "good", run());
  const file = join(work, "a-file");
  writeFileSync(file, "not a directory\n");

  it("compare --out a file, or a path under a file: one line naming --out", () => {
    expectOneLine(cli(["compare", good, good, "--out", file]), /^ontap-conformance: --out .*a-file is a file, not a directory: give a directory$/);
    expectOneLine(cli(["compare", good, good, "--out", join(file, "sub")]), /^ontap-conformance: --out .*a-file\/sub cannot be made: .*a-file is a file, not a directory$/);
  });

  it("merge --out a file, or inside a run being merged: one line naming --out, nothing written", () => {
    expectOneLine(cli(["merge", good, "--out", file, "--no-html"]), /^ontap-conformance: --out .*a-file is a file, not a directory/);
    expectOneLine(cli(["merge", good, "--out", join(good, "sub"), "--no-html"]), /^ontap-conformance: --out .*good\/sub is inside .*good, a run being merged: give a directory outside the runs$/);
    expect(readdirSync(good)).toEqual(["summary.json"]);
  });
});

describe("the baseline file (run --baseline)", () => {
  const work = mkdtempSync(join(tmpdir(), "bad-baseline-"));
  const reports = join(work, "reports");

  it("invalid YAML says so, with the parser's line, as --config does", () => {
    writeFileSync(join(work, "broken.yaml"), "- id: licenses.list.schema\n  reason: [unclosed\n");
    expectOneLine(cli(["run", "--baseline", join(work, "broken.yaml"), "--report-dir", reports]), /^ontap-conformance: the baseline .*broken\.yaml is not valid YAML: .+ at line \d+, column \d+$/);
    expectOneLine(cli(["run", "--baseline", join(work, "missing.yaml"), "--report-dir", reports]), /^ontap-conformance: cannot read the baseline .*missing\.yaml$/);
    expect(existsSync(reports)).toBe(false);
  });
});

describe("a baseline entry's expiry date", () => {
  const work = mkdtempSync(join(tmpdir(), "bad-expires-"));

  it("a date that is not a day of the calendar is exit 2, not rolled over to the next month", () => {
    for (const day of ["2027-02-30", "2026-02-29", "2027-04-31", "2027-13-01", "2027-00-10"]) {
      writeFileSync(join(work, "b.yaml"), `- { id: licenses.list.schema, reason: BURT 1, expires: "${day}" }\n`);
      expectOneLine(cli(["run", "--baseline", join(work, "b.yaml"), "--report-dir", join(work, "reports")]), new RegExp(`expires must be a date YYYY-MM-DD, not "${day}" \\(no such day\\)$`));
    }
    expect(existsSync(join(work, "reports"))).toBe(false);
  });
});

describe("mock: bad flags are exit 2 with one line, and no mock is left serving", () => {
  const work = mkdtempSync(join(tmpdir(), "bad-mock-"));
  /** A command that would serve is killed after 20 s (code null): these must end by themselves. */
  const mock = (args: string[]) => cli(["mock", ...args], { timeout: 20_000 });

  it("--fleet with an --inventory that cannot be written: said before any mock starts, and the command ends", () => {
    expectOneLine(mock(["--fleet", "1", "--inventory", join(work, "no-such-dir", "inv.yaml")]), /^ontap-conformance: --inventory .*no-such-dir\/inv\.yaml cannot be written: the directory .*no-such-dir does not exist$/);
    expectOneLine(mock(["--fleet", "1", "--inventory", work]), /^ontap-conformance: --inventory .* is a directory: give a file name$/);
  }, 60_000);

  it("--inventory without --fleet is refused, not ignored while a single mock serves", () => {
    expectOneLine(mock(["--inventory", join(work, "inv.yaml")]), /^ontap-conformance: --inventory goes with --fleet N \(or --fleet-file FILE\)/);
    expect(existsSync(join(work, "inv.yaml"))).toBe(false);
  }, 60_000);

  it("--cert/--key that are not a certificate and its key, and a --host that does not resolve: one line naming the flag", async () => {
    const { cert, key } = await selfSignedCertificate("127.0.0.1");
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const file = (name: string, text: string) => {
      writeFileSync(join(work, name), text);
      return join(work, name);
    };
    const garbage = file("garbage.pem", "garbage\n");
    expectOneLine(mock(["--cert", garbage, "--key", garbage]), /^ontap-conformance: --cert .*garbage\.pem is not a PEM certificate: it has no -----BEGIN CERTIFICATE----- line$/);
    expectOneLine(mock(["--cert", file("cert.pem", cert), "--key", garbage]), /^ontap-conformance: --key .*garbage\.pem is not a PEM private key: it has no -----BEGIN PRIVATE KEY----- block OpenSSL can read$/);
    expectOneLine(mock(["--cert", join(work, "cert.pem"), "--key", file("other.pem", other)]), /^ontap-conformance: --key .*other\.pem is not the private key of --cert .*cert\.pem$/);
    expectOneLine(mock(["--host", "no.such.host.invalid"]), /^ontap-conformance: --host no\.such\.host\.invalid is not an address, nor a name that resolves to one \(getaddrinfo E[A-Z_]+\)$/);
    expectOneLine(mock(["--fleet", "2", "--host", "no.such.host.invalid"]), /^ontap-conformance: --host no\.such\.host\.invalid is not an address/);
    // The key that goes with the certificate still serves.
    expect(tlsProblem({ cert, key }, { cert: "c", key: "k" })).toBeUndefined();
  }, 60_000);

  it("a release outside those the spec describes is refused, for one mock and for a fleet", () => {
    const { oldest, newest } = coveredReleases();
    const range = `a release from ${oldest} to ${newest}`.replace(/\./g, "\\.");
    expectOneLine(mock(["--ontap-version", "9.99.9"]), new RegExp(`^ontap-conformance: --ontap-version must be ${range} .*, not "9\\.99\\.9"$`));
    expectOneLine(mock(["--ontap-version", "8.3"]), new RegExp(`--ontap-version must be ${range} .*, not "8\\.3"$`));
    expectOneLine(mock(["--fleet", "2", "--versions", "9.99,7.0"]), /^ontap-conformance: --versions takes releases from .*, not "9\.99"$/);
    writeFileSync(join(work, "fleet.yaml"), "mocks:\n  - ontapVersion: \"9.10.1\"\n  - ontapVersion: \"9.5\"\n");
    expectOneLine(mock(["--fleet-file", join(work, "fleet.yaml")]), /the fleet file .*fleet\.yaml: mocks\[1\]\.ontapVersion must be a release from .*, not "9\.5"$/);
    // The range is the spec's, oldest and newest included.
    expect(releaseProblem(oldest)).toBeUndefined();
    expect(releaseProblem(newest)).toBeUndefined();
    expect(releaseProblem("9.7")).toBeUndefined();
  }, 60_000);
});
