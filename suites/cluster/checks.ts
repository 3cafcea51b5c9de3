// The part of /api/cluster and /api/cluster/nodes clients read first:
// the version (ref §8, version discovery), the nodes, and one node by its uuid.
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import { deref, loadSpec, type Schemas } from "../../src/contract/index.ts";
import { clusterNodes, listAll } from "../sample.ts";

/** What clients read of a version: the parts the spec's `version` schema requires (full, generation, major, minor). */
const VERSION_PARTS: Array<keyof Schemas["version"]> = deref(loadSpec(), { $ref: "#/components/schemas/version" }).required;

export const clusterChecks: Check[] = [
  defineCheck({
    id: "cluster.get.version",
    area: "cluster",
    operation: "cluster_get",
    profile: "read-only",
    severity: "blocker",
    title: "GET /api/cluster?fields=version gives full, generation, major and minor",
    requirement: "GET /api/cluster?fields=version MUST return version.full, .generation, .major and .minor, as clients read them first.",
    ref: "spec/sources/ontap-reference.md §8 (version discovery)",
    spec: ["spec/ontap.yaml#/paths/~1cluster/get", "spec/ontap.yaml#/components/schemas/version"],
    oracle: null,
    async run(ctx) {
      const r = await ctx.call("cluster_get", { query: { fields: "version" } });
      const v: Partial<Schemas["version"]> = r.body.version ?? {};
      const missing = VERSION_PARTS.filter((k) => v[k] === undefined);
      if (missing.length) ctx.fail(`version lacks ${missing.join(", ")}`, { received: v, documented: VERSION_PARTS.join(", "), exchange: r.exchange });
      if (!String(v.full).includes(`${v.generation}.${v.major}`)) ctx.fail(`version.full "${v.full}" does not name ${v.generation}.${v.major}`, { received: v, documented: "consistent version parts", exchange: r.exchange });
    },
  }),
  defineCheck({
    id: "nodes.list.schema",
    area: "cluster",
    operation: "cluster_nodes_get",
    owns: ["cluster_nodes_get:contract"],
    profile: "read-only",
    severity: "critical",
    title: "GET /api/cluster/nodes?fields=* matches the node records clients read",
    requirement: "Every node returned with fields=* MUST match the modelled fields of the node schema (name, uuid, version, serial_number, ha) of the target's version, and the listing MUST hold at least one node.",
    ref: "spec/sources/ontap-reference.md §8 (version discovery falls back to the nodes)",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1nodes/get/responses/200", "spec/ontap.yaml#/components/schemas/cluster_node"],
    oracle: null,
    async run(ctx) {
      // call() validates status, media type and schema of each page.
      const nodes = await listAll(ctx, "cluster_nodes_get");
      if (!nodes.length) ctx.fail("the cluster lists no nodes", { received: 0, documented: "at least one node" });
    },
  }),
  defineCheck({
    id: "nodes.get.version",
    title: "GET /api/cluster/nodes/{uuid}?fields=version gives that node's full, generation, major and minor",
    requirement: "GET /api/cluster/nodes/{uuid}?fields=version MUST return the node named by the uuid with version.full, .generation, .major and .minor, as the node listing shows them.",
    ref: "spec/sources/ontap-reference.md §8 (version discovery), §8.1 (netapp_ontap Node.get())",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1nodes~1{uuid}/get", "spec/ontap.yaml#/components/schemas/version"],
    oracle: null,
    severity: "normal", profile: "read-only", area: "cluster", operation: "node_get",
    async run(ctx) {
      const nodes = await clusterNodes(ctx, "uuid,name,version");
      if (!nodes.length) ctx.skip("the target lists no node");
      for (const node of nodes.slice(0, 4)) {
        const r = await ctx.call("node_get", { path: { uuid: node.uuid }, query: { fields: "version" } });
        const v: Partial<Schemas["version"]> = r.body.version ?? {};
        const missing = VERSION_PARTS.filter((k) => v[k] === undefined);
        if (r.body.uuid !== node.uuid) ctx.fail(`GET /api/cluster/nodes/${node.uuid} answered node ${r.body.uuid}`, { received: r.body.uuid, documented: node.uuid, exchange: r.exchange });
        if (missing.length) ctx.fail(`node ${node.name}: version lacks ${missing.join(", ")}`, { received: v, documented: VERSION_PARTS.join(", "), exchange: r.exchange });
        const differ = VERSION_PARTS.filter((k) => v[k] !== node.version?.[k]);
        if (differ.length) ctx.fail(`node ${node.name}: the item's version ${differ.join(", ")} differ from the listing's`, { received: v, documented: node.version, exchange: r.exchange });
      }
    },
  }),
];
