// Jobs: /api/cluster/jobs/{uuid}, reached from the job links of async
// answers.
import type { Check } from "../../src/harness/check.ts";
import type { CheckContext } from "../../src/harness/context.ts";
import { softwarePackages } from "../sample.ts";
import { skipIfUpdating, UPDATE_IN_PROGRESS } from "../software/busy.ts";

/** A job the check may start without changing anything: a validate_only PATCH. */
async function harmlessJob(ctx: CheckContext): Promise<{ job: any; exchange: any }> {
  const pkg = (await softwarePackages(ctx))[0];
  if (!pkg) ctx.skip("the target holds no software package to validate against, so no job can be started harmlessly");
  await skipIfUpdating(ctx, "a validation, the harmless way to start a job, would be refused with 10551357");
  const r = await ctx.call("software_modify", { query: { validate_only: "true" }, body: { version: pkg.version }, skipOn: [UPDATE_IN_PROGRESS] });
  if (!r.body?.job) ctx.skip(`the validation answered ${r.status} without a job`);
  return { job: r.body.job, exchange: r.exchange };
}

export const jobsChecks: Check[] = [
  {
    id: "jobs.get.terminal",
    area: "jobs",
    operation: "job_get",
    profile: "non-disruptive",
    severity: "critical",
    title: "A job reached from a job link moves queued → running → success|failure and stays there",
    requirement: "A job MUST only move forward through queued, running (or paused) to success or failure, and MUST NOT leave a terminal state.",
    ref: "spec/ontap.yaml#/components/schemas/job; spec/sources/ontap-reference.md §5.4",
    async run(ctx) {
      const { job, exchange } = await harmlessJob(ctx);
      const order = ["queued", "running", "paused", "success", "failure"];
      const seen: string[] = [];
      const deadline = Date.now() + 60_000;
      let delay = 2;
      for (;;) {
        const r = await ctx.call("job_get", { path: { uuid: job.uuid }, query: { fields: "*" } });
        const state = r.body.state;
        const last = seen[seen.length - 1];
        if (last !== state) {
          const terminal = last === "success" || last === "failure";
          if (terminal || (last && order.indexOf(state) < order.indexOf(last) && !(last === "paused" && state === "running"))) {
            ctx.fail(`the job moved from ${last} to ${state}`, { received: [...seen, state].join(" → "), documented: "queued → running → success | failure", exchange: r.exchange });
          }
          seen.push(state);
        }
        if (state === "success" || state === "failure") {
          const again = await ctx.call("job_get", { path: { uuid: job.uuid }, query: { fields: "state" } });
          if (again.body.state !== state) ctx.fail(`the job left its terminal state ${state} for ${again.body.state}`, { received: again.body.state, documented: state, exchange: again.exchange });
          if (state === "success" && r.body.code !== undefined && r.body.code !== 0) ctx.fail(`a successful job carries code ${r.body.code}`, { received: r.body.code, documented: 0, exchange: r.exchange });
          return;
        }
        if (Date.now() > deadline) ctx.fail(`job ${job.uuid} did not finish within 60 s (states: ${seen.join(" → ")})`, { documented: "success or failure", exchange });
        await new Promise((res) => setTimeout(res, delay));
        delay = Math.min(delay * 2, 1000);
      }
    },
  },
  {
    id: "jobs.get.description",
    area: "jobs",
    operation: "job_get",
    profile: "non-disruptive",
    severity: "minor",
    title: "A job's description names the request that started it",
    requirement: "The description of a job started by PATCH /api/cluster/software MUST name that request (\"PATCH /api/cluster/software\").",
    ref: "docs: Manage cluster software > Examples (job description)",
    async run(ctx) {
      const { job, exchange } = await harmlessJob(ctx);
      const done = await ctx.awaitJob(job, { exchange });
      if (!/PATCH\s+\/api\/cluster\/software/.test(done.description ?? "")) {
        ctx.fail(`the job's description is "${done.description}"`, { received: done.description, documented: "PATCH /api/cluster/software" });
      }
    },
  },
  {
    id: "jobs.link.plain-json",
    area: "jobs",
    operation: "software_modify",
    profile: "non-disruptive",
    severity: "normal",
    title: "An asynchronous answer to Accept: application/json still links its job",
    requirement: "A 202 answered with `Accept: application/json` MUST carry job._links.self.href, leading to that job, as the docs' examples show and NetApp's clients follow it.",
    ref: "spec/sources/002_d792e4551950e0af.txt (PATCH validate_only and POST download examples, accept: application/json); spec/sources/ontap-reference.md §5.7, §8.1 (na_ontap_restit)",
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
  },
];
