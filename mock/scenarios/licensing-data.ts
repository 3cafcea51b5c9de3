// License packages the mock knows, and the licenses of the docs' examples
// (spec/sources/000_24a9ec2b2ae4d05f.txt) for the `docs` scenario.
import type { CatalogEntry, InstalledLicense } from "../licensing/store.ts";
import type { LicenseGrant } from "../licensing/grants.ts";

export const CATALOG: CatalogEntry[] = [
  ["base", "Cluster Base License"], ["nfs", "NFS License"], ["cifs", "CIFS License"], ["iscsi", "iSCSI License"],
  ["fcp", "FCP License"], ["snaprestore", "SnapRestore License"], ["snapmirror", "SnapMirror License"],
  ["flexclone", "FlexClone License"], ["snapvault", "SnapVault License"], ["snaplock", "SnapLock License"],
  ["snapmanagersuite", "SnapManager Suite License"], ["snapprotectapps", "SnapProtect Apps License"],
  ["v_storageattach", "Virtual Attached Storage License"], ["insight_balance", "OnCommand Insight and Balance License"],
  ["nvme_of", "NVMe-oF License"], ["s3", "S3 License"], ["flexcache", "FlexCache License"], ["fabricpool", "FabricPool License"],
  ["cloud", "Cloud ONTAP License"], ["select_max_instances", "ONTAP Select Max Instances License"],
].map(([name, description]) => ({ name, description }));

/** The docs' 28-A example key installs SnapRestore on node1 (spec/test-keys.md §3). */
export function docsRegistry(node1Serial: string): Record<string, LicenseGrant> {
  return {
    AAAAAAAAAAAAAAAAAAAAAAAAAAAA: { packages: ["snaprestore"], serial_number: node1Serial, scope: "node", evaluation: false, format: "28-character" },
  };
}

const T = "2026-01-05T12:00:00Z";

/** Licenses matching the docs' examples, on the two-node testcluster-1. */
export function docsLicenses(): InstalledLicense[] {
  const nodeLicense = (pkg: string, node: string, serial: string): InstalledLicense => ({ package: pkg, serial_number: serial, scope: "node", owner: node, start_time: T, evaluation: false });
  const bundle = (pkg: string, node: string): InstalledLicense => ({
    package: pkg, serial_number: "4212426890", scope: "node", owner: node, installed_license: "Core Bundle", host_id: "4212426890", start_time: T, evaluation: false, maximum_size: 10995116277760, used_size: 0,
  });
  return [
    // nfs and cifs: node licenses on both nodes (docs: "Retrieving a collection of installed licenses").
    nodeLicense("nfs", "node1", "1-81-0000000000000004149027492"),
    nodeLicense("nfs", "node2", "1-81-0000000000000004149027493"),
    nodeLicense("cifs", "node1", "1-81-0000000000000004149027492"),
    nodeLicense("cifs", "node2", "1-81-0000000000000004149027493"),
    // fabricpool: a cluster capacity license of 1 TiB (docs: "organized by package").
    { package: "fabricpool", serial_number: "4149027342", scope: "cluster", owner: "testcluster-1", start_time: T, evaluation: false, maximum_size: 1099511627776, used_size: 0 },
    // The Core Bundle (NLFv2) packages of "Retrieving a collection of licenses installed with NLFv2".
    ...["iscsi", "fcp", "snaprestore", "flexclone", "nvme_of", "s3"].flatMap((p) => [bundle(p, "node1"), bundle(p, "node2")]),
    // cloud: an expired evaluation license in its enforcement period (docs: "for package cloud").
    { package: "cloud", serial_number: "90120130000000000001", scope: "node", owner: "node1", start_time: "2021-09-26T19:57:41Z", expiry_time: "2021-10-26T19:57:41Z", evaluation: true, shutdown_imminent: true },
  ];
}
