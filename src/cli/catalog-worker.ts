// The catalog engine's worker: runs the suite in this thread against the
// mock changed by the catalog entry it is sent (by name: functions do not
// cross threads), one run at a time, and posts back what the run found.
import { parentPort } from "node:worker_threads";
import { MUTANTS } from "../../mock/mutants/catalog.ts";
import { VARIANTS } from "../../mock/variants/catalog.ts";
import type { MockPatch } from "../../mock/mutants/types.ts";
import type { WireBehaviour } from "../../mock/variants/types.ts";
import { runInProcess, type CatalogRunOptions } from "./catalog-run.ts";
import type { CatalogJob } from "./catalog-engine.ts";

function entryOf(job: CatalogJob): { patch?: MockPatch; wire?: WireBehaviour } {
  if (job.kind === "reference") return {};
  const entry = job.kind === "mutant" ? MUTANTS.find((m) => m.name === job.name) : VARIANTS.find((v) => v.name === job.name);
  if (!entry) throw new Error(`no ${job.kind} named ${job.name}`);
  return { patch: entry, wire: "wire" in entry ? entry.wire : undefined };
}

parentPort!.on("message", async (msg: { id: number; job: CatalogJob }) => {
  try {
    const { patch, wire } = entryOf(msg.job);
    const opts: CatalogRunOptions = { strict: msg.job.strict, wire, reference: msg.job.kind === "reference", narrow: msg.job.narrow };
    const result = await runInProcess(patch, msg.job.dir, opts);
    parentPort!.postMessage({ id: msg.id, result });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: (e as Error).message ?? String(e) });
  }
});
