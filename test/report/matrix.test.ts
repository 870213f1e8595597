import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadSpec } from '../../src/contract/spec.ts';
import { buildReport } from '../../src/report/conformance.ts';
import { columnsOf, matrixHtml, matrixMarkdown } from '../../src/report/matrix.ts';
import type { TestOutcome } from '../../src/report/results.ts';
import { runCli } from '../cli/helpers.ts';

/** Clauses × implementations: each cell the clause's status in that implementation's report. */
const spec = loadSpec();
const outcome = (clause: string, state: TestOutcome['state']): TestOutcome => ({
  fullName: `suites/x.test.ts > ${clause}`,
  file: 'suites/x.test.ts',
  clauses: [clause],
  grade: spec.byId.get(clause)!.grade,
  state,
  durationMs: 1,
});
const report = (
  implementation: string,
  outcomes: TestOutcome[],
  extra: Parameters<typeof buildReport>[2] extends infer O ? Partial<O> : never = {},
) =>
  buildReport(spec, outcomes, {
    target: 'http://127.0.0.1:1',
    implementation,
    startedAt: new Date('2026-11-30T10:00:00Z'),
    durationMs: 1,
    strict: false,
    strictExpectations: false,
    ...extra,
  });
const dir = mkdtempSync(join(tmpdir(), 'swf-conformance-matrix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the implementations matrix', () => {
  const a = report('alpha 1.0', [
    outcome('cancel.event.recorded', 'passed'),
    outcome('terminate.event.recorded', 'failed'),
    outcome('runid.explicit.exact', 'failed'),
  ]);
  const b = report('beta 2.3', [outcome('cancel.event.recorded', 'failed'), outcome('terminate.event.recorded', 'passed')], {
    expectations: {
      file: 'beta.yaml',
      content: { implementation: 'beta 2.3', expectations: [{ clause: 'cancel.event.recorded', reason: 'known' }] },
    },
    selected: new Set(['cancel.event.recorded', 'terminate.event.recorded']),
  });
  const columns = columnsOf([a, b]);

  test('Markdown: a column per implementation with its version and date, a cell per clause, concerns as groups', () => {
    const md = matrixMarkdown(columns);
    expect(md.split('\n')[0]).toBe('| clause | grade | alpha 1.0 (2026-11-30) | beta 2.3 (2026-11-30) |');
    expect(md).toContain('| `cancel.event.recorded` | documented | pass | expected fail |');
    expect(md).toContain('| `terminate.event.recorded` | documented | fail | pass |');
    expect(md).toContain('| `runid.explicit.exact` | inferred | advisory | not selected |');
    expect(md).toMatch(/\| `cancel\.state\.stays-open` \| documented \| not run \| not selected \|/);
    for (const concern of new Set(spec.clauses.map((c) => c.concern))) expect(md).toContain(`| **${concern}** |`);
  });

  test('HTML: rendered rows for every clause, with grade and concern to filter by', () => {
    const html = matrixHtml(columns);
    expect(html.match(/<tr class="clause"/g)).toHaveLength(spec.clauses.length);
    expect(html).toContain('<td class="st st-expected-fail">expected fail</td>');
    expect(html).toMatch(/<select id="concern">.*<option>child-policy<\/option>/s);
  });

  test('the CLI: report folders in, matrix.md and matrix.html out; a file that is no report is refused in one line', async () => {
    for (const [name, r] of [
      ['a', a],
      ['b', b],
    ] as const) {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, 'conformance.json'), JSON.stringify(r));
    }
    const res = await runCli(['matrix', join(dir, 'a'), join(dir, 'b'), '--out', join(dir, 'out')]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('alpha 1.0 (2026-11-30)');
    expect(readFileSync(join(dir, 'out', 'matrix.md'), 'utf8')).toBe(matrixMarkdown(columns));
    writeFileSync(join(dir, 'not-a-report.json'), '{"verdict": 3}');
    const bad = await runCli(['matrix', join(dir, 'not-a-report.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/not a conformance report/);
  });
});

test('no two columns are headed alike: the target, then the expectation file, then a number tells them apart', () => {
  const moto = report('moto 5.2.1', [], { target: 'swf-conformance/moto:local' });
  const motoProcess = report('moto 5.2.1', [], { target: 'http://127.0.0.1:5000' });
  const twice = [
    report('reference 0.1.0', [], { target: 'embedded reference' }),
    report('reference 0.1.0', [], { target: 'embedded reference' }),
  ];
  const headings = columnsOf([moto, motoProcess, ...twice]).map((c) => c.heading);
  expect(new Set(headings).size).toBe(headings.length);
  expect(headings[0]).toBe('moto 5.2.1 · swf-conformance/moto:local');
  expect(headings[1]).toBe('moto 5.2.1 · http://127.0.0.1:5000');
  expect(headings.slice(2)).toEqual(['reference 0.1.0 · embedded reference #1', 'reference 0.1.0 · embedded reference #2']);
  // A lone column keeps its plain heading.
  expect(columnsOf([moto]).map((c) => c.heading)).toEqual(['moto 5.2.1']);
});
