// Property-based checks of the query language on every listing: generated
// filters (generators/filters.ts) combined with fields, order_by and
// max_records, judged by the independent filter oracle against the
// unfiltered listing, across every page.
import fc from "fast-check";
import { filterTypes, getOperation, operationPointer } from "../../src/contract/index.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import { checkProperty } from "../../src/harness/property.ts";
import { filterCaseArb, filterFieldsFor, type FilterCase } from "../../generators/filters.ts";
import { AMBIGUOUS, CANNOT_PARSE, checkFilter } from "../oracles/index.ts";
import { listAll, walkPages } from "../sample.ts";

interface Listing {
  prefix: string;
  operation: string;
  /** Filters the server applies when the request names none on that field. */
  defaults?: Record<string, string>;
  /** Query that makes the unfiltered listing complete. */
  all?: Record<string, string>;
}

const LISTINGS: Listing[] = [
  { prefix: "licenses", operation: "licenses_get", defaults: { state: "compliant,noncompliant,unknown" }, all: { state: "*" } },
  { prefix: "packages", operation: "software_packages_collection_get" },
  { prefix: "history", operation: "software_history_collection_get" },
  { prefix: "nodes", operation: "cluster_nodes_get" },
];

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

function filterProperty(l: Listing): Check {
  const op = getOperation(l.operation);
  return defineCheck({
    id: `${l.prefix}.list.filter-property`,
    title: `${op.apiPath}: generated filters, with fields, order_by and paging, return exactly the matching records`,
    requirement: "For every filter expression of the query language (values, wildcards, negation, alternatives, comparisons, ranges, null, quoted literals, several filters ANDed), a collection GET MUST return every record of the unfiltered listing that satisfies it and no other, across all pages, whatever fields, order_by and max_records are also given.",
    ref: "spec/conventions.md §1, §3",
    spec: [operationPointer(l.operation, "parameters")],
    oracle: "checkFilter",
    severity: "critical",
    profile: "read-only",
    area: "conventions",
    operation: l.operation,
    async run(ctx) {
      const version = ctx.target.version;
      const fields = filterFieldsFor(l.operation, version);
      if (!fields.length) ctx.skip(`ONTAP ${version} documents no filter on ${op.apiPath}`);
      const types = filterTypes(op.recordSchema!, { version });
      const unfiltered = await listAll(ctx, l.operation, l.all);
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
        const { records, exchanges } = await walkPages(ctx, l.operation, query);
        const byParam = new Map(fields.map((f) => [f.param, f.field]));
        const violations = checkFilter({
          filters: s.filter.filters.map((f) => [byParam.get(f.param)!, f.expression] as const),
          types,
          filtered: records,
          unfiltered,
          key: op.keys,
          defaults: l.defaults,
        });
        const cannot = violations.find((v) => v.rule === CANNOT_PARSE);
        if (cannot) throw new Error(`the generator wrote a filter its own oracle cannot read: ${cannot.message}`);
        const ambiguous = violations.find((v) => v.rule === AMBIGUOUS);
        if (ambiguous) return ctx.warn(`${showShape(s)}: ${ambiguous.message}`);
        if (violations.length) {
          ctx.fail(`${violations.length} record(s) break the filter: ${violations[0].message}`, {
            received: violations.slice(0, 3).map((v) => v.message).join("; "),
            documented: "every matching record exactly once, no other (spec/conventions.md §1)",
            exchange: exchanges[0],
          });
        }
      }, { name: `${l.prefix} filters`, show: showShape });
    },
  });
}

export const propertyChecks: Check[] = LISTINGS.map(filterProperty);
