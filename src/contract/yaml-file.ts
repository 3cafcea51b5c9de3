// Parsing the contract's YAML documents (spec/ontap.yaml, quirks,
// requirements) is the largest fixed cost of starting a run: the `yaml`
// library takes about 0.5 s to load and parse the spec on a cold start, and
// a run pays it twice (the CLI, then the worker that runs the checks). The
// parsed data is kept as JSON under node_modules/.cache/ontap-conformance/,
// keyed by a hash of the file's text and the parse options, so the cache can
// never be stale: an edited file has another key. When the cache cannot be
// written (a read-only checkout), every load parses, as before.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CACHE_DIR = fileURLToPath(new URL("../../node_modules/.cache/ontap-conformance/", import.meta.url));
const require = createRequire(import.meta.url);

/** The parsed YAML document at `path` (plain JSON data: the contract's documents hold nothing else). */
export function readYamlFile(path: string, options: { merge?: boolean } = {}): unknown {
  const text = readFileSync(path, "utf8");
  const key = createHash("sha256").update(JSON.stringify(options)).update("\0").update(text).digest("hex").slice(0, 40);
  const file = join(CACHE_DIR, `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // not cached yet
  }
  // Loaded only on a cache miss: the library alone takes about 0.1 s to load.
  const { parse } = require("yaml") as typeof import("yaml");
  const data: unknown = parse(text, options);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, file); // atomic: a concurrent reader sees the whole file or none
  } catch {
    // a read-only checkout: parse every time
  }
  return data;
}
