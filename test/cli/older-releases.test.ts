// Generated requests respect the target's release: against mocks that
// impersonate older releases, a destructive strict run with every opt-in
// passes and leaves the target as found (a request using a parameter the
// release lacks would be answered 262179 and fail the run), and no request
// of any phase reaches an operation the release does not have.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startMock } from "../../mock/index.ts";
import { existsIn, matchOperation } from "../../src/contract/index.ts";
import { startRecordingProxy } from "../support/recording-proxy.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");

describe.concurrent("older releases, destructive and strict", () => {
  for (const version of ["9.6.0", "9.7.0", "9.8.0"]) {
    it(`ONTAP ${version}: conformant, teardown restored, nothing sent that the release lacks`, async () => {
      const mock = await startMock({ ontapVersion: version });
      const proxy = await startRecordingProxy(mock.url);
      try {
        const dir = mkdtempSync(join(tmpdir(), "older-"));
        const cfg = join(dir, "ontap.yaml");
        writeFileSync(cfg, "testKeys: true\ntestPackages: true\nallowUpgrade: true\nfaultSwitch: true\njobTimeoutMs: 4000\n");
        const child = spawn(process.execPath, [BIN, "run", "--target", proxy.url, "--profile", "destructive", "--allow-destructive", "--strict", "--config", cfg, "--seed", "5", "--runs", "40", "--no-html", "--report-dir", dir], {
          env: { ...process.env, ONTAP_PASSWORD: mock.options.password }, stdio: "ignore",
        });
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        const summary = JSON.parse(readFileSync(join(dir, "latest", "summary.json"), "utf8"));
        const broken = summary.checks.filter((c: any) => c.status === "fail" || c.status === "error").map((c: any) => `${c.id}: ${c.message}`);
        expect(broken).toEqual([]);
        expect(summary.ontapVersion).toBe(version);
        expect(summary.teardown.restored).toBe(true);
        expect(summary.teardown.removed).toBeUndefined(); // every check cleaned up after itself
        expect(code).toBe(0);
        const tooNew = proxy.requests.filter((q) => !q.path.startsWith("/__mock/")).map((q) => ({ q, op: matchOperation(q.method === "HEAD" ? "GET" : q.method, q.path)?.op })).filter(({ op }) => op && !existsIn(version, op.introduced));
        expect(tooNew.map(({ q }) => `${q.method} ${q.path}`)).toEqual([]);
      } finally {
        await proxy.close();
        await mock.close();
      }
    }, 120_000);
  }
});
