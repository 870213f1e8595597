import { statusesWorstFirst, type ConformanceReport } from './conformance.ts';
import { verdictText } from './markdown.ts';

/**
 * One self-contained HTML page: the clause matrix, filters by status and grade, and each
 * failure's requests and responses. The report's JSON is embedded; nothing is fetched.
 */
export function toHtml(r: ConformanceReport): string {
  const data = JSON.stringify(r).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>swf-conformance: ${verdictText[r.verdict].toLowerCase()} (${escape(r.target)})</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; }
  h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
  .verdict-yes { color: #116329; } .verdict-no { color: #b3261e; }
  .summary span { display: inline-block; margin: .2rem .8rem .2rem 0; }
  .filters { margin: 1rem 0; display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
  tr.clause { cursor: pointer; } tr.clause:hover { background: #f6f8fa; }
  .st { font-weight: 600; white-space: nowrap; }
  .st-pass { color: #116329; } .st-fail { color: #b3261e; } .st-advisory-fail { color: #9a6700; }
  .st-expected-fail { color: #57606a; } .st-unexpected-pass { color: #bc4c00; } .st-not-run { color: #57606a; }
  code { font-family: ui-monospace, monospace; font-size: 12px; }
  pre { background: #f6f8fa; padding: .5rem; overflow: auto; max-height: 18rem; font-size: 12px; }
  tr.detail td { background: #fbfbfc; }
  .test { margin: .4rem 0 .8rem; }
  pre.message { white-space: pre-wrap; background: #fff5f5; }
</style>
</head>
<body>
<h1>swf-conformance: <span id="verdict"></span></h1>
<div id="meta"></div>
<ul id="errors"></ul>
<div class="summary" id="summary"></div>
<div class="filters">
  <label>Status <select id="status"><option value="">all</option></select></label>
  <label>Grade <select id="grade"><option value="">all</option><option>documented</option><option>recorded</option><option>inferred</option></select></label>
  <label>Clause <input id="text" type="search" placeholder="filter by id or text"></label>
  <span id="shown"></span>
</div>
<table>
  <thead><tr><th>status</th><th>clause</th><th>grade</th><th>tests</th><th>statement</th></tr></thead>
  <tbody id="rows"></tbody>
</table>
<script id="report" type="application/json">${data}</script>
<script>
const report = JSON.parse(document.getElementById('report').textContent);
const statuses = ${JSON.stringify(statusesWorstFirst)};
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) k === 'class' ? (e.className = v) : e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
};
document.getElementById('verdict').append(el('span', { class: report.conformant ? 'verdict-yes' : 'verdict-no' }, { conformant: 'conformant', 'not-conformant': 'NOT conformant', incomplete: 'INCOMPLETE: could not run' }[report.verdict]));
document.getElementById('meta').textContent = 'Target ' + report.target + ' · ' + report.summary.clauses + ' clauses · ' + report.summary.tests + ' tests · ' + (report.durationMs / 1000).toFixed(1) + ' s · started ' + report.startedAt + (report.strict ? ' · strict' : '') + (report.expectations ? ' · expectations ' + report.expectations : '');
for (const e of report.errors) document.getElementById('errors').append(el('li', {}, 'Incomplete: ' + e));
for (const s of statuses) {
  document.getElementById('summary').append(el('span', { class: 'st st-' + s }, s + ': ' + report.summary[s]));
  document.getElementById('status').append(el('option', { value: s }, s));
}
function details(c) {
  const td = el('td', { colspan: '5' });
  if (c.reason) td.append(el('p', {}, c.reason));
  for (const t of c.tests) {
    const box = el('div', { class: 'test' }, el('div', {}, el('span', { class: 'st st-' + t.status }, t.status), ' ', el('code', {}, t.fullName)));
    if (t.message) box.append(el('pre', { class: 'message' }, t.message));
    if (t.observed) box.append(el('div', {}, 'observed: ' + t.observed));
    (t.exchanges || []).forEach((x, i) => {
      box.append(el('pre', {}, 'POST ' + x.request.url + '\\n' + Object.entries(x.request.headers).map(([k, v]) => k + ': ' + v).join('\\n') + '\\n\\n' + x.request.body));
      box.append(el('pre', {}, x.response.status ? 'HTTP ' + x.response.status + '\\n' + Object.entries(x.response.headers).map(([k, v]) => k + ': ' + v).join('\\n') + '\\n\\n' + x.response.body : 'no response: ' + x.response.error));
      if (t.curl && t.curl[i]) box.append(el('pre', {}, t.curl[i]));
    });
    td.append(box);
  }
  return el('tr', { class: 'detail' }, td);
}
function render() {
  const status = document.getElementById('status').value, grade = document.getElementById('grade').value;
  const text = document.getElementById('text').value.toLowerCase();
  const rows = document.getElementById('rows');
  rows.replaceChildren();
  let shown = 0;
  for (const c of report.clauses) {
    if (status && c.status !== status) continue;
    if (grade && c.grade !== grade) continue;
    if (text && !(c.id + ' ' + c.statement).toLowerCase().includes(text)) continue;
    shown++;
    const passed = c.tests.filter((t) => t.state === 'passed').length;
    const tr = el('tr', { class: 'clause', 'data-status': c.status, 'data-clause': c.id },
      el('td', { class: 'st st-' + c.status }, c.status), el('td', {}, el('code', {}, c.id)), el('td', {}, c.grade),
      el('td', {}, passed + '/' + c.tests.length + (c.partial ? ' (partial: ' + c.partial.selected + ' of ' + c.partial.of + ' selected)' : '')), el('td', {}, c.statement));
    let open = null;
    tr.addEventListener('click', () => { if (open) { open.remove(); open = null; } else { open = details(c); tr.after(open); } });
    rows.append(tr);
  }
  document.getElementById('shown').textContent = shown + ' of ' + report.clauses.length + ' clauses shown';
}
for (const id of ['status', 'grade', 'text']) document.getElementById(id).addEventListener('input', render);
render();
</script>
</body>
</html>
`;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
