import { describe, expect, test } from 'vitest';
import { loadSpec } from '../../src/contract/spec.ts';
import { buildReport, expectationsFrom } from '../../src/report/conformance.ts';
import type { TestOutcome } from '../../src/report/results.ts';
import { toJunit } from '../../src/report/junit.ts';
import { toMarkdown } from '../../src/report/markdown.ts';

const spec = loadSpec();
const base = { target: 't', startedAt: new Date(0), durationMs: 1, strict: false, strictExpectations: false };
const outcome = (clause: string, state: TestOutcome['state'], extra: Partial<TestOutcome> = {}): TestOutcome => ({
  fullName: `suites/x.test.ts > ${clause} ${state}`, file: 'suites/x.test.ts', clauses: [clause],
  grade: spec.byId.get(clause)!.grade, state, durationMs: 1, ...(state === 'failed' ? { message: 'HTTP 500 <html>' } : {}), ...extra,
});
const statusOf = (r: ReturnType<typeof buildReport>, id: string) => r.clauses.find((c) => c.id === id)?.status;

describe('clause statuses', () => {
  test('a failed documented clause fails the run', () => {
    const r = buildReport(spec, [outcome('cancel.event.recorded', 'failed')], base);
    expect(statusOf(r, 'cancel.event.recorded')).toBe('fail');
    expect(r.conformant).toBe(false);
  });

  test('a failed inferred clause is advisory, and gates only in strict mode', () => {
    const outcomes = [outcome('terminate.event.no-cause', 'failed')];
    const relaxed = buildReport(spec, outcomes, base);
    expect([statusOf(relaxed, 'terminate.event.no-cause'), relaxed.conformant]).toEqual(['advisory-fail', true]);
    const strict = buildReport(spec, outcomes, { ...base, strict: true });
    expect([statusOf(strict, 'terminate.event.no-cause'), strict.conformant]).toEqual(['fail', false]);
  });

  test('a listed failure is expected; a listed pass is unexpected and gates only with strict expectations', () => {
    const expectations = { file: 'e.yaml', content: { implementation: 'x', expectations: [
      { clause: 'cancel.event.recorded', reason: 'not implemented at all' },
      { clause: 'terminate.state.closed', reason: 'closeTimestamp is null' },
    ] } };
    const outcomes = [outcome('cancel.event.recorded', 'failed'), outcome('terminate.state.closed', 'passed')];
    const r = buildReport(spec, outcomes, { ...base, expectations });
    expect([statusOf(r, 'cancel.event.recorded'), statusOf(r, 'terminate.state.closed'), r.conformant]).toEqual(['expected-fail', 'unexpected-pass', true]);
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
  const r = buildReport(spec, [outcome('cancel.event.recorded', 'failed', { exchanges: [{ at: 'now', request: { method: 'POST', url: 'http://h/', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=<redacted>' }, body: '{"a":"<&>"}' }, response: { status: 500, headers: {}, body: '<html>' } }] })], base);

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
    const file = expectationsFrom(r, 'x', { implementation: 'x', expectations: [{ clause: 'cancel.event.recorded', reason: 'a reason written by hand' }] });
    expect(file.expectations).toEqual([{ clause: 'cancel.event.recorded', reason: 'a reason written by hand', fault: 'HTTP 500' }]);
  });
});
