// Jobs: /api/cluster/jobs/{uuid}, reached from the job links of async
// answers.
import { backoff } from "../../src/harness/backoff.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import type { CheckContext } from "../../src/harness/context.ts";
import type { Exchange } from "../../src/harness/transport.ts";
import { getOperation, schemaFields, type Schemas } from "../../src/contract/index.ts";
import { softwarePackages } from "../sample.ts";
import { checkFinishedJob, checkJobDescription, checkJobProgress, isJobTerminal } from "../oracles/index.ts";
import { judge } from "../judge.ts";
import { awaitNoDownload, skipIfUpdating, UPDATE_IN_PROGRESS } from "../software/busy.ts";

/** A job the check may start without changing anything: a validate_only PATCH. */
async function harmlessJob(ctx: CheckContext): Promise<{ job: Schemas["job_link"]; exchange: Exchange }> {
  const pkg = (await softwarePackages(ctx))[0];
  if (!pkg) ctx.skip("the target holds no software package to validate against, so no job can be started harmlessly");
  await skipIfUpdating(ctx, "a validation, the harmless way to start a job, would be refused with 10551357");
  const r = await ctx.call("software_modify", { query: { validate_only: "true" }, body: { version: pkg.version }, skipOn: [UPDATE_IN_PROGRESS] });
  if (!r.body?.job) ctx.skip(`the validation answered ${r.status} without a job`);
  return { job: r.body.job, exchange: r.exchange };
}

export const jobsChecks: Check[] = [
  defineCheck({
    id: "jobs.get.terminal",
    area: "jobs",
    operation: "job_get",
    profile: "non-disruptive",
    severity: "critical",
    title: "A job reached from a job link moves queued → running → success|failure and stays there",
    requirement: "A job MUST only move forward through queued, running (or paused) to success or failure, and MUST NOT leave a terminal state.",
    ref: "spec/sources/ontap-reference.md §5.4",
    spec: ["spec/ontap.yaml#/components/schemas/job_state", "spec/ontap.yaml#/paths/~1cluster~1jobs~1{uuid}/get"],
    oracle: "checkJobProgress",
    async run(ctx) {
      const { job, exchange } = await harmlessJob(ctx);
      const seen: Array<string | undefined> = [];
      // The run's job time limit (jobTimeoutMs in the config), as for every job the suite waits for.
      const limit = ctx.jobTimeoutMs;
      const deadline = Date.now() + limit;
      const wait = backoff(2, 1000);
      for (;;) {
        const r = await ctx.call("job_get", { path: { uuid: job.uuid }, query: { fields: "*" } });
        const state = r.body.state;
        if (seen[seen.length - 1] !== state) {
          seen.push(state);
          judge(ctx, checkJobProgress(seen), { context: `the job's states ${seen.join(" → ")}`, exchange: r.exchange });
        }
        if (isJobTerminal(state)) {
          const again = await ctx.call("job_get", { path: { uuid: job.uuid }, query: { fields: "state" } });
          judge(ctx, checkJobProgress([...seen, again.body.state]), { context: "read again once finished", exchange: again.exchange });
          judge(ctx, checkFinishedJob(r.body), { exchange: r.exchange });
          return;
        }
        if (Date.now() > deadline) ctx.fail(`job ${job.uuid} did not finish within ${Math.round(limit / 1000)} s (states: ${seen.join(" → ")})`, { documented: "success or failure", exchange });
        await wait();
      }
    },
  }),
  defineCheck({
    id: "jobs.get.description",
    area: "jobs",
    operation: "job_get",
    profile: "non-disruptive",
    severity: "minor",
    title: "A job's description names the request that started it",
    requirement: "The description of a job started by PATCH /api/cluster/software MUST name that request (\"PATCH /api/cluster/software\").",
    ref: "docs: Manage cluster software > Examples (job description)",
    spec: ["spec/ontap.yaml#/components/schemas/job/properties/description"],
    oracle: "checkJobDescription",
    async run(ctx) {
      const { job, exchange } = await harmlessJob(ctx);
      const done = await ctx.awaitJob(job, { exchange });
      const op = getOperation("software_modify");
      judge(ctx, checkJobDescription(done, { method: op.method, path: op.apiPath }), { exchange });
    },
  }),
  defineCheck({
    id: "jobs.get.failure",
    area: "jobs",
    operation: "job_get",
    profile: "destructive",
    phase: "stateful",
    severity: "normal",
    title: "A job that fails ends in failure with its code, message and error",
    requirement: "A download from a URL that cannot be fetched MUST answer 202 at once with a job (return_timeout defaults to 0); the job MUST end in state failure with a non-zero code and a message, from ONTAP 9.9 also an error with code and message, and GET /cluster/software/download MUST then report failure.",
    ref: "spec/sources/ontap-reference.md §5.4 (job polling), §2.10, §8 (async)",
    spec: ["spec/ontap.yaml#/components/schemas/job/properties/code", "spec/ontap.yaml#/components/schemas/job/properties/message", "spec/ontap.yaml#/components/schemas/job/properties/error", "spec/ontap.yaml#/paths/~1cluster~1software~1download/post/responses/202"],
    oracle: "checkFinishedJob",
    async run(ctx) {
      await skipIfUpdating(ctx, "a download would be refused with 10551357");
      await awaitNoDownload(ctx, "another download would be refused with 10551382");
      // A host under .invalid never resolves (RFC 2606), so no cluster can fetch it; the reference mock fails a download whose path says "fail".
      const url = "http://packages.example.invalid/ontap-conformance-fail-9.97.1_image.tgz";
      const before = new Set((await softwarePackages(ctx)).map((p) => p.version));
      try {
        const r = await ctx.call("software_package_create", { body: { url }, expect: "any" });
        const code = String(r.body?.error?.code ?? "");
        if (r.status >= 400 && r.status < 500) ctx.skip(`the target refused the download at once (${r.status} code ${code || "none"}): no job to judge`);
        if (r.status !== 202) ctx.fail(`a download without return_timeout answered ${r.status}`, { received: r.status, documented: "202 at once with a job (return_timeout defaults to 0)", exchange: r.exchange });
        const job = await ctx.awaitJob(r.body?.job, { exchange: r.exchange });
        if (job.state !== "failure") ctx.fail(`a download from ${url} ended in ${job.state}`, { received: job, documented: "failure", exchange: r.exchange });
        // The job's error object is in the schema from the release that introduced it (x-ontap-introduced of job.error).
        judge(ctx, checkFinishedJob(job, { errorObject: schemaFields("job", { version: ctx.target.version }).some((f) => f.path === "error") }), { exchange: r.exchange });
        const status = await ctx.call("software_download_get", { query: { fields: "*" } });
        if (status.body?.state !== "failure") ctx.fail(`GET /download reports ${status.body?.state} after the download job failed`, { received: status.body, documented: "state failure", exchange: status.exchange });
      } finally {
        for (const v of (await softwarePackages(ctx)).map((p) => p.version).filter((v) => !before.has(v))) {
          const d = await ctx.call("software_package_delete", { path: { version: v } });
          if (d.body?.job) await ctx.awaitJob(d.body.job, { exchange: d.exchange });
        }
      }
    },
  }),
  defineCheck({
    id: "jobs.link.plain-json",
    area: "jobs",
    operation: "software_modify",
    profile: "non-disruptive",
    severity: "normal",
    title: "An asynchronous answer to Accept: application/json still links its job",
    requirement: "A 202 answered with `Accept: application/json` MUST carry job._links.self.href, leading to that job, as the docs' examples show and NetApp's clients follow it.",
    ref: "spec/sources/002_d792e4551950e0af.txt (PATCH validate_only and POST download examples, accept: application/json); spec/sources/ontap-reference.md §5.7, §8.1 (na_ontap_restit)",
    spec: ["spec/ontap.yaml#/components/schemas/job_link", "spec/ontap.yaml#/paths/~1cluster~1software/patch/responses/202/content/application~1json"],
    oracle: null,
    async run(ctx) {
      const pkg = (await softwarePackages(ctx))[0];
      if (!pkg) ctx.skip("the target holds no software package to validate against, so no job can be started harmlessly");
      await skipIfUpdating(ctx, "a validation, the harmless way to start a job, would be refused with 10551357");
      const r = await ctx.call("software_modify", { query: { validate_only: "true" }, body: { version: pkg.version }, accept: "application/json", skipOn: [UPDATE_IN_PROGRESS] });
      if (!r.body?.job) ctx.skip(`the validation answered ${r.status} without a job`);
      const href: unknown = r.body.job._links?.self?.href;
      if (typeof href !== "string") return ctx.fail("the job link lost its _links.self.href under Accept: application/json", { received: r.body.job, documented: '{"uuid": ..., "_links": {"self": {"href": "/api/cluster/jobs/<uuid>"}}}', exchange: r.exchange });
      const uuid = decodeURIComponent(href.replace(/\/+$/, "").split("/").pop()!);
      if (!href.includes("/api/cluster/jobs/") || uuid !== r.body.job.uuid) ctx.fail(`the job link ${href} does not lead to job ${r.body.job.uuid}`, { received: href, documented: `/api/cluster/jobs/${r.body.job.uuid}`, exchange: r.exchange });
      await ctx.awaitJob(r.body.job, { exchange: r.exchange });
    },
  }),
];
