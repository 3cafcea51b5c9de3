// Loads spec/ontap.yaml once. Everything the project knows about the contract
// is read from this one document (operation table, validators, field types,
// error codes, version gates); nothing is retyped elsewhere.
import { fileURLToPath } from "node:url";
import { readYamlFile } from "./yaml-file.ts";

export const SPEC_PATH = fileURLToPath(new URL("../../spec/ontap.yaml", import.meta.url));
export const QUIRKS_PATH = fileURLToPath(new URL("../../spec/quirks.yaml", import.meta.url));
export const EXAMPLES_DIR = fileURLToPath(new URL("../../spec/examples/", import.meta.url));

// The document is plain JSON-like data; a loose type keeps the walkers simple.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

let cached: Json | undefined;

/** The parsed OpenAPI document (shared, do not mutate: clone first). */
export function loadSpec(): Json {
  if (!cached) cached = readYamlFile(SPEC_PATH, { merge: true });
  return cached;
}

/** Resolve a local `#/a/b` reference against the document. */
export function resolveRef(doc: Json, ref: string): Json {
  if (!ref.startsWith("#/")) throw new Error(`only local references are supported: ${ref}`);
  let node = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = node?.[key];
    if (node === undefined) throw new Error(`unresolvable reference ${ref}`);
  }
  return node;
}

/** Follow `$ref` chains until a concrete schema or parameter. */
export function deref(doc: Json, node: Json): Json {
  let cur = node;
  for (let i = 0; i < 20 && cur && typeof cur === "object" && typeof cur.$ref === "string"; i++) {
    const target = resolveRef(doc, cur.$ref);
    // OpenAPI 3.1 allows siblings next to $ref (description, readOnly, x-...): keep them.
    const { $ref: _ignored, ...siblings } = cur;
    cur = Object.keys(siblings).length ? { ...target, ...siblings } : target;
  }
  return cur;
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** How checks name the document in their spec pointers. */
export const SPEC_FILE = "spec/ontap.yaml";

/** A pointer into spec/ontap.yaml as a check names it: specPointer("components", "schemas", "job") = `spec/ontap.yaml#/components/schemas/job`. */
export function specPointer(...tokens: string[]): string {
  return `${SPEC_FILE}#/${tokens.map(escapePointer).join("/")}`;
}

/** The element of spec/ontap.yaml a spec pointer names; throws when it names none. */
export function resolveSpecPointer(pointer: string): Json {
  if (!pointer.startsWith(`${SPEC_FILE}#/`)) throw new Error(`${pointer} is not a pointer into ${SPEC_FILE} (${SPEC_FILE}#/...)`);
  return resolveRef(loadSpec(), pointer.slice(SPEC_FILE.length));
}
