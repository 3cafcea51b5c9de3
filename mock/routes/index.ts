// Every operation of the contract, mapped to the mock's handler for it.
import type { Handler } from "../server/types.ts";
import type { MockState } from "../scenarios/index.ts";
import type { OntapError } from "../errors.ts";
import { clusterHandlers } from "./cluster.ts";
import { licensingHandlers, LICENSING_REQUIRED_BODY_CODES } from "./licensing.ts";
import { softwareHandlers } from "./software.ts";

export function handlersFor(state: MockState): Record<string, Handler> {
  return { ...clusterHandlers(state), ...licensingHandlers(state), ...softwareHandlers(state) };
}

export const REQUIRED_BODY_CODES: Record<string, Record<string, OntapError>> = { ...LICENSING_REQUIRED_BODY_CODES };
