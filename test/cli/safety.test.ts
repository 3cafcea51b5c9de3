// Production safety, proven on the wire: a recording proxy in front of a
// reference mock sees every request `run --target` sends under each profile.
//   read-only       only GET, HEAD and OPTIONS.
//   non-disruptive  a write only if it is a PATCH/POST with validate_only=true
//                   or estimate_only=true, or the target rejected it (4xx);
//                   and the licenses, packages, upgrade state and node
//                   versions are the same after the run as before.
//   destructive     refused without --allow-destructive: exit 2, one line,
//                   and not one request reaches the target.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { startRecordingProxy, type Recorded, type RecordingProxy } from "../support/recording-proxy.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
const READS = new Set(["GET", "HEAD", "OPTIONS"]);
const figures: string[] = [];

let mock: MockHandle;
let proxy: RecordingProxy;
beforeAll(async () => {
  mock = await startMock({ scenario: "docs" });
  proxy = await startRecordingProxy(mock.url);
});
afterAll(async () => {
  await proxy.close();
  await mock.close();
  console.log(`safety: ${figures.join("; ")}`);
});

/** Async on purpose: the mock lives in this process, so a blocking spawn would starve it. */
function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const dir = mkdtempSync(join(tmpdir(), "safety-"));
  const child = spawn(process.execPath, [BIN, "run", "--target", proxy.url, "--password-env", "P", "--no-html", "--quiet", "--seed", "1", "--report-dir", dir, ...args], {
    env: { ...process.env, P: mock.options.password },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

/** Runs one profile; returns what the proxy saw during it. */
async function recorded(profile: string, extra: string[] = []): Promise<{ code: number | null; err: string; seen: Recorded[] }> {
  const from = proxy.requests.length;
  const r = await cli(["--profile", profile, ...extra]);
  const seen = proxy.requests.slice(from);
  const byMethod = new Map<string, number>();
  for (const q of seen) byMethod.set(q.method, (byMethod.get(q.method) ?? 0) + 1);
  figures.push(`${profile}${extra.length ? ` (${extra.join(" ")})` : ""}: ${seen.length} requests${seen.length ? ` (${[...byMethod].map(([m, n]) => `${m} ${n}`).join(", ")})` : ""}`);
  return { code: r.code, err: r.err, seen };
}

const flag = (q: Recorded, name: string) => new URLSearchParams(q.query).getAll(name).some((v) => /^true$/i.test(v));
const show = (q: Recorded) => `${q.method} ${q.path}${q.query ? `?${q.query}` : ""} → ${q.status}`;

/** What must be identical after a non-disruptive run. Jobs are left out: a validation is a job too. */
function durable(): string {
  const s = mock.state().snapshot() as { licenses: unknown; software: unknown };
  return JSON.stringify({ licenses: s.licenses, software: s.software });
}

describe("what each profile sends to a real target", () => {
  it("read-only sends only GET, HEAD and OPTIONS", async () => {
    const before = durable();
    const r = await recorded("read-only");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.seen.length).toBeGreaterThan(0);
    expect(r.seen.filter((q) => !READS.has(q.method)).map(show)).toEqual([]);
    expect(durable()).toBe(before);
  });

  it("non-disruptive writes only validate_only/estimate_only PATCHes and POSTs, or requests the target rejects, and changes nothing", async () => {
    const before = durable();
    const r = await recorded("non-disruptive");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const writes = r.seen.filter((q) => !READS.has(q.method));
    expect(writes.length).toBeGreaterThan(0);
    const validations = writes.filter((q) => (q.method === "PATCH" || q.method === "POST") && (flag(q, "validate_only") || flag(q, "estimate_only")));
    const rejected = writes.filter((q) => !validations.includes(q) && q.status !== undefined && q.status >= 400 && q.status < 500);
    expect(validations.length).toBeGreaterThan(0);
    expect(writes.filter((q) => !validations.includes(q) && !rejected.includes(q)).map(show)).toEqual([]);
    // Never the mock's control API (a fault switch or a reset) on a real target.
    expect(r.seen.filter((q) => q.path.startsWith("/__mock")).map(show)).toEqual([]);
    expect(durable()).toBe(before);
    const kinds = new Map<string, number>();
    for (const q of writes) {
      const k = `${q.method} ${q.path.replace(/^(\/api\/cluster\/(?:licensing\/licenses|software\/packages))\/.+$/, "$1/{…}")}${validations.includes(q) ? " (validation)" : ` (${q.status})`}`;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    figures.push(`non-disruptive writes: ${validations.length} validate_only/estimate_only, ${rejected.length} rejected with a 4xx [${[...kinds].map(([k, n]) => `${k} ×${n}`).join(", ")}]`);
  });

  it("destructive without --allow-destructive refuses to start: exit 2, one line, no request", async () => {
    const r = await recorded("destructive");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/--allow-destructive/);
    expect(r.seen).toEqual([]);
  });
});
