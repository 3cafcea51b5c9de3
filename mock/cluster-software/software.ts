// Cluster software of the reference mock: the package repository, download
// and upload, validation and estimates, the upgrade state machine with
// pause/resume/cancel, and the history it writes. Everything long runs on
// the virtual clock (an upgrade takes virtual hours, real milliseconds).
//
// Every rule cites its source: "ref §n" is spec/sources/ontap-reference.md
// (the error codes of each endpoint are its §3), "docs 002" the cluster
// software page spec/sources/002_d792e4551950e0af.txt.
//
// Status choices (the docs give codes, not statuses; ref §7 leaves them
// open, so the checks accept any 4xx with the code):
//   400 invalid input: 10551872 no version, 10551325 package missing (404 on
//       DELETE), 10551368 nodes not HA pairs, 10551395 warnings not skipped,
//       10551897 already at version, 39387137/39387138 bad URL,
//       10551807/10551808 bad upload
//   409 state conflicts (ref §5.5 "409 conflict"): 10551357 update in
//       progress, 10551300 nothing to pause, 10551303 not paused, 10551524
//       cancel before pause, 10551297 no update, 10551327 image exists
import { OntapError } from "../errors.ts";
import type { VirtualClock } from "../clock.ts";
import type { ClusterModel, NodeModel } from "../cluster.ts";
import { compareVersions, type Schemas, type Writable } from "../../src/contract/index.ts";
import type { Job, JobStore } from "./jobs.ts";

export type UpgradeState = Schemas["software_state"];

/** A package of the repository: a software_package record (its link is added when it is served). */
export type SoftwarePackage = Required<Omit<Schemas["software_package"], "_links">>;

/** An update of one node: a software_history record, every field present. */
export type HistoryRecord = Required<Omit<Schemas["software_history"], "node">> & { readonly node: { name: string; uuid: string } };

interface Step {
  node: string;
  state: UpgradeState;
  start_time?: string;
  end_time?: string;
}

interface Upgrade {
  target: string;
  from: Record<string, string>;
  state: UpgradeState;
  steps: Step[];
  current: number;
  pauseAfter: "none" | "takeover_giveback" | "all";
  started: number;
  timer?: { cancel(): void };
}

/** Virtual time one node takes to update (takeover, reboot, giveback). */
export const NODE_UPDATE_MS = 30 * 60_000;
const DOWNLOAD_MS = 20_000;
const SHORT_JOB_MS = 2_000;

const ACTIVE: UpgradeState[] = ["in_progress", "waiting", "pause_pending", "paused_by_user", "paused_on_error", "cancel_pending"];

export interface UpdateParams {
  version?: string;
  validate_only?: boolean;
  estimate_only?: boolean;
  skip_warnings?: boolean;
  action?: "pause" | "resume" | "cancel";
  nodes_to_update?: string;
  pause_after?: "none" | "takeover_giveback" | "all";
}

/** A version from a file name or URL: the first x.y[.z] in its last segment, else the name itself. */
export function versionFromName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(base);
  if (m) return `${m[1]}.${m[2]}.${m[3] ?? "0"}`;
  return base.replace(/\.(tgz|tar\.gz|zip|tar)$/i, "") || "unnamed";
}

export class SoftwareModel {
  packages: SoftwarePackage[];
  history: HistoryRecord[];
  download: { state: "not_started" | "running" | "success" | "failure"; code: number; message: string } = { state: "not_started", code: 0, message: "No download has been started." };
  validation: Array<Record<string, unknown>> = [];
  estimatedDuration?: number;
  private upgrade?: Upgrade;
  private failNextNode = false;
  metrocluster?: { clusters: Array<{ name: string }> };

  constructor(
    private readonly clock: VirtualClock,
    private readonly jobs: JobStore,
    private readonly cluster: ClusterModel,
    init: { packages: SoftwarePackage[]; history: HistoryRecord[]; metrocluster?: boolean },
  ) {
    this.packages = structuredClone(init.packages);
    this.history = structuredClone(init.history);
    if (init.metrocluster) this.metrocluster = { clusters: [{ name: cluster.name }, { name: `${cluster.name}-B` }] };
  }

  get clusterVersion(): string {
    return [...this.cluster.nodes].map((n) => n.version).sort(compareVersions)[0];
  }

  private node(name: string): NodeModel {
    return this.cluster.nodes.find((n) => n.name === name)!;
  }

  // ------------------------------------------------------------ profile

  profile(): Schemas["software_reference"] {
    const u = this.upgrade;
    const out: Writable<Schemas["software_reference"]> = { version: this.clusterVersion };
    if (u && ACTIVE.includes(u.state)) out.pending_version = u.target;
    if (u) {
      out.state = u.state;
      out.elapsed_duration = Math.round((this.clock.nowMs() - u.started) / 1000);
      out.estimated_duration = Math.round((u.steps.length * NODE_UPDATE_MS) / 1000);
    } else if (this.estimatedDuration !== undefined) out.estimated_duration = this.estimatedDuration;
    out.nodes = this.cluster.nodes.map((n) => ({
      name: n.name,
      version: n.version,
      model: n.model,
      software_images: this.packages.map((p) => ({ package: `${p.version.replace(/\./g, "")}_q_image.tgz` })),
      firmware: firmwareOf(n, this.clock.isoNow()),
    }));
    if (this.metrocluster) {
      const state = u?.state ?? "completed";
      out.metrocluster = {
        clusters: this.metrocluster.clusters.map((c) => ({ name: c.name, state, elapsed_duration: 0, estimated_duration: 3480 })),
        progress_summary: { message: state === "completed" ? "MetroCluster updated successfully." : "MetroCluster update in progress." },
        progress_details: { message: state === "completed" ? "No switchover in progress." : "Switchover in progress." },
      };
    }
    if (u) {
      out.update_details = u.steps.map((s) => ({
        phase: "Data ONTAP updates",
        node: { name: s.node },
        state: s.state,
        elapsed_duration: s.start_time ? Math.round(((s.end_time ? Date.parse(s.end_time) : this.clock.nowMs()) - Date.parse(s.start_time)) / 1000) : 0,
        estimated_duration: NODE_UPDATE_MS / 1000,
      }));
      out.status_details = u.steps.filter((s) => s.start_time).map((s) => ({
        name: "do-update",
        node: { name: s.node },
        state: s.state,
        start_time: s.start_time,
        ...(s.end_time ? { end_time: s.end_time } : {}),
        issue: { message: s.state === "failed" || s.state === "paused_on_error" ? "The node did not come back after the reboot." : "Image update complete.", code: 0 },
        action: { message: s.state === "paused_on_error" ? "Check the node's console, then resume the update." : "No action needed.", code: 0 },
      }));
    }
    out.validation_results = structuredClone(this.validation);
    out.post_update_checks = u?.state === "completed" ? [] : [];
    return out;
  }

  getPackage(version: string): SoftwarePackage {
    const p = this.packages.find((x) => x.version === version);
    if (!p) throw new OntapError(404, 4, "entry doesn't exist", { target: "version" });
    return p;
  }

  // ------------------------------------------------------------ PATCH

  // The pre-update checks of docs 002's validation example: an nfs_mounts
  // warning ("Use NFS hard mounts, if possible."), and an error when cluster HA
  // is not configured ("Cluster HA is not configured in the cluster").
  private checks(target: string): Array<Record<string, unknown>> {
    return [
      { update_check: "nfs_mounts", status: "warning", issue: { message: "NFS mounts are soft; clients may see errors during takeover." }, action: { message: "Use NFS hard mounts, if possible." } },
      ...(this.cluster.nodes.every((n) => n.ha_partner) ? [] : [{ update_check: "high_availability_status", status: "error", issue: { message: "Cluster HA is not configured in the cluster." }, action: { message: "Configure HA before updating." } }]),
      // The PATCH "provides the option to upgrade the cluster software version" (docs: Manage cluster
      // software, overview): a package older than what the nodes run fails validation (10551396), it is no upgrade.
      ...(this.cluster.nodes.some((n) => compareVersions(n.version, target) > 0) ? [{ update_check: "upgrade_version", status: "error", issue: { message: `Package version ${target} is older than the version the cluster runs.` }, action: { message: "Choose a package of a newer ONTAP release." } }] : []),
    ].map((c) => ({ ...c, target }));
  }

  private requirePackage(version: string | undefined): string {
    // ref §3 PATCH: 10551872 package version not given, 10551325 required package version not present.
    if (!version) throw new OntapError(400, 10551872, "The package version was not given: set \"version\".", { target: "version" });
    if (!this.packages.some((p) => p.version === version)) throw new OntapError(400, 10551325, `The required package version ${version} is not present in the repository.`, { target: "version" });
    return version;
  }

  /** PATCH /cluster/software: validate, estimate, start an update, or act on one. Returns the job. */
  update(p: UpdateParams): Job {
    if (p.action) return this.act(p.action);
    // ref §3 PATCH 10551357: a previous update is still in progress.
    if (this.upgrade && ACTIVE.includes(this.upgrade.state)) {
      throw new OntapError(409, 10551357, "A previous update is still in progress.");
    }
    const target = this.requirePackage(p.version);
    // Parameters are checked before validation or estimation too: validate_only
    // validates "the operation and its parameters".
    const nodes = this.nodesToUpdate(p.nodes_to_update);
    const results = this.checks(target).map(({ target: _t, ...c }) => c);
    // validate_only / estimate_only run as a job and change nothing else (ref §1.1, §5.4: results
    // may be absent while validation runs).
    if (p.validate_only) {
      return this.jobs.start("PATCH /api/cluster/software", SHORT_JOB_MS, () => {
        this.validation = results;
        return { ok: true, message: "Validation complete." };
      });
    }
    if (p.estimate_only) {
      return this.jobs.start("PATCH /api/cluster/software", SHORT_JOB_MS, () => {
        this.estimatedDuration = Math.round((this.cluster.nodes.length * NODE_UPDATE_MS) / 1000);
        return { ok: true, message: "Estimate complete." };
      });
    }
    const pending = nodes.filter((n) => compareVersions(this.node(n).version, target) !== 0);
    // ref §3 PATCH: 10551897 all nodes already run the version, 10551396 validation failed,
    // 10551395 warnings (skip_warnings proceeds, ref §1.1).
    if (!pending.length) throw new OntapError(400, 10551897, `All nodes already run version ${target}.`);
    if (results.some((r) => r.status === "error")) throw new OntapError(400, 10551396, "Validation checks failed.");
    if (results.some((r) => r.status === "warning") && !p.skip_warnings) {
      this.validation = results;
      throw new OntapError(400, 10551395, "Validation resulted in warnings; set skip_warnings to proceed.");
    }
    this.validation = results;
    this.upgrade = {
      target,
      from: Object.fromEntries(pending.map((n) => [n, this.node(n).version])),
      state: "in_progress",
      steps: pending.map((n) => ({ node: n, state: "waiting" })),
      current: 0,
      pauseAfter: p.pause_after ?? "none",
      started: this.clock.nowMs(),
    };
    this.runStep();
    return this.jobs.start("PATCH /api/cluster/software", SHORT_JOB_MS, () => ({ ok: true, message: `Update to ${target} started.` }));
  }

  private nodesToUpdate(text: string | undefined): string[] {
    if (text === undefined) return this.cluster.nodes.map((n) => n.name);
    const names = text.split(",").map((s) => s.trim()).filter(Boolean);
    // ref §1.1 nodes_to_update: the nodes must form HA pairs, an empty string makes the upgrade fail
    // (ref §3 10551368); a name of no node is an invalid value (262185, ref §5.6; inference).
    if (!names.length) throw new OntapError(400, 10551368, "nodes_to_update is empty: name the nodes of one or more HA pairs.", { target: "nodes_to_update" });
    for (const name of names) {
      const node = this.cluster.nodes.find((n) => n.name === name);
      if (!node) throw new OntapError(400, 262185, `Node "${name}" is not part of the cluster.`, { target: "nodes_to_update" });
      if (node.ha_partner && !names.includes(node.ha_partner)) throw new OntapError(400, 10551368, `The nodes to update must form HA pairs: ${name} is listed without ${node.ha_partner}.`, { target: "nodes_to_update" });
    }
    return names;
  }

  // One node after the other, each taking NODE_UPDATE_MS of virtual time; the states are
  // software_reference.state's (ref §2.4), the history records software_history's (ref §2.8).
  private runStep(): void {
    const u = this.upgrade!;
    const step = u.steps[u.current];
    step.state = "in_progress";
    step.start_time = this.clock.isoNow();
    u.timer = this.clock.schedule(NODE_UPDATE_MS, () => this.finishStep());
  }

  private finishStep(): void {
    const u = this.upgrade!;
    const step = u.steps[u.current];
    u.timer = undefined;
    if (this.failNextNode) {
      this.failNextNode = false;
      step.state = "paused_on_error";
      u.state = "paused_on_error";
      return;
    }
    step.state = "completed";
    step.end_time = this.clock.isoNow();
    this.node(step.node).version = u.target;
    u.current++;
    if (u.current >= u.steps.length) {
      u.state = "completed";
      this.writeHistory("successful");
      return;
    }
    if (u.state === "pause_pending" || u.pauseAfter === "all" || (u.pauseAfter === "takeover_giveback" && u.current % 2 === 0)) {
      u.state = "paused_by_user";
      return;
    }
    this.runStep();
  }

  private writeHistory(state: "successful" | "canceled"): void {
    const u = this.upgrade!;
    for (const step of u.steps) {
      if (state === "successful" ? step.state !== "completed" : step.state === "completed") continue;
      const node = this.node(step.node);
      this.history.push({
        node: { name: node.name, uuid: node.uuid },
        from_version: u.from[step.node],
        to_version: u.target,
        start_time: step.start_time ?? new Date(u.started).toISOString().replace(/\.\d{3}Z$/, "Z"),
        end_time: this.clock.isoNow(),
        state,
      });
    }
  }

  private act(action: "pause" | "resume" | "cancel"): Job {
    const u = this.upgrade;
    const active = u && ACTIVE.includes(u.state);
    // ref §3 PATCH: 10551300 no update in progress to pause, 10551303 not in the paused state,
    // 10551297 no update in progress found, 10551524 must pause before cancel; pause_pending and
    // cancel_pending are states of ref §2.4.
    if (action === "pause") {
      if (!active || u!.state !== "in_progress") throw new OntapError(409, 10551300, "There is no update in progress to pause.");
      u!.state = "pause_pending"; // takes effect when the node being updated is done
    } else if (action === "resume") {
      if (!active || (u!.state !== "paused_by_user" && u!.state !== "paused_on_error")) throw new OntapError(409, 10551303, "The update is not in the paused state.");
      const step = u!.steps[u!.current];
      u!.state = "in_progress";
      if (step.state === "paused_on_error") step.state = "waiting";
      this.runStep();
    } else {
      if (!active) throw new OntapError(409, 10551297, "No update in progress was found.");
      if (u!.state !== "paused_by_user" && u!.state !== "paused_on_error") throw new OntapError(409, 10551524, "The update must be paused before it can be cancelled.");
      u!.state = "cancel_pending";
      this.clock.schedule(60_000, () => {
        u!.state = "canceled";
        for (const s of u!.steps) if (s.state !== "completed") s.state = "canceled";
        this.writeHistory("canceled");
      });
    }
    return this.jobs.start("PATCH /api/cluster/software", SHORT_JOB_MS, () => ({ ok: true, message: `${action} accepted.` }));
  }

  /** Test hook (no HTTP route reaches it): the next node to finish fails and the update pauses on error (paused_on_error, ref §2.4). */
  failNextNodeUpdate(): void {
    this.failNextNode = true;
  }

  // ------------------------------------------------------------ packages

  startDownload(body: { url: string; username?: string; password?: string }): { job: Job; version: string } {
    // ref §3 POST download: 39387137 invalid URL syntax, 39387138 unsupported scheme; http:// as well
    // (the docs' example URL is http://server/package, ref §2.7).
    let url: URL;
    try {
      url = new URL(body.url);
    } catch {
      throw new OntapError(400, 39387137, `The URL "${body.url}" has an invalid syntax.`, { target: "url" });
    }
    if (url.protocol !== "file:" && !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]/i.test(body.url)) {
      // new URL() reads "ftp:///x" as host "x"; RFC 3986 says it has no host.
      if (["http:", "https:", "ftp:"].includes(url.protocol)) throw new OntapError(400, 39387137, `The URL "${body.url}" names no host.`, { target: "url" });
    }
    if (!["http:", "https:", "ftp:", "file:"].includes(url.protocol)) {
      throw new OntapError(400, 39387138, `The URL scheme "${url.protocol.replace(":", "")}" is not supported: use FILE://, FTP://, HTTP:// or HTTPS://.`, { target: "url" });
    }
    // ref §3 POST download: 10551357 update in progress, 10551382 still running, 10551327 "Package image
    // with the same name already exists" (the text na_ontap_software_update looks for, ref §8).
    if (this.upgrade && ACTIVE.includes(this.upgrade.state)) throw new OntapError(409, 10551357, "An update is in progress.");
    if (this.download.state === "running") throw new OntapError(409, 10551382, "A download is still running.");
    // Made-up packages (README: testPackages): the version is read from the file name, and a URL
    // whose path says "fail" fails the download (10551381, ref §3) so a client can provoke it.
    const version = versionFromName(url.pathname);
    if (this.packages.some((p) => p.version === version)) throw new OntapError(409, 10551327, "Package image with the same name already exists.");
    this.download = { state: "running", code: 10551382, message: "Package download in progress." };
    const fails = /fail/i.test(url.pathname);
    const job = this.jobs.start("POST /api/cluster/software/download", DOWNLOAD_MS, () => {
      if (fails) {
        this.download = { state: "failure", code: 10551381, message: "Package download failed." };
        return { ok: false, error: new OntapError(400, 10551381, "Package download failed.") };
      }
      this.packages.push({ version, create_time: this.clock.isoNow() });
      this.download = { state: "success", code: 0, message: "Package download completed." };
      return { ok: true, message: "Package download completed." };
    });
    return { job, version };
  }

  startUpload(files: Array<{ field: string; filename: string }>): { job: Job; version: string } {
    // ref §2.9, §3 POST upload: exactly one file (10551807) in a multipart part named "file" (another
    // name is an unexpected argument, 262179, ref §5.6); a part without a file name carries no file.
    if (files.length !== 1) throw new OntapError(400, 10551807, files.length ? "Only one file may be uploaded per request." : "The request must carry one file in a part named \"file\".");
    if (files[0].field !== "file") throw new OntapError(400, 262179, `Unexpected argument "${files[0].field}": the part must be named "file".`, { target: files[0].field });
    // A plain form field named "file" carries a value, not a package file: no package may come of it.
    if (!files[0].filename) throw new OntapError(400, 10551807, "The part \"file\" carries no file (it has no filename).", { target: "file" });
    // No rule refuses an upload during an update: 10551357 is not among the upload's codes (ref §3).
    const version = versionFromName(files[0].filename);
    // ref §3 POST upload 10551496: the file already exists.
    if (this.packages.some((p) => p.version === version)) throw new OntapError(409, 10551496, "The package file already exists.");
    const job = this.jobs.start("POST /api/cluster/software/upload", DOWNLOAD_MS, () => {
      this.packages.push({ version, create_time: this.clock.isoNow() });
      return { ok: true, message: "Package upload completed." };
    });
    return { job, version };
  }

  // No rule refuses to delete the package of the running release or of an
  // update: no NetApp source documents one (the endpoint's codes, ref §3, name
  // none), and na_ontap_software_update deletes the package it has just
  // installed (ref §8, §8.1).
  deletePackage(version: string): Job {
    // 10551325 "package not found" (ref §3, DELETE packages); 404 as for any missing entry (ref §5.6).
    if (!this.packages.some((p) => p.version === version)) throw new OntapError(404, 10551325, `Package ${version} was not found in the repository.`, { target: "version" });
    // An asynchronous DELETE answers with a job (ref §1: 202 in 9.7, 200/202 in 9.19.1; §5.4).
    return this.jobs.start(`DELETE /api/cluster/software/packages/${version}`, SHORT_JOB_MS, () => {
      this.packages = this.packages.filter((p) => p.version !== version);
      return { ok: true, message: "Package deleted." };
    });
  }

  snapshot(): Record<string, unknown> {
    return structuredClone({ packages: this.packages, history: this.history, download: this.download, upgrade: this.upgrade ? { ...this.upgrade, timer: undefined } : undefined, nodes: this.cluster.nodes.map((n) => [n.name, n.version]) });
  }
}

function firmwareOf(node: NodeModel, _now: string): Record<string, unknown> {
  return {
    sp_bmc: { fw_type: "BMC", image: "primary", state: "installed", last_update_state: "passed", is_current: true, in_progress: false, percent_done: 100, running_version: "11.9", start_time: "2026-01-05T11:00:00Z", end_time: "2026-01-05T11:10:00Z", autoupdate: false },
    disk: { update_status: "idle", num_waiting_download: 0, total_completion_estimate: 0, average_duration_per_disk: 120 },
    shelf: { update_status: "idle", in_progress_count: 0 },
    dqp: { file_name: "qual_devices_v3", revision: "20260105", version: "3.18", record_count: { alias: 200, device: 29, drive: 680, system: 3 } },
    cluster_fw_progress: [{ zip_file_name: "disk_firmware.zip", update_type: "automatic_update", update_state: [{ worker_node: { name: node.name, uuid: node.uuid }, attempts: 1, code: 0, message: "Firmware is up to date.", status: "complete" }] }],
    system_firmware: { boot_media_bios_version: "12.8", boot_media_loader_version: "7.3", install_pending: false, running_bios_version: "12.8", running_loader_version: "7.3" },
  };
}
