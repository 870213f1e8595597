/** RequestCancelWorkflowExecution: the event, the state, the decision task (spec/cancel.yaml). */
import { cites, expect, it, type Run, type Scenario } from '../src/harness/battery.ts';
import type { Decision } from '../src/generated/types.ts';
import { expectSuccess } from '../src/harness/wire.ts';

it(
  'records exactly one WorkflowExecutionCancelRequested, then at most a DecisionTaskScheduled',
  cites('cancel.event.recorded'),
  async ({ swf }) => {
    const run = await swf.start();
    const before = await swf.history(run);
    expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId, runId: run.runId }));
    const added = (await swf.historyWith(run, 'WorkflowExecutionCancelRequested', before.length))
      .slice(before.length)
      .map((e) => e.eventType);
    expect(added[0]).toBe('WorkflowExecutionCancelRequested');
    expect(added.filter((t) => t === 'WorkflowExecutionCancelRequested')).toHaveLength(1);
    expect(added.slice(1).every((t) => t === 'DecisionTaskScheduled')).toBe(true);
  },
);

/** Every path a direct cancel request takes: with and without the runId, with a decision task scheduled, none, or one out at a decider. */
const directPaths: [string, (swf: Scenario) => Promise<{ run: Run; body: Record<string, unknown> }>][] = [
  [
    'runId omitted, a decision task scheduled',
    async (swf) => {
      const run = await swf.start();
      return { run, body: { workflowId: run.workflowId } };
    },
  ],
  [
    'runId given, no decision task',
    async (swf) => {
      const run = await swf.start();
      await swf.decide(run, []);
      return { run, body: { ...run } };
    },
  ],
  [
    'runId given, a decision task out at a decider',
    async (swf) => {
      const run = await swf.start();
      await swf.takeTask(run);
      return { run, body: { ...run } };
    },
  ],
];

it.for(directPaths)(
  "on a direct call the event's attributes are exactly externalInitiatedEventId 0: %s",
  cites('cancel.event.direct-attributes'),
  async ([, make], { swf }) => {
    const { run, body } = await make(swf);
    expectSuccess(await swf.cancel({ domain: swf.domain, ...body }));
    const event = (await swf.historyWith(run, 'WorkflowExecutionCancelRequested')).find(
      (e) => e.eventType === 'WorkflowExecutionCancelRequested',
    );
    // Whether the attributes object is there at all is wire.response.shapes' business; this clause
    // judges what it says.
    expect(event, 'no WorkflowExecutionCancelRequested event').toBeDefined();
    if (event?.workflowExecutionCancelRequestedEventAttributes)
      expect(event.workflowExecutionCancelRequestedEventAttributes).toEqual({ externalInitiatedEventId: 0 });
  },
);

it('the execution stays open, listed and counted', cites('cancel.state.stays-open'), async ({ swf }) => {
  const run = await swf.start();
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
  // Judged once Describe shows the request, so that a lagging read does not pass for "still open".
  const info = await swf.infoWhen(run, (i) => i.cancelRequested === true || i.executionStatus !== 'OPEN');
  expect(info.executionStatus).toBe('OPEN');
  expect(info.closeStatus).toBeUndefined();
  expect(info.closeTimestamp).toBeUndefined();
  expect((await swf.listedWhen(run.workflowId, 'Open', (l) => l.length > 0)).map((i) => i.execution)).toEqual([run]);
  expect(await swf.openCountWhen(run.workflowId, 1)).toBe(1);
  expect(await swf.listed(run.workflowId, 'Closed'), 'listed closed').toEqual([]);
});

it.for([
  ['runId given', true],
  ['runId omitted', false],
] as const)(
  "a child asked to cancel still counts among its parent's open children: %s",
  cites('cancel.state.stays-open'),
  async ([, withRunId], { swf }) => {
    const { parent, child } = await swf.family({ typeDefault: 'ABANDON' }, { childPolicy: 'ABANDON' });
    expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: child.workflowId, ...(withRunId ? { runId: child.runId } : {}) }));
    await swf.infoWhen(child, (i) => i.cancelRequested === true || i.executionStatus !== 'OPEN');
    expect(
      (await swf.describeWhen(parent, (d) => d.openCounts?.openChildWorkflowExecutions === 2)).openCounts?.openChildWorkflowExecutions,
    ).toBe(2);
  },
);

it.for([
  ['runId omitted', false],
  ['runId given', true],
] as const)(
  'cancelRequested is false before and true after: %s',
  cites('cancel.state.cancel-requested'),
  async ([, withRunId], { swf }) => {
    const run = await swf.start();
    expect((await swf.info(run)).cancelRequested ?? false).toBe(false);
    expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId, ...(withRunId ? { runId: run.runId } : {}) }));
    expect((await swf.infoWhen(run, (i) => i.cancelRequested === true)).cancelRequested).toBe(true);
    expect((await swf.listedWhen(run.workflowId, 'Open', (l) => l[0]?.cancelRequested === true))[0]?.cancelRequested).toBe(true);
  },
);

/**
 * Every way a cancel-requested execution closes. The recordings show a CANCELED and a COMPLETED
 * close; the others are judged under the inferred clause.
 */
const closes: [string, 'CANCELED' | 'COMPLETED' | 'FAILED' | 'TERMINATED', (swf: Scenario, run: Run) => Promise<void>][] = [
  [
    'the decider cancels it',
    'CANCELED',
    async (swf, run) => {
      await swf.decide(run, [{ decisionType: 'CancelWorkflowExecution' }]);
    },
  ],
  [
    'the decider completes it anyway',
    'COMPLETED',
    async (swf, run) => {
      await swf.decide(run, [{ decisionType: 'CompleteWorkflowExecution' }]);
    },
  ],
  [
    'the decider fails it',
    'FAILED',
    async (swf, run) => {
      await swf.decide(run, [{ decisionType: 'FailWorkflowExecution', failWorkflowExecutionDecisionAttributes: { reason: 'r' } }]);
    },
  ],
  [
    'it is terminated',
    'TERMINATED',
    async (swf, run) => {
      expectSuccess(await swf.terminate({ domain: swf.domain, ...run }));
    },
  ],
];

for (const [how, status, close] of closes) {
  const recorded = status === 'CANCELED' || status === 'COMPLETED';
  const clause = recorded
    ? cites('cancel.state.closed-reads-false', { case: `close:${status}` })
    : cites('cancel.state.closed-reads-false.other-closes');
  it(`once closed it reads cancelRequested false: ${how} (${status})`, clause, async ({ swf }) => {
    const run = await swf.start();
    await swf.decide(run, []);
    expectSuccess(await swf.cancel({ domain: swf.domain, ...run }));
    await swf.infoWhen(run, (i) => i.cancelRequested === true);
    await close(swf, run);
    const info = await swf.infoWhen(run, (i) => i.executionStatus === 'CLOSED');
    expect([info.executionStatus, info.cancelRequested ?? false]).toEqual(['CLOSED', false]);
  });
}

it(
  'whether answering a decision task clears cancelRequested: reported',
  cites('cancel.state.after-decision.reported'),
  async ({ swf, task, annotate }) => {
    const run = await swf.start();
    expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
    await swf.infoWhen(run, (i) => i.cancelRequested === true);
    await swf.decide(run, []);
    const info = await swf.info(run);
    // Report-only: the execution must still be open; the flag is the target's choice.
    expect(info.executionStatus).toBe('OPEN');
    task.meta.observed = info.cancelRequested
      ? 'cancelRequested stays true after the decider answers'
      : 'answering the decision task cleared cancelRequested';
    await annotate(task.meta.observed);
  },
);

it(
  'with no decision task out, one is scheduled after the request, and the decider sees the request',
  cites('cancel.decision-task.scheduled'),
  async ({ swf }) => {
    const run = await swf.start();
    await swf.decide(run, []);
    const before = (await swf.history(run)).length;
    expect((await swf.describeWhen(run, (d) => d.openCounts.openDecisionTasks === 0)).openCounts.openDecisionTasks).toBe(0);
    expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
    expect((await swf.historyWith(run, 'DecisionTaskScheduled', before)).slice(before).map((e) => e.eventType)).toEqual([
      'WorkflowExecutionCancelRequested',
      'DecisionTaskScheduled',
    ]);
    const { taskEvents } = await swf.decide(run, []);
    expect(taskEvents.map((e) => e.eventType)).toContain('WorkflowExecutionCancelRequested');
  },
);

it(
  'with no decision task out, a decider already waiting on its task list receives the task the request schedules',
  cites('cancel.decision-task.scheduled'),
  async ({ swf, skip }) => {
    const run = await swf.start();
    await swf.decide(run, []);
    let answered = false;
    const waiting = swf.poll(run).finally(() => {
      answered = true;
    });
    await swf.pause(50);
    if (answered) {
      await waiting;
      return skip('no poll was waiting: the target answered an empty poll within 50 ms (it does not long-poll)');
    }
    expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
    // An empty answer that arrived before the request's own answer was made before the request took
    // effect: the target answers polls at once and was only slower than 50 ms to say so.
    const emptyBeforeRequest = answered;
    const task = await waiting;
    if (!task.taskToken && emptyBeforeRequest) {
      return skip('no poll was waiting: the target answered an empty poll before the cancel request was answered (it does not long-poll)');
    }
    expect(task.taskToken, 'the waiting poll received no task').toBeTruthy();
    expect((task.events ?? []).map((e) => e.eventType)).toContain('WorkflowExecutionCancelRequested');
  },
);

it(
  'with a decision task out at a decider, the next is scheduled at once and handed out after the answer',
  cites('cancel.decision-task.while-started'),
  async ({ swf }) => {
    const run = await swf.start();
    const token = await swf.takeTask(run);
    const before = (await swf.history(run)).length;
    expectSuccess(await swf.cancel({ domain: swf.domain, ...run }));
    const added = (await swf.historyWith(run, 'DecisionTaskScheduled', before)).slice(before).map((e) => e.eventType);
    expect(added).toEqual(['WorkflowExecutionCancelRequested', 'DecisionTaskScheduled']);
    expect((await swf.describeWhen(run, (d) => d.openCounts.openDecisionTasks === 1)).openCounts.openDecisionTasks).toBe(1);
    await swf.raw.call('RespondDecisionTaskCompleted', { taskToken: token, decisions: [] });
    const events = await swf.historyWith(run, 'DecisionTaskCompleted', before);
    expect(events.slice(before).map((e) => e.eventType)).toEqual([
      'WorkflowExecutionCancelRequested',
      'DecisionTaskScheduled',
      'DecisionTaskCompleted',
    ]);
    const next = await swf.decide(run, []);
    expect(next.taskEvents.map((e) => e.eventType)).toContain('WorkflowExecutionCancelRequested');
  },
);

it('openDecisionTasks counts a scheduled task, not one out at a decider', cites('cancel.decision-task.open-count'), async ({ swf }) => {
  const run = await swf.start();
  expect((await swf.describeWhen(run, (d) => d.openCounts.openDecisionTasks === 1)).openCounts.openDecisionTasks).toBe(1);
  await swf.takeTask(run);
  expect((await swf.describeWhen(run, (d) => d.openCounts.openDecisionTasks === 0)).openCounts.openDecisionTasks).toBe(0);
});

it(
  'with a decision task out at a decider and the next already scheduled, a further request schedules no other',
  cites('cancel.decision-task.single-active'),
  async ({ swf }) => {
    const run = await swf.start();
    const token = await swf.takeTask(run);
    const started = (await swf.history(run)).length;
    expectSuccess(await swf.cancel({ domain: swf.domain, ...run }));
    await swf.historyWith(run, 'DecisionTaskScheduled', started);
    // A repeated request may or may not be recorded (cancel.repeat.reported); either way it finds a task scheduled.
    expectSuccess(await swf.cancel({ domain: swf.domain, ...run }));
    await swf.raw.call('RespondDecisionTaskCompleted', { taskToken: token, decisions: [] });
    const events = (await swf.historyWith(run, 'DecisionTaskCompleted', started)).slice(started).map((e) => e.eventType);
    // At most one: whether one is scheduled at all is cancel.decision-task.while-started's business.
    expect(events.filter((t) => t === 'DecisionTaskScheduled').length, events.join(', ')).toBeLessThanOrEqual(1);
    expect((await swf.describe(run)).openCounts?.openDecisionTasks).toBeLessThanOrEqual(1);
  },
);

it('with a decision task already scheduled, no second one is', cites('cancel.decision-task.single-active'), async ({ swf }) => {
  const run = await swf.start();
  expect((await swf.describeWhen(run, (d) => d.openCounts.openDecisionTasks === 1)).openCounts.openDecisionTasks).toBe(1);
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
  const events = (await swf.historyWith(run, 'WorkflowExecutionCancelRequested')).map((e) => e.eventType);
  expect(events.filter((t) => t === 'DecisionTaskScheduled')).toHaveLength(1);
  const after = await swf.describeWhen(run, (d) => d.executionInfo.cancelRequested === true);
  expect(after.openCounts.openDecisionTasks).toBe(1);
});

it('a repeated request: the outcome is reported', cites('cancel.repeat.reported'), async ({ swf, task, annotate }) => {
  const run = await swf.start();
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
  const again = await swf.cancel({ domain: swf.domain, workflowId: run.workflowId });
  expect(again.status, again.text).toBeLessThan(500);
  const requests = (await swf.historyWith(run, 'WorkflowExecutionCancelRequested')).filter(
    (e) => e.eventType === 'WorkflowExecutionCancelRequested',
  ).length;
  // Report-only: the target's choice is recorded; only an open execution and a sane answer are required.
  expect((await swf.info(run)).executionStatus).toBe('OPEN');
  task.meta.observed =
    again.status === 200
      ? `accepted, ${requests} cancel-request events`
      : `refused with ${again.error?.code}, ${requests} cancel-request event(s)`;
  await annotate(`repeated cancel request: ${task.meta.observed}`);
});

it('children of the execution are not touched', cites('cancel.children.untouched'), async ({ swf }) => {
  const { parent, child } = await swf.family({ typeDefault: 'TERMINATE' }, { childPolicy: 'TERMINATE' });
  const before = (await swf.history(child)).length;
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: parent.workflowId }));
  expect((await swf.history(child)).length).toBe(before);
  const info = await swf.info(child);
  expect([info.executionStatus, info.cancelRequested ?? false]).toEqual(['OPEN', false]);
});

/** A RequestCancelExternalWorkflowExecution decision naming the target, with or without its runId. */
const requestCancelOf = (target: Run, withRunId = true): Decision => ({
  decisionType: 'RequestCancelExternalWorkflowExecution',
  requestCancelExternalWorkflowExecutionDecisionAttributes: {
    workflowId: target.workflowId,
    ...(withRunId ? { runId: target.runId } : {}),
  },
});

const initiatedIn = async (swf: Scenario, requester: Run) => {
  const initiated = (await swf.historyWith(requester, 'RequestCancelExternalWorkflowExecutionInitiated')).find(
    (e) => e.eventType === 'RequestCancelExternalWorkflowExecutionInitiated',
  );
  expect(initiated, 'no RequestCancelExternalWorkflowExecutionInitiated in the requester').toBeDefined();
  return initiated!;
};

it.for([
  ['runId given', true],
  ['runId omitted', false],
] as const)(
  'a cancel request made by a decision is recorded in its target, naming the requester: %s',
  cites('cancel.by-decision.target-event'),
  async ([, withRunId], { swf }) => {
    const requester = await swf.start();
    const target = await swf.start();
    await swf.decide(requester, [requestCancelOf(target, withRunId)]);
    const initiated = await initiatedIn(swf, requester);
    const event = (await swf.historyWith(target, 'WorkflowExecutionCancelRequested')).find(
      (e) => e.eventType === 'WorkflowExecutionCancelRequested',
    );
    expect(event, 'no WorkflowExecutionCancelRequested in the target').toBeDefined();
    expect(event?.workflowExecutionCancelRequestedEventAttributes).toEqual({
      externalInitiatedEventId: initiated.eventId,
      externalWorkflowExecution: requester,
    });
    expect((await swf.infoWhen(target, (i) => i.cancelRequested === true)).cancelRequested).toBe(true);
  },
);

/** The requester asks the target to cancel, by a decision; the requester's events once acknowledged. */
async function acknowledgedRequest(swf: Scenario, withRunId: boolean) {
  const requester = await swf.start();
  const target = await swf.start();
  const decision = requestCancelOf(target, withRunId);
  decision.requestCancelExternalWorkflowExecutionDecisionAttributes!.control = 'control 😀';
  await swf.decide(requester, [decision]);
  const initiated = await initiatedIn(swf, requester);
  const { events, at } = await swf.historyPast(requester, 'ExternalWorkflowExecutionCancelRequested');
  return { target, initiated, events, at };
}

// The recording names the target's runId; which run the events name was printed as fixed text.
for (const [form, withRunId] of [
  ['runId given', true],
  ['runId omitted', false],
] as const) {
  const acknowledged = withRunId
    ? cites('cancel.by-decision.acknowledged', { case: 'run-id:given' })
    : cites('cancel.by-decision.acknowledged.names-target');
  it(`the requester records ExternalWorkflowExecutionCancelRequested, then a decision task: ${form}`, acknowledged, async ({ swf }) => {
    const { initiated, events, at } = await acknowledgedRequest(swf, withRunId);
    const completed = events.filter((e) => e.eventType === 'DecisionTaskCompleted' && e.eventId < initiated.eventId).at(-1);
    const attributes = initiated.requestCancelExternalWorkflowExecutionInitiatedEventAttributes;
    expect({ control: attributes?.control, decisionTaskCompletedEventId: attributes?.decisionTaskCompletedEventId }).toEqual({
      control: 'control 😀',
      decisionTaskCompletedEventId: completed?.eventId,
    });
    expect(at, 'no ExternalWorkflowExecutionCancelRequested in the requester').toBeGreaterThan(-1);
    expect(events[at]?.externalWorkflowExecutionCancelRequestedEventAttributes?.initiatedEventId).toBe(initiated.eventId);
    expect(events[at + 1]?.eventType).toBe('DecisionTaskScheduled');
  });

  it(`the requester's events name the target it asked: ${form}`, cites('cancel.by-decision.acknowledged.names-target'), async ({ swf }) => {
    const { target, initiated, events, at } = await acknowledgedRequest(swf, withRunId);
    const attributes = initiated.requestCancelExternalWorkflowExecutionInitiatedEventAttributes;
    expect({ workflowId: attributes?.workflowId, runId: attributes?.runId }).toEqual({
      workflowId: target.workflowId,
      runId: withRunId ? target.runId : undefined,
    });
    expect(at, 'no ExternalWorkflowExecutionCancelRequested in the requester').toBeGreaterThan(-1);
    expect(events[at]?.externalWorkflowExecutionCancelRequestedEventAttributes?.workflowExecution).toEqual(target);
  });
}

it(
  'a cancel request by decision for a workflowId nobody has fails with UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION, then a decision task',
  cites('cancel.by-decision.unknown'),
  async ({ swf }) => {
    const requester = await swf.start();
    const nobody = { workflowId: swf.id('nobody'), runId: '' };
    await swf.decide(requester, [requestCancelOf(nobody, false)]);
    const initiated = await initiatedIn(swf, requester);
    const { events, at } = await swf.historyPast(requester, 'RequestCancelExternalWorkflowExecutionFailed');
    expect(at, 'no RequestCancelExternalWorkflowExecutionFailed in the requester').toBeGreaterThan(-1);
    expect(events[at]?.requestCancelExternalWorkflowExecutionFailedEventAttributes).toMatchObject({
      cause: 'UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION',
      workflowId: nobody.workflowId,
      initiatedEventId: initiated.eventId,
    });
    expect(events[at + 1]?.eventType).toBe('DecisionTaskScheduled');
  },
);

/** Every close a decision can make in the same decision task as the cancel request. */
const closingDecisions: [string, string, Decision][] = [
  ['completes', 'WorkflowExecutionCompleted', { decisionType: 'CompleteWorkflowExecution' }],
  ['fails', 'WorkflowExecutionFailed', { decisionType: 'FailWorkflowExecution', failWorkflowExecutionDecisionAttributes: { reason: 'r' } }],
  [
    'continues as new',
    'WorkflowExecutionContinuedAsNew',
    { decisionType: 'ContinueAsNewWorkflowExecution', continueAsNewWorkflowExecutionDecisionAttributes: {} },
  ],
];

/** The requests a closing requester can make: of an open execution, and of a workflowId nobody has (whose failure must not be recorded either). */
const afterClose = closingDecisions.flatMap(
  ([verb, closeEvent, close]) =>
    [
      [`${verb}, asking an open execution`, closeEvent, close, true],
      [`${verb}, asking a workflowId nobody has`, closeEvent, close, false],
    ] as const,
);

// Recorded: a requester that completes while asking an open execution; the other closes and targets are inferred.
for (const [how, closeEvent, close, known] of afterClose) {
  const clause =
    how === 'completes, asking an open execution'
      ? cites('cancel.by-decision.after-close', { case: 'requester:completes-asking-open' })
      : cites('cancel.by-decision.after-close.other-closes');
  it(`a requester that ${how}, in the same decision records nothing after its close event`, clause, async ({ swf }) => {
    const requester = await swf.start();
    const target = known ? await swf.start() : { workflowId: swf.id('nobody'), runId: '' };
    await swf.decide(requester, [requestCancelOf(target, known), close]);
    const events = await swf.historyWith(requester, closeEvent);
    const initiated = events.findIndex((e) => e.eventType === 'RequestCancelExternalWorkflowExecutionInitiated');
    expect(initiated, 'no RequestCancelExternalWorkflowExecutionInitiated').toBeGreaterThan(-1);
    expect(events.at(-1)?.eventType).toBe(closeEvent);
    expect(events.findIndex((e) => e.eventType === closeEvent)).toBeGreaterThan(initiated);
    expect(events.map((e) => e.eventType)).not.toContain('ExternalWorkflowExecutionCancelRequested');
    expect(events.map((e) => e.eventType)).not.toContain('RequestCancelExternalWorkflowExecutionFailed');
  });
}
