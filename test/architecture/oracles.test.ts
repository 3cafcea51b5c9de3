// Every export of suites/oracles/ is called by a check: directly (a check
// file imports it and uses it), or through another oracle function a check
// calls. An export no check reaches is code that decides nothing; it is
// deleted, not kept for its own tests. Read with the TypeScript compiler's
// parser (a devDependency already), so a name in a comment or a string
// does not count as a call.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { deref, loadSpec, type ScalarFieldType } from "../../src/contract/index.ts";
import { allChecks } from "../../suites/index.ts";
import { JOB_STATES, PACKAGE_STATES, UPGRADE_STATES, type FieldType } from "../../suites/oracles/index.ts";

const ROOT = join(import.meta.dirname, "../..");
const ORACLES = join(ROOT, "suites/oracles");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

const parse = (file: string) => ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);

/** The identifiers a node mentions (property names after a dot excluded). */
function mentioned(node: ts.Node, out = new Set<string>()): Set<string> {
  if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) out.add(node.text);
  node.forEachChild((c) => void mentioned(c, out));
  return out;
}

const exported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

interface Declaration {
  file: string;
  name: string;
  exported: boolean;
  /** The declarations its body mentions: of its own file, or imported from another oracle module ("file#name"). */
  uses: string[];
}

/** The top-level value declarations of the oracle modules (functions, constants, classes), by "file#name". */
function oracleDeclarations(): Map<string, Declaration> {
  const raw: Array<Declaration & { mentions: Set<string>; imports: Map<string, string> }> = [];
  for (const file of files(ORACLES)) {
    const sf = parse(file);
    const rel = relative(ROOT, file);
    const imports = new Map<string, string>();
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st)) continue;
      const target = relative(ROOT, join(file, "..", (st.moduleSpecifier as ts.StringLiteral).text));
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) for (const e of named.elements) imports.set(e.name.text, target);
    }
    const add = (st: ts.Statement, name: string, body: ts.Node) => raw.push({ file: rel, name, exported: exported(st), uses: [], mentions: mentioned(body), imports });
    for (const st of sf.statements) {
      if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) add(st, st.name.text, st);
      else if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) add(st, d.name.text, d);
    }
  }
  const out = new Map<string, Declaration>();
  const own = new Set(raw.map((d) => `${d.file}#${d.name}`));
  for (const d of raw) {
    const uses = [...d.mentions].flatMap((n) => (own.has(`${d.file}#${n}`) ? [`${d.file}#${n}`] : d.imports.has(n) && own.has(`${d.imports.get(n)}#${n}`) ? [`${d.imports.get(n)}#${n}`] : []));
    out.set(`${d.file}#${d.name}`, { file: d.file, name: d.name, exported: d.exported, uses });
  }
  return out;
}

/** The oracle names each check file (suites/**, outside the oracles) imports from suites/oracles and then uses. */
function calledByChecks(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of files(join(ROOT, "suites")).filter((f) => !f.startsWith(ORACLES))) {
    const sf = parse(file);
    const imported: string[] = [];
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || !/\/oracles\//.test((st.moduleSpecifier as ts.StringLiteral).text)) continue;
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) for (const e of named.elements) if (!e.isTypeOnly && !st.importClause?.isTypeOnly) imported.push(e.name.text);
    }
    if (!imported.length) continue;
    const body = new Set<string>();
    for (const st of sf.statements) if (!ts.isImportDeclaration(st)) mentioned(st, body);
    for (const name of imported) if (body.has(name)) out.set(name, [...(out.get(name) ?? []), relative(ROOT, file)]);
  }
  return out;
}

describe("the oracles", () => {
  const decls = oracleDeclarations();
  const roots = calledByChecks();

  it("every value the oracles export is called by a check, directly or through the oracle function a check calls", () => {
    // What suites/oracles/index.ts re-exports: each exported name is declared once.
    const byName = new Map([...decls.values()].filter((d) => d.exported).map((d) => [d.name, `${d.file}#${d.name}`]));
    const reached = new Set<string>();
    const queue = [...roots.keys()].flatMap((n) => (byName.has(n) ? [byName.get(n)!] : []));
    while (queue.length) {
      const key = queue.shift()!;
      if (reached.has(key)) continue;
      reached.add(key);
      queue.push(...decls.get(key)!.uses.filter((u) => !reached.has(u)));
    }
    const dead = [...decls.values()].filter((d) => d.exported && !reached.has(`${d.file}#${d.name}`)).map((d) => `${d.file}: ${d.name}`);
    expect(dead).toEqual([]);
  });

  it("every oracle a check names (list --json oracle) is one a check file calls", () => {
    const named = new Set(allChecks().flatMap((c) => (c.oracle ? [c.oracle] : [])));
    expect([...named].filter((n) => !roots.has(n))).toEqual([]);
    expect(named.size).toBeGreaterThanOrEqual(10);
  });

  it("name the states the spec's enums name (the oracles do not read the spec, so this test holds them to it)", () => {
    const enumOf = (schema: string) => [...deref(loadSpec(), { $ref: `#/components/schemas/${schema}` }).enum].sort();
    expect([...UPGRADE_STATES].sort()).toEqual(enumOf("software_state"));
    expect([...JOB_STATES].sort()).toEqual(enumOf("job_state"));
    expect([...PACKAGE_STATES].sort()).toEqual(enumOf("license_state"));
  });

  it("compare by the field types the contract derives (checked by tsc: each type is assignable to the other)", () => {
    const a: FieldType = "enum" as ScalarFieldType;
    const b: ScalarFieldType = "enum" as FieldType;
    expect(a).toBe(b);
  });
});
