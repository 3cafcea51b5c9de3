// Named starting states of the reference mock:
//   docs                 the clusters, licenses and packages of NetApp's examples
//   empty                two nodes, no licenses, only the running package
//   upgrade-in-progress  docs, with an update to the newer package under way
//   metrocluster         docs, on a MetroCluster configuration
//   large                N license packages, software packages and history records
import { VirtualClock } from "../clock.ts";
import { clusterVersion, twoNodeCluster, type ClusterModel } from "../cluster.ts";
import { JobStore, type Job } from "../cluster-software/jobs.ts";
import { SoftwareModel, type HistoryRecord, type SoftwarePackage } from "../cluster-software/software.ts";
import { LicenseStore, type CatalogEntry, type InstalledLicense } from "../licensing/store.ts";
import { CATALOG, docsLicenses, docsRegistry } from "./licensing-data.ts";

export const SCENARIOS = ["docs", "empty", "upgrade-in-progress", "metrocluster", "large"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface MockState {
  version: string;
  scenario: ScenarioName;
  clock: VirtualClock;
  cluster: ClusterModel;
  licensing: LicenseStore;
  software: SoftwareModel;
  jobs: JobStore;
  snapshot(): Record<string, unknown>;
}

/** The next release after `version` (the package an upgrade goes to). */
export function nextVersion(version: string): string {
  const [g, m] = version.split(".").map(Number);
  return `${g}.${m + 1}.1`;
}

function docsPackages(version: string): SoftwarePackage[] {
  // The docs list 9.7.0 and 9.5.0; the running release and its successor are added so
  // that validation and upgrades have something to work with.
  // One record per version: a repository holds a package once (at 9.7.0 the running release is one of the docs').
  const packages = [
    { version: "9.5.0", create_time: "2018-05-21T10:06:59Z" },
    { version: "9.7.0", create_time: "2018-05-21T10:06:59Z" },
    { version, create_time: "2026-01-05T12:00:00Z" },
    { version: nextVersion(version), create_time: "2026-01-05T12:00:00Z" },
  ];
  return packages.filter((p, i) => packages.findIndex((q) => q.version === p.version) === i);
}

/**
 * Jobs that ended before the scenario starts, so GET /cluster/jobs has
 * something to list: the job of the docs' "Retrieving the job status"
 * example (spec/sources/002, `f587d316-…`, PATCH /api/cluster/software,
 * success) and the firmware update job the same page's cluster_fw_progress
 * example links to (`5a21663c-…`; node1 failed with 2228325 "Cannot open the
 * local staging zip file."). The docs give neither job's times.
 */
function docsJobs(): Job[] {
  return [
    { uuid: "f587d316-5feb-11e8-b0e0-005056956dfc", description: "PATCH /api/cluster/software", state: "success", message: "success", code: 0 },
    {
      uuid: "5a21663c-a9a0-11ea-af9a-005056bb44d7", state: "failure", message: "Cannot open the local staging zip file.", code: 2228325,
      error: { code: "2228325", message: "Cannot open the local staging zip file." },
    },
  ];
}

function docsHistory(cluster: ClusterModel): HistoryRecord[] {
  return cluster.nodes.map((n) => ({
    node: { name: n.name, uuid: n.uuid },
    from_version: "9.7.0",
    to_version: n.version,
    start_time: "2025-06-01T10:00:00Z",
    end_time: "2025-06-01T11:30:00Z",
    state: "successful" as const,
  }));
}

function largeData(n: number, cluster: ClusterModel): { catalog: CatalogEntry[]; licenses: InstalledLicense[]; packages: SoftwarePackage[]; history: HistoryRecord[] } {
  const pad = (i: number) => String(i).padStart(5, "0");
  const catalog = [...CATALOG, ...Array.from({ length: n }, (_, i) => ({ name: `feature_${pad(i)}`, description: `Synthetic feature ${i} License` }))];
  const licenses = Array.from({ length: n }, (_, i): InstalledLicense => ({
    package: `feature_${pad(i)}`, serial_number: `90${pad(i)}`, scope: "site", owner: cluster.name, start_time: "2026-01-05T12:00:00Z", evaluation: i % 7 === 0,
    ...(i % 5 === 0 ? { maximum_size: 2 ** 40, used_size: (i % 3) * 2 ** 39 } : {}),
  }));
  const packages = Array.from({ length: n }, (_, i) => ({ version: `8.${Math.floor(i / 100)}.${i % 100}`, create_time: new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z") }));
  const history = Array.from({ length: n }, (_, i): HistoryRecord => {
    const node = cluster.nodes[i % cluster.nodes.length];
    const start = Date.UTC(2020, 0, 1) + i * 86_400_000;
    return {
      node: { name: node.name, uuid: node.uuid }, from_version: `8.${Math.floor(i / 100)}.${i % 100}`, to_version: `8.${Math.floor((i + 1) / 100)}.${(i + 1) % 100}`,
      start_time: new Date(start).toISOString().replace(/\.\d{3}Z$/, "Z"), end_time: new Date(start + 5_400_000).toISOString().replace(/\.\d{3}Z$/, "Z"), state: i % 10 === 9 ? "canceled" : "successful",
    };
  });
  return { catalog, licenses, packages, history };
}

export function buildState(scenario: ScenarioName, opts: { version: string; clockSpeed: number; records: number }): MockState {
  const clock = new VirtualClock({ speed: opts.clockSpeed, start: new Date("2026-06-01T12:00:00Z") });
  const cluster = twoNodeCluster(opts.version);
  const jobs = new JobStore(clock);
  let catalog = CATALOG;
  let licenses: InstalledLicense[] = docsLicenses();
  let packages = docsPackages(opts.version);
  let history = docsHistory(cluster);
  if (scenario === "empty") {
    licenses = [];
    packages = [{ version: opts.version, create_time: "2026-01-05T12:00:00Z" }];
    history = [];
  }
  if (scenario === "large") ({ catalog, licenses, packages, history } = largeData(opts.records, cluster));
  const licensing = new LicenseStore({ clock, cluster, catalog, registry: scenario === "docs" ? docsRegistry(cluster.nodes[0].serial_number) : {}, acceptDocsSignatures: scenario === "docs" }, licenses);
  if (scenario !== "empty") for (const job of docsJobs()) jobs.seed(job);
  const software = new SoftwareModel(clock, jobs, cluster, { packages, history, metrocluster: scenario === "metrocluster" });
  if (scenario === "upgrade-in-progress") software.update({ version: nextVersion(opts.version), skip_warnings: true });
  return {
    // The API a cluster serves is its effective version: after an upgrade
    // completes, the new release's fields and parameters.
    get version() {
      return clusterVersion(cluster);
    },
    scenario,
    clock,
    cluster,
    licensing,
    software,
    jobs,
    snapshot: () => ({ licenses: licensing.snapshot(), software: software.snapshot(), jobs: jobs.snapshot() }),
  };
}
