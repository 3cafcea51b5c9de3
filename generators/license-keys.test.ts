// The generator's keys against the worked example of spec/test-keys.md.
import { describe, expect, it } from "vitest";
import { checksum, licensesOfKey, nlfKey, shortKey, signature } from "./license-keys.ts";

describe("test-key generator (spec/test-keys.md)", () => {
  it("builds the documented example: snaplock on node 4149027492", () => {
    const key = shortKey("snaplock", "4149027492");
    expect(key).toHaveLength(28);
    expect(key.startsWith("ONTCAJZZZZZZEBEJACHEJC")).toBe(true);
    expect(key.slice(22)).toBe(checksum(key.slice(0, 22)));
    expect(key).toMatch(/^[A-Z]{28}$/);
  });

  it("signs NLF documents over canonical JSON (key order does not matter)", () => {
    const a = signature({ b: 1, a: { d: 2, c: 3 } });
    const b = signature({ a: { c: 3, d: 2 }, b: 1 });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    const doc = JSON.parse(nlfKey({ version: "2", serialNumber: "1", packages: ["nfs", "cifs"], scope: "cluster" }));
    expect(doc.statusResp.licenses.package).toEqual(["nfs", "cifs"]);
    expect(doc.Signature).toBe(signature(doc.statusResp));
  });

  it("reads back what a key stands for (the run's ledger), and nothing from keys the scheme cannot read", () => {
    expect(licensesOfKey(shortKey("snaplock", "4149027492"))).toEqual([{ package: "snaplock", serial: "4149027492" }]);
    expect(licensesOfKey(shortKey("base", "0"))).toEqual([{ package: "base", serial: "0" }]);
    expect(licensesOfKey(nlfKey({ version: "2", serialNumber: "7", packages: ["nfs", "cifs"], scope: "node" }))).toEqual([{ package: "nfs", serial: "7" }, { package: "cifs", serial: "7" }]);
    const good = shortKey("nfs", "12");
    expect(licensesOfKey(`${good.slice(0, 27)}${good[27] === "A" ? "B" : "A"}`)).toEqual([]);
    expect(licensesOfKey("AMEPOSOIKLKGEEDGNDEKSJDEEE")).toEqual([]);
    expect(licensesOfKey("not a key")).toEqual([]);
  });
});
