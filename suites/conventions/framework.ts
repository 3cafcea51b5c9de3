// The query parameters ONTAP's framework accepts beyond an operation's own
// definition (spec/ontap.yaml x-ontap-framework-params). A target is held only
// to what NetApp's clients send with every request (`clients-send`,
// ontap-reference.md §8, §8.1): na_ontap_rest_info's max_records=1024&fields=
// on every GET it makes, singletons included, and rest_generic's
// return_timeout=30 on every write. Refusing them breaks NetApp's own
// automation, whatever the operation's definition lists.
import { clientSentParams, existsIn, operationKind, operations } from "../../src/contract/index.ts";
import type { Check } from "../../src/harness/check.ts";
import { defineCheck } from "../define.ts";
import type { CallResult } from "../../src/harness/context.ts";
import type { ErrorFields } from "../../src/contract/index.ts";
import { HARMLESS } from "../errors/checks.ts";

const REF = "x-ontap-framework-params clients-send; spec/sources/ontap-reference.md §8, §8.1";

/** Writes whose harmless request (suites/errors/checks.ts) the docs say is refused, with a documented code. */
const REFUSED = ["license_create", "license_delete", "software_modify", "software_package_create", "software_package_delete", "software_upload"];

const codeOf = (r: CallResult<ErrorFields | undefined>): string | undefined => r.body?.error?.code ?? r.body?.errors?.[0]?.code;
const shown = (q: Record<string, string>) => Object.entries(q).map(([k, v]) => `${k}=${v}`).join("&");

export const frameworkChecks: Check[] = [
  defineCheck({
    id: "framework.get.client-parameters",
    area: "conventions",
    operation: "software_get",
    profile: "read-only",
    severity: "critical",
    title: "Every GET without path parameters accepts the max_records=1024&fields= that na_ontap_rest_info sends",
    requirement: "A collection or singleton GET (/cluster, /cluster/software, /cluster/software/download included) MUST answer the query parameters NetApp's clients send with every GET (max_records=1024, an empty fields=) as it answers the plain GET, not with 262179.",
    ref: REF,
    spec: ["spec/ontap.yaml#/x-ontap-framework-params"],
    oracle: null,
    async run(ctx) {
      let tried = 0;
      for (const op of operations().filter((o) => o.method === "GET" && !o.path.includes("{") && existsIn(ctx.target.version, o.introduced))) {
        const query = clientSentParams(op, ctx.target.version);
        if (!Object.keys(query).length) continue;
        tried++;
        const r = await ctx.call(op.id, { query, expect: "any" });
        if (r.status >= 400) {
          ctx.fail(`GET ${op.apiPath}?${shown(query)} (a ${operationKind(op)}) was refused: ${r.status} code ${codeOf(r)}`, { received: `${r.status} ${codeOf(r)}`, documented: "2xx, as for the GET without them", exchange: r.exchange });
        }
      }
      if (!tried) ctx.skip("no GET of this target's release takes a parameter clients send");
    },
  }),
  defineCheck({
    id: "framework.write.client-parameters",
    area: "conventions",
    operation: "license_create",
    profile: "non-disruptive",
    severity: "critical",
    title: "Every write answers the return_timeout=30 of NetApp's clients as it answers the same request without it",
    requirement: "A POST, PATCH or DELETE (license POST and DELETE included, which are synchronous and ignore it) MUST judge a request carrying return_timeout=30 as it judges the same request without it: the same status and error code, never 262179 for return_timeout.",
    ref: REF,
    spec: ["spec/ontap.yaml#/x-ontap-framework-params"],
    oracle: null,
    async run(ctx) {
      let tried = 0;
      // Requests the target rejects whatever return_timeout says (an invalid key, entries that do not
      // exist, an unknown version, a body that is not multipart): nothing changes on the target.
      for (const op of operations().filter((o) => REFUSED.includes(o.id) && existsIn(ctx.target.version, o.introduced))) {
        const sent = clientSentParams(op, ctx.target.version);
        if (!Object.keys(sent).length) continue;
        const params = HARMLESS[op.id];
        const plain = await ctx.call(op.id, { ...params, expect: "any" });
        // Only requests the target refuses are sent again: a write it accepts is not repeated.
        if (plain.status < 400) continue;
        tried++;
        const query = { ...(params.query ?? {}), ...sent };
        const r = await ctx.call(op.id, { ...params, query, expect: "any" });
        if (r.status !== plain.status || codeOf(r) !== codeOf(plain)) {
          ctx.fail(`${op.method} ${op.apiPath} with ${shown(sent)} was answered ${r.status} code ${codeOf(r)}, without it ${plain.status} code ${codeOf(plain)}`, { received: `${r.status} ${codeOf(r)}`, documented: `${plain.status} ${codeOf(plain)} (the answer without ${Object.keys(sent).join(", ")})`, exchange: r.exchange });
        }
      }
      if (!tried) ctx.skip("no write of this target's release could be tried without changing the target");
    },
  }),
];
