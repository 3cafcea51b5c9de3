// The legal-variant catalog is what it says: at least 20 variants over every
// category, each citing why it is legal, and each one changes what the
// reference mock answers (a variant that changes nothing proves nothing).
// A fixed set of probe requests goes to the reference and to each variant
// (behind its wire proxy when it has one); at least one answer must differ.
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";
import { SAMPLE, VARIANTS } from "../../mock/variants/catalog.ts";
import { VARIANT_CATEGORIES, type Variant } from "../../mock/variants/types.ts";
import { startWireProxy, type WireProxy } from "../../mock/variants/wire.ts";
import { loadQuirks } from "../../src/contract/index.ts";

const AUTH = `Basic ${Buffer.from("admin:netapp123").toString("base64")}`;

interface Probe {
  method: string;
  path: string;
  body?: unknown;
  accept?: string;
}

const PROBES: Probe[] = [
  { method: "GET", path: "/api/cluster?fields=version" },
  { method: "GET", path: "/api/cluster/licensing/licenses" },
  { method: "GET", path: "/api/cluster/licensing/licenses?fields=*&max_records=4" },
  { method: "GET", path: "/api/cluster/licensing/licenses?max_records=100&fields=name" },
  { method: "GET", path: "/api/cluster/licensing/licenses?return_records=false" },
  { method: "GET", path: "/api/cluster/licensing/licenses?name=nothing" },
  { method: "GET", path: "/api/cluster/licensing/licenses/nothing" },
  { method: "GET", path: "/api/cluster/jobs/00000000-0000-4000-8000-000000000000" },
  { method: "GET", path: "/api/cluster/software/download" },
  { method: "DELETE", path: "/api/cluster/software/packages/0.0.0-missing" },
  { method: "POST", path: "/api/cluster/licensing/licenses", body: { keys: ["NOTAVALIDKEY"] } },
  { method: "POST", path: "/api/cluster/software/download?return_timeout=30", body: { url: "http://packages.example.invalid/9.99.1_image.tgz" }, accept: "application/json" },
];

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function send(base: string, p: Probe): Promise<Answer> {
  const url = new URL(p.path, base);
  const body = p.body === undefined ? undefined : JSON.stringify(p.body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: p.method, headers: { authorization: AUTH, accept: p.accept ?? "application/hal+json", ...(body ? { "content-type": "application/json" } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const headers: Record<string, string> = {};
        // What a variant may change; Date and Keep-Alive vary from answer to answer anyway.
        for (const k of ["content-type", "content-length", "transfer-encoding", "connection", "set-cookie", "vary", "link", "location"]) if (res.headers[k] !== undefined) headers[k] = String(res.headers[k]);
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Job uuids and virtual times differ between any two mocks: not what a variant changes. */
function normalise(a: Answer): Answer {
  const body = a.body.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>").replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, "<time>");
  const headers = { ...a.headers };
  if (headers.location) headers.location = headers.location.replace(/[0-9a-f-]{36}/g, "<uuid>");
  if (headers["content-length"] && /<uuid>|<time>/.test(body)) delete headers["content-length"];
  return { ...a, headers, body };
}

async function answers(v: Variant | undefined): Promise<Answer[]> {
  let mock: MockHandle | undefined;
  let proxy: WireProxy | undefined;
  try {
    mock = await startMock({ mutant: v, ...(v?.options ?? {}) });
    proxy = v?.wire ? await startWireProxy(mock.url, v.wire) : undefined;
    const out: Answer[] = [];
    for (const p of PROBES) out.push(normalise(await send(proxy?.url ?? mock.url, p)));
    return out;
  } finally {
    await proxy?.close();
    await mock?.close();
  }
}

/** Variants whose change is timing, checked by their mechanism instead of by an answer (unit tests never assert timings). */
const TIMING = new Set(["timing.jitter", "jobs.slow"]);

describe("the legal-variant catalog", () => {
  it("has at least 20 variants over every category, unique names, each saying what it changes and why that is legal", () => {
    expect(VARIANTS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(VARIANTS.map((v) => v.name)).size).toBe(VARIANTS.length);
    expect(new Set(VARIANTS.map((v) => v.category))).toEqual(new Set(VARIANT_CATEGORIES));
    for (const v of VARIANTS) {
      expect(v.name.startsWith(`${v.category}.`), v.name).toBe(true);
      expect(v.changes.length, v.name).toBeGreaterThan(20);
      // A source: an RFC, ontap-reference.md (ref §), a docs page, the conventions, or the issue that settles it.
      expect(v.legal, v.name).toMatch(/RFC \d+|ref §|docs 00\d|conventions\.md|issue 18/);
    }
    for (const name of SAMPLE) expect(VARIANTS.map((v) => v.name)).toContain(name);
    for (const v of VARIANTS.filter((x) => x.quirk)) expect(loadQuirks().map((q) => q.id), v.name).toContain(v.quirk);
  });

  describe("each variant changes what the reference answers", () => {
    let reference: Answer[] | undefined;
    const ref = async () => (reference ??= await answers(undefined));
    it("(the probes answer a fresh reference the same way twice)", async () => {
      const [a, b] = [await ref(), await answers(undefined)];
      expect(b).toEqual(a);
    });
    for (const v of VARIANTS.filter((x) => !TIMING.has(x.name))) {
      it(v.name, async () => {
        const [before, after] = [await ref(), await answers(v)];
        const changed = PROBES.filter((_p, i) => JSON.stringify(before[i]) !== JSON.stringify(after[i]));
        expect(changed.length, `${v.name} answers every probe as the reference does`).toBeGreaterThan(0);
      });
    }
  });

  describe("timing variants, by their mechanism", () => {
    let mock: MockHandle | undefined;
    afterEach(async () => {
      await mock?.close();
      mock = undefined;
    });

    it("timing.jitter holds answers back by 0 to 12 ms, not always the same", () => {
      const v = VARIANTS.find((x) => x.name === "timing.jitter")!;
      const delays = Array.from({ length: 50 }, () => v.wire!.delayMs!());
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThanOrEqual(12);
      expect(new Set(delays).size).toBeGreaterThan(5);
    });

    it("jobs.slow: a job of one virtual millisecond is still queued when the reference's is long done", async () => {
      const job = async (v: Variant | undefined) => {
        mock = await startMock({ mutant: v });
        const started = mock.state().jobs.start("GET /ontap-conformance", 1, () => ({ ok: true }));
        await new Promise((r) => setTimeout(r, 30));
        const res = await fetch(`${mock.url}/api/cluster/jobs/${started.uuid}`, { headers: { authorization: AUTH } });
        await mock.close();
        mock = undefined;
        return ((await res.json()) as { state: string }).state;
      };
      expect(await job(undefined)).toBe("success");
      expect(await job(VARIANTS.find((x) => x.name === "jobs.slow"))).toBe("queued");
    });
  });
});
