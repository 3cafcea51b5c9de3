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
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the project keeps what it can make again (parsed YAML here, the catalogs' run times): safe to delete. */
export const CACHE_DIR = fileURLToPath(new URL("../../node_modules/.cache/ontap-conformance/", import.meta.url));
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
  writeWhole(file, JSON.stringify(data)); // a read-only checkout: parse every time
  return data;
}

/**
 * Write a cache file whole: to a file of its own, then renamed over the old
 * one (atomic: a concurrent reader sees the whole file or none). A cache
 * that cannot be written (a read-only checkout) is only a cache: false.
 */
export function writeWhole(file: string, text: string): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
    return true;
  } catch {
    return false;
  }
}
