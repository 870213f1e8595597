/**
 * What ends a round of the model-based run, read from fast-check's own run details: a time limit
 * reached before any sequence ended is the time limit (fast-check reports it as a failure with no
 * error), never an error charged to every clause the run judges.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { Charged } from '../../src/model/commands.ts';
import { roundEnding } from '../../src/model/run.ts';

const slow = fc.asyncProperty(fc.integer(), async () => {
  await new Promise((done) => setTimeout(done, 200));
});

test('a time limit reached before the first sequence ended is the time limit', async () => {
  const details = await fc.check(slow, { numRuns: 5, interruptAfterTimeLimit: 50, markInterruptAsFailure: false });
  expect(
    details.failed && details.interrupted && details.errorInstance === null,
    JSON.stringify({ failed: details.failed, interrupted: details.interrupted }),
  ).toBe(true);
  expect(roundEnding(details)).toEqual({ kind: 'time limit' });
});

test('a difference, and an error with its first line', async () => {
  const differing = await fc.check(
    fc.asyncProperty(fc.integer(), async () => {
      throw new Charged({ clauses: ['cancel.event.recorded'], step: 's', at: 'o', actual: 't', expected: 'r' }, []);
    }),
    { numRuns: 1 },
  );
  expect(roundEnding(differing)).toMatchObject({ kind: 'difference', charged: { difference: { clauses: ['cancel.event.recorded'] } } });
  const broken = await fc.check(
    fc.asyncProperty(fc.integer(), async () => {
      throw new Error('socket hang up\nat somewhere');
    }),
    { numRuns: 1 },
  );
  expect(roundEnding(broken)).toEqual({ kind: 'error', message: 'socket hang up' });
  // Interrupted after a sequence failed with an error: still that error.
  expect(roundEnding({ interrupted: true, errorInstance: new Error('boom') })).toEqual({ kind: 'error', message: 'boom' });
});
