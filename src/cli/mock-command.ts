// `ontap-conformance mock`: the reference mock as a standalone server, until
// SIGINT/SIGTERM. Prints `listening on <url>` once it accepts requests.
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { startMock, SCENARIOS, type ScenarioName } from "../../mock/index.ts";
import { compareVersions, coveredReleases } from "../contract/index.ts";
import { UsageError } from "./exit-codes.ts";

/**
 * Whether the mock can impersonate `version` (a text like 9.16.1): the
 * releases the spec describes (spec/ontap.yaml x-ontap-versions, 9.6 to
 * 9.19.1), or what to say instead. Outside them the mock would invent a
 * release: 8.3 would answer 404 to everything, 9.99.9 claim fields no
 * release has.
 */
export function releaseProblem(version: string): string | undefined {
  const { oldest, newest } = coveredReleases();
  if (compareVersions(version, oldest) >= 0 && compareVersions(version, newest) <= 0) return undefined;
  return `a release from ${oldest} to ${newest} (what spec/ontap.yaml describes), not "${version}"`;
}

/** OpenSSL's reason without its code ("error:0480006C:PEM routines::no start line" → "no start line"). */
const openssl = (e: unknown) => String((e as Error).message).replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/, "");

/**
 * Why --cert and --key cannot serve HTTPS, naming the flag at fault, or
 * undefined: each is read as OpenSSL will read it, before the server starts.
 */
export function tlsProblem(pem: { cert: string; key: string }, files: { cert: string; key: string }): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem.cert);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `--cert ${files.cert} is not a PEM certificate: ${code === "ERR_OSSL_PEM_NO_START_LINE" ? "it has no -----BEGIN CERTIFICATE----- line" : openssl(e)}`;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem.key);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `--key ${files.key} is not a PEM private key: ${code === "ERR_OSSL_PEM_NO_START_LINE" || code === "ERR_OSSL_UNSUPPORTED" ? "it has no -----BEGIN PRIVATE KEY----- block OpenSSL can read" : openssl(e)}`;
  }
  if (!cert.checkPrivateKey(key)) return `--key ${files.key} is not the private key of --cert ${files.cert}`;
  return undefined;
}

/** One line for an error of listening on `host` (`port`: how the port is named), or undefined for any other error. */
export function listenProblem(err: NodeJS.ErrnoException, host: string, port: string): string | undefined {
  switch (err.code) {
    case "EADDRINUSE":
      return `${port} on ${host} is already in use`;
    case "EACCES":
      return `not allowed to listen on ${port} of ${host}`;
    case "EADDRNOTAVAIL":
      return `--host ${host} is not an address of this machine`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_FAIL":
    case "EAI_NONAME":
      return `--host ${host} is not an address, nor a name that resolves to one (getaddrinfo ${err.code})`;
    default:
      return undefined;
  }
}

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
  const outside = releaseProblem(opts.ontapVersion);
  if (outside) throw new UsageError(`--ontap-version must be ${outside}`);
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
    const problem = tlsProblem(tls, { cert: opts.cert, key: opts.key });
    if (problem) throw new UsageError(problem);
  }
  let mock;
  try {
    mock = await startMock({
      port: opts.port, host: opts.host, tls, username: opts.username, password, readOnlyUser,
      scenario: opts.scenario as ScenarioName, records: opts.records, ontapVersion: opts.ontapVersion, latencyMs: opts.latency, clockSpeed: opts.clockSpeed,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const problem = listenProblem(err, opts.host, `port ${opts.port}`);
    if (problem) throw new UsageError(problem);
    // What OpenSSL refuses only when the server is made (a key too small for its security level).
    if (err.code?.startsWith("ERR_OSSL") || err.code?.startsWith("ERR_SSL")) throw new UsageError(`--cert ${opts.cert} and --key ${opts.key} cannot serve HTTPS: ${openssl(err)}`);
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
