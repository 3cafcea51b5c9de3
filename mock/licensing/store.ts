// The licenses a mock cluster holds, and the package records derived from
// them as the docs' "Licensing terms" and "Cluster state" sections describe
// (spec/sources/000_24a9ec2b2ae4d05f.txt): node scope needs every node
// licensed, an expired license or capacity over its limit is noncompliant,
// an unreachable owner node makes it unknown. Codes: ref §3 (ref =
// spec/sources/ontap-reference.md).
import { OntapError } from "../errors.ts";
import type { Schemas, Writable } from "../../src/contract/index.ts";
import type { VirtualClock } from "../clock.ts";
import type { ClusterModel } from "../cluster.ts";
import { readKey, type KeyContext, type LicenseGrant } from "./grants.ts";

export interface CatalogEntry {
  name: string;
  description: string;
}

export interface InstalledLicense {
  package: string;
  serial_number: string;
  scope: "node" | "cluster" | "site";
  /** Node name for node licenses, cluster name otherwise. */
  owner: string;
  installed_license?: string;
  host_id?: string;
  start_time: string;
  expiry_time?: string;
  evaluation: boolean;
  maximum_size?: number;
  used_size?: number;
  shutdown_imminent?: boolean;
}

export type PackageState = Schemas["license_state"];

// entitlement (9.11+, ref §2.1): values within the documented enums, as the docs' examples pair
// them (compliant nfs: none/low; noncompliant packages: acquire_license/medium); no source maps
// unknown and unlicensed, so those are a reading of the enums' names.
const ENTITLEMENT: Record<PackageState, Required<Schemas["license_entitlement"]>> = {
  compliant: { action: "none", risk: "low" },
  noncompliant: { action: "acquire_license", risk: "medium" },
  unknown: { action: "verify_system_health", risk: "unknown" },
  unlicensed: { action: "acquire_license", risk: "unlicensed" },
};

export interface InstallOutcome {
  index: number;
  error?: OntapError;
  packages?: string[];
}

export class LicenseStore {
  private licenses: InstalledLicense[];

  constructor(
    private readonly deps: { clock: VirtualClock; cluster: ClusterModel; catalog: CatalogEntry[]; registry: Record<string, LicenseGrant>; acceptDocsSignatures: boolean },
    installed: InstalledLicense[],
  ) {
    this.licenses = structuredClone(installed);
  }

  snapshot(): InstalledLicense[] {
    return structuredClone(this.licenses);
  }

  private licenseState(l: InstalledLicense): PackageState {
    const now = this.deps.clock.nowMs();
    if (l.expiry_time && Date.parse(l.expiry_time) < now) return "noncompliant";
    if (l.maximum_size !== undefined && (l.used_size ?? 0) > l.maximum_size) return "noncompliant";
    if (l.scope === "node") {
      const node = this.deps.cluster.nodes.find((n) => n.name === l.owner);
      if (!node || !node.online) return "unknown";
    }
    return "compliant";
  }

  private packageState(scope: string, licenses: InstalledLicense[]): PackageState {
    if (!licenses.length) return "unlicensed";
    const states = licenses.map((l) => this.licenseState(l));
    if (states.includes("noncompliant")) return "noncompliant";
    if (states.includes("unknown")) return "unknown";
    if (scope === "node") {
      const covered = new Set(licenses.map((l) => l.owner));
      const siteOrCluster = licenses.some((l) => l.scope !== "node");
      if (!siteOrCluster && this.deps.cluster.nodes.some((n) => !covered.has(n.name))) return "noncompliant";
    }
    return "compliant";
  }

  /** Every catalog package as a license_package record (unlicensed ones included; the listing hides them by default, ref §5.1). */
  packages(): Array<Schemas["license_package"]> {
    // Grouped once: filtering every license per catalog entry made a listing O(packages × licenses), 0.9 s at 10,000.
    const byPackage = new Map<string, InstalledLicense[]>();
    for (const l of this.licenses) {
      const list = byPackage.get(l.package);
      if (list) list.push(l);
      else byPackage.set(l.package, [l]);
    }
    return this.deps.catalog.map((entry) => {
      const mine = byPackage.get(entry.name) ?? [];
      const scope = mine.length ? (mine.some((l) => l.scope === "node") ? "node" : mine[0].scope) : "not_available";
      const state = this.packageState(scope, mine);
      const record: Writable<Schemas["license_package"]> = { name: entry.name, state };
      if (mine.length) record.scope = scope;
      record.description = entry.description;
      record.entitlement = { ...ENTITLEMENT[state] };
      if (mine.length) {
        record.licenses = mine.map((l) => {
          const out: Writable<Schemas["license"]> = {
            owner: l.owner,
            serial_number: l.serial_number,
            active: this.licenseState(l) === "compliant",
            evaluation: l.evaluation,
            start_time: l.start_time,
          };
          if (l.expiry_time) out.expiry_time = l.expiry_time;
          out.compliance = { state: this.licenseState(l) };
          if (l.maximum_size !== undefined) out.capacity = { maximum_size: l.maximum_size, used_size: l.used_size ?? 0, disabled_size: 0, measurement_unit: "bytes" };
          if (l.host_id) out.host_id = l.host_id;
          if (l.installed_license) out.installed_license = l.installed_license;
          if (l.shutdown_imminent !== undefined) out.shutdown_imminent = l.shutdown_imminent;
          return out;
        });
      }
      return record;
    });
  }

  /**
   * Everything packages() reads, as plain data: the licenses (every field),
   * the catalog, the nodes (name, online) and which licenses have expired by
   * now (the one way time changes a package). The licence reads' kept answers
   * (server/answers.ts) hold while it stays equal. Undefined for a large
   * store, where comparing it would cost about what keeping saves.
   */
  answerInputs(): unknown {
    if (this.licenses.length + this.deps.catalog.length > 500) return undefined;
    const now = this.deps.clock.nowMs();
    const expired = this.licenses.map((l) => Boolean(l.expiry_time && Date.parse(l.expiry_time) < now));
    return [this.licenses, this.deps.catalog, this.deps.cluster.nodes.map((n) => [n.name, n.online]), expired];
  }

  private keyContext(): KeyContext {
    return {
      catalog: this.deps.catalog.map((c) => c.name),
      nodeSerials: this.deps.cluster.nodes.map((n) => n.serial_number),
      now: this.deps.clock.now(),
      acceptDocsSignatures: this.deps.acceptDocsSignatures,
      registry: this.deps.registry,
    };
  }

  private grantToLicenses(g: LicenseGrant): InstalledLicense[] {
    const owner = g.scope === "node" ? this.deps.cluster.nodes.find((n) => n.serial_number === g.serial_number)?.name ?? this.deps.cluster.nodes[0].name : this.deps.cluster.name;
    return g.packages.map((p) => ({
      package: p,
      serial_number: g.serial_number,
      scope: g.scope,
      owner,
      installed_license: g.installed_license,
      host_id: g.host_id,
      start_time: this.deps.clock.isoNow(),
      expiry_time: g.expiry_time,
      evaluation: g.evaluation,
      maximum_size: g.maximum_size,
      used_size: g.maximum_size !== undefined ? 0 : undefined,
    }));
  }

  /**
   * Install each key on its own: a good key installs even when another in the
   * batch is bad (na_ontap_license reports "some licenses were updated, but
   * others were in conflict", ref §8 S5); a bad key changes nothing. Each
   * failure says "Failed to install the license at index N" (the text the
   * client parses, ref §8). ref §3: 1115617 NLFv2 conflict, 1115132 already
   * exists (409: ref §5.5 conflict; ref §7 leaves the status open).
   */
  install(keys: unknown[]): InstallOutcome[] {
    const ctx = this.keyContext();
    return keys.map((key, index) => {
      try {
        const grant = readKey(key, ctx);
        const fresh = this.grantToLicenses(grant);
        const conflict = fresh.find((f) => f.installed_license && this.licenses.some((l) => l.package === f.package && l.owner === f.owner && l.installed_license && l.installed_license !== f.installed_license));
        if (conflict) throw new OntapError(409, 1115617, `NLFv2 license conflict: package "${conflict.package}" is already licensed by another NLFv2 license.`);
        const dup = fresh.find((f) => this.licenses.some((l) => l.package === f.package && l.serial_number === f.serial_number));
        if (dup) throw new OntapError(409, 1115132, `The license for package "${dup.package}" and serial number ${dup.serial_number} already exists.`);
        this.licenses.push(...fresh);
        return { index, packages: grant.packages };
      } catch (e) {
        if (!(e instanceof OntapError)) throw e;
        return { index, error: new OntapError(e.httpStatus, e.code, `Failed to install the license at index ${index}: ${e.message}`) };
      }
    });
  }

  /**
   * DELETE /licenses/{name}?serial_number=…: `matches` decides which serials go.
   * None: 404 code 4 "entry doesn't exist" (ref §8; na_ontap_license reads it as
   * "nothing to remove"). A package of an NLFv2 bundle: 1115564 (ref §3), to be
   * deleted by licenses.installed_license (ref §5.1).
   */
  deletePackage(name: string, matches: (license: InstalledLicense) => boolean): number {
    const victims = this.licenses.filter((l) => l.package === name && matches(l));
    if (!victims.length) throw new OntapError(404, 4, "entry doesn't exist");
    const bundled = victims.find((l) => l.installed_license);
    if (bundled) {
      throw new OntapError(400, 1115564, `The package "${name}" is part of the NLFv2 license "${bundled.installed_license}"; delete it with licenses.installed_license=${bundled.installed_license!.replace(/ /g, "*")}.`);
    }
    this.licenses = this.licenses.filter((l) => !victims.includes(l));
    return victims.length;
  }

  /** DELETE /licenses?…: every license for which `matches` holds, bundles included (ref §5.1 delete-by-query examples). */
  deleteWhere(matches: (license: InstalledLicense) => boolean): number {
    const before = this.licenses.length;
    this.licenses = this.licenses.filter((l) => !matches(l));
    return before - this.licenses.length;
  }

  /** Test hooks: usage over the limit, nodes going offline. */
  setUsedSize(pkg: string, serial: string, bytes: number): void {
    for (const l of this.licenses) if (l.package === pkg && l.serial_number === serial) l.used_size = bytes;
  }
}
