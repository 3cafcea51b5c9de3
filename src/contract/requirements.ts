// The requirements inventory (spec/requirements.yaml): every behavioural
// statement of the reference pages in spec/sources, quoted with its place,
// and either the checks that enforce it or the reason none can. The other
// half of the trace from a check to its source: a check names its spec
// element, an entry names its checks. test/contract/requirements.test.ts
// holds the inventory to the sources and to the suite; `list --markdown`
// shows its coverage in CONFORMANCE.md.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readYamlFile } from "./yaml-file.ts";

export const REQUIREMENTS_PATH = fileURLToPath(new URL("../../spec/requirements.yaml", import.meta.url));
export const SOURCES_DIR = fileURLToPath(new URL("../../spec/sources/", import.meta.url));

export const REQUIREMENT_AREAS = ["conventions", "licensing", "software", "jobs", "cluster"] as const;
export type RequirementArea = (typeof REQUIREMENT_AREAS)[number];
/** The id prefix of each area (CONV-001, LIC-001, SW-001, JOB-001, CLU-001). */
export const AREA_PREFIX: Record<RequirementArea, string> = { conventions: "CONV", licensing: "LIC", software: "SW", jobs: "JOB", cluster: "CLU" };

/**
 * Why no check can enforce a statement:
 * - `needs-configuration`: a cluster in a state or configuration a client cannot set up (MetroCluster, Cloud ONTAP, an offline node, an internal fault);
 * - `unobservable`: nothing a client can read shows whether the server does it (a default wait, an internal step);
 * - `not-api`: it describes the CLI, the documentation, or what a client must do, not what the server answers;
 * - `docs-contradiction`: the docs' statement or example contradicts the definition (a quirk of spec/quirks.yaml, or the docs against themselves);
 * - `outside-contract`: a feature the contract of these operations does not have (per NetApp's definitions);
 * - `permission`: it allows something and forbids nothing, so no answer can break it;
 * - `not-checked-yet`: a client could check it; why it is not done yet is said (the gaps the lead decides on).
 */
export const REASON_KINDS = ["needs-configuration", "unobservable", "not-api", "docs-contradiction", "outside-contract", "permission", "not-checked-yet"] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

export interface RequirementLocation {
  /** A file under spec/sources. */
  file: string;
  /** A line ("57") or an inclusive range ("972-1006"). */
  lines: string | number;
  /** What this place says, when it words the statement differently from the entry's quote. */
  quote?: string | string[];
}

export interface Requirement {
  id: string;
  area: RequirementArea;
  /** The source text (whitespace aside, exactly as the file has it); several fragments for a table. */
  quote: string | string[];
  at: RequirementLocation[];
  /** The checks that enforce it (ids as `list --json` prints them). */
  checks?: string[];
  kind?: ReasonKind;
  /** Why no check enforces it (required without checks). */
  reason?: string;
}

let cached: Requirement[] | undefined;

export function loadRequirements(path = REQUIREMENTS_PATH): Requirement[] {
  if (path !== REQUIREMENTS_PATH) return ((readYamlFile(path) as { requirements?: Requirement[] } | null)?.requirements ?? []) as Requirement[];
  cached ??= ((readYamlFile(path) as { requirements?: Requirement[] } | null)?.requirements ?? []) as Requirement[];
  return cached;
}

/** The first and last line (1-based, inclusive) of a location. */
export function lineRange(lines: string | number): [number, number] {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(String(lines));
  if (!m) throw new Error(`"${lines}" is not a line or a range of lines`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

/** Whitespace runs as one space, ends trimmed: PDF text wraps sentences and tables anywhere. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

const fileCache = new Map<string, string[]>();

/** The text of a location's lines, whitespace normalised. */
export function locationText(loc: RequirementLocation, dir = SOURCES_DIR): string {
  let lines = fileCache.get(loc.file);
  if (!lines) {
    lines = readFileSync(`${dir}${loc.file}`, "utf8").split("\n");
    fileCache.set(loc.file, lines);
  }
  const [from, to] = lineRange(loc.lines);
  if (from < 1 || to < from || to > lines.length) throw new Error(`${loc.file} has no lines ${loc.lines} (it has ${lines.length})`);
  return normaliseWhitespace(lines.slice(from - 1, to).join("\n"));
}

/** The fragments of a location's quote that its lines do not hold (empty when the quote is there). */
export function missingQuotes(req: Requirement, loc: RequirementLocation, dir = SOURCES_DIR): string[] {
  const text = locationText(loc, dir);
  const quote = loc.quote ?? req.quote;
  return (Array.isArray(quote) ? quote : [quote]).filter((q) => !text.includes(normaliseWhitespace(q)));
}

export interface AreaCoverage {
  area: RequirementArea;
  entries: number;
  enforced: number;
  withReason: number;
  byKind: Partial<Record<ReasonKind, number>>;
}

/** Entries, enforced and explained entries per area, and the reasons by kind. */
export function requirementCoverage(reqs: Requirement[] = loadRequirements()): AreaCoverage[] {
  return REQUIREMENT_AREAS.map((area) => {
    const inArea = reqs.filter((r) => r.area === area);
    const byKind: Partial<Record<ReasonKind, number>> = {};
    for (const r of inArea) if (!r.checks?.length && r.kind) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
    return { area, entries: inArea.length, enforced: inArea.filter((r) => r.checks?.length).length, withReason: inArea.filter((r) => !r.checks?.length).length, byKind };
  });
}

/** Check id → the ids of the entries it enforces, in inventory order. */
export function requirementsByCheck(reqs: Requirement[] = loadRequirements()): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of reqs) for (const c of r.checks ?? []) out.set(c, [...(out.get(c) ?? []), r.id]);
  return out;
}
