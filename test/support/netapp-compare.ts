// Compares spec/ontap.yaml, release by release, with NetApp's own definitions
// (spec/sources/netapp-definitions.json, written by
// scripts/extract-netapp-definitions.mts from NetApp/trident).
//
// Releases compared ("checkpoints"): every release a definition exists for,
// and the first release of every version gate the spec uses (a gate "9.13"
// is checked at 9.13.1, the first 9.13 release; "9.8" at 9.8.0). Each
// checkpoint is compared with the newest definition at or before it: a
// definition stands for every release up to the next one's.
//
// A difference is a Diff. It fails the test unless spec/departures.yaml lists
// it with the source that shows a real cluster behaves as the spec says.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { bodyFor, compareVersions, deref, existsIn, loadSpec, operations, paramsFor, successStatuses, type Json, type Operation } from "../../src/contract/index.ts";

const ROOT = join(import.meta.dirname, "../..");
export const TABLE_PATH = join(ROOT, "spec/sources/netapp-definitions.json");
export const DEPARTURES_PATH = join(ROOT, "spec/departures.yaml");

// ------------------------------------------------------------------ types

export interface DefField { type: string | null; format?: string; enum?: string[]; readOnly?: true; minimum?: number; maximum?: number; items?: { type: string | null; format?: string; enum?: string[] } }
export interface DefParam { name: string; in: string; type: string | null; items?: string; format?: string; enum?: string[] | null; default?: unknown; minimum?: number | null; maximum?: number | null; required: boolean | null; filter?: string; schema?: string }
export interface DefOperation { operationId: string; params: DefParam[]; responses: Record<string, string | null>; errorSchema: string | null; errorCodes: string[] | null }
export interface DefRelease {
  release: string;
  commit: string;
  covers: { from: string; before: string | null };
  states: { paramEnums: boolean; paramBounds: boolean; bodyRequired: boolean; objectReadOnly: boolean };
  operations: Record<string, DefOperation>;
  schemas: Record<string, Record<string, DefField>>;
}

export type Direction = "missing" | "invented" | "differs";

export interface Diff {
  checkpoint: string;
  definition: string;
  operation: string;
  kind: string;
  /** For fields: where the schema is used ("200", "request", "default"). */
  where?: string;
  item: string;
  direction: Direction;
  detail: string;
}

export interface Departure {
  operation: string | string[];
  kind: string;
  item: string;
  where?: string;
  direction: Direction;
  releases?: string[];
  from?: string;
  before?: string;
  source: { file: string; line?: number; text: string };
  why: string;
}

/** One thing NetApp's definition states, and whether the spec has it at the checkpoint. */
interface Counted { covered: boolean }

export interface CheckpointResult {
  checkpoint: string;
  definition: string;
  diffs: Diff[];
  /** Items of NetApp's definition (fields, enum values, parameters, statuses, error codes) over the operations both have. */
  items: number;
  covered: number;
  /** Operations NetApp defines that the spec does not model at all. */
  unmodelled: string[];
}

// ------------------------------------------------------------- the table

export function loadTable(): DefRelease[] {
  return (JSON.parse(readFileSync(TABLE_PATH, "utf8")) as { releases: DefRelease[] }).releases;
}

/** A version as the spec writes it ("9.13") → the first release it means ("9.13.1"; "9.8" → "9.8.0"). */
export function firstRelease(gate: string): string {
  const parts = gate.split(".").map(Number);
  if (parts.length >= 3) return gate;
  // From 9.9 on, a release family's first release is x.y.1 (9.9.1, 9.10.1, ...).
  return parts[1] >= 9 ? `${parts[0]}.${parts[1]}.1` : `${parts[0]}.${parts[1]}.0`;
}

const norm = (v: string) => firstRelease(v);

/** Every gate version the spec uses (operations, parameters, properties, statuses, enum values, error codes). */
export function specGates(): string[] {
  const out = new Set<string>();
  const walk = (node: Json): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(walk);
    for (const [k, v] of Object.entries<Json>(node)) {
      if ((k === "x-ontap-introduced" || k === "x-ontap-removed" || k === "introduced" || k === "removed") && typeof v === "string" && /^\d+\.\d+/.test(v)) out.add(v);
      else if (k === "x-ontap-enum-introduced") Object.values<string>(v).forEach((x) => out.add(x));
      else walk(v);
    }
  };
  walk(loadSpec());
  return [...out];
}

export function checkpoints(table: DefRelease[]): Array<{ checkpoint: string; def: DefRelease }> {
  const oldest = table[0].release;
  const all = new Set([...table.map((r) => norm(r.release)), ...specGates().map(norm)]);
  return [...all]
    .filter((v) => compareVersions(v, oldest) >= 0)
    .sort(compareVersions)
    .map((checkpoint) => ({ checkpoint, def: [...table].reverse().find((r) => compareVersions(norm(r.release), checkpoint) <= 0)! }));
}

// ------------------------------------------------------------ spec side

type Fields = Record<string, DefField & { nullable?: true }>;

function typeOf(s: Json): { type: string | null; nullable?: true } {
  const t = s.type;
  if (Array.isArray(t)) {
    const real = t.filter((x: string) => x !== "null");
    return { type: real[0] ?? null, ...(t.includes("null") ? { nullable: true as const } : {}) };
  }
  return { type: t ?? (s.properties ? "object" : null) };
}

/** Every field of a component schema in `version`, as the table writes them. */
export function specFields(schemaName: string, version: string): Fields {
  const doc = loadSpec();
  const out: Fields = {};
  const enumIn = (s: Json): string[] | undefined => {
    if (!Array.isArray(s.enum)) return undefined;
    const gates = s["x-ontap-enum-introduced"] ?? {};
    return s.enum.filter((v: string) => existsIn(version, gates[v])).map(String);
  };
  const walk = (schema: Json, prefix: string, depth: number): void => {
    if (depth > 12) return;
    const s = deref(doc, schema);
    for (const [name, raw] of Object.entries<Json>(s.properties ?? {})) {
      const target = typeof raw.$ref === "string" ? deref(doc, { $ref: raw.$ref }) : {};
      const introduced = raw["x-ontap-introduced"] ?? target["x-ontap-introduced"];
      const removed = raw["x-ontap-removed"] ?? target["x-ontap-removed"];
      if (!existsIn(version, introduced, removed)) continue;
      const prop = deref(doc, raw);
      const path = prefix ? `${prefix}.${name}` : name;
      const { type, nullable } = typeOf(prop);
      const field: DefField & { nullable?: true } = { type };
      if (prop.format && type !== "integer" && type !== "number") field.format = prop.format;
      const e = enumIn(prop);
      if (e) field.enum = e;
      if (prop.readOnly) field.readOnly = true;
      if (prop.minimum !== undefined) field.minimum = prop.minimum;
      if (prop.maximum !== undefined) field.maximum = prop.maximum;
      if (nullable) field.nullable = true;
      out[path] = field;
      if (type === "array" && prop.items) {
        const items = deref(doc, prop.items);
        const it = typeOf(items).type;
        if (it === "object") walk(items, path, depth + 1);
        else field.items = { type: it, ...(items.format && it !== "integer" ? { format: items.format } : {}), ...(enumIn(items) ? { enum: enumIn(items) } : {}) };
      } else if (type === "object") walk(prop, path, depth + 1);
    }
  };
  walk({ $ref: `#/components/schemas/${schemaName}` }, "", 0);
  return out;
}

interface SpecOperation {
  op: Operation;
  params: DefParam[];
  responses: Record<string, Fields | null>;
  request?: Fields;
  error?: Fields;
  errorCodes: string[];
}

function scalarType(s: Json): string | null {
  const { type } = typeOf(s);
  return type;
}

/** What the spec says about an operation in `version`, in the table's terms. */
export function specOperation(op: Operation, version: string): SpecOperation {
  const doc = loadSpec();
  const params: DefParam[] = [];
  for (const p of paramsFor(op, version)) {
    if (p.filter) {
      params.push({ name: p.name, in: p.in, type: scalarType(p.fieldSchema), required: p.required, filter: p.field });
      continue;
    }
    const s = deref(doc, p.schema);
    params.push({
      name: p.name, in: p.in, type: scalarType(s),
      ...(s.items ? { items: scalarType(deref(doc, s.items)) ?? undefined } : {}),
      ...(s.format && s.type !== "integer" ? { format: s.format } : {}),
      ...(s.enum ? { enum: s.enum.map(String) } : {}),
      ...(s.default !== undefined ? { default: s.default } : {}),
      ...(s.minimum !== undefined ? { minimum: s.minimum } : {}),
      ...(s.maximum !== undefined ? { maximum: s.maximum } : {}),
      required: p.required,
    });
  }
  let request: Fields | undefined;
  const body = bodyFor(op, version);
  if (body?.schemaName) {
    if (body.mediaTypes.includes("multipart/form-data")) {
      for (const [name, raw] of Object.entries<Json>(deref(doc, { $ref: `#/components/schemas/${body.schemaName}` }).properties ?? {})) {
        const prop = deref(doc, raw);
        params.push({ name, in: "formData", type: prop.contentMediaType || prop.format === "binary" ? "file" : scalarType(prop), required: body.required });
      }
    } else {
      params.push({ name: "info", in: "body", type: "object", required: body.required, schema: body.schemaName });
      request = specFields(body.schemaName, version);
    }
  }
  const responses: Record<string, Fields | null> = {};
  for (const status of successStatuses(op, version)) {
    const entry = op.statuses.find((s) => s.status === String(status))!;
    responses[String(status)] = entry.schemaName ? specFields(entry.schemaName, version) : null;
  }
  const def = op.statuses.find((s) => s.status === "default");
  const error = def?.schemaName ? specFields(def.schemaName, version) : undefined;
  const raw = doc.paths[op.path][op.method.toLowerCase()]["x-ontap-error-codes"] ?? {};
  const errorCodes = Object.entries<Json>(raw).filter(([, info]) => existsIn(version, info.introduced, info.removed)).map(([code]) => code);
  return { op, params, responses, request, error, errorCodes };
}

// ------------------------------------------------------------ comparing

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown) => (v === undefined ? "(none)" : JSON.stringify(v));

function compareFields(
  push: (kind: string, item: string, direction: Direction, detail: string, where?: string) => void,
  count: (c: Counted) => void,
  where: string,
  def: Record<string, DefField>,
  spec: Fields,
  states: DefRelease["states"],
): void {
  for (const [path, d] of Object.entries(def)) {
    const s = spec[path];
    count({ covered: Boolean(s) });
    for (const v of d.enum ?? []) count({ covered: Boolean(s?.enum?.includes(v)) });
    for (const v of d.items?.enum ?? []) count({ covered: Boolean(s?.items?.enum?.includes(v)) });
    if (!s) { push("field", path, "missing", `NetApp defines ${path} ${show(d)}`, where); continue; }
    if (d.type !== s.type) push("field-type", path, "differs", `type ${show(d.type)} in NetApp's definition, ${show(s.type)} in the spec`, where);
    if (d.type !== "object" && (d.format ?? null) !== (s.format ?? null)) push("field-format", path, d.format ? (s.format ? "differs" : "missing") : "invented", `format ${show(d.format)} in NetApp's definition, ${show(s.format)} in the spec`, where);
    for (const v of d.enum ?? []) if (!s.enum?.includes(v)) push("field-enum", `${path}=${v}`, "missing", `NetApp's enum of ${path} has ${v}`, where);
    for (const v of s.enum ?? []) if (!d.enum?.includes(v)) push("field-enum", `${path}=${v}`, "invented", `the spec's enum of ${path} has ${v}; NetApp's ${show(d.enum)}`, where);
    if (d.items || s.items) {
      if ((d.items?.type ?? null) !== (s.items?.type ?? null)) push("field-type", `${path}[]`, "differs", `items ${show(d.items?.type)} in NetApp's definition, ${show(s.items?.type)} in the spec`, where);
      for (const v of d.items?.enum ?? []) if (!s.items?.enum?.includes(v)) push("field-enum", `${path}[]=${v}`, "missing", `NetApp's enum of ${path}[] has ${v}`, where);
      for (const v of s.items?.enum ?? []) if (!d.items?.enum?.includes(v)) push("field-enum", `${path}[]=${v}`, "invented", `the spec's enum of ${path}[] has ${v}`, where);
    }
    const readOnlyStated = d.type !== "object" || states.objectReadOnly;
    if (readOnlyStated && Boolean(d.readOnly) !== Boolean(s.readOnly)) push("field-readOnly", path, d.readOnly ? "missing" : "invented", `readOnly ${Boolean(d.readOnly)} in NetApp's definition, ${Boolean(s.readOnly)} in the spec`, where);
    if (s.nullable) push("field-nullable", path, "invented", "the spec allows null; NetApp's definition types it without null", where);
    for (const k of ["minimum", "maximum"] as const) if (d[k] !== s[k]) push("field-bounds", `${path}.${k}`, d[k] === undefined ? "invented" : s[k] === undefined ? "missing" : "differs", `${k} ${show(d[k])} in NetApp's definition, ${show(s[k])} in the spec`, where);
  }
  for (const path of Object.keys(spec)) if (!(path in def)) push("field", path, "invented", `the spec has ${path} ${show(spec[path])}; NetApp's definition does not`, where);
}

export function compareCheckpoint(checkpoint: string, def: DefRelease): CheckpointResult {
  const diffs: Diff[] = [];
  let items = 0, covered = 0;
  const count = (c: Counted) => { items++; if (c.covered) covered++; };
  const commonCodes = new Set(Object.keys(loadSpec()["x-ontap-common-error-codes"] ?? {}));
  const specOps = new Map(operations().map((o) => [`${o.method} ${o.path}`, o]));
  const unmodelled: string[] = [];

  const keys = new Set([...Object.keys(def.operations), ...[...specOps.keys()]]);
  for (const key of keys) {
    const d = def.operations[key];
    const op = specOps.get(key);
    const push = (kind: string, item: string, direction: Direction, detail: string, where?: string) =>
      diffs.push({ checkpoint, definition: def.release, operation: key, kind, item, direction, detail, ...(where ? { where } : {}) });
    if (!op) { if (d) unmodelled.push(key); continue; }
    const exists = existsIn(checkpoint, op.introduced);
    if (!d) {
      if (exists) push("operation", key, "invented", `the spec has ${op.id} from ${op.introduced}; NetApp's ${def.release} definition has no ${key}`);
      continue;
    }
    count({ covered: exists });
    if (!exists) { push("operation", key, "missing", `NetApp's ${def.release} definition has ${d.operationId}; the spec introduces ${op.id} in ${op.introduced}`); continue; }
    const s = specOperation(op, checkpoint);

    // Parameters (path, query, formData, body).
    const specParams = new Map(s.params.map((p) => [`${p.in} ${p.name}`, p]));
    for (const dp of d.params) {
      const sp = specParams.get(`${dp.in} ${dp.name}`);
      count({ covered: Boolean(sp) });
      for (const v of dp.enum ?? []) count({ covered: Boolean(sp?.enum?.includes(v)) });
      if (!sp) { push("param", dp.name, "missing", `NetApp's definition has ${dp.in} parameter ${dp.name} ${show({ ...dp, name: undefined })}`); continue; }
      if (dp.type !== sp.type) push("param-type", dp.name, "differs", `type ${show(dp.type)} in NetApp's definition, ${show(sp.type)} in the spec${dp.filter ? " (the filter's field type)" : ""}`);
      if ((dp.items ?? null) !== (sp.items ?? null)) push("param-type", `${dp.name}[]`, "differs", `items ${show(dp.items)} in NetApp's definition, ${show(sp.items)} in the spec`);
      if ((dp.filter ?? null) !== (sp.filter ?? null)) push("param-filter", dp.name, "differs", `filter field ${show(dp.filter)} in NetApp's definition, ${show(sp.filter)} in the spec`);
      if (!dp.filter && !same(dp.default, sp.default)) push("param-default", dp.name, dp.default === undefined ? "invented" : sp.default === undefined ? "missing" : "differs", `default ${show(dp.default)} in NetApp's definition, ${show(sp.default)} in the spec`);
      if (dp.required !== null && dp.in !== "body" && dp.required !== sp.required) push("param-required", dp.name, "differs", `required ${dp.required} in NetApp's definition, ${sp.required} in the spec`);
      if (dp.in === "body" && def.states.bodyRequired && dp.required !== sp.required) push("param-required", dp.name, "differs", `body required ${dp.required} in NetApp's definition, ${sp.required} in the spec`);
      if (def.states.paramEnums && !dp.filter) {
        for (const v of dp.enum ?? []) if (!sp.enum?.includes(v)) push("param-enum", `${dp.name}=${v}`, "missing", `NetApp's enum of ${dp.name} has ${v}`);
        for (const v of sp.enum ?? []) if (!dp.enum?.includes(v)) push("param-enum", `${dp.name}=${v}`, "invented", `the spec's enum of ${dp.name} has ${v}; NetApp's ${show(dp.enum)}`);
      }
      if (def.states.paramBounds && !dp.filter) {
        for (const k of ["minimum", "maximum"] as const) if ((dp[k] ?? undefined) !== sp[k]) push("param-bounds", `${dp.name}.${k}`, dp[k] === undefined ? "invented" : sp[k] === undefined ? "missing" : "differs", `${k} ${show(dp[k])} in NetApp's definition, ${show(sp[k])} in the spec`);
      }
      if (dp.in === "body" && dp.schema && s.request) compareFields(push, count, "request", def.schemas[dp.schema], s.request, def.states);
    }
    const defParams = new Set(d.params.map((p) => `${p.in} ${p.name}`));
    for (const sp of s.params) if (!defParams.has(`${sp.in} ${sp.name}`)) push("param", sp.name, "invented", `the spec has ${sp.in} parameter ${sp.name}; NetApp's ${def.release} definition does not`);

    // Statuses and their bodies.
    for (const [status, schema] of Object.entries(d.responses)) {
      count({ covered: status in s.responses });
      if (!(status in s.responses)) { push("status", status, "missing", `NetApp's definition lists ${status}`); continue; }
      const specBody = s.responses[status];
      if (!schema && specBody) push("body", status, "invented", `the spec documents a ${status} body; NetApp's definition has none`);
      else if (schema && !specBody) push("body", status, "missing", `NetApp's definition documents a ${status} body (${schema}); the spec has none`);
      else if (schema && specBody) compareFields(push, count, status, def.schemas[schema], specBody, def.states);
    }
    for (const status of Object.keys(s.responses)) if (!(status in d.responses)) push("status", status, "invented", `the spec documents ${status}; NetApp's definition lists ${Object.keys(d.responses).join(", ")}`);
    if (d.errorSchema && s.error) compareFields(push, count, "default", def.schemas[d.errorSchema], s.error, def.states);

    // Error codes, where NetApp's definition lists them.
    if (d.errorCodes) {
      for (const code of d.errorCodes) {
        const has = s.errorCodes.includes(code) || commonCodes.has(code);
        count({ covered: has });
        if (!has) push("error-code", code, "missing", `NetApp's ${def.release} table of ${d.operationId} lists ${code}`);
      }
      for (const code of s.errorCodes) if (!d.errorCodes.includes(code)) push("error-code", code, "invented", `the spec lists ${code} for ${op.id}; NetApp's ${def.release} table does not`);
    }
  }
  return { checkpoint, definition: def.release, diffs, items, covered, unmodelled };
}

// ------------------------------------------------------------ departures

export function loadDepartures(): Departure[] {
  return (parse(readFileSync(DEPARTURES_PATH, "utf8")) as { departures: Departure[] }).departures;
}

function glob(pattern: string, text: string): boolean {
  if (!pattern.includes("*")) return pattern === text;
  return new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(text);
}

export function departureMatches(dep: Departure, diff: Diff): boolean {
  const ops = Array.isArray(dep.operation) ? dep.operation : [dep.operation];
  if (!ops.some((o) => glob(o, diff.operation))) return false;
  if (dep.kind !== diff.kind || dep.direction !== diff.direction || !glob(dep.item, diff.item)) return false;
  if (dep.where !== undefined && !glob(dep.where, diff.where ?? "")) return false;
  if (dep.releases && !dep.releases.includes(diff.checkpoint)) return false;
  if (dep.from && compareVersions(diff.checkpoint, dep.from) < 0) return false;
  if (dep.before && compareVersions(diff.checkpoint, dep.before) >= 0) return false;
  return true;
}

/** Why a departure's source does not hold, or undefined when it does. */
export function checkSource(dep: Departure): string | undefined {
  const { file, line, text } = dep.source ?? ({} as Departure["source"]);
  if (!file || !text) return "the source names no file or no text";
  if (!/^spec\/sources\//.test(file)) return `${file} is not under spec/sources/`;
  let content: string;
  try { content = readFileSync(join(ROOT, file), "utf8"); } catch { return `${file} does not exist`; }
  const flat = (s: string) => s.replace(/\s+/g, " ");
  if (line !== undefined) {
    const at = content.split("\n")[line - 1];
    if (at === undefined || !flat(at).includes(flat(text))) return `${file}:${line} does not say "${text}"`;
  } else if (!flat(content).includes(flat(text))) return `${file} does not say "${text}"`;
  return undefined;
}

export function describeDiff(d: Diff): string {
  return `${d.checkpoint} (definition ${d.definition}) ${d.operation} ${d.kind}${d.where ? ` [${d.where}]` : ""} ${d.item} ${d.direction}: ${d.detail}`;
}
