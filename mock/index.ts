// The reference ONTAP mock: startMock() in-process (tests, the default run)
// or `ontap-conformance mock` standalone. An independent implementation of
// the contract; it reads the spec's operation table but never the suite's
// oracles.
import type { IncomingMessage } from "node:http";
import { OntapError } from "./errors.ts";
import { dispatch, type Fault } from "./server/dispatch.ts";
import { listen, selfSignedCertificate, type TlsMaterial } from "./server/listen.ts";
import { errorReply } from "./server/respond.ts";
import type { Reply } from "./server/types.ts";
import { PAGE_TOKEN_PARAM } from "./server/collection.ts";
import { buildState, SCENARIOS, type MockState, type ScenarioName } from "./scenarios/index.ts";
import { handlersFor, referenceHandlers, REQUIRED_BODY_CODES } from "./routes/index.ts";
import { controlApi } from "./server/control.ts";
import type { MockPatch } from "./mutants/types.ts";

export { SCENARIOS, type ScenarioName, type MockState };

export interface MockOptions {
  port?: number;
  host?: string;
  /** true: a self-signed certificate made at start; or PEM material. */
  tls?: boolean | TlsMaterial;
  username?: string;
  password?: string;
  readOnlyUser?: { username: string; password: string };
  scenario?: ScenarioName;
  /** Records per collection for the `large` scenario. */
  records?: number;
  /** The ONTAP version the mock impersonates. */
  ontapVersion?: string;
  latencyMs?: number;
  /** Virtual ms per real ms (default 3600). */
  clockSpeed?: number;
  /** Opt-in: refuse JSON bodies over this many bytes with 262199 (no NetApp source documents a limit, so none by default). */
  maxJsonBody?: number;
  /**
   * Break exactly one rule of the contract (a mutant of mock/mutants/), for
   * proving checks can fail; or answer in one other legal way (a variant of
   * mock/variants/), for proving they do not fail a conformant server.
   */
  mutant?: MockPatch;
}

export interface MockHandle {
  url: string;
  options: Required<Pick<MockOptions, "username" | "password" | "scenario" | "ontapVersion">> & MockOptions;
  /** The certificate the mock serves (HTTPS only), to trust with --ca. */
  certificate?: string;
  state(): MockState;
  /** Back to the scenario's starting state. */
  reset(): void;
  /** Arm a fault: the next request of `operation` answers with this error. */
  injectFault(fault: Fault): void;
  close(): Promise<void>;
}

/** Query parameters handled outside the contract: the paging token. One set for every request (dispatch keeps what it judged of a query per set). */
const EXTRA_QUERY = new Set([PAGE_TOKEN_PARAM]);

export const DEFAULT_USERNAME = "admin";
export const DEFAULT_PASSWORD = "netapp123";
export const DEFAULT_VERSION = "9.18.1";

export async function startMock(opts: MockOptions = {}): Promise<MockHandle> {
  const options = {
    ...opts,
    username: opts.username ?? DEFAULT_USERNAME,
    password: opts.password ?? DEFAULT_PASSWORD,
    scenario: opts.scenario ?? "docs",
    // "9.8" is release 9.8.0: the package repository, the cluster and the image names must agree on one spelling.
    ontapVersion: normalizeVersion(opts.ontapVersion ?? DEFAULT_VERSION),
  };
  const makeState = () => buildState(options.scenario, { version: options.ontapVersion, clockSpeed: opts.clockSpeed ?? 3600, records: opts.records ?? 1000 });
  const withMutant = (st: MockState) => {
    if (!opts.mutant) return referenceHandlers(st);
    const base = handlersFor(st);
    opts.mutant.setup?.(st);
    return Object.fromEntries(Object.entries(base).map(([op, h]) => [op, opts.mutant!.wrap?.(op, h, st) ?? h]));
  };
  let state = makeState();
  let handlers = withMutant(state);
  const faults: Fault[] = [];
  const takeFault = (operation: string): Fault | undefined => {
    const i = faults.findIndex((f) => f.operation === operation);
    if (i < 0) return undefined;
    const fault = faults[i];
    if (fault.once !== false) faults.splice(i, 1);
    return fault;
  };
  // One request at a time changes state: concurrent writes are serialised so
  // no request ever sees a half-applied change.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const handle = async (req: IncomingMessage, body: Buffer): Promise<{ reply: Reply; plainJson: boolean; head: boolean }> => {
    if (opts.mutant?.rewriteRequest && req.url) {
      const url = new URL(req.url, "http://mock.invalid");
      opts.mutant.rewriteRequest(url, (req.method ?? "GET").toUpperCase());
      req.url = `${url.pathname}${url.search}`;
    }
    const path = (req.url ?? "/").split("?")[0];
    if (path.startsWith("/__mock/")) {
      return controlApi(req, body, {
        auth: options,
        state: () => state,
        reset: () => { state.clock.stop(); state = makeState(); handlers = withMutant(state); faults.length = 0; },
        injectFault: (f) => faults.push(f),
      });
    }
    if (!path.startsWith("/api/") && path !== "/api") {
      return { reply: errorReply(new OntapError(404, 3, "API not found")), plainJson: false, head: false };
    }
    const run = () => dispatch(req, body, {
      auth: options, version: state.version, handlers, extraQuery: EXTRA_QUERY, requiredBodyCodes: REQUIRED_BODY_CODES, maxJsonBody: opts.maxJsonBody, takeFault,
    });
    const out = await (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS" ? run() : serialised(run));
    opts.mutant?.rewriteResponse?.(out.reply, { method: (req.method ?? "GET").toUpperCase(), path, query: new URL(req.url ?? "/", "http://mock.invalid").searchParams, plainJson: out.plainJson });
    return out;
  };
  let tls: TlsMaterial | undefined;
  if (opts.tls === true) tls = await selfSignedCertificate(opts.host ?? "127.0.0.1");
  else if (opts.tls) tls = opts.tls;
  const server = await listen({ host: opts.host ?? "127.0.0.1", port: opts.port ?? 0, tls, latencyMs: opts.latencyMs ?? 0, handle });
  return {
    url: server.url,
    options,
    certificate: tls?.cert,
    state: () => state,
    reset: () => { state.clock.stop(); state = makeState(); handlers = withMutant(state); faults.length = 0; },
    injectFault: (f) => faults.push(f),
    close: async () => {
      state.clock.stop();
      await server.close();
    },
  };
}

function normalizeVersion(version: string): string {
  return /^\d+\.\d+$/.test(version) ? `${version}.0` : version;
}
