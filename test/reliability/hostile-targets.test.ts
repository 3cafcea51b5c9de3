// The fault catalog (issue #9): the CLI, as a user runs it, against a hostile
// target per fault (test/support/hostile-target.ts, a proxy in front of the
// reference mock). For each fault: the run completes; the affected checks
// fail or error with a sentence naming the fault, never a stack trace; the
// unaffected checks still run and pass; summary.json and junit.xml are
// written; and the exit code follows the README rule: 0 when the harness rode
// the fault out (bounded retries), 1 when checks were affected, 2 when the
// target cannot be used at all.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { startHostileTarget, type HostileOptions, type HostileTarget } from "../support/hostile-target.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");
/** GET /api/cluster/software itself (not its packages, history or download). */
const SOFTWARE = /^\/api\/cluster\/software(\?|$)/;
/** The nodes collection (not /api/cluster itself, which discovery reads). */
const NODES = /^\/api\/cluster\/nodes(\?|$)/;
/** One phase, four checks: quick, and three of them never touch the broken path. */
const ONLY = ["--only", "software.get.schema,cluster.get.version,licenses.list.schema,packages.list.schema"];
const AFFECTED = ["software.get.schema"];
const UNAFFECTED = ["cluster.get.version", "licenses.list.schema", "packages.list.schema"];
const STACK = /^\s+at \S.*(:\d+:\d+\)?|<anonymous>\)?)$/m;

interface Run {
  code: number | null;
  out: string;
  err: string;
  summary?: any;
  junit: boolean;
}

interface Case {
  name: string;
  fault: Omit<HostileOptions, "upstream">;
  /** CLI arguments besides target, credentials and report dir (default: ONLY). */
  args?: string[];
  exit: 0 | 1 | 2;
  /** The sentence naming the fault: in the affected checks' messages (exit 1), their warnings (exit 0), or stderr and every check (exit 2). */
  says: RegExp;
  affected?: string[];
  unaffected?: string[];
  more?(run: Run, target: HostileTarget): void;
}

const CASES: Case[] = [
  {
    name: "truncated JSON (a whole read-only run: everything else passes)",
    fault: { fault: "truncated-json", match: SOFTWARE },
    args: [],
    exit: 1,
    says: /answered 200 with a body that is not valid JSON/,
    affected: ["software.get.schema", "examples.software-get.replay"],
    unaffected: ["licenses.list.schema", "packages.list.pages", "nodes.list.fields", "boundary.query.enum-values"],
    more: (r) => expect(r.summary.totals.pass).toBeGreaterThanOrEqual(60),
  },
  { name: "invalid JSON", fault: { fault: "invalid-json", match: SOFTWARE }, exit: 1, says: /answered 200 with a body that is not valid JSON/ },
  { name: "an empty body with 200", fault: { fault: "empty-200", match: SOFTWARE }, exit: 1, says: /answered 200 with an empty body where a software_reference object is documented/ },
  { name: "the wrong Content-Type", fault: { fault: "wrong-content-type", match: SOFTWARE }, exit: 1, says: /answered 200 with Content-Type "text\/html/ },
  { name: "a response that never ends", fault: { fault: "never-ending-body", match: SOFTWARE }, exit: 1, says: /did not end within 1500 ms: \d+ body bytes received \(timeout\)/ },
  { name: "a request never answered", fault: { fault: "no-answer", match: SOFTWARE }, exit: 1, says: /no answer from \S+ within 1500 ms \(timeout\)/ },
  { name: "a connection reset mid-body", fault: { fault: "reset-mid-body", match: SOFTWARE }, exit: 1, says: /connection to \S+ was reset after \d+ bytes of the body/ },
  { name: "a 50 MB body, chunked", fault: { fault: "huge-body", match: SOFTWARE }, exit: 1, says: /larger than the body size limit of 16 MiB: reading stopped after \d+ bytes/ },
  { name: "a 50 MB body, announced", fault: { fault: "huge-body", announce: true, match: SOFTWARE }, exit: 1, says: /larger than the body size limit of 16 MiB: it announced 52\d{6} bytes/ },
  { name: "a burst of 500s", fault: { fault: "status", status: 500, match: SOFTWARE }, exit: 1, says: /answered 500 \(error 1: Internal error\. Unexpected failure\.\) where a success was expected/ },
  { name: "a gateway's problem+json (not ONTAP's envelope)", fault: { fault: "problem-json", status: 500, match: SOFTWARE }, exit: 1, says: /answered 500 \(not an ONTAP error: application\/problem\+json Service Unavailable: upstream cluster-mgmt is draining\) where a success was expected/ },
  { name: "two 502s from a gateway (retried)", fault: { fault: "status", status: 502, times: 2, match: SOFTWARE }, exit: 0, says: /needed 2 retries \(answered 502, 502 first\)/ },
  { name: "503s that do not stop", fault: { fault: "status", status: 503, retryAfter: "0", match: SOFTWARE }, exit: 1, says: /answered 503 .* where a success was expected, and still did after 3 retries/ },
  { name: "503 with a Retry-After too long to wait", fault: { fault: "status", status: 503, retryAfter: "120", match: SOFTWARE }, exit: 1, says: /answered 503 .* where a success was expected; it was not retried: the target asked to retry after 120 s/ },
  { name: "429 with Retry-After (retried)", fault: { fault: "status", status: 429, retryAfter: "1", times: 2, match: SOFTWARE }, exit: 0, says: /needed 2 retries \(answered 429, 429 first\)/ },
  { name: "a redirect", fault: { fault: "redirect", match: SOFTWARE }, exit: 1, says: /answered 302 with a redirect to https:\/\/cluster\.example\.invalid\/api\/cluster\/software/ },
  {
    name: "next links that leave the collection (Prism's /api/resourcelink)",
    fault: { fault: "next-link-elsewhere", match: NODES },
    args: ["--only", "nodes.list.pages,nodes.list.order-by,nodes.list.filter-property,cluster.get.version,licenses.list.schema,packages.list.schema"],
    exit: 1,
    says: /the next link "\/api\/resourcelink" leaves the collection \/api\/cluster\/nodes/,
    affected: ["nodes.list.pages", "nodes.list.order-by", "nodes.list.filter-property"],
    unaffected: UNAFFECTED,
    more: (r, target) => {
      // Each walk stops at the first link that leaves: a handful of requests, not one per page of a loop.
      expect(target.stats.faulted).toBeLessThan(20);
      expect(r.summary.checks.find((c: any) => c.id === "nodes.list.order-by").notTestedBecause).toBe("nodes.list.pages");
    },
  },
  {
    name: "next links that repeat the page they are on",
    fault: { fault: "next-link-repeats", match: NODES },
    args: ["--only", "nodes.list.pages,nodes.list.fields,cluster.get.version,licenses.list.schema,packages.list.schema"],
    exit: 1,
    says: /(holds only records already seen|repeats a page already requested): the next link does not advance/,
    affected: ["nodes.list.pages", "nodes.list.fields"],
    unaffected: UNAFFECTED,
    more: (_r, target) => expect(target.stats.faulted).toBeLessThan(20),
  },
  {
    name: "401 mid-run (the session expired): the run stops sending",
    // Discovery and the first checks pass; from the 9th request on, every answer is 401.
    fault: { fault: "credentials-refused", after: 8 },
    args: ["--only", "licenses.list.*,packages.list.*"],
    exit: 1,
    says: /refused the credentials (in the middle of the run|earlier in this run)/,
    affected: [],
    unaffected: [],
    more: (r, target) => {
      const checks = r.summary.checks.filter((c: any) => c.status !== "disabled");
      expect(checks.some((c: any) => c.status === "pass")).toBe(true);
      expect(checks.filter((c: any) => c.status === "error").length).toBeGreaterThan(10);
      // Only the requests already in flight meet the 401 (concurrency 4), not one per remaining check.
      expect(target.stats.faulted).toBeLessThanOrEqual(4);
      expect(r.err).toMatch(/refused the credentials in the middle of the run \(401 on GET \/api\//);
    },
  },
  { name: "TLS handshake failure", fault: { fault: "tls-handshake-failure" }, exit: 2, says: /TLS handshake with \S+ failed: the server ended the handshake/ },
  { name: "a certificate for another name (trusted with --ca, no --insecure)", fault: { fault: "wrong-host-certificate" }, exit: 2, says: /the certificate is for another host \(it names DNS:cluster\.other\.example/ },
  { name: "401 on everything", fault: { fault: "credentials-refused" }, exit: 2, says: /the target refused the credentials \(401\) on \/api\/cluster/ },
  { name: "a target that accepts and never answers", fault: { fault: "no-answer" }, exit: 2, says: /cannot reach the target: no answer from \S+ within 1500 ms \(timeout\)/ },
  { name: "a target that answers a web page for everything", fault: { fault: "html-page" }, exit: 2, says: /answers \/api\/cluster and \/api\/cluster\/nodes with 200 and a body that is not JSON \(Content-Type text\/html; charset=utf-8\): it does not look like an ONTAP REST API/ },
  { name: "a target that redirects everything", fault: { fault: "redirect", location: "https://cluster.example.invalid/" }, exit: 2, says: /answers \/api\/cluster with a redirect \(302\) to https:\/\/cluster\.example\.invalid\/: the harness does not follow redirects/ },
];

let mock: MockHandle;
const outcome = new Map<string, "handled" | "crash" | "wrong">();
beforeAll(async () => {
  mock = await startMock({ scenario: "docs" });
});
afterAll(async () => {
  await mock?.close();
  const count = (o: string) => [...outcome.values()].filter((v) => v === o).length;
  const wrong = count("wrong") ? `, ${count("wrong")} not as documented` : "";
  console.log(`hostile targets: ${count("handled")} faults handled, ${count("crash")} crashes${wrong} (of ${CASES.length})`);
});

/** Async on purpose: the mock lives in this process, so a blocking spawn would starve it. */
function run(target: HostileTarget, args: string[]): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "hostile-"));
  const tls: string[] = [];
  if (target.certificate) {
    writeFileSync(join(dir, "ca.pem"), target.certificate);
    tls.push("--ca", join(dir, "ca.pem"));
  }
  const child = spawn(process.execPath, [BIN, "run", "--target", target.url, ...tls, "--username", "admin", "--password-env", "P", "--profile", "read-only", "--no-html", "--quiet", "--timeout", "1500", "--seed", "1", "--report-dir", dir, ...args], {
    env: { ...process.env, P: mock.options.password },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve) =>
    child.on("close", (code) => {
      const file = join(dir, "latest", "summary.json");
      resolve({ code, out, err, summary: existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined, junit: existsSync(join(dir, "latest", "junit.xml")) });
    }),
  );
}

describe.concurrent("the CLI against a hostile target", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const target = await startHostileTarget({ upstream: mock.url, ...c.fault });
      let r: Run;
      try {
        r = await run(target, c.args ?? ONLY);
      } finally {
        await target.close();
      }
      const messages: string[] = (r.summary?.checks ?? []).flatMap((x: any) => [x.message ?? "", ...x.warnings]);
      const crashed = ![0, 1, 2].includes(r.code!) || !r.summary || !r.junit || STACK.test(r.err) || STACK.test(r.out) || messages.some((m) => STACK.test(m) || /the check itself broke/.test(m));
      outcome.set(c.name, crashed ? "crash" : "wrong");

      expect(r.code, r.err).toBe(c.exit);
      expect(r.summary, "summary.json written").toBeDefined();
      expect(r.junit, "junit.xml written").toBe(true);
      expect(r.err).not.toMatch(STACK);
      for (const m of messages) expect(m).not.toMatch(STACK);
      const byId = Object.fromEntries(r.summary.checks.map((x: any) => [x.id, x]));
      const broken = r.summary.checks.filter((x: any) => x.status === "fail" || x.status === "error");
      if (c.exit === 2) {
        expect(r.err.trim().split("\n")).toHaveLength(1);
        expect(r.err).toMatch(c.says);
        // Every selected check says why it did not run; the rest are disabled by --only.
        expect(broken.map((x: any) => x.id).sort()).toEqual([...AFFECTED, ...UNAFFECTED].sort());
        for (const x of broken) expect(x.message).toMatch(c.says);
        expect(r.summary.checks.every((x: any) => broken.includes(x) || x.status === "disabled")).toBe(true);
      } else {
        // Every check the fault broke says so; nothing else broke.
        for (const x of broken) expect(x.message, x.id).toMatch(c.says);
        for (const id of c.affected ?? AFFECTED) {
          // A check whose read the fault broke, where another check owns that read's contract: "not tested", pointing at that failure.
          if (c.exit === 1 && byId[id].status === "skip") {
            expect(byId[id].message, id).toMatch(c.says);
            expect(byId[byId[id].notTestedBecause]?.status, `${id} points at ${byId[id].notTestedBecause}`).toBe("fail");
          } else if (c.exit === 1) expect(byId[id].status, id).toMatch(/^(fail|error)$/);
          else expect(byId[id], id).toMatchObject({ status: "pass", warnings: [expect.stringMatching(c.says)] });
        }
        for (const id of c.unaffected ?? UNAFFECTED) expect(byId[id].status, `${id}: ${byId[id].message}`).toBe("pass");
      }
      c.more?.(r, target);
      outcome.set(c.name, "handled");
    }, 120_000);
  }
});
