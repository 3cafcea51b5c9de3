// The terminal summary at the end of every run: the totals; failures, then
// errors, grouped under their area with the lines that say what was
// received, what is documented and how to reproduce it; known failures
// marked as such; warnings and the reasons for skips, summarised; the five
// slowest checks; the baseline's news; where the HTML report is; and the
// verdict, the same one the exit code, summary.json and JUnit carry.
// Colour on a terminal only: NO_COLOR turns it off, FORCE_COLOR on.
import { styleText } from "node:util";
import { describeEntry } from "../../reports/baseline.ts";
import { counts, type Summary, type SummaryCheck } from "../../reports/summary.ts";

type Style = "red" | "green" | "yellow" | "cyan" | "magenta" | "bold" | "dim";

/** Whether to colour `stream`: FORCE_COLOR (not 0) forces it, NO_COLOR (any value) forbids it, else only on a TTY. */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false") return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return false;
  return Boolean(stream.isTTY);
}

export function painter(color: boolean): (style: Style | Style[], text: string) => string {
  return (style, text) => (color ? styleText(style, text, { validateStream: false } as never) : text);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A skip reason with what differs from check to check left out, so equal causes group together. */
function skipCause(c: SummaryCheck): string {
  if (c.notTestedBecause) return `not tested: a read it needs departs from the contract, which ${c.notTestedBecause} reports`;
  return (c.message ?? "").split("\n")[0];
}

/** A run's failures and errors as every line that counts them says them: "5 failed (1 known)", "2 errors". */
export function failedAndErrors(summary: Summary, paint = painter(false)): { failed: string; errors: string } {
  const t = summary.totals;
  const known = (status: string) => summary.checks.filter((c) => c.known && c.status === status).length;
  const ofThem = (n: number) => (n ? ` (${n} known)` : "");
  return {
    failed: t.fail ? `${paint("red", `${t.fail} failed`)}${ofThem(known("fail"))}` : "0 failed",
    errors: t.error ? `${paint("magenta", plural(t.error, "error"))}${ofThem(known("error"))}` : "0 errors",
  };
}

/** The line that closes a run: its verdict, and what it rests on (what counts, what the baseline knows). */
export function resultLine(summary: Summary, paint = painter(false)): string {
  const known = summary.checks.filter((c) => c.known);
  const counted = summary.checks.filter(counts);
  const cf = counted.filter((c) => c.status === "fail").length;
  const ce = counted.filter((c) => c.status === "error").length;
  const notRestored = summary.teardown?.differences.length ?? 0;
  if (summary.result === "conformant") return `result: ${paint(["bold", "green"], "conformant")}${known.length ? ` (${plural(known.length, "known failure")} from the baseline, not counted)` : ""}`;
  if (summary.result === "interrupted") return `result: ${paint(["bold", "yellow"], "interrupted")}`;
  const why = [cf ? `${cf} failed` : "", ce ? plural(ce, "error") : "", notRestored ? "the target was not restored" : "", known.length ? `${known.length} more known from the baseline` : ""].filter(Boolean);
  return `result: ${paint(["bold", "red"], summary.result ?? "not conformant")} (${why.join(", ")})`;
}

export function printSummary(summary: Summary, opts: { out: (line: string) => void; html?: string; noHtml?: string; runDir: string; color?: boolean }): void {
  const { out } = opts;
  const paint = painter(opts.color ?? false);
  const t = summary.totals;
  const known = summary.checks.filter((c) => c.known);
  out("");
  const { failed, errors } = failedAndErrors(summary, paint);
  out(`${paint("bold", `${t.checks} checks`)}: ${paint("green", `${t.pass} passed`)}, ${failed}, ${errors}, ${t.skip} skipped, ${t.disabled} disabled; ${plural(t.warnings, "warning")} (${seconds(summary.durationMs)})`);

  const section = (title: string, list: SummaryCheck[], label: (c: SummaryCheck) => string) => {
    if (!list.length) return;
    out("");
    out(paint("bold", title));
    for (const area of [...new Set(list.map((c) => c.area))]) {
      out(`  ${paint("bold", area)}`);
      for (const c of list.filter((x) => x.area === area)) {
        const [first, ...rest] = (c.message ?? "").split("\n");
        out(`    ${label(c)} ${c.id}: ${first}`);
        if (c.known) out(`          ${paint("cyan", `known (baseline): ${describeEntry(c.known)}`)}`);
        if (c.baselineExpired) out(`          ${paint("red", `the baseline entry expired on ${c.baselineExpired.expires} (${describeEntry(c.baselineExpired)}): it counts again`)}`);
        for (const line of rest) out(`          ${/^(Received|Documented|Reproduce with):/.test(line) ? line.replace(/^([A-Za-z ]+:)/, (m) => paint("dim", m)) : line}`);
      }
    }
  };
  const failures = summary.checks.filter((c) => c.status === "fail");
  const broken = summary.checks.filter((c) => c.status === "error");
  section(`failures (${failures.length}${known.some((c) => c.status === "fail") ? `, ${known.filter((c) => c.status === "fail").length} known from the baseline` : ""}): the target departs from the contract`, failures, (c) => (c.known ? paint("cyan", "KNOWN") : paint("red", "FAIL ")));
  section(`errors (${broken.length}): the suite or the transport broke, the target was not judged`, broken, (c) => (c.known ? paint("cyan", "KNOWN") : paint("magenta", "ERROR")));

  const warned = summary.checks.filter((c) => c.warnings.length);
  if (warned.length) {
    out("");
    out(paint("bold", `warnings (${t.warnings}, in ${plural(warned.length, "check")}; they do not fail the run${summary.strict ? "" : ", --strict makes those about the target failures"}):`));
    const shown = warned.flatMap((c) => c.warnings.map((w) => `${c.id}: ${w}`));
    for (const w of shown.slice(0, 10)) out(`  ${paint("yellow", "WARN")} ${w}`);
    if (shown.length > 10) out(`  … ${shown.length - 10} more (summary.json has each)`);
  }

  const reasons = (status: "skip" | "disabled") => {
    const list = summary.checks.filter((c) => c.status === status);
    if (!list.length) return;
    const groups = new Map<string, string[]>();
    for (const c of list) groups.set(skipCause(c), [...(groups.get(skipCause(c)) ?? []), c.id]);
    out("");
    out(paint("bold", `${status === "skip" ? "skipped" : "disabled"} (${list.length}), by reason:`));
    const sorted = [...groups].sort((a, b) => b[1].length - a[1].length);
    for (const [reason, ids] of sorted.slice(0, 8)) out(`  ${paint("dim", `${String(ids.length).padStart(3)} ×`)} ${reason}${ids.length <= 3 ? paint("dim", ` (${ids.join(", ")})`) : ""}`);
    if (sorted.length > 8) out(`  … ${plural(sorted.length - 8, "other reason")} (summary.json has each)`);
  };
  reasons("skip");
  reasons("disabled");

  const ran = summary.checks.filter((c) => c.durationMs > 0).sort((a, b) => b.durationMs - a.durationMs).slice(0, 5);
  if (ran.length) {
    out("");
    out(`${paint("bold", "slowest:")} ${ran.map((c) => `${c.id} ${seconds(c.durationMs)}`).join(", ")}`);
  }

  const b = summary.baseline;
  if (b) {
    out("");
    out(`${paint("bold", "baseline")} ${b.file}: ${plural(b.knownFailures.length, "known failure")} not counted`);
    for (const e of b.expired) out(`  ${paint("red", "EXPIRED")} ${e.id}: the entry expired on ${e.expires} (${describeEntry(e)}): the failure counts again`);
    for (const e of b.fixed) out(`  ${paint("green", "FIXED")}   ${e.id}: passes now: remove it from the baseline`);
  }

  out("");
  out(`report: ${opts.html ?? `${opts.runDir} (no HTML report${opts.noHtml ? `: ${opts.noHtml}` : ""})`}`);
  out(resultLine(summary, paint));
}
