// Error-code coverage: for each operation with documented error codes
// (x-ontap-error-codes), send every scenario of suites/errors/scenarios.ts the
// profile and target allow and check it is answered with its code; on the
// embedded mock, raise the codes no client can provoke through the mock's
// fault switch, so the envelope and status of each are exercised too.
import { commonErrorCodes, compareVersions, operationPointer, operations, paramsFor, type ErrorFields, type Operation } from "../../src/contract/index.ts";
import { profileAllows, type Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import type { CallParams, CallResult, CheckContext } from "../../src/harness/context.ts";
import { SCENARIOS, UNPROVOKABLE, type Need } from "./scenarios.ts";

/** A request of each operation that is valid as far as input checks go but changes nothing if it reaches the handler. */
export const HARMLESS: Record<string, CallParams> = {
  license_create: { body: { keys: ["AMEPOSOIKLKGEEDGNDEKSJDEEE"] } },
  license_delete: { path: { name: "ontap-conformance-missing-0000" }, query: { serial_number: "0" } },
  license_delete_collection: { query: { serial_number: "0", name: "ontap-conformance-missing-0000" } },
  software_get: {},
  software_modify: { query: { validate_only: "true" }, body: { version: "0.0.0" } },
  software_download_get: {},
  software_package_create: { body: { url: "gopher://packages.example.invalid/0.0.0_image.tgz" } },
  software_package_delete: { path: { version: "0.0.0-ontap-conformance" } },
  software_upload: { rawBody: { text: "{}", contentType: "application/json" } },
};

function needsMet(ctx: CheckContext, needs: Need[] = []): string | undefined {
  if (needs.includes("testKeys") && !ctx.target.acceptsTestKeys) return "the target does not accept spec/test-keys.md keys";
  if (needs.includes("testPackages") && !ctx.target.acceptsTestPackages) return "the target does not accept made-up package URLs";
  if (needs.includes("allowUpgrade") && !ctx.target.allowUpgrade) return "software actions are not allowed on this target (allowUpgrade)";
  return undefined;
}

function codeOf(body: ErrorFields | undefined): string | undefined {
  return body?.error?.code ?? body?.errors?.[0]?.code;
}

/** HTTP status to inject a code with: the spec's, else 500 for internal errors, else 400. */
function statusFor(op: Operation, code: string): number {
  const info = op.errorCodes[code];
  return info?.http?.[0] ?? (/internal/i.test(info?.meaning ?? "") ? 500 : 400);
}

function codesCheck(op: Operation): Check {
  const area = op.tags.includes("licensing") ? "licensing" : "software";
  return defineCheck({
    id: `errors.${op.id.replace(/_/g, "-")}.documented-codes`,
    title: `${op.method} ${op.apiPath}: every documented error code is provoked, or raised by the mock's fault switch`,
    requirement: "A request that breaks a documented rule MUST be rejected with a 4xx status and the error code the docs give for that rule, in ONTAP's error envelope.",
    ref: "suites/errors/scenarios.ts (how each code is provoked, or why a client cannot)",
    spec: [operationPointer(op.id, "x-ontap-error-codes")],
    oracle: null,
    severity: "normal",
    profile: "non-disruptive",
    area,
    operation: op.id,
    phase: "boundary",
    async run(ctx) {
      let ran = 0;
      const notes: string[] = [];
      for (const s of SCENARIOS.filter((x) => x.operation === op.id)) {
        const has = new Set(paramsFor(op, ctx.target.version).map((p) => p.name));
        const missing = (s.uses ?? []).filter((p) => !has.has(p));
        const tooOld = s.since !== undefined && ctx.target.version !== undefined && compareVersions(ctx.target.version, s.since) < 0;
        const why = !profileAllows(ctx.target.profile, s.profile) ? `needs the ${s.profile} profile` : tooOld ? `needs ONTAP ${s.since} (the target runs ${ctx.target.version})` : missing.length ? `ONTAP ${ctx.target.version} has no ${missing.join(", ")} parameter` : needsMet(ctx, s.needs);
        if (why) {
          notes.push(`${s.code}: ${why}`);
          continue;
        }
        const r = await s.run(ctx);
        if ("skip" in r) {
          notes.push(`${s.code}: ${r.skip}`);
          continue;
        }
        ran++;
        judge(ctx, op, s.code, s.what, r);
        ctx.errorCodes.push({ operation: op.id, code: s.code, outcome: "provoked", what: s.what });
      }
      if (ctx.target.faultSwitch) {
        for (const u of UNPROVOKABLE.filter((x) => x.operation === op.id)) {
          const status = statusFor(op, u.code);
          await ctx.injectFault(op.id, u.code, status);
          const r = await ctx.call(op.id, { ...HARMLESS[op.id], expect: "error" });
          if (r.status !== status || codeOf(r.body) !== u.code) {
            ctx.fail(`the fault switch for ${u.code} was answered ${r.status} code ${codeOf(r.body)}`, { received: `${r.status} ${codeOf(r.body)}`, documented: `${status} ${u.code}`, exchange: r.exchange });
          }
          ran++;
          ctx.errorCodes.push({ operation: op.id, code: u.code, outcome: "injected", what: "the embedded mock's fault switch" });
        }
      }
      if (!ran) ctx.skip(`no error scenario of ${op.id} can run here: ${notes.join("; ") || "none is defined"}`);
    },
  });
}

function judge(ctx: CheckContext, op: Operation, code: string, what: string, r: CallResult<ErrorFields | undefined>): void {
  const got = codeOf(r.body);
  if (r.status < 400 || r.status >= 500) {
    ctx.fail(`${what} was answered ${r.status}${got ? ` code ${got}` : ""}`, { received: r.status, documented: `4xx with code ${code} (${op.errorCodes[code]?.meaning})`, exchange: r.exchange });
  }
  if (got === code) return;
  const documented = got !== undefined && (got in op.errorCodes || got in commonErrorCodes());
  const message = `${what} was answered with code ${got}${documented ? ` (${(op.errorCodes[got!] ?? commonErrorCodes()[got!])?.meaning})` : ""} where the docs give ${code} (${op.errorCodes[code]?.meaning})`;
  // Another documented code is a reading of the docs' tables that can differ
  // between releases: a warning unless --strict. An undocumented one fails.
  if (documented && !ctx.target.strict) return ctx.warn(message);
  ctx.fail(message, { received: got, documented: code, exchange: r.exchange });
}

export const errorChecks: Check[] = operations().filter((op) => Object.keys(op.errorCodes).length).map(codesCheck);
