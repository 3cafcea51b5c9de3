// Property-based checks of the query language on every listing: generated
// filters (generators/filters.ts) combined with fields, order_by and
// max_records, judged by the independent filter oracle against the
// unfiltered listing, across every page.
import fc from "fast-check";
import { collections, filterTypes, operationPointer, type Collection } from "../../src/contract/index.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import { checkProperty } from "../../src/harness/property.ts";
import { filterCaseArb, filterFieldsFor, type FilterCase } from "../../generators/filters.ts";
import { checkFilter } from "../oracles/index.ts";
import { judge } from "../judge.ts";
import { listAll, walkPages } from "../sample.ts";

/**
 * Every collection of the operation table but the jobs: a job's state, code
 * and end time move on their own while a cluster works (and other clients
 * start jobs), so two listings of a live cluster's jobs taken one after the
 * other need not agree; jobs.list.filter-complete covers their filters.
 */
const LISTINGS = collections().filter((c) => c.operation.id !== "job_collection_get");

interface Shape {
  filter: FilterCase;
  fields?: string;
  orderBy?: string;
  maxRecords?: number;
}

function showShape(s: Shape): string {
  const q = [...s.filter.filters.map((f) => `${f.param}=${f.expression}`)];
  if (s.fields) q.push(`fields=${s.fields}`);
  if (s.orderBy) q.push(`order_by=${s.orderBy}`);
  if (s.maxRecords !== undefined) q.push(`max_records=${s.maxRecords}`);
  return q.join("&");
}

function filterProperty(l: Collection): Check {
  const op = l.operation;
  return defineCheck({
    id: `${l.name}.list.filter-property`,
    title: `${op.apiPath}: generated filters, with fields, order_by and paging, return exactly the matching records`,
    requirement: "For every filter expression of the query language (values, wildcards, negation, alternatives, comparisons, ranges, null, quoted literals, several filters ANDed), a collection GET MUST return every record of the unfiltered listing that satisfies it and no other, across all pages, whatever fields, order_by and max_records are also given.",
    ref: "spec/conventions.md §1, §3",
    spec: [operationPointer(op.id, "parameters")],
    oracle: "checkFilter",
    severity: "critical",
    profile: "read-only",
    area: "conventions",
    operation: op.id,
    async run(ctx) {
      const version = ctx.target.version;
      const fields = filterFieldsFor(op.id, version);
      if (!fields.length) ctx.skip(`ONTAP ${version} documents no filter on ${op.apiPath}`);
      const types = filterTypes(op.recordSchema!, { version });
      const unfiltered = await listAll(ctx, op.id, l.complete);
      if (!unfiltered.length) ctx.skip(`${op.apiPath} holds no records on this target`);
      const topFields = [...new Set(fields.map((f) => f.field.split(".")[0]))];
      const shape = fc.record(
        {
          filter: filterCaseArb(fields, unfiltered),
          fields: fc.constantFrom("*", ...topFields),
          orderBy: fc.constantFrom(...op.keys.map((k) => `${k} asc`), ...op.keys.map((k) => `${k} desc`)),
          // At most ~20 pages a case, so a large target costs the same number of requests.
          maxRecords: fc.integer({ min: Math.max(1, Math.ceil(unfiltered.length / 20)), max: Math.max(1, unfiltered.length) }),
        },
        { requiredKeys: ["filter"] },
      );
      await checkProperty(ctx, shape, async (s) => {
        const query: Record<string, string> = Object.fromEntries(s.filter.filters.map((f) => [f.param, f.expression]));
        if (s.fields) query.fields = s.fields;
        if (s.orderBy) query.order_by = s.orderBy;
        if (s.maxRecords !== undefined) query.max_records = String(s.maxRecords);
        const { records, exchanges } = await walkPages(ctx, op.id, query);
        const byParam = new Map(fields.map((f) => [f.param, f.field]));
        const violations = checkFilter({
          filters: s.filter.filters.map((f) => [byParam.get(f.param)!, f.expression] as const),
          types,
          filtered: records,
          unfiltered,
          key: op.keys,
          defaults: l.defaults,
        });
        judge(ctx, violations, { context: showShape(s), documented: "every matching record exactly once, no other (spec/conventions.md §1)", exchange: exchanges[0] });
      }, { name: `${l.name} filters`, show: showShape });
    },
  });
}

export const propertyChecks: Check[] = LISTINGS.map(filterProperty);
