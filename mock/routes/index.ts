// Every operation of the contract, mapped to the mock's handler for it.
import type { Handler } from "../server/types.ts";
import type { MockState } from "../scenarios/index.ts";
import type { OntapError } from "../errors.ts";
import { clusterHandlers } from "./cluster.ts";
import { licensingHandlers, LICENSING_REQUIRED_BODY_CODES } from "./licensing.ts";
import { softwareHandlers } from "./software.ts";
import { keepAnswers } from "../server/answers.ts";

export function handlersFor(state: MockState): Record<string, Handler> {
  return { ...clusterHandlers(state), ...licensingHandlers(state), ...softwareHandlers(state) };
}

/**
 * The reference mock's handlers: those of every operation, with the answers
 * of the licence reads kept for repeated requests while the licences, the
 * nodes, the release and the time (by which licences expire) stay as they
 * were (server/answers.ts). Not for a mutant or variant, which rewrites
 * replies after the handler.
 */
export function referenceHandlers(state: MockState): Record<string, Handler> {
  const handlers = handlersFor(state);
  const inputs = () => {
    const licensing = state.licensing.answerInputs();
    return licensing === undefined ? undefined : [state.version, licensing];
  };
  return { ...handlers, licenses_get: keepAnswers(handlers.licenses_get, inputs), license_get: keepAnswers(handlers.license_get, inputs) };
}

export const REQUIRED_BODY_CODES: Record<string, Record<string, OntapError>> = { ...LICENSING_REQUIRED_BODY_CODES };
