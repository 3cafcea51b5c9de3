// The contract's YAML documents are parsed once and kept as JSON keyed by
// their text (src/contract/yaml-file.ts): what the cache gives back must be
// exactly what the parser gives, and an edited file must never get the old data.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { readYamlFile } from "../../src/contract/yaml-file.ts";
import { QUIRKS_PATH, SPEC_PATH } from "../../src/contract/spec.ts";
import { REQUIREMENTS_PATH } from "../../src/contract/requirements.ts";

it("gives the parser's data for the spec, the quirks and the requirements, cached or not", () => {
  for (const [path, options] of [[SPEC_PATH, { merge: true }], [QUIRKS_PATH, {}], [REQUIREMENTS_PATH, {}]] as const) {
    const parsed = parse(readFileSync(path, "utf8"), options);
    expect(readYamlFile(path, options), path).toEqual(parsed); // a miss or a hit
    expect(readYamlFile(path, options), path).toEqual(parsed); // a hit
  }
});

it("an edited file is parsed anew", () => {
  const file = join(mkdtempSync(join(tmpdir(), "yaml-file-")), "doc.yaml");
  writeFileSync(file, "a: 1\n");
  expect(readYamlFile(file)).toEqual({ a: 1 });
  writeFileSync(file, "a: 2\n");
  expect(readYamlFile(file)).toEqual({ a: 2 });
});
