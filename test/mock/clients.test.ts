// What NetApp's clients send and read (ontap-reference.md §8, §8.1), through
// HTTP against the reference mock: the framework's query parameters
// (spec x-ontap-framework-params), job links under plain JSON, and the reads
// GET /cluster/jobs and GET /cluster/nodes/{uuid}. Each of these failed
// before issue 18 was fixed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestKey } from "../../mock/licensing/grants.ts";
import { codeOf, mockApi, type Api } from "../support/mock-client.ts";

const LIC = "/api/cluster/licensing/licenses";
const SW = "/api/cluster/software";
const NODE1 = "1cd8a442-86d1-11e0-ae1c-123478563412";

let api: Api;
let old: Api;
beforeAll(async () => { [api, old] = await Promise.all([mockApi(), mockApi({ ontapVersion: "9.10.1" })]); });
afterAll(async () => { await Promise.all([api.close(), old.close()]); });

describe("framework parameters (x-ontap-framework-params)", () => {
  it("singleton GETs take what na_ontap_rest_info sends: max_records=1024&fields=, at 9.18.1 and 9.10.1", async () => {
    for (const a of [api, old]) {
      for (const path of ["/api/cluster", SW, `${SW}/download`]) {
        const r = await a.get(path, { max_records: "1024", fields: "" });
        expect(r.status, `${a.mock.options.ontapVersion} ${path}`).toBe(200);
      }
      expect((await a.get(SW, { order_by: "version", return_records: "true", return_timeout: "15" })).status).toBe(200);
      expect((await a.get(SW, { $orderBy: "version" })).status).toBe(200);
    }
  });

  it("license POST and DELETE take the return_timeout=30 every write of rest_generic carries", async () => {
    const key = makeTestKey(9, "4149027492"); // snaplock on node1
    const post = await api.call("POST", LIC, { query: { return_timeout: "30" }, body: { keys: [key] } });
    expect(post.status).toBe(201);
    const del = await api.call("DELETE", `${LIC}/snaplock`, { query: { serial_number: "4149027492", return_timeout: "30" } });
    expect(del.status).toBe(200);
    expect(codeOf(await api.call("DELETE", `${LIC}/snaplock`, { query: { serial_number: "4149027492", return_timeout: "30" } }))).toBe("4");
    // The framework's bounds still hold.
    expect(codeOf(await api.call("POST", LIC, { query: { return_timeout: "121" }, body: { keys: [key] } }))).toBe("262185");
  });

  it("ignore_unknown_fields=true drops unknown names from fields instead of failing the call (ref §5.2)", async () => {
    expect(codeOf(await api.get(LIC, { fields: "name,ontap_conformance_bogus" }))).toBe("262197");
    const r = await api.get(LIC, { fields: "name,ontap_conformance_bogus", ignore_unknown_fields: "true" });
    expect(r.status).toBe(200);
    expect(r.body.records.length).toBeGreaterThan(0);
    expect((await api.get(SW, { fields: "version,ontap_conformance_bogus", ignore_unknown_fields: "true" })).body.version).toBe("9.18.1");
  });

  it("a name the framework does not take on that kind of operation is still 262179", async () => {
    expect(codeOf(await api.get(SW, { ontap_conformance_unknown: "1" }))).toBe("262179");
    // max_records, order_by: collections and singletons only, not one record by its key.
    expect(codeOf(await api.get(`${SW}/packages/9.18.1`, { max_records: "1" }))).toBe("262179");
    expect(codeOf(await api.get("/api/cluster/jobs/f587d316-5feb-11e8-b0e0-005056956dfc", { order_by: "state" }))).toBe("262179");
    // fields: GETs only.
    expect(codeOf(await api.call("DELETE", `${LIC}/nfs`, { query: { serial_number: "x", fields: "name" } }))).toBe("262179");
  });
});

describe("links under Accept: application/json", () => {
  const plain = { accept: "application/json" };

  it("an asynchronous answer keeps job._links (and Location); records and the collection lose theirs", async () => {
    const r = await api.call("PATCH", SW, { query: { validate_only: "true" }, body: { version: "9.19.1" }, headers: plain });
    expect(r.status).toBe(202);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.body.job._links.self.href).toBe(`/api/cluster/jobs/${r.body.job.uuid}`);
    const boundary = "ontapclients";
    const upload = await api.call("POST", `${SW}/upload`, {
      headers: { ...plain, "content-type": `multipart/form-data; boundary=${boundary}` },
      raw: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="9.16.1_q_image.tgz"\r\n\r\nx\r\n--${boundary}--\r\n`,
    });
    expect(upload.status).toBe(202);
    expect(upload.body.job._links.self.href).toBe(`/api/cluster/jobs/${upload.body.job.uuid}`);
    expect(upload.headers.location).toBe(`${SW}/packages/9.16.1`);
    const list = await api.call("GET", `${SW}/packages`, { query: { fields: "*" }, headers: plain });
    expect(list.text).not.toContain("_links");
    const job = await api.call("GET", `/api/cluster/jobs/${r.body.job.uuid}`, { headers: plain });
    expect(job.body._links).toBeUndefined();
  });
});

describe("the reads of NetApp's Python library", () => {
  it("GET /cluster/jobs lists jobs with ONTAP's query language, fields, order_by and paging", async () => {
    const all = await api.get("/api/cluster/jobs", { fields: "*", state: "*" });
    expect(all.status).toBe(200);
    expect(all.body.num_records).toBeGreaterThanOrEqual(2);
    // The docs' example job (spec/sources/002) is there from the start.
    const docs = await api.get("/api/cluster/jobs", { uuid: "f587d316-5feb-11e8-b0e0-005056956dfc", fields: "description,state" });
    expect(docs.body.records).toEqual([{ uuid: "f587d316-5feb-11e8-b0e0-005056956dfc", description: "PATCH /api/cluster/software", state: "success", _links: { self: { href: "/api/cluster/jobs/f587d316-5feb-11e8-b0e0-005056956dfc" } } }]);
    expect((await api.get("/api/cluster/jobs", { state: "failure", fields: "code" })).body.records.map((j: any) => j.code)).toEqual([2228325]);
    const desc = await api.get("/api/cluster/jobs", { order_by: "uuid desc" });
    const uuids = desc.body.records.map((j: any) => j.uuid);
    expect(uuids).toEqual([...uuids].sort().reverse());
    const page = await api.get("/api/cluster/jobs", { max_records: "1" });
    expect(page.body.records).toHaveLength(1);
    expect(page.body._links.next.href).toContain("/api/cluster/jobs?");
    // error.* filters exist from 9.9, node.name from 9.11 (the bindings per release).
    expect((await old.get("/api/cluster/jobs", { "error.code": "2228325" })).body.num_records).toBe(1);
    expect(codeOf(await old.get("/api/cluster/jobs", { "node.name": "node1" }))).toBe("262179");
  });

  it("GET /cluster/nodes/{uuid} is the node of the listing; an unknown uuid is 404 code 4", async () => {
    const r = await api.get(`/api/cluster/nodes/${NODE1}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ uuid: NODE1, name: "node1", version: { generation: 9, major: 18, minor: 1 } });
    expect((await api.get(`/api/cluster/nodes/${NODE1}`, { fields: "version" })).body).toEqual({ uuid: NODE1, name: "node1", version: r.body.version, _links: { self: { href: `/api/cluster/nodes/${NODE1}` } } });
    const missing = await api.get("/api/cluster/nodes/00000000-0000-4000-8000-000000000000");
    expect([missing.status, codeOf(missing)]).toEqual([404, "4"]);
  });
});
