import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runMain } from './helpers.ts';

/** Names as `list` prints them select their tests; what names no test is refused; a clause partly selected says so. */
const dir = mkdtempSync(join(tmpdir(), 'swf-conformance-selection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nameWithParens =
  'RequestCancelWorkflowExecution on a live execution > workflowId at maxLength (256 ASCII): acts on the execution, and reads back as sent';

describe('selecting tests by name', () => {
  test('--test takes a name as list prints it, parentheses and " > " included, and its clauses show as partly selected', async () => {
    const listed = await runMain(['list']);
    expect(listed.stdout).toContain(nameWithParens);
    const report = join(dir, 'by-name');
    const res = await runMain(['run', '--test', nameWithParens, '--report', report], { timeoutMs: 60_000 });
    expect(res.code, res.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as {
      summary: { tests: number };
      clauses: { id: string; status: string; partial?: { selected: number; of: number } }[];
    };
    expect(json.summary.tests).toBe(1);
    const judged = json.clauses.filter((c) => c.status !== 'not-selected');
    expect(judged.length).toBeGreaterThan(0);
    for (const c of judged) expect(c.partial, c.id).toMatchObject({ selected: 1 });
    // The selection, read from the battery's index, is the test that ran and its clauses.
    expect(res.stdout).toContain(`swf-conformance: 1 test of ${judged.length} clause${judged.length === 1 ? '' : 's'} selected\n`);
    expect(judged.every((c) => c.partial!.of > 1)).toBe(true);
    expect(readFileSync(join(report, 'conformance.md'), 'utf8')).toMatch(/\(partial: 1 of \d+ selected\)/);
    expect(res.stdout).toMatch(/partly selected/);
  }, 60_000);

  test('--grep understands " > " between describe blocks, as list prints names', async () => {
    const report = join(dir, 'by-grep');
    const res = await runMain(
      [
        'run',
        '--grep',
        'RequestCancelWorkflowExecution > on a run started fresh, runId given: it acts on that run alone',
        '--report',
        report,
      ],
      { timeoutMs: 60_000 },
    );
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')).summary.tests).toBe(1);
    expect(res.stdout).toMatch(/swf-conformance: 1 test of \d+ clauses? selected\n/);
  }, 60_000);

  test('a name no test has, --grep with --test, and an expectation naming an unknown test: one line, exit 2', async () => {
    const expectations = join(dir, 'unknown-test.yaml');
    writeFileSync(
      expectations,
      'implementation: x\nexpectations:\n  - test: "suites/cancel.test.ts > no such test"\n    reason: a test that was renamed\n',
    );
    for (const [args, message] of [
      [['run', '--test', 'no such test'], /--test no such test: no test has that name/],
      [['run', '--test', nameWithParens, '--grep', 'x'], /--grep and --test cannot be combined/],
      [['run', '--expect', expectations], /names unknown test\(s\): suites\/cancel\.test\.ts > no such test/],
    ] as const) {
      const res = await runMain([...args]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(message);
    }
  });
});
