// The generated types of spec/ontap.yaml (`npm run gen` → spec/generated/ontap.d.ts,
// checked for staleness by `npm run gen:check`) turned into what a call sends and
// what it gets back, per operation: the operation id is a key of `operations`,
// `path`, `query` and `body` are the operation's parameters and request body, and
// a reply's body is the content of its documented 2xx answers together with
// ONTAP's error envelope. Types only: nothing here exists at run time.
import type { components, operations } from "../../spec/generated/ontap.d.ts";

export type { components, operations };
/** An operation id of spec/ontap.yaml (a typo does not compile). */
export type OperationId = keyof operations;
/** The component schemas of spec/ontap.yaml (`Schemas["license_package"]`). */
export type Schemas = components["schemas"];

/** `T` with its readonly fields writable (a server builds the records a client may only read). */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** ONTAP's error envelope (`error_response`), and the plural one license POST answers with (`error_responses`). */
export interface ErrorFields {
  readonly error?: Schemas["returned_error"];
  readonly errors?: Schemas["error_responses"]["errors"];
}

type Parameters<Id extends OperationId> = operations[Id]["parameters"];
type Responses<Id extends OperationId> = operations[Id]["responses"];
type Content<R> = R extends { content: infer C } ? C[keyof C] : never;
type Success = 200 | 201 | 202 | 203 | 204 | 206;

/** The documented content of the operation's 2xx answers (a union over them), `never` when none has a body. */
export type SuccessBody<Id extends OperationId> = { [S in keyof Responses<Id>]: S extends Success ? Content<Responses<Id>[S]> : never }[keyof Responses<Id>];

/**
 * The body of a reply: the success content combined with the error envelope
 * (a check that expects either reads `r.body.error?.code`); the envelope alone
 * where no success answer has a body.
 */
export type ReplyBody<Id extends OperationId> = [SuccessBody<Id>] extends [never] ? ErrorFields | undefined : SuccessBody<Id> & ErrorFields;

/** The records of a collection GET's answer (`never` for an operation that answers none). */
export type RecordOf<Id extends OperationId> = SuccessBody<Id> extends { readonly records?: Array<infer R> } ? R : never;

/** True when `Id` is any operation id at all (an id known only at run time), not one or a few named ones. */
export type AnyOperation<Id extends OperationId> = [OperationId] extends [Id] ? true : false;

/** The operation's path parameters, each a string. */
export type PathParams<Id extends OperationId> = NonNullable<Parameters<Id>["path"]>;

/**
 * The operation's query parameters by name. Values are what goes on the wire
 * (strings, or a list sent as repeated names): a filter is an ONTAP query
 * expression whatever the type of its field, and checks send bounds as text.
 */
export type QueryParams<Id extends OperationId> = [NonNullable<Parameters<Id>["query"]>] extends [never]
  ? never
  : { [K in keyof NonNullable<Parameters<Id>["query"]>]?: string | string[] };

/** The operation's JSON request body, `never` where it takes none. */
export type RequestBody<Id extends OperationId> = [NonNullable<operations[Id]["requestBody"]>] extends [never]
  ? never
  : NonNullable<operations[Id]["requestBody"]> extends { content: { "application/json": infer B } } ? B : never;
