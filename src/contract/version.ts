// ONTAP versions: "9.10.1", "9.9" (the docs' shorthand for 9.9.x), or a
// cluster's `version.full` ("NetApp Release 9.10.1P3: ..."). Compared as
// (generation, major, minor); a missing part counts as 0, so "introduced in
// 9.9" includes 9.9.1.
import { loadSpec } from "./spec.ts";

export interface OntapVersion {
  generation: number;
  major: number;
  minor: number;
}

const VERSION_RE = /(\d+)\.(\d+)(?:\.(\d+))?/;

export function parseVersion(text: string): OntapVersion {
  // Every request compares the target's release with the contract's gates (bench row 1): each text is parsed once.
  let v = parsed.get(text);
  if (v) return v;
  const m = VERSION_RE.exec(text);
  if (!m) throw new Error(`not an ONTAP version: "${text}"`);
  v = Object.freeze({ generation: Number(m[1]), major: Number(m[2]), minor: m[3] === undefined ? 0 : Number(m[3]) });
  if (parsed.size < 1024) parsed.set(text, v);
  return v;
}

/** Texts parsed so far (frozen results, so callers cannot change the shared copy); bounded, as texts come from targets. */
const parsed = new Map<string, OntapVersion>();

export function formatVersion(v: OntapVersion): string {
  return `${v.generation}.${v.major}.${v.minor}`;
}

export function compareVersions(a: OntapVersion | string, b: OntapVersion | string): number {
  const x = typeof a === "string" ? parseVersion(a) : a;
  const y = typeof b === "string" ? parseVersion(b) : b;
  return x.generation - y.generation || x.major - y.major || x.minor - y.minor;
}

/**
 * Whether something introduced in `introduced` and removed in `removed` exists
 * in `version`. With no version (an unknown target) everything exists.
 */
export function existsIn(version: OntapVersion | string | undefined, introduced?: string, removed?: string): boolean {
  if (version === undefined) return true;
  if (introduced !== undefined && compareVersions(version, introduced) < 0) return false;
  if (removed !== undefined && compareVersions(version, removed) >= 0) return false;
  return true;
}

/**
 * The releases the contract covers (spec/ontap.yaml `x-ontap-versions`): the
 * oldest is the first with a REST API, the newest the last NetApp has
 * published a definition of.
 */
export function coveredReleases(): { oldest: string; newest: string } {
  const v = loadSpec()["x-ontap-versions"] ?? {};
  return { oldest: String(v.oldest), newest: String(v.newest) };
}
