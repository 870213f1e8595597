/**
 * Values drawn from the schemas (src/contract/values.ts), for both operations, on live executions:
 * an accepted value is stored exactly, a value within bounds of any class is accepted, one past its
 * bounds is refused and changes nothing, and an identifier that almost matches never does. Drawn
 * with the run's seed: `--seed N` draws the same values again. A failure names the class and the
 * value, and the seed that draws it.
 */
import fc from 'fast-check';
import { describe } from 'vitest';
import { identifierClasses, nearMiss, tooLongValue, validValue, type DrawnValue, type NearMissKind } from '../src/contract/values.ts';
import { cites, expect, it, operationsUnderTest, type OperationUnderTest, type Scenario } from '../src/harness/battery.ts';
import { expectFault, expectRejected, expectReachedLookup, expectSuccess } from '../src/harness/wire.ts';

/** Each property's draws: few, since each is a live execution on the target. */
const RUNS = 4;
const inputOf = (op: OperationUnderTest) => `${op}Input`;
/** The property's fast-check settings: the run's seed (offset per property), no shrinking (each try costs requests). */
const settings = (swf: Scenario, offset: number) => ({
  seed: (swf.config.model.seed + offset) | 0,
  numRuns: RUNS,
  endOnFailure: true,
  includeErrorInReport: true,
});

/** A live execution whose workflowId ends with a drawn value of an identifier class: the run's prefix keeps it the run's own. */
async function startDrawn(swf: Scenario, drawn: string) {
  const prefix = swf.id('v');
  const room = 256 - prefix.length - 1;
  return swf.start({ workflowId: `${prefix}-${[...drawn].slice(0, room).join('')}` });
}

const show = (v: unknown) => JSON.stringify(v)?.slice(0, 300);

it('reason and details of every class are stored exactly in the event', cites('terminate.event.reason-details'), async ({ swf }) => {
  const shape = inputOf('TerminateWorkflowExecution');
  await fc.assert(
    fc.asyncProperty(validValue(shape, 'reason'), validValue(shape, 'details', { maxLength: 4_096 }), async (reason, details) => {
      const run = await swf.start();
      expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId, reason: reason.value, details: details.value }));
      const attributes = (await swf.historyWith(run, 'WorkflowExecutionTerminated')).at(-1)?.workflowExecutionTerminatedEventAttributes;
      expect(
        [attributes?.reason, attributes?.details],
        `reason of class ${reason.valueClass} ${show(reason.value)}, details of class ${details.valueClass}`,
      ).toEqual([reason.value, details.value]);
    }),
    settings(swf, 1),
  );
});

describe.for(operationsUnderTest)('%s', (op) => {
  const shape = inputOf(op);

  it(
    'a value of any class within its bounds reaches the lookup, in every member at once',
    cites('input.length.within-accepted'),
    async ({ swf }) => {
      const members =
        op === 'TerminateWorkflowExecution'
          ? { reason: validValue(shape, 'reason'), details: validValue(shape, 'details', { maxLength: 2_048 }) }
          : {};
      // The workflowId is the run's (the suite acts on nothing else) with a drawn tail as long as the rest allows.
      const prefix = `${swf.id('v')}-`;
      const tail = validValue(shape, 'workflowId', { maxLength: 256 - prefix.length });
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            workflowId: tail.map((v) => ({ ...v, value: `${prefix}${v.value}` })),
            runId: validValue(shape, 'runId'),
            ...members,
          }),
          async (record) => {
            const drawn = Object.entries(record as Record<string, DrawnValue>);
            const body = { domain: swf.domain, ...Object.fromEntries(drawn.map(([k, v]) => [k, v.value])) };
            const res = await swf.send(op, body);
            expect(
              res.status,
              `${drawn.map(([k, v]) => `${k} of class ${v.valueClass}`).join(', ')}: ${res.text.slice(0, 300)}`,
            ).toBeLessThan(500);
            expectReachedLookup(res);
          },
        ),
        settings(swf, 2),
      );
    },
  );

  it(
    'one or two members past their bounds are refused, and the execution does not change',
    cites('input.length.outside-rejected'),
    async ({ swf }) => {
      const members = ['workflowId', 'runId', ...(op === 'TerminateWorkflowExecution' ? ['reason', 'details'] : [])];
      const longs = fc
        .uniqueArray(fc.constantFrom(...members), { minLength: 1, maxLength: 2 })
        .chain((picked) => fc.tuple(...picked.map((m) => tooLongValue(shape, m).map((v) => [m, v] as const))));
      await fc.assert(
        fc.asyncProperty(longs, async (picked) => {
          const run = await swf.start();
          const before = await swf.history(run);
          const res = await swf.send(op, {
            domain: swf.domain,
            workflowId: run.workflowId,
            ...Object.fromEntries(picked.map(([m, v]) => [m, v.value])),
          });
          const named = picked.map(([m, v]) => `${m} of class ${v.valueClass}, ${[...v.value].length} code points`).join(' and ');
          expect(res.status, `${named}: ${res.text.slice(0, 200)}`).toBe(400);
          expectRejected(res);
          expect(await swf.history(run), `${named} changed the execution`).toEqual(before);
        }),
        settings(swf, 3),
      );
    },
  );

  const nearMisses =
    (kinds: readonly NearMissKind[]) =>
    async ({ swf }: { swf: Scenario }) => {
      await fc.assert(
        fc.asyncProperty(
          validValue('StartWorkflowExecutionInput', 'workflowId', { classes: identifierClasses, maxLength: 40 }),
          fc.constantFrom(...kinds),
          async (drawn, kind) => {
            const run = await startDrawn(swf, drawn.value);
            const before = await swf.history(run);
            const miss = nearMiss(run.workflowId, kind);
            expect(miss).not.toBe(run.workflowId);
            const res = await swf.send(op, { domain: swf.domain, workflowId: miss });
            expectFault(res, 'UnknownResourceFault');
            expect(
              await swf.history(run),
              `the ${kind} near miss ${show(miss)} of ${show(run.workflowId)} (class ${drawn.valueClass}) changed it`,
            ).toEqual(before);
            // The execution is still there under its own id, stored exactly.
            expect((await swf.describe(run)).executionInfo?.execution?.workflowId).toBe(run.workflowId);
          },
        ),
        settings(swf, 4),
      );
    };

  // A prefix, a longer id or a neighbouring character names no execution at all: documented.
  it(
    'a workflowId one character short, long or off of a live one is unknown, and the execution does not change',
    cites('fault.unknown.workflow-id'),
    nearMisses(['prefix', 'extended', 'neighbour']),
  );
  // Case, spaces at the ends and another normal form: exact matching is inferred.
  it(
    'a workflowId that differs from a live one in case, end spaces or normal form is unknown, and the execution does not change',
    cites('runid.names-exact'),
    nearMisses(['case', 'trailing-space', 'leading-space', 'decomposed']),
  );
});
