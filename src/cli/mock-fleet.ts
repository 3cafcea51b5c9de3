// `ontap-conformance mock --fleet N` (or --fleet-file FILE): several
// reference mocks at once, each impersonating another ONTAP release (or a
// scenario, a latency, a mutant from a fleet file), in this one process; the
// command prints an inventory for `run --targets` and serves until stopped.
import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { startMock, SCENARIOS, DEFAULT_PASSWORD, type MockHandle, type ScenarioName } from "../../mock/index.ts";
import { UsageError } from "./exit-codes.ts";
import { listenProblem, releaseProblem } from "./mock-command.ts";
import { checkOutFile } from "./out-dir.ts";
import { didYouMean } from "./suggest.ts";

/**
 * ONTAP's releases with a REST API, oldest to newest: 9.6 (the first, spec
 * x-ontap-versions.oldest) to 9.19.1 (the newest the spec describes,
 * x-ontap-versions.newest); from 9.9 on NetApp names its releases x.y.1.
 * The mock impersonates any of them (fields, names and operations as that
 * release serves them).
 */
export const MOCK_RELEASES = ["9.6.0", "9.7.0", "9.8.0", "9.9.1", "9.10.1", "9.11.1", "9.12.1", "9.13.1", "9.14.1", "9.15.1", "9.16.1", "9.17.1", "9.18.1", "9.19.1"];

/** `n` releases spread over the list, oldest and newest included; every release, then again, beyond its length. */
export function spreadReleases(n: number, releases: readonly string[] = MOCK_RELEASES): string[] {
  if (n >= releases.length) return Array.from({ length: n }, (_, i) => releases[i % releases.length]);
  if (n === 1) return [releases[releases.length - 1]];
  return Array.from({ length: n }, (_, i) => releases[Math.round((i * (releases.length - 1)) / (n - 1))]);
}

/** One mock of a fleet file (`mocks:` list). */
export interface FleetMock {
  name?: string;
  ontapVersion?: string;
  scenario?: ScenarioName;
  records?: number;
  latency?: number;
  /** A mutant of mock/mutants/catalog.ts: a cluster that breaks one rule (to see a fleet with a broken target). */
  mutant?: string;
}

const KEYS = ["name", "ontapVersion", "scenario", "records", "latency", "mutant"];

export function readFleetFile(file: string): FleetMock[] {
  let data: any;
  try {
    data = parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read the fleet file ${file}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!data || !Array.isArray(data.mocks) || !data.mocks.length) throw new UsageError(`the fleet file ${file} must hold mocks: [{ontapVersion, scenario, latency, records, mutant, name}, ...]`);
  data.mocks.forEach((m: any, i: number) => {
    if (!m || typeof m !== "object") throw new UsageError(`the fleet file ${file}: mocks[${i}] must be a mapping`);
    for (const k of Object.keys(m)) if (!KEYS.includes(k)) throw new UsageError(`the fleet file ${file}: unknown key mocks[${i}]."${k}"${didYouMean(k, KEYS)}`);
    if (m.scenario !== undefined && !SCENARIOS.includes(m.scenario)) throw new UsageError(`the fleet file ${file}: mocks[${i}].scenario must be one of ${SCENARIOS.join(", ")}, not ${JSON.stringify(m.scenario)}`);
    if (m.ontapVersion !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(String(m.ontapVersion))) throw new UsageError(`the fleet file ${file}: mocks[${i}].ontapVersion must look like 9.16.1, not ${JSON.stringify(m.ontapVersion)}`);
    const outside = m.ontapVersion === undefined ? undefined : releaseProblem(String(m.ontapVersion));
    if (outside) throw new UsageError(`the fleet file ${file}: mocks[${i}].ontapVersion must be ${outside}`);
    if (m.name !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(String(m.name))) throw new UsageError(`the fleet file ${file}: mocks[${i}].name must be letters, digits, _ and - (at most 64), not ${JSON.stringify(m.name)}`);
    for (const k of ["records", "latency"]) if (m[k] !== undefined && !(Number.isInteger(m[k]) && m[k] >= 0)) throw new UsageError(`the fleet file ${file}: mocks[${i}].${k} must be a whole number, not ${JSON.stringify(m[k])}`);
  });
  return data.mocks.map((m: any) => ({ ...m, ...(m.ontapVersion !== undefined ? { ontapVersion: String(m.ontapVersion) } : {}) }));
}

/** The target names of a fleet: given, or ontap-<release> (with -2, -3 … when a release repeats). */
function namesOf(mocks: FleetMock[]): string[] {
  const used = new Map<string, number>();
  return mocks.map((m) => {
    const base = m.name ?? `ontap-${(m.ontapVersion ?? "9.18.1").replace(/\./g, "-")}${m.scenario && m.scenario !== "docs" ? `-${m.scenario}` : ""}${m.mutant ? "-mutant" : ""}`;
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

export interface MockFleet {
  mocks: Array<{ name: string; handle: MockHandle; spec: FleetMock }>;
  /** The inventory for `run --targets` (YAML). */
  inventory: string;
  close(): Promise<void>;
}

/**
 * Start the mocks and write their inventory: every target with the
 * settings a run against this project's mock may use (test keys and
 * packages, the fault switch, upgrades), profile destructive, so a run
 * needs --allow-destructive (or --profile read-only).
 */
export async function startMockFleet(specs: FleetMock[], opts: { host?: string; port?: number; tls?: boolean; username?: string; password?: string; passwordEnv?: string; clockSpeed?: number; latency?: number; scenario?: ScenarioName }): Promise<MockFleet> {
  const names = namesOf(specs);
  const { findMutant } = await import("../../mock/mutants/catalog.ts");
  const started: MockFleet["mocks"] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      let mutant;
      if (spec.mutant) {
        try {
          mutant = findMutant(spec.mutant);
        } catch {
          const { MUTANTS } = await import("../../mock/mutants/catalog.ts");
          throw new UsageError(`unknown mutant "${spec.mutant}"${didYouMean(spec.mutant, MUTANTS.map((m) => m.name))} (mock/mutants/catalog.ts)`);
        }
      }
      const handle = await startMock({
        host: opts.host, port: opts.port ? opts.port + i : 0, tls: opts.tls, username: opts.username, password: opts.password,
        scenario: spec.scenario ?? opts.scenario ?? "docs", records: spec.records, ontapVersion: spec.ontapVersion ?? "9.18.1",
        latencyMs: spec.latency ?? opts.latency ?? 0, clockSpeed: opts.clockSpeed, ...(mutant ? { mutant, ...(mutant.options ?? {}) } : {}),
      });
      started.push({ name: names[i], handle, spec });
    }
  } catch (e) {
    await Promise.all(started.map((m) => m.handle.close()));
    throw e;
  }
  const defaults = {
    username: started[0]?.handle.options.username ?? "admin",
    ...(opts.passwordEnv ? { passwordEnv: opts.passwordEnv } : {}),
    ...(opts.tls ? { insecure: true } : {}),
    profile: "destructive",
    testKeys: true,
    testPackages: true,
    allowUpgrade: true,
    faultSwitch: true,
    downloadUrl: "http://packages.example.invalid/9.99.1_image.tgz",
    jobTimeoutMs: 4000,
  };
  const targets = started.map((m) => ({ name: m.name, target: m.handle.url }));
  const password = opts.password ?? DEFAULT_PASSWORD;
  const header = [
    `# ontap-conformance mock: ${started.length} reference mock(s) of ${[...new Set(started.map((m) => m.handle.options.ontapVersion))].join(", ")}; they serve until this command is stopped.`,
    `# Validate them: ontap-conformance run --targets <this file> --allow-destructive   (or --profile read-only)`,
    ...(opts.passwordEnv ? [`# Their password is in ${opts.passwordEnv}.`] : password === DEFAULT_PASSWORD ? [`# Their password is the mock's default: export ONTAP_PASSWORD=${DEFAULT_PASSWORD}`] : [`# Their password is the one given to mock --password (set ONTAP_PASSWORD to it).`]),
    ...started.filter((m) => m.spec.mutant || m.spec.scenario || m.spec.latency).map((m) => `#   ${m.name}: ${[m.spec.scenario ? `scenario ${m.spec.scenario}` : "", m.spec.latency ? `${m.spec.latency} ms per answer` : "", m.spec.mutant ? `mutant ${m.spec.mutant} (breaks one rule)` : ""].filter(Boolean).join(", ")}`),
  ];
  return {
    mocks: started,
    inventory: `${header.join("\n")}\n${stringify({ defaults, targets })}`,
    close: async () => { await Promise.all(started.map((m) => m.handle.close())); },
  };
}

export async function mockFleetCommand(opts: { fleet?: number; fleetFile?: string; versions?: string; inventory?: string; host: string; port: number; tls?: boolean; username: string; password?: string; passwordEnv?: string; scenario: string; latency: number; clockSpeed: number; records: number }): Promise<number> {
  if (!SCENARIOS.includes(opts.scenario as ScenarioName)) throw new UsageError(`--scenario must be one of ${SCENARIOS.join(", ")}, not "${opts.scenario}"`);
  let specs: FleetMock[];
  if (opts.fleetFile) {
    if (opts.fleet || opts.versions) throw new UsageError("--fleet-file says which mocks to start: not with --fleet or --versions");
    specs = readFleetFile(opts.fleetFile);
  } else {
    const versions = opts.versions ? opts.versions.split(",").map((v) => v.trim()).filter(Boolean) : undefined;
    for (const v of versions ?? []) {
      if (!/^\d+\.\d+(\.\d+)?$/.test(v)) throw new UsageError(`--versions takes releases like 9.8,9.16.1, not "${v}"`);
      const outside = releaseProblem(v);
      if (outside) throw new UsageError(`--versions takes ${outside.replace(/^a release/, "releases")}`);
    }
    const n = opts.fleet ?? versions?.length ?? MOCK_RELEASES.length;
    specs = spreadReleases(n, versions ?? MOCK_RELEASES).map((v) => ({ ontapVersion: v, records: opts.records }));
  }
  let password = opts.password;
  if (opts.passwordEnv) {
    password = process.env[opts.passwordEnv];
    if (password === undefined) throw new UsageError(`the environment variable ${opts.passwordEnv} (--password-env) is not set`);
  }
  // The inventory's path is checked before any mock starts: a mock left serving behind an error would keep this process alive.
  if (opts.inventory) checkOutFile(opts.inventory, "--inventory");
  let fleet: MockFleet;
  try {
    fleet = await startMockFleet(specs, { host: opts.host, port: opts.port, tls: opts.tls, username: opts.username, password, passwordEnv: opts.passwordEnv, clockSpeed: opts.clockSpeed, latency: opts.latency, scenario: opts.scenario as ScenarioName });
  } catch (e) {
    const problem = listenProblem(e as NodeJS.ErrnoException, opts.host, `a port from ${opts.port}`);
    if (problem) throw new UsageError(problem);
    throw e;
  }
  if (opts.inventory) {
    try {
      writeFileSync(opts.inventory, fleet.inventory);
    } catch (e) {
      await fleet.close();
      throw new UsageError(`--inventory ${opts.inventory} cannot be written: ${(e as Error).message}`);
    }
  }
  process.stdout.write(fleet.inventory);
  process.stdout.write(`# ready: ${fleet.mocks.length} mock(s)${opts.inventory ? `, inventory written to ${opts.inventory}` : ""}; stop with Ctrl-C\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await fleet.close();
  return 0;
}
