// Every JSON example of the docs is a fixture, validated against its
// operation's schema: it passes, or fails only with the quirks it is tagged
// with, and the quirk list explains every failure.
import { describe, expect, it } from "vitest";
import { judgeExample, loadExamples, loadQuirks } from "../../src/contract/index.ts";

const examples = loadExamples();

describe("docs examples (spec/examples)", () => {
  it("covers all four docs pages, every operation they exemplify, and keeps broken JSON as raw text", () => {
    expect(examples.length).toBeGreaterThanOrEqual(75);
    expect(new Set(examples.map((x) => x.source.file)).size).toBe(4);
    const ops = new Set(examples.map((x) => x.operation));
    for (const op of ["licenses_get", "license_create", "license_get", "license_delete", "license_delete_collection", "software_get", "software_modify", "software_download_get", "software_package_create", "software_history_collection_get", "software_packages_collection_get", "software_package_get", "software_package_delete", "software_upload", "job_get"]) {
      expect(ops, op).toContain(op);
    }
    for (const x of examples.filter((e) => e.body === null && e.kind !== "license-key")) expect(x.raw, x.id).toBeTruthy();
  });

  it.each(examples.map((x) => [x.id, x] as const))("%s: every violation is a tagged quirk", (_id, x) => {
    const verdict = judgeExample(x);
    expect(verdict.unexplained.map((v) => v.message)).toEqual([]);
    expect(verdict.quirks).toEqual([...x.quirks].sort());
  });

  it("every quirk is well-formed and shows up in at least one example or parameter table", () => {
    const used = new Set(examples.flatMap((x) => x.quirks));
    for (const q of loadQuirks()) {
      expect(q.id).toMatch(/^[a-z0-9-]+$/);
      expect(q.stance).toBe("warn");
      expect(q.operations.length).toBeGreaterThan(0);
      // A disagreement between sources is named by its sources, not shown by an example.
      if (q.id !== "update-return-timeout-default-1" && q.kind !== "disagreement") expect(used, q.id).toContain(q.id);
      if (q.kind === "disagreement") expect(q.sources?.length, q.id).toBeGreaterThanOrEqual(2);
    }
  });
});
