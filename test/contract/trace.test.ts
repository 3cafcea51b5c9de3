// One hop from a check to what it enforces, what decides it and where it is:
// every check names elements of spec/ontap.yaml that exist, an oracle
// suites/oracles/ exports (or none), and the line that defines it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveSpecPointer } from "../../src/contract/index.ts";
import { allChecks } from "../../suites/index.ts";
import * as oracles from "../../suites/oracles/index.ts";

const ROOT = join(import.meta.dirname, "../..");
const checks = allChecks();

/** Whether a source line defines `id`: it holds the id quoted, or a template whose fixed parts (the rule) spell it. */
export function lineDefines(line: string, id: string): boolean {
  if (line.includes(`"${id}"`) || line.includes(`'${id}'`) || line.includes(`\`${id}\``)) return true;
  const template = /\bid:\s*`([^`]*)`/.exec(line)?.[1];
  if (!template || !template.includes("${")) return false;
  const parts = template.split(/\$\{[^}]*\}/);
  const re = new RegExp(`^${parts.map((p) => p.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&")).join(".+")}$`);
  // The rule (the fixed text after the last substitution) must be there, not only the punctuation.
  return re.test(id) && parts[parts.length - 1].replace(/^\./, "").length > 0;
}

describe("the trace of every check", () => {
  it("names at least one element of spec/ontap.yaml, and every pointer resolves", () => {
    const broken: string[] = [];
    for (const c of checks) {
      expect(c.spec.length, c.id).toBeGreaterThan(0);
      for (const p of c.spec) {
        try {
          resolveSpecPointer(p);
        } catch (e) {
          broken.push(`${c.id}: ${p} (${(e as Error).message})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("a pointer that does not resolve is refused", () => {
    expect(() => resolveSpecPointer("spec/ontap.yaml#/components/schemas/no_such_schema")).toThrow(/unresolvable/);
    expect(() => resolveSpecPointer("spec/other.yaml#/paths")).toThrow(/not a pointer into spec\/ontap.yaml/);
  });

  it("names an oracle that suites/oracles/ exports as a function, or none", () => {
    for (const c of checks) if (c.oracle !== null) expect(typeof (oracles as Record<string, unknown>)[c.oracle], `${c.id}: ${c.oracle}`).toBe("function");
  });

  it("a check whose oracle is named imports it in the file that defines it", () => {
    for (const c of checks.filter((x) => x.oracle)) {
      const file = readFileSync(join(ROOT, c.definedAt.replace(/:\d+$/, "")), "utf8");
      expect(new RegExp(`import \\{[^}]*\\b${c.oracle}\\b[^}]*\\} from "[./]*oracles/`).test(file), `${c.id}: ${c.definedAt} does not import ${c.oracle}`).toBe(true);
    }
  });

  it("is defined at the line that holds its id or, for a check made from a template, its rule", () => {
    const wrong: string[] = [];
    for (const c of checks) {
      const m = /^(.+):(\d+)$/.exec(c.definedAt);
      expect(m, c.id).not.toBeNull();
      const line = readFileSync(join(ROOT, m![1]), "utf8").split("\n")[Number(m![2]) - 1] ?? "";
      if (!lineDefines(line, c.id)) wrong.push(`${c.id}: ${c.definedAt} is "${line.trim()}"`);
    }
    expect(wrong).toEqual([]);
  });

  it("lineDefines reads literal ids and templates", () => {
    expect(lineDefines('    id: "licenses.list.schema",', "licenses.list.schema")).toBe(true);
    expect(lineDefines("      id: `${c.prefix}.list.pages`,", "nodes.list.pages")).toBe(true);
    expect(lineDefines("      id: `${c.prefix}.list.pages`,", "nodes.list.order-by")).toBe(false);
    expect(lineDefines('    id: "licenses.list.schema",', "licenses.get.schema")).toBe(false);
  });
});
