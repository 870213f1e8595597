import { expect, test } from 'vitest';
import type { DiffResult } from '../../src/recordings/diff.ts';
import type { TestDifference as Difference } from '../../src/recordings/difference.ts';
import { repeatedDifferences, summaryText, toHtml } from '../../src/recordings/render.ts';

/** A diff in which one media-type difference recurs on every exchange, and one test differs in its own way. */
const contentType = (test: string, exchange: number): Difference => ({
  test,
  clauses: ['wire.success.content-type'],
  exchange,
  operation: 'TerminateWorkflowExecution',
  kind: 'header',
  at: 'content-type',
  expected: 'application/x-amz-json-1.0',
  actual: 'text/html; charset=utf-8',
});
const differences: Difference[] = [
  ...Array.from({ length: 12 }, (_, i) => contentType(`suites/t.test.ts > test ${i % 4}`, i + 1)),
  {
    test: 'suites/t.test.ts > test 9',
    clauses: ['terminate.event.recorded'],
    exchange: 3,
    operation: 'GetWorkflowExecutionHistory',
    kind: 'member-changed',
    at: 'response.$.events[4].eventType',
    expected: 'WorkflowExecutionTerminated',
    actual: 'WorkflowExecutionCompleted',
  },
];
const diff: DiffResult = {
  a: { file: 'a.har.gz' },
  b: { file: 'b.har.gz' },
  options: { ignore: [], toleranceMs: 500 },
  tests: { compared: 10, differing: 5, onlyA: 0, onlyB: 0 },
  exchanges: 40,
  differences,
};

test('the console groups a recurring difference by kind, with its count, and lists the rest by test', () => {
  expect(repeatedDifferences(diff)).toEqual([expect.objectContaining({ count: 12, tests: 4 })]);
  const text = summaryText(diff);
  expect(text).toMatch(/^by kind: header 12, member-changed 1$/m);
  expect(text).toMatch(/^×12 in 4 tests: TerminateWorkflowExecution header at content-type/m);
  // Said once, not on every exchange.
  expect(text.match(/text\/html/g)).toHaveLength(1);
  expect(text).toMatch(
    /✗ suites\/t\.test\.ts > test 9 \[terminate\.event\.recorded\]\n {4}#3 GetWorkflowExecutionHistory member-changed at response/,
  );
});

test('diff.html opens on a summary by kind and clause, with an index of the tests', () => {
  const html = toHtml(diff);
  const summary = html.indexOf('id="summary"');
  expect(summary).toBeGreaterThan(0);
  expect(summary).toBeLessThan(html.indexOf('<section id="test-'));
  expect(html).toMatch(/<td>header<\/td><td class="n">12<\/td>/);
  expect(html).toMatch(/<code>wire\.success\.content-type<\/code><\/td><td class="n">12<\/td>/);
  expect(html.match(/<li><a href="#test-/g)).toHaveLength(5);
});
