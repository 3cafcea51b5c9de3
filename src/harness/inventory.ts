// What a writing run must leave as it found it: the licenses (package,
// serial, owner) and the software packages. The inventory is taken before
// the suites run; after them (or after Ctrl-C) `teardown` deletes exactly what
// the run's ledger (ledger.ts) says the run created and is still there, and
// nothing else. Whatever else changed while the run was under way was done by
// someone else: it is reported and left alone. A run that deleted something it
// did not create, or left behind something it could not delete, fails.
import { backoff } from "./backoff.ts";
import type { HttpClient } from "./transport.ts";
import { licensesMadeBy, unansweredWrites, type LedgerEntry } from "./ledger.ts";
import { hrefTarget, PageWalk } from "./paging.ts";

export interface LicenseEntry {
  package: string;
  serial: string;
  owner?: string;
}

export interface Inventory {
  /** "package serial owner", sorted: what reports show and compare. */
  licenses: string[];
  packages: string[];
  /** The same licenses as entries. */
  licenseEntries: LicenseEntry[];
}

/** The inventory could not be read: a writing run cannot promise to restore the target. */
export class InventoryUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InventoryUnreadable";
  }
}

const LICENSES = "/api/cluster/licensing/licenses";
const PACKAGES = "/api/cluster/software/packages";

function failure(ex: Awaited<ReturnType<HttpClient["request"]>>): string {
  if (ex.error) return ex.error.message;
  const err = (ex.response!.json as any)?.error ?? (ex.response!.json as any)?.errors?.[0];
  return `HTTP ${ex.response!.status}${err ? ` (error ${err.code}: ${err.message})` : ""}`;
}

/** Every record of a collection, following next links whole while they advance (paging.ts). */
async function all(http: HttpClient, path: string, query: Record<string, string>): Promise<any[]> {
  const out: any[] = [];
  const seen = new Set<string>();
  const first = `${path}?${new URLSearchParams(query)}`;
  const walk = new PageWalk(path, first, { maxPages: 1000 });
  let spec: { path: string; query?: Record<string, string> } = { path, query };
  for (;;) {
    const ex = await http.request({ method: "GET", ...spec });
    if (ex.error || ex.response!.status !== 200) throw new InventoryUnreadable(`cannot read ${path} for the inventory: ${failure(ex)}`);
    const body = ex.response!.json as any;
    if (!body || typeof body !== "object" || (body.records !== undefined && !Array.isArray(body.records))) throw new InventoryUnreadable(`cannot read ${path} for the inventory: the answer is not a collection`);
    const records: any[] = body.records ?? [];
    let fresh = 0;
    for (const r of records) {
      const id = JSON.stringify(r);
      if (!seen.has(id)) fresh++;
      seen.add(id);
    }
    out.push(...records);
    const step = walk.next(body._links?.next?.href, { records: records.length, fresh });
    if ("done" in step) return out;
    if ("problem" in step) throw new InventoryUnreadable(`cannot read ${path} for the inventory: ${step.problem.message}`);
    spec = { path: step.path };
  }
}

export async function takeInventory(http: HttpClient): Promise<Inventory> {
  const pkgs = await all(http, LICENSES, { state: "*", fields: "name,licenses.serial_number,licenses.owner" });
  const licenseEntries: LicenseEntry[] = pkgs.flatMap((p) => (p.licenses ?? []).map((l: any) => ({ package: String(p.name), serial: String(l.serial_number), owner: l.owner })));
  const licenses = licenseEntries.map(licenseText).sort();
  const packages = [...new Set((await all(http, PACKAGES, { fields: "version" })).map((p) => String(p.version)))].sort();
  return { licenses, packages, licenseEntries };
}

const licenseText = (l: LicenseEntry) => `${l.package} ${l.serial} ${l.owner ?? ""}`.trim();
const pairOf = (l: { package: string; serial: string }) => `${l.package}\0${l.serial}`;

export interface Teardown {
  /** What was deleted because the run created it. */
  removed: string[];
  /** What keeps the target from being as the run found it, by the run's doing (fails the run). */
  remaining: string[];
  /** What changed by someone else's hand while the run was under way: reported, left alone. */
  changedByOthers: string[];
}

/** Follow a package delete's job to its end; undefined when it succeeded, else why not. */
async function jobOutcome(http: HttpClient, body: any, timeoutMs: number): Promise<string | undefined> {
  const uuid: string | undefined = body?.job?.uuid;
  if (!uuid) return undefined;
  const deadline = Date.now() + timeoutMs;
  const wait = backoff(50, 2000);
  for (;;) {
    const ex = await http.request({ method: "GET", path: `/api/cluster/jobs/${encodeURIComponent(uuid)}`, query: { fields: "state,message,code" } });
    if (ex.error || ex.response!.status !== 200) return `its job ${uuid} could not be read: ${failure(ex)}`;
    const job = ex.response!.json as any;
    if (job?.state === "success") return undefined;
    if (job?.state === "failure") return `its job failed: ${job.message ?? job.code}`;
    if (Date.now() > deadline) return `its job ${uuid} did not finish within ${Math.round(timeoutMs / 1000)} s`;
    await wait();
  }
}

/** The package version a Location of the run's download or upload names, if it names one. */
function packageOf(entry: LedgerEntry): string | undefined {
  if (entry.kind !== "created") return undefined;
  const path = hrefTarget(entry.href).path;
  if (!path.startsWith(`${PACKAGES}/`)) return undefined;
  try {
    return decodeURIComponent(path.slice(PACKAGES.length + 1).replace(/\/+$/, ""));
  } catch {
    return undefined;
  }
}

/** Whether one of the run's accepted deletes names this license package or software package. */
function deletedByRun(ledger: LedgerEntry[], collection: string, name: string): boolean {
  return ledger.some((e) => e.kind === "deleted" && (() => {
    const path = hrefTarget(e.path).path.replace(/\/+$/, "");
    // A delete of the item, or a query delete of the collection (which names what it deletes only in its query).
    return path === collection || path === `${collection}/${encodeURIComponent(name)}` || path === `${collection}/${name}`;
  })());
}

/**
 * Put back what the run changed, and only that: delete each license the run's
 * keys installed (by package and serial) and each package its downloads and
 * uploads created, where it did not exist before the run and still exists.
 * Everything else that differs from `before` is reported: by the run (it
 * deleted what it did not create, or could not delete what it made), or by
 * someone else during the run.
 */
export async function teardown(http: HttpClient, before: Inventory, ledger: LedgerEntry[], opts: { jobTimeoutMs?: number } = {}): Promise<Teardown> {
  const now = await takeInventory(http);
  const removed: string[] = [];
  const remaining: string[] = [];
  const existedBefore = new Set(before.licenseEntries.map(pairOf));
  const present = new Set(now.licenseEntries.map(pairOf));
  const madeLicenses = new Map<string, { package: string; serial: string }>();
  for (const l of licensesMadeBy(ledger)) madeLicenses.set(pairOf(l), l);
  for (const [pair, l] of madeLicenses) {
    if (existedBefore.has(pair) || !present.has(pair)) continue;
    const ex = await http.request({ method: "DELETE", path: `${LICENSES}/${encodeURIComponent(l.package)}`, query: { serial_number: l.serial } });
    if (!ex.error && ex.response!.status >= 200 && ex.response!.status < 300) removed.push(`license ${l.package} ${l.serial}`);
    else remaining.push(`license ${l.package} ${l.serial}, installed by the run, could not be deleted: ${failure(ex)}`);
  }
  const madePackages = new Set(ledger.map(packageOf).filter((v): v is string => v !== undefined));
  for (const version of madePackages) {
    if (before.packages.includes(version) || !now.packages.includes(version)) continue;
    const ex = await http.request({ method: "DELETE", path: `${PACKAGES}/${encodeURIComponent(version)}` });
    const why = ex.error || ex.response!.status >= 300 ? failure(ex) : await jobOutcome(http, ex.response!.json, opts.jobTimeoutMs ?? 120_000);
    if (why) remaining.push(`package ${version}, added by the run, could not be deleted: ${why}`);
    else removed.push(`package ${version}`);
  }

  const after = removed.length ? await takeInventory(http) : now;
  const changedByOthers: string[] = [];
  const afterPairs = new Set(after.licenseEntries.map(pairOf));
  for (const l of after.licenseEntries) {
    const pair = pairOf(l);
    if (existedBefore.has(pair)) continue;
    if (madeLicenses.has(pair)) continue; // a delete that failed: already in `remaining`
    changedByOthers.push(`license ${licenseText(l)} appeared during the run; the run did not install it, so it was left alone`);
  }
  for (const l of before.licenseEntries) {
    if (afterPairs.has(pairOf(l))) continue;
    if (deletedByRun(ledger, LICENSES, l.package)) remaining.push(`license ${licenseText(l)} was there before the run and is gone, after the run deleted licenses of ${l.package}: it cannot be re-added without its license key`);
    else changedByOthers.push(`license ${licenseText(l)} disappeared during the run; the run did not delete it`);
  }
  // A POST of the run whose answer never came may have made what appeared: the run cannot tell it from someone
  // else's, so it is left alone, and said to be possibly the run's (the target may not be as it was).
  const unanswered = unansweredWrites(ledger).filter((w) => w.method === "POST");
  const pending = unanswered.length ? `${unanswered.slice(0, 3).map((w) => `${w.operation} (${w.check})`).join(", ")}${unanswered.length > 3 ? ` and ${unanswered.length - 3} more` : ""}` : "";
  for (const v of after.packages) {
    if (before.packages.includes(v) || madePackages.has(v)) continue;
    if (unanswered.length) remaining.push(`package ${v} appeared during the run while the run's ${pending} had no answer (the run stopped, or the connection failed, first): it may be the run's, but the run cannot tell it from someone else's, so it was left alone; delete it if the run made it`);
    else changedByOthers.push(`package ${v} appeared during the run; the run did not create it, so it was left alone`);
  }
  for (const v of before.packages) {
    if (after.packages.includes(v)) continue;
    if (deletedByRun(ledger, PACKAGES, v)) remaining.push(`package ${v} was there before the run and the run deleted it; upload or download its image to restore it`);
    else changedByOthers.push(`package ${v} disappeared during the run; the run did not delete it`);
  }
  return { removed, remaining, changedByOthers };
}
