// What a writing run must leave as it found it: the licenses (package,
// serial, owner) and the software packages. Taken before the suites run and
// compared after; a difference is reported and fails the run.
import type { HttpClient } from "./transport.ts";

export interface Inventory {
  licenses: string[];
  packages: string[];
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
  const licenses = pkgs.flatMap((p) => (p.licenses ?? []).map((l: any) => `${p.name} ${l.serial_number} ${l.owner ?? ""}`.trim())).sort();
  const packages = (await all(http, "/api/cluster/software/packages", { fields: "version" })).map((p) => String(p.version)).sort();
  return { licenses, packages };
}

/** Human sentences for everything that differs. */
export function compareInventories(before: Inventory, after: Inventory): string[] {
  const diff = (what: string, a: string[], b: string[]) => [
    ...b.filter((x) => !a.includes(x)).map((x) => `${what} ${x} was left behind`),
    ...a.filter((x) => !b.includes(x)).map((x) => `${what} ${x} is gone`),
  ];
  return [...diff("license", before.licenses, after.licenses), ...diff("package", before.packages, after.packages)];
}
