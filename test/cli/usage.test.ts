// Exit codes that catch typos (issue 20): every mistake in the command line,
// the config file or the baseline is exit 2 with one line that names it,
// before anything is sent or written; the bare command prints the help; a
// config file's every documented key is read (timeoutMs); reports go under
// the current directory, old runs are pruned, --no-html says so where the
// HTML report would be, and colour follows NO_COLOR and FORCE_COLOR.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { cli, cliAsync, expectOneLine } from "../support/cli.ts";

const VERSION = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")).version;

let mock: MockHandle;
beforeAll(async () => { mock = await startMock({ scenario: "docs" }); });
afterAll(async () => { await mock.close(); });

describe("the command line", () => {
  it("the bare command prints the help and exits 2 (nothing ran); npm start still runs the suite", () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^Usage: ontap-conformance/);
    for (const cmd of ["run", "list", "compare", "mutants", "mock"]) expect(r.out).toContain(cmd);
    expect(r.err.trim()).toBe("ontap-conformance: no command given: `ontap-conformance run` runs the suites (the commands are listed above)");
    expect(JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")).scripts.start).toBe("node bin/ontap-conformance.mjs run");
  });

  it("a misspelt subcommand names itself and the nearest command", () => {
    const misspelt = cli(["rnu", "--target", "https://x"]);
    expectOneLine(misspelt, /^ontap-conformance: unknown command "rnu" \(did you mean "run"\?\); the commands are [a-z, ]+$/);
    // The line names exactly the commands the help lists (read from the help, not retyped here).
    const helped = [...cli(["--help"]).out.split(/^Commands:$/m)[1]!.matchAll(/^  ([a-z]+)\b/gm)].map((m) => m[1]).filter((c) => c !== "help");
    expect(misspelt.err.trim().split("the commands are ")[1]!.split(", ")).toEqual(helped);
    expectOneLine(cli(["lsit"]), /unknown command "lsit" \(did you mean "list"\?\)/);
    // Run's options without the command: said as such, not "too many arguments".
    expectOneLine(cli(["--target", "https://x"]), /--target needs a command before it, e\.g\. ontap-conformance run --target https:\/\/x/);
    // A command given after the options is put first, once, and the line suggested runs.
    const late = cli(["--target", "http://x", "run"]);
    expectOneLine(late, /--target needs a command before it, e\.g\. ontap-conformance run --target http:\/\/x$/);
    expectOneLine(cli(["--out", "cmp", "compare", "a", "b"]), /--out needs a command before it, e\.g\. ontap-conformance compare --out cmp a b$/);
    const suggested = late.err.trim().split("e.g. ontap-conformance ")[1]!.split(" ");
    const tried = cli([...suggested, "--only", "no.such.check"]); // exit 2 before anything is sent, whichever it finds first
    expect(tried.code).toBe(2);
    expect(tried.err).not.toMatch(/too many arguments|needs a command before it/);
  });

  it("--version prints the version", () => {
    const r = cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(`ontap-conformance ${VERSION}`);
  });

  it("a selection that matches no check is exit 2, with the nearest id, and nothing is written", () => {
    const dir = mkdtempSync(join(tmpdir(), "only-"));
    expectOneLine(cli(["run", "--only", "licences.list.schema", "--report-dir", dir]), /--only "licences\.list\.schema" matches no check \(did you mean "licenses\.list\.schema"\?\)/);
    // One good pattern does not excuse a bad one.
    expectOneLine(cli(["run", "--only", "licenses.list.schema,nodes.lst.*", "--report-dir", dir]), /--only "nodes\.lst\.\*" matches no check/);
    expectOneLine(cli(["list", "--only", "nothing.here"]), /--only "nothing\.here" matches no check/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("the config file: one JSON Schema, the same for flags", () => {
  const dir = mkdtempSync(join(tmpdir(), "config-"));
  const config = (text: string) => {
    const f = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(f, text);
    return f;
  };

  it("an unknown key is exit 2 naming it and the nearest key (a typo never falls back to the embedded mock)", () => {
    expectOneLine(cli(["run", "--config", config("targt: https://cluster.example.com\n")]), /the config file \S+: unknown key "targt" \(did you mean "target"\?\)$/);
    expectOneLine(cli(["run", "--config", config("disable:\n  - { id: licenses.list.schema, reason: x, reson: y }\n")]), /unknown key disable\[0\]\."reson"/);
  });

  it("a wrong type or value is exit 2 naming the key and what it must be", () => {
    expectOneLine(cli(["run", "--config", config("concurrency: 0\n")]), /the config file \S+: concurrency must be a whole number from 1 to 256, not 0$/);
    expectOneLine(cli(["run", "--config", config("concurrency: lots\n")]), /concurrency must be a whole number from 1 to 256, not "lots"$/);
    expectOneLine(cli(["run", "--config", config("insecure: maybe\n")]), /insecure must be true or false, not "maybe"$/);
    expectOneLine(cli(["run", "--config", config("profile: reckless\n")]), /profile must be one of read-only, non-disruptive, destructive, not "reckless"$/);
    expectOneLine(cli(["run", "--config", config("disable:\n  - { id: licenses.list.schema }\n")]), /disable\[0\] needs "reason"/);
    expectOneLine(cli(["run", "--config", config("disable:\n  - { id: licenses.lst.schema, reason: proxy }\n")]), /disable\[0\] "licenses\.lst\.schema" matches no check \(did you mean "licenses\.list\.schema"\?\)/);
  });

  it("flags and environment variables are held to the same schema property as the config key", () => {
    expectOneLine(cli(["run", "--concurrency", "0"]), /--concurrency must be a whole number from 1 to 256, not 0/);
    expectOneLine(cli(["run", "--concurrency", "lots"]), /--concurrency must be a whole number from 1 to 256, not "lots"/);
    expectOneLine(cli(["run", "--profile", "reckless"]), /--profile must be one of read-only, non-disruptive, destructive, not "reckless"/);
    expectOneLine(cli(["run"], { env: { ONTAP_PROFILE: "reckless" } }), /ONTAP_PROFILE must be one of read-only, non-disruptive, destructive, not "reckless"/);
    expectOneLine(cli(["run", "--target", "cluster.example.com"]), /--target must be an http\(s\) URL such as https:\/\/cluster\.example\.com, not "cluster\.example\.com"/);
  });

  // The audit of 2026-12-06: a target URL that cannot be used was "Invalid URL" after the report
  // directory was made, and a query was dropped while every curl line was built on it.
  it("a target URL that cannot be used is exit 2 naming the setting, before anything is written", () => {
    const cwd = mkdtempSync(join(tmpdir(), "target-url-"));
    for (const [url, says] of [
      ["http://clu ster.example", /--target is not a valid URL: "http:\/\/clu ster\.example"/],
      ["http://127.0.0.1:99999", /--target is not a valid URL/],
      ["http://127.0.0.1:8080/?x=1", /--target holds a query or fragment/],
      ["https://cluster.example.com#top", /--target holds a query or fragment/],
    ] as const) expectOneLine(cli(["run", "--target", url], { cwd }), says);
    expectOneLine(cli(["run", "--config", config('target: "https://cluster.example.com:70000"\n')], { cwd }), /the config file \S+: target is not a valid URL/);
    expectOneLine(cli(["run", "--targets", config('targets:\n  - { name: a, target: "http://h/?q=1" }\n')], { cwd }), /targets\[0\] \("a"\)\.target holds a query or fragment/);
    expect(existsSync(join(cwd, "reports"))).toBe(false);
  });

  it("--only with no pattern in it, or a pattern too long to be one, is exit 2 (never \"every check\")", () => {
    expectOneLine(cli(["run", "--only", ",,,"]), /--only gives no pattern \(",,,"\)/);
    expectOneLine(cli(["run", "--only", ""]), /--only must be check ids or globs/);
    expectOneLine(cli(["run", "--only", "a".repeat(100_000)]), /--only has a pattern of 100000 characters \(at most 200\)/);
    expectOneLine(cli(["list", "--only", " , "]), /--only gives no pattern/);
  });

  // The audit of 2026-12-06: a --write-baseline into a missing directory let the whole run go through,
  // then replaced its summary.json with "could not run"; a --bundle there crashed with a stack trace and
  // exit 1 beside a summary saying 0; an empty file name quietly turned a fleet into one run.
  it("a file the run would write at its end, or an empty file name, is exit 2 before anything is sent", () => {
    const cwd = mkdtempSync(join(tmpdir(), "outputs-"));
    const nodir = join(cwd, "nodir");
    expectOneLine(cli(["run", "--write-baseline", join(nodir, "b.yaml")], { cwd }), /--write-baseline \S+ cannot be written: the directory \S+nodir does not exist/);
    expectOneLine(cli(["run", "--bundle", join(nodir, "x.tar.gz")], { cwd }), /--bundle \S+ cannot be written: the directory \S+nodir does not exist/);
    expectOneLine(cli(["run", "--bundle", cwd], { cwd }), /--bundle \S+ is a directory: give a file name/);
    for (const flag of ["--targets", "--config", "--bundle", "--write-baseline", "--durations"]) expectOneLine(cli(["run", flag, ""], { cwd }), new RegExp(`${flag} needs a file name, not an empty one`));
    expect(existsSync(join(cwd, "reports"))).toBe(false);
  });

  it("half of a client certificate, a true/false variable that is neither, a report directory under a file: exit 2 naming it", () => {
    const cwd = mkdtempSync(join(tmpdir(), "settings-"));
    writeFileSync(join(cwd, "a-file"), "x");
    expectOneLine(cli(["run", "--target", "https://cluster.example.com", "--client-cert", join(cwd, "a-file")], { cwd }), /--client-cert needs --client-key/);
    expectOneLine(cli(["run", "--target", "https://cluster.example.com"], { cwd, env: { ONTAP_INSECURE: "maybe" } }), /ONTAP_INSECURE must be true or false, not "maybe"/);
    expectOneLine(cli(["run", "--report-dir", join(cwd, "a-file", "reports")], { cwd }), /cannot make the run's directory \S+ under the report directory \(--report-dir, ONTAP_REPORT_DIR, reportDir\): ENOTDIR$/);
  });

  it("a misspelt glob or id prefix gets the nearest one", () => {
    expectOneLine(cli(["run", "--only", "licences.*"]), /--only "licences\.\*" matches no check \(did you mean "licenses\.\*"\?\)/);
    expectOneLine(cli(["run", "--only", "licences"]), /--only "licences" matches no check \(did you mean "licenses"\?\)/);
  });

  // Credentials in a target URL would be written wherever the URL is (the
  // Allure parameters, summary.json, the terminal): refused before anything
  // runs, and never echoed, whichever way the URL came (audit of 2026-12-06).
  it("a target URL with credentials is exit 2, and the line does not repeat them", () => {
    const pw = "Zq9-pass!word";
    const says = /holds credentials \((ftp|https?):\/\/\*\*\*@cluster\.example\.com\/?\): give the URL without them/;
    const cases = [
      cli(["run", "--target", `https://admin:${pw}@cluster.example.com`]),
      cli(["run", "--target", `https://admin:${encodeURIComponent(pw).replace("!", "%21")}@cluster.example.com`]),
      cli(["run", "--target", `https://admin@cluster.example.com`]),
      cli(["run"], { env: { ONTAP_TARGET: `http://admin:${pw}@cluster.example.com` } }),
      cli(["run", "--config", config(`target: "https://admin:${pw}@cluster.example.com"\n`)]),
    ];
    for (const r of cases) {
      expectOneLine(r, says);
      expect(r.err).not.toContain(pw);
      expect(r.err).not.toContain("%21");
    }
    // A password with a space, a quote or an @ that is not percent-encoded: hidden whole all the same.
    for (const odd of ['pa ss"q@w', "p@ss"]) {
      const r = cli(["run", "--target", `https://admin:${odd}@cluster.example.com`]);
      expectOneLine(r, says);
      expect(r.err).not.toMatch(/pa ss|q@w|ss@cluster/);
    }
    // Not an http(s) URL at all: the usual line, the credentials still hidden.
    const ftp = cli(["run", "--target", `ftp://admin:${pw}@cluster.example.com`]);
    expect(ftp.code).toBe(2);
    expect(ftp.err).not.toContain(pw);
    const inventory = config(`targets:\n  - { name: a, target: "https://admin:${pw}@cluster.example.com" }\n`);
    const fleet = cli(["run", "--targets", inventory]);
    expectOneLine(fleet, /targets\[0\] \("a"\)\.target holds credentials \(https:\/\/\*\*\*@cluster\.example\.com\)/);
    expect(fleet.err).not.toContain(pw);
  });

  it("timeoutMs in the config file is read (it was documented and ignored)", async () => {
    const slow = await startMock({ scenario: "docs", latencyMs: 600 });
    try {
      const reports = mkdtempSync(join(tmpdir(), "timeout-"));
      const r = await cliAsync(["run", "--target", slow.url, "--password-env", "P", "--config", config("timeoutMs: 150\n"), "--report-dir", reports, "--no-html"], { env: { P: slow.options.password } });
      expectOneLine(r, /cannot reach the target: no answer from \S+ within 150 ms \(timeout\)/);
    } finally {
      await slow.close();
    }
  });
});

describe("the baseline file", () => {
  const dir = mkdtempSync(join(tmpdir(), "baseline-file-"));
  it("an id that is no check, a bad expiry date or an unknown key is exit 2 with one line", () => {
    writeFileSync(join(dir, "typo.yaml"), "- { id: licenses.list.num-record, reason: BURT 1 }\n");
    expectOneLine(cli(["run", "--baseline", join(dir, "typo.yaml")]), /names "licenses\.list\.num-record", which is not a check \(did you mean "licenses\.list\.num-records"\?\)/);
    writeFileSync(join(dir, "date.yaml"), "- { id: licenses.list.num-records, reason: BURT 1, expires: next week }\n");
    expectOneLine(cli(["run", "--baseline", join(dir, "date.yaml")]), /expires must be a date YYYY-MM-DD, not "next week"/);
    writeFileSync(join(dir, "key.yaml"), "- { id: licenses.list.num-records, reason: BURT 1, ticket: 7 }\n");
    expectOneLine(cli(["run", "--baseline", join(dir, "key.yaml")]), /unknown key "ticket"/);
  });
});

describe("where reports go", () => {
  it("./reports under the current directory; --keep prunes the oldest runs; --no-html leaves a page that says so; colour only when asked", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "cwd-"));
    // Three older runs (and a folder that is not a run, which is never touched).
    for (const id of ["2020-01-01T00-00-00-000Z", "2020-01-02T00-00-00-000Z", "2020-01-03T00-00-00-000Z", "keep-me"]) mkdirSync(join(cwd, "reports", "runs", id), { recursive: true });
    const r = await cliAsync(["run", "--target", mock.url, "--password-env", "P", "--only", "cluster.get.version", "--no-html", "--keep", "2"], { cwd, env: { P: mock.options.password, FORCE_COLOR: "1" } });
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(cwd, "reports", "latest", "summary.json"))).toBe(true);
    expect(readdirSync(join(cwd, "reports", "runs")).sort()).toEqual(["2020-01-03T00-00-00-000Z", JSON.parse(readFileSync(join(cwd, "reports", "latest", "summary.json"), "utf8")).runId, "keep-me"].sort());
    // latest/html never shows an older run's report.
    expect(readFileSync(join(cwd, "reports", "latest", "html", "index.html"), "utf8")).toMatch(/has no HTML report: the run was made with --no-html/);
    expect(r.out).toMatch(/report: \S+ \(no HTML report: the run was made with --no-html\)/);
    expect(r.out).toContain("\u001b[");
    const plain = await cliAsync(["run", "--target", mock.url, "--password-env", "P", "--only", "cluster.get.version", "--no-html"], { cwd, env: { P: mock.options.password, FORCE_COLOR: undefined, NO_COLOR: "1" } });
    expect(plain.code).toBe(0);
    expect(plain.out).not.toContain("\u001b[");
    expect(plain.out).toMatch(/result: conformant$/m);
  });
});
