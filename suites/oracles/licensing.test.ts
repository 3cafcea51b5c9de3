import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkDefaultListingHidesUnlicensed, checkPackageState, expectedPackageState, type ClusterNode } from "./licensing.ts";

const NOW = new Date("2024-06-01T00:00:00Z");
const NODES: ClusterNode[] = [{ name: "n1" }, { name: "n2" }];

const lic = (extra: Record<string, unknown>) => ({ serial_number: "S", active: true, evaluation: false, compliance: { state: "compliant" }, ...extra });

describe("expectedPackageState / checkPackageState", () => {
  it("the docs' fabricpool example (cluster scope, capacity within limits) is compliant", () => {
    const pkg = { name: "fabricpool", scope: "cluster", state: "compliant", licenses: [{ owner: "testcluster-1", serial_number: "4149027342", state: "compliant", capacity: { maximum_size: 1099511627776, used_size: 0, measurement_unit: "bytes" } }] };
    expect(expectedPackageState(pkg, [], NOW).derived).toBe("compliant");
    expect(checkPackageState(pkg, [], NOW)).toEqual([]);
  });

  it("the docs' cloud example (expired evaluation license) is noncompliant, and compliant would be a violation", () => {
    const pkg = { name: "cloud", scope: "node", state: "noncompliant", licenses: [{ owner: "test-vsim1", serial_number: "90120130000000000001", active: false, evaluation: true, expiry_time: "2021-10-26T19:57:41Z", shutdown_imminent: true, compliance: { state: "noncompliant" } }] };
    expect(checkPackageState(pkg, [{ name: "test-vsim1" }], NOW)).toEqual([]);
    const v = checkPackageState({ ...pkg, state: "compliant" }, [{ name: "test-vsim1" }], NOW);
    expect(v).toHaveLength(1);
    expect(v[0].rule).toBe("license-package-state");
    expect(v[0].message).toContain("package cloud is compliant although license 90120130000000000001 expired at 2021-10-26T19:57:41Z");
    expect(v[0].expected).toBe("noncompliant");
  });

  it("the docs' NLFv2 example (a node slot in state unlicensed) is noncompliant", () => {
    const pkg = { name: "nfs", scope: "node", state: "noncompliant", licenses: [{ owner: "test-vsim3", active: false, evaluation: false, compliance: { state: "unlicensed" } }, { owner: "test-vsim4", installed_license: "Core Bundle", serial_number: "4212426890", active: true, compliance: { state: "compliant" } }] };
    expect(checkPackageState(pkg, [], NOW)).toEqual([]);
    expect(checkPackageState({ ...pkg, state: "compliant" }, [], NOW)[0].rule).toBe("license-package-state");
    expect(checkPackageState({ ...pkg, state: "unlicensed" }, [], NOW)[0].rule).toBe("license-package-state"); // it has an active license
  });

  it("no licenses: unlicensed; any other state is a violation", () => {
    expect(checkPackageState({ name: "flexcache", state: "unlicensed", licenses: [] }, NODES, NOW)).toEqual([]);
    expect(checkPackageState({ name: "flexcache", state: "compliant", licenses: [] }, NODES, NOW)[0].rule).toBe("license-package-state");
    expect(checkPackageState({ name: "flexcache", state: "noncompliant", licenses: [] }, NODES, NOW)[0].rule).toBe("license-package-state");
    expect(checkPackageState({ name: "flexcache", state: "unknown" }, NODES, NOW, { allFields: true })[0].rule).toBe("license-package-state"); // read with fields=*: none
    expect(checkPackageState({ name: "flexcache", state: "unlicensed" }, NODES, NOW)).toEqual([]); // licenses not served
    expect(checkPackageState({ name: "flexcache", state: "compliant" }, NODES, NOW)[0].rule).toBe("ambiguous");
    expect(checkPackageState({ name: "flexcache" }, NODES, NOW)).toEqual([]); // no state served: nothing to judge
  });

  it("unlicensed while a license is active is a violation", () => {
    const v = checkPackageState({ name: "cifs", scope: "cluster", state: "unlicensed", licenses: [lic({})] }, NODES, NOW);
    expect(v[0].rule).toBe("license-package-state");
    expect(v[0].message).toContain("license S is active");
  });

  it("over capacity is noncompliant", () => {
    const pkg = { name: "fabricpool", scope: "cluster", state: "compliant", licenses: [lic({ capacity: { maximum_size: 10, used_size: 11 } })] };
    expect(checkPackageState(pkg, NODES, NOW)[0].message).toContain("uses 11 of a maximum 10");
    expect(checkPackageState({ ...pkg, state: "noncompliant" }, NODES, NOW)).toEqual([]);
  });

  it("node scope needs a valid license per node", () => {
    const one = { name: "nfs", scope: "node", state: "compliant", licenses: [lic({ owner: "n1" })] };
    expect(checkPackageState(one, NODES, NOW)[0].message).toContain("no valid license for node(s) n2");
    const both = { ...one, licenses: [lic({ owner: "n1", serial_number: "A" }), lic({ owner: "n2", serial_number: "B" })] };
    expect(checkPackageState(both, NODES, NOW)).toEqual([]);
    expect(checkPackageState({ ...both, state: "noncompliant" }, NODES, NOW)[0].rule).toBe("license-package-state"); // everything is explicitly compliant
    // Owners that are not node names: fewer licenses than nodes is only suspicious.
    const byCluster = { ...one, licenses: [lic({ owner: "testcluster-1" })] };
    expect(checkPackageState(byCluster, NODES, NOW)[0].rule).toBe("ambiguous");
  });

  it("node scope judged without the nodes: noncompliant is as consistent as compliant (a node may hold no license)", () => {
    // An operator installs a node-locked license on one node of two while a run reads the listing: noncompliant, legally.
    const one = { name: "flexcache", scope: "node", state: "noncompliant", licenses: [lic({ owner: "n1" })] };
    expect(checkPackageState(one, [], NOW)).toEqual([]);
    expect(checkPackageState({ ...one, state: "compliant" }, [], NOW)).toEqual([]);
    expect(checkPackageState({ ...one, state: "unlicensed" }, [], NOW)[0].rule).toBe("license-package-state");
    // Cluster scope: the nodes change nothing, so a compliant licence still rules noncompliant out.
    expect(checkPackageState({ ...one, scope: "cluster" }, [], NOW)[0].rule).toBe("license-package-state");
  });

  it("an expired license next to a valid newer one is not a certain contradiction", () => {
    const pkg = { name: "cifs", scope: "cluster", state: "compliant", licenses: [lic({ serial_number: "old", active: false, expiry_time: "2020-01-01T00:00:00Z", compliance: { state: "noncompliant" } }), lic({ serial_number: "new" })] };
    expect(checkPackageState(pkg, NODES, NOW).map((v) => v.rule)).toEqual(["ambiguous"]);
    expect(checkPackageState({ ...pkg, state: "noncompliant" }, NODES, NOW)).toEqual([]);
  });

  it("a license expiring within the clock tolerance decides nothing", () => {
    const pkg = { name: "cifs", scope: "cluster", state: "compliant", licenses: [lic({ expiry_time: "2024-05-31T23:58:00Z" })] };
    expect(checkPackageState(pkg, NODES, NOW)).toEqual([]);
    expect(checkPackageState({ ...pkg, state: "noncompliant" }, NODES, NOW).map((v) => v.rule)).toEqual(["ambiguous"]);
    expect(checkPackageState(pkg, NODES, NOW, { clockSkewMs: 0 })[0].rule).toBe("license-package-state");
  });

  it("unknown: licenses of unreachable nodes; unknown vs noncompliant precedence is never a failure", () => {
    const pkg = { name: "nfs", scope: "node", state: "unknown", licenses: [lic({ owner: "n1", serial_number: "A" }), lic({ owner: "n2", serial_number: "B", compliance: { state: "unknown" } })] };
    const offline = [{ name: "n1" }, { name: "n2", online: false }];
    expect(expectedPackageState(pkg, offline, NOW).derived).toBe("unknown");
    expect(checkPackageState(pkg, offline, NOW)).toEqual([]);
    expect(checkPackageState({ ...pkg, state: "compliant" }, offline, NOW).map((v) => v.rule)).toEqual(["ambiguous"]); // "might indicate"
    const mixed = { ...pkg, licenses: [lic({ owner: "n1", serial_number: "A", expiry_time: "2020-01-01T00:00:00Z" }), lic({ owner: "n2", serial_number: "B", compliance: { state: "unknown" } })] };
    expect(checkPackageState({ ...mixed, state: "unknown" }, offline, NOW).map((v) => v.rule)).toEqual(["ambiguous"]);
    expect(checkPackageState({ ...mixed, state: "noncompliant" }, offline, NOW)).toEqual([]);
    expect(checkPackageState({ ...mixed, state: "compliant" }, offline, NOW)[0].rule).toBe("license-package-state");
  });

  it("a state outside the enum is a violation", () => {
    expect(checkPackageState({ name: "x", state: "expired", licenses: [] }, NODES, NOW)[0].message).toContain('has state "expired"');
  });

  it("property: a package whose licenses are all valid for every node is never flagged when compliant, and always flagged when one is expired", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.constantFrom("node", "cluster", "site"), fc.nat(), (n, scope, pick) => {
        const nodes = Array.from({ length: n }, (_, i) => ({ name: `node-${i}` }));
        const licenses = nodes.map((node, i) => lic({ owner: node.name, serial_number: `S${i}`, expiry_time: "2099-01-01T00:00:00Z" }));
        const pkg = { name: "p", scope, state: "compliant", licenses };
        expect(checkPackageState(pkg, nodes, NOW)).toEqual([]);
        const single = scope === "node" ? licenses : [licenses[0]];
        const expired = single.map((l, i) => (i === pick % single.length ? { ...l, expiry_time: "2020-01-01T00:00:00Z", active: false, compliance: { state: "noncompliant" } } : l));
        expect(checkPackageState({ ...pkg, licenses: expired }, nodes, NOW).map((v) => v.rule)).toEqual(["license-package-state"]);
      }),
    );
  });
});

describe("checkDefaultListingHidesUnlicensed", () => {
  it("passes a listing of licensed packages", () => {
    expect(checkDefaultListingHidesUnlicensed([{ name: "nfs", state: "compliant" }, { name: "cloud", state: "noncompliant" }, { name: "x" }])).toEqual([]);
  });
  it("reports an unlicensed package, by state or by name", () => {
    const v = checkDefaultListingHidesUnlicensed([{ name: "nfs", state: "compliant" }, { name: "flexcache", state: "unlicensed" }]);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule: "license-default-hides-unlicensed", pointer: "/records/1/state" });
    expect(checkDefaultListingHidesUnlicensed([{ name: "flexcache" }], { unlicensed: ["flexcache"] })[0].message).toContain("which state=unlicensed reported as unlicensed");
  });
});
