// `run --bundle`: one .tar.gz of a run, to attach to a ticket or a change
// record: summary.json, summary.md, junit.xml, the HTML report, the coverage
// matrix, the redacted exchanges of every check that did not pass
// (exchanges/<id>.json, written by the workers), the baseline used, and
// bundle.json with what makes the run reproducible (the tool's version, the
// spec's SHA-256, the seed and runs, the target and its release, the
// profile). Everything in it was redacted when it was written; the ledger
// and the generated Allure config (local paths) are left out.
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import tar from "tar-stream";
import { runIdentity, type RunIdentity, type Summary } from "./summary.ts";

export interface BundleManifest extends RunIdentity {
  format: "ontap-conformance/bundle@1";
  tool: { name: string; version: string };
  spec: { file: string; sha256: string };
  result?: string;
  exitCode?: number;
  baseline?: string;
  files: string[];
}

export function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Write the bundle of `runDir` to `file`; returns its manifest. */
export async function writeBundle(file: string, opts: { runDir: string; summary: Summary; specFile: string; tool: { name: string; version: string }; baselineFile?: string }): Promise<BundleManifest> {
  const entries: Array<{ name: string; data: Buffer }> = [];
  const add = (name: string, path: string) => { if (existsSync(path) && statSync(path).isFile()) entries.push({ name, data: readFileSync(path) }); };
  for (const f of ["summary.json", "summary.md", "junit.xml", "coverage.html"]) add(f, join(opts.runDir, f));
  add("html/index.html", join(opts.runDir, "html", "index.html"));
  const exchanges = join(opts.runDir, "exchanges");
  if (existsSync(exchanges)) for (const f of readdirSync(exchanges).sort()) add(`exchanges/${f}`, join(exchanges, f));
  if (opts.baselineFile) add(`baseline/${basename(opts.baselineFile)}`, opts.baselineFile);
  const s = opts.summary;
  const manifest: BundleManifest = {
    format: "ontap-conformance/bundle@1",
    tool: opts.tool,
    spec: { file: "spec/ontap.yaml", sha256: sha256(opts.specFile) },
    ...runIdentity(s),
    result: s.result,
    exitCode: s.exitCode,
    ...(opts.baselineFile ? { baseline: `baseline/${basename(opts.baselineFile)}` } : {}),
    files: ["bundle.json", ...entries.map((e) => e.name)],
  };
  // Opened first: a path that cannot be written fails here, plainly, not as an error event of the tar stream.
  const out = createWriteStream(file, { fd: openSync(file, "w") });
  const pack = tar.pack();
  const root = `ontap-conformance-${s.runId ?? "run"}`;
  const mtime = new Date(s.start);
  pack.entry({ name: `${root}/bundle.json`, mtime }, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  for (const e of entries) pack.entry({ name: `${root}/${e.name}`, mtime }, e.data);
  pack.finalize();
  await pipeline(pack, createGzip({ level: 9 }), out);
  return manifest;
}
