// What a writing run must leave as it found it: the licenses (package,
// serial, owner) and the software packages. Taken before the suites run;
// after them (or after Ctrl-C) restoreInventory() deletes what appeared, and
// whatever still differs (what disappeared cannot be re-created without its
// key or image) is reported and fails the run.
import type { HttpClient } from "./transport.ts";

export interface LicenseEntry {
  package: string;
  serial: string;
  owner?: string;
}

export interface Inventory {
  /** "package serial owner", sorted: what reports show and compare. */
  licenses: string[];
  packages: string[];
  /** The same licenses as entries, for restoring. */
  licenseEntries: LicenseEntry[];
}

async function all(http: HttpClient, path: string, query: Record<string, string>): Promise<any[]> {
  const out: any[] = [];
  let q: Record<string, string> = query;
  for (let i = 0; i < 1000; i++) {
    const ex = await http.request({ method: "GET", path, query: q });
    if (ex.error || ex.response!.status !== 200) throw new Error(`cannot read ${path} for the inventory: ${ex.error?.message ?? `HTTP ${ex.response!.status}`}`);
    const body = ex.response!.json as any;
    out.push(...(body?.records ?? []));
    const next: string | undefined = body?._links?.next?.href;
    if (!next || !(body?.records ?? []).length) break;
    q = Object.fromEntries(new URL(next, "http://x").searchParams);
  }
  return out;
}

export async function takeInventory(http: HttpClient): Promise<Inventory> {
  const pkgs = await all(http, "/api/cluster/licensing/licenses", { state: "*", fields: "name,licenses.serial_number,licenses.owner" });
  const licenseEntries: LicenseEntry[] = pkgs.flatMap((p) => (p.licenses ?? []).map((l: any) => ({ package: String(p.name), serial: String(l.serial_number), owner: l.owner })));
  const licenses = licenseEntries.map(licenseText).sort();
  const packages = (await all(http, "/api/cluster/software/packages", { fields: "version" })).map((p) => String(p.version)).sort();
  return { licenses, packages, licenseEntries };
}

const licenseText = (l: LicenseEntry) => `${l.package} ${l.serial} ${l.owner ?? ""}`.trim();

/** Human sentences for everything that differs. */
export function compareInventories(before: Inventory, after: Inventory): string[] {
  const diff = (what: string, a: string[], b: string[]) => [
    ...b.filter((x) => !a.includes(x)).map((x) => `${what} ${x} was left behind`),
    ...a.filter((x) => !b.includes(x)).map((x) => `${what} ${x} is gone`),
  ];
  return [...diff("license", before.licenses, after.licenses), ...diff("package", before.packages, after.packages)];
}

export interface Restore {
  /** What was deleted to get back to the inventory taken before the run. */
  removed: string[];
  /** What still differs afterwards (and why), empty when the target is as it was. */
  remaining: string[];
}

function failure(ex: Awaited<ReturnType<HttpClient["request"]>>): string {
  if (ex.error) return ex.error.message;
  const err = (ex.response!.json as any)?.error ?? (ex.response!.json as any)?.errors?.[0];
  return `HTTP ${ex.response!.status}${err ? ` (error ${err.code}: ${err.message})` : ""}`;
}

/** Follow a package delete's job to its end; undefined when it succeeded, else why not. */
async function jobOutcome(http: HttpClient, body: any, timeoutMs: number): Promise<string | undefined> {
  const uuid: string | undefined = body?.job?.uuid;
  if (!uuid) return undefined;
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 2000)) {
    const ex = await http.request({ method: "GET", path: `/api/cluster/jobs/${encodeURIComponent(uuid)}`, query: { fields: "state,message,code" } });
    if (ex.error || ex.response!.status !== 200) return `its job ${uuid} could not be read: ${failure(ex)}`;
    const job = ex.response!.json as any;
    if (job?.state === "success") return undefined;
    if (job?.state === "failure") return `its job failed: ${job.message ?? job.code}`;
    if (Date.now() > deadline) return `its job ${uuid} did not finish within ${Math.round(timeoutMs / 1000)} s`;
    await new Promise((r) => setTimeout(r, delay));
  }
}

/**
 * Put the target back as `before` found it, as far as a client can: delete
 * the licenses (by package and serial number) and the software packages that
 * appeared. A license or package that disappeared cannot be re-created (it
 * needs its key or its image): it is reported, as is every delete that failed.
 */
export async function restoreInventory(http: HttpClient, before: Inventory, opts: { jobTimeoutMs?: number } = {}): Promise<Restore> {
  const now = await takeInventory(http);
  const removed: string[] = [];
  const problems: string[] = [];
  const kept = new Set(before.licenseEntries.map((l) => `${l.package}\0${l.serial}`));
  const extra = now.licenseEntries.filter((l) => !before.licenses.includes(licenseText(l)));
  // One DELETE per package and serial (it removes that serial's licenses of the package, whatever the owner).
  const pairs = new Map(extra.map((l) => [`${l.package}\0${l.serial}`, l]));
  for (const [pair, l] of pairs) {
    if (kept.has(pair)) {
      problems.push(`license ${licenseText(l)} was left behind, but deleting ${l.package} serial ${l.serial} would also delete a license that was there before`);
      continue;
    }
    const ex = await http.request({ method: "DELETE", path: `/api/cluster/licensing/licenses/${encodeURIComponent(l.package)}`, query: { serial_number: l.serial } });
    if (!ex.error && ex.response!.status >= 200 && ex.response!.status < 300) removed.push(`license ${l.package} ${l.serial}`);
    else problems.push(`license ${licenseText(l)} was left behind and could not be deleted: ${failure(ex)}`);
  }
  for (const version of now.packages.filter((v) => !before.packages.includes(v))) {
    const ex = await http.request({ method: "DELETE", path: `/api/cluster/software/packages/${encodeURIComponent(version)}` });
    const why = ex.error || ex.response!.status >= 300 ? failure(ex) : await jobOutcome(http, ex.response!.json, opts.jobTimeoutMs ?? 120_000);
    if (why) problems.push(`package ${version} was left behind and could not be deleted: ${why}`);
    else removed.push(`package ${version}`);
  }
  const after = await takeInventory(http);
  const gone = [
    ...before.licenses.filter((x) => !after.licenses.includes(x)).map((x) => `license ${x} is gone and cannot be re-added without its license key`),
    ...before.packages.filter((x) => !after.packages.includes(x)).map((x) => `package ${x} is gone; upload or download its image to restore it`),
  ];
  const leftover = compareInventories(before, after).filter((d) => / was left behind$/.test(d) && !problems.some((p) => p.startsWith(d)));
  return { removed, remaining: [...problems, ...leftover, ...gone] };
}
