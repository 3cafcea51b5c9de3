// After a default run, reports/latest holds the HTML report, junit.xml and
// summary.json, and the report renders in headless Chromium from the file
// system: the check names, and suites without a failure. A screenshot is
// saved next to the report.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { findChromium, openPage } from "../support/chromium.ts";

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
    console.log(`html report: ${rendered.length} check names rendered, clean suites ${clean.map((s) => s.title).join(", ")}; screenshot ${shot}`);
  } finally {
    await page.close();
  }
}, 120_000);
