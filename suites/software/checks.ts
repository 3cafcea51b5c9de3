// Cluster software: the profile, validation and estimates, actions, download,
// upload, packages and history.
import { getOperation, parameterPointer, SOFTWARE_DOWNLOAD_CODES, SOFTWARE_UPLOAD_CODES } from "../../src/contract/index.ts";
import { rejectionCodes } from "../oracles/index.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import type { CheckContext } from "../../src/harness/context.ts";
import { listAll, pick, softwarePackages } from "../sample.ts";
import { softwareRoundTrips } from "./roundtrips.ts";
import { skipIfUpdating, UPDATE_IN_PROGRESS, updateState } from "./busy.ts";

const DOCS = "docs: Manage cluster software (spec/sources/002_d792e4551950e0af.txt)";
/** The documented bounds of stabilize_minutes (its schema in spec/ontap.yaml). */
const STABILIZE = getOperation("software_modify").params.find((p) => p.name === "stabilize_minutes")!.schema as { minimum: number; maximum: number };
const base = { area: "software" as const };

/** The codes a download refuses a URL with: bad syntax, an unsupported scheme, an invalid URL (9.17.1). */
const INVALID_URL: string[] = [SOFTWARE_DOWNLOAD_CODES.INVALID_URL_SYNTAX, SOFTWARE_DOWNLOAD_CODES.UNSUPPORTED_URL_SCHEME, SOFTWARE_DOWNLOAD_CODES.INVALID_URL];

/** The parts of the profile a validate/estimate request must leave alone. */
async function installState(ctx: CheckContext): Promise<string> {
  const r = await ctx.call("software_get", { query: { fields: "version,state,pending_version,nodes.name,nodes.version" } });
  const { version, state, pending_version, nodes } = r.body;
  return JSON.stringify({ version, state, pending_version, nodes: (nodes ?? []).map((n) => [n.name, n.version]) });
}

const readChecks: Check[] = [
  defineCheck({
    ...base,
    id: "software.get.schema",
    operation: "software_get",
    owns: ["software_get:contract"],
    profile: "read-only",
    severity: "critical",
    title: "GET /api/cluster/software?fields=** matches software_reference",
    requirement: "The software profile MUST match software_reference of the target's version, nodes and firmware included.",
    ref: "the schema of the target's release (call() validates every answer)",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software/get/responses/200", "spec/ontap.yaml#/components/schemas/software_reference"],
    oracle: null,
    async run(ctx) {
      const r = await ctx.call("software_get", { query: { fields: "**" } });
      if (!Array.isArray(r.body.nodes) || !r.body.nodes.length) ctx.fail("the software profile lists no nodes", { received: r.body.nodes, documented: "nodes[] with name and version", exchange: r.exchange });
      if (typeof r.body.version !== "string") ctx.fail("the software profile has no version", { received: r.body.version, documented: "version (string)", exchange: r.exchange });
    },
  }),
  defineCheck({
    ...base,
    id: "software.download.schema",
    operation: "software_download_get",
    profile: "read-only",
    severity: "normal",
    title: "GET /api/cluster/software/download matches software_package_download_get",
    requirement: "The download status MUST match software_package_download_get (state not_started, running, success or failure).",
    ref: "the schema of the target's release (call() validates every answer)",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software~1download/get/responses/200", "spec/ontap.yaml#/components/schemas/software_package_download_get"],
    oracle: null,
    async run(ctx) {
      await ctx.call("software_download_get", { query: { fields: "*" } });
    },
  }),
  defineCheck({
    ...base,
    id: "packages.list.schema",
    operation: "software_packages_collection_get",
    owns: ["software_packages_collection_get:contract"],
    profile: "read-only",
    severity: "critical",
    title: "GET /api/cluster/software/packages?fields=* matches software_package_response",
    requirement: "Every software package returned MUST match software_package.",
    ref: "the schema of the target's release (call() validates every answer)",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software~1packages/get/responses/200", "spec/ontap.yaml#/components/schemas/software_package"],
    oracle: null,
    async run(ctx) {
      await softwarePackages(ctx);
    },
  }),
  defineCheck({
    ...base,
    id: "packages.get.schema",
    operation: "software_package_get",
    owns: ["software_package_get:contract"],
    profile: "read-only",
    severity: "normal",
    title: "GET /api/cluster/software/packages/{version} returns that package",
    requirement: "A package GET MUST return a software_package with the version asked for.",
    ref: "the schema of the target's release (call() validates every answer)",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software~1packages~1{version}/get/responses/200", "spec/ontap.yaml#/components/schemas/software_package"],
    oracle: null,
    async run(ctx) {
      const pkg = pick(ctx, await softwarePackages(ctx), "software package");
      const r = await ctx.call("software_package_get", { path: { version: pkg.version }, query: { fields: "*" } });
      if (r.body.version !== pkg.version) ctx.fail(`GET of package ${pkg.version} returned ${r.body.version}`, { received: r.body.version, documented: pkg.version, exchange: r.exchange });
    },
  }),
  defineCheck({
    ...base,
    id: "history.list.schema",
    operation: "software_history_collection_get",
    // History records have two keys, so no history.list.pages check walks its pages: this one reports its paging too.
    owns: ["software_history_collection_get:contract", "software_history_collection_get:paging"],
    profile: "read-only",
    severity: "normal",
    title: "GET /api/cluster/software/history?fields=* matches software_history_response",
    requirement: "Every history record MUST match software_history of the target's version.",
    ref: "the schema of the target's release (call() validates every answer)",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software~1history/get/responses/200", "spec/ontap.yaml#/components/schemas/software_history"],
    oracle: null,
    async run(ctx) {
      await listAll(ctx, "software_history_collection_get");
    },
  }),
  defineCheck({
    ...base,
    id: "software.validate.changes-nothing",
    operation: "software_modify",
    profile: "non-disruptive",
    severity: "blocker",
    title: "PATCH validate_only=true runs the pre-checks and starts no upgrade",
    requirement: "A PATCH with validate_only=true MUST NOT change the cluster version, state or node versions, and SHOULD fill validation_results.",
    ref: `${DOCS} > Update the cluster software version`,
    spec: ["spec/ontap.yaml#/components/parameters/validate_only", "spec/ontap.yaml#/paths/~1cluster~1software/patch/x-ontap-safety-params", "spec/ontap.yaml#/components/schemas/software_reference/properties/validation_results"],
    oracle: null,
    async run(ctx) {
      const pkg = pick(ctx, await softwarePackages(ctx), "software package to validate against");
      await skipIfUpdating(ctx, "a validation would be refused with 10551357");
      const before = await installState(ctx);
      const r = await ctx.call("software_modify", { query: { validate_only: "true" }, body: { version: pkg.version }, skipOn: [UPDATE_IN_PROGRESS] });
      if (r.status === 202 || r.body?.job) await ctx.awaitJob(r.body.job, { exchange: r.exchange });
      const after = await installState(ctx);
      if (after !== before) ctx.fail("validate_only changed the installation", { received: after, documented: before, exchange: r.exchange });
      const v = await ctx.call("software_get", { query: { fields: "validation_results" } });
      if (!Array.isArray(v.body.validation_results)) ctx.warn("validation_results is empty after validate_only (ONTAP may still be validating)");
    },
  }),
  defineCheck({
    ...base,
    id: "software.estimate.changes-nothing",
    operation: "software_modify",
    profile: "non-disruptive",
    severity: "blocker",
    uses: ["estimate_only"],
    title: "PATCH estimate_only=true estimates and starts no upgrade",
    requirement: "A PATCH with estimate_only=true MUST NOT change the cluster version, state or node versions.",
    ref: `${DOCS} > Update the cluster software version (estimate_only)`,
    spec: [parameterPointer("software_modify", "estimate_only"), "spec/ontap.yaml#/paths/~1cluster~1software/patch/x-ontap-safety-params"],
    oracle: null,
    async run(ctx) {
      const pkg = pick(ctx, await softwarePackages(ctx), "software package to estimate against");
      await skipIfUpdating(ctx, "an estimate would be refused with 10551357");
      const before = await installState(ctx);
      const r = await ctx.call("software_modify", { query: { estimate_only: "true" }, body: { version: pkg.version }, skipOn: [UPDATE_IN_PROGRESS] });
      if (r.status === 202 || r.body?.job) await ctx.awaitJob(r.body.job, { exchange: r.exchange });
      const after = await installState(ctx);
      if (after !== before) ctx.fail("estimate_only changed the installation", { received: after, documented: before, exchange: r.exchange });
    },
  }),
  defineCheck({
    ...base,
    id: "software.modify.stabilize-range",
    phase: "boundary",
    operation: "software_modify",
    profile: "non-disruptive",
    severity: "normal",
    uses: ["stabilize_minutes"],
    title: `stabilize_minutes outside ${STABILIZE.minimum}..${STABILIZE.maximum} is rejected`,
    requirement: `A PATCH with stabilize_minutes of ${STABILIZE.minimum - 1} or ${STABILIZE.maximum + 1} (one past each documented bound) MUST be rejected with a 4xx error envelope and start nothing.`,
    ref: "the parameter's minimum and maximum",
    spec: [parameterPointer("software_modify", "stabilize_minutes")],
    oracle: null,
    async run(ctx) {
      // A package that exists, so stabilize_minutes is the only thing wrong with the request.
      const pkg = pick(ctx, await softwarePackages(ctx), "software package");
      const before = await installState(ctx);
      for (const value of [String(STABILIZE.minimum - 1), String(STABILIZE.maximum + 1)]) {
        const r = await ctx.call("software_modify", { query: { stabilize_minutes: value, validate_only: "true" }, body: { version: pkg.version }, expect: "error" });
        if (r.status >= 500) ctx.fail(`stabilize_minutes=${value} answered ${r.status}`, { received: r.status, documented: "400", exchange: r.exchange });
      }
      if ((await installState(ctx)) !== before) ctx.fail("a rejected PATCH changed the installation", { documented: "unchanged" });
    },
  }),
  defineCheck({
    ...base,
    id: "software.modify.action-illegal",
    operation: "software_modify",
    profile: "non-disruptive",
    severity: "normal",
    title: "resume or cancel with no update under way is rejected",
    requirement: "`action=resume` or `action=cancel` when no update is under way MUST be rejected with a code the docs give for that action in that state (resume: 10551297, 10551303 or 10551434; cancel: 10551297, 10551306 or 10551524; suites/oracles/upgrade.ts rejectionCodes) and change nothing.",
    ref: `${DOCS} > ONTAP Error Response codes`,
    spec: [parameterPointer("software_modify", "action"), "spec/ontap.yaml#/paths/~1cluster~1software/patch/x-ontap-error-codes"],
    oracle: "rejectionCodes",
    async run(ctx) {
      const before = await installState(ctx);
      for (const action of ["resume", "cancel"]) {
        // Read again right before each request: an update someone starts meanwhile must never receive a resume or a cancel.
        const state = await updateState(ctx);
        if (state.underWay) ctx.skip(`an update is under way on the target (state ${state.state}): action=${action} could act on it, so it is not sent`);
        const r = await ctx.call("software_modify", { query: { action }, body: {}, expect: "error" });
        const code = r.body?.error?.code;
        const documented = rejectionCodes(state.state, action);
        if (code === undefined || !documented.includes(code)) {
          ctx.fail(`action=${action} with no update under way (state ${state.state ?? "none"}) was not rejected with a documented code`, { received: `${r.status} code ${code}`, documented: documented.join(" / "), exchange: r.exchange });
        }
      }
      if ((await installState(ctx)) !== before) ctx.fail("a rejected action changed the installation", { documented: "unchanged" });
    },
  }),
  defineCheck({
    ...base,
    id: "software.download.invalid-url",
    operation: "software_package_create",
    profile: "non-disruptive",
    severity: "normal",
    title: "A download URL with bad syntax or an unsupported scheme is rejected",
    requirement: `POST /cluster/software/download with an invalid URL MUST be rejected with ${INVALID_URL.join(", ")} and download nothing.`,
    ref: "docs: Manage cluster software downloads > ONTAP Error Response Codes",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software~1download/post/x-ontap-error-codes/39387137", "spec/ontap.yaml#/paths/~1cluster~1software~1download/post/x-ontap-error-codes/39387138", "spec/ontap.yaml#/paths/~1cluster~1software~1download/post/x-ontap-error-codes/10551885"],
    oracle: null,
    async run(ctx) {
      const before = (await softwarePackages(ctx)).map((p) => p.version).sort().join(",");
      for (const url of ["not a url", "gopher://server/image.tgz"]) {
        const r = await ctx.call("software_package_create", { body: { url }, expect: "error" });
        const code = r.body?.error?.code;
        if (code === undefined || !INVALID_URL.includes(code)) ctx.fail(`url "${url}" was not rejected with a documented code`, { received: `${r.status} code ${code}`, documented: INVALID_URL.join(" / "), exchange: r.exchange });
      }
      const after = (await softwarePackages(ctx)).map((p) => p.version).sort().join(",");
      if (after !== before) ctx.fail("a rejected download changed the packages", { received: after, documented: before });
    },
  }),
  defineCheck({
    ...base,
    id: "software.upload.not-multipart",
    operation: "software_upload",
    profile: "non-disruptive",
    severity: "normal",
    title: "An upload that is not multipart/form-data is rejected with 10551808",
    requirement: "POST /cluster/software/upload with a non-multipart body MUST be rejected (10551808) and store nothing.",
    ref: "docs: Upload a software or firmware package (ONTAP Error Response Codes)",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software~1upload/post/requestBody", "spec/ontap.yaml#/paths/~1cluster~1software~1upload/post/x-ontap-error-codes/10551808"],
    oracle: null,
    async run(ctx) {
      const r = await ctx.call("software_upload", { rawBody: { text: "{}", contentType: "application/json" }, expect: "error" });
      const code = r.body?.error?.code;
      if (code !== SOFTWARE_UPLOAD_CODES.NOT_MULTIPART) ctx.fail(`a non-multipart upload was not rejected with ${SOFTWARE_UPLOAD_CODES.NOT_MULTIPART}`, { received: `${r.status} code ${code}`, documented: SOFTWARE_UPLOAD_CODES.NOT_MULTIPART, exchange: r.exchange });
    },
  }),
  defineCheck({
    ...base,
    id: "software.modify.async-202",
    operation: "software_modify",
    profile: "non-disruptive",
    severity: "normal",
    title: "A validate-only PATCH without return_timeout answers 202 with a job link at once",
    requirement: "A PATCH /cluster/software with validate_only=true and no return_timeout (default 0) MUST answer 202 Accepted at once, with job.uuid and job._links.self.href /api/cluster/jobs/{uuid}; it MUST NOT wait for the job and answer its final status.",
    ref: `${DOCS} > Update the cluster software version > Parameters (return_timeout); spec/sources/ontap-reference.md §5.4`,
    spec: ["spec/ontap.yaml#/paths/~1cluster~1software/patch/responses/202", "spec/ontap.yaml#/components/parameters/return_timeout_update", "spec/ontap.yaml#/components/schemas/job_link"],
    oracle: null,
    async run(ctx) {
      const pkg = pick(ctx, await softwarePackages(ctx), "software package to validate against");
      await skipIfUpdating(ctx, "a validation would be refused with 10551357");
      const r = await ctx.call("software_modify", { query: { validate_only: "true" }, body: { version: pkg.version }, skipOn: [UPDATE_IN_PROGRESS] });
      const job = r.body?.job;
      try {
        if (r.status !== 202) ctx.fail(`a validate-only PATCH without return_timeout answered ${r.status}`, { received: r.status, documented: "202 at once (return_timeout defaults to 0)", exchange: r.exchange });
        const href = job?._links?.self?.href;
        if (!job?.uuid || href !== `/api/cluster/jobs/${job.uuid}`) ctx.fail("the 202 answer carries no job link to /api/cluster/jobs/{uuid}", { received: job, documented: '{"job": {"uuid", "_links": {"self": {"href": "/api/cluster/jobs/<uuid>"}}}}', exchange: r.exchange });
      } finally {
        // One update operation at a time: the validation ends before the next check's PATCH (its own progress is jobs.get.terminal's).
        if (job?.uuid) await ctx.awaitJob({ uuid: job.uuid }, { exchange: r.exchange }).catch(() => undefined);
      }
    },
  }),
];

export const softwareChecks: Check[] = [...readChecks, ...softwareRoundTrips];
