import { statusesWorstFirst, type ConformanceReport } from './conformance.ts';
import { modelLine } from '../model/text.ts';
import { verdictLabel } from './markdown.ts';

type Clause = ConformanceReport['clauses'][number];
type Test = Clause['tests'][number];
type Exchange = NonNullable<Test['exchanges']>[number];

const VERDICT: Record<ConformanceReport['verdict'], string> = {
  conformant: 'conformant',
  'not-conformant': 'NOT conformant',
  incomplete: 'INCOMPLETE: could not run',
};

/**
 * One self-contained HTML page, rendered here, so that it reads the same with JavaScript off: the
 * verdict, the clause matrix, and under each clause its tests, a failure's message and its
 * requests and responses (JSON pretty-printed, long lines wrapped), the exchange the test failed
 * after marked. The script only adds the filters by status, grade and text, and folding.
 * Nothing is fetched.
 */
export function toHtml(r: ConformanceReport): string {
  const rows = r.clauses.map(clauseRows).join('\n');
  const summary = statusesWorstFirst.map((s) => `<span class="st st-${s}">${s}: ${r.summary[s]}</span>`).join('\n');
  const meta = `Target ${esc(r.target)}${r.implementation ? ` (${esc(r.implementation)})` : ''} · ${r.summary.clauses} clauses · ${r.summary.tests} tests · ${(r.durationMs / 1000).toFixed(1)} s · started ${esc(r.startedAt)}${r.strict ? ' · strict' : ''}${r.expectations ? ` · expectations ${esc(r.expectations)}` : ''}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>swf-conformance: ${esc(verdictLabel(r, VERDICT))} (${esc(r.target)})</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; }
  h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
  .verdict-yes { color: #116329; } .verdict-no { color: #b3261e; }
  .summary span { display: inline-block; margin: .2rem .8rem .2rem 0; }
  .filters { margin: 1rem 0; display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; }
  table { border-collapse: collapse; width: 100%; table-layout: fixed; }
  th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; overflow-wrap: anywhere; }
  col.status { width: 9rem; } col.id { width: 22rem; } col.grade { width: 6.5rem; } col.tests { width: 6rem; }
  tr.clause { cursor: pointer; } tr.clause:hover { background: #f6f8fa; }
  tr.detail > td { background: #fbfbfc; border-bottom: 1px solid #d0d7de; }
  .st { font-weight: 600; }
  .st-pass { color: #116329; } .st-fail { color: #b3261e; } .st-advisory-fail { color: #9a6700; }
  .st-expected-fail { color: #57606a; } .st-unexpected-pass { color: #bc4c00; } .st-not-run, .st-not-selected { color: #57606a; }
  code { font-family: ui-monospace, monospace; font-size: 12px; overflow-wrap: anywhere; }
  pre { background: #f6f8fa; padding: .5rem; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 24rem; overflow-y: auto; margin: .3rem 0; }
  pre.message { background: #fff5f5; }
  .test { margin: .4rem 0 .8rem; }
  .exchange { border-left: 3px solid #d0d7de; padding-left: .6rem; margin: .5rem 0; }
  .exchange.failing { border-left-color: #b3261e; }
  .exchange .label { font-size: 12px; color: #57606a; }
  .exchange.failing .label { color: #b3261e; font-weight: 600; }
  .sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: .5rem; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<h1>swf-conformance: <span id="verdict" class="${r.conformant ? 'verdict-yes' : 'verdict-no'}">${esc(verdictLabel(r, VERDICT))}</span></h1>
<div id="meta">${meta}</div>
<ul id="errors">${r.errors.map((e) => `<li>Incomplete: ${esc(e)}</li>`).join('')}${(r.warnings ?? []).map((w) => `<li class="warning">Warning: ${esc(w)}</li>`).join('')}</ul>
<div class="summary" id="summary">${summary}</div>
${r.model ? `<p>Model-based run: ${esc(modelLine(r.model))}</p>` : r.modelLeftOut ? `<p>Model-based run: ${esc(r.modelLeftOut)}</p>` : ''}
${r.baseline ? `<p>Changed since the baseline ${esc(r.baseline.file)}: ${r.baseline.differences} differences in ${r.baseline.testsDiffering} of ${r.baseline.testsCompared} tests${r.baseline.diffFiles?.length ? ` (see ${esc(r.baseline.diffFiles.find((f) => f.endsWith('.html')) ?? r.baseline.diffFiles[0]!)})` : ''}</p>` : ''}
<div class="filters">
  <label>Status <select id="status"><option value="">all</option>${statusesWorstFirst.map((s) => `<option value="${s}">${s}</option>`).join('')}</select></label>
  <label>Grade <select id="grade"><option value="">all</option><option>documented</option><option>recorded</option><option>inferred</option></select></label>
  <label>Clause <input id="text" type="search" placeholder="filter by id or text"></label>
  <span id="shown">${r.clauses.length} clauses</span>
</div>
<table>
  <colgroup><col class="status"><col class="id"><col class="grade"><col class="tests"><col></colgroup>
  <thead><tr><th>status</th><th>clause</th><th>grade</th><th>tests</th><th>statement</th></tr></thead>
  <tbody id="rows">
${rows}
  </tbody>
</table>
<script>
// Filters and folding only: the page is whole without this.
const rows = [...document.querySelectorAll('tr.clause')];
function render() {
  const status = document.getElementById('status').value, grade = document.getElementById('grade').value;
  const text = document.getElementById('text').value.toLowerCase();
  let shown = 0;
  for (const tr of rows) {
    const show = (!status || tr.dataset.status === status) && (!grade || tr.dataset.grade === grade) && (!text || tr.dataset.search.includes(text));
    tr.hidden = !show;
    const detail = tr.nextElementSibling;
    if (detail && detail.classList.contains('detail')) detail.hidden = !show || detail.dataset.folded === 'true';
    if (show) shown++;
  }
  document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' clauses shown';
}
for (const tr of rows) {
  const detail = tr.nextElementSibling;
  tr.addEventListener('click', () => { detail.dataset.folded = detail.dataset.folded === 'true' ? 'false' : 'true'; render(); });
}
for (const id of ['status', 'grade', 'text']) document.getElementById(id).addEventListener('input', render);
render();
</script>
</body>
</html>
`;
}

/** A clause's row, and under it its tests: open for a clause that did not pass, folded (by the script) for one that did. */
function clauseRows(c: Clause): string {
  const passed = c.tests.filter((t) => t.state === 'passed').length;
  const count = `${passed}/${c.tests.length}${c.partial ? ` (partial: ${c.partial.selected} of ${c.partial.of} selected)` : ''}`;
  const folded = c.status === 'pass' || c.status === 'not-selected';
  const search = `${c.id} ${c.statement}`.toLowerCase();
  const head =
    `<tr class="clause" data-status="${c.status}" data-clause="${esc(c.id)}" data-grade="${c.grade}" data-search="${esc(search)}">` +
    `<td class="st st-${c.status}">${c.status}</td><td><code>${esc(c.id)}</code></td><td>${c.grade}</td><td>${count}</td><td>${esc(c.statement)}</td></tr>`;
  const body = [c.reason ? `<p>${esc(c.reason)}</p>` : '', ...c.tests.map(testBlock)].join('\n');
  return `${head}\n<tr class="detail" data-folded="${folded}"><td colspan="5">${body || '<p>No test.</p>'}</td></tr>`;
}

function testBlock(t: Test): string {
  const exchanges = t.exchanges ?? [];
  const parts = [`<div class="test"><div><span class="st st-${t.status}">${t.status}</span> <code>${esc(t.fullName)}</code></div>`];
  if (t.message) parts.push(`<pre class="message">${esc(t.message)}</pre>`);
  if (t.observed) parts.push(`<div>observed: ${esc(t.observed)}</div>`);
  exchanges.forEach((x, i) => {
    // The last exchange a failing test made is the one its assertion judged, or the one it stopped on.
    const failing = t.state === 'failed' && i === exchanges.length - 1;
    parts.push(exchangeBlock(x, i, exchanges.length, failing, t.curl?.[i]));
  });
  parts.push('</div>');
  return parts.join('\n');
}

function exchangeBlock(x: Exchange, i: number, n: number, failing: boolean, curl?: string): string {
  const label = failing ? `exchange ${i + 1} of ${n}: the last before the failure` : `exchange ${i + 1} of ${n}`;
  const request = `POST ${x.request.url}\n${headerLines(x.request.headers)}\n\n${pretty(x.request.body)}`;
  const response =
    'status' in x.response
      ? `HTTP ${x.response.status}\n${headerLines(x.response.headers)}\n\n${pretty(x.response.body)}`
      : `no response: ${x.response.error}`;
  return (
    `<div class="exchange${failing ? ' failing' : ''}"><div class="label">${label}</div>` +
    `<div class="sides"><pre>${esc(request)}</pre><pre>${esc(response)}</pre></div>${curl ? `<pre>${esc(curl)}</pre>` : ''}</div>`
  );
}

const headerLines = (headers: Record<string, string | undefined>) =>
  Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');

/** A JSON body indented; anything else as it is. */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
