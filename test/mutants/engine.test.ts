// The catalog engine (src/cli/catalog-engine.ts, catalog-run.ts): runs in
// worker threads, and mutants narrowed to the checks that can see them. The
// narrowing must not change a verdict: on a subset chosen to exercise each of
// its rules, the kill table and the check-to-mutant map of narrowed runs
// equal those of whole runs.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mutantsCommand, type MutantsSummary } from "../../src/cli/mutants-command.ts";
import { narrowPlanOf } from "../../src/cli/catalog-engine.ts";
import { operationOf, runInProcess, stateFingerprint } from "../../src/cli/catalog-run.ts";
import { buildState } from "../../mock/scenarios/index.ts";
import type { Mutant } from "../../mock/mutants/types.ts";

describe("what narrowing rests on", () => {
  it("a request's operation is the one the mock routes it to", () => {
    const base = "http://127.0.0.1:1";
    expect(operationOf("GET", `${base}/api/cluster/licensing/licenses?fields=*`, base)).toBe("licenses_get");
    expect(operationOf("HEAD", `${base}/api/cluster/licensing/licenses/nfs`, base)).toBe("license_get");
    // The mock collapses "//" and literal dots, not percent-encoded ones (dispatch.ts resolvePath).
    expect(operationOf("GET", `${base}/api//cluster/nodes`, base)).toBe("cluster_nodes_get");
    expect(operationOf("GET", `${base}/api/cluster/licensing/licenses/%2e%2e`, base)).toBe("license_get");
    expect(operationOf("GET", `${base}/api/cluster/licensing/licenses/x/..`, base)).toBe("licenses_get");
    expect(operationOf("POST", `${base}/__mock/faults`, base)).toBeUndefined();
    expect(operationOf("GET", `${base}/api/cluster/licensing/licenses/%zz`, base)).toBeUndefined();
  });

  it("the state fingerprint sees every change a request can make, and nothing a read does", () => {
    const state = buildState("docs", { version: "9.18.1", clockSpeed: 3600, records: 10 });
    try {
      const start = stateFingerprint(state);
      state.licensing.packages();
      state.jobs.list();
      expect(stateFingerprint(state)).toBe(start);
      state.licensing.deletePackage("nfs", () => true);
      const noNfs = stateFingerprint(state);
      expect(noNfs).not.toBe(start);
      state.jobs.start("test", 1000, () => ({ ok: true }));
      expect(stateFingerprint(state)).not.toBe(noNfs);
    } finally {
      state.clock.stop();
    }
  });

  it("a mutant whose GET changes the mock's state is never narrowed past it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "narrow-guard-"));
    const reference = await runInProcess(undefined, join(dir, "reference"), { strict: true, reference: true });
    expect(reference.statefulReads).toEqual([]);
    expect(reference.writesWhileReading).toBe(0);
    const plan = narrowPlanOf(reference)!;
    // Listing the update history deletes a license: a check that never lists the history could see it.
    const eats: Mutant = {
      name: "test.listing-deletes", category: "software", breaks: "a GET changes nothing",
      wrap: (op, handler, state) => (op === "software_history_collection_get" ? (ctx) => { state.licensing.deletePackage("cifs", () => true); return handler(ctx); } : undefined),
    };
    const run = await runInProcess(eats, join(dir, "eats"), { strict: true, narrow: plan });
    expect(run.narrowed?.changed).toEqual(["software_history_collection_get"]);
    // The read-only checks that list the history run side by side with others that would see it: the engine must run it whole.
    expect(run.narrowed?.rerunWhole).toMatch(/a GET of software_history_collection_get changed the mock's state while the read-only checks of the examples phase ran/);
  }, 300_000);
});

/** A subset that exercises each rule (catalog-run.ts): touched by reads only, by a discovery read, by writes late in the run, a changed write handler, a changed GET whose answers make a writing check send other writes, paging state kept per mock. */
const SUBSET = ["schema.version-minor-missing", "schema.history-state-enum", "licensing.install-noop", "jobs.unknown-state", "query.pages-overlap", "status.missing-item-200", "licensing.delete-without-serial"];

it("narrowed runs kill exactly as whole runs: the same kill table and check-to-mutant map on a subset", async () => {
  const dir = mkdtempSync(join(tmpdir(), "narrow-vs-whole-"));
  const lines: string[] = [];
  const narrowCode = await mutantsCommand({ only: SUBSET.join(","), out: join(dir, "narrow.json") }, (s) => lines.push(s));
  const wholeCode = await mutantsCommand({ only: SUBSET.join(","), whole: true, out: join(dir, "whole.json") }, (s) => lines.push(s));
  const narrow: MutantsSummary = JSON.parse(readFileSync(join(dir, "narrow.json"), "utf8"));
  const whole: MutantsSummary = JSON.parse(readFileSync(join(dir, "whole.json"), "utf8"));
  expect(narrow.reference.failed).toEqual([]);
  expect(narrow.kills.map((k) => [k.mutant, k.status, [...k.killedBy].sort()])).toEqual(whole.kills.map((k) => [k.mutant, k.status, [...k.killedBy].sort()]));
  expect(narrow.checkToMutants).toEqual(whole.checkToMutants);
  expect(narrow.kills.every((k) => k.status === "killed")).toBe(true);
  expect([narrowCode, wholeCode]).toEqual([0, 0]);
  // The narrowed engine did narrow (fewer checks run than whole runs would), and ran one mutant whole (it rewrites requests).
  const engineLine = lines.find((l) => l.includes("engine:") && l.includes("narrowed ("))!;
  expect(engineLine).toMatch(/1 mutants run whole, 6 narrowed/);
}, 900_000);

it("the first engine (a `run` child process per mutant) and the catalog engine kill alike: the same kill table on a subset, one mutant narrowed and one whole", async () => {
  // The whole catalog was compared once (README "Proving the checks can fail": 392 s, the same kill map); this keeps the two
  // engines, which share catalog-settings.ts, from drifting apart.
  const only = "jobs.unknown-state,software.history-not-written";
  const dir = mkdtempSync(join(tmpdir(), "engines-"));
  const codes = [
    await mutantsCommand({ only, engine: "process", out: join(dir, "process.json") }, () => {}),
    await mutantsCommand({ only, out: join(dir, "catalog.json") }, () => {}),
  ];
  const [processRun, catalogRun]: MutantsSummary[] = ["process", "catalog"].map((f) => JSON.parse(readFileSync(join(dir, `${f}.json`), "utf8")));
  expect(catalogRun.kills.map((k) => [k.mutant, k.status, [...k.killedBy].sort()])).toEqual(processRun.kills.map((k) => [k.mutant, k.status, [...k.killedBy].sort()]));
  expect(catalogRun.checkToMutants).toEqual(processRun.checkToMutants);
  expect(processRun.kills.every((k) => k.status === "killed")).toBe(true);
  expect(codes).toEqual([0, 0]);
}, 600_000);
