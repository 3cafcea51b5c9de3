// The runtime contract: everything derived from spec/ontap.yaml.
export * from "./spec.ts";
export * from "./version.ts";
export * from "./operations.ts";
export * from "./fields.ts";
export * from "./quirks.ts";
export * from "./validators.ts";
export * from "./examples.ts";
export * from "./codes.ts";
export type { AnyOperation, OperationId, Schemas, ErrorFields, ReplyBody, RecordOf, SuccessBody, PathParams, QueryParams, RequestBody, Writable } from "./typed.ts";
