/**
 * The core of both operations on every path their clauses cover: each lineage a run can have
 * (started fresh, started again after a closed run, continued as new once or twice, a child, a
 * grandchild), each with its runId given and omitted. A cancel request records its event and
 * sets cancelRequested on that run and on no other; a termination closes that run alone, and a
 * terminated child's parent hears of it (a test of its own, so that a parent that is not told
 * charges that clause alone).
 */
import { describe } from 'vitest';
import type { Decision } from '../src/generated/types.ts';
import { cites, expect, it, operationsUnderTest, type Run, type Scenario } from '../src/harness/battery.ts';
import { expectSuccess } from '../src/harness/wire.ts';

const CONTINUE: Decision = { decisionType: 'ContinueAsNewWorkflowExecution', continueAsNewWorkflowExecutionDecisionAttributes: {} };

/** A run made one way, the runs before it in its workflowId (which must not change), and its parent if it has one. */
interface Lineage {
  run: Run;
  earlier: Run[];
  parent?: Run;
}

async function continued(swf: Scenario, times: number): Promise<Lineage> {
  const earlier: Run[] = [];
  let run = await swf.start();
  for (let i = 0; i < times; i += 1) {
    const next = (await swf.decide(run, [CONTINUE])).started[0];
    if (!next) throw new Error(`${run.workflowId} was not continued as new`);
    earlier.push(run);
    run = next;
  }
  return { run, earlier };
}

async function child(swf: Scenario, parent: Run, label: string): Promise<Run> {
  const [c] = (
    await swf.decide(parent, [swf.childDecision(`${parent.workflowId}-${label}`, { childPolicy: 'ABANDON', typeDefault: 'ABANDON' })])
  ).started;
  if (!c) throw new Error(`the child of ${parent.workflowId} did not start`);
  return c;
}

const lineages: [string, (swf: Scenario) => Promise<Lineage>, 'fresh' | 'restart' | 'continue' | 'child'][] = [
  ['started fresh', async (swf) => ({ run: await swf.start(), earlier: [] }), 'fresh'],
  [
    'started again after a terminated run',
    async (swf) => {
      const first = await swf.start();
      expectSuccess(await swf.terminate({ domain: swf.domain, ...first }));
      return { run: await swf.start({ workflowId: first.workflowId }), earlier: [first] };
    },
    'restart',
  ],
  ['continued as new once', (swf) => continued(swf, 1), 'continue'],
  ['continued as new twice', (swf) => continued(swf, 2), 'continue'],
  [
    'a child',
    async (swf) => {
      const parent = await swf.start({ typeDefault: 'ABANDON' });
      return { run: await child(swf, parent, 'c'), earlier: [], parent };
    },
    'child',
  ],
  [
    'a grandchild',
    async (swf) => {
      const root = await swf.start({ typeDefault: 'ABANDON' });
      const parent = await child(swf, root, 'c');
      return { run: await child(swf, parent, 'g'), earlier: [], parent };
    },
    'child',
  ],
];

const forms = [
  ['runId given', true],
  ['runId omitted', false],
] as const;

/** The runid clause that says which run a request with this form reaches on this lineage. */
function runIdClause(given: boolean, made: (typeof lineages)[number][2]): string {
  if (given) return 'runid.explicit.open';
  return made === 'restart'
    ? 'runid.omitted.after-restart'
    : made === 'continue'
      ? 'runid.omitted.after-continue-as-new'
      : 'runid.omitted.current-open';
}

/** Makes the lineage, or ends the test as not run when the target cannot make it (it has no children, say). */
async function make(swf: Scenario, how: (swf: Scenario) => Promise<Lineage>, skip: (note: string) => never): Promise<Lineage> {
  try {
    return await how(swf);
  } catch (error) {
    return skip(`the run to act on could not be made on this target: ${(error as Error).message.split('\n')[0]}`);
  }
}

describe.for(operationsUnderTest)('%s', (operation) => {
  const cancel = operation === 'RequestCancelWorkflowExecution';
  for (const [name, how, made] of lineages) {
    for (const [form, given] of forms) {
      const clauses = [
        ...(cancel ? ['cancel.event.recorded', 'cancel.state.cancel-requested'] : ['terminate.event.recorded', 'terminate.state.closed']),
        runIdClause(given, made),
      ];
      it(`on a run ${name}, ${form}: it acts on that run alone`, cites(...clauses), async ({ swf, skip }) => {
        const { run, earlier, parent } = await make(swf, how, skip);
        const lengths = await Promise.all(earlier.map(async (r) => (await swf.history(r)).length));
        const before = (await swf.history(run)).length;
        expectSuccess(
          await swf.send(operation, { domain: swf.domain, workflowId: run.workflowId, ...(given ? { runId: run.runId } : {}) }),
        );
        if (cancel) {
          const added = (await swf.historyWith(run, 'WorkflowExecutionCancelRequested', before)).slice(before);
          expect(added[0]?.eventType).toBe('WorkflowExecutionCancelRequested');
          expect(
            added.slice(1).every((e) => e.eventType === 'DecisionTaskScheduled'),
            added.map((e) => e.eventType).join(', '),
          ).toBe(true);
          const info = await swf.infoWhen(run, (i) => i.cancelRequested === true);
          expect([info.executionStatus, info.cancelRequested]).toEqual(['OPEN', true]);
        } else {
          const events = await swf.historyWith(run, 'WorkflowExecutionTerminated', before);
          expect(events.at(-1)?.eventType).toBe('WorkflowExecutionTerminated');
          const info = await swf.infoWhen(run, (i) => i.executionStatus === 'CLOSED');
          expect([info.executionStatus, info.closeStatus]).toEqual(['CLOSED', 'TERMINATED']);
        }
        // The runs before it in its workflowId are closed and stay as they were.
        for (const [i, r] of earlier.entries()) {
          expect((await swf.history(r)).length, `the earlier run ${r.runId}`).toBe(lengths[i]);
          expect((await swf.info(r)).cancelRequested ?? false, `the earlier run ${r.runId}`).toBe(false);
        }
        if (parent && cancel) expect((await swf.info(parent)).cancelRequested ?? false, 'the parent is not cancel-requested').toBe(false);
      });
      if (made === 'child' && !cancel) {
        // The child's run named in the event, its runId included: printed as fixed text where recorded.
        it(
          `on a run ${name}, ${form}: its parent records ChildWorkflowExecutionTerminated`,
          cites('terminate.child.parent-notified.other-forms'),
          async ({ swf, skip }) => {
            const { run, parent } = await make(swf, how, skip);
            expectSuccess(
              await swf.send(operation, { domain: swf.domain, workflowId: run.workflowId, ...(given ? { runId: run.runId } : {}) }),
            );
            const events = await swf.historyWith(parent!, 'ChildWorkflowExecutionTerminated');
            const event = events.find((e) => e.eventType === 'ChildWorkflowExecutionTerminated');
            expect(
              event?.childWorkflowExecutionTerminatedEventAttributes?.workflowExecution,
              "the parent's ChildWorkflowExecutionTerminated",
            ).toEqual(run);
          },
        );
      }
    }
  }
});
