// The Allure 3 single-file HTML report, made small and private after Allure
// writes it. Allure inlines its 2.7 MB application and every data file as
// base64 (a third larger than the bytes), which made the default run's
// report 11 MB. Here both are stored gzip-compressed (still base64, inside
// non-executed <script> elements) and unpacked by the browser's own
// DecompressionStream before the application starts: the same report, in a
// fraction of the bytes, still one file that opens from the file system.
// Allure's awesome plugin also hardcodes a Google Analytics tag: it is
// removed, the report must not call out.
import { gzipSync } from "node:zlib";

const APP = /<script\s+src="data:text\/javascript;base64,([A-Za-z0-9+/=]+)"><\/script>/;
const DATA = /<script async>\s*window\.allureReportDataReady = false;[\s\S]*?<\/script>\s*<script defer>\s*Promise\.allSettled\(\[([\s\S]*?)\]\)\s*\.then\(function\(\)\{\s*window\.allureReportDataReady = true;\s*\}\)\s*<\/script>/;
const ANALYTICS = /<script async src="https:\/\/www\.googletagmanager\.com[^"]*"><\/script>\s*<script>\s*window\.dataLayer[\s\S]*?<\/script>/g;

/**
 * The browser side: unpack the data files (text kept as text in the archive,
 * so it compresses well, and turned back into the base64 Allure reads), mark
 * them ready, then start the application.
 */
const LOADER = `<script>
(function () {
  function gunzip(id) {
    var bin = atob(document.getElementById(id).textContent.trim());
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  }
  function base64(text) {
    var bytes = new TextEncoder().encode(text), out = "";
    for (var i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(out);
  }
  window.allureReportDataReady = false;
  window.allureReportData = window.allureReportData || {};
  gunzip("ontap-report-data").then(function (text) {
    var files = JSON.parse(text);
    for (var name in files) window.allureReportData[name] = typeof files[name] === "string" ? base64(files[name]) : files[name].base64;
    window.allureReportDataReady = true;
  });
  gunzip("ontap-report-app").then(function (js) {
    var s = document.createElement("script");
    s.text = js;
    document.body.appendChild(s);
  });
})();
</script>`;

const packed = (id: string, bytes: Buffer) => `<script type="application/gzip" id="${id}">${gzipSync(bytes, { level: 9 }).toString("base64")}</script>`;

/** Text that survives a round trip through UTF-8 is kept as text; anything else as base64. */
function unpackValue(b64: string): string | { base64: string } {
  const bytes = Buffer.from(b64, "base64");
  const text = bytes.toString("utf8");
  return Buffer.from(text, "utf8").equals(bytes) ? text : { base64: b64 };
}

/** The report with its application and data compressed; unchanged where Allure's layout is not the one expected. */
export function compactReport(html: string): { html: string; compacted: boolean } {
  let out = html.replace(ANALYTICS, "");
  const app = APP.exec(out);
  const data = DATA.exec(out);
  if (!app || !data) return { html: out, compacted: false };
  const files: Record<string, string | { base64: string }> = {};
  for (const m of data[1].matchAll(/d\(("(?:[^"\\]|\\.)*"),("(?:[^"\\]|\\.)*")\)/g)) files[JSON.parse(m[1])] = unpackValue(JSON.parse(m[2]));
  const dataScript = packed("ontap-report-data", Buffer.from(JSON.stringify(files), "utf8"));
  out = out.replace(data[0], "");
  const appScript = packed("ontap-report-app", Buffer.from(app[1], "base64"));
  // Functions as replacements: the payloads hold "$" sequences that String.replace would read as patterns.
  out = out.replace(app[0], () => `${appScript}\n${dataScript}\n${LOADER}`);
  return { html: out, compacted: true };
}
