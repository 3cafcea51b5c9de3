// The CLI as a user runs it: a child process, its exit code and its output.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, ...env, ONTAP_PASSWORD: env.ONTAP_PASSWORD ?? "" }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("ontap-conformance CLI", () => {
  it("run against the embedded mock: exit 0, every listed check in the results, reports written", () => {
    const dir = mkdtempSync(join(tmpdir(), "run-"));
    const r = cli(["run", "--report-dir", dir, "--seed", "7"]);
    expect(r.err).toBe("");
    expect(r.out).toContain("result: conformant");
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, "latest", "summary.json"), "utf8"));
    expect(summary.seed).toBe(7);
    expect(summary.totals.fail + summary.totals.error).toBe(0);
    const listed = JSON.parse(cli(["list", "--json"]).out).map((c: { id: string }) => c.id).sort();
    expect(summary.checks.map((c: { id: string }) => c.id).sort()).toEqual(listed);
    expect(existsSync(join(dir, "latest", "junit.xml"))).toBe(true);
    // summary.json follows its documented schema (reports/summary.schema.json).
    const ajv = new Ajv2020({ allErrors: true });
    (addFormats as any)(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(import.meta.dirname, "../../reports/summary.schema.json"), "utf8")));
    expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...summary, totals: { ...summary.totals, pass: -1 } })).toBe(false);
  });

  it("a config file disables checks by id glob, globally or per operation, and the reason is reported", () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const cfg = join(dir, "c.yaml");
    writeFileSync(cfg, 'disable:\n  - { id: "*.list.plain-json", reason: "our proxy rewrites Accept", operation: licenses_get }\n  - { id: "software.get.schema", reason: "known firmware bug BURT 123" }\n');
    const r = cli(["run", "--report-dir", dir, "--seed", "1", "--config", cfg, "--only", "licenses.list.*,packages.list.plain-json,software.get.schema"]);
    expect(r.code).toBe(0);
    const checks = JSON.parse(readFileSync(join(dir, "latest", "summary.json"), "utf8")).checks;
    const byId = Object.fromEntries(checks.map((c: any) => [c.id, c]));
    expect(byId["licenses.list.plain-json"]).toMatchObject({ status: "disabled", message: "disabled by configuration: our proxy rewrites Accept" });
    expect(byId["packages.list.plain-json"].status).toBe("pass");
    expect(byId["software.get.schema"].message).toMatch(/BURT 123/);
    expect(byId["licenses.list.num-records"].status).toBe("pass");
    expect(byId["history.list.num-records"]).toMatchObject({ status: "disabled", message: expect.stringMatching(/--only/) });
    const bad = cli(["run", "--config", cfg.replace("c.yaml", "missing.yaml")]);
    expect(bad.code).toBe(2);
    writeFileSync(cfg, "password: hunter2\n");
    expect(cli(["run", "--config", cfg]).err).toMatch(/passwordEnv/);
  });

  it("a bad flag, a bad value or a bad profile: one readable line and exit 2", () => {
    for (const args of [["run", "--bogus"], ["run", "--timeout", "abc"], ["run", "--profile", "reckless"], ["mock", "--port", "99999"], ["mock", "--scenario", "nope"]]) {
      const r = cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err.trim().split("\n").length, r.err).toBe(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it("an unreachable target: one line naming the fault, exit 2", () => {
    const r = cli(["run", "--target", "http://127.0.0.1:1", "--password-env", "P"], { P: "x" });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/connection refused/);
    expect(r.err.trim().split("\n").length).toBe(1);
  });

  it("destructive against a URL needs --allow-destructive", () => {
    const r = cli(["run", "--target", "https://cluster.example.com", "--profile", "destructive", "--password-env", "P"], { P: "x" });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--allow-destructive/);
  });

  it("list shows every check with its id, area and profile", () => {
    const r = cli(["list"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/licenses\.list\.num-records\s+conventions\s+read-only/);
  });
});
