/**
 * The child policy applied on termination: each policy from each source, with open children and
 * a grandchild (spec/child-policy.yaml).
 */
import { describe } from 'vitest';
import { childPolicies } from '../src/contract/constraints.ts';
import type { ChildPolicy, Decision } from '../src/generated/types.ts';
import { cites, expect, it, type Run, type Scenario } from '../src/harness/battery.ts';
import { expectSuccess } from '../src/harness/wire.ts';

const policies = childPolicies();
const other = (p: ChildPolicy, n = 1) => policies[(policies.indexOf(p) + n) % 3]!;
type Source = 'type-default' | 'start' | 'request';
const sources: Source[] = ['type-default', 'start', 'request'];
const sourceClause: Record<Source, string> = {
  'type-default': 'child-policy.source.type-default',
  start: 'child-policy.source.start',
  request: 'child-policy.source.request',
};

interface Outcome {
  parent: Run;
  child: Run;
  sibling: Run;
  grandchild: Run;
  recordedPolicy?: string;
  childBefore: number;
  siblingBefore: number;
}

/** Starts a family whose parent's policy is `policy` by way of `source`, and terminates the parent. */
async function terminateFamily(swf: Scenario, policy: ChildPolicy, source: Source): Promise<Outcome> {
  const start =
    source === 'type-default'
      ? { typeDefault: policy }
      : source === 'start'
        ? { typeDefault: other(policy), childPolicy: policy }
        : { typeDefault: other(policy), childPolicy: other(policy, 2) };
  const { parent, child, sibling, grandchild } = await swf.family(start, { childPolicy: 'ABANDON' });
  const childBefore = (await swf.history(child)).length;
  const siblingBefore = (await swf.history(sibling)).length;
  expectSuccess(
    await swf.terminate({ domain: swf.domain, workflowId: parent.workflowId, ...(source === 'request' ? { childPolicy: policy } : {}) }),
  );
  const recordedPolicy = (await swf.historyWith(parent, 'WorkflowExecutionTerminated')).at(-1)?.workflowExecutionTerminatedEventAttributes
    ?.childPolicy;
  return { parent, child, sibling, grandchild, recordedPolicy, childBefore, siblingBefore };
}

// Each (policy, source) scenario is played once; its tests read the outcome.
const played = new Map<string, Promise<Outcome>>();
const outcome = (swf: Scenario, policy: ChildPolicy, source: Source) => {
  const key = `${policy}|${source}`;
  if (!played.has(key)) played.set(key, terminateFamily(swf, policy, source));
  return played.get(key)!;
};

const effectClause: Record<ChildPolicy, string> = {
  TERMINATE: 'child-policy.terminate.children-terminated',
  REQUEST_CANCEL: 'child-policy.request-cancel.children-cancel-requested',
  ABANDON: 'child-policy.abandon.children-open',
};

describe.for(policies)('%s', (policy) => {
  for (const source of sources) {
    it(`from the ${source}: it is the policy recorded on the parent's terminated event`, cites(sourceClause[source]), async ({ swf }) => {
      expect((await outcome(swf, policy, source)).recordedPolicy).toBe(policy);
    });

    // The effect judges the source too: a policy recorded from the source but not applied is wrong.
    it(
      `from the ${source}: each open child is treated as ${policy} says`,
      cites(effectClause[policy], sourceClause[source]),
      async ({ swf }) => {
        const outcome_ = await outcome(swf, policy, source);
        // One wait per child for its event and for Describe to show it; under ABANDON nothing is to
        // come, so one read is judged.
        const settledOn = {
          TERMINATE: 'WorkflowExecutionTerminated',
          REQUEST_CANCEL: 'WorkflowExecutionCancelRequested',
          ABANDON: undefined,
        }[policy];
        for (const [child, before] of [
          [outcome_.child, outcome_.childBefore],
          [outcome_.sibling, outcome_.siblingBefore],
        ] as const) {
          const { added, info } = await swf.eventually(
            async () => ({ added: (await swf.history(child)).slice(before), info: await swf.info(child) }),
            ({ added: a, info: i }) =>
              !settledOn ||
              (a.some((e) => e.eventType === settledOn) &&
                (policy === 'TERMINATE' ? i.executionStatus !== 'OPEN' : i.cancelRequested === true || i.executionStatus !== 'OPEN')),
          );
          if (policy === 'TERMINATE') {
            expect([child.workflowId, info.executionStatus, info.closeStatus]).toEqual([child.workflowId, 'CLOSED', 'TERMINATED']);
            expect(added.at(-1)?.eventType).toBe('WorkflowExecutionTerminated');
          } else if (policy === 'REQUEST_CANCEL') {
            expect([child.workflowId, info.executionStatus, info.cancelRequested]).toEqual([child.workflowId, 'OPEN', true]);
            expect(added.filter((e) => e.eventType === 'WorkflowExecutionCancelRequested')).toHaveLength(1);
          } else {
            expect([child.workflowId, info.executionStatus, info.cancelRequested ?? false]).toEqual([child.workflowId, 'OPEN', false]);
            expect(added).toEqual([]);
          }
        }
      },
    );

    if (policy !== 'ABANDON') {
      // A terminated parent: the cancel request's cause is recorded only for a parent that completed.
      const clause = policy === 'TERMINATE' ? 'child-policy.terminate.cause' : 'child-policy.request-cancel.cause.other-closes';
      it(`from the ${source}: the child's event has cause CHILD_POLICY_APPLIED`, cites(clause), async ({ swf }) => {
        const { child, childBefore } = await outcome(swf, policy, source);
        const eventType = policy === 'TERMINATE' ? 'WorkflowExecutionTerminated' : 'WorkflowExecutionCancelRequested';
        const added = (await swf.historyWhen(child, (h) => h.slice(childBefore).some((e) => e.eventType === eventType))).slice(childBefore);
        const event = added.find((e) => e.eventType === eventType);
        const cause =
          event?.workflowExecutionTerminatedEventAttributes?.cause ?? event?.workflowExecutionCancelRequestedEventAttributes?.cause;
        expect(cause).toBe('CHILD_POLICY_APPLIED');
      });
    }
  }
});

describe('a child terminated by policy applies its own policy to the grandchild', () => {
  it.for(policies)('child policy %s', cites('child-policy.terminate.recursive'), async (childPolicy, { swf }) => {
    const { parent, grandchild } = await swf.family({ typeDefault: 'TERMINATE' }, { childPolicy });
    expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: parent.workflowId }));
    // Two policies in turn, each asynchronous: the child's, then the grandchild's.
    const info =
      childPolicy === 'TERMINATE'
        ? await swf.infoWhen(grandchild, (i) => i.executionStatus !== 'OPEN')
        : childPolicy === 'REQUEST_CANCEL'
          ? await swf.infoWhen(grandchild, (i) => i.cancelRequested === true || i.executionStatus !== 'OPEN')
          : await swf.info(grandchild);
    const expected = {
      TERMINATE: ['CLOSED', 'TERMINATED', false],
      REQUEST_CANCEL: ['OPEN', undefined, true],
      ABANDON: ['OPEN', undefined, false],
    }[childPolicy];
    expect([info.executionStatus, info.closeStatus, info.cancelRequested ?? false]).toEqual(expected);
  });
});

it('a child that already closed gets no new event', cites('child-policy.closed-children-untouched'), async ({ swf }) => {
  // The child completes in its first decision task, so the test needs nothing of the decider
  // model beyond the task every new execution gets.
  const parent = await swf.start({ typeDefault: 'TERMINATE' });
  const [child] = (await swf.decide(parent, [swf.childDecision(`${parent.workflowId}-c`, { childPolicy: 'ABANDON' })])).started;
  if (!child) throw new Error(`the child of ${parent.workflowId} did not start`);
  await swf.decide(child, [{ decisionType: 'CompleteWorkflowExecution' }]);
  const closed = await swf.history(child);
  expect((await swf.infoWhen(child, (i) => i.executionStatus !== 'OPEN')).closeStatus).toBe('COMPLETED');
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: parent.workflowId }));
  expect(await swf.history(child)).toEqual(closed);
});

it(
  "the child's cancel request names the terminated parent run as externalWorkflowExecution",
  cites('child-policy.request-cancel.names-parent.run-id'),
  async ({ swf }) => {
    const { parent, child } = await swf.family({ typeDefault: 'REQUEST_CANCEL' }, { childPolicy: 'ABANDON' });
    expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: parent.workflowId }));
    const event = (await swf.historyWith(child, 'WorkflowExecutionCancelRequested')).find(
      (e) => e.eventType === 'WorkflowExecutionCancelRequested',
    );
    expect(event?.workflowExecutionCancelRequestedEventAttributes?.externalWorkflowExecution).toEqual(parent);
  },
);

/**
 * Every way a parent closes by its decider's answer: the policy reaches the children each time.
 * The recordings show a parent that completed; the other closes are judged under the inferred
 * clauses (`.other-closes`, `.run-id`).
 */
const closingDecisions = [
  ['completes', true, { decisionType: 'CompleteWorkflowExecution' }],
  ['fails', false, { decisionType: 'FailWorkflowExecution', failWorkflowExecutionDecisionAttributes: { reason: 'r' } }],
  ['is cancelled', false, { decisionType: 'CancelWorkflowExecution' }],
] as const;

/**
 * The parent closes by this decision under REQUEST_CANCEL; each child's cancel request, once
 * recorded. Made once per decision and shared by the tests that judge it, as outcome() is.
 */
const requestsOnClose = new Map<string, ReturnType<typeof makeRequestsOnClose>>();
function cancelRequestsOnClose(swf: Scenario, decision: Decision) {
  const key = decision.decisionType;
  if (!requestsOnClose.has(key)) requestsOnClose.set(key, makeRequestsOnClose(swf, decision));
  return requestsOnClose.get(key)!;
}

async function makeRequestsOnClose(swf: Scenario, decision: Decision) {
  const { parent, child, sibling } = await swf.family({ typeDefault: 'REQUEST_CANCEL' }, { childPolicy: 'ABANDON' });
  await swf.decide(parent, [decision]);
  const requests = [];
  for (const c of [child, sibling]) {
    const event = (await swf.historyWith(c, 'WorkflowExecutionCancelRequested')).find(
      (e) => e.eventType === 'WorkflowExecutionCancelRequested',
    );
    requests.push({ child: c, attributes: event?.workflowExecutionCancelRequestedEventAttributes });
  }
  return { parent, requests };
}

describe.for(closingDecisions)('the parent %s', ([, completed, decision]) => {
  const recordedOr = (recorded: string, inferred: string) =>
    completed ? cites(recorded, { case: 'parent-close:completed' }) : cites(inferred);

  it(
    'under REQUEST_CANCEL, its open children get a cancel request',
    recordedOr('child-policy.on-close.request-cancel', 'child-policy.on-close.request-cancel.other-closes'),
    async ({ swf }) => {
      const { requests } = await cancelRequestsOnClose(swf, decision as Decision);
      for (const { child } of requests) {
        const info = await swf.infoWhen(child, (i) => i.cancelRequested === true || i.executionStatus !== 'OPEN');
        expect([child.workflowId, info.executionStatus, info.cancelRequested]).toEqual([child.workflowId, 'OPEN', true]);
      }
    },
  );

  it(
    "under REQUEST_CANCEL, each child's cancel request has cause CHILD_POLICY_APPLIED",
    recordedOr('child-policy.request-cancel.cause', 'child-policy.request-cancel.cause.other-closes'),
    async ({ swf }) => {
      const { requests } = await cancelRequestsOnClose(swf, decision as Decision);
      for (const { child, attributes } of requests)
        expect([child.workflowId, attributes?.cause]).toEqual([child.workflowId, 'CHILD_POLICY_APPLIED']);
    },
  );

  it(
    "under REQUEST_CANCEL, each child's cancel request names the parent's workflowId",
    recordedOr('child-policy.request-cancel.names-parent', 'child-policy.request-cancel.names-parent.run-id'),
    async ({ swf }) => {
      const { parent, requests } = await cancelRequestsOnClose(swf, decision as Decision);
      for (const { child, attributes } of requests)
        expect([child.workflowId, attributes?.externalWorkflowExecution?.workflowId]).toEqual([child.workflowId, parent.workflowId]);
    },
  );

  it(
    "under REQUEST_CANCEL, each child's cancel request names the parent's runId",
    cites('child-policy.request-cancel.names-parent.run-id'),
    async ({ swf }) => {
      const { parent, requests } = await cancelRequestsOnClose(swf, decision as Decision);
      for (const { child, attributes } of requests)
        expect([child.workflowId, attributes?.externalWorkflowExecution?.runId]).toEqual([child.workflowId, parent.runId]);
    },
  );

  it(
    'under TERMINATE, its open children are terminated',
    recordedOr('child-policy.on-close.terminate', 'child-policy.on-close.terminate.other-closes'),
    async ({ swf }) => {
      const { parent, child, sibling } = await swf.family({ typeDefault: 'TERMINATE' }, { childPolicy: 'ABANDON' });
      await swf.decide(parent, [decision as Decision]);
      for (const c of [child, sibling]) {
        const info = await swf.infoWhen(c, (i) => i.executionStatus !== 'OPEN');
        expect([c.workflowId, info.executionStatus, info.closeStatus]).toEqual([c.workflowId, 'CLOSED', 'TERMINATED']);
        const event = (await swf.historyWith(c, 'WorkflowExecutionTerminated')).find((e) => e.eventType === 'WorkflowExecutionTerminated');
        expect([c.workflowId, event?.workflowExecutionTerminatedEventAttributes?.cause]).toEqual([c.workflowId, 'CHILD_POLICY_APPLIED']);
      }
    },
  );
});
