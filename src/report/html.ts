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
  // Sized for a failing target: the first few failing clauses open, the rest folded in <details>
  // (native, so folding needs no script), and a test's exchanges shown for the first test of the
  // first failing clauses only (a known failure's are not): every test's exchanges stay in
  // conformance.json.
  let opened = 0;
  let withExchanges = 0;
  const rows = r.clauses
    .map((c) => {
      const bad = BAD.has(c.status);
      const open = bad && opened < OPEN_FAILING;
      if (open) opened += 1;
      const exchanges = bad && withExchanges < CLAUSES_WITH_EXCHANGES;
      if (exchanges) withExchanges += 1;
      return clauseRows(c, open, exchanges);
    })
    .join('\n');
  const failing = r.clauses.filter((c) => BAD.has(c.status));
  const index = failing.length
    ? `<nav id="failing"><strong>${failing.length} clause${failing.length === 1 ? '' : 's'} not passing:</strong> ${failing
        .map((c) => `<a href="#clause-${esc(c.id)}" class="st st-${c.status}">${esc(c.id)}</a>`)
        .join(' · ')}</nav>`
    : '';
  const groups = (label: string, key: (c: Clause) => string) => {
    const by = new Map<string, Clause[]>();
    for (const c of r.clauses) by.set(key(c), [...(by.get(key(c)) ?? []), c]);
    return `<details class="index"><summary>By ${label}</summary>${[...by]
      .map(
        ([k, cs]) =>
          `<p><strong>${esc(k)}</strong> (${cs.length}): ${cs.map((c) => `<a href="#clause-${esc(c.id)}" class="st st-${c.status}">${esc(c.id)}</a>`).join(' · ')}</p>`,
      )
      .join('')}</details>`;
  };
  const indexes = [groups('status', (c) => c.status), groups('grade', (c) => c.grade), groups('concern', (c) => c.concern)].join('\n');
  const summary = statusesWorstFirst.map((s) => `<span class="st st-${s}">${s}: ${r.summary[s] ?? 0}</span>`).join('\n');
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
  nav#failing { margin: .6rem 0; line-height: 1.8; } nav#failing a, .index a { text-decoration: none; margin-right: .2rem; }
  .index p { margin: .3rem 0 .3rem 1rem; } .indexes { margin-bottom: .8rem; }
  details.tests > summary { cursor: pointer; color: #57606a; }
</style>
</head>
<body>
<h1>swf-conformance: <span id="verdict" class="${r.conformant ? 'verdict-yes' : 'verdict-no'}">${esc(verdictLabel(r, VERDICT))}</span></h1>
<div id="meta">${meta}</div>
<ul id="errors">${r.errors.map((e) => `<li>Incomplete: ${esc(e)}</li>`).join('')}${(r.warnings ?? []).map((w) => `<li class="warning">Warning: ${esc(w)}</li>`).join('')}</ul>
<div class="summary" id="summary">${summary}</div>
${index}
${r.model ? `<p>Model-based run: ${esc(modelLine(r.model))}</p>` : r.modelLeftOut ? `<p>Model-based run: ${esc(r.modelLeftOut)}</p>` : ''}
${r.baseline ? `<p>Changed since the baseline ${esc(r.baseline.file)}: ${r.baseline.differences} differences in ${r.baseline.testsDiffering} of ${r.baseline.testsCompared} tests${r.baseline.diffFiles?.length ? ` (see ${esc(r.baseline.diffFiles.find((f) => f.endsWith('.html')) ?? r.baseline.diffFiles[0]!)})` : ''}</p>` : ''}
<div class="filters">
  <label>Status <select id="status"><option value="">all</option>${statusesWorstFirst.map((s) => `<option value="${s}">${s}</option>`).join('')}</select></label>
  <label>Grade <select id="grade"><option value="">all</option><option>documented</option><option>recorded</option><option>inferred</option></select></label>
  <label>Clause <input id="text" type="search" placeholder="filter by id or text"></label>
  <span id="shown">${r.clauses.length} clauses</span>
</div>
<div class="indexes">${indexes}</div>
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
    const show = (!status || tr.dataset.status === status) && (!grade || tr.dataset.grade === grade) && (!text || tr.textContent.toLowerCase().includes(text));
    tr.hidden = !show;
    const detail = tr.nextElementSibling;
    if (detail && detail.classList.contains('detail')) detail.hidden = !show;
    if (show) shown++;
  }
  document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' clauses shown';
}
for (const tr of rows) {
  const details = tr.nextElementSibling.querySelector('details.tests');
  tr.addEventListener('click', () => { details.open = !details.open; });
}
for (const id of ['status', 'grade', 'text']) document.getElementById(id).addEventListener('input', render);
render();
</script>
</body>
</html>
`;
}

/** Statuses a reader comes for: their clauses are listed at the top, and the first few open. */
const BAD = new Set<Clause['status']>(['fail', 'unexpected-pass', 'advisory-fail', 'flaky']);
/** How many failing clauses are open when the page opens; the rest are a click (or the index) away. */
const OPEN_FAILING = 5;
/** The failing clauses whose exchanges are shown, the tests of each, and how many of a test's last exchanges; the rest are in conformance.json. */
const CLAUSES_WITH_EXCHANGES = 40;
const TESTS_WITH_EXCHANGES = 1;
const EXCHANGES_SHOWN = 2;
/** Headers that say nothing about the contract (signing, transport): left out of the page. */
const NOISE =
  /^(authorization|x-amz-date|x-amz-content-sha256|x-amz-security-token|host|date|server|connection|content-length|keep-alive|access-control-.*)$/i;
/** A message longer than this is cut in the page (whole in conformance.json). */
const MESSAGE_CHARS = 600;
/** How many of a clause's passing tests are listed by name. */
const PASSING_LISTED = 10;
/** How many of a clause's tests are listed in all. */
const TESTS_LISTED = 20;
/** How many of a clause's messages are shown whole (each cut at MESSAGE_CHARS); the rest by their first line. */
const MESSAGES_SHOWN = 3;

/** A clause's row, and under it its tests in a <details>: open for the first few failing clauses, folded for the rest. */
function clauseRows(c: Clause, open: boolean, exchanges: boolean): string {
  const passed = c.tests.filter((t) => t.state === 'passed').length;
  const count = `${passed}/${c.tests.length}${c.partial ? ` (partial: ${c.partial.selected} of ${c.partial.of} selected)` : ''}`;
  const head =
    `<tr class="clause" id="clause-${esc(c.id)}" data-status="${c.status}" data-clause="${esc(c.id)}" data-grade="${c.grade}" data-concern="${esc(c.concern)}">` +
    `<td class="st st-${c.status}">${c.status}</td><td><code>${esc(c.id)}</code></td><td>${c.grade}</td><td>${count}</td><td>${esc(c.statement)}</td></tr>`;
  let shown = 0;
  let passing = 0;
  let messages = 0;
  const tests: string[] = [];
  const unlisted = new Map<string, number>();
  for (const t of c.tests) {
    // Of those that passed, the first few are listed; of the rest, the first TESTS_LISTED; the
    // others are counted by status (conformance.json has every one).
    if (t.status === 'pass' && (passing += 1) > PASSING_LISTED) continue;
    if (tests.length >= TESTS_LISTED) {
      unlisted.set(t.status, (unlisted.get(t.status) ?? 0) + 1);
      continue;
    }
    const withExchanges = exchanges && Boolean(t.exchanges?.length) && shown < TESTS_WITH_EXCHANGES;
    if (withExchanges) shown += 1;
    // A clause's many failures mostly say one thing: the first few messages are shown, the rest by name.
    const withMessage = !t.message || (messages += 1) <= MESSAGES_SHOWN;
    tests.push(testBlock(t, withExchanges, withMessage));
  }
  if (passing > PASSING_LISTED) unlisted.set('pass', (unlisted.get('pass') ?? 0) + passing - PASSING_LISTED);
  if (unlisted.size) {
    tests.push(`<p>and ${[...unlisted].map(([s, n]) => `${n} more ${s}`).join(', ')} (conformance.json lists every test)</p>`);
  }
  const body = [c.reason ? `<p>${esc(c.reason)}</p>` : '', ...tests].join('\n');
  const summary = `${c.tests.length} test${c.tests.length === 1 ? '' : 's'}${c.reason ? `: ${esc(firstLineOf(c.reason, 160))}` : ''}`;
  return `${head}\n<tr class="detail"><td colspan="5"><details class="tests"${open ? ' open' : ''}><summary>${summary}</summary>${body || '<p>No test.</p>'}</details></td></tr>`;
}

const firstLineOf = (s: string, max: number) => {
  const line = s.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

function testBlock(t: Test, withExchanges: boolean, withMessage = true): string {
  const all = t.exchanges ?? [];
  const exchanges = withExchanges ? all.slice(-EXCHANGES_SHOWN) : [];
  const from = all.length - exchanges.length;
  const parts = [`<div class="test"><div><span class="st st-${t.status}">${t.status}</span> <code>${esc(t.fullName)}</code></div>`];
  const message =
    t.message && t.message.length > MESSAGE_CHARS ? `${t.message.slice(0, MESSAGE_CHARS)}… (whole in conformance.json)` : t.message;
  if (message && withMessage) parts.push(`<pre class="message">${escText(message)}</pre>`);
  else if (message) parts.push(`<div class="label">${escText(firstLineOf(message, 160))}</div>`);
  if (all.length > exchanges.length)
    parts.push(
      `<div class="label">${exchanges.length ? 'its earlier' : 'its last'} ${all.length - exchanges.length} exchange${all.length - exchanges.length === 1 ? '' : 's'}: in conformance.json</div>`,
    );
  if (t.observed) parts.push(`<div>observed: ${esc(t.observed)}</div>`);
  exchanges.forEach((x, i) => {
    // The last exchange a failing test made is the one its assertion judged, or the one it stopped on.
    const last = i === exchanges.length - 1;
    const failing = t.state === 'failed' && last;
    parts.push(exchangeBlock(x, from + i, all.length, failing, last ? t.curl?.[from + i] : undefined));
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
    `<div class="sides"><pre>${escText(request)}</pre><pre>${escText(response)}</pre></div>${curl ? `<pre>${escText(curl)}</pre>` : ''}</div>`
  );
}

const headerLines = (headers: Record<string, string | undefined>) =>
  Object.entries(headers)
    .filter(([k]) => !NOISE.test(k))
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

/** Escaped for an element's text (quotes need no escaping there). */
function escText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
