// The discovery subset: /api/cluster and /api/cluster/nodes (what clients
// read first, ref §8: version.full/generation/major/minor; ref =
// spec/sources/ontap-reference.md), and one node by uuid (ref §8.1).
import { clusterRecord, nodeRecord } from "../cluster.ts";
import { itemReply, keysOf, listReply, type RecordSource } from "../server/collection.ts";
import type { Handler } from "../server/types.ts";
import type { Schemas } from "../../src/contract/index.ts";
import type { MockState } from "../scenarios/index.ts";

export function clusterHandlers(state: MockState): Record<string, Handler> {
  const nodes: RecordSource<Schemas["cluster_node"]> = { schemaName: "cluster_node", keys: keysOf("cluster_nodes_get") };
  return {
    cluster_get: (ctx) => itemReply(ctx, state.version, clusterRecord(state.cluster), { schemaName: "cluster", keys: [] }),
    cluster_nodes_get: (ctx) => listReply(ctx, state.version, state.cluster.nodes.map((n) => nodeRecord(n, state.cluster)), nodes),
    // GET /cluster/nodes/{uuid} (spec node_get; NetApp's Python library reads it, ref §8.1): 404 code 4 for an unknown uuid (ref §5.6, §8).
    node_get: (ctx) => {
      const node = state.cluster.nodes.find((n) => n.uuid === ctx.pathParams.uuid);
      return itemReply(ctx, state.version, node && nodeRecord(node, state.cluster), nodes);
    },
  };
}
