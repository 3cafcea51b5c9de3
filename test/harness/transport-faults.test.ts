// The transport rules the hostile-target catalog (test/reliability/) relies
// on, against small local servers: one deadline for the whole answer, a body
// size limit counted while reading, which answers are retried, redirects not
// followed, and nothing sent after a 401.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useLocalServer } from "../support/local-server.ts";
import { HttpClient, type TransportOptions } from "../../src/harness/transport.ts";

const serve = useLocalServer();

const client = (baseUrl: string, opts: Partial<TransportOptions> = {}) =>
  new HttpClient({ baseUrl, username: "admin", password: "pw-123", insecure: false, timeoutMs: 400, concurrency: 2, retries: { max: 3, maxDelayMs: 200 }, ...opts });

describe("transport faults", () => {
  it("a body that trickles forever ends at the deadline, not at an idle timeout", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"records": [');
      const drip = setInterval(() => res.write(" "), 50);
      res.on("close", () => clearInterval(drip));
    });
    const http = client(url);
    const ex = await http.request({ method: "GET", path: "/api/cluster" });
    await http.close();
    expect(ex.error?.kind).toBe("timeout");
    expect(ex.error?.message).toMatch(/\(status 200\) did not end within 400 ms: \d+ body bytes received \(timeout\)$/);
  });

  it("a chunked body beyond the limit stops reading; an announced one is not read at all", async () => {
    const url = await serve((req, res) => {
      if (req.url === "/announced") {
        res.writeHead(200, { "content-type": "application/json", "content-length": 5000 });
        res.end("x".repeat(5000));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      for (let i = 0; i < 10; i++) res.write("x".repeat(1000));
      res.end();
    });
    const http = client(url, { maxBodyBytes: 4096 });
    const chunked = await http.request({ method: "GET", path: "/chunked" });
    const announced = await http.request({ method: "GET", path: "/announced" });
    await http.close();
    expect(chunked.error).toMatchObject({ kind: "too-large", message: expect.stringMatching(/larger than the body size limit of 4096 bytes: reading stopped after \d+ bytes/) });
    expect(announced.error).toMatchObject({ kind: "too-large", message: expect.stringMatching(/it announced 5000 bytes/) });
  });

  it("retries 502 for a GET but not for a POST; a Retry-After beyond the cap is not waited for", async () => {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === "/later") {
        res.writeHead(503, { "retry-after": "3600" });
        res.end();
        return;
      }
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>Bad Gateway</html>");
    });
    const http = client(url, { retries: { max: 2, maxDelayMs: 1000 } });
    const get = await http.request({ method: "GET", path: "/get" });
    const post = await http.request({ method: "POST", path: "/post", body: { a: 1 } });
    const later = await http.request({ method: "GET", path: "/later" });
    await http.close();
    expect(get).toMatchObject({ retries: 2, retriedOn: [502, 502], response: { status: 502 } });
    expect(post.retries).toBe(0);
    expect(later.retries).toBe(0);
    expect(later.notRetried).toMatch(/asked to retry after 3600 s \(Retry-After: 3600\), longer than the 1 s the harness waits/);
    expect(seen.filter((s) => s === "POST /post")).toHaveLength(1);
  });

  it("does not follow a redirect (the credentials would go with it)", async () => {
    let followed = 0;
    const url = await serve((req, res) => {
      if (req.url === "/elsewhere") followed++;
      res.writeHead(302, { location: "/elsewhere" });
      res.end();
    });
    const http = client(url);
    const ex = await http.request({ method: "GET", path: "/api/cluster" });
    await http.close();
    expect(ex.response).toMatchObject({ status: 302, headers: { location: "/elsewhere" } });
    expect(followed).toBe(0);
  });

  it("after a 401 nothing more is sent, by this client or another sharing the latch file", async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(401, { "content-type": "application/json" });
      res.end('{"error":{"code":"6","message":"User is not authorized."}}');
    });
    const latch = join(mkdtempSync(join(tmpdir(), "latch-")), "credentials-refused");
    const first = client(url, { credentialsLatch: latch });
    const other = client(url, { credentialsLatch: latch });
    const refused = await first.request({ method: "GET", path: "/api/cluster/licensing/licenses" });
    const again = await first.request({ method: "GET", path: "/api/cluster" });
    const elsewhere = await other.request({ method: "GET", path: "/api/cluster/nodes" });
    await first.close();
    await other.close();
    expect(refused.response?.status).toBe(401);
    expect(requests).toBe(1);
    for (const ex of [again, elsewhere]) {
      expect(ex.error).toMatchObject({ kind: "credentials-refused", message: expect.stringMatching(/^not sent: the target refused the credentials earlier in this run \(401 on GET \/api\/cluster\/licensing\/licenses\)/) });
    }
  });

  it("a request queued for a slot when the 401 comes is not sent either (checks run side by side)", async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      // Slow enough that the other requests wait for the one slot.
      setTimeout(() => {
        res.writeHead(401, { "content-type": "application/json" });
        res.end('{"error":{"code":"6","message":"User is not authorized."}}');
      }, 50);
    });
    const http = client(url, { concurrency: 1, credentialsLatch: join(mkdtempSync(join(tmpdir(), "latch-")), "credentials-refused") });
    const all = await Promise.all(Array.from({ length: 6 }, (_, i) => http.request({ method: "GET", path: `/api/cluster/nodes?i=${i}` })));
    await http.close();
    expect(requests).toBe(1);
    expect(all.filter((ex) => ex.response?.status === 401)).toHaveLength(1);
    expect(all.filter((ex) => ex.error?.kind === "credentials-refused")).toHaveLength(5);
  });
});
