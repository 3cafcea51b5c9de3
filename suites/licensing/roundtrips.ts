// Destructive licensing checks: install and delete round trips with test
// keys (spec/test-keys.md), bundles, batches. Each check restores what it
// changed in a finally block, so the license list after the run equals the
// one before, even when a check fails.
import { completeQuery, LICENSE_DELETE_CODES } from "../../src/contract/index.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import type { CheckContext } from "../../src/harness/context.ts";
import { nlfKey, shortKey, TEST_KEY_CATALOG } from "../../generators/license-keys.ts";
import { allPackages, listAll, unlicensedPackages } from "../sample.ts";
import { postErrors } from "./post-errors.ts";

const REF = "spec/test-keys.md; docs: Manage cluster licensing > Installing ...";
const base = { area: "licensing" as const, profile: "destructive" as const, phase: "stateful" as const };

/** name → sorted "serial@owner" list: what a license round trip must restore. */
export async function licenseState(ctx: CheckContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of await allPackages(ctx)) {
    out.set(p.name, (p.licenses ?? []).map((l) => `${l.serial_number}@${l.owner}`).sort().join(","));
  }
  return out;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

function needTestKeys(ctx: CheckContext): void {
  if (!ctx.target.acceptsTestKeys) ctx.skip("the target does not accept spec/test-keys.md keys (set testKeys: true in the config for a mock built on this contract)");
}

async function nodeSerials(ctx: CheckContext): Promise<string[]> {
  const nodes = await listAll(ctx, "cluster_nodes_get", { fields: "name,serial_number" });
  const serials = nodes.map((n) => n.serial_number).filter((s): s is string => typeof s === "string" && /^\d+$/.test(s));
  if (!serials.length) ctx.skip("the target's nodes carry no numeric serial_number to build a node key for");
  return serials;
}

async function unlicensed(ctx: CheckContext, count: number): Promise<string[]> {
  const names = (await unlicensedPackages(ctx)).map((p) => p.name).filter((n) => TEST_KEY_CATALOG.includes(n));
  if (names.length < count) ctx.skip(`the target has fewer than ${count} unlicensed packages of the test-key catalog`);
  return names.slice(0, count);
}

/** What a key round trip needs: test keys accepted, one unlicensed package of the test-key catalog, and a node's serial number. */
async function keyTarget(ctx: CheckContext): Promise<{ pkg: string; serial: string }> {
  needTestKeys(ctx);
  const [pkg] = await unlicensed(ctx, 1);
  const [serial] = await nodeSerials(ctx);
  return { pkg, serial };
}

export const licensingRoundTrips: Check[] = [
  defineCheck({
    ...base,
    id: "licenses.install.short-key-roundtrip",
    operation: "license_create",
    severity: "critical",
    title: "A 28-character key installs exactly its package and deletes cleanly",
    requirement: "A valid 28-character key MUST install exactly its package (201 with Location), and DELETE with its serial number MUST remove it again.",
    ref: REF,
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/post/responses/201", "spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses~1{name}/delete"],
    oracle: null,
    async run(ctx) {
      const { pkg, serial } = await keyTarget(ctx);
      const before = await licenseState(ctx);
      let installed = false;
      try {
        const r = await ctx.call("license_create", { body: { keys: [shortKey(pkg, serial)] } });
        installed = true;
        if (r.status !== 201) ctx.fail(`the install answered ${r.status}`, { received: r.status, documented: 201, exchange: r.exchange });
        const after = await licenseState(ctx);
        const diff = changed(before, after);
        if (diff.join() !== pkg) ctx.fail(`installing a ${pkg} key changed ${diff.join(", ") || "nothing"}`, { received: diff, documented: [pkg] });
        if (!after.get(pkg)!.includes(serial)) ctx.fail(`${pkg} has no license with serial ${serial}`, { received: after.get(pkg), documented: serial });
        await ctx.call("license_delete", { path: { name: pkg }, query: { serial_number: serial } });
        installed = false;
        const restored = changed(before, await licenseState(ctx));
        if (restored.length) ctx.fail(`after the delete, ${restored.join(", ")} still differ from before`, { received: restored, documented: "the license list before the install" });
      } finally {
        if (installed) await ctx.send("license_delete", { path: { name: pkg }, query: { serial_number: serial } });
      }
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.install.nlf-bundle-roundtrip",
    operation: "license_delete_collection",
    severity: "critical",
    title: "An NLFv2 bundle installs its packages and is deleted by licenses.installed_license",
    requirement: "An NLFv2 key MUST install each of its packages with installed_license set to the bundle; a member MUST NOT be deletable alone (1115564); a query DELETE by installed_license MUST remove the whole bundle.",
    ref: `${REF}; docs: Deleting all licenses installed with NLFv2`,
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/delete", "spec/ontap.yaml#/components/schemas/license/properties/installed_license", "spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses~1{name}/delete/x-ontap-error-codes/1115564"],
    oracle: null,
    async run(ctx) {
      needTestKeys(ctx);
      const pkgs = await unlicensed(ctx, 2);
      const bundle = "Conformance Test Bundle";
      const serial = "9876543210";
      const before = await licenseState(ctx);
      const query = { "licenses.installed_license": "Conformance*Test*Bundle", serial_number: serial, ...completeQuery("licenses_get") };
      try {
        await ctx.call("license_create", { body: { keys: [nlfKey({ version: "2", serialNumber: serial, packages: pkgs, scope: "cluster", product: bundle })] } });
        for (const p of pkgs) {
          const r = await ctx.call("license_get", { path: { name: p }, query: { fields: "licenses" } });
          const lic = (r.body.licenses ?? []).find((l) => l.serial_number === serial);
          if (lic?.installed_license !== bundle) ctx.fail(`${p} was not installed as part of "${bundle}"`, { received: lic, documented: { serial_number: serial, installed_license: bundle }, exchange: r.exchange });
        }
        const member = await ctx.call("license_delete", { path: { name: pkgs[0] }, query: { serial_number: serial }, expect: "error" });
        if (member.body?.error?.code !== LICENSE_DELETE_CODES.PART_OF_NLF_BUNDLE) ctx.fail(`deleting one member of a bundle was not refused with ${LICENSE_DELETE_CODES.PART_OF_NLF_BUNDLE}`, { received: `${member.status} ${member.body?.error?.code}`, documented: LICENSE_DELETE_CODES.PART_OF_NLF_BUNDLE, exchange: member.exchange });
        const del = await ctx.call("license_delete_collection", { query });
        if (del.body?.num_records !== pkgs.length) ctx.warn(`the query DELETE reported num_records ${del.body?.num_records} for ${pkgs.length} licenses`);
        const left = changed(before, await licenseState(ctx));
        if (left.length) ctx.fail(`after the bundle delete, ${left.join(", ")} still differ from before`, { received: left, documented: "the license list before the install", exchange: del.exchange });
      } finally {
        if (changed(before, await licenseState(ctx)).length) await ctx.send("license_delete_collection", { query });
      }
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.install.batch-outcomes",
    operation: "license_create",
    severity: "normal",
    title: "A batch with a bad key installs the good ones and names the bad one by index",
    requirement: "A POST whose keys are partly invalid MUST report each invalid key in `errors` and MUST NOT let a bad key change anything.",
    ref: "docs: Installing multiple licenses with one API call; spec/sources/ontap-reference.md §8",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/post/responses/default", "spec/ontap.yaml#/components/schemas/error_responses"],
    oracle: null,
    async run(ctx) {
      const { pkg, serial } = await keyTarget(ctx);
      const before = await licenseState(ctx);
      try {
        const r = await ctx.call("license_create", { body: { keys: [shortKey(pkg, serial), "NOTAVALIDKEY"] }, expect: "error" });
        const { errors } = postErrors(r.body);
        if (errors.length !== 1) ctx.fail(`${errors.length} errors for one bad key`, { received: r.body, documented: "one error, for index 1", exchange: r.exchange });
        if (!/index 1\b/.test(String(errors[0].message ?? ""))) ctx.warn(`the error does not name the index of the bad key: "${errors[0].message}"`);
        const diff = changed(before, await licenseState(ctx));
        if (diff.some((d) => d !== pkg)) ctx.fail(`the batch changed ${diff.join(", ")}`, { received: diff, documented: `at most ${pkg}` });
      } finally {
        const now = await licenseState(ctx);
        if (now.get(pkg) !== before.get(pkg)) await ctx.send("license_delete", { path: { name: pkg }, query: { serial_number: serial } });
      }
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.install.invalid-rejected",
    operation: "license_create",
    profile: "non-disruptive",
    phase: "contract",
    severity: "critical",
    title: "Malformed keys are rejected with a documented code and install nothing",
    requirement: "A key of the wrong length, a bad checksum, broken NLF JSON or a bad NLF signature MUST be rejected in an error envelope (`errors`, or `error`: a named quirk) with a documented code and MUST install nothing.",
    ref: "spec/test-keys.md; docs: Install one or more feature licenses > ONTAP Error Response Codes",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/post/x-ontap-error-codes", "spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/post/responses/default"],
    oracle: null,
    async run(ctx) {
      const before = await licenseState(ctx);
      const bad = [
        "AMEPOSOIKLKGEEDGNDEKSJDEEE",
        "QWERTYUIOPASDFGHJKLZXCVBNMQW",
        '{"statusResp": {',
        nlfKey({ version: "1", serialNumber: "1", packages: ["nfs"], scope: "cluster" }, () => "not-a-signature"),
      ];
      for (const key of bad) {
        const r = await ctx.call("license_create", { body: { keys: [key] }, expect: "error" });
        if (!postErrors(r.body).errors.length) ctx.fail("an invalid key was not answered with an error envelope", { received: r.body, documented: '{"errors": [...]} (or {"error": {...}}, quirk license-post-error-singular)', exchange: r.exchange });
      }
      const diff = changed(before, await licenseState(ctx));
      if (diff.length) ctx.fail(`rejected keys changed ${diff.join(", ")}`, { received: diff, documented: "nothing changed" });
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.delete.serial-number",
    operation: "license_delete",
    severity: "critical",
    title: "A license DELETE needs serial_number, and serial_number=* removes every license of the package",
    requirement: "DELETE /cluster/licensing/licenses/{name} without serial_number (a required parameter) MUST be rejected with a 4xx and MUST change nothing; with serial_number=* it MUST remove every license of that package and of no other.",
    ref: `${REF}; docs: Delete a license > Parameters; Deleting with a query`,
    spec: ["spec/ontap.yaml#/components/parameters/license_serial_number_required", "spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses~1{name}/delete"],
    oracle: null,
    async run(ctx) {
      needTestKeys(ctx);
      const [pkg] = await unlicensed(ctx, 1);
      // One node-scoped license per node (at most two), so that * has more than one license to match.
      const serials = (await nodeSerials(ctx)).slice(0, 2);
      const before = await licenseState(ctx);
      let installed = false;
      try {
        await ctx.call("license_create", { body: { keys: serials.map((s) => shortKey(pkg, s)) } });
        installed = true;
        const installedState = await licenseState(ctx);
        const r = await ctx.call("license_delete", { path: { name: pkg }, expect: "error" });
        if (r.status >= 500) ctx.fail(`a DELETE without serial_number answered ${r.status}`, { received: r.status, documented: "4xx", exchange: r.exchange });
        const touched = changed(installedState, await licenseState(ctx));
        if (touched.length) ctx.fail(`a DELETE without serial_number was refused but changed ${touched.join(", ")}`, { received: touched, documented: "nothing changed", exchange: r.exchange });
        const all = await ctx.call("license_delete", { path: { name: pkg }, query: { serial_number: "*" } });
        installed = false;
        const left = changed(before, await licenseState(ctx));
        if (left.length) ctx.fail(`after DELETE ${pkg}?serial_number=*, ${left.join(", ")} differ from before the install`, { received: left, documented: `every license of ${pkg} removed, nothing else changed`, exchange: all.exchange });
      } finally {
        if (installed) for (const s of serials) await ctx.send("license_delete", { path: { name: pkg }, query: { serial_number: s } });
      }
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.create.return-records",
    operation: "license_create",
    severity: "minor",
    title: "A license POST returns records only with return_records=true",
    requirement: "A license POST MUST NOT return records by default (return_records defaults to false), and with return_records=true it MUST return the records of the packages its keys installed.",
    ref: `${REF}; docs: Install one or more feature licenses > Parameters (return_records)`,
    spec: ["spec/ontap.yaml#/components/parameters/return_records_update", "spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/post/responses/201"],
    oracle: null,
    async run(ctx) {
      const { pkg, serial } = await keyTarget(ctx);
      const remove = { path: { name: pkg }, query: { serial_number: serial } };
      let installed = false;
      try {
        const plain = await ctx.call("license_create", { body: { keys: [shortKey(pkg, serial)] } });
        installed = true;
        if (plain.body?.records !== undefined) ctx.fail("a license POST without return_records returned records", { received: plain.body, documented: "no records (return_records defaults to false)", exchange: plain.exchange });
        await ctx.call("license_delete", remove);
        installed = false;
        const asked = await ctx.call("license_create", { query: { return_records: "true" }, body: { keys: [shortKey(pkg, serial)] } });
        installed = true;
        const names = Array.isArray(asked.body?.records) ? asked.body.records.map((r) => r.name) : [];
        if (!names.includes(pkg)) ctx.fail(`a license POST with return_records=true did not return the record of ${pkg}`, { received: asked.body, documented: `records holding ${pkg}`, exchange: asked.exchange });
        await ctx.call("license_delete", remove);
        installed = false;
      } finally {
        if (installed) await ctx.send("license_delete", remove);
      }
    },
  }),
];
