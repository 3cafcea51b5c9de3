// `ontap-conformance mock`: the reference mock as a standalone server, until
// SIGINT/SIGTERM. Prints `listening on <url>` once it accepts requests.
import { readFileSync } from "node:fs";
import { startMock, SCENARIOS, type ScenarioName } from "../../mock/index.ts";
import { UsageError } from "./exit-codes.ts";

export interface MockCommandOptions {
  port: number;
  host: string;
  tls?: boolean;
  cert?: string;
  key?: string;
  username: string;
  password?: string;
  passwordEnv?: string;
  readOnlyUser?: string;
  scenario: string;
  records: number;
  ontapVersion: string;
  latency: number;
  clockSpeed: number;
}

export async function mockCommand(opts: MockCommandOptions): Promise<number> {
  if (!SCENARIOS.includes(opts.scenario as ScenarioName)) throw new UsageError(`--scenario must be one of ${SCENARIOS.join(", ")}, not "${opts.scenario}"`);
  if (Boolean(opts.cert) !== Boolean(opts.key)) throw new UsageError("--cert and --key go together");
  if (!/^\d+\.\d+(\.\d+)?$/.test(opts.ontapVersion)) throw new UsageError(`--ontap-version must look like 9.18.1, not "${opts.ontapVersion}"`);
  let password = opts.password;
  if (opts.passwordEnv) {
    password = process.env[opts.passwordEnv];
    if (password === undefined) throw new UsageError(`the environment variable ${opts.passwordEnv} (--password-env) is not set`);
  }
  let readOnlyUser: { username: string; password: string } | undefined;
  if (opts.readOnlyUser) {
    const i = opts.readOnlyUser.indexOf(":");
    if (i <= 0) throw new UsageError("--read-only-user takes user:password");
    readOnlyUser = { username: opts.readOnlyUser.slice(0, i), password: opts.readOnlyUser.slice(i + 1) };
  }
  let tls: boolean | { cert: string; key: string } | undefined = opts.tls;
  if (opts.cert && opts.key) {
    try {
      tls = { cert: readFileSync(opts.cert, "utf8"), key: readFileSync(opts.key, "utf8") };
    } catch (e) {
      throw new UsageError(`cannot read the certificate or key: ${(e as Error).message}`);
    }
  }
  let mock;
  try {
    mock = await startMock({
      port: opts.port, host: opts.host, tls, username: opts.username, password, readOnlyUser,
      scenario: opts.scenario as ScenarioName, records: opts.records, ontapVersion: opts.ontapVersion, latencyMs: opts.latency, clockSpeed: opts.clockSpeed,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "EADDRINUSE") throw new UsageError(`port ${opts.port} on ${opts.host} is already in use`);
    if (err.code === "EACCES") throw new UsageError(`not allowed to listen on ${opts.host}:${opts.port}`);
    if (err.code === "EADDRNOTAVAIL") throw new UsageError(`${opts.host} is not an address of this machine`);
    throw e;
  }
  process.stdout.write(`listening on ${mock.url}\n`);
  process.stdout.write(`scenario ${opts.scenario}, ONTAP ${opts.ontapVersion}, user ${mock.options.username}; stop with Ctrl-C\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await mock.close();
  return 0;
}
