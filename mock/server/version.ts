// Serve a record as an ONTAP of the mock's version would (the version gates of
// NetApp's definitions, ref §2 and spec/ontap.yaml): fields introduced
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

/** For one object schema and version: each property served, under the name it is served as. */
type Plan = Map<string, { servedAs: string; prop: Json }>;

// Plans are worked out once per (schema node, version): projecting runs for
// every record of every answer, and the gates never change.
const plans = new WeakMap<object, Map<string, Plan>>();
const resolved = new WeakMap<object, Json>();

function planFor(s: Json, version: string): Plan {
  let byVersion = plans.get(s);
  if (!byVersion) plans.set(s, (byVersion = new Map()));
  let plan = byVersion.get(version);
  if (plan) return plan;
  plan = new Map();
  // Old names whose new name the domain model uses: newName → oldName.
  const oldNameOf = new Map<string, string>();
  for (const [name, prop] of Object.entries<Json>(s.properties)) {
    const g = gateOf(prop);
    if (g.renamedTo && existsIn(version, g.introduced, g.removed)) oldNameOf.set(g.renamedTo, name);
  }
  for (const [key, prop] of Object.entries<Json>(s.properties)) {
    const g = gateOf(prop);
    if (existsIn(version, g.introduced, g.removed)) plan.set(key, { servedAs: key, prop });
    else if (oldNameOf.has(key)) plan.set(key, { servedAs: oldNameOf.get(key)!, prop });
  }
  byVersion.set(version, plan);
  return plan;
}

function project(value: Json, schema: Json, version: string): Json {
  let s = schema && typeof schema === "object" ? resolved.get(schema) : undefined;
  if (s === undefined) {
    s = resolve(schema);
    if (schema && typeof schema === "object") resolved.set(schema, s);
  }
  if (Array.isArray(value)) return s?.items ? value.map((v) => project(v, s.items, version)) : value;
  if (!value || typeof value !== "object" || !s?.properties) return value;
  const plan = planFor(s, version);
  const out: Json = {};
  for (const [key, v] of Object.entries<Json>(value)) {
    const served = plan.get(key);
    if (served) out[served.servedAs] = project(v, served.prop, version);
    else if (key === "_links" && !s.properties[key]) out[key] = v;
    // otherwise: not in the contract, or not in this version: never served
  }
  return out;
}

/** `record` (of component schema `schemaName`) as served by ONTAP `version`. */
export function projectToVersion<T>(schemaName: string, record: T, version: string): T {
  return project(record, { $ref: `#/components/schemas/${schemaName}` }, version) as T;
}
