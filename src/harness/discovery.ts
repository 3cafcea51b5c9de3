// Discovery, done once before the suites run: the ONTAP version (what real
// clients read first, GET /api/cluster?fields=version, falling back to the
// nodes), the nodes, and whether the target can be used at all. A target
// that cannot be reached or refuses the credentials ends the run with exit 2
// and one readable sentence.
import { compareVersions, coveredReleases, formatVersion, parseVersion } from "../contract/index.ts";
import type { HttpClient, Exchange } from "./transport.ts";
import { errorSummary } from "./context.ts";

export interface Discovery {
  version?: string;
  clusterName?: string;
  nodes: Array<{ name: string; uuid: string; version?: string }>;
  /** Notes for the report (fallbacks taken, fields missing). */
  notes: string[];
}

export class TargetUnusable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetUnusable";
  }
}

/** A release number as ONTAP writes one: small non-negative integers. */
const part = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) < 1000;

function versionOf(v: any): string | undefined {
  if (!v || typeof v !== "object") return undefined;
  if ([v.generation, v.major, v.minor].every(part)) return `${v.generation}.${v.major}.${v.minor}`;
  if (typeof v.full === "string" && /^(NetApp Release )?\d+\.\d+(\.\d+)?\b/.test(v.full.trim())) {
    try {
      return formatVersion(parseVersion(v.full));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** What the reported version parts look like, for a note when they are not a release. */
function shown(v: any): string {
  if (!v || typeof v !== "object") return JSON.stringify(v) ?? "nothing";
  return [v.generation, v.major, v.minor].every((n) => n !== undefined) ? `${v.generation}.${v.major}.${v.minor}` : JSON.stringify(v.full ?? v);
}

function unusable(ex: Exchange, what: string): TargetUnusable | undefined {
  if (ex.error) return new TargetUnusable(`cannot reach the target: ${ex.error.message}`);
  const status = ex.response!.status;
  if (status === 401) return new TargetUnusable(`the target refused the credentials (401) on ${what}: check --username and the password`);
  if (status === 403) return new TargetUnusable(`the user may not read ${what} (403): the suite needs at least read access to the cluster`);
  const location = ex.response!.headers["location"];
  if (status >= 300 && status < 400 && location !== undefined) {
    // Not followed: a redirect would carry the credentials to another address.
    return new TargetUnusable(`the target answers ${what} with a redirect (${status}) to ${location}: the harness does not follow redirects; give the address it redirects to as --target`);
  }
  return undefined;
}

export async function discover(http: HttpClient): Promise<Discovery> {
  const notes: string[] = [];
  const cluster = await http.request({ method: "GET", path: "/api/cluster", query: { fields: "version,name,uuid" } });
  const bad = unusable(cluster, "/api/cluster");
  if (bad) throw bad;
  let version: string | undefined;
  let clusterName: string | undefined;
  if (cluster.response!.status === 200 && cluster.response!.json) {
    const reported = (cluster.response!.json as any).version;
    version = versionOf(reported);
    if (!version && reported !== undefined) notes.push(`the target reports a version that is not an ONTAP release (${shown(reported)}): it is not used`);
    clusterName = (cluster.response!.json as any).name;
  } else {
    notes.push(`GET /api/cluster answered ${cluster.response!.status}; the version is read from the nodes instead`);
  }
  const nodesEx = await http.request({ method: "GET", path: "/api/cluster/nodes", query: { fields: "name,uuid,version" } });
  const badNodes = unusable(nodesEx, "/api/cluster/nodes");
  if (badNodes) throw badNodes;
  // What is not a list of objects is judged below (the read the run needs); nothing here may throw on it.
  const listed = nodesEx.response!.status === 200 ? (nodesEx.response!.json as any)?.records : undefined;
  const records: any[] = Array.isArray(listed) ? listed.filter((r) => r !== null && typeof r === "object") : [];
  const nodes = records.map((r) => ({ name: String(r.name), uuid: String(r.uuid), version: versionOf(r.version) }));
  if (!version) version = nodes.map((n) => n.version).find(Boolean);
  // ONTAP has a REST API from its oldest covered release on: an older number is not what the API says about itself.
  const { oldest } = coveredReleases();
  if (version && compareVersions(version, oldest) < 0) {
    notes.push(`the target reports ONTAP ${version}, which has no REST API (it came with ${oldest}): the release is not used`);
    version = undefined;
  }
  if (!version) notes.push("the ONTAP version could not be read: version-gated checks treat every field as known");
  if (cluster.response!.status >= 500 && nodesEx.response!.status >= 500) {
    throw new TargetUnusable(`the target answers ${cluster.response!.status} on /api/cluster and ${nodesEx.response!.status} on /api/cluster/nodes: it does not look like a usable ONTAP REST API`);
  }
  if (cluster.response!.status === 404 && nodesEx.response!.status === 404) {
    throw new TargetUnusable("the target answers 404 on /api/cluster and /api/cluster/nodes: is the URL the cluster management address (https://host, without /api)?");
  }
  // A web page, a proxy's login form, an empty answer: not the REST API.
  const notJson = (ex: Exchange) => ex.response!.status < 300 && (typeof ex.response!.json !== "object" || ex.response!.json === null);
  if (notJson(cluster) && notJson(nodesEx)) {
    const r = cluster.response!;
    const what = r.bodyText.length ? `a body that is not JSON (Content-Type ${r.contentType || "missing"})` : "an empty body";
    throw new TargetUnusable(`the target answers /api/cluster and /api/cluster/nodes with ${r.status} and ${what}: it does not look like an ONTAP REST API; is --target the cluster management address?`);
  }
  // The nodes are a read the run needs (their names, uuids and releases): an error there is an error of the run,
  // never "0 node(s)" and a verdict about a target the run could not see.
  const nodesStatus = nodesEx.response!.status;
  if (nodesStatus >= 400 || (nodesStatus === 200 && (!Array.isArray(listed) || records.length !== listed.length))) {
    const why = nodesStatus >= 400 ? `answers ${nodesStatus}${errorSummary(nodesEx.response!)}` : !Array.isArray(listed) ? "answers 200 without a records array" : "answers 200 with a record that is not an object";
    throw new TargetUnusable(`discovery cannot read the nodes: the target ${why} on GET /api/cluster/nodes, which every run needs (the nodes and their ONTAP releases)`);
  }
  return { version, clusterName, nodes, notes };
}
