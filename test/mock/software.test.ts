// Software and jobs in the reference mock, through HTTP: validation,
// estimates, the upgrade state machine, download, upload, package delete,
// history, return_timeout, and every documented code they raise.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NODE_UPDATE_MS } from "../../mock/cluster-software/software.ts";
import { advance, codeOf, mockApi, type Api } from "../support/mock-client.ts";

const SW = "/api/cluster/software";
let api: Api;
beforeEach(async () => { api = await mockApi({ clockSpeed: 1 }); });
afterEach(async () => { await api.close(); });

const patch = (query: Record<string, string>, body: unknown = {}) => api.call("PATCH", SW, { query, body });
const profile = async () => (await api.get(SW, { fields: "*" })).body;
const job = async (uuid: string) => (await api.get(`/api/cluster/jobs/${uuid}`, { fields: "*" })).body;
const TARGET = "9.19.1";

describe("PATCH /cluster/software", () => {
  it("validate_only fills validation_results and changes nothing else", async () => {
    const before = await profile();
    const r = await patch({ validate_only: "true" }, { version: TARGET });
    expect(r.status).toBe(202);
    expect(r.body.job._links.self.href).toBe(`/api/cluster/jobs/${r.body.job.uuid}`);
    advance(api, 5_000);
    expect((await job(r.body.job.uuid)).state).toBe("success");
    const after = await profile();
    expect(after.validation_results[0]).toMatchObject({ update_check: "nfs_mounts", status: "warning" });
    expect({ v: after.version, s: after.state, n: after.nodes.map((n: any) => n.version) }).toEqual({ v: before.version, s: before.state, n: before.nodes.map((n: any) => n.version) });
  });

  it("estimate_only estimates and starts nothing", async () => {
    const r = await patch({ estimate_only: "true" }, { version: TARGET });
    advance(api, 5_000);
    expect((await job(r.body.job.uuid)).state).toBe("success");
    const p = await profile();
    expect(p.estimated_duration).toBeGreaterThan(0);
    expect(p.state).toBeUndefined();
  });

  it("rejects missing version (10551872), missing package (10551325), warnings (10551395), bad ranges, not-HA node lists (10551368)", async () => {
    expect(codeOf(await patch({}, {}))).toBe("10551872");
    expect(codeOf(await patch({ skip_warnings: "true" }, { version: "9.99.1" }))).toBe("10551325");
    expect(codeOf(await patch({}, { version: TARGET }))).toBe("10551395");
    expect(codeOf(await patch({ stabilize_minutes: "0" }, { version: TARGET }))).toBe("262185");
    expect(codeOf(await patch({ stabilize_minutes: "61" }, { version: TARGET }))).toBe("262185");
    expect(codeOf(await patch({ skip_warnings: "true", nodes_to_update: "node1" }, { version: TARGET }))).toBe("10551368");
    expect(codeOf(await patch({ skip_warnings: "true", nodes_to_update: "" }, { version: TARGET }))).toBe("10551368");
    expect(codeOf(await patch({ action: "stop" }))).toBe("262185");
    expect(codeOf(await patch({ skip_warnings: "true" }, { version: "9.18.1" }))).toBe("10551897");
    expect((await profile()).state).toBeUndefined();
  });

  it("actions outside their states: pause 10551300, resume 10551303, cancel 10551297 / 10551524", async () => {
    expect(codeOf(await patch({ action: "pause" }))).toBe("10551300");
    expect(codeOf(await patch({ action: "resume" }))).toBe("10551303");
    expect(codeOf(await patch({ action: "cancel" }))).toBe("10551297");
    await patch({ skip_warnings: "true" }, { version: TARGET });
    expect(codeOf(await patch({ action: "cancel" }))).toBe("10551524");
    expect(codeOf(await patch({ skip_warnings: "true" }, { version: TARGET }))).toBe("10551357");
  });

  it("a full upgrade walks in_progress → completed, updates node versions and writes history", async () => {
    const historyBefore = (await api.get(`${SW}/history`)).body.num_records;
    await patch({ skip_warnings: "true", stabilize_minutes: "10" }, { version: TARGET });
    let p = await profile();
    expect(p).toMatchObject({ state: "in_progress", pending_version: TARGET });
    expect(p.update_details).toHaveLength(2);
    advance(api, NODE_UPDATE_MS);
    p = await profile();
    expect(p.nodes.map((n: any) => n.version)).toEqual([TARGET, "9.18.1"]);
    expect(p.version).toBe("9.18.1");
    advance(api, NODE_UPDATE_MS);
    p = await profile();
    expect(p.state).toBe("completed");
    expect(p.version).toBe(TARGET);
    expect(p.pending_version).toBeUndefined();
    const history = await api.get(`${SW}/history`, { fields: "*", to_version: TARGET });
    expect(history.body.num_records).toBe(2);
    expect(history.body.records[0]).toMatchObject({ from_version: "9.18.1", to_version: TARGET, state: "successful" });
    expect((await api.get(`${SW}/history`)).body.num_records).toBe(historyBefore + 2);
  });

  it("pause → pause_pending → paused_by_user → resume → completed; cancel from paused → canceled", async () => {
    await patch({ skip_warnings: "true" }, { version: TARGET });
    await patch({ action: "pause" });
    expect((await profile()).state).toBe("pause_pending");
    advance(api, NODE_UPDATE_MS);
    expect((await profile()).state).toBe("paused_by_user");
    await patch({ action: "resume" });
    expect((await profile()).state).toBe("in_progress");
    advance(api, NODE_UPDATE_MS);
    expect((await profile()).state).toBe("completed");

    const other = await mockApi({ clockSpeed: 1 });
    try {
      await other.call("PATCH", SW, { query: { skip_warnings: "true", pause_after: "all" }, body: { version: TARGET } });
      advance(other, NODE_UPDATE_MS);
      expect((await other.get(SW, { fields: "state" })).body.state).toBe("paused_by_user");
      await other.call("PATCH", SW, { query: { action: "cancel" }, body: {} });
      expect((await other.get(SW, { fields: "state" })).body.state).toBe("cancel_pending");
      advance(other, 120_000);
      expect((await other.get(SW, { fields: "state" })).body.state).toBe("canceled");
      const h = await other.get(`${SW}/history`, { fields: "*", state: "canceled" });
      expect(h.body.num_records).toBe(1);
    } finally {
      await other.close();
    }
  });

  it("a node that fails pauses the update on error; resume continues", async () => {
    await patch({ skip_warnings: "true" }, { version: TARGET });
    api.mock.state().software.failNextNodeUpdate();
    advance(api, NODE_UPDATE_MS);
    expect((await profile()).state).toBe("paused_on_error");
    await patch({ action: "resume" });
    advance(api, 2 * NODE_UPDATE_MS);
    expect((await profile()).state).toBe("completed");
  });

  it("return_timeout > 0 waits for the job and answers 200 with the final state", async () => {
    const fast = await mockApi();
    try {
      // No return_records: NetApp's definitions declare it on this PATCH in 9.7 and 9.9 only
      // (spec/sources/netapp-definitions.json); the final state is read back instead.
      const r = await fast.call("PATCH", SW, { query: { validate_only: "true", return_timeout: "30" }, body: { version: TARGET } });
      expect(r.status).toBe(200);
      expect(r.body.job.uuid).toBeDefined();
      expect((await fast.get(SW, { fields: "validation_results" })).body.validation_results.length).toBeGreaterThan(0);
    } finally {
      await fast.close();
    }
  });
});

describe("download, upload, packages", () => {
  it("download: a job, not_started → running → success, then the package is listed", async () => {
    expect((await api.get(`${SW}/download`)).body.state).toBe("not_started");
    const r = await api.call("POST", `${SW}/download`, { body: { url: "http://server/9.20.1_image.tgz", username: "u", password: "secret-pw" } });
    expect(r.status).toBe(202);
    expect(r.headers.location).toBe(`${SW}/packages/9.20.1`);
    expect((await api.get(`${SW}/download`)).body.state).toBe("running");
    expect((await api.get(`${SW}/packages/9.20.1`)).status).toBe(404);
    advance(api, 60_000);
    expect((await api.get(`${SW}/download`)).body).toMatchObject({ state: "success", code: 0 });
    expect((await api.get(`${SW}/packages/9.20.1`)).status).toBe(200);
    expect(JSON.stringify(api.mock.state().snapshot())).not.toContain("secret-pw");
    expect(codeOf(await api.call("POST", `${SW}/download`, { body: { url: "http://server/9.20.1_image.tgz" } }))).toBe("10551327");
  });

  it("download: bad URL syntax 39387137, unsupported scheme 39387138, a failing download ends in failure", async () => {
    expect(codeOf(await api.call("POST", `${SW}/download`, { body: { url: "not a url" } }))).toBe("39387137");
    expect(codeOf(await api.call("POST", `${SW}/download`, { body: { url: "gopher://server/x.tgz" } }))).toBe("39387138");
    expect(codeOf(await api.call("POST", `${SW}/download`, { body: {} }))).toBe("262212");
    const r = await api.call("POST", `${SW}/download`, { body: { url: "ftp://server/fail_9.21.1.tgz" } });
    advance(api, 60_000);
    expect((await job(r.body.job.uuid))).toMatchObject({ state: "failure", code: 10551381 });
    expect((await api.get(`${SW}/download`)).body.state).toBe("failure");
  });

  it("upload: exactly one multipart part named file; else 10551807 / 10551808", async () => {
    const form = (parts: Array<[string, string]>) => {
      const boundary = "----ontapconformance";
      const body = parts.map(([name, filename]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\nPKG\r\n`).join("") + `--${boundary}--\r\n`;
      return { raw: body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
    };
    const ok = await api.call("POST", `${SW}/upload`, form([["file", "9.22.1_image.tgz"]]));
    expect(ok.status).toBe(202);
    advance(api, 60_000);
    expect((await api.get(`${SW}/packages/9.22.1`)).status).toBe(200);
    expect(codeOf(await api.call("POST", `${SW}/upload`, form([["file", "a_9.23.1.tgz"], ["file", "b_9.24.1.tgz"]])))).toBe("10551807");
    expect(codeOf(await api.call("POST", `${SW}/upload`, form([])))).toBe("10551807");
    expect(codeOf(await api.call("POST", `${SW}/upload`, form([["image", "9.25.1.tgz"]])))).toBe("262179");
    expect(codeOf(await api.call("POST", `${SW}/upload`, { body: { file: "x" } }))).toBe("10551808");
  });

  it("package delete: a job; missing 10551325; the running release's package is deleted like any other", async () => {
    const r = await api.call("DELETE", `${SW}/packages/9.5.0`);
    expect(r.status).toBe(202);
    advance(api, 10_000);
    expect((await job(r.body.job.uuid))).toMatchObject({ state: "success", description: "DELETE /api/cluster/software/packages/9.5.0" });
    expect((await api.get(`${SW}/packages/9.5.0`)).status).toBe(404);
    expect(codeOf(await api.call("DELETE", `${SW}/packages/9.5.0`))).toBe("10551325");
    // No NetApp source refuses it, and na_ontap_software_update deletes the
    // package it has just installed (ref §8.1): no "in use" 409.
    const running = await api.call("DELETE", `${SW}/packages/9.18.1`, { query: { return_timeout: "30" } });
    expect(running.status).toBe(200);
    expect((await job(running.body.job.uuid)).state).toBe("success");
    expect((await api.get(`${SW}/packages/9.18.1`)).status).toBe(404);
  });
});

describe("jobs", () => {
  it("a job moves queued → running → success with description, integer code, times and self link", async () => {
    const r = await patch({ validate_only: "true" }, { version: TARGET });
    const uuid = r.body.job.uuid;
    expect((await job(uuid)).state).toBe("queued");
    advance(api, 600);
    expect((await job(uuid)).state).toBe("running");
    advance(api, 5_000);
    const done = await job(uuid);
    expect(done).toMatchObject({ uuid, description: "PATCH /api/cluster/software", state: "success", code: 0, _links: { self: { href: `/api/cluster/jobs/${uuid}` } } });
    expect(done.end_time).toBeDefined();
  });
});
