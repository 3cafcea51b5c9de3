// NetApp's own Ansible modules (collection netapp.ontap, from Debian's
// `ansible` package) against the reference mock over HTTPS, at the default
// release and at 9.10.1: the playbook test/clients/ansible/playbook.yml must
// pass every task and assert, na_ontap_rest_info's `gather_subset: all`
// included. A recording TLS proxy in front of each mock
// shows what NetApp's client sent and how the mock answered, so the test
// also proves the playbook met the rules it is there for (ref §8.1):
// max_records on singletons, return_timeout on license writes, job links
// under plain JSON, GET /cluster/jobs and /cluster/nodes/{uuid}, and the
// package clean-up after an update.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer, request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nlfKey, shortKey } from "../../generators/license-keys.ts";
import { matchOperation } from "../../src/contract/index.ts";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { selfSignedCertificate } from "../../mock/server/listen.ts";

const DIR = join(import.meta.dirname, "ansible");

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  accept: string;
  status: number;
}

/** An HTTPS proxy that records every exchange and forwards it to an HTTPS mock. */
async function recordingTlsProxy(target: string): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const tls = await selfSignedCertificate("127.0.0.1");
  const up = new URL(target);
  const seen: Seen[] = [];
  const server = createHttpsServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "https://proxy.invalid");
      const out = httpsRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers, rejectUnauthorized: false }, (answer) => {
        seen.push({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams, accept: String(req.headers.accept ?? ""), status: answer.statusCode ?? 0 });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on("error", (e) => { res.writeHead(502); res.end(String(e)); });
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function which(binary: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** "netapp.ontap 22.7.0, ansible-core 2.14.18": the NetApp client versions this run proved. */
function clientVersions(): string {
  const core = /core ([\d.]+)/.exec(spawnSync("ansible-playbook", ["--version"], { encoding: "utf8" }).stdout)?.[1] ?? "?";
  const listed = spawnSync("ansible-galaxy", ["collection", "list", "netapp.ontap", "--format", "json"], { encoding: "utf8" }).stdout;
  let ontap = "?";
  try {
    for (const place of Object.values<Record<string, { version: string }>>(JSON.parse(listed))) if (place["netapp.ontap"]) { ontap = place["netapp.ontap"].version; break; }
  } catch { /* reported as "?" */ }
  return `netapp.ontap ${ontap}, ansible-core ${core}`;
}

describe("NetApp's netapp.ontap modules against the reference mock", () => {
  it("the playbook's key and NLF files are the test keys of spec/test-keys.md", () => {
    expect(readFileSync(join(DIR, "files/snaplock-node1.key"), "utf8").trim()).toBe(shortKey("snaplock", "4149027492"));
    expect(readFileSync(join(DIR, "files/ansible-test-bundle.nlf"), "utf8").trim())
      .toBe(nlfKey({ version: "2", serialNumber: "4149027492", packages: ["snapmirror", "snapvault"], scope: "node", product: "Ansible Test Bundle" }));
  });

  let mocks: MockHandle[] = [];
  let proxies: Array<Awaited<ReturnType<typeof recordingTlsProxy>>> = [];
  beforeAll(async () => {
    // A fast virtual clock: an upgrade of two nodes (an hour of virtual time) ends in 10 ms, every job before the client's first poll.
    mocks = await Promise.all([startMock({ tls: true, clockSpeed: 360_000 }), startMock({ tls: true, clockSpeed: 360_000, ontapVersion: "9.10.1" })]);
    proxies = await Promise.all(mocks.map((m) => recordingTlsProxy(m.url)));
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await Promise.all(mocks.map((m) => m.close()));
  });

  it("every task and assert of the playbook passes at 9.18.1 and at 9.10.1", async (ctx) => {
    // Skipping is explicit and only for a machine without Ansible; .ci/run installs it.
    if (!which("ansible-playbook")) return ctx.skip("ansible-playbook is not installed: apt-get install -y ansible python3-requests python3-deepdiff (.ci/run installs them)");
    const env = {
      ...process.env,
      ONTAP_MOCK_PORT_DEFAULT: String(proxies[0].port),
      ONTAP_MOCK_PORT_9_10_1: String(proxies[1].port),
      ANSIBLE_NOCOLOR: "1",
      ANSIBLE_FORCE_COLOR: "0",
      ANSIBLE_RETRY_FILES_ENABLED: "0",
      ANSIBLE_HOST_KEY_CHECKING: "0",
    };
    const child = spawn("ansible-playbook", ["-i", join(DIR, "inventory.yml"), join(DIR, "playbook.yml")], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const failures = output.split("\n").filter((l) => /^fatal:|FAILED!|ERROR!/.test(l));
    expect(failures, output.slice(-4000)).toEqual([]);
    expect(code, output.slice(-4000)).toBe(0);

    // The recap: both hosts ran every task, none failed.
    const tasks = (readFileSync(join(DIR, "playbook.yml"), "utf8").match(/^    - name: /gm) ?? []).length;
    const recap = new Map([...output.matchAll(/^(ontap_\S+)\s*: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)/gm)].map((m) => [m[1], m.slice(2).map(Number)]));
    expect([...recap.keys()].sort()).toEqual(["ontap_9_10_1", "ontap_default"]);
    for (const [host, [ok, , unreachable, failed, skipped]] of recap) {
      expect({ host, ok, unreachable, failed, skipped }).toEqual({ host, ok: tasks, unreachable: 0, failed: 0, skipped: 0 });
    }

    // What NetApp's client sent, and the mock's answers, at each release.
    for (const [i, p] of proxies.entries()) {
      const release = mocks[i].options.ontapVersion;
      const hits = (method: string, path: string | RegExp, q: Record<string, string> = {}) =>
        p.seen.filter((s) => s.method === method && (typeof path === "string" ? s.path === path : path.test(s.path)) && Object.entries(q).every(([k, v]) => s.query.get(k) === v));
      const statuses = (xs: Seen[]) => [...new Set(xs.map((s) => s.status))].sort();
      // Singletons with the collection parameters rest_info always sends.
      for (const singleton of ["/api/cluster", "/api/cluster/software", "/api/cluster/software/download"]) {
        expect(statuses(hits("GET", singleton, { max_records: "1024" })), `${release} GET ${singleton}?max_records=1024`).toEqual([200]);
      }
      // License writes with the return_timeout=30 of rest_generic.
      expect(statuses(hits("POST", "/api/cluster/licensing/licenses", { return_timeout: "30" })), `${release} license POST`).toEqual([201]);
      expect(hits("DELETE", "/api/cluster/licensing/licenses/snaplock", { return_timeout: "30", serial_number: "4149027492" }).map((s) => s.status), `${release} license DELETE`).toEqual([200, 404]);
      expect(statuses(hits("DELETE", "/api/cluster/licensing/licenses", { "licenses.installed_license": "Core*Bundle", state: "*", return_timeout: "30" })), `${release} bundle DELETE`).toEqual([200]);
      // Uploads with Accept: application/json, answered with the final status (return_timeout=30) and with 202 (return_timeout=0).
      const uploads = hits("POST", "/api/cluster/software/upload");
      expect(uploads.map((s) => [s.accept, s.status]), `${release} uploads`).toEqual([["application/json", 201], ["application/json", 202]]);
      // The reads NetApp's clients make.
      expect(statuses(hits("GET", "/api/cluster/jobs")), `${release} GET /cluster/jobs`).toEqual([200]);
      expect(statuses(hits("GET", /^\/api\/cluster\/nodes\/[0-9a-f-]{36}$/)), `${release} GET /cluster/nodes/{uuid}`).toEqual([200]);
      // The update and the clean-up of the package it installed.
      const next = mocks[i].state().software.history.at(-1)!.to_version;
      expect(statuses(hits("PATCH", "/api/cluster/software", { skip_warnings: "True" })), `${release} update PATCH`).toEqual([202]);
      expect(statuses(hits("DELETE", `/api/cluster/software/packages/${next}`, { return_timeout: "30" })), `${release} package clean-up`).toEqual([200]);
      expect(mocks[i].state().cluster.nodes.map((n) => n.version)).toEqual([next, next]);
      // The only refusals: APIs outside the contract (404 code 3: svm/svms of the default subset, the
      // other subsets of gather_subset: all) and the second removal of a license.
      const outside = p.seen.filter((s) => !matchOperation(s.method, s.path.replace(/\/{2,}/g, "/")));
      expect(outside.length, `${release}: requests outside the contract`).toBeGreaterThan(100);
      expect(statuses(outside), `${release}: answers outside the contract`).toEqual([404]);
      const refused = p.seen.filter((s) => s.status >= 400 && matchOperation(s.method, s.path.replace(/\/{2,}/g, "/"))).map((s) => `${s.method} ${s.path} ${s.status}`);
      expect(refused, `${release}: answers other than 2xx within the contract`).toEqual(["DELETE /api/cluster/licensing/licenses/snaplock 404"]);
    }
    console.log(`netapp.ontap playbook: ${tasks} tasks ok at ${mocks.map((m) => m.options.ontapVersion).join(" and ")} (${clientVersions()}); ${proxies.map((p) => p.seen.length).join(" + ")} requests`);
  }, 300_000);
});
