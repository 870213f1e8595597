/**
 * A diff of two recordings as a person and a CI system read it: a short summary for the console,
 * diff.json (the DiffResult), diff.md, and diff.html, server-rendered, with the two sides of each
 * difference next to each other.
 */
import { makeFolder } from '../contract/paths.ts';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiffResult, DiffSide } from './diff.ts';
import type { TestDifference as Difference } from './difference.ts';

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

/** The same difference (kind, operation, member and both values) seen this often is reported once, with its count. */
const REPEATED = 3;
const signature = (d: Difference) =>
  `${d.kind}|${d.operation ?? ''}|${d.at.replace(/\[\d+\]/g, '[]')}|${oneLine(d.expected, 200)}|${oneLine(d.actual, 200)}`;

/** Differences that recur across exchanges and tests, most frequent first, with how many and where first. */
export function repeatedDifferences(r: DiffResult): { example: Difference; count: number; tests: number }[] {
  const groups = new Map<string, Difference[]>();
  for (const d of r.differences) groups.set(signature(d), [...(groups.get(signature(d)) ?? []), d]);
  return [...groups.values()]
    .filter((list) => list.length >= REPEATED)
    .map((list) => ({ example: list[0]!, count: list.length, tests: new Set(list.map((d) => d.test)).size }))
    .sort((a, b) => b.count - a.count);
}

/** How many differences of each kind, and in the tests of each clause, most first. */
function counts(r: DiffResult): { kinds: [string, number][]; clauses: [string, number][] } {
  const kinds = new Map<string, number>();
  const clauses = new Map<string, number>();
  for (const d of r.differences) {
    kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
    for (const c of d.clauses) clauses.set(c, (clauses.get(c) ?? 0) + 1);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { kinds: sorted(kinds), clauses: sorted(clauses) };
}

export function summaryText(r: DiffResult, limit = 20): string {
  const lines = [
    `swf-conformance diff: A ${label(r.a)}`,
    `                      B ${label(r.b)}`,
    `${r.tests.compared} tests and ${r.exchanges} exchanges compared; ${r.differences.length} difference${r.differences.length === 1 ? '' : 's'} in ${r.tests.differing} test${r.tests.differing === 1 ? '' : 's'}` +
      `${r.tests.onlyA ? `; ${r.tests.onlyA} only in A` : ''}${r.tests.onlyB ? `; ${r.tests.onlyB} only in B` : ''}${r.options.ignore.length ? ` (ignoring ${r.options.ignore.join(', ')})` : ''}`,
  ];
  if (r.differences.length)
    lines.push(
      `by kind: ${counts(r)
        .kinds.map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  // A difference that recurs (the same media type on every answer) is said once, with its count.
  const repeated = repeatedDifferences(r);
  const once = new Set(repeated.map((g) => signature(g.example)));
  for (const g of repeated.slice(0, 10)) {
    const d = g.example;
    lines.push(
      `×${g.count} in ${g.tests} test${g.tests === 1 ? '' : 's'}: ${d.operation ? `${d.operation} ` : ''}${d.kind} at ${d.at}: A ${oneLine(d.expected, 60)} · B ${oneLine(d.actual, 60)}`,
    );
  }
  let shown = 0;
  for (const [test, all] of byTest(r)) {
    if (shown >= limit) break;
    const list = all.filter((d) => !once.has(signature(d)));
    if (!list.length) continue;
    lines.push(`✗ ${test}${list[0]!.clauses.length ? ` [${list[0]!.clauses.join(', ')}]` : ''}`);
    for (const d of list.slice(0, 4)) {
      lines.push(
        `    ${d.exchange ? `#${d.exchange} ${d.operation} ` : ''}${d.kind} at ${d.at}: A ${oneLine(d.expected, 60)} · B ${oneLine(d.actual, 60)}`,
      );
    }
    if (list.length > 4) lines.push(`    … ${list.length - 4} more`);
    shown += 1;
  }
  const rest = [...byTest(r).values()].filter((all) => all.some((d) => !once.has(signature(d)))).length - shown;
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
        `| ${d.exchange ?? ''} | ${d.operation ?? ''} | ${d.kind} | \`${md(d.at)}\` | ${md(oneLine(d.expected, 200))} | ${md(oneLine(d.actual, 200))} |`,
      );
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function toHtml(r: DiffResult): string {
  const anchor = (test: string) => `test-${createHash('sha256').update(test).digest('hex').slice(0, 12)}`;
  const { kinds, clauses } = counts(r);
  const repeated = repeatedDifferences(r);
  const overview = r.differences.length
    ? `<section id="summary">
<h2>By kind</h2>
<table class="counts"><tbody>${kinds.map(([k, n]) => `<tr><td>${esc(k)}</td><td class="n">${n}</td></tr>`).join('')}</tbody></table>
<h2>By clause (differences in the tests citing it)</h2>
<table class="counts"><tbody>${clauses.map(([c, n]) => `<tr><td><code>${esc(c)}</code></td><td class="n">${n}</td></tr>`).join('')}</tbody></table>
${repeated.length ? `<h2>Recurring (the same difference ${REPEATED} times or more)</h2><ul>${repeated.map((g) => `<li>×${g.count} in ${g.tests} tests: ${esc(g.example.operation ?? '')} ${esc(g.example.kind)} at <code>${esc(g.example.at)}</code>: A ${esc(oneLine(g.example.expected, 80))} · B ${esc(oneLine(g.example.actual, 80))}</li>`).join('')}</ul>` : ''}
<details><summary>The ${byTest(r).size} tests that differ</summary><ul>${[...byTest(r)].map(([t, l]) => `<li><a href="#${anchor(t)}">${esc(t)}</a> (${l.length})</li>`).join('')}</ul></details>
</section>`
    : '';
  let opened = 0;
  const sections = [...byTest(r)]
    .map(
      ([test, list]) => `
<section id="${anchor(test)}">
<details${((opened += 1)) <= 10 ? ' open' : ''}><summary><h2>${esc(test)} <small>(${list.length})</small></h2></summary>
<p class="clauses">Clauses: ${list[0]!.clauses.map((c) => `<code>${esc(c)}</code>`).join(', ') || '(none)'}</p>
<table>
<thead><tr><th class="n">#</th><th class="what">difference</th><th>A</th><th>B</th></tr></thead>
<tbody>
${list.map((d) => `<tr><td class="n">${d.exchange ?? ''}</td><td class="what"><strong>${esc(d.kind)}</strong><br>${esc(d.operation ?? '')}<br><code>${esc(d.at)}</code></td><td><pre>${esc(show(d.expected))}</pre></td><td><pre>${esc(show(d.actual))}</pre></td></tr>`).join('\n')}
</tbody>
</table>
</details>
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
  table.counts { width: auto; } table.counts td.n { text-align: right; }
  summary h2 { display: inline; } summary { cursor: pointer; }
</style>
</head>
<body>
<h1>swf-conformance diff: <span class="${r.differences.length ? 'differ' : 'agree'}">${r.differences.length ? `${r.differences.length} differences in ${r.tests.differing} tests` : 'the recordings agree'}</span></h1>
<p><strong>A</strong> ${esc(label(r.a))}<br><strong>B</strong> ${esc(label(r.b))}<br>
${r.tests.compared} tests and ${r.exchanges} exchanges compared; ${r.tests.onlyA} only in A, ${r.tests.onlyB} only in B; convergence tolerance ${r.options.toleranceMs} ms${r.options.ignore.length ? `; ignoring ${esc(r.options.ignore.join(', '))}` : ''}</p>
${overview}
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
