// The validator registry: Ajv validators compiled once per (target version,
// direction) from spec/ontap.yaml, and the checks every response gets
// (documented status, body schema, error envelope and code). Violations come
// back with a JSON pointer, the schema location and a sentence a person
// understands.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import * as formatsModule from "ajv-formats";
import { loadSpec, type Json } from "./spec.ts";
import { compareVersions, existsIn, formatVersion, parseVersion, type OntapVersion } from "./version.ts";
import { acceptedParams, bodyFor, commonErrorCodes, getOperation, paramsFor, successStatuses, type Operation } from "./operations.ts";
import { findQuirk } from "./quirks.ts";
import { isDateTime } from "./formats.ts";

// ajv-formats is CommonJS; under NodeNext its default export is the module.
const addFormats: (ajv: Ajv2020) => void = ((formatsModule as Json).default ?? formatsModule) as never;

export type Severity = "error" | "warning";

export interface Violation {
  /** Stable rule name: schema, unknown-field, status, error-code, error-status, query. */
  rule: string;
  /** JSON pointer into the body ("" = the whole body). */
  pointer: string;
  /** Where the broken rule lives in spec/ontap.yaml. */
  schemaPath: string;
  /** JSON-Schema keyword (type, enum, required, additionalProperties, ...) or the rule name. */
  keyword: string;
  /** The property concerned, for required/additionalProperties. */
  property?: string;
  /** The offending value (the unknown property's value for additionalProperties). */
  value?: unknown;
  message: string;
  severity: Severity;
  /** Named docs quirk that explains this violation. */
  quirk?: string;
}

export interface ValidationResult {
  ok: boolean;
  errors: Violation[];
  warnings: Violation[];
}

export interface ValidateOptions {
  /** Target ONTAP version; undefined accepts every version's fields. */
  ontapVersion?: OntapVersion | string;
  /** Quirks and unknown fields fail instead of warn. */
  strict?: boolean;
}

type Direction = "response" | "request";

interface GatedProperty {
  introduced?: string;
  removed?: string;
  readOnly?: boolean;
  writeOnly?: boolean;
}

interface CompiledView {
  ajv: Ajv2020;
  id: string;
  /** Object-schema location → properties removed from this view, and why. */
  gated: Map<string, Record<string, GatedProperty>>;
  cache: Map<string, ValidateFunction>;
}

const views = new Map<string, CompiledView>();

/** Version texts as the run spells them -> normalized keys (parsed once, not per response). */
const versionKeys = new Map<string, string>();

function versionKey(v: OntapVersion | string | undefined): string {
  if (v === undefined) return "any";
  if (typeof v !== "string") return formatVersion(v);
  let key = versionKeys.get(v);
  if (key === undefined) versionKeys.set(v, (key = formatVersion(parseVersion(v))));
  return key;
}

/**
 * Copy of components.schemas for one version and direction: properties that do
 * not exist in that version (or may not travel in that direction) are removed,
 * every closed object gets additionalProperties:false so unknown fields are
 * seen, and vendor extensions are stripped (Ajv's strict mode rejects them).
 */
function buildView(version: OntapVersion | string | undefined, direction: Direction): CompiledView {
  const doc = loadSpec();
  const schemas: Json = structuredClone(doc.components.schemas);
  const gated = new Map<string, Record<string, GatedProperty>>();
  const targetOf = (node: Json): Json => {
    const ref = node?.$ref;
    return typeof ref === "string" ? doc.components.schemas[ref.split("/").pop()!] : undefined;
  };
  const transform = (node: Json, loc: string, original: Json): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node.enum) && original?.["x-ontap-enum-introduced"]) {
      const gates = original["x-ontap-enum-introduced"];
      node.enum = node.enum.filter((v: string) => existsIn(version, gates[v]));
    }
    if (node.properties) {
      const removed: Record<string, GatedProperty> = {};
      for (const name of Object.keys(node.properties)) {
        const prop = original.properties[name];
        const target = targetOf(prop) ?? {};
        const introduced = prop["x-ontap-introduced"] ?? target["x-ontap-introduced"];
        const gone = prop["x-ontap-removed"] ?? target["x-ontap-removed"];
        const readOnly = Boolean(prop.readOnly ?? target.readOnly);
        const writeOnly = Boolean(prop.writeOnly ?? target.writeOnly);
        if (!existsIn(version, introduced, gone)) removed[name] = { introduced, removed: gone };
        else if (direction === "response" && writeOnly) removed[name] = { writeOnly };
        else if (direction === "request" && readOnly) removed[name] = { readOnly };
        else transform(node.properties[name], `${loc}/properties/${name}`, prop);
        if (name in removed) delete node.properties[name];
      }
      if (Object.keys(removed).length) gated.set(loc, removed);
      if (direction === "request" && original["x-ontap-request-required"]) node.required = [...(node.required ?? []), ...original["x-ontap-request-required"]];
      if (!original["x-ontap-open-schema"] && node.additionalProperties === undefined) node.additionalProperties = false;
    }
    if (node.items) transform(node.items, `${loc}/items`, original.items);
    for (const key of Object.keys(node)) if (key.startsWith("x-")) delete node[key];
  };
  for (const name of Object.keys(schemas)) transform(schemas[name], `#/components/schemas/${name}`, doc.components.schemas[name]);

  const ajv = new Ajv2020({ strict: true, allErrors: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  // The same judgement as ajv-formats' date-time, nine times faster (src/contract/formats.ts).
  ajv.addFormat("date-time", { type: "string", validate: isDateTime });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("password", () => true);
  const id = `ontap-${versionKey(version)}-${direction}.json`;
  ajv.addSchema({ $id: id, components: { schemas } });
  ajv.addVocabulary(["components"]);
  return { ajv, id, gated, cache: new Map() };
}

function viewFor(version: OntapVersion | string | undefined, direction: Direction): CompiledView {
  const key = `${versionKey(version)}/${direction}`;
  let view = views.get(key);
  if (!view) {
    view = buildView(version, direction);
    views.set(key, view);
  }
  return view;
}

function validatorFor(view: CompiledView, schemaName: string): ValidateFunction {
  let fn = view.cache.get(schemaName);
  if (!fn) {
    fn = view.ajv.compile({ $ref: `${view.id}#/components/schemas/${schemaName}` });
    view.cache.set(schemaName, fn);
  }
  return fn;
}

function valueAt(body: unknown, pointer: string): unknown {
  let cur: Json = body;
  for (const seg of pointer.split("/").slice(1)) cur = cur?.[seg.replace(/~1/g, "/").replace(/~0/g, "~")];
  return cur;
}

function where(pointer: string): string {
  return pointer === "" ? "(body)" : pointer.slice(1);
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? "undefined" : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function versionNote(g: GatedProperty): string {
  if (g.readOnly) return "it is readOnly and must not be sent";
  if (g.writeOnly) return "it is writeOnly and must not be returned";
  if (g.introduced) return `it exists from ONTAP ${g.introduced}`;
  if (g.removed) return `it was removed in ONTAP ${g.removed}`;
  return "";
}

/**
 * Location (as used by CompiledView.gated) of the object schema that describes
 * the value at `pointer` in a body of component schema `rootSchema`.
 */
function locateObjectSchema(rootSchema: string, pointer: string): string | undefined {
  const doc = loadSpec();
  let loc = `#/components/schemas/${rootSchema}`;
  let node: Json = doc.components.schemas[rootSchema];
  const follow = (): void => {
    while (node && typeof node.$ref === "string") {
      const name = node.$ref.split("/").pop()!;
      loc = `#/components/schemas/${name}`;
      node = doc.components.schemas[name];
    }
  };
  follow();
  for (const seg of pointer.split("/").slice(1)) {
    if (!node) return undefined;
    if (node.type === "array" || (node.items && /^\d+$/.test(seg))) {
      loc = `${loc}/items`;
      node = node.items;
    } else {
      loc = `${loc}/properties/${seg}`;
      node = node.properties?.[seg];
    }
    follow();
  }
  return node ? loc : undefined;
}

function toViolation(view: CompiledView, rootSchema: string, e: ErrorObject, body: unknown, versionText: string): Violation {
  const pointer = e.instancePath;
  const value = valueAt(body, pointer);
  const schemaPath = e.schemaPath.replace(/^[^#]*#/, "#");
  const base = { pointer, schemaPath, keyword: e.keyword, severity: "error" as Severity, rule: "schema", value };
  switch (e.keyword) {
    case "enum":
      return { ...base, message: `${where(pointer)}: ${show(value)} is not one of ${(e.params.allowedValues as unknown[]).join(", ")}` };
    case "type":
      return { ...base, message: `${where(pointer)}: ${show(value)} is not of type ${e.params.type}` };
    case "required":
      return {
        ...base,
        property: e.params.missingProperty,
        pointer: `${pointer}/${e.params.missingProperty}`,
        message: `${where(pointer)}: required property "${e.params.missingProperty}" is missing`,
      };
    case "format":
      return { ...base, message: `${where(pointer)}: ${show(value)} is not a valid ${e.params.format}` };
    case "additionalProperties": {
      const prop = e.params.additionalProperty as string;
      // Ajv reports schema paths relative to inlined references, so the
      // object schema is found by walking the spec along the instance path.
      const loc = locateObjectSchema(rootSchema, pointer);
      const gate = loc ? view.gated.get(loc)?.[prop] : undefined;
      const childPointer = `${pointer}/${prop}`;
      base.value = (value as Record<string, unknown> | undefined)?.[prop];
      if (gate) {
        const why = versionNote(gate);
        const readOrWrite = gate.readOnly || gate.writeOnly;
        return {
          ...base,
          property: prop,
          rule: readOrWrite ? "schema" : "unknown-field",
          message: `${where(childPointer)}: property "${prop}" is not expected here${versionText}: ${why}`,
        };
      }
      return { ...base, property: prop, rule: "unknown-field", message: `${where(pointer)}: unknown property "${prop}"` };
    }
    default:
      return { ...base, message: `${where(pointer)}: ${show(value)} ${e.message ?? "is invalid"}` };
  }
}

/** The newest ONTAP release spec/ontap.yaml describes (x-ontap-versions.newest). */
export function newestSpecVersion(): string | undefined {
  return loadSpec()["x-ontap-versions"]?.newest;
}

/**
 * A target release newer than the newest the spec describes, or undefined.
 * Such a release may carry fields no definition the spec was written from
 * has, so an unknown field in its answers stays a warning under --strict too.
 */
function beyondSpec(version: OntapVersion | string | undefined): string | undefined {
  const newest = newestSpecVersion();
  if (version === undefined || newest === undefined) return undefined;
  return compareVersions(version, newest) > 0 ? versionKey(version) : undefined;
}

/**
 * Apply the stance: quirks and unknown fields warn unless strict. `beyond`:
 * the target runs a release newer than the spec (see beyondSpec), whose
 * unknown response fields warn even under strict, naming the release.
 */
function settle(operationId: string, violations: Violation[], strict: boolean, beyond?: string): ValidationResult {
  const errors: Violation[] = [];
  const warnings: Violation[] = [];
  for (const v of violations) {
    const quirk = findQuirk(operationId, v);
    const named = quirk?.kind === "disagreement" ? `quirk ${quirk.id}: the sources disagree` : `docs quirk ${quirk?.id}`;
    const tagged: Violation = quirk ? { ...v, quirk: quirk.id, message: `${v.message} (${named})` } : v;
    const soft = Boolean(quirk) || v.rule === "unknown-field" || v.rule === "error-code";
    if (beyond && v.rule === "unknown-field" && !quirk) {
      warnings.push({ ...tagged, severity: "warning", message: `${tagged.message} (ONTAP ${beyond} is newer than ${newestSpecVersion()}, the newest release the spec describes: a field the spec cannot know is a warning, also under --strict)` });
    } else if (soft && !strict) warnings.push({ ...tagged, severity: "warning" });
    else errors.push({ ...tagged, severity: "error" });
  }
  return { ok: errors.length === 0, errors, warnings };
}

function schemaViolations(schemaName: string, body: unknown, version: OntapVersion | string | undefined, direction: Direction): Violation[] {
  const view = viewFor(version, direction);
  const fn = validatorFor(view, schemaName);
  if (fn(body)) return [];
  const versionText = version === undefined ? "" : ` on ONTAP ${versionKey(version)}`;
  return (fn.errors ?? []).map((e) => toViolation(view, schemaName, e, body, versionText));
}

/** Validate a body against a component schema, in the response direction. */
export function validateSchema(schemaName: string, body: unknown, opts: ValidateOptions & { operationId?: string; direction?: Direction } = {}): ValidationResult {
  const direction = opts.direction ?? "response";
  return settle(opts.operationId ?? "*", schemaViolations(schemaName, body, opts.ontapVersion, direction), Boolean(opts.strict), direction === "response" ? beyondSpec(opts.ontapVersion) : undefined);
}

function errorCodeViolations(op: Operation, status: number, body: Json): Violation[] {
  const envelopes: Json[] = Array.isArray(body?.errors) ? body.errors : body?.error ? [body.error] : [];
  const common = commonErrorCodes();
  const out: Violation[] = [];
  envelopes.forEach((err, i) => {
    const code = typeof err?.code === "string" ? err.code : undefined;
    if (code === undefined) return; // the schema already reports it
    const pointer = Array.isArray(body.errors) ? `/errors/${i}/code` : "/error/code";
    if (!(code in op.errorCodes) && !(code in common)) {
      out.push({
        rule: "error-code", keyword: "error-code", pointer, schemaPath: `operation ${op.id} x-ontap-error-codes`, severity: "error",
        message: `${where(pointer)}: error code ${code} is documented neither for ${op.id} nor as a common ONTAP code`,
      });
    } else if (!(code in op.errorCodes) && common[code].http && !common[code].http!.includes(status)) {
      out.push({
        rule: "error-status", keyword: "error-status", pointer, schemaPath: "#/x-ontap-common-error-codes", severity: "error",
        message: `HTTP ${status} with error code ${code} (${common[code].meaning}); the documented status for it is ${common[code].http!.join(" or ")}`,
      });
    }
  });
  return out;
}

/**
 * Validate a response of `operationId`: the status is documented for the
 * target version, the body matches that status's schema, and an error body
 * carries a documented (or common) ONTAP error code with its HTTP status.
 */
export function validateResponse(operationId: string, status: number, body: unknown, opts: ValidateOptions = {}): ValidationResult {
  const op = getOperation(operationId);
  const version = opts.ontapVersion;
  const violations: Violation[] = [];
  if (status >= 200 && status < 300) {
    const documented = successStatuses(op, version);
    const entry = op.statuses.find((s) => s.status === String(status));
    if (!documented.includes(status)) {
      const later = entry?.introduced ? ` (documented from ONTAP ${entry.introduced})` : "";
      violations.push({
        rule: "status", keyword: "status", pointer: "", schemaPath: `operation ${op.id} responses`, severity: "error",
        message: `status ${status} is not documented for ${op.id}${version === undefined ? "" : ` on ONTAP ${versionKey(version)}`}${later}; documented: ${documented.join(", ")}`,
      });
    }
    if (entry?.schemaName && body !== undefined) violations.push(...schemaViolations(entry.schemaName, body, version, "response"));
  } else if (status >= 400 && status < 600) {
    const entry = op.statuses.find((s) => s.status === "default");
    if (entry?.schemaName) {
      let schemaName = entry.schemaName;
      const b = body as Json;
      if (schemaName === "error_responses" && b && typeof b === "object" && b.error !== undefined && b.errors === undefined) {
        // The sources disagree on this envelope (spec/quirks.yaml license-post-error-singular):
        // the singular form is judged as what it is, and named once.
        violations.push({
          rule: "envelope", keyword: "envelope", pointer: "", property: "error", schemaPath: `operation ${op.id} responses default`, severity: "error", value: b.error,
          message: `the error comes in the singular envelope {"error": {...}}; the definition of ${op.id} gives error_responses {"errors": [...]}`,
        });
        schemaName = "error_response";
      }
      const schemaErrors = schemaViolations(schemaName, body, version, "response");
      violations.push(...schemaErrors);
      if (body !== undefined) violations.push(...errorCodeViolations(op, status, body as Json));
    }
  } else {
    violations.push({
      rule: "status", keyword: "status", pointer: "", schemaPath: `operation ${op.id} responses`, severity: "error",
      message: `status ${status} is not documented for ${op.id}`,
    });
  }
  return settle(operationId, violations, Boolean(opts.strict), beyondSpec(version));
}

/** Validate a request body of `operationId` (readOnly fields may not be sent). */
export function validateRequestBody(operationId: string, body: unknown, opts: ValidateOptions = {}): ValidationResult {
  const op = getOperation(operationId);
  const requestBody = bodyFor(op, opts.ontapVersion);
  if (!requestBody) {
    const later = op.requestBody?.introduced ? ` on ONTAP ${versionKey(opts.ontapVersion)} (it takes one from ${op.requestBody.introduced})` : "";
    const violations: Violation[] = body === undefined ? [] : [{
      rule: "schema", keyword: "requestBody", pointer: "", schemaPath: `operation ${op.id}`, severity: "error",
      message: `${op.id} takes no request body${later}`,
    }];
    return settle(operationId, violations, Boolean(opts.strict));
  }
  const violations = requestBody.schemaName ? schemaViolations(requestBody.schemaName, body, opts.ontapVersion, "request") : [];
  return settle(operationId, violations, Boolean(opts.strict));
}

const BOOLEAN = /^(true|false)$/i;

/**
 * Validate query parameters of `operationId`: unknown or version-gated names,
 * missing required ones, and the type, range and enum of non-filter values.
 * Known names are the operation's own and those ONTAP's framework accepts on
 * its kind of operation (x-ontap-framework-params). Filter values are ONTAP
 * query expressions and are not checked here.
 */
export function validateQuery(operationId: string, query: Record<string, string | string[]>, opts: ValidateOptions = {}): ValidationResult {
  const op = getOperation(operationId);
  const known = new Map(acceptedParams(op, opts.ontapVersion).filter((p) => p.in === "query").map((p) => [p.name, p]));
  const all = new Map(op.params.filter((p) => p.in === "query").map((p) => [p.name, p]));
  const violations: Violation[] = [];
  const push = (pointer: string, message: string, keyword = "query") =>
    violations.push({ rule: "query", keyword, pointer, schemaPath: `operation ${op.id} parameters`, severity: "error", message });
  for (const [name, raw] of Object.entries(query)) {
    const p = known.get(name);
    if (!p) {
      const gated = all.get(name);
      push(`/${name}`, gated
        ? `query parameter "${name}" does not exist on ONTAP ${versionKey(opts.ontapVersion)} (${gated.introduced && !existsIn(opts.ontapVersion, gated.introduced) ? `introduced in ${gated.introduced}` : `removed in ${gated.removed}`})`
        : `query parameter "${name}" is not documented for ${op.id}`, "unknown-parameter");
      continue;
    }
    if (p.filter) continue;
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length > 1) push(`/${name}`, `query parameter "${name}" is given ${values.length} times`, "duplicate");
    const value = values[values.length - 1];
    const schema = p.schema ?? {};
    if (schema.type === "boolean" && !BOOLEAN.test(value)) push(`/${name}`, `${name}=${value} is not a boolean`, "type");
    if (schema.type === "integer") {
      if (!/^-?\d+$/.test(value)) push(`/${name}`, `${name}=${value} is not an integer`, "type");
      else {
        const n = Number(value);
        if (schema.minimum !== undefined && n < schema.minimum) push(`/${name}`, `${name}=${n} is below the minimum ${schema.minimum}`, "minimum");
        if (schema.maximum !== undefined && n > schema.maximum) push(`/${name}`, `${name}=${n} is above the maximum ${schema.maximum}`, "maximum");
      }
    }
    if (schema.enum && !schema.enum.includes(value)) push(`/${name}`, `${name}=${value} is not one of ${schema.enum.join(", ")}`, "enum");
  }
  for (const p of known.values()) {
    if (p.required && !(p.name in query)) push(`/${p.name}`, `required query parameter "${p.name}" is missing`, "required");
  }
  return settle(operationId, violations, Boolean(opts.strict));
}

/** Response media types documented for a status of an operation. */
export function documentedMediaTypes(operationId: string, status: number): string[] {
  const op = getOperation(operationId);
  const entry = op.statuses.find((s) => s.status === String(status)) ?? (status >= 400 ? op.statuses.find((s) => s.status === "default") : undefined);
  return entry?.mediaTypes ?? [];
}
