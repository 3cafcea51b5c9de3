// Extracts NetApp's own definition of the in-scope operations, release by
// release, from a local copy of the public NetApp/trident repository, and
// writes spec/sources/netapp-definitions.json (the table that
// test/contract/netapp-definitions.test.ts compares spec/ontap.yaml with).
//
//   node --import tsx scripts/extract-netapp-definitions.mts <trident git dir or clone> [--out FILE] [--check]
//
// No network: every file is read with `git show` / `git cat-file` from the
// given repository (a bare mirror works). The commits are those of
// spec/sources/ontap-reference.md §0: S1 (the 9.7 swagger, with its x-ntap
// extensions) and S2 (the go-swagger bindings, one commit per release).
// `--check` writes nothing and exits 1 when the committed table differs from
// what the repository gives (so a reviewer can prove the table).
//
// What each source can and cannot say:
// - S1 (swagger 2.0) states everything: types, formats, enums, readOnly,
//   defaults, bounds and required-ness of parameters, statuses, and the
//   "ONTAP Error Response Codes" tables in the default responses.
// - S2 (go-swagger) keeps field names, JSON tags, types, formats, enums,
//   readOnly and min/max of MODEL properties (as comments), statuses (the
//   ReadResponse switch) and the error-code tables (as comments). Of
//   PARAMETERS it keeps the name, location, type, default (SetDefaults: its
//   comments leave out false and 0) and required-ness of path/query
//   parameters (a non-pointer field is required), but not
//   their enums or bounds, nor whether a body is required: those are null
//   ("not stated") in the table and are not compared.
// - An operation whose default response has no error-code table lists
//   errorCodes: null ("not stated"), not an empty list.
// - Integer formats (int32/int64) are not stated in S1 and cannot be told
//   apart in S2 (every integer is int64): integers carry no format here.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

// ------------------------------------------------------------------ releases

interface ReleaseSource {
  release: string;
  commit: string;
  kind: "swagger" | "bindings";
  /** What the commit is, in the words of ontap-reference.md §0. */
  note: string;
}

const REST = "storage_drivers/ontap/api/rest";

export const RELEASES: ReleaseSource[] = [
  { release: "9.7", commit: "b9b328775202fd3a41dd3c68bb4e6bd619a7d010", kind: "swagger", note: "S1: swagger_full.yaml (2021-07-23, 'Initial Support for REST API calls'); the release is an inference (ontap-reference.md §0)" },
  { release: "9.9", commit: "095834170b961ee6f52865c608d5ed09ad0d58f3", kind: "bindings", note: "S2: 'Updates for ONTAP 9.9 REST bindings' (2021-08-27)" },
  { release: "9.10.1", commit: "ee35fe3b2bb6ae6eb5d6954818a3816019573cf9", kind: "bindings", note: "S2: 'Updating the Swagger Golang bindings for the ONTAP REST APIs to 9.10.1' (2021-12-23)" },
  { release: "9.11.1", commit: "95f431623a1fb3696e4bd6eb0f4b21b0c51cfeb8", kind: "bindings", note: "S2: 2022-09-20, release not stated in the commit; its texts name 9.11.1 and nothing later" },
  { release: "9.12.1", commit: "90fe14e9d30aef90a4f178d3e7cbf2789dd9effa", kind: "bindings", note: "S2: 'Rest updates for 9 12 1' (2023-03-15)" },
  { release: "9.16.1", commit: "d437900bfe28efada52033aacb11537a5decee73", kind: "bindings", note: "S2: 'Updating ONTAP REST API Bindings for 9.16.1' (2024-11-25)" },
  { release: "9.17.1", commit: "5ea56e78346778eac1215992400f0c2ad39a76eb", kind: "bindings", note: "S2: 'Ontap REST Bindings Update for 9_17_1 (AFX)' (2025-08-12)" },
  { release: "9.19.1", commit: "71dd7161840c3d1ef0be16a97891f745e9224e27", kind: "bindings", note: "S2: HEAD of 2026-07-31; the bindings are those of 8d8892eb 'Updated REST bindings for ONTAP 9.19.1' (2026-03-31), unchanged for these operations" },
];

// -------------------------------------------------------------------- scope

/** Paths in scope: every method, except /cluster and /cluster/nodes (GET only). */
const SCOPE: Array<{ path: string; methods?: string[] }> = [
  { path: "/cluster/licensing/licenses" },
  { path: "/cluster/licensing/licenses/{name}" },
  { path: "/cluster/software" },
  { path: "/cluster/software/download" },
  { path: "/cluster/software/history" },
  { path: "/cluster/software/packages" },
  { path: "/cluster/software/packages/{version}" },
  { path: "/cluster/software/upload" },
  { path: "/cluster/jobs" },
  { path: "/cluster/jobs/{uuid}" },
  { path: "/cluster", methods: ["GET"] },
  { path: "/cluster/nodes", methods: ["GET"] },
  { path: "/cluster/nodes/{uuid}", methods: ["GET"] },
];

/**
 * Discovery operations are limited to the fields clients read (version, name,
 * uuid) and those spec/ontap.yaml models (_links, serial_number,
 * ha.partners); their filters likewise. Paths are relative to the record.
 */
const DISCOVERY_FIELDS: Record<string, string[]> = {
  "/cluster": ["_links", "name", "uuid", "version"],
  "/cluster/nodes": ["_links", "name", "uuid", "version", "serial_number", "ha.partners"],
  "/cluster/nodes/{uuid}": ["_links", "name", "uuid", "version", "serial_number", "ha.partners"],
};

/** Query parameters of the framework (not filters). */
const FRAMEWORK = new Set(["fields", "max_records", "order_by", "return_records", "return_timeout", "continue_on_failure", "serial_records", "validate_only"]);

// -------------------------------------------------------------- table types

export interface Field {
  type: string | null;
  format?: string;
  enum?: string[];
  readOnly?: true;
  minimum?: number;
  maximum?: number;
  /** Arrays of scalars: the item's type, format and enum. */
  items?: { type: string | null; format?: string; enum?: string[] };
}

export interface Param {
  name: string;
  in: "query" | "path" | "body" | "formData";
  type: string | null;
  items?: string;
  format?: string;
  /** null: the source cannot state it (go-swagger parameters). */
  enum?: string[] | null;
  default?: unknown;
  minimum?: number | null;
  maximum?: number | null;
  required: boolean | null;
  /** Filters: the field the filter names ("Filter by <field>"). */
  filter?: string;
  /** Body parameters: the schema of the body. */
  schema?: string;
}

export interface OperationDef {
  operationId: string;
  params: Param[];
  /** Success statuses and the schema of their body (null: no body). */
  responses: Record<string, string | null>;
  /** The schema of the default (error) response. */
  errorSchema: string | null;
  /** The "ONTAP Error Response Codes" table of the default response; null when the source has none. */
  errorCodes: string[] | null;
}

export interface ReleaseDef {
  release: string;
  commit: string;
  source: string;
  note: string;
  /** The releases this definition stands for: from this one up to (not including) the next definition's. */
  covers: { from: string; before: string | null };
  /** What this kind of source can state at all (false: absent here means "not stated", not "not so"). */
  states: { paramEnums: boolean; paramBounds: boolean; bodyRequired: boolean; objectReadOnly: boolean };
  operations: Record<string, OperationDef>;
  schemas: Record<string, Record<string, Field>>;
}

// --------------------------------------------------------------------- git

function git(repo: string, args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
}

function resolveCommit(repo: string, commit: string): string {
  try {
    return git(repo, ["rev-parse", "--verify", "--quiet", `${commit}^{commit}`]).trim();
  } catch {
    throw new Error(`commit ${commit} is not in ${repo}: fetch NetApp/trident first`);
  }
}

/** Every blob under `dir` at `commit`, read in one `git cat-file --batch`. */
function readTree(repo: string, commit: string, dir: string): Map<string, string> {
  const listing = git(repo, ["ls-tree", "-r", commit, `${dir}/`]).trim().split("\n").filter(Boolean);
  const entries = listing.map((line) => {
    const [meta, path] = line.split("\t");
    return { id: meta.split(" ")[2], path };
  });
  const out = execFileSync("git", ["-C", repo, "cat-file", "--batch"], { input: entries.map((e) => e.id).join("\n") + "\n", maxBuffer: 1 << 30 });
  const files = new Map<string, string>();
  let at = 0;
  for (const e of entries) {
    const nl = out.indexOf(10, at);
    const header = out.subarray(at, nl).toString("utf8").split(" ");
    if (header[1] === "missing") throw new Error(`${e.path} at ${commit} is missing from the repository`);
    const size = Number(header[2]);
    files.set(e.path.slice(dir.length + 1), out.subarray(nl + 1, nl + 1 + size).toString("utf8"));
    at = nl + 1 + size + 1;
  }
  return files;
}

// ------------------------------------------------------------- flattening

const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function allowedBy(prefixes: string[] | undefined, path: string): boolean {
  if (!prefixes) return true;
  return prefixes.some((p) => p === path || path.startsWith(`${p}.`) || p.startsWith(`${path}.`));
}

/** Keep the fields of the record (at `root`, "" = the body) that `prefixes` allow; the collection's own fields stay. */
function restrict(fields: Record<string, Field>, prefixes: string[], root: string): Record<string, Field> {
  const out: Record<string, Field> = {};
  for (const [path, f] of Object.entries(fields)) {
    const inRecord = !root || path.startsWith(`${root}.`);
    if (!inRecord || allowedBy(prefixes, root ? path.slice(root.length + 1) : path)) out[path] = f;
  }
  return out;
}

// ----------------------------------------------------------- S1: swagger 2

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function swaggerRelease(src: ReleaseSource, doc: Json): Pick<ReleaseDef, "operations" | "schemas"> {
  const schemas: Record<string, Record<string, Field>> = {};
  const refName = (ref: string) => ref.replace("#/definitions/", "");
  const resolve = (node: Json): Json => (node?.$ref ? doc.definitions[refName(node.$ref)] : node);

  const merged = (node: Json): Json => {
    const s = resolve(node);
    if (!s?.allOf) return s;
    const out: Json = { ...s, properties: { ...(s.properties ?? {}) } };
    for (const part of s.allOf) {
      const p = merged(part);
      Object.assign(out.properties, p.properties ?? {});
      if (p.readOnly) out.readOnly = true;
    }
    return out;
  };

  const flatten = (node: Json, prefix: string, out: Record<string, Field>, depth: number, seen: string[]): void => {
    if (depth > 12) return;
    const s = merged(node);
    for (const [name, raw] of Object.entries<Json>(s?.properties ?? {})) {
      const ref = raw.$ref ? refName(raw.$ref) : undefined;
      const prop = merged(raw);
      const path = prefix ? `${prefix}.${name}` : name;
      const type: string | null = prop.type ?? (prop.properties ? "object" : null);
      const field: Field = compact({
        type,
        format: type === "integer" || type === "number" ? undefined : prop.format,
        enum: prop.enum?.map(String),
        readOnly: raw.readOnly || prop.readOnly ? (true as const) : undefined,
        minimum: prop.minimum,
        maximum: prop.maximum,
      });
      if (type === "array") {
        const items = merged(prop.items);
        const itemType: string | null = items?.type ?? (items?.properties ? "object" : null);
        if (itemType !== "object") field.items = compact({ type: itemType, format: itemType === "integer" ? undefined : items?.format, enum: items?.enum?.map(String) });
        out[path] = field;
        if (itemType === "object") {
          const itemRef = prop.items?.$ref ? refName(prop.items.$ref) : undefined;
          if (!itemRef || !seen.includes(itemRef)) flatten(prop.items, path, out, depth + 1, itemRef ? [...seen, itemRef] : seen);
        }
        continue;
      }
      out[path] = field;
      if (type === "object" && (!ref || !seen.includes(ref))) flatten(raw, path, out, depth + 1, ref ? [...seen, ref] : seen);
    }
  };

  const schemaOf = (node: Json, fallback: string): string | null => {
    if (!node) return null;
    const name = node.$ref ? refName(node.$ref) : fallback;
    if (!schemas[name]) {
      const out: Record<string, Field> = {};
      schemas[name] = out;
      flatten(node, "", out, 0, node.$ref ? [name] : []);
    }
    return name;
  };

  const codesOf = (text: string | undefined): string[] | null => {
    if (!text || !/ONTAP Error Response Codes/.test(text)) return null;
    return [...text.matchAll(/^\s*\|\s*(\d+)\s*\|/gm)].map((m) => m[1]);
  };

  const operations: Record<string, OperationDef> = {};
  for (const { path, methods } of SCOPE) {
    const item = doc.paths[path];
    if (!item) continue;
    for (const method of ["get", "post", "patch", "delete"]) {
      const op = item[method];
      if (!op || (methods && !methods.includes(method.toUpperCase()))) continue;
      const params: Param[] = [];
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = raw.$ref ? doc.parameters[raw.$ref.replace("#/parameters/", "")] : raw;
        const filter = p.in === "query" && !FRAMEWORK.has(p.name) && /^Filter by /.test(p.description ?? "") ? p.name : undefined;
        params.push(compact({
          name: p.name,
          in: p.in,
          type: p.in === "body" ? "object" : p.type ?? null,
          items: p.items?.type,
          format: p.type === "integer" ? undefined : p.format,
          enum: p.enum?.map(String),
          default: p.default,
          minimum: p.minimum,
          maximum: p.maximum,
          required: Boolean(p.required),
          filter,
          schema: p.in === "body" ? schemaOf(p.schema, `${op.operationId}_body`) ?? undefined : undefined,
        }));
      }
      const responses: Record<string, string | null> = {};
      for (const [status, resp] of Object.entries<Json>(op.responses)) {
        if (status === "default") continue;
        responses[status] = resp.schema ? schemaOf(resp.schema, `${op.operationId}_${status}`) : null;
      }
      operations[`${method.toUpperCase()} ${path}`] = {
        operationId: op.operationId,
        params: sortParams(params),
        responses,
        errorSchema: op.responses.default?.schema ? schemaOf(op.responses.default.schema, `${op.operationId}_default`) : null,
        errorCodes: codesOf(op.responses.default?.description),
      };
    }
  }
  return { operations, schemas: discovery(operations, schemas) };
}

// ---------------------------------------------------------- S2: go-swagger

interface GoField {
  json: string;
  goType: string;
  comments: string[];
}

interface GoType {
  name: string;
  pkg: "models" | "cluster";
  swaggerName?: string;
  /** A struct's fields (embedded types have json ""). */
  fields?: GoField[];
  /** A named non-struct type: its underlying Go type. */
  underlying?: string;
  comments: string[];
}

function parseGoTypes(text: string, pkg: GoType["pkg"], into: Map<string, GoType>): void {
  const lines = text.split("\n");
  let doc: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\/\//.test(line)) { doc.push(line.replace(/^\/\/\s?/, "")); continue; }
    const struct = /^type (\w+) struct \{\s*$/.exec(line);
    const named = struct ? null : /^type (\w+) (\S.*)$/.exec(line);
    if (struct) {
      const t: GoType = { name: struct[1], pkg, comments: doc, fields: [] };
      const sw = doc.map((d) => /^swagger:model (\S+)/.exec(d)).find(Boolean);
      if (sw) t.swaggerName = sw[1];
      let comments: string[] = [];
      for (i++; i < lines.length && !/^}/.test(lines[i]); i++) {
        const l = lines[i];
        const c = /^\s*\/\/\s?(.*)$/.exec(l);
        if (c) { comments.push(c[1]); continue; }
        const f = /^\s*(\w+)\s+(\S+)\s+`json:"([^",]*)/.exec(l);
        if (f) { t.fields!.push({ json: f[3], goType: f[2], comments }); comments = []; continue; }
        const embedded = /^\s*(\*?[\w.]+)\s*$/.exec(l);
        if (embedded) { t.fields!.push({ json: "", goType: embedded[1], comments }); comments = []; continue; }
        if (!l.trim()) comments = [];
      }
      into.set(`${pkg}.${t.name}`, t);
    } else if (named && !/^(struct|interface)\b/.test(named[2])) {
      const t: GoType = { name: named[1], pkg, comments: doc, underlying: named[2].trim() };
      const sw = doc.map((d) => /^swagger:model (\S+)/.exec(d)).find(Boolean);
      if (sw) t.swaggerName = sw[1];
      into.set(`${pkg}.${t.name}`, t);
    }
    doc = [];
  }
}

function commentMeta(comments: string[]): { readOnly?: true; enum?: string[]; format?: string; minimum?: number; maximum?: number; def?: string } {
  const out: ReturnType<typeof commentMeta> = {};
  for (const c of comments) {
    const m = /^\s*(Read Only|Enum|Format|Minimum|Maximum|Default): (.*)$/.exec(c);
    if (!m) continue;
    const v = m[2].trim();
    if (m[1] === "Read Only" && v === "true") out.readOnly = true;
    if (m[1] === "Enum") out.enum = v.startsWith('["') ? (JSON.parse(v) as unknown[]).map(String) : v.replace(/^\[|\]$/g, "").split(/\s+/).filter(Boolean);
    if (m[1] === "Format") out.format = v;
    if (m[1] === "Minimum") out.minimum = Number(v.replace(/^[<>]\s*/, ""));
    if (m[1] === "Maximum") out.maximum = Number(v.replace(/^[<>]\s*/, ""));
    if (m[1] === "Default") out.def = v;
  }
  return out;
}

const STRFMT: Record<string, string> = { DateTime: "date-time", UUID: "uuid", Password: "password", Date: "date", URI: "uri", Duration: "duration", Hostname: "hostname", IPv4: "ipv4", IPv6: "ipv6", Email: "email", Base64: "byte" };

class GoRegistry {
  readonly types = new Map<string, GoType>();

  lookup(goType: string, pkg: GoType["pkg"]): GoType | undefined {
    const bare = goType.replace(/^\*/, "");
    if (bare.startsWith("models.")) return this.types.get(`models.${bare.slice(7)}`);
    return this.types.get(`${pkg}.${bare}`) ?? this.types.get(`models.${bare}`);
  }

  /** The swagger name of a Go type reference (models.LicensePackage → license_package). */
  nameOf(goType: string, pkg: GoType["pkg"]): string {
    const t = this.lookup(goType, pkg);
    return t?.swaggerName ?? goType.replace(/^\*/, "").replace(/^models\./, "");
  }

  /** Scalar shape of a Go type, or undefined for structs/arrays. */
  private scalar(goType: string, pkg: GoType["pkg"]): { type: string | null; format?: string; enum?: string[] } | undefined {
    const bare = goType.replace(/^\*/, "");
    if (bare === "string") return { type: "string" };
    if (bare === "bool") return { type: "boolean" };
    if (/^u?int(8|16|32|64)?$/.test(bare)) return { type: "integer" };
    if (/^float(32|64)$/.test(bare)) return { type: "number" };
    if (bare === "any" || bare === "interface{}") return { type: null };
    if (bare.startsWith("strfmt.")) return { type: "string", format: STRFMT[bare.slice(7)] ?? bare.slice(7).toLowerCase() };
    if (bare === "runtime.NamedReadCloser" || bare === "io.ReadCloser") return { type: "file" };
    const t = this.lookup(bare, pkg);
    if (t?.underlying && !t.underlying.startsWith("[]") && !t.underlying.startsWith("map[")) {
      const base = this.scalar(t.underlying, t.pkg);
      if (base) {
        const meta = commentMeta(t.comments);
        return compact({ ...base, format: meta.format ?? base.format, enum: meta.enum ?? base.enum });
      }
    }
    return undefined;
  }

  flatten(goType: string, pkg: GoType["pkg"], prefix: string, out: Record<string, Field>, depth = 0, seen: string[] = []): void {
    if (depth > 12) return;
    const t = this.lookup(goType, pkg);
    if (!t) return;
    if (t.underlying) {
      // A named array or map type at the root: nothing to flatten into.
      return;
    }
    for (const f of t.fields ?? []) {
      if (!f.json) { this.flatten(f.goType, t.pkg, prefix, out, depth + 1, seen); continue; }
      if (f.json === "-") continue;
      const path = prefix ? `${prefix}.${f.json}` : f.json;
      const meta = commentMeta(f.comments);
      let goT = f.goType.replace(/^\*/, "");
      let named = this.lookup(goT, t.pkg);
      // A named array type (type Foo []*Bar) is an array of Bar.
      if (named?.underlying?.startsWith("[]")) { goT = named.underlying; named = undefined; }
      if (goT.startsWith("[]")) {
        const itemGo = goT.slice(2);
        const sc = this.scalar(itemGo, t.pkg);
        const field: Field = compact({ type: "array", readOnly: meta.readOnly });
        if (sc) field.items = compact({ ...sc, enum: meta.enum ?? sc.enum });
        out[path] = field;
        if (!sc) {
          const key = this.lookup(itemGo, t.pkg);
          const id = key ? `${key.pkg}.${key.name}` : itemGo;
          if (!seen.includes(id)) this.flatten(itemGo, t.pkg, path, out, depth + 1, [...seen, id]);
        }
        continue;
      }
      if (goT.startsWith("map[")) { out[path] = compact({ type: "object", readOnly: meta.readOnly }); continue; }
      const sc = this.scalar(goT, t.pkg);
      if (sc) {
        out[path] = compact({
          type: sc.type,
          format: sc.type === "integer" ? undefined : meta.format ?? sc.format,
          enum: meta.enum ?? sc.enum,
          readOnly: meta.readOnly,
          minimum: meta.minimum,
          maximum: meta.maximum,
        });
        continue;
      }
      out[path] = compact({ type: "object", readOnly: meta.readOnly });
      const id = named ? `${named.pkg}.${named.name}` : goT;
      if (!seen.includes(id)) this.flatten(goT, t.pkg, path, out, depth + 1, [...seen, id]);
    }
  }

  scalarOf(goType: string, pkg: GoType["pkg"]) {
    return this.scalar(goType, pkg);
  }
}

function parseDefault(text: string | undefined, type: string | null): unknown {
  if (text === undefined) return undefined;
  if (type === "boolean") return text === "true";
  if (type === "integer" || type === "number") return Number(text);
  return text;
}

function bindingsRelease(repo: string, src: ReleaseSource): Pick<ReleaseDef, "operations" | "schemas"> {
  const models = readTree(repo, src.commit, `${REST}/models`);
  const cluster = readTree(repo, src.commit, `${REST}/client/cluster`);
  const reg = new GoRegistry();
  for (const text of models.values()) parseGoTypes(text, "models", reg.types);
  for (const [name, text] of cluster) if (/_(responses|parameters)\.go$/.test(name)) parseGoTypes(text, "cluster", reg.types);

  // The operation table of the client: ID, method and path pattern.
  const client = cluster.get("cluster_client.go");
  if (!client) throw new Error(`no cluster_client.go at ${src.commit}`);
  const ops = [...client.matchAll(/ID:\s+"(\w+)",\s*\n\s*Method:\s+"(\w+)",\s*\n\s*PathPattern:\s+"([^"]+)"/g)].map((m) => ({ id: m[1], method: m[2], path: m[3] }));

  const schemas: Record<string, Record<string, Field>> = {};
  const schemaOf = (goType: string, pkg: GoType["pkg"]): string => {
    const name = reg.nameOf(goType, pkg);
    if (!schemas[name]) {
      const out: Record<string, Field> = {};
      schemas[name] = out;
      reg.flatten(goType, pkg, "", out);
    }
    return name;
  };

  const operations: Record<string, OperationDef> = {};
  for (const { path, methods } of SCOPE) {
    for (const op of ops.filter((o) => o.path === path && (!methods || methods.includes(o.method)))) {
      const paramsText = cluster.get(`${op.id}_parameters.go`);
      const respText = cluster.get(`${op.id}_responses.go`);
      if (!paramsText || !respText) throw new Error(`${op.id}: parameters or responses file missing at ${src.commit}`);

      // Parameter struct: field → Go type, comments.
      const structName = /^type (\w+Params) struct/m.exec(paramsText)![1];
      const structBody = new RegExp(`^type ${structName} struct \\{\\n([\\s\\S]*?)^}`, "m").exec(paramsText)![1];
      const fields = new Map<string, { goType: string; comments: string[] }>();
      let comments: string[] = [];
      for (const line of structBody.split("\n")) {
        const f = /^\s*(\w+)\s+(\S+)\s*$/.exec(line);
        if (f && !/^(timeout|Context|HTTPClient)$/.test(f[1])) { fields.set(f[1], { goType: f[2], comments }); comments = []; continue; }
        const c = line.replace(/^\s*(\/\*|\*\/|\/\/)?\s?/, "").replace(/\*\/\s*$/, "");
        if (line.trim()) comments.push(c.trim());
        else comments = [];
      }

      // SetDefaults: the defaults (go-swagger's comments omit false and 0).
      const defaults = new Map<string, string>();
      const setDefaults = /\) SetDefaults\(\) \{([\s\S]*?)^}/m.exec(paramsText)?.[1] ?? "";
      for (const m of setDefaults.matchAll(/(\w+)Default = \w+\((.*)\)\s*$/gm)) defaults.set(m[1][0].toUpperCase() + m[1].slice(1), m[2].replace(/^"|"$/g, ""));

      // WriteToRequest: which field goes to which parameter.
      const write = /func \(o \*\w+\) WriteToRequest[\s\S]*$/.exec(paramsText)![0];
      const params: Param[] = [];
      let last = "";
      for (const line of write.split("\n")) {
        const ref = [...line.matchAll(/o\.([A-Z]\w*)/g)].pop();
        if (ref) last = ref[1];
        const set = /r\.Set(Query|Path|Body|File|Form)Param\((?:"([^"]+)")?/.exec(line);
        if (!set) continue;
        const field = fields.get(last);
        if (!field) throw new Error(`${op.id}: cannot tell which field ${line.trim()} writes`);
        const where = set[1] === "Query" ? "query" : set[1] === "Path" ? "path" : set[1] === "Body" ? "body" : "formData";
        const meta = commentMeta(field.comments);
        const pointer = field.goType.startsWith("*") || field.goType.startsWith("[]");
        if (where === "body") {
          params.push({ name: "info", in: "body", type: "object", required: null, schema: schemaOf(field.goType, field.goType.startsWith("models.") || field.goType.startsWith("*models.") ? "models" : "cluster") });
          continue;
        }
        let type: string | null, items: string | undefined, format: string | undefined;
        if (field.goType.startsWith("[]")) {
          type = "array";
          items = reg.scalarOf(field.goType.slice(2), "cluster")?.type ?? undefined;
        } else {
          const sc = reg.scalarOf(field.goType, "cluster");
          type = sc?.type ?? null;
          format = sc?.type === "integer" ? undefined : sc?.format;
        }
        const name = set[2];
        const filter = where === "query" && !FRAMEWORK.has(name) && field.comments.some((c) => /^Filter by /.test(c)) ? name : undefined;
        params.push(compact({
          name, in: where, type, items, format,
          enum: null, minimum: null, maximum: null,
          default: parseDefault(defaults.get(last) ?? meta.def, type),
          required: where === "path" || !pointer,
          filter,
        }) as Param);
      }

      // ReadResponse: statuses, payloads; the default response's code table.
      const responses: Record<string, string | null> = {};
      let errorSchema: string | null = null;
      const payloadOf = (ctor: string): string | null => {
        const m = new RegExp(`^type ${ctor} struct \\{[\\s\\S]*?^}`, "m").exec(respText);
        const payload = m && /Payload\s+(\S+)/.exec(m[0]);
        if (!payload) return null;
        return schemaOf(payload[1], payload[1].replace(/^[*[\]]+/, "").startsWith("models.") ? "models" : "cluster");
      };
      for (const m of respText.matchAll(/case (\d+):\s*\n\s*result := New(\w+)\(/g)) responses[m[1]] = payloadOf(m[2]);
      const def = /default:\s*\n\s*result := New(\w+)\(/.exec(respText);
      if (def) errorSchema = payloadOf(def[1]);
      const table = /ONTAP Error Response Codes([\s\S]*?)\*\//.exec(respText);
      const errorCodes = table ? [...table[1].matchAll(/^\s*\|\s*(\d+)\s*\|/gm)].map((m) => m[1]) : null;

      operations[`${op.method} ${path}`] = { operationId: op.id, params: sortParams(params), responses, errorSchema, errorCodes };
    }
  }
  return { operations, schemas: discovery(operations, schemas) };
}

// ------------------------------------------------------------------ shared

function sortOperations(ops: Record<string, OperationDef>): Record<string, OperationDef> {
  const paths = SCOPE.map((s) => s.path);
  const methods = ["GET", "POST", "PATCH", "DELETE"];
  const rank = (key: string) => { const [m, p] = key.split(" "); return paths.indexOf(p) * 10 + methods.indexOf(m); };
  return Object.fromEntries(Object.entries(ops).sort(([a], [b]) => rank(a) - rank(b)));
}

function sortParams(params: Param[]): Param[] {
  const order = { path: 0, query: 1, body: 2, formData: 3 } as const;
  return [...params].sort((a, b) => order[a.in] - order[b.in] || a.name.localeCompare(b.name));
}

/**
 * Limit the discovery operations (GET /cluster, /cluster/nodes[/{uuid}]) to
 * the fields and filters in DISCOVERY_FIELDS. Their schemas are copied under
 * a "<name>#discovery" key so a schema shared with other operations stays whole.
 */
function discovery(operations: Record<string, OperationDef>, schemas: Record<string, Record<string, Field>>): Record<string, Record<string, Field>> {
  for (const [key, op] of Object.entries(operations)) {
    const path = key.slice(key.indexOf(" ") + 1);
    const prefixes = DISCOVERY_FIELDS[path];
    if (!prefixes) continue;
    for (const [status, name] of Object.entries(op.responses)) {
      if (!name) continue;
      const fields = schemas[name];
      const collection = "records" in fields && "num_records" in fields;
      const limited = `${name}#discovery`;
      schemas[limited] = collection ? restrict(fields, prefixes, "records") : restrict(fields, prefixes, "");
      op.responses[status] = limited;
    }
    op.params = op.params.filter((p) => !p.filter || allowedBy(prefixes, p.filter));
  }
  // Drop schemas no operation uses any more.
  const used = new Set(Object.values(operations).flatMap((op) => [...Object.values(op.responses), op.errorSchema, ...op.params.map((p) => p.schema)]).filter(Boolean) as string[]);
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)).sort(([a], [b]) => a.localeCompare(b)));
}

// ------------------------------------------------------------------ output

/** JSON with one line per field and per parameter, so diffs stay readable. */
function render(value: unknown, indent = ""): string {
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== "object" || v === null)) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + (isLeafObject(v) ? JSON.stringify(v) : render(v, inner))).join(",\n")}\n${indent}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (!entries.length) return "{}";
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${isLeafObject(v) ? JSON.stringify(v) : render(v, inner)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function isLeafObject(v: unknown): boolean {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  return Object.values(v).every((x) => x === null || typeof x !== "object" || (Array.isArray(x) && x.every((y) => typeof y !== "object")) || isLeafObject(x));
}

export function extract(repo: string): { releases: ReleaseDef[] } {
  const releases: ReleaseDef[] = [];
  RELEASES.forEach((src, i) => {
    const commit = resolveCommit(repo, src.commit);
    const body = src.kind === "swagger"
      ? swaggerRelease(src, parse(git(repo, ["show", `${commit}:${REST}/swagger_full.yaml`])))
      : bindingsRelease(repo, src);
    releases.push({
      release: src.release,
      commit,
      source: src.kind === "swagger" ? `${REST}/swagger_full.yaml` : `${REST}/models/*.go, ${REST}/client/cluster/{cluster_client,*_parameters,*_responses}.go`,
      note: src.note,
      covers: { from: src.release, before: RELEASES[i + 1]?.release ?? null },
      // go-swagger keeps no parameter enums or bounds, no body required-ness,
      // and no readOnly on object-typed properties (only on scalars and arrays).
      states: src.kind === "swagger"
        ? { paramEnums: true, paramBounds: true, bodyRequired: true, objectReadOnly: true }
        : { paramEnums: false, paramBounds: false, bodyRequired: false, objectReadOnly: false },
      operations: sortOperations(body.operations),
      schemas: body.schemas,
    });
  });
  return { releases };
}

function main(): void {
  const args = process.argv.slice(2);
  const repo = args.find((a) => !a.startsWith("--") && args[args.indexOf(a) - 1] !== "--out");
  if (!repo) {
    console.error("usage: node --import tsx scripts/extract-netapp-definitions.mts <NetApp/trident git dir> [--out FILE] [--check]");
    process.exit(2);
  }
  const outIndex = args.indexOf("--out");
  const out = outIndex >= 0 ? args[outIndex + 1] : join(import.meta.dirname, "../spec/sources/netapp-definitions.json");
  const table = {
    description: [
      "NetApp's own definition of the in-scope operations, per release, extracted from the public NetApp/trident repository by scripts/extract-netapp-definitions.mts (no network; rerun it with a local copy of the repository to reproduce this file, or with --check to prove it).",
      "Each release's definition stands for every release from it up to (not including) the next one's: `covers`. 9.7 is the swagger S1; the others are the go-swagger bindings S2 (spec/sources/ontap-reference.md §0).",
      "null means 'not stated by this source': go-swagger parameters keep no enum, bounds or body required-ness; errorCodes is null where the default response has no 'ONTAP Error Response Codes' table. Integer formats are not recorded (S1 states none; S2 makes every integer int64).",
      "Discovery operations (GET /cluster, /cluster/nodes, /cluster/nodes/{uuid}) are limited to the fields clients read and the spec models: schemas named '<schema>#discovery'.",
      "Fields: dotted paths through objects and arrays of objects (licenses.compliance.state); an array of scalars carries `items`.",
    ],
    repository: "https://github.com/NetApp/trident",
    ...extract(repo),
  };
  const text = render(table) + "\n";
  if (args.includes("--check")) {
    const current = readFileSync(out, "utf8");
    if (current !== text) {
      console.error(`${out} differs from what ${repo} gives: rerun without --check`);
      process.exit(1);
    }
    console.log(`${out} is what ${repo} gives`);
    return;
  }
  writeFileSync(out, text);
  const ops = table.releases.map((r) => `${r.release}: ${Object.keys(r.operations).length} operations, ${Object.values(r.schemas).reduce((n, s) => n + Object.keys(s).length, 0)} fields`);
  console.log(`wrote ${out}\n  ${ops.join("\n  ")}`);
}

main();
