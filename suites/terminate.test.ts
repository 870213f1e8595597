/** TerminateWorkflowExecution: the event, the closed state, immediacy (spec/terminate.yaml). */
import { cites, expect, it, type Run, type Scenario } from '../src/harness/battery.ts';
import { expectFault, expectSuccess } from '../src/harness/wire.ts';

it('appends WorkflowExecutionTerminated as the last event', cites('terminate.event.recorded'), async ({ swf }) => {
  const run = await swf.start();
  const before = (await swf.history(run)).length;
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId, runId: run.runId }));
  const events = await swf.historyWith(run, 'WorkflowExecutionTerminated', before);
  expect(events.slice(before).map((e) => e.eventType)).toEqual(['WorkflowExecutionTerminated']);
});

it('the event carries reason and details verbatim, at their full lengths', cites('terminate.event.reason-details'), async ({ swf }) => {
  const run = await swf.start();
  // Every code point the model allows: 256 in reason, 32,768 in details, astral ones included.
  const reason = `reason: ünïcödé 😀 ${'r'.repeat(256 - 18)}`;
  const details = `details 😀 ${'d'.repeat(32_768 - 10)}`;
  expect([[...reason].length, [...details].length]).toEqual([256, 32_768]);
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId, reason, details }));
  const attributes = (await swf.historyWith(run, 'WorkflowExecutionTerminated')).at(-1)?.workflowExecutionTerminatedEventAttributes;
  expect([attributes?.reason, attributes?.details]).toEqual([reason, details]);
});

it('reason and details are kept when a childPolicy is given too', cites('terminate.event.reason-details'), async ({ swf }) => {
  const run = await swf.start();
  expectSuccess(
    await swf.terminate({
      domain: swf.domain,
      workflowId: run.workflowId,
      reason: 'with a policy',
      details: 'and details',
      childPolicy: 'ABANDON',
    }),
  );
  const attributes = (await swf.historyWith(run, 'WorkflowExecutionTerminated')).at(-1)?.workflowExecutionTerminatedEventAttributes;
  expect([attributes?.reason, attributes?.details]).toEqual(['with a policy', 'and details']);
});

it('without reason and details the event has neither', cites('terminate.event.reason-details'), async ({ swf }) => {
  const run = await swf.start();
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId }));
  const attributes = (await swf.historyWith(run, 'WorkflowExecutionTerminated')).at(-1)?.workflowExecutionTerminatedEventAttributes;
  expect([attributes?.reason, attributes?.details]).toEqual([undefined, undefined]);
});

it("the event's childPolicy is the execution's, or the request's when given", cites('terminate.event.child-policy'), async ({ swf }) => {
  const a = await swf.start({ typeDefault: 'TERMINATE', childPolicy: 'REQUEST_CANCEL' });
  const b = await swf.start({ typeDefault: 'TERMINATE', childPolicy: 'REQUEST_CANCEL' });
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: a.workflowId }));
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: b.workflowId, childPolicy: 'ABANDON' }));
  expect((await swf.historyWith(a, 'WorkflowExecutionTerminated')).at(-1)?.workflowExecutionTerminatedEventAttributes?.childPolicy).toBe(
    'REQUEST_CANCEL',
  );
  expect((await swf.historyWith(b, 'WorkflowExecutionTerminated')).at(-1)?.workflowExecutionTerminatedEventAttributes?.childPolicy).toBe(
    'ABANDON',
  );
});

/**
 * Every path a direct termination takes: with and without the runId, with no decision task, one
 * scheduled, one out at a decider, one answered, and on a child (recorded: all carry
 * OPERATOR_INITIATED).
 */
const directPaths: [string, (swf: Scenario) => Promise<{ run: Run; body: Record<string, unknown> }>][] = [
  [
    'a decision task scheduled, runId given',
    async (swf) => {
      const run = await swf.start();
      return { run, body: { ...run } };
    },
  ],
  [
    'a decision task scheduled, runId omitted',
    async (swf) => {
      const run = await swf.start();
      return { run, body: { workflowId: run.workflowId } };
    },
  ],
  [
    'a decision task out at a decider',
    async (swf) => {
      const run = await swf.start();
      await swf.takeTask(run);
      return { run, body: { ...run } };
    },
  ],
  [
    'its decision task answered, none scheduled',
    async (swf) => {
      const run = await swf.start();
      await swf.decide(run, []);
      return { run, body: { ...run, reason: 'r', details: 'd' } };
    },
  ],
  [
    'its decision task answered, none scheduled, runId omitted',
    async (swf) => {
      const run = await swf.start();
      await swf.decide(run, []);
      return { run, body: { workflowId: run.workflowId, reason: 'r', details: 'd' } };
    },
  ],
  [
    'a child, terminated directly',
    async (swf) => {
      const parent = await swf.start({ typeDefault: 'ABANDON' });
      const [child] = (await swf.decide(parent, [swf.childDecision(`${parent.workflowId}-c`, { childPolicy: 'ABANDON' })])).started;
      if (!child) throw new Error(`the child of ${parent.workflowId} did not start`);
      return { run: child, body: { ...child, childPolicy: 'ABANDON' } };
    },
  ],
];

// The recordings show terminations with the runId (FsDecider's TestHelper.TerminateWorkflow): one
// without it is the inferred clause's.
for (const [name, make] of directPaths) {
  const clause = name.endsWith('runId omitted')
    ? cites('terminate.event.operator-cause.run-id-omitted')
    : cites('terminate.event.operator-cause', { case: 'run-id:given' });
  it(`on a direct call the event's cause is OPERATOR_INITIATED: ${name}`, clause, async ({ swf }) => {
    const { run, body } = await make(swf);
    expectSuccess(await swf.terminate({ domain: swf.domain, ...body }));
    const event = (await swf.historyWith(run, 'WorkflowExecutionTerminated')).find((e) => e.eventType === 'WorkflowExecutionTerminated');
    expect(event?.workflowExecutionTerminatedEventAttributes?.cause).toBe('OPERATOR_INITIATED');
  });
}

it('the execution is CLOSED, TERMINATED, with a closeTimestamp of its termination', cites('terminate.state.closed'), async ({ swf }) => {
  const run = await swf.start();
  // Far enough apart on the target's clock that a close time that is really the start time shows:
  // a second where the target's timestamps are whole seconds, a fifth of one where they have a
  // fraction (AWS's have milliseconds).
  const started = (await swf.history(run))[0]?.eventTimestamp ?? 0;
  const gap = Number.isInteger(started) ? 1 : 0.2;
  await new Promise((resolve) => setTimeout(resolve, gap * 1000 + 100));
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId }));
  const info = await swf.infoWhen(run, (i) => i.executionStatus !== 'OPEN');
  expect([info.executionStatus, info.closeStatus]).toEqual(['CLOSED', 'TERMINATED']);
  expect(info.closeTimestamp).toBeTypeOf('number');
  expect(info.closeTimestamp! - info.startTimestamp).toBeGreaterThanOrEqual(gap);
});

it.for([
  ['runId given', true],
  ['runId omitted', false],
] as const)(
  "a terminated child leaves its parent's open child count, its sibling stays in it: %s",
  cites('terminate.state.closed'),
  async ([, withRunId], { swf }) => {
    const { parent, child } = await swf.family({ typeDefault: 'ABANDON' }, { childPolicy: 'ABANDON' });
    const openChildren = (d: { openCounts?: { openChildWorkflowExecutions?: number } }) => d.openCounts?.openChildWorkflowExecutions;
    expect(openChildren(await swf.describeWhen(parent, (d) => openChildren(d) === 2)), 'two children started').toBe(2);
    expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: child.workflowId, ...(withRunId ? { runId: child.runId } : {}) }));
    expect(openChildren(await swf.describeWhen(parent, (d) => openChildren(d) !== 2))).toBe(1);
  },
);

it('it leaves the open list and count, and is listed closed as TERMINATED', cites('terminate.state.listed-closed'), async ({ swf }) => {
  const run = await swf.start();
  expect(await swf.openCountWhen(run.workflowId, 1)).toBe(1);
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId }));
  expect(await swf.openCountWhen(run.workflowId, 0)).toBe(0);
  expect(await swf.listedWhen(run.workflowId, 'Open', (l) => l.length === 0)).toEqual([]);
  const closed = await swf.listedWhen(run.workflowId, 'Closed', (l) => l.length > 0);
  expect(closed.map((i) => [i.execution, i.closeStatus])).toEqual([[run, 'TERMINATED']]);
});

it('with a decision task out at a decider, it is terminated at once', cites('terminate.immediate.decision-in-flight'), async ({ swf }) => {
  const run = await swf.start();
  await swf.takeTask(run);
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId }));
  expect((await swf.infoWhen(run, (i) => i.executionStatus !== 'OPEN')).executionStatus).toBe('CLOSED');
  // Recorded: DecisionTaskStarted, then at once WorkflowExecutionTerminated, the last event.
  const events = await swf.historyWith(run, 'WorkflowExecutionTerminated');
  expect(events.slice(-2).map((e) => e.eventType)).toEqual(['DecisionTaskStarted', 'WorkflowExecutionTerminated']);
});

it(
  "the decider's late answer is UnknownResourceFault and adds nothing",
  cites('terminate.immediate.late-decision-rejected'),
  async ({ swf }) => {
    const run = await swf.start();
    const token = await swf.takeTask(run);
    expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId }));
    const before = (await swf.historyWith(run, 'WorkflowExecutionTerminated')).length;
    const late = await swf.raw.send({
      operation: 'RespondDecisionTaskCompleted',
      body: { taskToken: token, decisions: [{ decisionType: 'CompleteWorkflowExecution' }] },
    });
    expectFault(late, 'UnknownResourceFault');
    expect((await swf.history(run)).length).toBe(before);
  },
);

it(
  'nothing is appended afterwards: not by later requests, a late decider, or a poll of its task list',
  cites('terminate.no-events-after'),
  async ({ swf }) => {
    const run = await swf.start();
    const out = await swf.start();
    const token = await swf.takeTask(out);
    // run has a decision task scheduled, out one started at a decider; both are terminated, run
    // last, so that nothing done after its termination can have cleared its task list instead.
    expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: out.workflowId }));
    expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId }));
    const before = [await swf.historyWith(run, 'WorkflowExecutionTerminated'), await swf.historyWith(out, 'WorkflowExecutionTerminated')];
    await swf.cancel({ domain: swf.domain, workflowId: run.workflowId, runId: run.runId });
    await swf.terminate({ domain: swf.domain, workflowId: run.workflowId, runId: run.runId });
    await swf.raw.send({ operation: 'RespondDecisionTaskCompleted', body: { taskToken: token, decisions: [] } });
    // A terminated execution's scheduled task is gone: with another execution's task scheduled on
    // the same task list after it, a poll hands out that one (and answers at once, where an empty
    // poll would wait out a long poll: 60 s on AWS).
    const next = await swf.start({ taskList: run.workflowId });
    const polled = await swf.eventually(
      () => swf.poll(run),
      (task) => Boolean(task.taskToken),
    );
    expect(polled.workflowExecution?.workflowId, "the task handed out on the terminated execution's task list").toBe(next.workflowId);
    expect([await swf.history(run), await swf.history(out)]).toEqual(before);
  },
);

it('its started activity task can no longer be completed or heartbeated', cites('terminate.open-work.activities'), async ({ swf }) => {
  const run = await swf.start();
  const taskToken = await swf.startActivity(run);
  // While the execution is open the task is live: it is termination that ends it.
  expectSuccess(await swf.raw.send({ operation: 'RecordActivityTaskHeartbeat', body: { taskToken, details: 'alive' } }));
  expectSuccess(await swf.terminate({ domain: swf.domain, ...run }));
  await swf.infoWhen(run, (i) => i.executionStatus !== 'OPEN');
  const before = (await swf.historyWith(run, 'WorkflowExecutionTerminated')).length;
  expectFault(
    await swf.raw.send({ operation: 'RecordActivityTaskHeartbeat', body: { taskToken, details: 'late' } }),
    'UnknownResourceFault',
  );
  expectFault(
    await swf.raw.send({ operation: 'RespondActivityTaskCompleted', body: { taskToken, result: 'late' } }),
    'UnknownResourceFault',
  );
  expect((await swf.history(run)).length).toBe(before);
});

it(
  'a signal to it is UnknownResourceFault, with or without its runId, and records nothing',
  cites('terminate.open-work.signal'),
  async ({ swf }) => {
    const run = await swf.start();
    expectSuccess(await swf.terminate({ domain: swf.domain, ...run }));
    await swf.infoWhen(run, (i) => i.executionStatus !== 'OPEN');
    const before = (await swf.historyWith(run, 'WorkflowExecutionTerminated')).length;
    expectFault(
      await swf.raw.send({ operation: 'SignalWorkflowExecution', body: { domain: swf.domain, ...run, signalName: 'late' } }),
      'UnknownResourceFault',
    );
    expectFault(
      await swf.raw.send({
        operation: 'SignalWorkflowExecution',
        body: { domain: swf.domain, workflowId: run.workflowId, signalName: 'late' },
      }),
      'UnknownResourceFault',
    );
    expect((await swf.history(run)).length).toBe(before);
  },
);

it(
  'without childPolicy, on a type with no default: the outcome is reported',
  cites('terminate.child-policy.no-type-default.reported'),
  async ({ swf, task, annotate }) => {
    const run = await swf.start({ typeDefault: 'none', childPolicy: 'REQUEST_CANCEL' });
    const res = await swf.terminate({ domain: swf.domain, workflowId: run.workflowId });
    // Report-only: the page says both; only a well-formed answer is required.
    expect(res.status, res.text).toBeLessThan(500);
    if (res.status === 200) {
      const event = (await swf.historyWith(run, 'WorkflowExecutionTerminated')).at(-1);
      task.meta.observed = `terminated, the event records childPolicy ${event?.workflowExecutionTerminatedEventAttributes?.childPolicy ?? '(none)'} (the start's was REQUEST_CANCEL)`;
    } else {
      expect(res.error?.code ?? '(no error code)', res.text).toMatch(/^\w+$/);
      task.meta.observed = `refused with ${res.error?.code} (HTTP ${res.status})`;
    }
    await annotate(`terminate without childPolicy, type without default: ${task.meta.observed}`);
  },
);

/** A parent with a child and no decision task scheduled; the child terminated; the parent's events. */
async function terminateChild(swf: Scenario, withRunId: boolean) {
  const parent = await swf.start({ typeDefault: 'ABANDON' });
  const [child] = (await swf.decide(parent, [swf.childDecision(`${parent.workflowId}-c`, { childPolicy: 'ABANDON' })])).started;
  if (!child) throw new Error(`the child of ${parent.workflowId} did not start`);
  // The parent answers the task its child's start scheduled, so that none is scheduled.
  await swf.decide(parent, []);
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: child.workflowId, ...(withRunId ? { runId: child.runId } : {}) }));
  const { events, at } = await swf.historyPast(parent, 'ChildWorkflowExecutionTerminated');
  expect(at, 'no ChildWorkflowExecutionTerminated in the parent').toBeGreaterThan(-1);
  return { child, events, at };
}

// Recorded: a child terminated with its runId; the child's runId in the event was printed as fixed text.
for (const [form, withRunId] of [
  ['runId given', true],
  ['runId omitted', false],
] as const) {
  const notified = withRunId
    ? cites('terminate.child.parent-notified', { case: 'run-id:given' })
    : cites('terminate.child.parent-notified.other-forms');
  it(
    `terminating a child records ChildWorkflowExecutionTerminated in its parent, then a decision task: ${form}`,
    notified,
    async ({ swf }) => {
      const { child, events, at } = await terminateChild(swf, withRunId);
      const initiated = events.find((e) => e.eventType === 'StartChildWorkflowExecutionInitiated');
      const started = events.find((e) => e.eventType === 'ChildWorkflowExecutionStarted');
      const attributes = events[at]?.childWorkflowExecutionTerminatedEventAttributes;
      expect({ ...attributes, workflowExecution: { workflowId: attributes?.workflowExecution?.workflowId } }).toEqual({
        initiatedEventId: initiated?.eventId,
        startedEventId: started?.eventId,
        workflowExecution: { workflowId: child.workflowId },
        workflowType: initiated?.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType,
      });
      expect(events[at + 1]?.eventType).toBe('DecisionTaskScheduled');
    },
  );

  it(
    `the parent's ChildWorkflowExecutionTerminated names the child's run: ${form}`,
    cites('terminate.child.parent-notified.other-forms'),
    async ({ swf }) => {
      const { child, events, at } = await terminateChild(swf, withRunId);
      expect(events[at]?.childWorkflowExecutionTerminatedEventAttributes?.workflowExecution).toEqual(child);
    },
  );
}

it(
  'a child terminated by workflowId while its parent has a decision task scheduled: no second task, the terminated event last',
  cites('terminate.child.parent-notified.other-forms'),
  async ({ swf }) => {
    const parent = await swf.start({ typeDefault: 'ABANDON' });
    const [child] = (await swf.decide(parent, [swf.childDecision(`${parent.workflowId}-c`, { childPolicy: 'ABANDON' })])).started;
    if (!child) throw new Error(`the child of ${parent.workflowId} did not start`);
    // The child's start scheduled the parent a decision task, left unanswered (aws-flow-ruby's integration test).
    expect((await swf.describeWhen(parent, (d) => d.openCounts.openDecisionTasks === 1)).openCounts.openDecisionTasks).toBe(1);
    expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: child.workflowId }));
    const events = await swf.historyWith(parent, 'ChildWorkflowExecutionTerminated');
    expect(events.at(-1)?.eventType).toBe('ChildWorkflowExecutionTerminated');
    expect(events.filter((e) => e.eventType === 'DecisionTaskScheduled').length).toBe(
      events.filter((e) => e.eventType === 'DecisionTaskCompleted').length + 1,
    );
  },
);
