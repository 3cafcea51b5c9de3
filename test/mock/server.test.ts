// The reference mock as a server: HTTPS with a generated certificate (and a
// plain curl against it), the standalone command, scenarios, version
// projection, fault injection, latency and concurrent writes.
import { spawn, execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { request, Agent } from "undici";
import { makeTestKey } from "../../mock/licensing/grants.ts";
import { CATALOG } from "../../mock/scenarios/licensing-data.ts";
import { NODE_UPDATE_MS } from "../../mock/cluster-software/software.ts";
import { advance, codeOf, mockApi } from "../support/mock-client.ts";

const LIC = "/api/cluster/licensing/licenses";

describe("HTTPS and the standalone command", () => {
  it("serves HTTPS with a self-signed certificate that can be trusted with --ca", async () => {
    const api = await mockApi({ tls: true });
    try {
      expect(api.mock.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const strict = new Agent({ connect: { ca: api.mock.certificate } });
      const r = await request(`${api.mock.url}${LIC}`, { headers: { authorization: `Basic ${Buffer.from("admin:netapp123").toString("base64")}` }, dispatcher: strict });
      expect(r.statusCode).toBe(200);
      await r.body.dump();
      await strict.close();
    } finally {
      await api.close();
    }
  });

  it("`mock --tls` prints its URL, and curl -k -u admin:netapp123 gets the docs' licenses", async () => {
    const bin = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
    const child = spawn(process.execPath, [bin, "mock", "--tls", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
          const m = /listening on (https:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`mock exited ${code}`)));
      });
      const text = execFileSync("curl", ["-sk", "-u", "admin:netapp123", `${url}/api/cluster/licensing/licenses?fields=*`], { encoding: "utf8" });
      const body = JSON.parse(text);
      const fabricpool = body.records.find((r: any) => r.name === "fabricpool");
      // The docs' first example, modulo quirks (the docs show licenses[].state; the schema has compliance.state).
      expect(fabricpool).toMatchObject({ name: "fabricpool", scope: "cluster", state: "compliant", description: "FabricPool License" });
      expect(fabricpool.licenses[0]).toMatchObject({ owner: "testcluster-1", serial_number: "4149027342", compliance: { state: "compliant" }, capacity: { maximum_size: 1099511627776, used_size: 0, measurement_unit: "bytes" } });
      const cloud = body.records.find((r: any) => r.name === "cloud");
      expect(cloud).toMatchObject({ scope: "node", state: "noncompliant", licenses: [{ evaluation: true, expiry_time: "2021-10-26T19:57:41Z", shutdown_imminent: true }] });
      expect(body.records.filter((r: any) => r.licenses?.[0]?.installed_license === "Core Bundle").map((r: any) => r.name)).toEqual(["iscsi", "fcp", "snaprestore", "flexclone", "nvme_of", "s3"]);
    } finally {
      child.kill("SIGINT");
    }
  });
});

describe("scenarios", () => {
  it("empty, upgrade-in-progress, metrocluster and large", async () => {
    const empty = await mockApi({ scenario: "empty" });
    expect((await empty.get(LIC)).body.num_records).toBe(0);
    expect((await empty.get("/api/cluster/software/packages")).body.num_records).toBe(1);
    await empty.close();

    const upg = await mockApi({ scenario: "upgrade-in-progress", clockSpeed: 1 });
    expect((await upg.get("/api/cluster/software", { fields: "state,pending_version" })).body).toMatchObject({ state: "in_progress", pending_version: "9.19.1" });
    advance(upg, 2 * NODE_UPDATE_MS);
    expect((await upg.get("/api/cluster/software", { fields: "state" })).body.state).toBe("completed");
    await upg.close();

    const mcc = await mockApi({ scenario: "metrocluster" });
    const m = (await mcc.get("/api/cluster/software", { fields: "metrocluster" })).body.metrocluster;
    expect(m.clusters).toHaveLength(2);
    expect(m.progress_summary.message).toBeDefined();
    await mcc.close();

    const large = await mockApi({ scenario: "large", records: 3000 });
    expect((await large.get(LIC, { return_records: "false" })).body.num_records).toBeGreaterThanOrEqual(3000);
    expect((await large.get("/api/cluster/software/history", { return_records: "false" })).body.num_records).toBe(3000);
    const page = await large.get("/api/cluster/software/packages", { max_records: "1000" });
    expect(page.body.records).toHaveLength(1000);
    expect(page.body._links.next).toBeDefined();
    await large.close();
  });
});

describe("ONTAP versions", () => {
  it("serves each version's field names: autoupdte before 9.16.1, update_states before 9.11, no measurement_unit before 9.18", async () => {
    const old = await mockApi({ ontapVersion: "9.10.1" });
    try {
      const sw = (await old.get("/api/cluster/software", { fields: "**" })).body;
      expect(sw.nodes[0].firmware.sp_bmc).toHaveProperty("autoupdte");
      expect(sw.nodes[0].firmware.sp_bmc).not.toHaveProperty("autoupdate");
      expect(sw.nodes[0].firmware.cluster_fw_progress[0]).toHaveProperty("update_states");
      expect(sw.nodes[0].firmware).not.toHaveProperty("system_firmware");
      expect(sw.nodes[0]).not.toHaveProperty("model");
      const fp = (await old.get(`${LIC}/fabricpool`)).body;
      expect(fp.licenses[0].capacity).not.toHaveProperty("measurement_unit");
      expect(codeOf(await old.get(LIC, { "licenses.capacity.measurement_unit": "bytes" }))).toBe("262179");
      expect((await old.get("/api/cluster", { fields: "version" })).body.version).toMatchObject({ generation: 9, major: 10, minor: 1 });
    } finally {
      await old.close();
    }
    const v12 = await mockApi({ ontapVersion: "9.12.1" });
    try {
      const fw = (await v12.get("/api/cluster/software", { fields: "**" })).body.nodes[0].firmware;
      expect(fw.sp_bmc).toHaveProperty("autoupdte");
      expect(fw.cluster_fw_progress[0]).toHaveProperty("update_state");
    } finally {
      await v12.close();
    }
  });
});

describe("fault injection, latency, concurrency", () => {
  it("the control API provokes any code (internal ones included) once, and steps the clock", async () => {
    const api = await mockApi();
    const admin = { authorization: `Basic ${Buffer.from("admin:netapp123").toString("base64")}` };
    try {
      const armed = await request(`${api.mock.url}/__mock/faults`, { method: "POST", headers: { ...admin, "content-type": "application/json" }, body: JSON.stringify({ operation: "software_get", code: 1048576, httpStatus: 500, message: "Error initialising software image info." }) });
      expect(armed.statusCode).toBe(201);
      await armed.body.dump();
      const hit = await api.get("/api/cluster/software");
      expect(hit.status).toBe(500);
      expect(codeOf(hit)).toBe("1048576");
      expect((await api.get("/api/cluster/software")).status).toBe(200);
      const denied = await request(`${api.mock.url}/__mock/reset`, { method: "POST" });
      expect(denied.statusCode).toBe(401);
      await denied.body.dump();
    } finally {
      await api.close();
    }
  });

  it("--latency delays every answer", async () => {
    const api = await mockApi({ latencyMs: 60 });
    try {
      const t = Date.now();
      await api.get(LIC);
      expect(Date.now() - t).toBeGreaterThanOrEqual(55);
    } finally {
      await api.close();
    }
  });

  it("100 parallel installs and deletes are all answered and end consistent", async () => {
    const api = await mockApi();
    try {
      const serials = ["4149027492", "4149027493"];
      const keys = CATALOG.slice(0, 20).flatMap((c, i) => serials.map((s) => makeTestKey(i, s)));
      const results = await Promise.all([
        ...keys.map((k) => api.call("POST", LIC, { body: { keys: [k] } })),
        ...keys.map((k) => api.call("POST", LIC, { body: { keys: [k] } })),
        ...CATALOG.slice(0, 20).map((c) => api.call("DELETE", `${LIC}/${c.name}`, { query: { serial_number: "4149027492" } })),
      ]);
      expect(results).toHaveLength(100);
      expect(results.every((r) => r.status < 500)).toBe(true);
      // Every license is present at most once, whatever the interleaving.
      const snap = api.mock.state().licensing.snapshot();
      const ids = snap.map((l) => `${l.package}|${l.serial_number}|${l.owner}`);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await api.close();
    }
  });

  it("100 parallel installs, deletes, package deletes and upgrades are all answered and end consistent", async () => {
    // Virtual time at wall speed: no job finishes while the 100 requests are
    // in flight, so every interleaving of requests with pending jobs is real.
    const api = await mockApi({ clockSpeed: 1 });
    try {
      const SW = "/api/cluster/software";
      const target = "9.19.1";
      const serials = ["4149027492", "4149027493"];
      const keys = CATALOG.slice(0, 10).flatMap((_c, i) => serials.map((s) => makeTestKey(i, s)));
      const upgrade = () => api.call("PATCH", SW, { query: { skip_warnings: "true" }, body: { version: target } });
      const requests = [
        ...keys.map((k) => api.call("POST", LIC, { body: { keys: [k] } })), // 20
        ...keys.map((k) => api.call("POST", LIC, { body: { keys: [k] } })), // 20 duplicates
        ...CATALOG.slice(0, 10).map((c) => api.call("DELETE", `${LIC}/${c.name}`, { query: { serial_number: "4149027492" } })), // 10
        // Package deletes race the upgrade to one of them: 10.
        ...["9.5.0", "9.7.0", target, "9.18.1", "0.0.1"].flatMap((v) => [v, v].map((x) => api.call("DELETE", `${SW}/packages/${x}`))),
        ...Array.from({ length: 20 }, upgrade), // 20 upgrades: at most one starts
        ...Array.from({ length: 10 }, () => api.call("PATCH", SW, { query: { validate_only: "true" }, body: { version: target } })), // 10
        ...Array.from({ length: 10 }, () => api.call("PATCH", SW, { query: { action: "pause" } })), // 10
      ];
      const results = await Promise.all(requests);
      expect(results).toHaveLength(100);
      expect(results.filter((r) => r.status >= 500)).toEqual([]);
      expect(results.every((r) => r.status >= 200 && (r.status < 300 || codeOf(r) !== undefined))).toBe(true);
      const deletes = results.slice(50, 60);
      const upgrades = results.slice(60, 80);
      const pauses = results.slice(90);
      expect(upgrades.filter((r) => r.status === 202).length).toBeLessThanOrEqual(1);
      expect(upgrades.filter((r) => r.status !== 202).map(codeOf).every((c) => c === "10551357" || c === "10551325")).toBe(true);
      expect(pauses.filter((r) => r.status === 202).length).toBeLessThanOrEqual(1);
      // Deletes of packages the repository holds start jobs (the running release's too: no rule refuses it);
      // a version the repository never held is not found.
      expect(deletes.slice(0, 8).map((r) => r.status)).toEqual(Array(8).fill(202));
      expect(deletes.slice(8).map(codeOf)).toEqual(["10551325", "10551325"]);

      advance(api, 10 * NODE_UPDATE_MS);
      const snap = api.mock.state().snapshot() as any;
      const ids = snap.licenses.map((l: any) => `${l.package}|${l.serial_number}|${l.owner}`);
      expect(new Set(ids).size).toBe(ids.length);
      const versions = snap.software.packages.map((p: any) => p.version);
      expect(new Set(versions).size).toBe(versions.length);
      for (const v of ["9.5.0", "9.7.0", target, "9.18.1"]) expect(versions).not.toContain(v);
      const started = upgrades.some((r) => r.status === 202);
      const paused = pauses.some((r) => r.status === 202);
      if (started) {
        // An update that started before its package's delete job ended goes on (no source says otherwise).
        expect(snap.software.upgrade.state).toBe(paused ? "paused_by_user" : "completed");
        expect(snap.software.nodes.map((n: [string, string]) => n[1])).toEqual(paused ? [target, "9.18.1"] : [target, target]);
      } else {
        expect(snap.software.nodes.map((n: [string, string]) => n[1])).toEqual(["9.18.1", "9.18.1"]);
      }
      // Every job ended, none half-done.
      expect(snap.jobs.every((j: any) => j.state === "success" || j.state === "failure")).toBe(true);
    } finally {
      await api.close();
    }
  });
});
