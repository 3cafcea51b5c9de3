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

/**
 * A record's projection to a release, made into a function once per schema
 * node and version: each object schema's plan (what is served, under which
 * name) and the projections of its properties are looked up once, not for
 * every value of every record (projection ran for every record of every
 * answer, a tenth of the mock's time per listing: bench/profile.ts).
 */
type Projector = (value: Json) => Json;
const projectors = new WeakMap<object, Map<string, Projector>>();
const identity: Projector = (value) => value;

function projectorFor(schema: Json, version: string): Projector {
  if (!schema || typeof schema !== "object") return identity;
  let byVersion = projectors.get(schema);
  if (!byVersion) projectors.set(schema, (byVersion = new Map()));
  let fn = byVersion.get(version);
  if (!fn) byVersion.set(version, (fn = compile(schema, version)));
  return fn;
}

function compile(schema: Json, version: string): Projector {
  let s = resolved.get(schema);
  if (s === undefined) {
    s = resolve(schema);
    resolved.set(schema, s);
  }
  const items = s?.items;
  const properties = s?.properties;
  // Made on first use: schemas refer to themselves through their properties.
  let item: Projector | undefined;
  let served: Map<string, { as: string; project: Projector | undefined; prop: Json }> | undefined;
  const linksKept = Boolean(properties) && !properties._links;
  return (value) => {
    if (Array.isArray(value)) {
      if (!items) return value;
      item ??= projectorFor(items, version);
      return value.map((v) => item!(v));
    }
    if (!value || typeof value !== "object" || !properties) return value;
    served ??= new Map([...planFor(s, version)].map(([key, p]) => [key, { as: p.servedAs, project: undefined, prop: p.prop }]));
    const out: Json = {};
    for (const key of Object.keys(value)) {
      const entry = served.get(key);
      if (entry) out[entry.as] = (entry.project ??= projectorFor(entry.prop, version))(value[key]);
      else if (key === "_links" && linksKept) out[key] = value[key];
      // otherwise: not in the contract, or not in this version: never served
    }
    return out;
  };
}

/** `record` (of component schema `schemaName`) as served by ONTAP `version`. */
export function projectToVersion<T>(schemaName: string, record: T, version: string): T {
  let root = roots.get(schemaName);
  if (!root) roots.set(schemaName, (root = { $ref: `#/components/schemas/${schemaName}` }));
  return projectorFor(root, version)(record) as T;
}

/** One reference node per component, so its projector is made once. */
const roots = new Map<string, Json>();
