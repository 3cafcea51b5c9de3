// The one way the reference mock reports a failed request: ONTAP's error
// envelope. Domain modules throw OntapError; the HTTP layer turns it into
// `{"error": {"code": "<string>", "message": "...", "target"?: "..."}}` (or
// `{"errors": [...]}` for license POST) with the given HTTP status.

export interface ErrorArgument {
  code: string;
  message: string;
}

export class OntapError extends Error {
  readonly httpStatus: number;
  /** ONTAP error code, an integer carried as a JSON string on the wire. */
  readonly code: number;
  readonly target?: string;
  readonly arguments?: ErrorArgument[];

  constructor(httpStatus: number, code: number, message: string, opts: { target?: string; arguments?: ErrorArgument[] } = {}) {
    super(message);
    this.name = "OntapError";
    this.httpStatus = httpStatus;
    this.code = code;
    this.target = opts.target;
    this.arguments = opts.arguments;
  }

  toJSON(): { code: string; message: string; target?: string; arguments?: ErrorArgument[] } {
    const out: { code: string; message: string; target?: string; arguments?: ErrorArgument[] } = {
      code: String(this.code),
      message: this.message,
    };
    if (this.target !== undefined) out.target = this.target;
    if (this.arguments !== undefined) out.arguments = this.arguments;
    return out;
  }
}

/** ONTAP's common "entry doesn't exist" (code 4, HTTP 404). */
export function notFound(target?: string): OntapError {
  return new OntapError(404, 4, "entry doesn't exist", { target });
}

/** Common code 262179: an argument the operation does not know. */
export function unexpectedArgument(name: string): OntapError {
  return new OntapError(400, 262179, `Unexpected argument "${name}".`, { target: name });
}

/** Common code 262185: an invalid value for a parameter or field. */
export function invalidValue(name: string, value: string, why?: string): OntapError {
  return new OntapError(400, 262185, `Invalid value "${value}" for "${name}"${why ? `: ${why}` : "."}`, { target: name });
}
