// Error codes come from spec/ontap.yaml. A number shaped like an ONTAP error
// code (six to nine digits) anywhere in the suites or the mock's routes,
// in code, a string or a comment (not in a UUID), must be one the spec documents (for some
// operation, or as a common code); the code that compares them names them
// (src/contract/codes.ts, checked against the spec when it loads).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import { commonErrorCodes, operations } from "../../src/contract/index.ts";

const ROOT = join(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

/** Every six-to-nine-digit number of the files that the spec does not document as an error code, as "file:line code". */
export function undocumentedCodes(files: string[], documented: Set<string>): string[] {
  const out: string[] = [];
  for (const f of files) {
    readFileSync(f, "utf8").split("\n").forEach((line, i) => {
      for (const m of line.matchAll(/(?<![\d.-])\b(\d{6,9})\b(?![\d.-])/g)) if (!documented.has(m[1])) out.push(`${relative(ROOT, f)}:${i + 1} ${m[1]}`);
    });
  }
  return out;
}

const documented = new Set([...Object.keys(commonErrorCodes()), ...operations().flatMap((op) => Object.keys(op.errorCodes))]);

it("every error-code-shaped number in suites/ and mock/routes/ is a code spec/ontap.yaml documents", () => {
  const files = [...sources(join(ROOT, "suites")), ...sources(join(ROOT, "mock/routes"))];
  expect(files.length).toBeGreaterThan(20);
  expect(undocumentedCodes(files, documented)).toEqual([]);
});

it("flags a code the spec does not name", () => {
  const dir = join(ROOT, "suites");
  const file = sources(dir).find((f) => f.endsWith("judge.ts"))!;
  expect(undocumentedCodes([file], new Set())).toEqual([]);
  expect(undocumentedCodes([join(ROOT, "suites/software/checks.ts")], new Set()).length).toBeGreaterThan(0);
  expect(documented.has("10551357")).toBe(true);
  expect(documented.has("999999")).toBe(false);
});
