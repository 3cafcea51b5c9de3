// The import graph of the product code: no circle, and no arrow from a lower
// layer up to a higher one. Layers, bottom to top: the contract
// (src/contract, what spec/ontap.yaml says) < the harness (src/harness) <
// the suites, the generators and the mock < the report writers (reports/) <
// the CLI (src/cli), the composition root. Within the middle layer the
// oracles (suites/oracles) import nothing outside themselves, the suites
// and generators never import the mock, and the mock imports neither
// (they share facts as text: spec/test-keys.md). Written small on purpose:
// every relative `import`, `export ... from` and `import()` of a .ts file,
// type-only imports included (a circle of types is a knot too).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const DIRS = ["src", "suites", "generators", "mock", "reports"];

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.m?ts$/.test(name) && !/\.test\.ts$/.test(name)) out.push(relative(ROOT, p));
    }
  };
  for (const d of DIRS) walk(join(ROOT, d));
  return out.sort();
}

const IMPORT = /(?:^|[\n;])\s*(?:import|export)\b[^"'`;]*?\bfrom\s*["']([^"']+)["']|(?:^|[\n;])\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** file → the project files it imports (relative specifiers only: packages and node: builtins are not edges). */
export function importGraph(files = sources()): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(join(ROOT, f), "utf8").replace(/^\s*\/\/.*$/gm, "");
    const targets = new Set<string>();
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith(".")) targets.add(relative(ROOT, resolve(ROOT, dirname(f), spec)));
    }
    graph.set(f, [...targets].sort());
  }
  return graph;
}

/** The circles of a graph (strongly connected components of more than one file, or a file importing itself). */
export function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return out;
}

/** The layer of a file: 0 contract, 1 harness, 2 suites/generators/mock, 3 reports, 4 CLI. */
export function layerOf(file: string): number {
  if (file.startsWith("src/contract/") || file.startsWith("src/types/")) return 0;
  if (file.startsWith("src/harness/")) return 1;
  if (/^(suites|generators|mock)\//.test(file)) return 2;
  if (file.startsWith("reports/")) return 3;
  if (file.startsWith("src/cli/")) return 4;
  throw new Error(`${file} is in no layer`);
}

/** Arrows the layering forbids, as "from → to (why)". */
export function forbidden(graph: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [from, tos] of graph) {
    for (const to of tos) {
      if (!to.startsWith("src/") && !/^(suites|generators|mock|reports)\//.test(to)) continue;
      if (layerOf(to) > layerOf(from)) out.push(`${from} → ${to} (layer ${layerOf(from)} imports layer ${layerOf(to)})`);
      else if (from.startsWith("suites/oracles/") && !to.startsWith("suites/oracles/")) out.push(`${from} → ${to} (the oracles import nothing but each other)`);
      else if (/^(suites|generators)\//.test(from) && to.startsWith("mock/")) out.push(`${from} → ${to} (suites and generators never import the mock)`);
      else if (from.startsWith("mock/") && /^(suites|generators)\//.test(to)) out.push(`${from} → ${to} (the mock never imports the suites or generators)`);
      else if (from.startsWith("generators/") && to.startsWith("suites/") && !to.startsWith("suites/oracles/")) out.push(`${from} → ${to} (generators read the oracles, never the checks)`);
    }
  }
  return out.sort();
}

describe("the import graph", () => {
  const graph = importGraph();

  it("reads the imports of the product code", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("src/cli/main.ts")).toContain("src/cli/run-command.ts");
    expect(graph.get("src/harness/check.ts")).toContain("src/harness/outcomes.ts");
  });

  it("has no circle", () => {
    expect(circles(graph).map((c) => c.join(" → "))).toEqual([]);
  });

  it("has no arrow from a lower layer to a higher one, and keeps the oracles, the suites and the mock apart", () => {
    expect(forbidden(graph)).toEqual([]);
  });

  it("finds a circle and an upward arrow when there is one", () => {
    const g = new Map([
      ["src/harness/a.ts", ["src/harness/b.ts", "src/cli/x.ts"]],
      ["src/harness/b.ts", ["src/harness/a.ts"]],
      ["suites/oracles/o.ts", ["src/contract/spec.ts"]],
    ]);
    expect(circles(g)).toEqual([["src/harness/a.ts", "src/harness/b.ts"]]);
    expect(forbidden(g)).toEqual(["src/harness/a.ts → src/cli/x.ts (layer 1 imports layer 4)", "suites/oracles/o.ts → src/contract/spec.ts (the oracles import nothing but each other)"]);
  });
});
