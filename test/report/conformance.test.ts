import { describe, expect, test } from 'vitest';
import { loadSpec } from '../../src/contract/spec.ts';
import { buildReport, expectationsFrom } from '../../src/report/conformance.ts';
import { cutAtWord, firstLine, type TestOutcome } from '../../src/report/results.ts';
import { toJunit } from '../../src/report/junit.ts';
import { toMarkdown } from '../../src/report/markdown.ts';

const spec = loadSpec();
const base = { target: 't', startedAt: new Date(0), durationMs: 1, strict: false, strictExpectations: false };
const outcome = (clause: string, state: TestOutcome['state'], extra: Partial<TestOutcome> = {}): TestOutcome => ({
  fullName: `suites/x.test.ts > ${clause} ${state}`,
  file: 'suites/x.test.ts',
  clauses: [clause],
  grade: spec.byId.get(clause)!.grade,
  state,
  durationMs: 1,
  ...(state === 'failed' ? { message: 'HTTP 500 <html>' } : {}),
  ...extra,
});
const statusOf = (r: ReturnType<typeof buildReport>, id: string) => r.clauses.find((c) => c.id === id)?.status;

describe('clause statuses', () => {
  test('a failed documented clause fails the run', () => {
    const r = buildReport(spec, [outcome('cancel.event.recorded', 'failed')], base);
    expect(statusOf(r, 'cancel.event.recorded')).toBe('fail');
    expect(r.conformant).toBe(false);
  });

  test('a failed inferred clause is advisory, and gates only in strict mode', () => {
    const outcomes = [outcome('cancel.decision-task.while-started', 'failed')];
    const relaxed = buildReport(spec, outcomes, base);
    expect([statusOf(relaxed, 'cancel.decision-task.while-started'), relaxed.conformant]).toEqual(['advisory-fail', true]);
    const strict = buildReport(spec, outcomes, { ...base, strict: true });
    expect([statusOf(strict, 'cancel.decision-task.while-started'), strict.conformant]).toEqual(['fail', false]);
  });

  test('a listed failure is expected; a listed pass is unexpected and gates only with strict expectations', () => {
    const expectations = {
      file: 'e.yaml',
      content: {
        implementation: 'x',
        expectations: [
          { clause: 'cancel.event.recorded', reason: 'not implemented at all' },
          { clause: 'terminate.state.closed', reason: 'closeTimestamp is null' },
        ],
      },
    };
    const outcomes = [outcome('cancel.event.recorded', 'failed'), outcome('terminate.state.closed', 'passed')];
    const r = buildReport(spec, outcomes, { ...base, expectations });
    expect([statusOf(r, 'cancel.event.recorded'), statusOf(r, 'terminate.state.closed'), r.conformant]).toEqual([
      'expected-fail',
      'unexpected-pass',
      true,
    ]);
    expect(buildReport(spec, outcomes, { ...base, expectations, strictExpectations: true }).conformant).toBe(false);
  });

  test('a skipped test is not run, with its reason, and never a pass', () => {
    const r = buildReport(spec, [outcome('fault.access.denied', 'skipped', { message: 'no restricted principal configured' })], base);
    const c = r.clauses.find((x) => x.id === 'fault.access.denied');
    expect([c?.status, c?.reason]).toEqual(['not-run', 'no restricted principal configured']);
    expect(r.summary.pass).toBe(0);
  });

  test('an untestable clause is not run, with its written reason', () => {
    const r = buildReport(spec, [], base);
    expect(r.clauses.find((c) => c.id === 'fault.throttling.envelope')?.reason).toMatch(/^untestable: /);
  });

  test('failures come first', () => {
    const r = buildReport(spec, [outcome('wire.success.empty-body', 'passed'), outcome('cancel.event.recorded', 'failed')], base);
    expect(r.clauses[0]?.id).toBe('cancel.event.recorded');
  });
});

describe('outputs', () => {
  const r = buildReport(
    spec,
    [
      outcome('cancel.event.recorded', 'failed', {
        exchanges: [
          {
            at: 'now',
            request: {
              method: 'POST',
              url: 'http://h/',
              headers: { authorization: 'AWS4-HMAC-SHA256 Credential=<redacted>' },
              body: '{"a":"<&>"}',
            },
            response: { status: 500, headers: {}, body: '<html>' },
          },
        ],
      }),
    ],
    base,
  );

  test('markdown shows the verdict and the failing clause first', () => {
    const md = toMarkdown(r);
    expect(md).toMatch(/NOT CONFORMANT/);
    expect(md.indexOf('cancel.event.recorded')).toBeLessThan(md.indexOf('wire.success.empty-body'));
  });

  test('junit has one testcase per test, with its clause ids, escaped', () => {
    const xml = toJunit(r);
    expect(xml.match(/<testcase /g)).toHaveLength(1);
    expect(xml).toContain('<property name="clause" value="cancel.event.recorded"/>');
    expect(xml).toContain('&lt;&amp;&gt;');
    expect(xml).not.toContain('"<&>"');
  });

  test('a failure carries a curl command that signs again instead of carrying credentials', () => {
    const curl = r.clauses[0]?.tests[0]?.curl?.[0] ?? '';
    expect(curl).toMatch(/^curl .*--aws-sigv4/);
    expect(curl).not.toMatch(/Credential=/);
  });

  test('an expectation file made from a run keeps earlier reasons', () => {
    const file = expectationsFrom(r, 'x', {
      implementation: 'x',
      expectations: [{ clause: 'cancel.event.recorded', reason: 'a reason written by hand' }],
    });
    expect(file.expectations).toEqual([{ clause: 'cancel.event.recorded', reason: 'a reason written by hand', fault: 'HTTP 500' }]);
  });
});

describe('the verdict is earned', () => {
  test('a run in which no test ran is incomplete, not conformant', () => {
    const r = buildReport(spec, [outcome('fault.access.denied', 'skipped', { message: 'no restricted principal configured' })], base);
    expect([r.verdict, r.conformant, r.errors]).toEqual(['incomplete', false, ['no test ran']]);
  });

  test('an error outside a test makes the run incomplete, even with every test passing', () => {
    const r = buildReport(spec, [outcome('cancel.event.recorded', 'passed')], { ...base, errors: ['suites/x.test.ts: cannot load'] });
    expect([r.verdict, r.conformant]).toEqual(['incomplete', false]);
  });

  test('a test the target did not answer is not run, not failed, and the run is incomplete; an interruption is named first', () => {
    const outcomes = [
      outcome('cancel.event.recorded', 'failed', { message: 'connect ECONNREFUSED 127.0.0.1:9', unreachable: true }),
      outcome('terminate.state.closed', 'passed'),
    ];
    const r = buildReport(spec, outcomes, { ...base, interrupted: 'SIGINT' });
    expect(statusOf(r, 'cancel.event.recorded')).toBe('not-run');
    expect(r.summary.fail).toBe(0);
    expect(r.verdict).toBe('incomplete');
    expect(r.errors[0]).toBe('interrupted by SIGINT');
    expect(r.errors[1]).toMatch(/^the target did not answer 1 test, first .*: connect ECONNREFUSED/);
  });

  test('clauses outside the selection are not selected, apart from not run', () => {
    const r = buildReport(spec, [outcome('terminate.state.closed', 'passed')], {
      ...base,
      selected: new Set(['terminate.state.closed', 'fault.access.denied']),
    });
    expect([statusOf(r, 'terminate.state.closed'), statusOf(r, 'fault.access.denied'), statusOf(r, 'cancel.event.recorded')]).toEqual([
      'pass',
      'not-run',
      'not-selected',
    ]);
    expect(r.summary['not-selected']).toBe(spec.clauses.length - 2);
    expect(r.verdict).toBe('conformant');
  });

  test('waits for lagging reads are summed up: the slowest, and those that never settled', () => {
    const r = buildReport(
      spec,
      [
        outcome('terminate.state.closed', 'passed', { convergence: { ms: 420, settled: true } }),
        outcome('cancel.state.cancel-requested', 'failed', { convergence: { ms: 2000, settled: false } }),
      ],
      base,
    );
    expect(r.convergence).toEqual({
      waits: 2,
      slowestMs: 2000,
      slowestTest: 'suites/x.test.ts > cancel.state.cancel-requested failed',
      unsettled: 1,
    });
  });
});

describe('failure text', () => {
  test('is cut at a word, never mid-word, and only where it is too long', () => {
    expect(cutAtWord('short enough', 40)).toBe('short enough');
    expect(cutAtWord('expected [ "OPEN", false ] to deeply equal [ "OPEN", true ]', 30)).toBe('expected [ "OPEN", false ] to…');
    expect(firstLine('response does not match:\n  events/0: must have required property', 80)).toBe('response does not match:');
  });
});

describe('a test citing several clauses', () => {
  test('is judged for each: an expectation on one clause does not excuse the other', () => {
    const expectations = {
      file: 'e.yaml',
      content: {
        implementation: 'x',
        expectations: [{ clause: 'child-policy.terminate.children-terminated', reason: 'no child policy is applied' }],
      },
    };
    const t = outcome('child-policy.terminate.children-terminated', 'failed', {
      clauses: ['child-policy.terminate.children-terminated', 'child-policy.source.request'],
    });
    const r = buildReport(spec, [t], { ...base, expectations });
    expect([statusOf(r, 'child-policy.terminate.children-terminated'), statusOf(r, 'child-policy.source.request'), r.verdict]).toEqual([
      'expected-fail',
      'fail',
      'not-conformant',
    ]);
  });

  test("by each clause's own grade", () => {
    const t = outcome('cancel.decision-task.while-started', 'failed', {
      clauses: ['cancel.decision-task.while-started', 'terminate.event.recorded'],
      grade: 'inferred',
    });
    const r = buildReport(spec, [t], base);
    expect([statusOf(r, 'cancel.decision-task.while-started'), statusOf(r, 'terminate.event.recorded')]).toEqual(['advisory-fail', 'fail']);
  });
});

test('a verdict judged with an expectation file is conformant to that file, with its known failures counted', async () => {
  const { verdictLabel } = await import('../../src/report/markdown.ts');
  const summary = { 'expected-fail': 81 } as never;
  expect(verdictLabel({ verdict: 'conformant', expectations: '/x/fixtures/expectations/moto.yaml', summary })).toBe(
    'CONFORMANT to moto.yaml (81 known failures)',
  );
  expect(verdictLabel({ verdict: 'not-conformant', expectations: 'moto.yaml', summary })).toBe(
    'NOT CONFORMANT to moto.yaml (81 known failures)',
  );
  expect(verdictLabel({ verdict: 'conformant', summary })).toBe('CONFORMANT');
  expect(verdictLabel({ verdict: 'incomplete', expectations: 'moto.yaml', summary })).toBe('INCOMPLETE (could not run)');
});

test('an HTML body in a Markdown cell is cut to its first line and escaped: no markup renders, no table breaks', async () => {
  const { cell } = await import('../../src/report/markdown.ts');
  expect(cell('HTTP 500 <!doctype html>\n<html><head><title>500 Internal Server Error</title></head>\n<body>boom</body></html>')).toBe(
    'HTTP 500 &lt;!doctype html&gt;',
  );
  expect(cell('a | b\nc')).toBe('a \\| b c');
  expect(cell('x < 3 && y > 2')).toBe('x &lt; 3 &amp;&amp; y &gt; 2');
});

test('a deep-equality failure names the members that differ, and their two values, on its first line', async () => {
  const { whatDiffers } = await import('../../src/report/results.ts');
  const diff = [
    '- Expected',
    '+ Received',
    '',
    '  {',
    '    "closeStatus": "TERMINATED",',
    '-   "executionStatus": "CLOSED",',
    '+   "executionStatus": "OPEN",',
    '    "workflowId": "w",',
    '  }',
  ].join('\n');
  expect(whatDiffers(diff)).toBe('- "executionStatus": "CLOSED" · + "executionStatus": "OPEN"');
  expect(whatDiffers('- Expected\n+ Received\n\n  "same"')).toBeUndefined();
});

test("a lagging read still waited for is said on the console; a test's other console lines are not", async () => {
  const { ResultsReporter } = await import('../../src/report/results.ts');
  const { WAITING_MARK } = await import('../../src/contract/protocol.ts');
  const printed: string[] = [];
  const reporter = new ResultsReporter(undefined, (line) => printed.push(line));
  reporter.onUserConsoleLog({
    content: `${WAITING_MARK}the execution is CLOSED: 5 s into the 30 s consistency window of a lagging read\n`,
  });
  reporter.onUserConsoleLog({ content: 'some debugging output of a test\n' });
  expect(printed).toEqual(['  … waiting: the execution is CLOSED: 5 s into the 30 s consistency window of a lagging read']);
});
