// The reference mock keeps the answers of its licence reads for repeated
// requests (mock/server/answers.ts). A kept answer must never be one the mock
// would not give now: after every kind of change to what a licence answer is
// made from (a licence installed or deleted through the API, the state
// changed directly as tests do, a node going offline, a licence expiring as
// time passes, another release), the mock that keeps answers answers
// byte for byte as one that makes every answer anew.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTestKey } from "../../mock/licensing/grants.ts";
import { keepAnswers } from "../../mock/server/answers.ts";
import type { RequestContext } from "../../mock/server/types.ts";
import { CATALOG } from "../../mock/scenarios/licensing-data.ts";
import { mockApi, type Api } from "../support/mock-client.ts";

const LIC = "/api/cluster/licensing/licenses";
const READS: Array<[string, Record<string, string> | undefined, Record<string, string>?]> = [
  [LIC, { fields: "*" }],
  [LIC, { fields: "*" }, { accept: "application/json" }],
  [LIC, { state: "*", fields: "name,state,licenses.compliance" }],
  [LIC, { max_records: "2" }],
  [`${LIC}/nfs`, undefined],
  [`${LIC}/cloud`, { fields: "*" }],
  [`${LIC}/snaplock`, undefined],
];

describe("kept licence answers", () => {
  let keeping: Api;
  let fresh: Api;
  // Virtual time at the speed of real time, so both mocks agree on what has expired.
  beforeEach(async () => {
    keeping = await mockApi({ clockSpeed: 1 });
    // Any patch turns keeping off: this mock makes every answer anew.
    fresh = await mockApi({ clockSpeed: 1, mutant: {} });
  });
  afterEach(async () => {
    await keeping.close();
    await fresh.close();
  });

  async function same(step: string): Promise<void> {
    for (const [path, query, headers] of READS) {
      for (let i = 0; i < 2; i++) {
        const a = await keeping.call("GET", path, { query, headers });
        const b = await fresh.call("GET", path, { query, headers });
        expect(`${a.status} ${a.headers["content-type"]} ${a.headers["content-length"]} ${a.text}`, `${step}: GET ${path} ${JSON.stringify(query ?? {})}`).toBe(`${b.status} ${b.headers["content-type"]} ${b.headers["content-length"]} ${b.text}`);
      }
    }
  }
  const both = async (fn: (api: Api) => unknown) => {
    await fn(keeping);
    await fn(fresh);
  };

  it("answers as a mock that keeps nothing, whatever changes", async () => {
    await same("at the start");
    await both((api) => api.call("POST", LIC, { body: { keys: [makeTestKey(CATALOG.findIndex((c) => c.name === "snaplock"), "4149027492")] } }));
    await same("after a licence was installed");
    await both((api) => api.call("DELETE", `${LIC}/nfs`, { query: { serial_number: "1-81-0000000000000004149027492" } }));
    await same("after a licence was deleted");
    await both((api) => api.mock.state().licensing.setUsedSize("fabricpool", "4149027342", 2 ** 41));
    await same("after the state was changed directly (capacity over its limit)");
    await both((api) => { api.mock.state().cluster.nodes[1].online = false; });
    await same("after a node went offline");
    await both((api) => { api.mock.state().cluster.nodes[1].online = true; });
    const soon = new Date(keeping.mock.state().clock.nowMs() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    await both((api) => { (api.mock.state().licensing as unknown as { licenses: Array<Record<string, unknown>> }).licenses.push({ package: "snapmirror", serial_number: "90000000000000000001", scope: "cluster", owner: "testcluster-1", start_time: "2026-06-01T12:00:00Z", expiry_time: soon, evaluation: true }); });
    await same("with a licence that expires in an hour");
    await both((api) => api.call("POST", "/__mock/clock", { body: { advanceMs: 2 * 3_600_000 }, validate: false }));
    await same("two hours later, the licence expired");
    await both((api) => { for (const n of api.mock.state().cluster.nodes) n.version = "9.10.1"; });
    await same("on another release");
  });
});

describe("keepAnswers", () => {
  const ctx = (search: string, plainJson = false) => ({ path: LIC, url: new URL(`http://x${LIC}${search}`), plainJson }) as unknown as RequestContext;

  it("makes an answer once per request and inputs, and makes it anew when either changes", () => {
    let made = 0;
    let inputs = "a";
    const handler = keepAnswers(() => ({ status: 200, body: { n: ++made } }), () => inputs);
    const first = handler(ctx("?fields=*")) as { payload?: Buffer };
    expect(String(first.payload)).toBe('{"n":1}');
    expect(handler(ctx("?fields=*"))).toBe(first);
    expect(made).toBe(1);
    handler(ctx("?fields=name"));
    handler(ctx("?fields=*", true));
    expect(made).toBe(3);
    inputs = "b";
    expect(String((handler(ctx("?fields=*")) as { payload?: Buffer }).payload)).toBe('{"n":4}');
  });

  it("keeps nothing when the inputs cannot be told, nor an error", () => {
    let made = 0;
    const untold = keepAnswers(() => ({ status: 200, body: { n: ++made } }), () => undefined);
    untold(ctx(""));
    untold(ctx(""));
    expect(made).toBe(2);
    const failing = keepAnswers(() => { made++; throw new Error("404"); }, () => "a");
    expect(() => failing(ctx(""))).toThrow("404");
    expect(() => failing(ctx(""))).toThrow("404");
    expect(made).toBe(4);
  });
});
