// /__mock/*: the control API only the reference mock understands, for tests
// and for the suite's runs against the embedded mock. Needs the admin user.
//   POST /__mock/reset                      back to the scenario's start
//   POST /__mock/faults {operation, code, httpStatus?, message?, once?}
//   POST /__mock/clock  {advanceMs}          step the virtual clock
//   GET  /__mock/state                      licenses, packages and software state
import type { IncomingMessage } from "node:http";
import { OntapError } from "../errors.ts";
import type { MockState } from "../scenarios/index.ts";
import type { Fault } from "./dispatch.ts";
import { errorReply } from "./respond.ts";
import type { Reply } from "./types.ts";

export interface ControlDeps {
  auth: { username: string; password: string };
  state(): MockState;
  reset(): void;
  injectFault(f: Fault): void;
}

export async function controlApi(req: IncomingMessage, body: Buffer, deps: ControlDeps): Promise<{ reply: Reply; plainJson: boolean; head: boolean }> {
  const done = (reply: Reply) => ({ reply, plainJson: false, head: false });
  const expected = `Basic ${Buffer.from(`${deps.auth.username}:${deps.auth.password}`).toString("base64")}`;
  if (req.headers.authorization !== expected) return done(errorReply(new OntapError(401, 6, "Authentication failed.")));
  const path = (req.url ?? "").split("?")[0];
  let input: any = {};
  try {
    input = body.length ? JSON.parse(body.toString("utf8")) : {};
  } catch {
    return done(errorReply(new OntapError(400, 262199, "Invalid JSON.")));
  }
  const state = deps.state();
  if (req.method === "POST" && path === "/__mock/reset") {
    deps.reset();
    return done({ status: 200, body: {} });
  }
  if (req.method === "POST" && path === "/__mock/faults") {
    if (typeof input.operation !== "string" || !Number.isInteger(input.code)) return done(errorReply(new OntapError(400, 262185, "A fault needs operation (an operationId) and code (an integer).")));
    deps.injectFault({ operation: input.operation, code: input.code, httpStatus: input.httpStatus ?? 500, message: input.message ?? `Injected fault ${input.code}.`, once: input.once });
    return done({ status: 201, body: {} });
  }
  if (req.method === "POST" && path === "/__mock/clock") {
    if (!Number.isFinite(input.advanceMs) || input.advanceMs < 0) return done(errorReply(new OntapError(400, 262185, "advanceMs must be a non-negative number.")));
    state.clock.advance(input.advanceMs);
    return done({ status: 200, body: { now: state.clock.isoNow() } });
  }
  if (req.method === "GET" && path === "/__mock/state") {
    return done({ status: 200, body: state.snapshot() });
  }
  return done(errorReply(new OntapError(404, 3, "Unknown mock control endpoint.")));
}
