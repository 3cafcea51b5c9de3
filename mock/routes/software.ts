// /api/cluster/software, /download, /history, /packages, /upload and jobs.
import busboy from "busboy";
import { OntapError } from "../errors.ts";
import type { Job } from "../cluster-software/jobs.ts";
import type { HistoryRecord, SoftwarePackage } from "../cluster-software/software.ts";
import { itemReply, keysOf, listReply, type RecordSource } from "../server/collection.ts";
import { projectToVersion } from "../server/version.ts";
import { SOFTWARE_MODIFY_CODES, SOFTWARE_UPLOAD_CODES, successStatuses, type Schemas, type Writable } from "../../src/contract/index.ts";
import type { Handler, Reply, RequestContext } from "../server/types.ts";
import type { MockState } from "../scenarios/index.ts";

const PACKAGES = "/api/cluster/software/packages";

function jobLink(job: Job): Schemas["job_link"] {
  return { uuid: job.uuid, _links: { self: { href: `/api/cluster/jobs/${job.uuid}` } } };
}

function flag(ctx: RequestContext, name: string): boolean | undefined {
  const v = ctx.query.get(name);
  return v === null ? undefined : /^true$/i.test(v);
}

/**
 * An async answer (ref §5.4): 202 with the job at once (return_timeout=0, the
 * default), or the final status when the job ends within return_timeout
 * seconds of virtual time; a failed job answers with its error (400 and the
 * job's code: "may return the final code instead", ref §5.4; the status is an
 * inference). A POST that creates something carries Location on 201 and 202
 * (ref §5.4).
 */
async function asyncReply(ctx: RequestContext, state: MockState, job: Job, done: { status: number; records?: () => unknown[]; location?: string }): Promise<Reply> {
  const timeout = Number(ctx.query.get("return_timeout") ?? 0);
  const headers: Record<string, string> = done.location ? { location: done.location } : {};
  // Only a release that documents the final status answers with it; an older one always answers 202 (x-ontap-introduced).
  if (timeout > 0 && successStatuses(ctx.op, state.version).includes(done.status)) {
    const finished = await state.jobs.waitFor(job.uuid, timeout * 1000);
    if (finished?.state === "failure") throw new OntapError(400, finished.code, finished.message);
    if (finished?.state === "success") {
      // A job link answer (software_reference_job_link_response and its kin), with the records return_records asks for.
      const body: Writable<Schemas["job_link_response"]> & { num_records?: number; records?: unknown[] } = { job: jobLink(finished) };
      if (done.records && /^true$/i.test(ctx.query.get("return_records") ?? "")) {
        const records = done.records();
        body.num_records = records.length;
        body.records = records;
      }
      return { status: done.status, body, headers };
    }
  }
  return { status: 202, body: { job: jobLink(job) }, headers };
}

function parseMultipart(ctx: RequestContext): Promise<Array<{ field: string; filename: string }>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: ctx.headers, limits: { files: 16, fileSize: 64 * 1024 * 1024 } });
    } catch {
      reject(new OntapError(400, Number(SOFTWARE_UPLOAD_CODES.NOT_MULTIPART), "The request is not multipart/form-data."));
      return;
    }
    const files: Array<{ field: string; filename: string }> = [];
    parser.on("file", (field, stream, info) => {
      files.push({ field, filename: info.filename ?? "upload.tgz" });
      // A truncated body fails the file stream too; unhandled, that error would escape the request.
      stream.on("error", () => reject(new OntapError(400, Number(SOFTWARE_UPLOAD_CODES.NOT_MULTIPART), "The multipart/form-data body could not be read.")));
      stream.resume();
    });
    parser.on("field", (field) => files.push({ field, filename: "" }));
    parser.on("error", () => reject(new OntapError(400, Number(SOFTWARE_UPLOAD_CODES.NOT_MULTIPART), "The multipart/form-data body could not be read.")));
    parser.on("close", () => resolve(files));
    parser.end(ctx.rawBody);
  });
}

export function softwareHandlers(state: MockState): Record<string, Handler> {
  const packages: RecordSource<SoftwarePackage> = {
    schemaName: "software_package",
    keys: keysOf("software_packages_collection_get"),
    selfHref: (r) => `${PACKAGES}/${encodeURIComponent(String(r.version))}`,
  };
  const history: RecordSource<HistoryRecord> = { schemaName: "software_history", keys: keysOf("software_history_collection_get") };
  const jobs: RecordSource<Job> = { schemaName: "job", keys: keysOf("job_collection_get"), selfHref: (r) => `/api/cluster/jobs/${r.uuid}` };
  const sw = state.software;
  return {
    software_get: (ctx) => itemReply(ctx, state.version, { ...sw.profile(), _links: { self: { href: "/api/cluster/software" } } }, { schemaName: "software_reference", keys: [] }),

    // `action` in the query (S1) or in the body (software_reference.action is writable, ref §2.4).
    software_modify: (ctx) => {
      const body = (ctx.body ?? {}) as { version?: string; action?: "pause" | "resume" | "cancel" };
      const action = (ctx.query.get("action") ?? body.action) as "pause" | "resume" | "cancel" | undefined;
      // NetApp's 9.16.1+ definition (error table of software_modify): "skip_nodes_at_target_version
      // cannot be specified in a validate_only, pause, resume, or cancel operations."
      if (ctx.query.has("skip_nodes_at_target_version") && (flag(ctx, "validate_only") || action)) {
        throw new OntapError(400, Number(SOFTWARE_MODIFY_CODES.SKIP_NODES_AT_TARGET_VERSION_CONFLICT), "skip_nodes_at_target_version cannot be specified in a validate_only, pause, resume or cancel operation.", { target: "skip_nodes_at_target_version" });
      }
      const job = sw.update({
        version: body.version,
        action,
        validate_only: flag(ctx, "validate_only"),
        estimate_only: flag(ctx, "estimate_only"),
        skip_warnings: flag(ctx, "skip_warnings"),
        nodes_to_update: ctx.query.get("nodes_to_update") ?? undefined,
        pause_after: (ctx.query.get("pause_after") ?? undefined) as "none" | "takeover_giveback" | "all" | undefined,
      });
      return asyncReply(ctx, state, job, { status: 200, records: () => [projectToVersion("software_reference", sw.profile(), state.version)] });
    },

    software_download_get: (ctx) => itemReply(ctx, state.version, { ...sw.download, _links: { self: { href: "/api/cluster/software/download" } } }, { schemaName: "software_package_download_get", keys: [] }),

    software_package_create: (ctx) => {
      const { job, version } = sw.startDownload(ctx.body as { url: string; username?: string; password?: string });
      return asyncReply(ctx, state, job, { status: 201, location: `${PACKAGES}/${encodeURIComponent(version)}`, records: () => [{ ...sw.download }] });
    },

    software_history_collection_get: (ctx) => listReply(ctx, state.version, sw.history, history),

    software_packages_collection_get: (ctx) => listReply(ctx, state.version, sw.packages, packages),

    software_package_get: (ctx) => itemReply(ctx, state.version, sw.packages.find((p) => p.version === ctx.pathParams.version), packages),

    software_package_delete: (ctx) => {
      const version = ctx.pathParams.version;
      const job = sw.deletePackage(version);
      return asyncReply(ctx, state, job, { status: 200 });
    },

    // multipart/form-data only (10551808, ref §2.9, §3).
    software_upload: async (ctx) => {
      if (ctx.contentType !== "multipart/form-data") throw new OntapError(400, Number(SOFTWARE_UPLOAD_CODES.NOT_MULTIPART), "The request is not multipart/form-data.");
      const { job, version } = sw.startUpload(await parseMultipart(ctx));
      return asyncReply(ctx, state, job, { status: 201, location: `${PACKAGES}/${encodeURIComponent(version)}`, records: () => sw.packages.filter((p) => p.version === version) });
    },

    // GET /cluster/jobs (spec job_collection_get; read by NetApp's clients, ref §8.1): the generic listing over every job the mock has run.
    job_collection_get: (ctx) => listReply(ctx, state.version, state.jobs.list().map((job) => ({ ...job })), jobs),

    job_get: (ctx) => {
      const job = state.jobs.get(ctx.pathParams.uuid);
      return itemReply<Schemas["job"]>(ctx, state.version, { ...job, _links: { self: { href: `/api/cluster/jobs/${job.uuid}` } } }, { schemaName: "job", keys: keysOf("job_get") });
    },
  };
}
