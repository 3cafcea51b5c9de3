// The harness transport against small local servers: retries that honour
// Retry-After (bounded), readable fault sentences, preemptive basic auth.
import { describe, expect, it } from "vitest";
import { useLocalServer } from "../support/local-server.ts";
import { HttpClient } from "../../src/harness/transport.ts";

const serve = useLocalServer();

const client = (baseUrl: string, max = 3) =>
  new HttpClient({ baseUrl, username: "admin", password: "pw-123", insecure: false, timeoutMs: 2000, concurrency: 2, retries: { max, maxDelayMs: 200 } });

describe("transport", () => {
  it("retries 429 after Retry-After and then succeeds; sends basic auth on every request", async () => {
    let n = 0;
    const auths: string[] = [];
    const url = await serve((req, res) => {
      auths.push(String(req.headers.authorization));
      if (n++ < 2) {
        res.writeHead(429, { "retry-after": "0", "content-type": "application/json" });
        res.end('{"error":{"code":"262160","message":"busy"}}');
        return;
      }
      res.writeHead(200, { "content-type": "application/hal+json" });
      res.end('{"ok":true}');
    });
    const http = client(url);
    const ex = await http.request({ method: "GET", path: "/api/cluster" });
    await http.close();
    expect(ex.response?.status).toBe(200);
    expect(ex.retries).toBe(2);
    expect(new Set(auths)).toEqual(new Set([`Basic ${Buffer.from("admin:pw-123").toString("base64")}`]));
    expect(ex.request.headers.authorization).toBe("Basic ***");
  });

  it("keeps the path of a --target behind a prefix, and the query as encoded", async () => {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(String(req.url));
      res.writeHead(200, { "content-type": "application/hal+json" });
      res.end("{}");
    });
    for (const base of [`${url}/ontap`, `${url}/ontap/`, url]) {
      const http = client(base);
      await http.request({ method: "GET", path: "/api/cluster", query: { fields: "version,name" } });
      await http.close();
    }
    expect(seen).toEqual(["/ontap/api/cluster?fields=version,name", "/ontap/api/cluster?fields=version,name", "/api/cluster?fields=version,name"]);
  });

  it("gives up on a 503 burst after the bounded number of retries", async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      n++;
      res.writeHead(503, { "retry-after": "0" });
      res.end();
    });
    const http = client(url, 2);
    const ex = await http.request({ method: "GET", path: "/api/cluster" });
    await http.close();
    expect(ex.response?.status).toBe(503);
    expect(n).toBe(3);
  });

  it("names faults in one sentence: refused connection, timeout, invalid JSON", async () => {
    const refused = await client("http://127.0.0.1:1").request({ method: "GET", path: "/api/cluster" });
    expect(refused.error).toMatchObject({ kind: "connection-refused" });
    expect(refused.error!.message).not.toMatch(/\n/);
    const url = await serve((req, res) => {
      if (req.url === "/slow") return; // never answers
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"records": [');
    });
    const http = new HttpClient({ baseUrl: url, insecure: false, timeoutMs: 300, concurrency: 1, retries: { max: 0, maxDelayMs: 0 } });
    const slow = await http.request({ method: "GET", path: "/slow" });
    expect(slow.error).toMatchObject({ kind: "timeout" });
    expect(slow.error!.message).toMatch(/within 300 ms/);
    const broken = await http.request({ method: "GET", path: "/json" });
    expect(broken.response?.jsonError).toMatch(/bytes/);
    await http.close();
  });

  // The usual request headers are redacted once and shared between exchanges;
  // a secret learnt later must still be masked in the next exchange.
  it("redacts the usual request headers again once a new secret is known", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/hal+json" });
      res.end("{}");
    });
    const http = client(url);
    const first = await http.request({ method: "GET", path: "/api/cluster" });
    http.redactor.add("conformance");
    const second = await http.request({ method: "GET", path: "/api/cluster" });
    await http.close();
    expect(first.request.headers["user-agent"]).toBe("ontap-conformance");
    expect(second.request.headers["user-agent"]).toBe("ontap-***");
    expect(second.request.headers.authorization).toBe("Basic ***");
  });
});
