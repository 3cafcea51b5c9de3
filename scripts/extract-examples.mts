// Extracts every JSON example of the four docs pages (spec/sources/*.txt)
// into spec/examples/ as fixtures. Run: npx tsx scripts/extract-examples.mts
// The pages are PDF-to-text: code blocks split at page breaks are merged,
// wrapped curl URLs are joined, and examples that are still not valid JSON
// are kept as raw text (with a quirk) instead of being "fixed".
import { readFileSync, readdirSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { judgeExample, matchOperation, operations, type Fixture } from "../src/contract/index.ts";

const SOURCES = join(import.meta.dirname, "../spec/sources");
const OUT = join(import.meta.dirname, "../spec/examples");
const FILES: Record<string, { area: string; version: string }> = {
  "000_24a9ec2b2ae4d05f.txt": { area: "licensing", version: "9.18.1" },
  "001_11180c215d73937b.txt": { area: "packages", version: "9.18.1" },
  "002_d792e4551950e0af.txt": { area: "software", version: "9.10.1" },
  "003_c8e0280092f1a165.txt": { area: "download", version: "9.18.1" },
};

const OP_HEADING = /^(?:#+\s*)?(GET|POST|PATCH|DELETE)\s+`?(\/cluster\/[^\s`]*)`?\s*$/;

function unescape(s: string): string {
  return s.replace(/\\_/g, "_").replace(/\\\*/g, "*");
}

function parseJson(text: string): { body: unknown; raw?: string } {
  const start = text.search(/[{[]/);
  if (start < 0) return { body: null, raw: text.trim() };
  const candidate = text.slice(start).trim();
  try {
    return { body: JSON.parse(candidate) };
  } catch {
    return { body: null, raw: candidate };
  }
}

function parseCurl(lines: string[]): Fixture["request"] {
  const text = lines.join("").replace(/<mgmt[-_]\s*ip>/g, "<mgmt-ip>");
  if (!/^curl\b/.test(text)) return null;
  const url = /"?https?:\/\/<mgmt-ip>(\/api[^"\s]*)"?/i.exec(text);
  if (!url) return null;
  const method = /-X\s+(\w+)/.exec(text)?.[1] ?? "GET";
  const u = new URL(`http://h${url[1]}`);
  return { method: method.toUpperCase(), path: u.pathname, query: Object.fromEntries(u.searchParams) };
}

function extract(file: string): Fixture[] {
  const { area, version } = FILES[file];
  const lines = readFileSync(join(SOURCES, file), "utf8").split("\n").map(unescape);
  // Fenced blocks, merged when only blank lines separate them (page breaks).
  const blocks: Array<{ start: number; end: number; text: string[] }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim().startsWith("```")) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith("```")) j++;
    const body = lines.slice(i + 1, j);
    const prev = blocks[blocks.length - 1];
    const gap = prev ? lines.slice(prev.end + 1, i) : ["x"];
    if (prev && gap.every((l) => !l.trim())) {
      prev.text.push(...body);
      prev.end = j;
    } else blocks.push({ start: i, end: j, text: body });
    i = j;
  }
  const out: Fixture[] = [];
  let n = 0;
  const add = (f: Omit<Fixture, "id" | "ontap_version" | "quirks">) => {
    n++;
    const slug = f.source.section.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 48) || "example";
    out.push({ id: `${area}-${String(n).padStart(2, "0")}-${f.kind}-${slug}`, ontap_version: version, quirks: [], ...f });
  };
  for (const block of blocks) {
    // Context: the nearest operation heading and section title above the block.
    let opHeading: { method: string; path: string } | undefined;
    let section = "";
    let statusAbove: number | null = null;
    for (let k = block.start - 1; k >= 0; k--) {
      const l = lines[k].trim();
      if (!l) continue;
      if (!statusAbove && /^Status:\s*(\d{3})/.test(l) && block.start - k < 60) statusAbove = Number(/^Status:\s*(\d{3})/.exec(l)![1]);
      const h = OP_HEADING.exec(l);
      if (h) { opHeading = { method: h[1], path: h[2] }; break; }
      if (!section && (/^#+\s/.test(l) || /^(Example (request|response|error)|Retrieving|Updating|Deleting|Installing|Validating|Downloading|Uploading|Pausing|Resuming|Canceling|Cancelling|Checking)/.test(l)) && l.length < 120) section = l.replace(/^#+\s*/, "").replace(/\*\*/g, "");
    }
    const opFromHeading = opHeading ? operations().find((o) => o.method === opHeading!.method && o.path === opHeading!.path)?.id ?? null : null;
    const text = block.text;
    const joined = text.join("\n");
    const markers = text.map((l, i) => ({ i, m: /^#\s*(The API:|The call:|The response:|API|Response|JSON Body)\s*$/.exec(l.trim())?.[1] })).filter((x) => x.m);
    const base = { source: { file, section: section || "(untitled)", line: block.start + 1 } };
    if (!markers.length) {
      if (!/[{[]/.test(joined)) {
        if (/^[A-Z]{20,}$/.test(joined.trim())) add({ ...base, operation: "license_create", kind: "license-key", status: null, request: null, body: null, raw: joined.trim() });
        continue;
      }
      const parsed = parseJson(joined);
      const isKey = /statusResp/.test(joined) && !/"keys"/.test(joined);
      const kind: Fixture["kind"] = isKey ? "license-key" : /Example request/i.test(section) ? "request" : /Example error/i.test(section) ? "error" : "response";
      add({ ...base, operation: isKey ? "license_create" : opFromHeading, kind, status: kind === "response" ? statusAbove : null, request: null, ...parsed });
      continue;
    }
    // Narrative examples: split at the markers.
    let request: Fixture["request"] = null;
    let status: number | null = null;
    let responseSeen = false;
    markers.forEach((mk, idx) => {
      const seg = text.slice(mk.i + 1, idx + 1 < markers.length ? markers[idx + 1].i : text.length);
      const segText = seg.join("\n");
      if (mk.m === "The API:" || mk.m === "API" || mk.m === "The call:") {
        const r = parseCurl(seg.map((l) => l.trim()));
        if (r) request = r;
        else if (!request && /^\/api\//.test(seg.find((l) => l.trim())?.trim() ?? "")) {
          const p = seg.find((l) => l.trim())!.trim();
          request = { method: "GET", path: p.split("?")[0], query: Object.fromEntries(new URL(`http://h${p}`).searchParams) };
        }
        return;
      }
      if (mk.m === "Response" || mk.m === "The response:") {
        responseSeen = true;
        const st = /^\s*(\d{3})\b/m.exec(segText);
        if (st) status = Number(st[1]);
        if (mk.m === "Response" || !/[{[]/.test(segText)) return;
      }
      if (!/[{[]/.test(segText)) return;
      const parsed = parseJson(segText);
      const req: Fixture["request"] = request;
      const op = req ? matchOperation(req.method, req.path)?.op.id ?? opFromHeading : opFromHeading;
      const isRequest = mk.m === "JSON Body" && !responseSeen;
      add({ ...base, operation: op ?? null, kind: isRequest ? "request" : parsed.body && typeof parsed.body === "object" && "error" in (parsed.body as object) ? "error" : "response", status: isRequest ? null : status, request: req, ...parsed });
    });
  }
  return out;
}

mkdirSync(OUT, { recursive: true });
// Replace the fixtures, keep anything else (the folder's README).
for (const f of readdirSync(OUT)) if (f.endsWith(".json")) rmSync(join(OUT, f));
let total = 0;
for (const file of readdirSync(SOURCES).filter((f) => f in FILES)) {
  for (const f of extract(file)) {
    // Tag each example with the named quirks it exhibits (spec/quirks.yaml).
    f.quirks = judgeExample(f as never).quirks;
    writeFileSync(join(OUT, `${f.id}.json`), `${JSON.stringify(f, null, 2)}\n`);
    total++;
  }
}
console.log(`${total} fixtures written to spec/examples/`);
