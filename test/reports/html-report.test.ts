// After a default run, reports/latest holds the HTML report (at most 3 MB),
// junit.xml and summary.json, and the report renders in headless Chromium
// from the file system: the check names, and suites without a failure. A
// failing check (a run against a mutant) renders as Failed with its
// message, its failing step and the response as JSON. Screenshots are saved
// next to the reports (docs/failing-check.png is one of them).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { findChromium, openPage } from "../support/chromium.ts";
import { startMock } from "../../mock/index.ts";
import { findMutant } from "../../mock/mutants/catalog.ts";

const BIN = join(import.meta.dirname, "../../bin/ontap-conformance.mjs");

// Expand every collapsed group of the Allure tree, then read what is on screen.
const EXPAND_AND_READ = `(async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  for (let i = 0; i < 100 && !document.querySelector('[data-testid="tree-section"]'); i++) await sleep(100);
  // Each arrow toggles its group: click every arrow once, then the ones the opened groups revealed.
  const clicked = new WeakSet();
  for (let round = 0; round < 8; round++) {
    const fresh = [...document.querySelectorAll('[data-testid="tree-arrow"]')].filter((b) => !clicked.has(b));
    if (!fresh.length) break;
    for (const b of fresh) { clicked.add(b); b.click(); }
    await sleep(300);
  }
  const sections = [...document.querySelectorAll('[data-testid="tree-section"]')].map((s) => ({
    title: s.querySelector('[data-testid="tree-section-title"]')?.textContent ?? "",
    bar: [...s.querySelectorAll('[class*="tree-status-bar-item"]')].map((x) => x.className.match(/styles_(passed|failed|broken|skipped|unknown)/)?.[1] ?? "?"),
  }));
  return { text: document.body.innerText, sections };
})()`;

it("npm start's report directory holds the HTML report, JUnit and summary.json, and the report renders in Chromium", async (ctx) => {
  // Skipping is an explicit choice (ONTAP_SKIP_BROWSER=1), never a silent pass on a machine without chromium.
  if (process.env.ONTAP_SKIP_BROWSER === "1") return ctx.skip("ONTAP_SKIP_BROWSER=1");
  const chromium = findChromium();
  if (!chromium) throw new Error("chromium is not installed: run `apt-get install -y chromium` (or set ONTAP_SKIP_BROWSER=1 to skip this test)");
  const dir = mkdtempSync(join(tmpdir(), "html-report-"));
  const child = spawn(process.execPath, [BIN, "run", "--report-dir", dir, "--seed", "1", "--quiet"], { stdio: "ignore" });
  expect(await new Promise((resolve) => child.on("close", resolve))).toBe(0);
  const latest = join(dir, "latest");
  for (const f of ["html/index.html", "junit.xml", "summary.json", "coverage.html"]) expect(existsSync(join(latest, f)), f).toBe(true);
  // The default run's report was 11 MB (every exchange of every passing check attached, all inlined as base64).
  const bytes = statSync(join(latest, "html", "index.html")).size;
  expect(bytes).toBeLessThanOrEqual(3_000_000);
  const summary = JSON.parse(readFileSync(join(latest, "summary.json"), "utf8"));

  const page = await openPage(chromium, `file://${join(latest, "html", "index.html")}`);
  try {
    const seen = await page.evaluate<{ text: string; sections: Array<{ title: string; bar: string[] }> }>(EXPAND_AND_READ);
    const ids: string[] = summary.checks.map((c: any) => c.id);
    const rendered = ids.filter((id) => seen.text.includes(id));
    expect(rendered.length, `check names rendered: ${rendered.length} of ${ids.length}`).toBe(ids.length);
    // A suite (area) rendered with every result passed.
    const areas = new Set(summary.checks.map((c: any) => c.area));
    const clean = seen.sections.filter((s) => areas.has(s.title) && s.bar.length > 0 && s.bar.every((b) => b === "passed"));
    expect(clean.map((s) => s.title)).toEqual(expect.arrayContaining(["licensing"]));
    // The report calls out to nothing: every request stays on the file system.
    expect(page.requests.filter((u) => !/^(file|data|blob|about):/.test(u)).map((u) => u.slice(0, 120))).toEqual([]);
    const shot = join(latest, "html-screenshot.png");
    writeFileSync(shot, await page.screenshot());
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
    console.log(`html report: ${(bytes / 1e6).toFixed(2)} MB, ${rendered.length} check names rendered, clean suites ${clean.map((s) => s.title).join(", ")}; screenshot ${shot}`);
  } finally {
    await page.close();
  }
}, 120_000);

// Open the failed tab, find the check's leaf, open it, expand its failing step and the response attachment.
const OPEN_FAILURE = (id: string) => `(async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  for (let i = 0; i < 100 && !document.querySelector('[data-testid="tree-section"]'); i++) await sleep(100);
  document.querySelector('[data-testid="tab-failed"]')?.click();
  await sleep(500);
  const find = () => [...document.querySelectorAll('[data-testid="tree-leaf"]')].find((e) => e.querySelector('[data-testid="tree-leaf-title"]')?.textContent.trim() === ${JSON.stringify(id)});
  const clicked = new WeakSet();
  for (let round = 0; round < 8 && !find(); round++) {
    for (const b of [...document.querySelectorAll('[data-testid="tree-arrow"]')].filter((b) => !clicked.has(b))) { clicked.add(b); b.click(); }
    await sleep(300);
  }
  const leaf = find();
  if (!leaf) return { error: "no leaf for the check" };
  const leafStatus = leaf.querySelector('[data-testid^="tree-leaf-status-"]')?.getAttribute("data-testid");
  leaf.click();
  await sleep(1500);
  const status = document.querySelector('[data-testid^="test-result-status-"]')?.getAttribute("data-testid");
  const message = document.querySelector('[data-testid="test-result-error-message"]')?.textContent ?? "";
  const step = [...document.querySelectorAll('[data-testid="test-result-step"]')].find((s) => /→ 200/.test(s.querySelector('[data-testid="test-result-step-title"]')?.textContent ?? ""));
  const stepFailed = step ? /failed/.test(step.innerHTML) : false;
  const response = [...document.querySelectorAll('[data-testid="test-result-attachment-header"]')].find((h) => /response/.test(h.textContent));
  response?.click();
  await sleep(800);
  (document.querySelector('[data-testid="test-result-error"]') ?? document.body).scrollIntoView({ block: "start" });
  await sleep(300);
  return { leafStatus, status, message, stepFailed, body: document.body.innerText };
})()`;

it("a failing check renders as Failed, with its message, its failing step and the response as JSON (docs/failing-check.png)", async (ctx) => {
  if (process.env.ONTAP_SKIP_BROWSER === "1") return ctx.skip("ONTAP_SKIP_BROWSER=1");
  const chromium = findChromium();
  if (!chromium) throw new Error("chromium is not installed: run `apt-get install -y chromium` (or set ONTAP_SKIP_BROWSER=1 to skip this test)");
  const dir = mkdtempSync(join(tmpdir(), "html-failing-"));
  const mock = await startMock({ password: "pw", mutant: findMutant("query.num-records-off-by-one") });
  try {
    const child = spawn(process.execPath, [BIN, "run", "--target", mock.url, "--password-env", "P", "--only", "licenses.list.*,cluster.get.version", "--report-dir", dir, "--seed", "1", "--quiet"], { stdio: "ignore", env: { ...process.env, P: "pw" } });
    expect(await new Promise((resolve) => child.on("close", resolve))).toBe(1);
  } finally {
    await mock.close();
  }
  const page = await openPage(chromium, `file://${join(dir, "latest", "html", "index.html")}`);
  try {
    const seen = await page.evaluate<{ error?: string; leafStatus: string; status: string; message: string; stepFailed: boolean; body: string }>(OPEN_FAILURE("licenses.list.num-records"));
    expect(seen.error).toBeUndefined();
    expect(seen.leafStatus).toBe("tree-leaf-status-failed");
    expect(seen.status).toBe("test-result-status-failed");
    expect(seen.message).toMatch(/^num_records is 11 but 10 records came back/);
    expect(seen.body).toMatch(/Received: 11\s+Documented: 10\s+Reproduce with: curl/);
    expect(seen.stepFailed, "the step that received the wrong answer is marked failed").toBe(true);
    expect(seen.body).not.toMatch(/\s+at \S+ \(/);
    const shot = join(dir, "latest", "failing-check.png");
    writeFileSync(shot, await page.screenshot());
    console.log(`failing check rendered: ${seen.status}; screenshot ${shot}`);
  } finally {
    await page.close();
  }
}, 120_000);
