// Ctrl-C does not wait for the check under way (vitest ends its test at
// once): the abandoned check must send nothing more, so that teardown alone
// restores the target and no write of the check races it.
import { describe, expect, it } from "vitest";
import type { Check } from "../../src/harness/check.ts";
import type { TargetInfo } from "../../src/harness/context.ts";
import { executeCheck, pendingResult } from "../../src/harness/execute.ts";
import { HttpClient } from "../../src/harness/transport.ts";
import { useLocalServer } from "../support/local-server.ts";

const target: TargetInfo = {
  url: "", username: "admin", version: "9.18.1", nodes: [], profile: "destructive", strict: false, insecure: false, seed: 1, runs: 1,
  embedded: false, acceptsTestKeys: false, acceptsTestPackages: false, allowUpgrade: false,
};

describe("executeCheck", () => {
  const serve = useLocalServer();

  it("after the run is interrupted, the check under way sends nothing more, and says why", async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(200, { "content-type": "application/hal+json" });
      res.end('{"records":[],"num_records":0}');
    });
    const http = new HttpClient({ baseUrl: url, insecure: false, timeoutMs: 5000, concurrency: 1, retries: { max: 0, maxDelayMs: 0 } });
    let release!: () => void;
    const paused = new Promise<void>((r) => (release = r));
    const check = {
      id: "test.interrupted", area: "licensing", operation: "licenses_get", profile: "read-only",
      run: async (ctx: any) => {
        await ctx.send("licenses_get", {});
        await paused; // Ctrl-C comes here
        await ctx.send("licenses_get", {});
      },
    } as unknown as Check;
    const interrupted = new AbortController();
    try {
      const running = executeCheck(check, pendingResult(check), { info: { ...target, url }, checkTimeoutMs: 60_000 }, http, {}, interrupted.signal);
      await new Promise((r) => setTimeout(r, 100));
      interrupted.abort();
      release();
      const { thrown } = await running;
      expect(requests).toBe(1);
      expect((thrown as Error).message).toBe("GET /api/cluster/licensing/licenses not sent: the run was interrupted (Ctrl-C)");
    } finally {
      await http.close();
    }
  });
});
