// The error-code scenarios of the errors.* checks (suites/errors/checks.ts):
// how to provoke each documented error code (x-ontap-error-codes), or why a
// client cannot on a healthy cluster. The codes themselves come from the
// spec; this table only adds the "how" or the "why not", and a test keeps
// the two in step (a code added to the spec without a row here fails).
import { completeQuery, type ErrorFields, type OperationId } from "../../src/contract/index.ts";
import type { Profile } from "../../src/harness/profiles.ts";
import type { CallParams, CallResult, CheckContext } from "../../src/harness/context.ts";
import { checksum, nlfKey, shortKey, signature, TEST_KEY_CATALOG } from "../../generators/license-keys.ts";
import { updateUnderWay } from "../software/busy.ts";

export type Need = "testKeys" | "testPackages" | "allowUpgrade";

/** What a scenario gets back: an answer judged by its error envelope. */
export type Answer = CallResult<ErrorFields | undefined>;

export interface Scenario {
  operation: OperationId;
  /** The code this scenario must provoke. */
  code: string;
  /** One line: what is sent. */
  what: string;
  /** Least permissive profile that may send it (a request that must be rejected is non-disruptive). */
  profile: Profile;
  needs?: Need[];
  /** The release it needs (its request or its clean-up uses something newer). */
  since?: string;
  /** Query parameters it sends that not every release has (skipped where the target's release lacks one). */
  uses?: string[];
  /** Send it (and undo anything it set up); undefined when this target lacks what it needs. */
  run(ctx: CheckContext): Promise<Answer | { skip: string }>;
}

export interface Unprovokable {
  operation: string;
  code: string;
  reason: string;
}

const call = (operation: OperationId, params: CallParams) => (ctx: CheckContext) => ctx.call(operation, { ...params, expect: "any" });

async function nodeSerial(ctx: CheckContext): Promise<string | undefined> {
  const r = await ctx.call("cluster_nodes_get", { query: { fields: "serial_number" } });
  return (r.body.records ?? []).map((n) => n.serial_number).find((s: unknown) => typeof s === "string" && /^\d+$/.test(s));
}

async function unlicensedPackage(ctx: CheckContext): Promise<string | undefined> {
  const r = await ctx.call("licenses_get", { query: { state: "unlicensed", fields: "name" } });
  return (r.body.records ?? []).map((p) => p.name).find((n) => n !== undefined && TEST_KEY_CATALOG.includes(n));
}

/** Install a test key, run `then`, and delete what was installed whatever happens. */
async function withInstalled(ctx: CheckContext, then: (pkg: string, serial: string) => Promise<Answer>): Promise<Answer | { skip: string }> {
  const serial = await nodeSerial(ctx);
  const pkg = await unlicensedPackage(ctx);
  if (!serial || !pkg) return { skip: "no node serial or no unlicensed package of the test-key catalog" };
  const first = await ctx.call("license_create", { body: { keys: [shortKey(pkg, serial)] } });
  try {
    return await then(pkg, serial);
  } finally {
    if (first.status < 300) await ctx.send("license_delete", { path: { name: pkg }, query: { serial_number: serial } });
  }
}

const PAST = "2001-01-01T00:00:00Z";
const LICENSES = "license_create";
const keys = (k: string) => ({ body: { keys: [k] } });

export const SCENARIOS: Scenario[] = [
  // ---- license_create (spec/test-keys.md tables; malformed keys are rejected, so non-disruptive)
  { operation: LICENSES, code: "1115130", what: "POST keys: [\"\"] (no license code)", profile: "non-disruptive", run: call(LICENSES, keys("")) },
  { operation: LICENSES, code: "1115159", what: "a 26-character key", profile: "non-disruptive", run: call(LICENSES, keys("AMEPOSOIKLKGEEDGNDEKSJDEEE")) },
  { operation: LICENSES, code: "655294465", what: "a 28-letter key with a wrong checksum", profile: "non-disruptive", needs: ["testKeys"], run: call(LICENSES, keys("ONTCAJZZZZZZEBEJACHEJCAAAAAA")) },
  { operation: LICENSES, code: "655294466", what: "a 28-letter key whose serial part is not digits", profile: "non-disruptive", needs: ["testKeys"], run: async (ctx) => {
    const k = shortKey("nfs", "4149027492");
    const broken = `${k.slice(0, 20)}ZX${k.slice(22)}`; // 'Z' padding after a digit letter: not a serial
    return ctx.call(LICENSES, { ...keys(withChecksum(broken)), expect: "any" });
  } },
  { operation: LICENSES, code: "655294470", what: "a 28-letter key whose package index is beyond the catalog", profile: "non-disruptive", needs: ["testKeys"], run: async (ctx) => {
    const k = shortKey("nfs", "4149027492");
    return ctx.call(LICENSES, { ...keys(withChecksum(`ONTCZZ${k.slice(6, 22)}`)), expect: "any" });
  } },
  { operation: LICENSES, code: "1115134", what: "a node key for a serial that is no node of the cluster", profile: "non-disruptive", needs: ["testKeys"], run: call(LICENSES, keys(shortKey("nfs", "9999999999"))) },
  { operation: LICENSES, code: "1115141", what: "an NLF without licenses", profile: "non-disruptive", needs: ["testKeys"], run: call(LICENSES, keys(JSON.stringify({ statusResp: { version: "1", serialNumber: "4149027492" }, Signature: "00" }))) },
  { operation: LICENSES, code: "655294467", what: "an NLF of version 3", profile: "non-disruptive", needs: ["testKeys"], run: call(LICENSES, keys(nlfKey({ version: "3" as never, serialNumber: "4149027492", packages: ["nfs"], scope: "cluster" }))) },
  { operation: LICENSES, code: "1115142", what: "an NLF with a wrong Signature", profile: "non-disruptive", needs: ["testKeys"], run: call(LICENSES, keys(nlfKey({ version: "1", serialNumber: "4149027492", packages: ["nfs"], scope: "cluster" }, () => "0".repeat(64)))) },
  { operation: LICENSES, code: "1115565", what: "an NLFv2 without product", profile: "non-disruptive", needs: ["testKeys"], run: async (ctx) => {
    const statusResp = { version: "2", serialNumber: "4149027492", licenses: { package: ["nfs"], licenseScope: "cluster" } };
    return ctx.call(LICENSES, { ...keys(JSON.stringify({ statusResp, Signature: signature(statusResp) })), expect: "any" });
  } },
  { operation: LICENSES, code: "1115160", what: "an NLF whose endDate is in the past", profile: "non-disruptive", needs: ["testKeys"], run: call(LICENSES, keys(nlfKey({ version: "1", serialNumber: "4149027492", packages: ["nfs"], scope: "cluster", endDate: PAST }))) },
  { operation: LICENSES, code: "1115152", what: "an NLF for another platform", profile: "non-disruptive", needs: ["testKeys"], run: async (ctx) => {
    const statusResp = { version: "1", serialNumber: "4149027492", licenses: { package: "nfs", licenseScope: "cluster", platform: "StorageGRID" } };
    return ctx.call(LICENSES, { ...keys(JSON.stringify({ statusResp, Signature: signature(statusResp) })), expect: "any" });
  } },
  { operation: LICENSES, code: "1115132", what: "the same node key installed twice", profile: "destructive", needs: ["testKeys"], run: (ctx) => withInstalled(ctx, (pkg, serial) => ctx.call(LICENSES, { ...keys(shortKey(pkg, serial)), expect: "any" })) },
  { operation: LICENSES, code: "1115617", what: "an NLFv2 bundle licensing a package another bundle licenses on that node", profile: "destructive", needs: ["testKeys"], since: "9.9", run: async (ctx) => {
    const serial = await nodeSerial(ctx);
    const pkg = await unlicensedPackage(ctx);
    if (!serial || !pkg) return { skip: "no node serial or no unlicensed package of the test-key catalog" };
    const bundle = (product: string) => nlfKey({ version: "2", serialNumber: serial, packages: [pkg], scope: "node", product });
    const first = await ctx.call(LICENSES, { ...keys(bundle("Conformance Bundle A")) });
    try {
      return await ctx.call(LICENSES, { ...keys(bundle("Conformance Bundle B")), expect: "any" });
    } finally {
      if (first.status < 300) await ctx.send("license_delete_collection", { query: { "licenses.installed_license": "Conformance Bundle A", serial_number: serial, ...completeQuery("licenses_get") } });
    }
  } },
  // ---- license_delete
  { operation: "license_delete", code: "1115564", what: "DELETE by name of a package licensed only by an NLFv2 bundle", profile: "destructive", needs: ["testKeys"], since: "9.9", run: async (ctx) => {
    const serial = await nodeSerial(ctx);
    const pkg = await unlicensedPackage(ctx);
    if (!serial || !pkg) return { skip: "no node serial or no unlicensed package of the test-key catalog" };
    const product = "Conformance Delete Bundle";
    const first = await ctx.call(LICENSES, { ...keys(nlfKey({ version: "2", serialNumber: serial, packages: [pkg], scope: "node", product })) });
    try {
      return await ctx.call("license_delete", { path: { name: pkg }, query: { serial_number: serial }, expect: "any" });
    } finally {
      if (first.status < 300) await ctx.send("license_delete_collection", { query: { "licenses.installed_license": product, serial_number: serial, ...completeQuery("licenses_get") } });
    }
  } },
  // ---- software_modify (validate_only keeps them non-disruptive)
  { operation: "software_modify", code: "10551872", what: "PATCH validate_only=true without a version", profile: "non-disruptive", run: call("software_modify", { query: { validate_only: "true" }, body: {} }) },
  { operation: "software_modify", code: "10551325", what: "PATCH validate_only=true to a version that is not in the repository", profile: "non-disruptive", run: call("software_modify", { query: { validate_only: "true" }, body: { version: "0.0.0" } }) },
  { operation: "software_modify", code: "10551368", what: "PATCH updating one node of an HA pair (validation runs as a job, so this is a real update request, rejected before it starts)", profile: "destructive", needs: ["allowUpgrade"], uses: ["nodes_to_update"], run: async (ctx) => {
    const pkgs = await ctx.call("software_packages_collection_get", { query: { fields: "version" } });
    const version = (pkgs.body.records ?? [])[0]?.version;
    const nodes = await ctx.call("cluster_nodes_get", { query: { fields: "name,ha.partners" } });
    const paired = (nodes.body.records ?? []).find((n) => n.ha?.partners?.length);
    if (!version || !paired) return { skip: "no package in the repository or no node with an HA partner" };
    return ctx.call("software_modify", { query: { nodes_to_update: paired.name }, body: { version }, expect: "any" });
  } },
  { operation: "software_modify", code: "10551899", what: "PATCH validate_only=true&skip_nodes_at_target_version=true to a version in the repository", profile: "non-disruptive", since: "9.16.1", uses: ["skip_nodes_at_target_version"], run: async (ctx) => {
    const r = await ctx.call("software_packages_collection_get", { query: { fields: "version" } });
    const version = (r.body.records ?? []).map((p) => p.version).find((v: unknown) => typeof v === "string");
    if (!version) return { skip: "the package repository is empty" };
    return ctx.call("software_modify", { query: { validate_only: "true", skip_nodes_at_target_version: "true" }, body: { version }, expect: "any" });
  } },
  { operation: "software_modify", code: "10551300", what: "PATCH action=pause with no update in progress", profile: "destructive", needs: ["allowUpgrade"], run: idle("pause") },
  { operation: "software_modify", code: "10551303", what: "PATCH action=resume with no update in progress", profile: "destructive", needs: ["allowUpgrade"], run: idle("resume") },
  { operation: "software_modify", code: "10551297", what: "PATCH action=cancel with no update in progress", profile: "destructive", needs: ["allowUpgrade"], run: idle("cancel") },
  // ---- packages, download, upload
  { operation: "software_package_create", code: "39387137", what: "POST download with a URL that does not parse", profile: "non-disruptive", run: call("software_package_create", { body: { url: "http//no scheme separator" } }) },
  { operation: "software_package_create", code: "39387138", what: "POST download with a gopher:// URL", profile: "non-disruptive", run: call("software_package_create", { body: { url: "gopher://packages.example.invalid/9.99.1_image.tgz" } }) },
  { operation: "software_package_create", code: "10551327", what: "POST download of a version already in the repository", profile: "destructive", needs: ["testPackages"], run: async (ctx) => {
    const pkgs = await ctx.call("software_packages_collection_get", { query: { fields: "version" } });
    const version = (pkgs.body.records ?? [])[0]?.version;
    if (!version) return { skip: "the repository holds no package" };
    return ctx.call("software_package_create", { body: { url: `http://packages.example.invalid/${version}_image.tgz` }, expect: "any" });
  } },
  { operation: "software_package_delete", code: "10551325", what: "DELETE a package version that is not in the repository", profile: "non-disruptive", run: call("software_package_delete", { path: { version: "0.0.0-ontap-conformance" } }) },
  { operation: "software_upload", code: "10551807", what: "POST upload with two files", profile: "non-disruptive", run: async (ctx) => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(16)]), "a_image.tgz");
    form.append("file", new Blob([new Uint8Array(16)]), "b_image.tgz");
    return ctx.call("software_upload", { multipart: form, expect: "any" });
  } },
  { operation: "software_upload", code: "10551808", what: "POST upload with a JSON body instead of multipart/form-data", profile: "non-disruptive", run: call("software_upload", { rawBody: { text: "{}", contentType: "application/json" } }) },
];

/** A 28-letter test key with a correct checksum over its first 22 letters (spec/test-keys.md §1). */
function withChecksum(key: string): string {
  return key.slice(0, 22) + checksum(key.slice(0, 22));
}

/** An action that needs an update in progress, sent when none is (checked first). */
function idle(action: string) {
  return async (ctx: CheckContext): Promise<Answer | { skip: string }> => {
    const state = await updateUnderWay(ctx);
    if (state) return { skip: `the cluster's update state is ${state}` };
    return ctx.call("software_modify", { query: { action }, body: {}, expect: "any" });
  };
}

const R = {
  internal: "an internal error of the cluster (no request provokes it on a healthy system)",
  metrocluster: "MetroCluster configurations only, in states a client cannot set up",
  hardware: "needs a node or platform in a particular hardware or health state",
  capacity: "needs capacity-pool or cloud licensing, which a client cannot set up",
  jail: "upload path confinement (jail) errors of the node's file system",
  update: "needs an update in a particular phase, or cluster health the client does not control; an upgrade run (software.upgrade.full) observes it when it happens",
  repo: "needs the package repository in a transient state (busy, cleanup, timeouts)",
  network: "needs a download server that fails or a network fault; a target-specific downloadUrl could provoke it",
};

export const UNPROVOKABLE: Unprovokable[] = [
  ...["1115117", "1115131", "1115143", "1115122", "1115124", "1115154", "1115155"].map((code) => ({ operation: LICENSES, code, reason: code === "1115117" || code === "1115131" || code === "1115143" ? R.internal : "needs a cluster whose serial number or cluster ID cannot be read (a broken system)" })),
  ...["1115164", "1115165", "1115166"].map((code) => ({ operation: LICENSES, code, reason: "needs a real NetApp-signed license for a newer ONTAP release than the cluster runs" })),
  ...["1115179", "1115180", "66846821"].map((code) => ({ operation: LICENSES, code, reason: "needs a platform on which FlexCache is not supported" })),
  ...["66846818", "66846822"].map((code) => ({ operation: LICENSES, code, reason: "needs a real NetApp-signed FlexCache license whose capacity information is broken" })),
  ...["1115407", "1115427"].map((code) => ({ operation: LICENSES, code, reason: R.capacity })),
  ...["1115562", "1115563", "1115564"].map((code) => ({ operation: LICENSES, code, reason: "NLFv2 failures the docs do not describe; needs real NetApp-signed NLFv2 files" })),
  ...["1115616", "1115618"].map((code) => ({ operation: LICENSES, code, reason: "NLFv2 conflicts other than the one spec/test-keys.md defines (1115617); need real NetApp-signed files" })),
  ...["5375355", "5375366"].map((code) => ({ operation: LICENSES, code, reason: "All SAN Array platforms only" })),
  ...["655294464"].map((code) => ({ operation: LICENSES, code, reason: R.internal })),
  ...["655294468", "655294469"].map((code) => ({ operation: LICENSES, code, reason: "the license-manager variant of 1115160/1115152; which of the two a cluster answers is not documented, the suite provokes the 1115xxx one" })),
  ...["license_delete", "license_delete_collection"].flatMap((operation) => [
    { operation, code: "525028", reason: "needs volumes beyond the limit the license grants" },
    { operation, code: "525029", reason: "needs volumes beyond the limit the license grants" },
    { operation, code: "1115137", reason: "needs a cluster license that depends on the base license while deleting base, which would unlicense a real cluster" },
    { operation, code: "1115144", reason: R.capacity },
    { operation, code: "1115178", reason: "needs a FabricPool tier in use" },
    { operation, code: "1115213", reason: "needs a feature in use by data on the cluster" },
    { operation, code: "1115406", reason: R.capacity },
    { operation, code: "66846823", reason: "needs a FlexCache license in use by FlexCache volumes" },
    ...(operation === "license_delete_collection" ? [{ operation, code: "1115564", reason: "a query delete names the bundle, so it cannot hit the by-name rule; provoked on license_delete" }] : []),
  ]),
  { operation: "software_get", code: "1048576", reason: R.internal },
  { operation: "software_get", code: "1048577", reason: "only while a node boots and its image information is not yet initialised" },
  ...["2424933", "2424998", "2425737", "10551564", "10551565", "10551566", "10551567", "10551572", "10551573", "10551574", "10551592", "10551720"].map((code) => ({ operation: "software_modify", code, reason: R.metrocluster })),
  ...["10551298", "10551304", "10551319", "10551320", "10551353", "10551391", "10551837", "10551840", "10551841"].map((code) => ({ operation: "software_modify", code, reason: R.internal })),
  ...["10551306", "10551357", "10551395", "10551396", "10551434", "10551524", "10551599", "10551602", "10551606", "10551656", "10551718", "10551719", "10551724", "10551854", "10551897"].map((code) => ({ operation: "software_modify", code, reason: R.update })),
  { operation: "software_modify", code: "10551315", reason: "the repository must be empty; the suite never empties a cluster's repository" },
  { operation: "software_modify", code: "10551354", reason: R.repo },
  { operation: "software_modify", code: "10551558", reason: R.hardware },
  { operation: "software_modify", code: "10551643", reason: R.hardware },
  { operation: "software_modify", code: "10551859", reason: R.repo },
  ...["10551898", "10551902"].map((code) => ({ operation: "software_modify", code, reason: R.internal })),
  { operation: "software_modify", code: "10551900", reason: R.metrocluster },
  { operation: "software_modify", code: "10551901", reason: "NetApp's definition does not say which other field conflicts with skip_nodes_at_target_version (10551899 covers validate_only and the actions)" },
  { operation: "software_modify", code: "10551908", reason: "needs a cluster whose effective version is below 9.16.0 (nodes of mixed releases)" },
  { operation: "software_modify", code: "10551910", reason: R.update },
  { operation: "software_modify", code: "13303864", reason: "needs a SnapMirror operation in progress on the cluster" },
  { operation: "software_download_get", code: "10551382", reason: "reported in the progress body of a running download (packages.download.lifecycle reads it), not as an error response a client provokes" },
  { operation: "software_download_get", code: "10551383", reason: "needs a download that runs longer than one hour" },
  ...["10551357", "10551359", "10551381", "10551382", "10551384", "10551391", "10551392", "10551496", "10551797", "10551859", "10551885", "10551892"].map((code) => ({ operation: "software_package_create", code, reason: code === "10551381" || code === "10551885" ? R.network : code === "10551391" || code === "10551392" || code === "10551797" ? R.internal : code === "10551892" ? R.hardware : code === "10551357" ? R.update : R.repo })),
  ...["10551315", "10551322", "10551323", "10551324", "10551326", "10551346", "10551367", "10551388", "10551892"].map((code) => ({ operation: "software_package_delete", code, reason: code === "10551892" ? R.hardware : code === "10551346" ? R.update : code === "10551315" ? "the repository must be empty; the suite never empties a cluster's repository" : R.repo })),
  ...["10551359", "10551373", "10551391", "10551392", "10551496", "10551797", "10551798", "10551799", "10551892"].map((code) => ({ operation: "software_upload", code, reason: code === "10551798" ? "needs file upload disabled on the cluster" : code === "10551799" ? "needs a file name longer than the node's limit, which the docs do not give" : code === "10551892" ? R.hardware : code === "10551496" ? "needs a firmware file of the same name already uploaded; packages.upload.multipart owns upload round trips" : code === "10551373" ? "needs an upload that runs longer than one hour" : R.internal })),
  ...["10551800", "10551801", "10551802", "10551803", "10551804", "10551805", "10551806"].map((code) => ({ operation: "software_upload", code, reason: R.jail })),
];

/** Every (operation, code) the spec documents, with its scenario or its reason. */
export function errorCodeTable(documented: Array<{ operation: string; code: string }>): Array<{ operation: string; code: string; scenario?: Scenario; reason?: string }> {
  return documented.map((d) => ({
    ...d,
    scenario: SCENARIOS.find((s) => s.operation === d.operation && s.code === d.code),
    reason: UNPROVOKABLE.find((u) => u.operation === d.operation && u.code === d.code)?.reason,
  }));
}
