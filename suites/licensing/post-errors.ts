// The errors of a license POST answer. NetApp's definition gives the plural
// envelope {"errors": [...]} (error_responses); the getting-started page's
// error object and NetApp's own client read the singular {"error": {...}}
// that every other operation uses. The sources disagree (spec/quirks.yaml
// license-post-error-singular), so the checks accept both: the validator
// names the singular form as that quirk (a warning; --strict decides).

import type { ErrorFields } from "../../src/contract/index.ts";

export interface PostErrors {
  /** Which envelope the answer used, if any. */
  form?: "errors" | "error";
  errors: Array<{ code?: unknown; message?: unknown }>;
}

export function postErrors(body: ErrorFields | undefined): PostErrors {
  if (Array.isArray(body?.errors)) return { form: "errors", errors: body.errors };
  if (body?.error && typeof body.error === "object") return { form: "error", errors: [body.error] };
  return { errors: [] };
}
