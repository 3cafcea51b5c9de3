// Cluster licensing: /api/cluster/licensing/licenses and /{name}.
import { isDeepStrictEqual } from "node:util";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import { allPackages, licensedPackages, listAll, MISSING, pick, unlicensedPackages } from "../sample.ts";
import { COMMON_CODES, completeQuery, filterTypes, getOperation, LICENSE_CREATE_CODES } from "../../src/contract/index.ts";
import { checkDefaultListingHidesUnlicensed, checkFilter, checkPackageState } from "../oracles/index.ts";
import { judge } from "../judge.ts";
import { licensingRoundTrips } from "./roundtrips.ts";
import { postErrors } from "./post-errors.ts";

const DOCS = "docs: Manage cluster licensing (spec/sources/000_24a9ec2b2ae4d05f.txt)";
const base = { area: "licensing" as const };

const readChecks: Check[] = [
  defineCheck({
    ...base,
    id: "licenses.list.schema",
    operation: "licenses_get",
    owns: ["licenses_get:contract"],
    profile: "read-only",
    severity: "critical",
    title: "GET /api/cluster/licensing/licenses?fields=* matches license_package_response",
    requirement: "Every license package returned with fields=* MUST match the license_package schema of the target's version.",
    ref: "the schema of the target's release (call() validates every answer)",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/get/responses/200", "spec/ontap.yaml#/components/schemas/license_package"],
    oracle: null,
    async run(ctx) {
      // call() validates status, content type and schema of each page.
      await allPackages(ctx);
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.get.schema",
    operation: "license_get",
    owns: ["license_get:contract"],
    profile: "read-only",
    severity: "critical",
    title: "GET /api/cluster/licensing/licenses/{name} matches license_package",
    requirement: "A license package GET MUST return a body that matches license_package and names the package asked for.",
    ref: "the schema of the target's release (call() validates every answer)",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses~1{name}/get/responses/200", "spec/ontap.yaml#/components/schemas/license_package"],
    oracle: null,
    async run(ctx) {
      const pkg = pick(ctx, await licensedPackages(ctx), "licensed package");
      const r = await ctx.call("license_get", { path: { name: pkg.name } });
      if (r.body.name !== pkg.name) ctx.fail(`GET of ${pkg.name} returned package ${r.body.name}`, { received: r.body.name, documented: pkg.name, exchange: r.exchange });
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.list.hides-unlicensed",
    operation: "licenses_get",
    profile: "read-only",
    severity: "normal",
    title: "The default listing hides unlicensed packages; state=unlicensed shows them",
    requirement: "A license listing without a state query MUST NOT return unlicensed packages, and `state=unlicensed` MUST return them.",
    ref: `${DOCS} > Retrieve license packages; Retrieving a collection of unlicensed packages`,
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/get", "spec/ontap.yaml#/components/parameters/license_filter_state"],
    oracle: "checkDefaultListingHidesUnlicensed",
    async run(ctx) {
      const all = await allPackages(ctx);
      const shown = await licensedPackages(ctx);
      const unlicensed = await unlicensedPackages(ctx);
      // state=unlicensed is a filter like any other: exactly the unlicensed packages of the whole listing.
      judge(ctx, checkFilter({ filters: [["state", "unlicensed"]], types: filterTypes("license_package", { version: ctx.target.version }), filtered: unlicensed, unfiltered: all, key: getOperation("licenses_get").keys }), { context: "state=unlicensed" });
      // The default listing (no state query) hides every package state=unlicensed returned.
      judge(ctx, checkDefaultListingHidesUnlicensed(shown, { unlicensed: unlicensed.map((p) => p.name) }), { context: "the default listing" });
      if (!unlicensed.length) ctx.warn("the target has no unlicensed package, so state=unlicensed could only be checked for soundness");
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.get.unlicensed-readable",
    operation: "license_get",
    profile: "read-only",
    severity: "minor",
    title: "An unlicensed package can be read by name",
    requirement: "A GET of a known but unlicensed package MUST answer 200 with state unlicensed.",
    ref: `${DOCS} > Retrieving a collection of unlicensed packages`,
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses~1{name}/get", "spec/ontap.yaml#/components/schemas/license_state"],
    oracle: null,
    async run(ctx) {
      const pkg = pick(ctx, await unlicensedPackages(ctx), "unlicensed package");
      const r = await ctx.call("license_get", { path: { name: pkg.name }, query: { fields: "*" } });
      if (r.body.state !== "unlicensed") ctx.fail(`${pkg.name} is ${r.body.state} by name but unlicensed in the listing`, { received: r.body.state, documented: "unlicensed", exchange: r.exchange });
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.list.package-state",
    operation: "licenses_get",
    profile: "read-only",
    severity: "critical",
    title: "A package's state agrees with the compliance of its licenses",
    requirement: "A package whose licenses are all noncompliant (expired, over capacity, or noncompliant themselves) MUST NOT be compliant, a package with an active license MUST NOT be unlicensed, and a package without licenses MUST be unlicensed.",
    ref: `${DOCS} > Licensing terms; Cluster state`,
    spec: ["spec/ontap.yaml#/components/schemas/license_package/properties/state", "spec/ontap.yaml#/components/schemas/license_compliance"],
    oracle: "checkPackageState",
    async run(ctx) {
      // The package against its own licenses only (the nodes are licenses.list.state-derived's); only contradictions
      // the docs make certain fail, what they leave open (unknown vs noncompliant) is a warning.
      const now = new Date();
      for (const p of await allPackages(ctx)) judge(ctx, checkPackageState(p, [], now, { allFields: true }));
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.list.nested-filter",
    operation: "licenses_get",
    profile: "read-only",
    severity: "normal",
    title: "Filters on nested license fields select packages by their licenses",
    requirement: "A filter on licenses.serial_number MUST return exactly the packages with a license of that serial number.",
    ref: "spec/conventions.md §1.3",
    spec: ["spec/ontap.yaml#/components/parameters/license_filter_licenses_serial_number"],
    oracle: "checkFilter",
    async run(ctx) {
      const all = await allPackages(ctx);
      const serial = pick(ctx, all.flatMap((p) => (p.licenses ?? []).map((l) => l.serial_number)).filter((s): s is string => Boolean(s)), "license serial number");
      const complete = completeQuery("licenses_get");
      const got = await listAll(ctx, "licenses_get", { "licenses.serial_number": `"${serial}"`, ...complete });
      const filters = [["licenses.serial_number", `"${serial}"`], ...Object.entries(complete)] as Array<[string, string]>;
      judge(ctx, checkFilter({ filters, types: filterTypes("license_package", { version: ctx.target.version }), filtered: got, unfiltered: all, key: getOperation("licenses_get").keys }), { context: `licenses.serial_number="${serial}"` });
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.delete.missing",
    operation: "license_delete",
    profile: "non-disruptive",
    severity: "normal",
    title: "DELETE of a package that is not installed answers \"entry doesn't exist\"",
    requirement: "Deleting a license of a package that has none MUST answer 404 with code \"4\" and change nothing.",
    ref: `${DOCS} > Delete a license; spec/sources/ontap-reference.md §8`,
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses~1{name}/delete", "spec/ontap.yaml#/x-ontap-common-error-codes/4"],
    oracle: null,
    async run(ctx) {
      const before = await allPackages(ctx);
      const r = await ctx.call("license_delete", { path: { name: MISSING }, query: { serial_number: "*" }, expect: "error" });
      if (r.status !== 404 || r.body?.error?.code !== COMMON_CODES.NOT_FOUND) ctx.fail(`deleting a missing package did not answer 404 code ${COMMON_CODES.NOT_FOUND}`, { received: `${r.status} ${JSON.stringify(r.body)}`, documented: `404 {"error": {"code": "${COMMON_CODES.NOT_FOUND}", "message": "entry doesn't exist"}}`, exchange: r.exchange });
      // Equal as JSON values: the members of an object come in any order (RFC 8259 §4).
      const after = await allPackages(ctx);
      if (!isDeepStrictEqual(after, before)) ctx.fail("the rejected DELETE changed the licenses", { received: "a different license list", documented: "unchanged" });
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.create.empty-keys",
    operation: "license_create",
    profile: "non-disruptive",
    severity: "normal",
    title: "POST with no keys is rejected with 1115130 in an error envelope",
    requirement: "A license POST without keys MUST be rejected with error code 1115130 (in `errors`, as the definition says, or in `error`, a named quirk) and MUST install nothing.",
    ref: "spec/quirks.yaml license-post-error-singular",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/post/responses/default", "spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/post/x-ontap-error-codes/1115130"],
    oracle: null,
    async run(ctx) {
      const before = await allPackages(ctx);
      const r = await ctx.call("license_create", { body: { keys: [] }, expect: "error" });
      const codes = postErrors(r.body).errors.map((e) => e.code);
      if (!codes.includes(LICENSE_CREATE_CODES.NO_LICENSE_CODE)) ctx.fail(`an empty key list was not rejected with ${LICENSE_CREATE_CODES.NO_LICENSE_CODE}`, { received: codes, documented: [LICENSE_CREATE_CODES.NO_LICENSE_CODE], exchange: r.exchange });
      // Equal as JSON values: the members of an object come in any order (RFC 8259 §4).
      const after = await allPackages(ctx);
      if (!isDeepStrictEqual(after, before)) ctx.fail("the rejected POST changed the licenses", { received: "a different license list", documented: "unchanged" });
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.list.state-derived",
    operation: "licenses_get",
    profile: "read-only",
    severity: "critical",
    title: "A package's state follows the docs' criteria: a license for every node, none expired or over capacity",
    requirement: "A package MUST NOT be in a state the docs' licensing terms rule out: a node-scoped package without a valid license for every node, or one whose licenses have all expired or exceed their capacity, MUST NOT be compliant, and a package with an active license MUST NOT be unlicensed.",
    ref: `${DOCS} > Licensing terms (Scope, Time period, Usage)`,
    spec: ["spec/ontap.yaml#/components/schemas/license_package/properties/state", "spec/ontap.yaml#/components/schemas/license_package/properties/scope", "spec/ontap.yaml#/components/schemas/license/properties/expiry_time", "spec/ontap.yaml#/components/schemas/license_capacity"],
    oracle: "checkPackageState",
    async run(ctx) {
      // The oracle judges each package against the cluster's nodes; what the docs leave open is a warning.
      const nodes = (await listAll(ctx, "cluster_nodes_get", { fields: "name" })).map((n) => ({ name: String(n.name) }));
      const now = new Date();
      for (const p of await allPackages(ctx)) judge(ctx, checkPackageState(p, nodes, now, { allFields: true }));
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.list.no-base",
    operation: "licenses_get",
    profile: "read-only",
    severity: "minor",
    // A behaviour the spec does not gate: the docs' note (000, Retrieve license packages) dates it.
    since: "9.11.1",
    title: "From ONTAP 9.11.1 the license listing holds no Base license record",
    requirement: "From ONTAP 9.11.1 a GET of the license collection MUST NOT return the base package, with or without a state query.",
    ref: `${DOCS} > Retrieve license packages (Note)`,
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/get/description"],
    oracle: null,
    async run(ctx) {
      for (const query of [{}, completeQuery("licenses_get")]) {
        const base = (await listAll(ctx, "licenses_get", { fields: "name", ...query })).filter((p) => String(p.name).toLowerCase() === "base");
        if (base.length) ctx.fail(`the listing${Object.keys(query).length ? ` with ${new URLSearchParams(query)}` : ""} returns the Base license record`, { received: base, documented: "no base package from ONTAP 9.11.1" });
      }
    },
  }),
];

export const licensingChecks: Check[] = [...readChecks, ...licensingRoundTrips];
