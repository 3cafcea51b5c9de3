// ctx.call() is typed by spec/generated/ontap.d.ts: an operation id the
// contract lacks, a parameter or body field the operation does not take, does
// not compile, and a reply's body is the operation's documented content with
// the error envelope. The type assertions are checked by `tsc --noEmit`
// (`npm run typecheck`), which covers test/; `probe` is never called.
import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import { operations, type ErrorFields, type OperationId, type Schemas } from "../../src/contract/index.ts";
import type { CheckContext, UntypedBody } from "../../src/harness/context.ts";

async function probe(ctx: CheckContext, dynamic: OperationId): Promise<void> {
  // @ts-expect-error: no such operation (a typo of licenses_get)
  await ctx.call("licences_get");
  // @ts-expect-error: licenses_get has no `colour` parameter
  await ctx.call("licenses_get", { query: { colour: "red" } });
  // @ts-expect-error: software_package_create's body (software_package_download) has no `uri`
  await ctx.call("software_package_create", { body: { uri: "http://x/p.tgz" } });
  // @ts-expect-error: license_get's path parameter is `name`
  await ctx.call("license_get", { path: { package: "nfs" } });
  // @ts-expect-error: licenses_get takes no body
  await ctx.call("licenses_get", { body: { keys: [] } });

  // What the contract allows compiles.
  await ctx.call("software_package_create", { body: { url: "http://x/p.tgz" } });
  await ctx.call("license_get", { path: { name: "nfs" }, query: { fields: "*" } });
  // What a check sends on purpose against the contract goes through callUnchecked.
  await ctx.callUnchecked("licenses_get", { query: { colour: "red" }, expect: "error" });

  const list = await ctx.call("licenses_get", { query: { fields: "*" } });
  expectTypeOf(list.body.records).toEqualTypeOf<Schemas["license_package"][] | undefined>();
  expectTypeOf(list.body.error?.code).toEqualTypeOf<string | undefined>();
  // A PATCH answers 200 or 202, both with a job link.
  const patch = await ctx.call("software_modify", { body: { version: "9.18.1" }, query: { validate_only: "true" } });
  expectTypeOf(patch.body).toEqualTypeOf<Schemas["software_reference_job_link_response"] & ErrorFields>();
  // No success answer of a licence DELETE has a body: the envelope alone, or nothing.
  const deleted = await ctx.call("license_delete", { path: { name: "nfs" }, query: { serial_number: "1" } });
  expectTypeOf(deleted.body).toEqualTypeOf<ErrorFields | undefined>();
  // An id known only at run time: any parameters, a body typed by what every answer may hold.
  const any = await ctx.call(dynamic, { query: { anything: "1" } });
  expectTypeOf(any.body).toEqualTypeOf<UntypedBody>();
  expectTypeOf(await ctx.awaitJob(undefined)).toEqualTypeOf<Schemas["job"] & ErrorFields>();
}

describe("typed calls", () => {
  it("the generated operations are the operation table's", () => {
    const generated = readFileSync("spec/generated/ontap.d.ts", "utf8");
    const block = generated.slice(generated.indexOf("export interface operations {"));
    const ids = [...block.matchAll(/^ {4}([A-Za-z0-9_]+): \{$/gm)].map((m) => m[1]);
    expect(ids.sort()).toEqual(operations().map((o) => o.id).sort());
    expect(typeof probe).toBe("function");
  });
});
