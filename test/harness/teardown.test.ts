// Teardown removes exactly what the run's ledger says the run created, and
// nothing else: what others changed while the run was under way is reported
// and left alone; what the run deleted without having created it fails.
import { describe, expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { makeTestKey } from "../../mock/licensing/grants.ts";
import { takeInventory, teardown } from "../../src/harness/inventory.ts";
import { licensesMadeBy, type LedgerEntry } from "../../src/harness/ledger.ts";
import { HttpClient } from "../../src/harness/transport.ts";

const client = (mock: MockHandle) => new HttpClient({ baseUrl: mock.url, username: mock.options.username, password: mock.options.password, insecure: false, timeoutMs: 10_000, concurrency: 2, retries: { max: 0, maxDelayMs: 0 } });

/** Licenses and packages, read from the mock's own state (not through the API under test). */
function inventory(mock: MockHandle): { licenses: string[]; packages: string[] } {
  const s = mock.state().snapshot() as any;
  return { licenses: s.licenses.map((l: any) => `${l.package} ${l.serial_number} ${l.owner}`).sort(), packages: s.software.packages.map((p: any) => p.version).sort() };
}

async function withMock(fn: (mock: MockHandle, http: HttpClient) => Promise<void>): Promise<void> {
  const mock = await startMock({ scenario: "docs" });
  const http = client(mock);
  try {
    await fn(mock, http);
  } finally {
    await http.close();
    await mock.close();
  }
}

describe("teardown", () => {
  it("an install whose answer never came (the run interrupted mid-request) is removed; one answered as refused is not", () => withMock(async (mock, http) => {
    const before = await takeInventory(http);
    const st = mock.state();
    const [own, other] = st.cluster.nodes.map((n: any) => n.serial_number);
    // The run's request installed nfs on the target, but the run stopped before it read the answer.
    expect(st.licensing.install([makeTestKey(1, own)]).every((o: any) => !o.error)).toBe(true);
    // Someone else installed cifs meanwhile; the run had sent the same key, and the target refused it.
    expect(st.licensing.install([makeTestKey(2, other)]).every((o: any) => !o.error)).toBe(true);
    const ledger: LedgerEntry[] = [
      { kind: "license", package: "nfs", serial: own, check: "licenses.install.short-key-roundtrip", status: 0, request: "a" },
      { kind: "license", package: "cifs", serial: other, check: "licenses.install.short-key-roundtrip", status: 0, request: "b" },
      { kind: "answered", request: "b", status: 400 },
    ];
    expect(licensesMadeBy(ledger)).toEqual([{ package: "nfs", serial: own }]);
    const r = await teardown(http, before, ledger);
    expect(r.removed).toEqual([`license nfs ${own}`]);
    expect(r.changedByOthers).toContainEqual(expect.stringMatching(new RegExp(`^license cifs ${other} .*appeared during the run; the run did not install it, so it was left alone$`)));
  }));

  it("deletes what the run created and leaves what someone else changed during the run alone, saying so", () => withMock(async (mock, http) => {
    const before = await takeInventory(http);
    const st = mock.state();
    const [own, other] = st.cluster.nodes.map((n: any) => n.serial_number);
    // The run: a license its key stands for, and a package its download's Location named.
    expect(st.licensing.install([makeTestKey(1, own)]).every((o: any) => !o.error)).toBe(true);
    st.software.packages.push({ version: "9.99.1", create_time: "2026-06-01T12:00:00Z" });
    const ledger: LedgerEntry[] = [
      { kind: "license", package: "nfs", serial: own, check: "licenses.install.short-key-roundtrip", status: 201 },
      { kind: "created", operation: "software_package_create", href: "/api/cluster/software/packages/9.99.1", check: "packages.download.lifecycle", status: 202 },
    ];
    // Someone else, meanwhile: a license, a package (the operator's upgrade image), and a license removed.
    expect(st.licensing.install([makeTestKey(2, other)]).every((o: any) => !o.error)).toBe(true);
    st.software.packages.push({ version: "9.20.1", create_time: "2026-06-02T12:00:00Z" });
    const victim = st.licensing.snapshot()[0];
    expect(st.licensing.deleteWhere((l: any) => l.package === victim.package && l.serial_number === victim.serial_number)).toBeGreaterThan(0);
    const othersState = inventory(mock);

    const r = await teardown(http, before, ledger);

    expect(r.removed).toEqual([`license nfs ${own}`, "package 9.99.1"]);
    expect(r.remaining).toEqual([]);
    expect(r.changedByOthers).toHaveLength(3);
    expect(r.changedByOthers).toContainEqual(expect.stringMatching(new RegExp(`^license cifs ${other} .*appeared during the run; the run did not install it, so it was left alone$`)));
    expect(r.changedByOthers).toContain("package 9.20.1 appeared during the run; the run did not create it, so it was left alone");
    expect(r.changedByOthers).toContainEqual(expect.stringMatching(new RegExp(`^license ${victim.package} ${victim.serial_number} .*disappeared during the run; the run did not delete it$`)));
    // Only the run's own license and package are gone; the operator's changes stand.
    const now = inventory(mock);
    expect(now.packages).toEqual(othersState.packages.filter((v) => v !== "9.99.1"));
    expect(now.licenses).toEqual(othersState.licenses.filter((l) => !l.startsWith(`nfs ${own} `)));
  }));

  it("deletes nothing the ledger does not name, even what appeared (a non-disruptive run's ledger is empty)", () => withMock(async (mock, http) => {
    const before = await takeInventory(http);
    mock.state().software.packages.push({ version: "9.20.1", create_time: "2026-06-02T12:00:00Z" });
    const r = await teardown(http, before, []);
    expect(r.removed).toEqual([]);
    expect(r.remaining).toEqual([]);
    expect(r.changedByOthers).toEqual(["package 9.20.1 appeared during the run; the run did not create it, so it was left alone"]);
    expect(inventory(mock).packages).toContain("9.20.1");
  }));

  it("a package that appeared while a POST of the run had no answer is left alone and said to be possibly the run's; once answered, it is someone else's", () => withMock(async (mock, http) => {
    const before = await takeInventory(http);
    mock.state().software.packages.push({ version: "9.20.1", create_time: "2026-06-02T12:00:00Z" });
    const sent: LedgerEntry[] = [
      { kind: "sent", method: "POST", operation: "software_package_create", check: "packages.download.lifecycle", request: "d" },
      { kind: "sent", method: "DELETE", operation: "license_delete", check: "licenses.delete.missing", request: "x" },
    ];
    const r = await teardown(http, before, sent);
    expect(r.removed).toEqual([]);
    expect(r.changedByOthers).toEqual([]);
    expect(r.remaining).toEqual(["package 9.20.1 appeared during the run while the run's software_package_create (packages.download.lifecycle) had no answer (the run stopped, or the connection failed, first): it may be the run's, but the run cannot tell it from someone else's, so it was left alone; delete it if the run made it"]);
    expect(inventory(mock).packages).toContain("9.20.1");
    const answered = await teardown(http, before, [...sent, { kind: "answered", request: "d", status: 400 }]);
    expect(answered.remaining).toEqual([]);
    expect(answered.changedByOthers).toEqual(["package 9.20.1 appeared during the run; the run did not create it, so it was left alone"]);
  }));

  it("never deletes a license the run's key stands for when that license was there before the run", () => withMock(async (mock, http) => {
    const existing = mock.state().licensing.snapshot()[0];
    const before = await takeInventory(http);
    const r = await teardown(http, before, [{ kind: "license", package: existing.package, serial: existing.serial_number, check: "x", status: 409 }]);
    expect(r).toEqual({ removed: [], remaining: [], changedByOthers: [] });
    expect(inventory(mock).licenses).toContain(`${existing.package} ${existing.serial_number} ${existing.owner}`);
  }));

  it("fails the run for what it deleted without having created it", () => withMock(async (mock, http) => {
    const before = await takeInventory(http);
    const victim = mock.state().licensing.snapshot()[0];
    mock.state().licensing.deleteWhere((l: any) => l.package === victim.package && l.serial_number === victim.serial_number);
    const r = await teardown(http, before, [{ kind: "deleted", operation: "license_delete", path: `/api/cluster/licensing/licenses/${victim.package}?serial_number=${victim.serial_number}`, check: "x", status: 200 }]);
    expect(r.changedByOthers).toEqual([]);
    expect(r.remaining).toHaveLength(1);
    expect(r.remaining[0]).toMatch(new RegExp(`^license ${victim.package} ${victim.serial_number} .*was there before the run and is gone, after the run deleted licenses of ${victim.package}`));
  }));

  it("leaves a target that is as it was alone", () => withMock(async (_mock, http) => {
    expect(await teardown(http, await takeInventory(http), [])).toEqual({ removed: [], remaining: [], changedByOthers: [] });
  }));
});
