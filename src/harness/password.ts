// Where the password comes from, in order: --password-env VAR, ONTAP_PASSWORD,
// an interactive prompt (only on a terminal). Never a plain flag, never a
// config file, never logged.
import { createInterface } from "node:readline";

/** No password could be had: the run cannot start (the CLI says so in one line, exit 2). */
export class PasswordUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PasswordUnavailable";
  }
}

async function prompt(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Do not echo what is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
    if (s.startsWith(question)) process.stderr.write(question);
  };
  try {
    return await new Promise((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

export async function resolvePassword(opts: { passwordEnv?: string; env: NodeJS.ProcessEnv }): Promise<string> {
  if (opts.passwordEnv) {
    const v = opts.env[opts.passwordEnv];
    if (v === undefined) throw new PasswordUnavailable(`the environment variable ${opts.passwordEnv} (--password-env) is not set`);
    return v;
  }
  if (opts.env.ONTAP_PASSWORD !== undefined) return opts.env.ONTAP_PASSWORD;
  if (process.stdin.isTTY) return prompt("ONTAP password: ");
  throw new PasswordUnavailable("no password: set ONTAP_PASSWORD, or name a variable with --password-env VAR (there is no terminal to ask on)");
}
