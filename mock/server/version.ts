// Serve a record as an ONTAP of the mock's version would: fields introduced
// later are dropped, and fields renamed since then carry their old name
// (`autoupdate` → `autoupdte` before 9.16.1). Gates and renames are read from
// spec/ontap.yaml (x-ontap-introduced / -removed / -renamed-to).
import { existsIn, loadSpec, type Json } from "../../src/contract/index.ts";

interface PropertyGate {
  introduced?: string;
  removed?: string;
  renamedTo?: string;
}

function componentOf(node: Json): { name: string; schema: Json } | undefined {
  const ref = node?.$ref;
  if (typeof ref !== "string") return undefined;
  const name = ref.split("/").pop()!;
  return { name, schema: loadSpec().components.schemas[name] };
}

function gateOf(prop: Json): PropertyGate {
  const target = componentOf(prop)?.schema ?? {};
  return {
    introduced: prop["x-ontap-introduced"] ?? target["x-ontap-introduced"],
    removed: prop["x-ontap-removed"] ?? target["x-ontap-removed"],
    renamedTo: prop["x-ontap-renamed-to"],
  };
}

function resolve(node: Json): Json {
  let cur = node;
  for (let i = 0; i < 10 && cur?.$ref; i++) cur = componentOf(cur)!.schema;
  return cur;
}

function project(value: Json, schema: Json, version: string): Json {
  const s = resolve(schema);
  if (Array.isArray(value)) return s?.items ? value.map((v) => project(v, s.items, version)) : value;
  if (!value || typeof value !== "object" || !s?.properties) return value;
  const out: Json = {};
  // Old names whose new name the domain model uses: newName → oldName.
  const oldNameOf = new Map<string, string>();
  for (const [name, prop] of Object.entries<Json>(s.properties)) {
    const g = gateOf(prop);
    if (g.renamedTo && existsIn(version, g.introduced, g.removed)) oldNameOf.set(g.renamedTo, name);
  }
  for (const [key, v] of Object.entries<Json>(value)) {
    const prop = s.properties[key];
    if (!prop) {
      if (key === "_links") out[key] = v;
      continue; // not in the contract at all: never served
    }
    const g = gateOf(prop);
    if (existsIn(version, g.introduced, g.removed)) out[key] = project(v, prop, version);
    else if (oldNameOf.has(key)) out[oldNameOf.get(key)!] = project(v, prop, version);
  }
  return out;
}

/** `record` (of component schema `schemaName`) as served by ONTAP `version`. */
export function projectToVersion<T>(schemaName: string, record: T, version: string): T {
  return project(record, { $ref: `#/components/schemas/${schemaName}` }, version) as T;
}
