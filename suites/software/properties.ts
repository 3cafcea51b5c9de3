// Property-based rejection of bad software inputs: every generated PATCH,
// download and upload that breaks a documented rule must be refused with a
// 4xx and its code, and must change nothing (update state, packages,
// download state).
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import type { CallParams, CheckContext } from "../../src/harness/context.ts";
import type { ErrorFields, OperationId, Schemas } from "../../src/contract/index.ts";
import { checkProperty } from "../../src/harness/property.ts";
import { boundaryCases, softwareVariantArb, type SoftwareTarget, type SoftwareVariant as SoftwareCase } from "../../generators/software-variants.ts";
import { profileAllows } from "../../src/harness/check.ts";
import { clusterNodes, listAll, softwarePackages } from "../sample.ts";
import { skipIfUpdating } from "./busy.ts";

async function snapshot(ctx: CheckContext): Promise<string> {
  const sw = await ctx.call("software_get", { query: { fields: "state,pending_version,version" } });
  const pkgs = (await listAll(ctx, "software_packages_collection_get", { fields: "version" })).map((p) => p.version).sort();
  const dl = await ctx.call("software_download_get", {});
  return JSON.stringify({ state: sw.body.state ?? null, pending: sw.body.pending_version ?? null, version: sw.body.version, pkgs, download: dl.body.state ?? null });
}

function codesOf(body: ErrorFields | undefined): string[] {
  return [body?.error?.code, ...(Array.isArray(body?.errors) ? body.errors.map((e) => e?.code) : [])].filter((c): c is string => typeof c === "string");
}

/** What the software generators need to know of the target; skips while an update runs. */
async function softwareTarget(ctx: CheckContext): Promise<SoftwareTarget> {
  await skipIfUpdating(ctx, "bad inputs are not sent during an update");
  const nodes = await clusterNodes(ctx, "name,ha.partners");
  const repository = (await softwarePackages(ctx, { fields: "version" })).map((p) => p.version);
  return {
    version: ctx.target.version,
    nodes: nodes.map((n) => ({ name: n.name, haPartner: n.ha?.partners?.[0]?.name })),
    repository,
    exclude: [
      // Actions sent with no update in progress are rejected, but a real update started meanwhile would be paused: destructive runs only.
      ...(profileAllows(ctx.target.profile, "destructive") ? [] : ["modify-action-idle"]),
      // "Already in the repository" is judged by the image's name, and only a target that
      // names test images by version (this project's mock, testPackages: true) refuses
      // 9.8.0_image.tgz for it. A real cluster would accept the URL and start a download job.
      ...(ctx.target.acceptsTestPackages ? [] : ["download-already-in-repository"]),
    ],
  };
}

/** A request that breaks a rule: refused with its code (or its validation job fails with it), and nothing changed. */
async function refusedAndUnchanged(ctx: CheckContext, c: { operation: OperationId; params: CallParams; expectCodes: string[]; codeMayComeFromJob?: true; what: string }): Promise<void> {
  const before = await snapshot(ctx);
  const r = await ctx.call(c.operation, { ...c.params, expect: "any" });
  let codes = codesOf(r.body);
  if (r.status === 202 && c.codeMayComeFromJob) {
    // The fault is found by the validation job: it must fail with the code.
    // The case's operation is only known at run time; awaitJob fails the check itself when this is no job link.
    const job = await ctx.awaitJob(r.body?.job as Schemas["job_link"] | undefined, { exchange: r.exchange });
    if (job.state !== "failure") ctx.fail(`${c.what} was accepted and its job ended in ${job.state}`, { received: job, documented: `a failed job with ${c.expectCodes.join(" or ")}`, exchange: r.exchange });
    codes = [String(job.code ?? job.error?.code ?? "")].filter(Boolean);
  } else if (r.status < 400 || r.status >= 500) {
    ctx.fail(`${c.what} was answered ${r.status}`, { received: r.status, documented: `4xx with ${c.expectCodes.join(" or ")}`, exchange: r.exchange });
  }
  if (c.expectCodes.length && !codes.some((x) => c.expectCodes.includes(x))) {
    const message = `${c.what} was refused with ${codes.join(", ") || "no code"} where the contract gives ${c.expectCodes.join(" or ")}`;
    // Which of two documented codes a release answers is a reading of the docs: warn unless --strict.
    if (codes.length && !ctx.target.strict) ctx.warn(message);
    else ctx.fail(message, { received: codes, documented: c.expectCodes, exchange: r.exchange });
  }
  const after = await snapshot(ctx);
  if (after !== before) ctx.fail(`${c.what} was refused but changed the software state`, { received: after, documented: before, exchange: r.exchange });
}

export const softwareProperties: Check[] = [
  defineCheck({
    id: "software.inputs.rejected-property",
    title: "Generated bad software inputs (PATCH parameters, download URLs, upload bodies) are refused with their code and change nothing",
    requirement: "A PATCH /cluster/software, POST /cluster/software/download or POST /cluster/software/upload that breaks a documented range, enum, type or body rule MUST be rejected with a 4xx status and the documented code, and MUST NOT change the update state, the packages or the download state.",
    ref: "generators/software-variants.ts",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software/patch/parameters", "spec/ontap.yaml#/paths/~1cluster~1software~1download/post/requestBody", "spec/ontap.yaml#/paths/~1cluster~1software~1upload/post/requestBody"],
    oracle: null,
    severity: "critical",
    profile: "non-disruptive",
    phase: "property",
    area: "software",
    operation: "software_modify",
    async run(ctx) {
      const target = await softwareTarget(ctx);
      const arb = softwareVariantArb(target, { valid: false, effects: ["none", "validate"] });
      await checkProperty(ctx, arb, async (c: SoftwareCase) => {
        await refusedAndUnchanged(ctx, c);
      }, { name: "bad software inputs", show: (c) => `${c.kind}: ${c.what}`, parallel: false });
    },
  }),
  defineCheck({
    id: "software.modify.query-limits",
    title: "PATCH /cluster/software (validate only) takes every documented limit and enum value, and refuses one past each bound",
    requirement: "A validate-only PATCH /cluster/software MUST accept each query enum value and each integer at its documented bounds (return_timeout 0 and 120, stabilize_minutes 1 and 60), MUST refuse a value one past a bound (return_timeout 121, stabilize_minutes 0 and 61) and an empty or 4,096-character version with its documented code, MUST answer an empty or long nodes_to_update without a 5xx, and MUST NOT change the update state, the packages or the download state.",
    ref: "generators/software-variants.ts boundaryCases",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software/patch/parameters", "spec/ontap.yaml#/components/parameters/return_timeout_update", "spec/ontap.yaml#/components/schemas/software_reference/properties/version"],
    oracle: null,
    severity: "normal",
    profile: "non-disruptive",
    phase: "boundary",
    area: "software",
    operation: "software_modify",
    async run(ctx) {
      const target = await softwareTarget(ctx);
      if (!target.repository.length) ctx.skip("the package repository is empty: a validate-only PATCH needs a version to validate");
      // The actions (pause, resume, cancel) are software.modify.action-illegal's.
      const cases = boundaryCases(target).filter((c) => c.operation === "software_modify" && c.param !== "action");
      for (const c of cases) {
        if (c.valid === false) {
          await refusedAndUnchanged(ctx, c);
          continue;
        }
        const before = await snapshot(ctx);
        const r = await ctx.call(c.operation, { ...c.params, expect: c.valid === true ? "success" : "any" });
        if (r.status >= 500) ctx.fail(`${c.what} was answered ${r.status}`, { received: r.status, documented: c.expectStatus, exchange: r.exchange });
        // A validation job must end before the next PATCH (one update operation at a time).
        if (r.status === 202 && r.body?.job) await ctx.awaitJob(r.body.job, { exchange: r.exchange });
        const after = await snapshot(ctx);
        if (after !== before) ctx.fail(`${c.what} (validate only) changed the software state`, { received: after, documented: before, exchange: r.exchange });
      }
    },
  }),
];
