// Jobs: /api/cluster/jobs/{uuid}, reached from the job links of async answers.
import type { Check } from "../../src/harness/check.ts";

export const jobsChecks: Check[] = [
  {
    id: "cluster.get.version",
    area: "jobs",
    operation: "cluster_get",
    profile: "read-only",
    severity: "blocker",
    title: "GET /api/cluster?fields=version gives full, generation, major and minor",
    requirement: "GET /api/cluster?fields=version MUST return version.full, .generation, .major and .minor, as clients read them first.",
    ref: "spec/sources/ontap-reference.md §8 (version discovery)",
    async run(ctx) {
      const r = await ctx.call("cluster_get", { query: { fields: "version" } });
      const v = r.body.version ?? {};
      const missing = ["full", "generation", "major", "minor"].filter((k) => v[k] === undefined);
      if (missing.length) ctx.fail(`version lacks ${missing.join(", ")}`, { received: v, documented: "full, generation, major, minor", exchange: r.exchange });
      if (!String(v.full).includes(`${v.generation}.${v.major}`)) ctx.fail(`version.full "${v.full}" does not name ${v.generation}.${v.major}`, { received: v, documented: "consistent version parts", exchange: r.exchange });
    },
  },
];
