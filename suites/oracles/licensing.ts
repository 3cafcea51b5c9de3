// The license package state oracle. Source: "Manage cluster licensing",
// overview (spec/sources/000_24a9ec2b2ae4d05f.txt, "Licensing terms" and
// "Cluster state"), with ontap-reference §2.1–2.2 for the shapes:
//
// - The package state is "determined by analyzing the underlying licenses"
//   by scope, time period and usage, and by cluster state.
// - Scope node: "if you don't supply every node with a valid license, the
//   package state indicates noncompliant".
// - Time period: "After a license has expired, the package state changes to
//   noncompliant. You need to purchase a new license for the package to
//   return to a compliant state" (so a newer valid license may cover an
//   expired one that is still listed).
// - Usage: e.g. a maximum amount of storage (capacity.used_size vs
//   capacity.maximum_size).
// - Cluster state: "If a node cannot be reached or is not known to the
//   cluster, the individual license *might* indicate an unknown state."
// - By default the collection hides packages without installed licenses
//   ("You must provide the following query state=unlicensed").
//
// Only contradictions these sentences make certain are violations; where the
// docs leave room (unknown vs noncompliant precedence, an expired license next
// to a valid one, a license whose own state is absent) the oracle says
// `ambiguous`, which callers report as a warning.
import { AMBIGUOUS, isObject, parseInstant, ptr, show, type Violation } from "./types.ts";

export type PackageState = "compliant" | "noncompliant" | "unlicensed" | "unknown";
export const PACKAGE_STATES: readonly PackageState[] = ["compliant", "noncompliant", "unlicensed", "unknown"];

export interface ClusterNode {
  name: string;
  /** false when the node cannot be reached; absent means not known to be offline. */
  online?: boolean;
}

export interface LicensingOptions {
  /**
   * The package was read with `fields=*`: a licenses array it does not carry
   * is one it does not have (otherwise the field may not have been asked for).
   */
  allFields?: boolean;
  /**
   * Clock tolerance between the suite and the server (ms, default 10 min): a
   * license whose expiry_time is this close to `now` is neither expired nor
   * valid for certain.
   */
  clockSkewMs?: number;
}

export interface PackageStateExpectation {
  /** The state the docs' criteria point to. */
  derived: PackageState;
  /** States the docs rule out for this package; serving one is a violation. */
  forbidden: PackageState[];
  /** Why, one sentence each (`license 4149027342 expired at 2021-10-26T19:57:41Z`). */
  reasons: string[];
  /** States as consistent as `derived` with what the oracle was told (a node-scoped package judged without the nodes may be noncompliant for a node without a license). */
  alsoConsistent?: PackageState[];
}

interface LicenseView {
  index: number;
  serial: string;
  owner?: string;
  /** `compliance.state`, or the docs examples' `state` directly on a license (docs quirk, ontap-reference §4 #6). */
  compliance?: string;
  active?: boolean;
  expired: boolean;
  expiryNear: boolean;
  overCapacity: boolean;
  bad: boolean;
}

function view(l: unknown, index: number, now: Date, skew: number): LicenseView {
  const o = isObject(l) ? l : {};
  const compliance = isObject(o.compliance) && typeof o.compliance.state === "string" ? o.compliance.state : typeof o.state === "string" ? o.state : undefined;
  const expiry = typeof o.expiry_time === "string" ? parseInstant(o.expiry_time) : undefined;
  const expiryMs = typeof expiry === "number" ? expiry : undefined;
  const expired = expiryMs !== undefined && expiryMs < now.getTime() - skew;
  const expiryNear = expiryMs !== undefined && Math.abs(expiryMs - now.getTime()) <= skew;
  const cap = isObject(o.capacity) ? o.capacity : {};
  const overCapacity = typeof cap.used_size === "number" && typeof cap.maximum_size === "number" && cap.used_size > cap.maximum_size;
  return {
    index,
    serial: typeof o.serial_number === "string" ? o.serial_number : `licenses/${index}`,
    owner: typeof o.owner === "string" ? o.owner : undefined,
    compliance,
    active: typeof o.active === "boolean" ? o.active : undefined,
    expired,
    expiryNear,
    overCapacity,
    bad: expired || overCapacity || compliance === "noncompliant",
  };
}

/**
 * The package state the docs derive from the package's licenses, and the
 * states they rule out. `pkg` should be a record fetched with `fields=*`
 * (or at least `scope,state,licenses`).
 */
export function expectedPackageState(pkg: unknown, nodes: readonly ClusterNode[], now: Date, opts: LicensingOptions = {}): PackageStateExpectation {
  const skew = opts.clockSkewMs ?? 10 * 60_000;
  const p = isObject(pkg) ? pkg : {};
  const raw = p.licenses;
  // A package without a license is unlicensed, whatever else (the docs' "unlicensed" packages are those without
  // installed licenses, which the default listing hides).
  const none: PackageStateExpectation = { derived: "unlicensed", forbidden: PACKAGE_STATES.filter((s) => s !== "unlicensed"), reasons: ["the package has no licenses"] };
  if (!Array.isArray(raw)) {
    return opts.allFields ? none : { derived: "unlicensed", forbidden: [], reasons: ["the package carries no licenses array (not requested, or none installed)"] };
  }
  if (raw.length === 0) return none;
  const licenses = raw.map((l, i) => view(l, i, now, skew));
  const reasons: string[] = [];
  const nodeNames = new Set(nodes.map((n) => n.name));
  const scope = typeof p.scope === "string" ? p.scope : undefined;

  for (const l of licenses) {
    if (l.expired) reasons.push(`license ${l.serial} expired at ${(raw[l.index] as any).expiry_time}`);
    if (l.overCapacity) reasons.push(`license ${l.serial} uses ${(raw[l.index] as any).capacity.used_size} of a maximum ${(raw[l.index] as any).capacity.maximum_size}`);
    if (l.compliance === "noncompliant") reasons.push(`license ${l.serial} is itself noncompliant`);
  }
  // A license entry in state "unlicensed" is a node's empty slot (docs example
  // "Retrieving a collection of licenses installed with NLFv2").
  const valid = licenses.filter((l) => !l.bad && l.compliance !== "unlicensed");
  // A bad license makes the package noncompliant for certain only when no
  // valid license covers the same thing (the same node for node scope).
  const badCertain = licenses.some((l) => l.bad && !valid.some((c) => (scope === "node" ? c.owner === l.owner : true)));
  if (valid.length === 0) reasons.push("no license of the package is valid");

  // Scope node: every node needs a valid license (only judged once the package is licensed somewhere).
  let nodeShortCertain = false;
  let nodeShortPossible = false;
  if (scope === "node" && valid.length > 0) {
    const validOwners = new Set(valid.map((l) => l.owner));
    const emptySlots = licenses.filter((l) => (l.bad || l.compliance === "unlicensed") && l.owner !== undefined && !validOwners.has(l.owner));
    if (emptySlots.length > 0) {
      nodeShortCertain = true;
      reasons.push(`node-scoped package has no valid license for ${[...new Set(emptySlots.map((l) => l.owner))].join(", ")}`);
    }
    if (nodes.length > 0) {
      const ownersAreNodes = valid.every((l) => l.owner !== undefined && nodeNames.has(l.owner));
      const uncovered = nodes.filter((n) => !validOwners.has(n.name)).map((n) => n.name);
      if (ownersAreNodes && uncovered.length > 0) {
        nodeShortCertain = true;
        reasons.push(`node-scoped package has no valid license for node(s) ${uncovered.join(", ")}`);
      } else if (!ownersAreNodes && valid.length < nodes.length) {
        nodeShortPossible = true;
        reasons.push(`node-scoped package has ${valid.length} valid license(s) for ${nodes.length} node(s)`);
      }
    }
  }
  const nodeShort = nodeShortCertain || nodeShortPossible;

  const unknownReasons: string[] = [];
  for (const l of licenses) {
    if (l.compliance === "unknown") unknownReasons.push(`license ${l.serial} is itself in state unknown`);
    const node = nodes.find((n) => n.name === l.owner);
    if (node && node.online === false) unknownReasons.push(`license ${l.serial} belongs to node ${node.name}, which cannot be reached`);
    else if (scope === "node" && nodes.length > 0 && l.owner !== undefined && !nodeNames.has(l.owner)) unknownReasons.push(`license ${l.serial} belongs to ${l.owner}, which is not a node of the cluster`);
  }

  const noncompliantPossible = licenses.some((l) => l.bad) || nodeShort;
  const noncompliantCertain = badCertain || nodeShortCertain;
  const activeEvidence = licenses.find((l) => l.active === true || (l.compliance === "compliant" && !l.expired));
  const allExplicitlyCompliant = licenses.every((l) => l.compliance === "compliant" && !l.expired && !l.expiryNear && !l.overCapacity);

  const forbidden: PackageState[] = [];
  if (noncompliantCertain || valid.length === 0) forbidden.push("compliant");
  if (activeEvidence) forbidden.push("unlicensed");
  // A node-scoped package judged without the cluster's nodes: a node the oracle was not told about may hold no
  // license, which makes the package noncompliant (docs, Licensing terms); only the caller that passes the nodes can tell.
  const nodesUnknown = scope === "node" && nodes.length === 0 && valid.length > 0;
  if (!noncompliantPossible && allExplicitlyCompliant && !nodesUnknown) forbidden.push("noncompliant");

  let derived: PackageState;
  if (noncompliantPossible) derived = "noncompliant";
  else if (valid.length === 0) derived = "unlicensed";
  else if (unknownReasons.length > 0) derived = "unknown";
  else derived = "compliant";
  if (activeEvidence) reasons.push(`license ${activeEvidence.serial} is ${activeEvidence.active === true ? "active" : "compliant"}`);
  reasons.push(...unknownReasons);
  if (derived === "compliant") reasons.push(nodesUnknown ? "every license is valid (the nodes were not judged)" : "every license is valid and every node covered");
  return { derived, forbidden, reasons, ...(nodesUnknown && derived !== "noncompliant" ? { alsoConsistent: ["noncompliant" as PackageState] } : {}) };
}

/**
 * Judge a package's `state` against its licenses. Rules:
 * `license-package-state` (a state the docs rule out, or not one of the four
 * documented values) and `ambiguous` (a state the docs allow but do not point
 * to). Nothing when the package carries no state (not requested).
 */
export function checkPackageState(pkg: unknown, nodes: readonly ClusterNode[], now: Date, opts: LicensingOptions = {}): Violation[] {
  const p = isObject(pkg) ? pkg : {};
  const name = typeof p.name === "string" ? p.name : "?";
  const state = p.state;
  if (state === undefined) return [];
  if (typeof state !== "string" || !(PACKAGE_STATES as readonly string[]).includes(state)) {
    return [{ rule: "license-package-state", pointer: "/state", message: `package ${name} has state ${show(state)}, which is none of ${PACKAGE_STATES.join(", ")}`, received: state, expected: PACKAGE_STATES }];
  }
  const e = expectedPackageState(pkg, nodes, now, opts);
  if (e.forbidden.includes(state as PackageState)) {
    return [{ rule: "license-package-state", pointer: "/state", message: `package ${name} is ${state} although ${e.reasons.join("; ")}; expected ${e.derived}`, received: state, expected: e.derived }];
  }
  if (state !== e.derived && !e.alsoConsistent?.includes(state as PackageState)) {
    return [{ rule: AMBIGUOUS, pointer: "/state", message: `package ${name} is ${state} where its licenses point to ${e.derived} (${e.reasons.join("; ")}); the docs do not rule ${state} out`, received: state, expected: e.derived }];
  }
  return [];
}

/**
 * A license listing sent without a `state` query must hide unlicensed
 * packages. Judges records that carry `state` (request `fields=state` or
 * `*`), and any name in `unlicensed` (known from a `state=unlicensed` query).
 * Rule: `license-default-hides-unlicensed`.
 */
export function checkDefaultListingHidesUnlicensed(records: readonly unknown[], opts: { unlicensed?: readonly string[] } = {}): Violation[] {
  const out: Violation[] = [];
  const known = new Set(opts.unlicensed ?? []);
  records.forEach((r, i) => {
    if (!isObject(r)) return;
    const name = typeof r.name === "string" ? r.name : `records/${i}`;
    if (r.state === "unlicensed") {
      out.push({ rule: "license-default-hides-unlicensed", pointer: ptr("records", i, "state"), message: `the default listing (no state query) returns package ${name} in state unlicensed; unlicensed packages must only appear for an explicit state query`, received: r.state, expected: "no unlicensed packages" });
    } else if (known.has(name)) {
      out.push({ rule: "license-default-hides-unlicensed", pointer: ptr("records", i), message: `the default listing (no state query) returns package ${name}, which state=unlicensed reported as unlicensed`, received: name, expected: "no unlicensed packages" });
    }
  });
  return out;
}
