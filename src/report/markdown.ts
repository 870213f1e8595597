import { basename } from 'node:path';
import { paint } from './colour.ts';
import type { ClauseReport, ConformanceReport } from './conformance.ts';
import { firstLine } from './results.ts';
import { counterexampleText, modelLine, reachRows } from '../model/text.ts';

const icon: Record<ClauseReport['status'], string> = {
  fail: '❌ fail',
  'unexpected-pass': '⚠️ unexpected pass',
  'advisory-fail': '🟡 advisory fail',
  'expected-fail': '➖ expected fail',
  flaky: '🔁 flaky',
  'not-run': '⏭️ not run',
  pass: '✅ pass',
  'not-selected': '· not selected',
};

export const verdictText: Record<ConformanceReport['verdict'], string> = {
  conformant: 'CONFORMANT',
  'not-conformant': 'NOT CONFORMANT',
  incomplete: 'INCOMPLETE (could not run)',
};

/**
 * The verdict as it must be read: judged with an expectation file, a run is conformant to that
 * file, its known failures allowed, not conformant outright: "CONFORMANT to moto.yaml (81 known failures)".
 */
export function verdictLabel(
  r: Pick<ConformanceReport, 'verdict' | 'expectations' | 'summary'>,
  words: Record<ConformanceReport['verdict'], string> = verdictText,
): string {
  if (!r.expectations || r.verdict === 'incomplete') return words[r.verdict];
  const known = r.summary['expected-fail'];
  return `${words[r.verdict]} to ${basename(r.expectations)} (${known} known failure${known === 1 ? '' : 's'})`;
}

/**
 * Text for a Markdown table cell or line: an HTML or plain-text body an implementation answered
 * is cut to its first line, and markup is escaped, so that a page's tags never render in a job
 * summary; pipes and newlines cannot break the table.
 */
export const cell = (s: string) => {
  const text = /<(!doctype|html|head|body|h\d|p|pre|title)\b/i.test(s) ? (s.split('\n').find((l) => l.trim()) ?? '') : s;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\n/g, ' ');
};

/** The matrix as Markdown, failures first: short enough for a CI job summary. */
export function toMarkdown(r: ConformanceReport): string {
  const s = r.summary;
  const lines = [
    `## swf-conformance: ${verdictLabel(r)}`,
    '',
    `Target: \`${r.target}\`${r.implementation ? ` (${r.implementation})` : ''} · ${s.clauses} clauses, ${s.tests} tests · ${(r.durationMs / 1000).toFixed(1)} s${r.strict ? ' · strict' : ''}${r.expectations ? ` · expectations: \`${r.expectations}\`` : ''}`,
    '',
    `| pass | fail | advisory fail | expected fail | unexpected pass | not run | not selected |`,
    `|---:|---:|---:|---:|---:|---:|---:|`,
    `| ${s.pass} | ${s.fail} | ${s['advisory-fail']} | ${s['expected-fail']} | ${s['unexpected-pass']} | ${s['not-run']} | ${s['not-selected']} |`,
    '',
  ];
  if (s.flaky)
    lines.push(
      `**Flaky:** ${s.flaky} clause${s.flaky === 1 ? '' : 's'} had a test that failed, then passed when run once more: neither a pass nor a failure (see below).`,
      '',
    );
  if (r.errors.length) lines.push('### Why the run is incomplete', '', ...r.errors.map((e) => `- ${cell(e)}`), '');
  if (r.notImplemented?.length)
    lines.push(
      '### Not implemented by the target',
      '',
      ...notImplementedLines(r.notImplemented)
        .slice(1)
        .map((l) => `- ${cell(l)}`),
      '',
    );
  if (r.warnings?.length) lines.push(...r.warnings.map((w) => `> **Warning:** ${cell(w)}`), '');
  if (r.cleanup?.left)
    lines.push(
      `**Cleanup:** ${r.cleanup.left} executions may still be open; finish with \`swf-conformance cleanup --ledger ${r.cleanup.ledger}\``,
      '',
    );
  lines.push('| status | clause | grade | tests | detail |', '|---|---|---|---:|---|');
  for (const c of r.clauses.filter((c) => c.status !== 'not-selected')) {
    const failing = c.tests.find((t) => t.state === 'failed');
    const flaky = c.tests.find((t) => t.flaky !== undefined);
    const detail =
      c.status === 'pass' ? '' : c.status === 'flaky' && flaky ? `flaky: ${flaky.message}` : (c.reason ?? failing?.message ?? '');
    const passed = c.tests.filter((t) => t.state === 'passed').length;
    const count = c.partial
      ? `${passed}/${c.tests.length} (partial: ${c.partial.selected} of ${c.partial.of} selected)`
      : `${passed}/${c.tests.length}`;
    lines.push(`| ${icon[c.status]} | \`${c.id}\` | ${c.grade} | ${count} | ${cell(firstLine(detail, 300))} |`);
  }
  const observed = r.clauses.flatMap((c) =>
    c.tests.filter((t) => t.observed).map((t) => `- \`${c.id}\` ${cell(t.fullName.split(' > ').slice(1).join(' > '))}: ${t.observed}`),
  );
  if (observed.length) lines.push('', '### Observed (report-only clauses)', '', ...[...new Set(observed)]);
  if (r.model)
    lines.push(
      '',
      '### Model-based run',
      '',
      modelLine(r.model),
      ...r.model.found.flatMap((c) => ['', '```', counterexampleText(c), '```']),
      ...(r.model.reached
        ? [
            '',
            '| clause | sequences that reached it |',
            '|---|---:|',
            ...reachRows(r.model).map(([c, n]) => `| \`${c}\` | ${n || '**none**'} |`),
          ]
        : []),
    );
  else if (r.modelLeftOut) lines.push('', '### Model-based run', '', r.modelLeftOut);
  if (r.baseline) lines.push('', '### Changed since the baseline', '', baselineLine(r.baseline), ...baselineRows(r.baseline));
  return `${lines.join('\n')}\n`;
}

/** The lines printed at the end of a run: the counts, then every clause that is not a pass. */
export function toConsole(r: ConformanceReport): string {
  const s = r.summary;
  const selection = s['not-selected'] ? ` · ${s['not-selected']} not selected` : '';
  const lines = [
    '',
    `swf-conformance against ${r.target}: ${paint(r.verdict === 'conformant' ? 'green' : r.verdict === 'not-conformant' ? 'red' : 'yellow', verdictLabel(r))}`,
    `  ${s.pass} pass · ${s.fail} fail · ${s['advisory-fail']} advisory fail · ${s['expected-fail']} expected fail · ${s['unexpected-pass']} unexpected pass · ${s['not-run']} not run${s.flaky ? ` · ${s.flaky} flaky` : ''}${selection}  (${s.clauses} clauses, ${s.tests} test${s.tests === 1 ? '' : 's'}, ${(r.durationMs / 1000).toFixed(1)} s)`,
  ];
  // When no test ran, a line per clause would only repeat that.
  // In a run that did not complete, "not run" says nothing the errors do not; failures still show.
  const notPass = r.clauses.filter(
    (c) => c.status !== 'pass' && c.status !== 'not-selected' && !(r.verdict === 'incomplete' && c.status === 'not-run'),
  );
  if (notPass.length) lines.push('');
  for (const c of notPass) {
    const failing = c.tests.find((t) => t.state === 'failed') ?? c.tests.find((t) => t.flaky !== undefined);
    lines.push(`  ${c.status.padEnd(16)} ${c.id.padEnd(52)} ${firstLine(c.reason ?? failing?.message ?? '', 110)}`);
  }
  if (r.notImplemented?.length) lines.push('', ...notImplementedLines(r.notImplemented).map((l) => `  ${l}`));
  const partial = r.clauses.filter((c) => c.partial && c.status !== 'not-selected');
  if (partial.length)
    lines.push(
      '',
      `  ${partial.length} clause${partial.length === 1 ? ' was' : 's were'} partly selected (${partial
        .slice(0, 3)
        .map((c) => `${c.id} ${c.partial!.selected} of ${c.partial!.of}`)
        .join(', ')}${partial.length > 3 ? ', …' : ''}): a status speaks for the selected tests alone`,
    );
  const c = r.convergence;
  if (c)
    lines.push(
      '',
      `  waited for lagging reads in ${c.waits} tests; slowest ${(c.slowestMs / 1000).toFixed(2)} s (${c.slowestTest})${c.unsettled ? `; ${c.unsettled} never settled within the consistency window` : ''}`,
    );
  if (r.calls) {
    const entries = Object.entries(r.calls);
    const total = entries.reduce((n, [, k]) => n + (k ?? 0), 0);
    lines.push('', `  requests sent by the tests: ${total} (${entries.map(([op, k]) => `${op} ${k}`).join(', ')})`);
  }
  if (r.model) lines.push('', `  model-based run: ${modelLine(r.model)}`);
  else if (r.modelLeftOut) lines.push('', `  model-based run: ${r.modelLeftOut}`);
  if (r.baseline) lines.push('', `  changed since the baseline: ${baselineLine(r.baseline)}`);
  for (const w of r.warnings ?? []) lines.push(`  warning: ${w}`);
  for (const e of r.errors) lines.push(`  incomplete: ${e}`);
  if (r.cleanup?.left)
    lines.push(
      `  cleanup: ${r.cleanup.left} executions may still be open; finish with: swf-conformance cleanup --ledger ${r.cleanup.ledger}`,
    );
  return `${lines.join('\n')}\n`;
}

type Baseline = NonNullable<ConformanceReport['baseline']>;

function baselineLine(b: Baseline): string {
  return b.differences
    ? `${b.differences} difference${b.differences === 1 ? '' : 's'} in ${b.testsDiffering} of ${b.testsCompared} tests since ${b.file}${b.diffFiles?.length ? ` (${b.diffFiles.join(', ')})` : ''}`
    : `none: the ${b.testsCompared} tests answered as in ${b.file}`;
}

function baselineRows(b: Baseline): string[] {
  if (!b.changes.length) return [];
  return [
    '',
    '| test | # | kind | at | baseline | now |',
    '|---|---:|---|---|---|---|',
    ...b.changes.map(
      (c) => `| ${cell(c.test)} | ${c.exchange ?? ''} | ${c.kind} | \`${cell(c.at)}\` | ${cell(c.baseline ?? '')} | ${cell(c.now ?? '')} |`,
    ),
  ];
}

/** The operations the target answered HTTP 501 to: a heading line, then one line per operation with the clauses it cut short. */
function notImplementedLines(list: NonNullable<ConformanceReport['notImplemented']>): string[] {
  return [
    'the target does not implement (HTTP 501 NotImplemented):',
    ...list.map(
      (o) =>
        `${o.operation}: ${o.tests} test${o.tests === 1 ? '' : 's'} cut short, in ${o.clauses.length} clause${o.clauses.length === 1 ? '' : 's'} (${o.clauses.slice(0, 4).join(', ')}${o.clauses.length > 4 ? ', …' : ''})`,
    ),
  ];
}
