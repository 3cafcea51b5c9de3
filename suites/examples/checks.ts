// The examples phase: the docs' own example requests (spec/examples/),
// replayed against the target where the profile allows. Reads are replayed
// on every profile; the docs' writes (installs, deletes, downloads, updates)
// are not: the stateful phase makes its own, and undoes them.
import { acceptedParams, COMMON_CODES, loadExamples, matchOperation, operationPointer, type Fixture, type OperationId } from "../../src/contract/index.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";

interface Replay {
  fixture: Fixture;
  path: Record<string, string>;
}

function replays(): Map<OperationId, Replay[]> {
  const byOp = new Map<OperationId, Replay[]>();
  const seen = new Set<string>();
  for (const fixture of loadExamples()) {
    const req = fixture.request;
    if (!req || req.method !== "GET") continue;
    const hit = matchOperation(req.method, req.path);
    if (!hit) continue;
    // Several examples show the same request; replay it once.
    const key = `${req.path}?${new URLSearchParams(req.query)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    byOp.set(hit.op.id, [...(byOp.get(hit.op.id) ?? []), { fixture, path: hit.pathParams }]);
  }
  return byOp;
}

function replayCheck(operation: OperationId, list: Replay[]): Check {
  const area = list[0].fixture.id.startsWith("licensing") ? "licensing" : operation === "job_get" ? "jobs" : "software";
  return defineCheck({
    id: `examples.${operation.replace(/_/g, "-")}.replay`,
    title: `The docs' example requests of ${operation} (${list.length}) are answered as the contract says`,
    requirement: "Each GET request the docs show as an example MUST be answered with a documented status and a body that matches the contract; an item the target does not hold MUST be 404.",
    ref: list.map((r) => `spec/examples/${r.fixture.id}.json`).join(", "),
    spec: [operationPointer(operation, "responses")],
    oracle: null,
    severity: "normal",
    profile: "read-only",
    phase: "examples",
    area,
    operation,
    async run(ctx) {
      await ctx.each(list, async ({ fixture, path }) => {
        const req = fixture.request!;
        // Documented: the operation's own parameters and those the framework accepts on it (x-ontap-framework-params).
        const documented = new Set(acceptedParams(matchOperation("GET", req.path)!.op, ctx.target.version).map((p) => p.name));
        const undocumented = Object.keys(req.query).filter((k) => !documented.has(k));
        const r = await ctx.call(operation, { path, query: req.query, expect: "any" });
        const shown = `${req.path}${Object.keys(req.query).length ? `?${new URLSearchParams(req.query)}` : ""} (${fixture.id})`;
        if (r.status < 300) return;
        const code = r.body?.error?.code;
        if (r.status === 404 && Object.keys(path).length && code === COMMON_CODES.NOT_FOUND) return; // the target holds no such item
        if (r.status === 400 && undocumented.length) {
          ctx.warn(`docs quirk example-undocumented-parameter: the example ${shown} sends ${undocumented.join(", ")}, which the contract does not document; the target rejected it (${code}) as the contract says`);
          return;
        }
        ctx.fail(`the docs example ${shown} was answered ${r.status}${code ? ` code ${code}` : ""}`, { received: r.status, documented: "a success, or 404 for an item the target lacks", exchange: r.exchange });
      });
    },
  });
}

export const exampleChecks: Check[] = [...replays()].map(([op, list]) => replayCheck(op, list));
