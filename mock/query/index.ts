// The reference mock's ONTAP query engine: filters, fields, order_by and
// paging as spec/conventions.md describes them. Pure functions, no I/O.
export type { FieldType, FieldTypes } from "./types.ts";
export { parseExpression } from "./expression.ts";
export type { Alternative, ComparisonOperator, Expression, Term } from "./expression.ts";
export { compileExpression, compileFilters, matchesCompiled, matchesFilters } from "./match.ts";
export type { CompiledFilter, RecordTest } from "./match.ts";
export { parseFields, project } from "./fields.ts";
export type { FieldSelection, ProjectOptions } from "./fields.ts";
export { ORDER_BY_ALIAS, orderByParam, parseOrderBy, sortRecords } from "./order.ts";
export type { OrderKey } from "./order.ts";
export { PAGE_TOKEN_PARAM, buildNextQuery, paginate, readStartToken } from "./paginate.ts";
export type { Page, PageRequest } from "./paginate.ts";
