// The software-input arbitrary produces every kind it claims, each case
// breaks the rule its label names (limits and enums read from the spec), and
// a seed gives the same cases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getOperation } from "../src/contract/index.ts";
import { SOFTWARE_CASE_KINDS, softwareCaseArb } from "./software-inputs.ts";

const sample = fc.sample(softwareCaseArb(), { seed: 20261123, numRuns: 2000 });
const q = (name: string) => getOperation("software_modify").params.find((p) => p.name === name)!.schema as any;

describe("softwareCaseArb", () => {
  it("produces every declared kind in 2,000 cases", () => {
    const kinds = new Set(sample.map((c) => c.kind));
    expect(SOFTWARE_CASE_KINDS.filter((k) => !kinds.has(k))).toEqual([]);
    expect([...kinds].filter((k) => !(SOFTWARE_CASE_KINDS as readonly string[]).includes(k))).toEqual([]);
  });

  it("each case breaks the rule its label names", () => {
    for (const c of sample) {
      const query = (c.params.query ?? {}) as Record<string, string>;
      const body = c.params.body as any;
      expect(c.expectCodes.length).toBeGreaterThan(0);
      switch (c.kind) {
        case "stabilize-below": expect(Number(query.stabilize_minutes)).toBeLessThan(q("stabilize_minutes").minimum); break;
        case "stabilize-above": expect(Number(query.stabilize_minutes)).toBeGreaterThan(q("stabilize_minutes").maximum); break;
        case "action-not-in-enum": expect(q("action").enum).not.toContain(query.action); break;
        case "pause-after-not-in-enum": expect(q("pause_after").enum).not.toContain(query.pause_after); break;
        case "version-not-string": expect(typeof body.version).not.toBe("string"); break;
        case "url-scheme": expect(body.url).not.toMatch(/^(https?|ftp|file):/i); break;
        case "url-missing": expect(body).toEqual({}); break;
        case "upload-two-files": expect([...(c.params.multipart as FormData).getAll("file")]).toHaveLength(2); break;
        case "upload-no-file": expect([...(c.params.multipart as FormData).keys()]).toEqual([]); break;
        case "upload-wrong-part": expect((c.params.multipart as FormData).has("file")).toBe(false); break;
        case "upload-not-multipart": expect(c.params.rawBody!.contentType).not.toContain("multipart"); break;
      }
      // A PATCH that a server might wrongly accept still only validates.
      if (c.operation === "software_modify" && c.kind !== "action-not-in-enum") expect(query.validate_only).toBe("true");
    }
  });

  it("is deterministic for a seed", () => {
    const again = fc.sample(softwareCaseArb(), { seed: 20261123, numRuns: 2000 });
    expect(again.map((c) => [c.kind, c.what])).toEqual(sample.map((c) => [c.kind, c.what]));
  });
});
