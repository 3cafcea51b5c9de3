// The coverage matrix as one self-contained HTML page (<run>/coverage.html):
// a row per operation with what was exercised out of what is documented, and
// every documented error code with how it was met. No script, no network:
// it opens from the file system next to the Allure report.
import type { Coverage, OperationCoverage } from "./coverage.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function cell(done: string[], all: string[]): string {
  const missing = all.filter((x) => !done.includes(x));
  const cls = !all.length ? "na" : missing.length === 0 ? "full" : done.length === 0 ? "none" : "part";
  const title = missing.length ? `not exercised: ${missing.join(", ")}` : "all exercised";
  return `<td class="${cls}" title="${esc(title)}">${all.length ? `${done.length}/${all.length}` : "–"}${missing.length && missing.length <= 4 ? `<div class="gap">${esc(missing.join(", "))}</div>` : ""}</td>`;
}

function codes(o: OperationCoverage): string {
  const c = o.errorCodes;
  if (!c.documented) return `<td class="na">–</td>`;
  const cls = c.missing ? "none" : c.provoked + c.observed + c.injected === c.documented ? "full" : "part";
  return `<td class="${cls}">${c.provoked} provoked, ${c.observed} observed, ${c.injected} injected, ${c.unprovokable} excused${c.missing ? `, <b>${c.missing} missing</b>` : ""} of ${c.documented}</td>`;
}

export function coverageHtml(c: Coverage, meta: { target: string; version?: string; profile: string }): string {
  const rows = c.operations.map((o) => `<tr><th>${esc(o.method)} ${esc(o.path)}<div class="op">${esc(o.operation)}</div></th>${cell(o.statuses.seen, o.statuses.documented)}${cell(o.params.exercised, o.params.documented)}${cell(o.fields.validated, o.fields.documented)}${codes(o)}<td>${o.skipped.map((s) => `<div title="${esc(s.reason)}">${esc(s.id)}</div>`).join("") || "–"}</td></tr>`).join("\n");
  const codeRows = c.errorCodes.map((r) => `<tr class="${r.outcome}"><td>${esc(r.operation)}</td><td>${esc(r.code)}</td><td>${esc(r.meaning)}</td><td>${r.outcome}</td><td>${esc(r.detail)}</td></tr>`).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ontap-conformance coverage</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
.full{background:#e3f6e3}.part{background:#fff4d6}.none{background:#fde2e2}.na{color:#999}.gap{font-size:11px;color:#a33}.op{font-size:11px;color:#666;font-weight:normal}
tr.missing td{background:#fde2e2}tr.unprovokable td{color:#666}
</style></head><body>
<h1>Coverage matrix</h1>
<p>Target ${esc(meta.target)}, ONTAP ${esc(meta.version ?? "unknown")}, profile ${esc(meta.profile)}.
Statuses ${c.percent.statuses}%, parameters ${c.percent.params}%, fields ${c.percent.fields}%, error codes exercised ${c.percent.errorCodesExercised}% (accounted for ${c.percent.errorCodesAccounted}%).</p>
<table id="matrix"><thead><tr><th>operation</th><th>documented statuses seen</th><th>parameters exercised</th><th>fields validated</th><th>error codes</th><th>checks skipped</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Error codes</h2>
<p>provoked: a request that must raise it did; observed: it was answered during another check; injected: raised by the embedded mock's fault switch; unprovokable: a recorded reason why a client cannot provoke it on a healthy cluster; missing: none of these.</p>
<table id="codes"><thead><tr><th>operation</th><th>code</th><th>meaning</th><th>outcome</th><th>how / why not</th></tr></thead><tbody>
${codeRows}
</tbody></table>
</body></html>
`;
}
