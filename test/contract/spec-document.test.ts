// The contract document itself: valid OpenAPI 3.1, every operation of the
// docs in it, and the generated types fresh.
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { SPEC_PATH, loadSpec, operations } from "../../src/contract/index.ts";

const SEEDS = join(import.meta.dirname, "../../spec/sources");

describe("spec/ontap.yaml", () => {
  it("is valid OpenAPI 3.1 according to a real validator", async () => {
    const validator = new Validator();
    const result = await validator.validate(SPEC_PATH);
    expect(validator.version).toBe("3.1");
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("the validator does reject a broken document (the check above can fail)", async () => {
    const broken = readFileSync(SPEC_PATH, "utf8").replace("operationId: licenses_get", "operationId: [licenses_get]").replace("openapi: 3.1.0", "openapi: 3.1.0\nbogus_top_level: 1");
    const file = join(mkdtempSync(join(tmpdir(), "spec-")), "broken.yaml");
    writeFileSync(file, broken);
    const result = await new Validator().validate(file);
    expect(result.valid).toBe(false);
  });

  it("has every operation that the docs describe, and names the source of every other", () => {
    // Operation headings of the four NetApp pages: "GET /cluster/...", "PATCH `/cluster/software`".
    const documented = new Set<string>();
    for (const file of readdirSync(SEEDS).filter((f) => f.endsWith(".txt"))) {
      for (const line of readFileSync(join(SEEDS, file), "utf8").split("\n")) {
        const m = /^(GET|POST|PATCH|DELETE) `?(\/cluster\/[^\s`]+)`?\s*$/.exec(line.trim());
        if (m) documented.add(`${m[1]} ${m[2]}`);
      }
    }
    expect(documented.size).toBeGreaterThanOrEqual(13);
    const inSpec = new Set(operations().map((o) => `${o.method} ${o.path}`));
    const missing = [...documented].filter((d) => !inSpec.has(d));
    expect(missing).toEqual([]);
    // Operations beyond the docs pages come from shared/ontap-reference.md (§1, §8; §8.1 the reads of NetApp's Python library).
    const fromReference = ["DELETE /cluster/licensing/licenses", "GET /cluster/jobs/{uuid}", "GET /cluster", "GET /cluster/nodes", "GET /cluster/jobs", "GET /cluster/nodes/{uuid}"];
    const extra = [...inSpec].filter((o) => !documented.has(o));
    expect(extra.sort()).toEqual(fromReference.sort());
  });

  it("every operation carries the vendor extensions the rest of the project reads", () => {
    const doc = loadSpec();
    for (const op of operations()) {
      expect(op.id, `${op.method} ${op.path}`).toMatch(/^[a-z_]+$/);
      expect(["read", "validate", "write", "disruptive"]).toContain(op.safety);
      expect(op.introduced, op.id).toMatch(/^\d+\.\d+(\.\d+)?$/);
      if (op.method === "GET") expect(op.safety).toBe("read");
      else expect(op.safety).not.toBe("read");
      expect(op.statuses.some((s) => s.status === "default"), op.id).toBe(true);
    }
    expect(Object.keys(doc["x-ontap-common-error-codes"])).toContain("262179");
    const async = operations().filter((o) => o.async).map((o) => o.id).sort();
    expect(async).toEqual(["software_modify", "software_package_create", "software_package_delete", "software_upload"]);
  });

  it("documents the version differences of success statuses", () => {
    const byId = Object.fromEntries(operations().map((o) => [o.id, o]));
    const statuses = (id: string) => byId[id].statuses.filter((s) => s.status !== "default").map((s) => `${s.status}${s.introduced ? `@${s.introduced}` : ""}`);
    expect(statuses("software_modify")).toEqual(["200@9.8", "202"]);
    expect(statuses("software_package_create")).toEqual(["201@9.8", "202"]);
    expect(statuses("software_package_delete")).toEqual(["200@9.8", "202"]);
    expect(statuses("license_create")).toEqual(["201"]);
    expect(byId.license_create.statuses.find((s) => s.status === "201")!.headers).toContain("Location");
    expect(byId.license_create.statuses.find((s) => s.status === "default")!.schemaName).toBe("error_responses");
  });
});
