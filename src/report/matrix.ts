import { basename } from 'node:path';
/**
 * `swf-conformance matrix REPORT...`: clauses × implementations, as test262.fyi and wpt.fyi show
 * engines side by side. One column per report (its implementation and version, and the day of
 * the run), one row per clause, grouped by concern with its grade; each cell the clause's status
 * in that run. Markdown for a CI log or job summary, and one HTML page, rendered here, whose
 * script only filters by grade and concern.
 */
import type { ClauseStatus, ConformanceReport } from '../generated/types.ts';
import { spec } from '../contract/spec.ts';

const CELL: Record<ClauseStatus, string> = {
  pass: 'pass',
  fail: 'fail',
  'advisory-fail': 'advisory',
  'expected-fail': 'expected fail',
  'unexpected-pass': 'unexpected pass',
  flaky: 'flaky',
  'not-run': 'not run',
  'not-selected': 'not selected',
};

export interface MatrixColumn {
  heading: string;
  date: string;
  report: ConformanceReport;
}

/**
 * One column per report, headed by its implementation (else its target). Two columns never read
 * alike: the same heading is told apart by the target, then by the expectation file, then by
 * its place among the reports.
 */
export function columnsOf(reports: ConformanceReport[]): MatrixColumn[] {
  const columns = reports.map((report) => ({
    heading: report.implementation ?? report.target,
    date: report.startedAt.slice(0, 10),
    report,
  }));
  const clashing = (c: MatrixColumn) => columns.filter((o) => o.heading === c.heading && o.date === c.date).length > 1;
  const tellApart: ((c: MatrixColumn) => string | undefined)[] = [
    (c) => (c.report.implementation && c.report.implementation !== c.report.target ? c.report.target : undefined),
    (c) => (c.report.expectations ? `expect ${basename(c.report.expectations)}` : undefined),
  ];
  for (const by of tellApart) {
    const clash = columns.filter(clashing);
    for (const c of clash) {
      const more = by(c);
      if (more && !c.heading.includes(more)) c.heading = `${c.heading} · ${more}`;
    }
  }
  const seen = new Map<string, number>();
  for (const c of columns.filter(clashing)) {
    const key = `${c.heading}|${c.date}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    c.heading = `${c.heading} #${seen.get(key)}`;
  }
  return columns;
}

function rows() {
  const s = spec();
  const concerns = [...new Set(s.clauses.map((c) => c.concern))];
  return concerns.map((concern) => ({ concern, clauses: s.clauses.filter((c) => c.concern === concern) }));
}

const statusIn = (col: MatrixColumn, id: string): ClauseStatus | undefined => col.report.clauses.find((c) => c.id === id)?.status;

export function matrixMarkdown(columns: MatrixColumn[]): string {
  const md = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| clause | grade | ${columns.map((c) => `${md(c.heading)} (${c.date})`).join(' | ')} |`,
    `|---|---|${columns.map(() => '---').join('|')}|`,
  ];
  for (const { concern, clauses } of rows()) {
    lines.push(`| **${concern}** | | ${columns.map(() => '').join(' | ')} |`);
    for (const c of clauses)
      lines.push(
        `| \`${c.id}\` | ${c.grade} | ${columns
          .map((col) => {
            const s = statusIn(col, c.id);
            return s ? CELL[s] : 'not in the report';
          })
          .join(' | ')} |`,
      );
  }
  const totals = columns.map(
    (col) => `${col.report.summary.pass} pass, ${col.report.summary.fail} fail, ${col.report.summary['expected-fail']} expected fail`,
  );
  lines.push(`| **verdict** | | ${columns.map((col, i) => `${col.report.verdict} (${totals[i]})`).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function matrixHtml(columns: MatrixColumn[]): string {
  const groups = rows();
  const body = groups
    .map(({ concern, clauses }) =>
      [
        `<tr class="concern" data-concern="${esc(concern)}"><th colspan="${columns.length + 2}">${esc(concern)}</th></tr>`,
        ...clauses.map(
          (c) =>
            `<tr class="clause" data-concern="${esc(concern)}" data-grade="${c.grade}"><td><code>${esc(c.id)}</code></td><td>${c.grade}</td>${columns
              .map((col) => {
                const s = statusIn(col, c.id);
                return `<td class="st st-${s ?? 'none'}">${s ? CELL[s] : 'not in the report'}</td>`;
              })
              .join('')}</tr>`,
        ),
      ].join('\n'),
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>swf-conformance: ${columns.length} implementations</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #d0d7de; overflow-wrap: anywhere; }
  tr.concern th { background: #f6f8fa; padding-top: .8rem; }
  .st-pass { color: #116329; } .st-fail { color: #b3261e; font-weight: 600; } .st-advisory-fail { color: #9a6700; }
  .st-expected-fail, .st-not-run, .st-not-selected, .st-none { color: #57606a; } .st-unexpected-pass { color: #bc4c00; }
  .filters { margin: 1rem 0; display: flex; gap: 1rem; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<h1>swf-conformance: clauses × implementations</h1>
<div class="filters">
  <label>Grade <select id="grade"><option value="">all</option><option>documented</option><option>recorded</option><option>inferred</option></select></label>
  <label>Concern <select id="concern"><option value="">all</option>${groups.map((g) => `<option>${esc(g.concern)}</option>`).join('')}</select></label>
</div>
<table>
<thead><tr><th>clause</th><th>grade</th>${columns.map((c) => `<th>${esc(c.heading)}<br><small>${c.date} · ${esc(c.report.verdict)}</small></th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<script>
// Filters only: the page is whole without this.
function render() {
  const grade = document.getElementById('grade').value, concern = document.getElementById('concern').value;
  for (const tr of document.querySelectorAll('tr.clause')) tr.hidden = (grade && tr.dataset.grade !== grade) || (concern && tr.dataset.concern !== concern);
  for (const tr of document.querySelectorAll('tr.concern')) tr.hidden = Boolean(concern && tr.dataset.concern !== concern);
}
for (const id of ['grade', 'concern']) document.getElementById(id).addEventListener('input', render);
</script>
</body>
</html>
`;
}
