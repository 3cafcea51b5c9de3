// ontap-conformance: run | list | compare | merge | mutants | variants | mock.
// Every failure to start ends with one readable line on stderr and exit 2;
// stack traces are never shown to the user (set ONTAP_DEBUG=1 to see them).
// The bare command prints the help (and exits 2: nothing ran); `npm start`
// says `run`.
import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { EXIT, UsageError } from "./exit-codes.ts";
import { flagSetting } from "./config.ts";
import { hideUserinfo } from "../harness/secrets.ts";
import { didYouMean } from "./suggest.ts";
// Each command's module is imported when that command runs, not before: a run
// does not load the mock, the catalogs or the report mergers it never uses
// (start-up is time a user waits for, on every run).

export function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number, not "${value}".`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}, not ${n}.`);
    return n;
  };
}

export function parseNumber(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new InvalidArgumentError(`${name} must be a number of at least ${min}, not "${value}".`);
    return n;
  };
}

const VERSION: string = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command("ontap-conformance")
    .description("Conformance suite for the ONTAP REST API (cluster licensing and software).")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(hideUserinfo(s)) })
    .showSuggestionAfterError(true)
    .version(`ontap-conformance ${VERSION}`, "-V, --version", "print the version");

  program
    .command("run")
    .description("Run the conformance suites against a target (default: the embedded reference mock).")
    .option("--target <url>", "cluster or mock base URL, e.g. https://cluster.example.com (env ONTAP_TARGET)", flagSetting("target", "--target"))
    .option("--username <user>", "basic-auth user (env ONTAP_USERNAME; default admin)", flagSetting("username", "--username"))
    .option("--password-env <VAR>", "read the password from this environment variable (else ONTAP_PASSWORD, else a prompt)", flagSetting("passwordEnv", "--password-env"))
    .option("--insecure", "accept any TLS certificate (self-signed lab clusters)")
    .option("--ca <file>", "trust this CA certificate (PEM) for the target", flagSetting("ca", "--ca"))
    .option("--client-cert <file>", "client certificate (PEM) for certificate authentication", flagSetting("clientCert", "--client-cert"))
    .option("--client-key <file>", "private key (PEM) of --client-cert", flagSetting("clientKey", "--client-key"))
    .option("--timeout <ms>", "deadline for a whole answer (headers and body), in ms (default 60000)", flagSetting("timeoutMs", "--timeout"))
    .option("--check-timeout <ms>", "how long one check may run before it is stopped, in ms (default: 4 x --timeout, at least 120000)", flagSetting("checkTimeoutMs", "--check-timeout"))
    .option("--concurrency <n>", "requests in flight at once (default 4 on a URL, 16 on the embedded mock)", flagSetting("concurrency", "--concurrency"))
    .option("--profile <profile>", "read-only | non-disruptive | destructive (default: read-only on a URL, destructive on the embedded mock)", flagSetting("profile", "--profile"))
    .option("--allow-destructive", "confirm --profile destructive against a real target")
    .option("--only <patterns>", "run only checks whose id matches (comma-separated globs, e.g. licenses.*); a pattern that matches no check is an error", flagSetting("only", "--only"))
    .option("--seed <n>", "seed for the property-based checks (printed by every run)", flagSetting("seed", "--seed"))
    .option("--runs <n>", "cases per property-based check (default 25)", flagSetting("runs", "--runs"))
    .option("--strict", "docs quirks and unknown fields fail instead of warn")
    .option("--report-dir <dir>", "where runs are written (env ONTAP_REPORT_DIR; default ./reports)", flagSetting("reportDir", "--report-dir"))
    .option("--keep <n>", "runs kept in <report-dir>/runs, the oldest pruned (default 20; 0 keeps every run)", flagSetting("keep", "--keep"))
    .option("--config <file>", "YAML config file (env ONTAP_CONFIG)")
    .option("--baseline <file>", "known failures (a previous summary.json, or a YAML list of {id, reason, owner?, expires?}) that do not fail the run", flagSetting("baseline", "--baseline"))
    .option("--write-baseline <file>", "write this run's failures as a baseline file (YAML) to start from")
    .option("--bundle [file]", "write one .tar.gz with the reports and the exchanges of every check that did not pass (default <run>/bundle.tar.gz)")
    .option("--no-html", "skip the Allure HTML report (summary.json, summary.md and junit.xml are always written)")
    .option("--quiet", "print nothing but errors and teardown problems (summary.json and the exit code carry the result)")
    .option("--targets <file>", "validate a fleet: every target of this YAML inventory as its own run, side by side, in one run directory")
    .option("--parallel-targets <n>", "with --targets: how many targets run at once (default: sized for this machine)", parseInteger("--parallel-targets", 1, 256))
    .option("--only-targets <names>", "with --targets: only these targets of the inventory (comma-separated names)")
    .option("--shard <i/n>", "run only shard i of n (every check is in exactly one shard; needs --seed); `merge` puts the shards together")
    .option("--durations <summary>", "balance --shard by the check durations of this earlier run (summary.json, run or report directory)")
    .addOption(new Option("--run-dir <dir>", "write the run into exactly this directory (fleet runs)").hideHelp())
    .addOption(new Option("--name <name>", "the target's name in the fleet's inventory (fleet runs)").hideHelp())
    .action(async (opts) => {
      // An empty file name (an unset "$VAR") is not "no file": a fleet must not quietly become one run.
      for (const [key, flag] of [["targets", "--targets"], ["config", "--config"], ["durations", "--durations"], ["bundle", "--bundle"], ["writeBaseline", "--write-baseline"]] as const) {
        if (opts[key] === "") throw new UsageError(`${flag} needs a file name, not an empty one`);
      }
      if (!opts.targets && (opts.parallelTargets || opts.onlyTargets)) throw new UsageError(`${opts.parallelTargets ? "--parallel-targets" : "--only-targets"} goes with --targets FILE (a fleet)`);
      setExit(opts.targets ? await (await import("./fleet-command.ts")).fleetCommand(opts) : await (await import("./run-command.ts")).runCommand(opts));
    });

  program
    .command("list")
    .description("List the checks with their ids, areas and profiles.")
    .option("--markdown", "render the conformance document (CONFORMANCE.md)")
    .option("--json", "print the check metadata as JSON")
    .option("--only <patterns>", "only checks whose id matches")
    .action(async (opts) => setExit((await import("./list-command.ts")).listCommand(opts, (s) => process.stdout.write(`${s}\n`))));

  program
    .command("compare")
    .description("What changed between two runs (run directories or summary.json), or two mutant kill tables.")
    .argument("<baseline>", "the earlier run directory or summary file")
    .argument("<current>", "the later run directory or summary file")
    .option("--out <dir>", "where compare.md and compare.html go", "compare-report")
    .action(async (baseline, current, opts) => setExit((await import("./compare-command.ts")).compareCommand(baseline, current, opts, (s) => process.stdout.write(`${s}\n`))));

  program
    .command("merge")
    .description("Put runs made apart back together: the shards of a run (run --shard), fleet runs (run --targets), or both, into one run directory.")
    .argument("<dirs...>", "run directories (or report directories: their latest run)")
    .requiredOption("--out <dir>", "the run directory to write (a new one)")
    .option("--no-html", "skip the Allure HTML report")
    .option("--quiet", "print nothing but errors")
    .action(async (dirs, opts) => setExit(await (await import("./merge-command.ts")).mergeCommand(dirs, opts)));

  program
    .command("mutants")
    .description("Run the suite against the reference mock and each mutant; print the kill table.")
    .option("--only <names>", "mutant names or categories, comma-separated")
    .option("--sample", "only the fixed quick sample (what npm test runs)")
    .option("--targets <file>", "validate a fleet: every target of this YAML inventory as its own run, side by side, in one run directory")
    .option("--parallel-targets <n>", "with --targets: how many targets run at once (default: sized for this machine)", parseInteger("--parallel-targets", 1, 256))
    .option("--only-targets <names>", "with --targets: only these targets of the inventory (comma-separated names)")
    .option("--shard <i/n>", "run every n-th mutant starting at i (to spread over machines)")
    .option("--out <file>", "write the kill table and check-to-mutant map as JSON")
    .option("--merge <files...>", "merge the --out files of --shard runs into one kill table (with --out)")
    .option("--write-kill-map", "write what this run of the whole catalog found to mock/mutants/kill-map.json (commit it)")
    .option("--check-kill-map", "exit 1 when this run of the whole catalog finds other kills than the committed mock/mutants/kill-map.json (CI)")
    .option("--parallel <n>", "runs at once, in worker threads (default: twice the machine's cores)")
    .option("--whole", "run the whole suite against every mutant (no narrowing to the checks that can see it)")
    .option("--engine <engine>", "catalog (default) or process: the first engine, one `run` child process per mutant, one after another")
    .action(async (opts) => setExit(await (await import("./mutants-command.ts")).mutantsCommand(opts, (s) => process.stdout.write(`${s}\n`))));

  program
    .command("variants")
    .description("Run the suite, in default and strict mode, against each legal variant of the reference mock; every run must be conformant.")
    .option("--only <names>", "variant names or categories, comma-separated")
    .option("--sample", "only the fixed quick sample (what npm test runs)")
    .option("--targets <file>", "validate a fleet: every target of this YAML inventory as its own run, side by side, in one run directory")
    .option("--parallel-targets <n>", "with --targets: how many targets run at once (default: sized for this machine)", parseInteger("--parallel-targets", 1, 256))
    .option("--only-targets <names>", "with --targets: only these targets of the inventory (comma-separated names)")
    .option("--shard <i/n>", "run every n-th variant starting at i (to spread over machines)")
    .option("--mode <mode>", "default, strict or both (default both)")
    .option("--out <file>", "write the variant table (every run's false alarms) as JSON")
    .option("--merge <files...>", "merge the --out files of --shard runs into one variant table (with --out)")
    .option("--parallel <n>", "runs at once, in worker threads (default: twice the machine's cores)")
    .option("--engine <engine>", "catalog (default) or process: the first engine, one `run` child process per run, one after another")
    .action(async (opts) => setExit(await (await import("./variants-command.ts")).variantsCommand(opts, (s) => process.stdout.write(`${s}\n`))));

  program
    .command("mock")
    .description("Run the reference ONTAP mock until stopped.")
    .option("--port <n>", "port to listen on (0 = any free port)", parseInteger("--port", 0, 65535), 0)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--tls", "serve HTTPS with a self-signed certificate made at start")
    .option("--cert <file>", "serve HTTPS with this certificate (PEM; needs --key)")
    .option("--key <file>", "private key (PEM) for --cert")
    .option("--username <user>", "basic-auth user", "admin")
    .option("--password <password>", "basic-auth password (default netapp123)")
    .option("--password-env <VAR>", "read the password from this environment variable")
    .option("--read-only-user <user:password>", "an extra user that gets 403 on every write")
    .option("--scenario <name>", "starting state: docs, empty, upgrade-in-progress, metrocluster, large", "docs")
    .option("--records <n>", "records per collection for the large scenario", parseInteger("--records", 1, 1_000_000), 1000)
    .option("--ontap-version <version>", "ONTAP version the mock impersonates", "9.18.1")
    .option("--latency <ms>", "delay every response by this many milliseconds", parseNumber("--latency", 0), 0)
    .option("--clock-speed <x>", "virtual milliseconds per real millisecond (3600: an hour per second)", parseNumber("--clock-speed", 0.001), 3600)
    .option("--fleet <n>", "start n mocks at once, on releases spread from 9.6 to 9.19.1, and print their inventory for run --targets", parseInteger("--fleet", 1, 500))
    .option("--versions <list>", "with --fleet: the releases to spread over (comma-separated, e.g. 9.8,9.12.1,9.19.1)")
    .option("--fleet-file <file>", "start the mocks a YAML file lists: mocks: [{name, ontapVersion, scenario, latency, records, mutant}]")
    .option("--inventory <file>", "with --fleet or --fleet-file: also write the inventory to this file")
    .action(async (opts) => {
      const fleet = Boolean(opts.fleet || opts.fleetFile || opts.versions);
      if (opts.inventory && !fleet) throw new UsageError("--inventory goes with --fleet N (or --fleet-file FILE): a single mock has no inventory to write");
      setExit(fleet ? await (await import("./mock-fleet.ts")).mockFleetCommand(opts) : await (await import("./mock-command.ts")).mockCommand(opts));
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.CONFORMANT;
  const program = buildProgram((code) => { exitCode = code; });
  const commands = program.commands.map((c) => c.name());
  const first = argv[0];
  if (first === undefined) {
    // The bare command runs nothing: the help, and exit 2 so that an empty command line in CI does not pass.
    process.stdout.write(program.helpInformation());
    process.stderr.write("ontap-conformance: no command given: `ontap-conformance run` runs the suites (the commands are listed above)\n");
    return EXIT.CANNOT_RUN;
  }
  if (!first.startsWith("-") && first !== "help" && !commands.includes(first)) {
    process.stderr.write(`ontap-conformance: unknown command "${first}"${didYouMean(first, commands)}; the commands are ${commands.join(", ")}\n`);
    return EXIT.CANNOT_RUN;
  }
  if (first.startsWith("-") && !["-h", "--help", "-V", "--version"].includes(first)) {
    // The command given after the options (`--target X run`) moves to the front, once; none given suggests run.
    const at = argv.findIndex((a) => commands.includes(a));
    const command = at < 0 ? "run" : argv[at];
    const options = argv.filter((_, i) => i !== at);
    process.stderr.write(`ontap-conformance: ${first} needs a command before it, e.g. ontap-conformance ${command} ${hideUserinfo(options.join(" "))}\n`);
    return EXIT.CANNOT_RUN;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; every parse error is "could not run".
      return e.exitCode === 0 ? EXIT.CONFORMANT : EXIT.CANNOT_RUN;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`ontap-conformance: ${hideUserinfo(e.message)}\n`);
      return e.exitCode;
    }
    process.stderr.write(`ontap-conformance: ${hideUserinfo((e as Error).message)}\n`);
    if (process.env.ONTAP_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return EXIT.CANNOT_RUN;
  }
}
