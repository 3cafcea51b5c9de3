// The cluster and its nodes as the reference mock serves them on /api/cluster
// and /api/cluster/nodes (the discovery subset clients use).
import { parseVersion, type Schemas } from "../src/contract/index.ts";

export interface NodeModel {
  name: string;
  uuid: string;
  serial_number: string;
  /** ONTAP version of the node, e.g. "9.18.1" (changes during an upgrade). */
  version: string;
  model: string;
  ha_partner?: string;
  online: boolean;
}

export interface ClusterModel {
  name: string;
  uuid: string;
  serial_number: string;
  nodes: NodeModel[];
}

export function versionObject(version: string): Schemas["version"] {
  const v = parseVersion(version);
  return { full: `NetApp Release ${version}: Mon Jan 05 12:00:00 UTC 2026`, ...v };
}

/** The lowest node version: what the cluster as a whole reports. */
export function clusterVersion(cluster: ClusterModel): string {
  return [...cluster.nodes].map((n) => n.version).sort((a, b) => {
    const x = parseVersion(a);
    const y = parseVersion(b);
    return x.generation - y.generation || x.major - y.major || x.minor - y.minor;
  })[0];
}

export function clusterRecord(cluster: ClusterModel): Schemas["cluster"] {
  return {
    name: cluster.name,
    uuid: cluster.uuid,
    version: versionObject(clusterVersion(cluster)),
    _links: { self: { href: "/api/cluster" } },
  };
}

export function nodeRecord(node: NodeModel, cluster: ClusterModel): Schemas["cluster_node"] {
  const partner = node.ha_partner ? cluster.nodes.find((n) => n.name === node.ha_partner) : undefined;
  return {
    name: node.name,
    uuid: node.uuid,
    serial_number: node.serial_number,
    version: versionObject(node.version),
    ...(partner ? { ha: { partners: [{ name: partner.name, uuid: partner.uuid, _links: { self: { href: `/api/cluster/nodes/${partner.uuid}` } } }] } } : {}),
    _links: { self: { href: `/api/cluster/nodes/${node.uuid}` } },
  };
}

/** Two HA nodes named as in the docs' examples. */
export function twoNodeCluster(version: string, name = "testcluster-1"): ClusterModel {
  return {
    name,
    uuid: "9a2b5c1e-86d1-11e0-ae1c-123478563412",
    serial_number: "1-80-000011",
    nodes: [
      { name: "node1", uuid: "1cd8a442-86d1-11e0-ae1c-123478563412", serial_number: "4149027492", version, model: "AFF-A800", ha_partner: "node2", online: true },
      { name: "node2", uuid: "1cd8a442-86d1-11e0-ae1c-123478563413", serial_number: "4149027493", version, model: "AFF-A800", ha_partner: "node1", online: true },
    ],
  };
}
