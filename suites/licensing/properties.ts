// Property-based license installs on a target that accepts test keys:
// a valid key installs exactly its packages and deletes cleanly; an invalid
// key is rejected with the code spec/test-keys.md gives and changes nothing;
// a batch reports an outcome per key.
import fc from "fast-check";
import { completeQuery, existsIn, getOperation, paramsFor } from "../../src/contract/index.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import type { CheckContext } from "../../src/harness/context.ts";
import { checkProperty } from "../../src/harness/property.ts";
import { keyPlaceholder } from "../../src/harness/secrets.ts";
import { licenseBatchArb, licenseVariantArb, type LicenseVariant as LicenseCase } from "../../generators/license-variants.ts";
import { TEST_KEY_CATALOG } from "../../generators/license-keys.ts";
import { listAll, unlicensedPackages } from "../sample.ts";
import { licenseState } from "./roundtrips.ts";
import { postErrors } from "./post-errors.ts";

const base = { area: "licensing" as const, profile: "destructive" as const, phase: "property" as const, operation: "license_create", severity: "critical" as const, ref: "spec/test-keys.md; docs: Install one or more feature licenses", oracle: null };

function diff(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

// A long key (an NLF file) by its fingerprint, as the reports mask it whole: a cut key would no longer be found and masked.
const show = (c: LicenseCase) => `${c.kind}: ${c.key.length > 90 ? keyPlaceholder(c.key) : c.key}`;

async function setting(ctx: CheckContext): Promise<{ serials: string[]; free: string[]; nlfV2: boolean }> {
  if (!ctx.target.acceptsTestKeys) ctx.skip("the target does not accept spec/test-keys.md keys (testKeys: true in the config for a mock built on this contract)");
  const nodes = await listAll(ctx, "cluster_nodes_get", { fields: "serial_number" });
  const serials = nodes.map((n) => n.serial_number).filter((s): s is string => typeof s === "string" && /^\d+$/.test(s));
  const free = (await unlicensedPackages(ctx)).map((p) => p.name).filter((n) => TEST_KEY_CATALOG.includes(n));
  if (!serials.length || !free.length) ctx.skip("no node with a numeric serial, or no unlicensed package of the test-key catalog");
  const del = getOperation("license_delete_collection");
  const nlfV2 = existsIn(ctx.target.version, del.introduced) && paramsFor(del, ctx.target.version).some((p) => p.name === "licenses.installed_license");
  return { serials, free, nlfV2 };
}

/** What the generators need to know of the target; NLFv2 bundles only where a query DELETE can undo them. */
function target(serials: string[], free: string[], nlfV2: boolean) {
  return { serials, packages: free, exclude: nlfV2 ? [] : ["nlf2-valid", "nlf-escaped-valid"] };
}

/** Delete what a valid case installed (by bundle for NLFv2, else by name and serial). */
async function undo(ctx: CheckContext, c: LicenseCase): Promise<void> {
  const i = c.installs!;
  // call(), not send(): an undo that fails must say so, not leave the next case a polluted target.
  if (i.bundle) await ctx.call("license_delete_collection", { query: { "licenses.installed_license": i.bundle, serial_number: i.serial, ...completeQuery("licenses_get") } });
  else for (const p of i.packages) await ctx.call("license_delete", { path: { name: p }, query: { serial_number: i.serial } });
}

async function oneKey(ctx: CheckContext, c: LicenseCase): Promise<void> {
  const before = await licenseState(ctx);
  const r = await ctx.call("license_create", { body: { keys: [c.key] }, expect: "any" });
  try {
    const changed = diff(before, await licenseState(ctx));
    if (c.valid) {
      if (r.status >= 300) ctx.fail(`a valid ${c.kind} key was refused (${r.status})`, { received: r.body, documented: `installs ${c.installs!.packages.join(", ")}`, exchange: r.exchange });
      const want = [...c.installs!.packages].sort();
      if (changed.join() !== want.join()) ctx.fail(`a ${c.kind} key changed ${changed.join(", ") || "nothing"}`, { received: changed, documented: want, exchange: r.exchange });
    } else {
      const codes = [r.body?.error?.code, ...(r.body?.errors ?? []).map((e) => e?.code)].filter((x): x is string => Boolean(x));
      if (r.status < 400) ctx.fail(`an invalid key (${c.kind}) was accepted with ${r.status}`, { received: r.status, documented: `rejected with ${c.expectCodes.join(" or ")}`, exchange: r.exchange });
      if (!codes.some((x) => c.expectCodes.includes(x))) ctx.fail(`an invalid key (${c.kind}) was rejected with ${codes.join(", ") || "no code"}`, { received: codes, documented: c.expectCodes, exchange: r.exchange });
      if (changed.length) ctx.fail(`a rejected key (${c.kind}) changed ${changed.join(", ")}`, { received: changed, documented: "nothing changed", exchange: r.exchange });
    }
  } finally {
    if (c.valid && r.status < 300) await undo(ctx, c);
  }
  const left = diff(before, await licenseState(ctx));
  if (left.length) ctx.fail(`after undoing the ${c.kind} case, ${left.join(", ")} differ from before`, { received: left, documented: "the licenses as they were" });
}

export const licensingProperties: Check[] = [
  defineCheck({
    ...base,
    id: "licenses.install.key-property",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/post", "spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/post/x-ontap-error-codes"],
    title: "Generated keys: valid ones install exactly their packages and delete cleanly, invalid ones are refused with their code",
    requirement: "A valid key MUST install exactly its packages and MUST be deletable again; an invalid key MUST be rejected with the code spec/test-keys.md gives for its fault and MUST change nothing.",
    async run(ctx) {
      const { serials, free, nlfV2 } = await setting(ctx);
      await checkProperty(ctx, licenseVariantArb(target(serials, free, nlfV2)), (c) => oneKey(ctx, c), { name: "license keys", show, parallel: false });
    },
  }),
  defineCheck({
    ...base,
    id: "licenses.install.batch-property",
    spec: ["spec/ontap.yaml#/paths/~1cluster~1licensing~1licenses/post", "spec/ontap.yaml#/components/schemas/error_responses"],
    title: "Generated batches: each key has its own outcome, good keys install, bad keys change nothing",
    requirement: "A POST with several keys MUST install each valid key and report each invalid one in `errors` (naming its index), and the installed set MUST be exactly the valid keys' packages.",
    async run(ctx) {
      const { serials, free, nlfV2 } = await setting(ctx);
      await checkProperty(ctx, licenseBatchArb(target(serials, free, nlfV2), { maxKeys: 4 }), async (batch) => {
        const before = await licenseState(ctx);
        const r = await ctx.call("license_create", { body: { keys: batch.keys.map((c) => c.key) }, expect: "any" });
        try {
          const failed = batch.outcomes.filter((o) => !o.installs);
          const { form, errors } = postErrors(r.body);
          if (!failed.length && r.status >= 300) ctx.fail(`a batch of valid keys was refused (${r.status})`, { received: r.body, documented: "201", exchange: r.exchange });
          if (form === "error") {
            // The singular envelope (quirk license-post-error-singular) holds one error: it must be one of the failing keys'.
            if (failed.length && !failed.some((o) => o.expectCodes.includes(String(errors[0].code)))) ctx.fail(`the batch failed with ${errors[0].code}, the code of none of its failing keys (index ${failed.map((o) => o.index).join(", ")})`, { received: errors[0], documented: failed.flatMap((o) => o.expectCodes), exchange: r.exchange });
          } else {
            if (failed.length && errors.length !== failed.length) ctx.fail(`${errors.length} error(s) for ${failed.length} failing key(s) at index ${failed.map((o) => o.index).join(", ")}`, { received: errors, documented: "one error per failing key", exchange: r.exchange });
            for (const [n, o] of failed.entries()) {
              const e = errors[n];
              if (e && !o.expectCodes.includes(String(e.code))) ctx.fail(`key ${o.index} (${batch.keys[o.index].kind}) failed with ${e.code}`, { received: e, documented: o.expectCodes, exchange: r.exchange });
            }
          }
          const changed = diff(before, await licenseState(ctx));
          const want = [...new Set(batch.outcomes.filter((o) => o.installs).flatMap((o) => batch.keys[o.index].installs!.packages))].sort();
          if (changed.join() !== want.join()) ctx.fail(`the batch changed ${changed.join(", ") || "nothing"}`, { received: changed, documented: want, exchange: r.exchange });
        } finally {
          for (const o of batch.outcomes) if (o.installs) await undo(ctx, batch.keys[o.index]).catch(() => undefined);
        }
        const left = diff(before, await licenseState(ctx));
        if (left.length) ctx.fail(`after undoing the batch, ${left.join(", ")} differ from before`, { received: left, documented: "the licenses as they were" });
      }, { name: "license batches", show: (b) => `${b.kind}: ${b.keys.map(show).join(" | ")}`, parallel: false });
    },
  }),
];
