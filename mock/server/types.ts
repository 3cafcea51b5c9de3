// Shapes shared by the mock's HTTP layer and its route modules.
import type { IncomingHttpHeaders } from "node:http";
import type { Operation } from "../../src/contract/index.ts";

export interface RequestContext {
  method: string;
  url: URL;
  /** Path below the host, e.g. /api/cluster/software/packages/9.7.0 */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  op: Operation;
  pathParams: Record<string, string>;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
  rawBody: Buffer;
  contentType: string;
  /** Client asked for plain application/json (HAL links then only for next). */
  plainJson: boolean;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Keep HAL links even for Accept: application/json (only mutants set this). */
  keepLinks?: boolean;
  /** The body as it is sent for the request's Accept, already written as JSON bytes (an answer the mock keeps for repeated reads: server/answers.ts). */
  payload?: Buffer;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;
