// The requirements inventory (spec/requirements.yaml) against its sources and
// the suite: every behavioural statement of the reference pages has a check or
// a reason, every quote is where the entry says, every check named exists, and
// every check of the suite enforces at least one statement.
import { describe, expect, it } from "vitest";
import { allChecks } from "../../suites/index.ts";
import { loadQuirks } from "../../src/contract/quirks.ts";
import {
  AREA_PREFIX, lineRange, loadRequirements, missingQuotes, REASON_KINDS, REQUIREMENT_AREAS, requirementCoverage, requirementsByCheck, type Requirement,
} from "../../src/contract/requirements.ts";

const reqs = loadRequirements();
const checkIds = new Set(allChecks().map((c) => c.id));

describe("spec/requirements.yaml", () => {
  it("has unique ids, each with its area's prefix", () => {
    expect(reqs.length).toBeGreaterThan(0);
    const ids = reqs.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const wrong = reqs.filter((r) => !(REQUIREMENT_AREAS as readonly string[]).includes(r.area) || !new RegExp(`^${AREA_PREFIX[r.area]}-\\d{3}$`).test(r.id));
    expect(wrong.map((r) => `${r.id} (${r.area})`)).toEqual([]);
  });

  it("gives every entry the checks that enforce it, or the kind and text of the reason none does", () => {
    const bad: string[] = [];
    for (const r of reqs) {
      if (r.checks?.length) {
        if (r.kind || r.reason) bad.push(`${r.id}: has checks and a reason`);
        continue;
      }
      if (!r.kind || !(REASON_KINDS as readonly string[]).includes(r.kind)) bad.push(`${r.id}: no check, and its reason kind "${r.kind}" is none of ${REASON_KINDS.join(", ")}`);
      if (!r.reason || r.reason.trim().length < 10) bad.push(`${r.id}: no check and no reason`);
      if (r.kind === "not-checked-yet" && !/^not checked yet: \S/.test(r.reason ?? "")) bad.push(`${r.id}: a not-checked-yet reason must say why ("not checked yet: <why it is hard>")`);
    }
    expect(bad).toEqual([]);
  });

  it("names only checks that exist", () => {
    const unknown = reqs.flatMap((r) => (r.checks ?? []).filter((c) => !checkIds.has(c)).map((c) => `${r.id}: ${c}`));
    expect(unknown).toEqual([]);
  });

  it("quotes each source where it says (whitespace normalised)", () => {
    const problems: string[] = [];
    for (const r of reqs) {
      if (!r.at?.length) problems.push(`${r.id}: no location`);
      for (const loc of r.at ?? []) {
        try {
          lineRange(loc.lines);
          for (const q of missingQuotes(r, loc)) problems.push(`${r.id}: ${loc.file}:${loc.lines} does not say "${q}"`);
        } catch (e) {
          problems.push(`${r.id}: ${(e as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("finds a quote only where its lines hold it", () => {
    const probe: Requirement = { id: "LIC-999", area: "licensing", quote: "Installs one or more feature licenses.", at: [] };
    expect(missingQuotes(probe, { file: "000_24a9ec2b2ae4d05f.txt", lines: "1208" })).toEqual([]);
    expect(missingQuotes(probe, { file: "000_24a9ec2b2ae4d05f.txt", lines: "1207" })).toEqual(["Installs one or more feature licenses."]);
    expect(missingQuotes({ ...probe, quote: ["Installs one or", "more   feature\nlicenses."] }, { file: "000_24a9ec2b2ae4d05f.txt", lines: "1206-1208" })).toEqual([]);
    expect(() => lineRange("12-a")).toThrow();
  });

  it("names only quirks that spec/quirks.yaml has", () => {
    const quirks = new Set(loadQuirks().map((q) => q.id));
    const named = (r: Requirement) => [...(r.reason ?? "").matchAll(/spec\/quirks\.yaml ([a-z0-9-]+)/g)].map((m) => m[1]);
    expect(reqs.flatMap((r) => named(r).filter((q) => !quirks.has(q)).map((q) => `${r.id}: ${q}`))).toEqual([]);
    for (const r of reqs.filter((x) => x.kind === "docs-contradiction")) expect(r.reason, r.id).toMatch(/spec\/quirks\.yaml [a-z0-9-]+|contradict/);
  });

  it("has every check of the suite enforce at least one entry", () => {
    const byCheck = requirementsByCheck(reqs);
    const idle = [...checkIds].filter((id) => !byCheck.has(id));
    expect(idle, `checks that enforce no entry of spec/requirements.yaml: ${idle.join(", ")}`).toEqual([]);
  });

  it("reports its coverage per area", () => {
    const coverage = requirementCoverage(reqs);
    for (const c of coverage) expect(c.enforced + c.withReason).toBe(c.entries);
    expect(coverage.reduce((n, c) => n + c.entries, 0)).toBe(reqs.length);
    const lines = coverage.map((c) => {
      const kinds = Object.entries(c.byKind).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
      return `  ${c.area.padEnd(11)} ${String(c.entries).padStart(4)} entries, ${String(c.enforced).padStart(4)} enforced (${c.entries ? ((100 * c.enforced) / c.entries).toFixed(1) : "0.0"}%), ${String(c.withReason).padStart(3)} with a reason (${kinds})`;
    });
    const all = coverage.reduce((t, c) => [t[0] + c.entries, t[1] + c.enforced], [0, 0]);
    console.log(`requirements coverage:\n${lines.join("\n")}\n  ${"all".padEnd(11)} ${String(all[0]).padStart(4)} entries, ${String(all[1]).padStart(4)} enforced (${((100 * all[1]) / all[0]).toFixed(1)}%)`);
  });
});
