// Destructive software checks: download, upload and delete of packages as
// jobs, and a full upgrade walking legal states to completed. Packages the
// suite adds are deleted again in a finally block.
import { COMMON_CODES, compareVersions, getOperation, paramsFor, SOFTWARE_PACKAGE_DELETE_CODES, SOFTWARE_UPLOAD_CODES, type OperationId } from "../../src/contract/index.ts";
import { backoff } from "../../src/harness/backoff.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import type { CheckContext } from "../../src/harness/context.ts";
import { softwarePackages, walkPages } from "../sample.ts";
import { awaitNoDownload, DOWNLOAD_RUNNING, skipIfUpdating, UPDATE_IN_PROGRESS } from "./busy.ts";
import { checkTransitions, isSettled } from "../oracles/index.ts";
import { judge } from "../judge.ts";

const base = { area: "software" as const, profile: "destructive" as const, phase: "stateful" as const };

async function deletePackage(ctx: CheckContext, version: string): Promise<void> {
  const r = await ctx.call("software_package_delete", { path: { version } });
  if (r.body?.job) {
    const job = await ctx.awaitJob(r.body.job, { exchange: r.exchange });
    if (job.state !== "success") ctx.fail(`deleting package ${version} ended in ${job.state}: ${job.message}`, { received: job, documented: "a successful job", exchange: r.exchange });
  }
}

/** A count with return_records=false, added up along next links where a threshold cut it short (ref §5.3). */
async function countOf(ctx: CheckContext, operationId: OperationId, query: Record<string, string>): Promise<number> {
  let count = 0;
  await walkPages(ctx, operationId, { ...query, return_records: "false" }, { onPage: (r) => { count += Number(r.body.num_records ?? 0); } });
  return count;
}

async function hasPackage(ctx: CheckContext, version: string): Promise<boolean> {
  return (await softwarePackages(ctx)).some((p) => p.version === version);
}

export const softwareRoundTrips: Check[] = [
  defineCheck({
    ...base,
    id: "packages.download.lifecycle",
    operation: "software_package_create",
    severity: "critical",
    title: "A download runs as a job, reports its progress, and adds the package",
    requirement: "POST /cluster/software/download MUST answer 201 or 202 with a job; the job MUST end in success, GET /download MUST then report success, and the package MUST be listed only after the download succeeded.",
    ref: "docs: Manage cluster software downloads",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software~1download/post", "spec/ontap.yaml#/components/schemas/software_package_download_get/properties/state"],
    oracle: null,
    async run(ctx) {
      const url = ctx.target.downloadUrl ?? (ctx.target.acceptsTestPackages ? "http://packages.example.invalid/ontap-conformance-9.99.1_image.tgz" : undefined);
      if (!url) return ctx.skip("no package URL the target can download: set downloadUrl in the config");
      await skipIfUpdating(ctx, "a download would be refused with 10551357");
      await awaitNoDownload(ctx, "another download would be refused with 10551382");
      const before = new Set((await softwarePackages(ctx)).map((p) => p.version));
      let added: string[] = [];
      try {
        const r = await ctx.call("software_package_create", { body: { url }, skipOn: [UPDATE_IN_PROGRESS, DOWNLOAD_RUNNING] });
        if (r.status === 202) {
          // While the job runs, the package must not be listed yet.
          const during = (await softwarePackages(ctx)).map((p) => p.version).filter((v) => !before.has(v));
          const now = (await ctx.call("job_get", { path: { uuid: r.body.job.uuid }, query: { fields: "state" } })).body.state;
          if (during.length && now !== "success" && now !== "failure") {
            added = during;
            ctx.fail(`package ${during.join(", ")} is listed while its download job is still ${now}`, { received: during, documented: "listed only after the download succeeded", exchange: r.exchange });
          }
        }
        const job = await ctx.awaitJob(r.body.job, { exchange: r.exchange });
        added = (await softwarePackages(ctx)).map((p) => p.version).filter((v) => !before.has(v));
        if (job.state !== "success") ctx.fail(`the download job ended in ${job.state}: ${job.message}`, { received: job, documented: "success", exchange: r.exchange });
        if (!/download/i.test(job.description ?? "")) ctx.warn(`the download job's description "${job.description}" does not name the request`);
        const status = await ctx.call("software_download_get", { query: { fields: "*" } });
        if (status.body.state !== "success") ctx.fail(`GET /download reports ${status.body.state} after a successful job`, { received: status.body, documented: "state success", exchange: status.exchange });
        if (added.length !== 1) ctx.fail(`a successful download added ${added.length} packages`, { received: added, documented: "exactly one new package" });
      } finally {
        for (const v of added) await deletePackage(ctx, v);
      }
    },
  }),
  defineCheck({
    ...base,
    id: "packages.upload.multipart",
    operation: "software_upload",
    severity: "normal",
    title: "A multipart upload with one part named file adds the package",
    requirement: "POST /cluster/software/upload with one multipart part named `file` MUST start a job that ends in success and adds the package; two files MUST be rejected with 10551807.",
    ref: "docs: Upload a software or firmware package (one multipart part named file)",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software~1upload/post", "spec/ontap.yaml#/components/schemas/software_upload", "spec/ontap.yaml#/paths/~1cluster~1software~1upload/post/x-ontap-error-codes/10551807"],
    oracle: null,
    async run(ctx) {
      if (!ctx.target.acceptsTestPackages) ctx.skip("uploading needs a real image on a real cluster; set testPackages: true for a mock that accepts made-up package files");
      await skipIfUpdating(ctx, "the suite adds no package to a cluster in the middle of an update");
      const version = "9.98.1";
      const form = (names: string[]) => {
        const f = new FormData();
        for (const n of names) f.append("file", new Blob([Buffer.from("ontap-conformance test package")]), n);
        return f;
      };
      const two = await ctx.call("software_upload", { multipart: form(["a_9.97.1.tgz", "b_9.96.1.tgz"]), expect: "error" });
      if (two.body?.error?.code !== SOFTWARE_UPLOAD_CODES.ONE_FILE_ONLY) ctx.fail(`two files in one upload were not rejected with ${SOFTWARE_UPLOAD_CODES.ONE_FILE_ONLY}`, { received: `${two.status} ${two.body?.error?.code}`, documented: SOFTWARE_UPLOAD_CODES.ONE_FILE_ONLY, exchange: two.exchange });
      let added = false;
      try {
        const r = await ctx.call("software_upload", { multipart: form([`ontap-conformance-${version}_image.tgz`]) });
        added = true;
        const job = await ctx.awaitJob(r.body.job, { exchange: r.exchange });
        if (job.state !== "success") ctx.fail(`the upload job ended in ${job.state}: ${job.message}`, { received: job, documented: "success", exchange: r.exchange });
        if (!(await hasPackage(ctx, version))) ctx.fail(`package ${version} is not listed after the upload`, { documented: `a package ${version}` });
      } finally {
        if (added && (await hasPackage(ctx, version))) await deletePackage(ctx, version);
      }
    },
  }),
  defineCheck({
    ...base,
    id: "packages.delete.job",
    operation: "software_package_delete",
    severity: "normal",
    title: "Deleting a package runs a job and removes it; a missing one is 10551325",
    requirement: "DELETE /cluster/software/packages/{version} MUST remove the package through a job, and MUST answer 10551325 for a package that is not there.",
    ref: "docs: Manage cluster software packages > Delete a software package",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software~1packages~1{version}/delete", "spec/ontap.yaml#/paths/~1cluster~1software~1packages~1{version}/delete/x-ontap-error-codes/10551325"],
    oracle: null,
    async run(ctx) {
      const missing = await ctx.call("software_package_delete", { path: { version: "0.0.0-ontap-conformance" }, expect: "error" });
      const notFound: string[] = [SOFTWARE_PACKAGE_DELETE_CODES.PACKAGE_NOT_FOUND, COMMON_CODES.NOT_FOUND];
      const missingCode = missing.body?.error?.code;
      if (missingCode === undefined || !notFound.includes(missingCode)) ctx.fail(`deleting a missing package did not answer ${SOFTWARE_PACKAGE_DELETE_CODES.PACKAGE_NOT_FOUND}`, { received: `${missing.status} ${missing.body?.error?.code}`, documented: notFound.join(" or "), exchange: missing.exchange });
      if (!ctx.target.acceptsTestPackages) ctx.skip("the suite deletes only packages it added itself, and it adds none on this target (set testPackages: true for a mock)");
      const version = "9.95.1";
      await skipIfUpdating(ctx, "the suite adds no package to a cluster in the middle of an update");
      if (!(await hasPackage(ctx, version))) {
        await awaitNoDownload(ctx, "another download would be refused with 10551382");
        const r = await ctx.call("software_package_create", { body: { url: `http://packages.example.invalid/${version}_image.tgz` }, skipOn: [UPDATE_IN_PROGRESS, DOWNLOAD_RUNNING] });
        await ctx.awaitJob(r.body.job, { exchange: r.exchange });
      }
      await deletePackage(ctx, version);
      if (await hasPackage(ctx, version)) ctx.fail(`package ${version} is still listed after its delete job succeeded`, { documented: "gone" });
    },
  }),
  defineCheck({
    ...base,
    id: "software.upgrade.full",
    operation: "software_modify",
    changesRelease: true,
    severity: "blocker",
    title: "A full upgrade walks legal states to completed, updates nodes and writes history",
    requirement: "A PATCH with version and skip_warnings MUST start an update whose state moves only along legal transitions to completed, after which every node runs the version and the history holds a record per node.",
    ref: "docs: Manage cluster software > Upgrade flows",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software/patch", "spec/ontap.yaml#/components/schemas/software_state", "spec/ontap.yaml#/components/schemas/software_history"],
    oracle: "checkTransitions",
    async run(ctx) {
      if (!ctx.target.allowUpgrade) ctx.skip("upgrading needs allowUpgrade: true in the config (it cannot be rolled back)");
      await skipIfUpdating(ctx, "a second update is not started");
      const profile = (await ctx.call("software_get", { query: { fields: "version,state,nodes.name,nodes.version" } })).body;
      const target = (await softwarePackages(ctx)).map((p) => p.version).filter((v) => /^\d+\.\d+\.\d+$/.test(v) && compareVersions(v, profile.version!) > 0).sort(compareVersions).pop();
      if (!target) return ctx.skip(`the repository holds no package newer than ${profile.version}`);
      // Count this update's history records by to_version where the release can filter on it, else all records.
      const historyQuery: Record<string, string> = paramsFor(getOperation("software_history_collection_get"), ctx.target.version).some((p) => p.name === "to_version") ? { to_version: target } : {};
      const historyBefore = await countOf(ctx, "software_history_collection_get", historyQuery);
      // "You must validate the package before the software upgrade" (docs 002, validate example; 10551718 "must run validation first").
      const validation = await ctx.call("software_modify", { query: { validate_only: "true" }, body: { version: target }, skipOn: [UPDATE_IN_PROGRESS] });
      if (validation.body?.job) await ctx.awaitJob(validation.body.job, { exchange: validation.exchange });
      const r = await ctx.call("software_modify", { query: { skip_warnings: "true" }, body: { version: target }, skipOn: [UPDATE_IN_PROGRESS] });
      if (r.body?.job) await ctx.awaitJob(r.body.job, { exchange: r.exchange });
      const seen: Array<string | undefined> = [];
      const deadline = Date.now() + 120_000;
      const wait = backoff(10, 2000);
      for (;;) {
        const s = (await ctx.call("software_get", { query: { fields: "state,version,nodes.name,nodes.version" } })).body;
        if (s.state !== seen[seen.length - 1]) {
          seen.push(s.state);
          // Every observation so far, judged by the upgrade's state graph (polling may skip states; a move no path leads to fails).
          judge(ctx, checkTransitions(seen), { context: `the update's states ${seen.join(" → ")}` });
        }
        if (isSettled(s.state)) {
          if (s.state !== "completed") ctx.fail(`the update ended in ${s.state}`, { received: seen.join(" → "), documented: "completed" });
          const behind = (s.nodes ?? []).filter((n) => n.version !== target);
          if (behind.length) ctx.fail(`after completion ${behind.map((n) => `${n.name}=${n.version}`).join(", ")} do not run ${target}`, { received: s.nodes, documented: target });
          break;
        }
        if (Date.now() > deadline) ctx.fail(`the update did not finish within 120 s (states: ${seen.join(" → ")})`, { documented: "completed" });
        await wait();
      }
      const historyAfter = await countOf(ctx, "software_history_collection_get", historyQuery);
      if (historyAfter - historyBefore < 1) ctx.fail(`no history record to ${target} was written`, { received: historyAfter, documented: `more than ${historyBefore}` });
    },
  }),
];
