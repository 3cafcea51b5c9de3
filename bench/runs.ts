// Rows 3 and 5: whole CLI runs, timed from spawn to exit.
import { DEFAULT_PASSWORD } from "../mock/index.ts";
import { runCli, startServer, tempDir, type CliRun } from "./lib/proc.ts";
import { int, ratio, secs } from "./lib/format.ts";
import type { BenchOptions, RowResult } from "./lib/row.ts";
import { SEED } from "./latency.ts";

/**
 * Row 3: what `npm start` does (all suites against the embedded mock, every
 * report). Phases: start-up = spawn until the "target ..." line (node and
 * tsx start, module load, mock start, discovery, inventory); suites and
 * report (Allure HTML) from summary.json; the rest (inventory after, summary,
 * JUnit, coverage, exit) is "finish".
 */
export async function defaultRunRow(o: BenchOptions): Promise<RowResult> {
  const run = await runCli(["run"], { reportDir: tempDir("row3"), timeoutMs: 5 * 60_000 });
  if (!run.summary) throw new Error(`the default run wrote no summary (exit ${run.code}): ${run.stderr.slice(0, 500)}`);
  const startupMs = run.lines.find((l) => l.text.startsWith("target "))?.atMs ?? NaN;
  const { suitesMs, reportMs } = run.summary.phases ?? {};
  const finishMs = run.wallMs - startupMs - suitesMs - reportMs;
  const t = run.summary.totals;
  o.log(`  row 3: exit ${run.code}, ${t.pass}/${t.checks} pass`);
  return {
    name: "3. Default run (npm start)",
    figure: `${secs(run.wallMs)} wall`,
    ratio: `start-up ${secs(startupMs)}, suites ${secs(suitesMs)}, report ${secs(reportMs)}, finish ${secs(finishMs)}`,
    target: "<= 20 s",
    met: run.wallMs <= 20_000,
    details: [
      `node bin/ontap-conformance.mjs run --report-dir <tmp>: exit ${run.code}; ${t.checks} checks, ${t.pass} pass, ${t.fail} fail, ${t.error} error, ${t.skip} skip; summary durationMs ${int(run.summary.durationMs)}`,
      "start-up = spawn to the \"target ...\" line (node + tsx, modules, embedded mock, discovery, inventory); suites and report = summary.json phases.suitesMs / reportMs (Allure HTML); finish = the rest (inventory check, summary, JUnit, coverage matrix, exit)",
    ],
    data: { wallMs: run.wallMs, startupMs, suitesMs, reportMs, finishMs, totals: t },
  };
}

interface Point {
  n: number;
  run?: CliRun;
  suitesMs?: number;
  /** Sum of the checks' own durations: the suites' time without vitest's fixed start. */
  checksMs?: number;
  byCheck: Record<string, number>;
  wallMs: number;
  /** What this size was allowed (see budgetFor). */
  budgetMs: number;
  timedOut: boolean;
  slowest?: string;
  failed: string[];
}

/** Local growth exponent: 1 = linear, above 1 = super-linear. */
function exponent(t1: number, t2: number, n1: number, n2: number): number {
  return Math.log(t2 / t1) / Math.log(n2 / n1);
}

/** The check whose own time grew fastest between two sizes (among those that took 1 s or more). */
function fastestGrowing(a: Point, b: Point): { id: string; e: number } | undefined {
  return Object.entries(b.byCheck)
    .filter(([id, ms]) => ms >= 1000 && (a.byCheck[id] ?? 0) > 0)
    .map(([id, ms]) => ({ id, e: exponent(a.byCheck[id], ms, a.n, b.n) }))
    .sort((x, y) => y.e - x.e)[0];
}

/**
 * A size's budget: the base, or 1.5x what linear growth from the previous size
 * would take, whichever is more. So a stop always means super-linear growth,
 * never a budget that was simply too small for a linear run.
 */
function budgetFor(points: Point[], n: number, baseMs: number): number {
  const prev = points[points.length - 1];
  return prev && !prev.timedOut ? Math.max(baseMs, Math.ceil(1.5 * prev.wallMs * (n / prev.n))) : baseMs;
}

async function series(label: string, sizes: number[], baseBudgetMs: number, point: (n: number, budgetMs: number) => Promise<{ run: CliRun }>, o: BenchOptions): Promise<Point[]> {
  const points: Point[] = [];
  for (const n of sizes) {
    const budgetMs = budgetFor(points, n, baseBudgetMs);
    const { run } = await point(n, budgetMs);
    const checks: Array<{ id: string; durationMs: number; status: string }> = run.summary?.checks ?? [];
    const slow = checks.filter((c) => c.status !== "disabled").sort((a, b) => b.durationMs - a.durationMs)[0];
    const ran = checks.filter((c) => c.status !== "disabled");
    const p: Point = {
      n, run, suitesMs: run.timedOut ? undefined : run.summary?.phases?.suitesMs, wallMs: run.wallMs, timedOut: run.timedOut, slowest: slow ? `${slow.id} ${secs(slow.durationMs)}` : undefined,
      checksMs: run.timedOut ? undefined : ran.reduce((a, c) => a + c.durationMs, 0), byCheck: Object.fromEntries(ran.map((c) => [c.id, c.durationMs])),
      budgetMs,
      failed: checks.filter((c) => c.status === "fail" || c.status === "error").map((c: any) => `${c.id}: ${String(c.message ?? "").split("\n")[0].slice(0, 160)}`),
    };
    points.push(p);
    o.log(`  row 5 ${label} ${int(n)}: ${p.timedOut ? `stopped after the ${secs(budgetMs)} budget` : `suites ${secs(p.suitesMs!)}, wall ${secs(p.wallMs)}, exit ${run.code}; slowest ${p.slowest}`}`);
    if (p.timedOut) break;
  }
  return points;
}

function describeSeries(label: string, unit: string, points: Point[]): { lines: string[]; superLinear: boolean } {
  const lines: string[] = [];
  let superLinear = false;
  points.forEach((p, i) => {
    if (p.timedOut) {
      lines.push(`${label} ${int(p.n)} ${unit}: over the ${secs(p.budgetMs)} budget (stopped; at least ${ratio(p.budgetMs / (points[i - 1]?.suitesMs ?? 1))} the previous size)`);
      if (i > 0 && p.budgetMs / (points[i - 1].suitesMs ?? 1) > p.n / points[i - 1].n) superLinear = true;
      return;
    }
    const per = (p.checksMs! / p.n).toFixed(p.checksMs! / p.n < 1 ? 3 : 1);
    let growth = "";
    if (i > 0 && !points[i - 1].timedOut) {
      const q = points[i - 1];
      const e = exponent(q.checksMs!, p.checksMs!, q.n, p.n);
      const worst = fastestGrowing(q, p);
      if (e > 1.1 || (worst && worst.e > 1.1)) superLinear = true;
      growth = `; x${(p.n / q.n).toFixed(0)} ${unit} -> checks x${(p.checksMs! / q.checksMs!).toFixed(1)} (exponent ${e.toFixed(2)}${e > 1.1 ? ", SUPER-LINEAR" : ""})` +
        (worst ? `; fastest-growing check ${worst.id}: exponent ${worst.e.toFixed(2)}${worst.e > 1.1 ? " SUPER-LINEAR" : ""}` : "");
    }
    lines.push(`${label} ${int(p.n)} ${unit}: suites ${secs(p.suitesMs!)}, checks' own time ${secs(p.checksMs!)} = ${per} ms per ${unit.replace(/s$/, "")}${growth}; slowest ${p.slowest}`);
    for (const f of p.failed) lines.push(`  FAILED at ${int(p.n)} ${unit}: ${f}`);
  });
  return { lines, superLinear };
}

/**
 * Row 5: the licensing and packages checks against the mock's `large`
 * scenario at growing record counts, and the property checks at growing
 * --runs. Time = summary.json phases.suitesMs (the checks, without process
 * start-up). A size that runs over its budget is stopped and reported so.
 */
export async function scalingRow(o: BenchOptions, sizes: number[], runCounts: number[], budgetMs: number): Promise<RowResult> {
  const only = "licenses.*,packages.*";
  const recordsPoints = await series("records", sizes, budgetMs, async (n, budgetMs) => {
    const mock = await startServer("mock", JSON.stringify({ scenario: "large", records: n }));
    try {
      return { run: await runCli(["run", "--target", mock.url, "--profile", "read-only", "--no-html", "--quiet", "--seed", String(SEED), "--only", only], { reportDir: tempDir("row5"), env: { ONTAP_PASSWORD: DEFAULT_PASSWORD }, timeoutMs: budgetMs }) };
    } finally {
      await mock.stop();
    }
  }, o);
  const propertyOnly = "*.filter-property,*-property"; // every property check (an --only pattern that matches nothing is exit 2)
  const runsPoints = await series("runs", runCounts, budgetMs, async (n, budgetMs) => {
    const mock = await startServer("mock", JSON.stringify({ scenario: "docs" }));
    try {
      return { run: await runCli(["run", "--target", mock.url, "--profile", "read-only", "--no-html", "--quiet", "--seed", String(SEED), "--runs", String(n), "--only", propertyOnly], { reportDir: tempDir("row5p"), env: { ONTAP_PASSWORD: DEFAULT_PASSWORD }, timeoutMs: budgetMs }) };
    } finally {
      await mock.stop();
    }
  }, o);
  const propertyIds = (runsPoints[0]?.run?.summary?.checks ?? []).filter((c: any) => c.status === "pass" || c.status === "fail").map((c: any) => c.id);
  const rec = describeSeries("records", "records", recordsPoints);
  const prop = describeSeries("property runs", "runs", runsPoints);
  const last = recordsPoints[recordsPoints.length - 1];
  return {
    name: "5. Scaling (records, property runs)",
    figure: recordsPoints.map((p) => `${int(p.n)}: ${p.timedOut ? `>${secs(p.budgetMs)}` : secs(p.suitesMs!)}`).join(", ") + " | runs " + runsPoints.map((p) => `${int(p.n)}: ${p.timedOut ? `>${secs(p.budgetMs)}` : secs(p.suitesMs!)}`).join(", "),
    ratio: rec.superLinear || prop.superLinear ? `SUPER-LINEAR${rec.superLinear ? " (records)" : ""}${prop.superLinear ? " (runs)" : ""}` : "linear or better",
    target: "no super-linear growth",
    met: !(rec.superLinear || prop.superLinear),
    details: [
      `--only '${only}' --profile read-only against mock scenario large (records per collection):`,
      ...rec.lines.map((l) => `  ${l}`),
      `--only '${propertyOnly}' --runs N against the docs scenario; property checks that ran: ${propertyIds.join(", ") || "none"}:`,
      ...prop.lines.map((l) => `  ${l}`),
      "suites = summary.json phases.suitesMs (vitest start + the checks); growth is judged on the checks' own time (sum of their durationMs, without vitest's fixed start-up), overall and for the fastest-growing check of 1 s or more; exponent = log(time ratio) / log(size ratio), flagged above 1.1",
    ],
    data: { records: recordsPoints.map(({ run: _r, ...p }) => p), runs: runsPoints.map(({ run: _r, ...p }) => p), last: last?.n },
  };
}
