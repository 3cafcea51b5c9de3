// The ledger as a check's writes fill it (src/harness/context.ts): every
// write is recorded before it is sent and answered when its answer comes, so
// teardown knows which writes may have changed the target unseen.
import { describe, expect, it } from "vitest";
import { startMock } from "../../mock/index.ts";
import { CheckContext, type TargetInfo } from "../../src/harness/context.ts";
import { Ledger, unansweredWrites } from "../../src/harness/ledger.ts";
import { HttpClient } from "../../src/harness/transport.ts";

const info = (url: string): TargetInfo => ({
  url, username: "admin", version: "9.18.1", nodes: [], profile: "destructive", strict: false, insecure: false, seed: 1, runs: 1,
  embedded: false, acceptsTestKeys: true, acceptsTestPackages: true, allowUpgrade: false,
});

describe("the ledger of a check's writes", () => {
  it("records a write before it is sent and its answer when it comes; a GET is not recorded", async () => {
    const mock = await startMock({ scenario: "docs" });
    const http = new HttpClient({ baseUrl: mock.url, username: mock.options.username, password: mock.options.password, insecure: false, timeoutMs: 5_000, concurrency: 2, retries: { max: 0, maxDelayMs: 0 } });
    const ledger = new Ledger();
    try {
      const ctx = new CheckContext(info(mock.url), http, "licenses.delete.missing", { ledger });
      await ctx.callUnchecked("license_get", { path: { name: "base" } });
      await ctx.callUnchecked("license_delete", { path: { name: "ontap-conformance-missing" }, expect: "error" });
      const kinds = ledger.entries.map((e) => e.kind);
      expect(kinds).toEqual(["sent", "answered"]);
      expect(ledger.entries[0]).toMatchObject({ kind: "sent", method: "DELETE", operation: "license_delete", check: "licenses.delete.missing" });
      expect(unansweredWrites(ledger.entries)).toEqual([]);
    } finally {
      await http.close();
      await mock.close();
    }
  });

  it("a write whose answer never came stays unanswered", async () => {
    // Nothing listens on this port: the POST fails in transport, with no answer.
    const http = new HttpClient({ baseUrl: "http://127.0.0.1:9", username: "admin", password: "x", insecure: false, timeoutMs: 2_000, concurrency: 1, retries: { max: 0, maxDelayMs: 0 } });
    const ledger = new Ledger();
    try {
      const ctx = new CheckContext(info("http://127.0.0.1:9"), http, "packages.download.lifecycle", { ledger });
      await expect(ctx.call("software_package_create", { body: { url: "http://packages.example.invalid/9.99.1_image.tgz" } })).rejects.toThrow();
      expect(unansweredWrites(ledger.entries)).toEqual([expect.objectContaining({ method: "POST", operation: "software_package_create", check: "packages.download.lifecycle" })]);
    } finally {
      await http.close();
    }
  });
});
