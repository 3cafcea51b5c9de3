// The `fields` parameter (conventions §2): which fields of a record a
// response carries. parseFields validates and normalises the text once per
// request; project applies the result to each record.
import { OntapError } from "../errors.ts";

export interface FieldSelection {
  /** What the selection starts from: keys and `_links` only, `*` (standard fields) or `**` (also expensive ones). */
  base: "default" | "standard" | "expensive";
  /** Named fields, added to the base (dotted paths, braces expanded). */
  include: string[];
  /** `!`-named fields, removed from everything else except keys and `_links`. */
  exclude: string[];
}

export interface ProjectOptions {
  /** Identifying fields, always returned. */
  keys: string[];
  /** Fields only `**` or naming them returns. */
  expensive?: string[];
}

const LINKS = "_links";

function mismatchedBraces(text: string): OntapError {
  return new OntapError(400, 262286, `Mismatched braces in fields "${text}".`, { target: "fields" });
}

function unknownField(name: string): OntapError {
  return new OntapError(400, 262197, `The value "${name}" is invalid for field "fields"`, { target: "fields" });
}

/**
 * Expand a comma list with brace groups: `a,b.{c,d}` → a, b.c, b.d.
 * Groups nest and may sit anywhere in an item (`{x,y}.z`).
 */
function expandList(text: string): string[] {
  let at = 0;
  // list := item ("," item)*   item := (chars | "{" list "}")*
  const list = (inGroup: boolean): string[] => {
    const out: string[] = [];
    for (;;) {
      out.push(...item());
      if (text[at] === ",") {
        at++;
        continue;
      }
      if (text[at] === "}") {
        if (!inGroup) throw mismatchedBraces(text);
        at++;
        return out;
      }
      if (inGroup) throw mismatchedBraces(text); // ran off the end inside a group
      return out;
    }
  };
  const item = (): string[] => {
    let variants = [""];
    while (at < text.length && text[at] !== "," && text[at] !== "}") {
      if (text[at] === "{") {
        at++;
        const group = list(true);
        variants = variants.flatMap((v) => group.map((g) => v + g));
      } else {
        const c = text[at++];
        variants = variants.map((v) => v + c);
      }
    }
    return variants;
  };
  return list(false);
}

/**
 * Parse `fields`. `known` lists every valid dotted path of the record type;
 * `_links` and paths under it are always valid. Empty or absent is the
 * default selection. Throws 262286 for mismatched braces (ref §5.2) and
 * 262197 for an unknown field (unknown names fail the call, ref §5.2; the
 * code is an inference), unless `ignoreUnknown` (ignore_unknown_fields=true,
 * ref §5.2) drops them.
 */
export function parseFields(text: string | undefined, known: string[], opts: { ignoreUnknown?: boolean } = {}): FieldSelection {
  const selection: FieldSelection = { base: "default", include: [], exclude: [] };
  if (text === undefined || text.trim() === "") return selection;
  const valid = new Set(known);
  const isKnown = (name: string): boolean => valid.has(name) || name === LINKS || name.startsWith(`${LINKS}.`);
  const check = (name: string): string => {
    if (!isKnown(name)) throw unknownField(name);
    return name;
  };
  for (const raw of expandList(text)) {
    const name = raw.trim(); // `fields=name, state`
    if (name === "") continue;
    if (opts.ignoreUnknown && name !== "*" && name !== "**" && !isKnown(name.replace(/^!/, "").trim())) continue;
    if (name === "**") selection.base = "expensive";
    else if (name === "*") {
      if (selection.base === "default") selection.base = "standard";
    } else if (name.startsWith("!")) selection.exclude.push(check(name.slice(1).trim()));
    else selection.include.push(check(name));
  }
  // Exclusions alone (`fields=!description`) read as "everything but" (choice).
  if (selection.base === "default" && selection.include.length === 0 && selection.exclude.length > 0) selection.base = "standard";
  return selection;
}

/** A trie of paths: `take` returns the value whole, `drop` omits it, children refine. */
interface Node {
  take: boolean;
  drop: boolean;
  children: Map<string, Node>;
}

const newNode = (): Node => ({ take: false, drop: false, children: new Map() });
const EMPTY: Node = newNode();

function nodeAt(root: Node, path: string): Node {
  let node = root;
  for (const segment of path.split(".")) {
    let child = node.children.get(segment);
    if (!child) node.children.set(segment, (child = newNode()));
    node = child;
  }
  return node;
}

const within = (path: string, ancestor: string): boolean => path === ancestor || path.startsWith(`${ancestor}.`);

function buildTrie(selection: FieldSelection, options: ProjectOptions): Node {
  const root = newNode();
  root.take = selection.base !== "default";
  const always = [...options.keys, LINKS];
  for (const path of [...always, ...selection.include]) nodeAt(root, path).take = true;
  const drops = [...selection.exclude];
  // Expensive fields stay out unless `**` or the field (or something under it) is named.
  if (selection.base !== "expensive") {
    for (const path of options.expensive ?? []) {
      if (!selection.include.some((named) => within(named, path))) drops.push(path);
    }
  }
  for (const path of drops) {
    // Keys and `_links` are never removed, nor anything they sit under (choice).
    if (always.some((kept) => within(kept, path))) continue;
    nodeAt(root, path).drop = true;
  }
  return root;
}

const OMIT = Symbol("omit");

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function select(value: unknown, node: Node, inheritedTake: boolean): unknown {
  if (node.drop) return OMIT;
  const take = inheritedTake || node.take;
  if (take && node.children.size === 0) return value; // nothing to refine: share, don't copy
  if (Array.isArray(value)) {
    // Elements keep only the named leaves; an element with none of them stays as {} so positions survive.
    return value.flatMap((element) => {
      const picked = select(element, node, take);
      if (picked !== OMIT) return [picked];
      return isPlainObject(element) ? [{}] : [];
    });
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    const names = take ? Object.keys(value) : [...node.children.keys()];
    for (const name of names) {
      if (!Object.hasOwn(value, name)) continue;
      const picked = select(value[name], node.children.get(name) ?? EMPTY, take);
      if (picked !== OMIT) out[name] = picked;
    }
    // A named path whose fields are all absent is absent, not an empty object.
    return !take && Object.keys(out).length === 0 ? OMIT : out;
  }
  return take ? value : OMIT;
}

// project runs once per record with the same selection; build its trie once.
const tries = new WeakMap<FieldSelection, Map<string, Node>>();
/** The trie last built for a selection, with the option arrays it was built for: a listing asks again with the same arrays for every record. */
const lastTrie = new WeakMap<FieldSelection, { keys: string[]; expensive?: string[]; trie: Node }>();

function trieFor(selection: FieldSelection, options: ProjectOptions): Node {
  const last = lastTrie.get(selection);
  if (last && last.keys === options.keys && last.expensive === options.expensive) return last.trie;
  let byOptions = tries.get(selection);
  if (!byOptions) tries.set(selection, (byOptions = new Map()));
  const key = JSON.stringify([options.keys, options.expensive ?? []]);
  let trie = byOptions.get(key);
  if (!trie) byOptions.set(key, (trie = buildTrie(selection, options)));
  lastTrie.set(selection, { keys: options.keys, expensive: options.expensive, trie });
  return trie;
}

/**
 * The record with only the selected fields. Unchanged subtrees are shared
 * with the input, not copied; the input is never modified.
 */
export function project<T extends object>(record: T, selection: FieldSelection, options: ProjectOptions): T {
  const picked = select(record, trieFor(selection, options), false);
  return (picked === OMIT ? {} : picked) as T;
}
