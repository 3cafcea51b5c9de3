// The settings of every catalog run (mutants and variants, either engine):
// one destructive, strict-or-not run of the suite, seed 1, against the
// reference mock changed by one entry. The catalog engine (catalog-run.ts)
// uses them in process; the first engine (catalog-engine.ts runSuite) writes
// them into the config file and flags of its `run` child process. One
// place, so the two engines cannot drift apart.

/** The password of the catalog's mocks. */
export const PASSWORD = "mutant-pass";
export const USERNAME = "admin";
export const DOWNLOAD_URL = "http://packages.example.invalid/9.99.1_image.tgz";
/**
 * How long a catalog run waits for a job. The mock runs its clock 3,600
 * times faster than real time, so its longest job (a download, 20 s of mock
 * time) ends in 6 ms, and the slowest legal variant (slow-jobs: queued for
 * 150 ms, at least 400 ms) in about 550 ms: 2 s leaves more than three
 * times that. A mutant whose jobs never end (jobs.never-terminal) meets this
 * limit once for every job the suite waits for, so it sets how long that
 * mutant's run takes (about 66 s at the 4 s used before).
 */
export const JOB_TIMEOUT_MS = 2000;
export const CONCURRENCY = 16;
/** --timeout 10000; the per-check limit is the run command's default for it (4 × the timeout, at least 120 s). */
export const TIMEOUT_MS = 10_000;
export const CHECK_TIMEOUT_MS = Math.max(120_000, TIMEOUT_MS * 4);
/** The run command's default --runs, and the catalog's --seed. */
export const RUNS = 25;
export const SEED = 1;

/** The config file of the first engine's `run`: what the catalog engine's run sets in process. */
export function catalogConfigYaml(): string {
  return [
    "testKeys: true", "testPackages: true", "allowUpgrade: true", "faultSwitch: true",
    `downloadUrl: ${DOWNLOAD_URL}`, `jobTimeoutMs: ${JOB_TIMEOUT_MS}`, `concurrency: ${CONCURRENCY}`, "",
  ].join("\n");
}

/** The first engine's `run` flags (after --target). */
export function catalogRunFlags(strict: boolean, passwordEnv: string, reportDir: string, config: string): string[] {
  return ["--username", USERNAME, "--password-env", passwordEnv, "--profile", "destructive", "--allow-destructive", ...(strict ? ["--strict"] : []), "--timeout", String(TIMEOUT_MS), "--seed", String(SEED), "--report-dir", reportDir, "--config", config, "--no-html"];
}
