// Sanity run (not a test): send generated license and software cases to a
// fresh reference mock and print every case whose answer disagrees with its
// label. A disagreement is a mock bug or a label bug; read both before
// deciding. Usage: npx tsx scripts/generator-sanity.mts [perKind=2] [seed]
import fc from "fast-check";
import { startMock } from "../mock/index.ts";
import { licenseBatchArb, licenseKindArbs, type LicenseVariant } from "../generators/license-variants.ts";
import { boundaryCases, softwareKindArbs, type SoftwareTarget, type SoftwareVariant } from "../generators/software-variants.ts";
import { TEST_KEY_CATALOG } from "../generators/license-keys.ts";
import type { CallParams } from "../src/harness/context.ts";
import { getOperation } from "../src/contract/index.ts";

const perKind = Number(process.argv[2] ?? 2);
const seed = Number(process.argv[3] ?? 20261123);
const mock = await startMock({});
const auth = `Basic ${Buffer.from(`${mock.options.username}:${mock.options.password}`).toString("base64")}`;

async function send(operation: string, p: CallParams): Promise<{ status: number; body: any }> {
  const op = getOperation(operation);
  const qs = new URLSearchParams(Object.entries(p.query ?? {}).map(([k, v]) => [k, String(v)])).toString();
  const headers: Record<string, string> = { authorization: auth, accept: "application/json" };
  let body: BodyInit | undefined;
  if (p.multipart) body = p.multipart;
  else if (p.rawBody) { body = p.rawBody.text; headers["content-type"] = p.rawBody.contentType; }
  else if (p.body !== undefined) { body = JSON.stringify(p.body); headers["content-type"] = "application/json"; }
  const path = op.apiPath.replace(/\{(\w+)\}/g, (_m, n: string) => encodeURIComponent(p.path?.[n] ?? ""));
  const res = await fetch(`${mock.url}${path}${qs ? `?${qs}` : ""}`, { method: op.method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const codesOf = (b: any): string[] => [b?.error?.code, ...(b?.errors ?? []).map((e: any) => e?.code)].filter(Boolean).map(String);
const cls = (s: number) => `${Math.floor(s / 100)}xx`;
const short = (s: string) => (s.length > 100 ? `${s.slice(0, 100)}…` : s);
let sent = 0;
const disagreements: string[] = [];

async function target() {
  const nodes = (await send("cluster_nodes_get", { query: { fields: "name,serial_number,ha" } })).body.records as any[];
  const free = ((await send("licenses_get", { query: { state: "unlicensed", fields: "name" } })).body.records as any[]).map((r) => r.name).filter((n: string) => TEST_KEY_CATALOG.includes(n));
  const repo = ((await send("software_packages_collection_get", { query: { fields: "version" } })).body.records as any[]).map((r) => r.version);
  return { nodes, free, repo };
}

// ---------------------------------------------------------------- licenses
mock.reset();
const t0 = await target();
const licenseTarget = { serials: t0.nodes.map((n) => n.serial_number), packages: t0.free, includeAmbiguous: true };
console.log(`licenses: serials ${licenseTarget.serials.join(",")}; free packages ${t0.free.join(",")}`);
for (const [kind, arb] of Object.entries(licenseKindArbs(licenseTarget))) {
  for (const c of fc.sample(arb, { seed, numRuns: perKind }) as LicenseVariant[]) {
    mock.reset();
    const r = await send("license_create", { body: { keys: [c.key] } });
    sent++;
    const codes = codesOf(r.body);
    const ok = c.valid ? r.status === 201 : r.status >= 400 && r.status < 500 && codes.some((x) => c.expectCodes.includes(x));
    if (!ok) disagreements.push(`license ${kind}: got ${r.status} ${codes.join(",") || "-"} ${r.body?.errors?.[0]?.message ?? ""}; label ${c.valid ? "valid" : c.expectCodes.join("|")}; key ${short(JSON.stringify(c.key))}`);
  }
}
for (const b of fc.sample(licenseBatchArb({ ...licenseTarget, includeAmbiguous: false }), { seed, numRuns: 10 * perKind })) {
  mock.reset();
  const r = await send("license_create", { body: { keys: b.keys.map((c) => c.key) } });
  sent++;
  const errors: any[] = r.body?.errors ?? [];
  const failed = b.outcomes.filter((o) => !o.installs);
  const byIndex = (i: number) => errors.find((e) => new RegExp(`index ${i}\\b`).test(e.message ?? ""));
  const wrong = failed.filter((o) => !byIndex(o.index) || !o.expectCodes.includes(String(byIndex(o.index).code)));
  if (cls(r.status) !== b.expectStatus || errors.length !== failed.length || wrong.length) {
    disagreements.push(`license batch ${b.kind}: got ${r.status} with ${errors.map((e) => `${e.code}@${/index (\d+)/.exec(e.message)?.[1]}`).join(",") || "no errors"}; label ${b.expectStatus} ${failed.map((o) => `${o.expectCodes.join("|")}@${o.index}`).join(",") || "no errors"}; kinds ${b.keys.map((c) => c.kind).join(",")}`);
  }
}

// ---------------------------------------------------------------- software
mock.reset();
const t1 = await target();
const swTarget: SoftwareTarget = { version: mock.options.ontapVersion, nodes: t1.nodes.map((n) => ({ name: n.name, haPartner: n.ha?.partners?.[0]?.name })), repository: t1.repo, includeAmbiguous: true };
console.log(`software: version ${swTarget.version}; nodes ${swTarget.nodes.map((n) => `${n.name}${n.haPartner ? `~${n.haPartner}` : ""}`).join(",")}; repository ${swTarget.repository.join(",")}`);
/** A 2xx with a job, for labels whose code may come from the validation job: the job's final code. */
async function jobCode(r: { status: number; body: any }): Promise<string | undefined> {
  const uuid = r.body?.job?.uuid;
  if (!uuid) return undefined;
  for (let i = 0; i < 50; i++) {
    const j = (await send("job_get", { path: { uuid }, query: { fields: "state,code" } } as CallParams)).body;
    if (j?.state === "failure") return String(j.code);
    if (j?.state === "success") return "success";
    await new Promise((res) => setTimeout(res, 20));
  }
  return "timeout";
}
const judge = async (label: { valid: boolean | string; expectStatus: string; expectCodes: string[]; codeMayComeFromJob?: true }, r: { status: number; body: any }) => {
  const codes = codesOf(r.body);
  if (label.codeMayComeFromJob && r.status >= 200 && r.status < 300) {
    const code = await jobCode(r);
    (r as any).job = code;
    return code !== undefined && label.expectCodes.includes(code);
  }
  if (label.expectStatus === "2xx|4xx") return r.status < 500;
  if (label.expectStatus === "2xx") return r.status >= 200 && r.status < 300;
  return r.status >= 400 && r.status < 500 && (!label.expectCodes.length || codes.some((x) => label.expectCodes.includes(x)));
};
for (const [kind, arb] of Object.entries(softwareKindArbs(swTarget))) {
  for (const c of fc.sample(arb, { seed, numRuns: perKind }) as SoftwareVariant[]) {
    mock.reset();
    const r = await send(c.operation, c.params);
    sent++;
    if (!(await judge(c, r))) disagreements.push(`software ${kind}: got ${r.status}${(r as any).job ? ` (job: ${(r as any).job})` : ""} ${codesOf(r.body).join(",") || "-"} ${r.body?.error?.message ?? ""}; label ${c.expectStatus} ${c.expectCodes.join("|")}; ${c.what}`);
  }
}
for (const b of boundaryCases(swTarget)) {
  mock.reset();
  const r = await send(b.operation, b.params);
  sent++;
  if (!(await judge(b, r))) disagreements.push(`boundary ${b.kind} ${b.operation} ${b.param}: got ${r.status}${(r as any).job ? ` (job: ${(r as any).job})` : ""} ${codesOf(r.body).join(",") || "-"} ${r.body?.error?.message ?? ""}; label ${b.expectStatus} ${b.expectCodes.join("|")}; ${b.what}`);
}

await mock.close();
console.log(`${sent} requests, ${disagreements.length} disagreement(s)`);
for (const d of disagreements) console.log(`- ${d}`);
