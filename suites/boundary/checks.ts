// The boundary phase: every documented limit and every enum value, derived
// from the spec. Integer query parameters at and one past their bounds,
// every enum value of every enum filter, and empty and long string values.
// All reads: the phase runs under every profile.
import { collections, completeQuery, filterTypes, operations, paramsFor, type Operation } from "../../src/contract/index.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import type { CheckContext } from "../../src/harness/context.ts";
import { filterFieldsFor } from "../../generators/filters.ts";
import { checkFilter } from "../oracles/index.ts";
import { judge } from "../judge.ts";
import { listAll, type UntypedRecord } from "../sample.ts";

const base = { area: "conventions" as const, profile: "read-only" as const, phase: "boundary" as const, severity: "normal" as const };

/** The filters each listing applies by default, by field (x-ontap-default-filters: licenses hide unlicensed packages unless a state filter is given). */
const DEFAULTS: Record<string, Record<string, string>> = Object.fromEntries(collections().map((c) => [c.operation.id, c.defaults]));

const readOps = () => operations().filter((op) => op.method === "GET");
const listings = () => readOps().filter((op) => op.collection && op.recordSchema);

/** A path for an item GET: skip operations with path parameters (their limits are covered by the collection). */
const noPathParams = (op: Operation) => !op.apiPath.includes("{");

async function exact(ctx: CheckContext, op: Operation, param: string, field: string, value: string, all: readonly UntypedRecord[]): Promise<void> {
  const r = await listAll(ctx, op.id, { [param]: value, fields: op.keys.join(",") });
  const violations = checkFilter({ filters: [[field, value]], types: filterTypes(op.recordSchema!, { version: ctx.target.version }), filtered: r, unfiltered: all, key: op.keys, defaults: DEFAULTS[op.id] });
  judge(ctx, violations, { context: `${op.apiPath}?${param}=${value.length > 40 ? `${value.slice(0, 40)}… (${value.length} characters)` : value}`, documented: "exactly the records whose field has that value" });
}

export const boundaryChecks: Check[] = [
  defineCheck({
    ...base,
    id: "boundary.query.integer-limits",
    operation: "licenses_get",
    title: "Integer query parameters are accepted at their documented bounds and rejected one past them",
    requirement: "A GET MUST accept every integer query parameter at its documented minimum and maximum, and MUST reject a value one below the minimum or one above the maximum with HTTP 400 and a documented error code.",
    ref: "NetApp's definitions (return_timeout 0..120; max_records has no bound in any of them)",
    spec: ["spec/ontap.yaml#/components/parameters/return_timeout_get", "spec/ontap.yaml#/components/parameters/max_records"],
    oracle: null,
    async run(ctx) {
      // Every case is one independent request: side by side, judged as a loop would be.
      const cases = readOps().filter(noPathParams).flatMap((op) => paramsFor(op, ctx.target.version).filter((x) => x.in === "query" && x.schema?.type === "integer").flatMap((p) => {
        const { minimum: min, maximum: max } = p.schema as { minimum?: number; maximum?: number };
        const at = [min, max].filter((x): x is number => x !== undefined).map((v) => ({ op, p, v, min, max, inside: true }));
        const past = [min === undefined ? undefined : min - 1, max === undefined ? undefined : max + 1].filter((x): x is number => x !== undefined).map((v) => ({ op, p, v, min, max, inside: false }));
        return [...at, ...past];
      }));
      if (!cases.length) ctx.skip("no GET operation documents a bounded integer parameter");
      await ctx.each(cases, async ({ op, p, v, min, max, inside }) => {
        if (inside) {
          await ctx.call(op.id, { query: { [p.name]: String(v) } });
          return;
        }
        const r = await ctx.call(op.id, { query: { [p.name]: String(v) }, expect: "error" });
        if (r.status !== 400) ctx.fail(`${op.apiPath}?${p.name}=${v} answered ${r.status}`, { received: r.status, documented: `400: ${p.name} is ${min ?? "-∞"}..${max ?? "∞"}`, exchange: r.exchange });
      });
    },
  }),
  defineCheck({
    ...base,
    id: "boundary.query.enum-values",
    operation: "licenses_get",
    title: "Every value of every enum filter selects exactly the records holding it",
    requirement: "For each enum filter of each collection and each of its documented values, a GET filtered on that value MUST return exactly the records whose field holds it.",
    ref: "spec/conventions.md §1",
    spec: ["spec/ontap.yaml#/components/schemas/license_state", "spec/ontap.yaml#/components/schemas/license_scope", "spec/ontap.yaml#/components/schemas/software_history_state", "spec/ontap.yaml#/components/schemas/job_state"],
    oracle: "checkFilter",
    async run(ctx) {
      let tried = 0;
      await ctx.each(listings(), async (op) => {
        const enums = filterFieldsFor(op.id, ctx.target.version).filter((f) => f.type === "enum" && f.enumValues?.length);
        if (!enums.length) return;
        const all = await listAll(ctx, op.id, completeQuery(op.id));
        await ctx.each(enums.flatMap((f) => f.enumValues!.map((value) => ({ f, value }))), async ({ f, value }) => {
          await exact(ctx, op, f.param, f.field, value, all);
          tried++;
        });
      });
      if (!tried) ctx.skip("no collection has an enum filter");
    },
  }),
  defineCheck({
    ...base,
    id: "boundary.query.string-extremes",
    operation: "licenses_get",
    title: "Empty and 1,024-character string filter values select exactly what holds them",
    requirement: "A filter on a string field with an empty quoted value MUST be answered with exactly the records holding it (normally none); a 1,024-character value, if answered, MUST be too (no source promises that so long a value is accepted: a refusal in ONTAP's envelope is a warning).",
    ref: "spec/conventions.md §1 (literals; a quoted value is a literal)",
    spec: ["spec/ontap.yaml#/components/parameters/license_filter_name", "spec/ontap.yaml#/paths/~1cluster~1software~1packages/get/parameters"],
    oracle: "checkFilter",
    async run(ctx) {
      let tried = 0;
      const long = "ontap-conformance-".repeat(57).slice(0, 1024);
      await ctx.each(listings(), async (op) => {
        const strings = filterFieldsFor(op.id, ctx.target.version).filter((f) => f.type === "string");
        if (!strings.length) return;
        const all = await listAll(ctx, op.id, completeQuery(op.id));
        await ctx.each(strings.slice(0, 3).flatMap((f) => ['""', long].map((value) => ({ f, value }))), async ({ f, value }) => {
          if (value === long) {
            const probe = await ctx.call(op.id, { query: { [f.param]: value, fields: op.keys.join(",") }, expect: "any" });
            const code = probe.body?.error?.code;
            if (probe.status >= 400 && probe.status < 500 && code !== undefined) {
              ctx.warn(`${op.apiPath}?${f.param}=<${value.length} characters> was refused (${probe.status} code ${code}): no source promises that a value this long is accepted`);
              return;
            }
          }
          await exact(ctx, op, f.param, f.field, value, all);
          tried++;
        });
      });
      if (!tried) ctx.skip("no collection has a string filter");
    },
  }),
];
