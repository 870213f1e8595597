/**
 * A diff of two recordings as a person and a CI system read it: a short summary for the console,
 * diff.json (the DiffResult), diff.md, and diff.html, server-rendered, with the two sides of each
 * difference next to each other.
 */
import { makeFolder } from '../contract/paths.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Difference, DiffResult, DiffSide } from './diff.ts';

const label = (s: DiffSide) => (s.header ? `${s.file} (${s.header.target}, ${s.header.date})` : s.file);
const show = (v: unknown): string => (v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v, null, 2));
const oneLine = (v: unknown, max = 100): string => {
  const s = v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

/** Differences grouped by test, in the order they were found. */
function byTest(r: DiffResult): Map<string, Difference[]> {
  const groups = new Map<string, Difference[]>();
  for (const d of r.differences) groups.set(d.test, [...(groups.get(d.test) ?? []), d]);
  return groups;
}

export function summaryText(r: DiffResult, limit = 20): string {
  const lines = [
    `swf-conformance diff: A ${label(r.a)}`,
    `                      B ${label(r.b)}`,
    `${r.tests.compared} tests and ${r.exchanges} exchanges compared; ${r.differences.length} difference${r.differences.length === 1 ? '' : 's'} in ${r.tests.differing} test${r.tests.differing === 1 ? '' : 's'}` +
      `${r.tests.onlyA ? `; ${r.tests.onlyA} only in A` : ''}${r.tests.onlyB ? `; ${r.tests.onlyB} only in B` : ''}${r.options.ignore.length ? ` (ignoring ${r.options.ignore.join(', ')})` : ''}`,
  ];
  let shown = 0;
  for (const [test, list] of byTest(r)) {
    if (shown >= limit) break;
    lines.push(`✗ ${test}${list[0]!.clauses.length ? ` [${list[0]!.clauses.join(', ')}]` : ''}`);
    for (const d of list.slice(0, 4)) {
      lines.push(
        `    ${d.exchange ? `#${d.exchange} ${d.operation} ` : ''}${d.kind} at ${d.at}: A ${oneLine(d.a, 60)} · B ${oneLine(d.b, 60)}`,
      );
    }
    if (list.length > 4) lines.push(`    … ${list.length - 4} more`);
    shown += 1;
  }
  const rest = byTest(r).size - shown;
  if (rest > 0) lines.push(`… ${rest} more test${rest === 1 ? '' : 's'} differ; see diff.md`);
  return `${lines.join('\n')}\n`;
}

export function toMarkdown(r: DiffResult): string {
  const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out = [
    '# swf-conformance diff',
    '',
    `- **A**: ${label(r.a)}`,
    `- **B**: ${label(r.b)}`,
    `- ${r.tests.compared} tests and ${r.exchanges} exchanges compared; **${r.differences.length} differences** in ${r.tests.differing} tests; ${r.tests.onlyA} only in A, ${r.tests.onlyB} only in B`,
    `- convergence tolerance ${r.options.toleranceMs} ms${r.options.ignore.length ? `; ignoring ${r.options.ignore.join(', ')}` : ''}`,
    '',
  ];
  if (!r.differences.length) return `${[...out, 'The recordings agree.'].join('\n')}\n`;
  const kinds = new Map<string, number>();
  for (const d of r.differences) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
  out.push('| kind | differences |', '|---|---|', ...[...kinds].map(([k, n]) => `| ${k} | ${n} |`), '');
  for (const [test, list] of byTest(r)) {
    out.push(
      `## ${md(test)}`,
      '',
      `Clauses: ${list[0]!.clauses.map((c) => `\`${c}\``).join(', ') || '(none)'}`,
      '',
      '| # | operation | kind | at | A | B |',
      '|---|---|---|---|---|---|',
    );
    for (const d of list)
      out.push(
        `| ${d.exchange ?? ''} | ${d.operation ?? ''} | ${d.kind} | \`${md(d.at)}\` | ${md(oneLine(d.a, 200))} | ${md(oneLine(d.b, 200))} |`,
      );
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function toHtml(r: DiffResult): string {
  const sections = [...byTest(r)]
    .map(
      ([test, list]) => `
<section>
<h2>${esc(test)}</h2>
<p class="clauses">Clauses: ${list[0]!.clauses.map((c) => `<code>${esc(c)}</code>`).join(', ') || '(none)'}</p>
<table>
<thead><tr><th class="n">#</th><th class="what">difference</th><th>A</th><th>B</th></tr></thead>
<tbody>
${list.map((d) => `<tr><td class="n">${d.exchange ?? ''}</td><td class="what"><strong>${esc(d.kind)}</strong><br>${esc(d.operation ?? '')}<br><code>${esc(d.at)}</code></td><td><pre>${esc(show(d.a))}</pre></td><td><pre>${esc(show(d.b))}</pre></td></tr>`).join('\n')}
</tbody>
</table>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>swf-conformance diff: ${r.differences.length} differences</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; max-width: 100%; }
  h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin-top: 1.6rem; overflow-wrap: anywhere; }
  table { border-collapse: collapse; width: 100%; table-layout: fixed; }
  th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; overflow-wrap: anywhere; }
  th.n, td.n { width: 2.5rem; } th.what, td.what { width: 16rem; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; background: #f6f8fa; padding: .4rem; font-size: 12px; max-height: 24rem; overflow-y: auto; }
  code { font-family: ui-monospace, monospace; font-size: 12px; }
  .agree { color: #116329; } .differ { color: #b3261e; }
</style>
</head>
<body>
<h1>swf-conformance diff: <span class="${r.differences.length ? 'differ' : 'agree'}">${r.differences.length ? `${r.differences.length} differences in ${r.tests.differing} tests` : 'the recordings agree'}</span></h1>
<p><strong>A</strong> ${esc(label(r.a))}<br><strong>B</strong> ${esc(label(r.b))}<br>
${r.tests.compared} tests and ${r.exchanges} exchanges compared; ${r.tests.onlyA} only in A, ${r.tests.onlyB} only in B; convergence tolerance ${r.options.toleranceMs} ms${r.options.ignore.length ? `; ignoring ${esc(r.options.ignore.join(', '))}` : ''}</p>
${sections}
</body>
</html>
`;
}

/** Writes diff.json, diff.md and diff.html into the folder; returns their paths. */
export function writeDiff(dir: string, r: DiffResult): string[] {
  makeFolder(dir);
  const files: [string, string][] = [
    ['diff.json', `${JSON.stringify(r, null, 2)}\n`],
    ['diff.md', toMarkdown(r)],
    ['diff.html', toHtml(r)],
  ];
  return files.map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  });
}
