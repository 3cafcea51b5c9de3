// Field paths of a record schema as dotted paths (`licenses.compliance.state`),
// with the type the query language compares them by. The mock's query engine,
// the oracles and the generators all take their field types from here.
import { deref, loadSpec, type Json } from "./spec.ts";
import { existsIn, type OntapVersion } from "./version.ts";

export type FieldType = "string" | "enum" | "integer" | "boolean" | "date-time" | "object" | "array";
/** The types a query compares a field by (conventions §1.2): every type but objects and arrays. */
export type ScalarFieldType = Exclude<FieldType, "object" | "array">;

export interface FieldInfo {
  path: string;
  type: FieldType;
  enum?: string[];
  format?: string;
  readOnly: boolean;
  writeOnly: boolean;
  introduced?: string;
  removed?: string;
  /** Inside an array of objects (a path that crosses `licenses[]`). */
  inArray: boolean;
}

function classify(s: Json): FieldType {
  const t = Array.isArray(s.type) ? s.type.find((x: string) => x !== "null") : s.type;
  if (s.enum && (t === undefined || t === "string")) return "enum";
  if (t === "string" && s.format === "date-time") return "date-time";
  if (t === "integer" || t === "number") return "integer";
  if (t === "boolean") return "boolean";
  if (t === "array") return "array";
  if (t === "object" || s.properties) return "object";
  return "string";
}

/**
 * Every field path of component schema `schemaName`, depth first. Paths
 * through arrays of objects continue into the items (`licenses.serial_number`).
 */
export function schemaFields(schemaName: string, opts: { version?: OntapVersion | string } = {}): FieldInfo[] {
  const doc = loadSpec();
  const out: FieldInfo[] = [];
  const walk = (schema: Json, prefix: string, inArray: boolean, depth: number): void => {
    if (depth > 8) return;
    const s = deref(doc, schema);
    for (const [name, rawProp] of Object.entries<Json>(s.properties ?? {})) {
      if (name === "_links") continue;
      const prop = deref(doc, rawProp);
      const introduced = rawProp["x-ontap-introduced"] ?? prop["x-ontap-introduced"];
      const removed = rawProp["x-ontap-removed"] ?? prop["x-ontap-removed"];
      if (!existsIn(opts.version, introduced, removed)) continue;
      const path = prefix ? `${prefix}.${name}` : name;
      const type = classify(prop);
      out.push({
        path,
        type,
        enum: prop.enum,
        format: prop.format,
        readOnly: Boolean(rawProp.readOnly ?? prop.readOnly),
        writeOnly: Boolean(rawProp.writeOnly ?? prop.writeOnly),
        introduced,
        removed,
        inArray,
      });
      if (type === "object") walk(prop, path, inArray, depth + 1);
      if (type === "array" && prop.items) {
        const items = deref(doc, prop.items);
        if (classify(items) === "object") walk(items, path, true, depth + 1);
      }
    }
  };
  walk({ $ref: `#/components/schemas/${schemaName}` }, "", false, 0);
  return out;
}

/** Dotted path → comparison type, for the leaf fields a filter can name. */
export function filterTypes(schemaName: string, opts: { version?: OntapVersion | string } = {}): Record<string, ScalarFieldType> {
  const out: Record<string, Exclude<FieldType, "object" | "array">> = {};
  for (const f of schemaFields(schemaName, opts)) {
    if (f.type !== "object" && f.type !== "array") out[f.path] = f.type;
  }
  return out;
}
