import {
  CountClosedWorkflowExecutionsCommand,
  CountOpenWorkflowExecutionsCommand,
  DeprecateDomainCommand,
  DescribeActivityTypeCommand,
  DescribeDomainCommand,
  DescribeWorkflowExecutionCommand,
  DescribeWorkflowTypeCommand,
  GetWorkflowExecutionHistoryCommand,
  ListClosedWorkflowExecutionsCommand,
  ListDomainsCommand,
  ListOpenWorkflowExecutionsCommand,
  ListWorkflowTypesCommand,
  PollForActivityTaskCommand,
  PollForDecisionTaskCommand,
  RecordActivityTaskHeartbeatCommand,
  RegisterActivityTypeCommand,
  RegisterDomainCommand,
  RegisterWorkflowTypeCommand,
  RequestCancelWorkflowExecutionCommand,
  RespondDecisionTaskCompletedCommand,
  StartWorkflowExecutionCommand,
  TerminateWorkflowExecutionCommand,
  UndeprecateDomainCommand,
  type ChildPolicy,
  type Decision,
  type HistoryEvent,
} from '@aws-sdk/client-swf';
import { describe, expect, test } from 'vitest';
import { assertShape } from '../../src/contract/validators.ts';
import { unique, useReference } from './helpers.ts';

const h = useReference();
const sdk = () => h.sdk;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error('expected a fault, got success');
}

/** A fresh domain with one workflow type, its default child policy given. */
async function world(defaultChildPolicy?: ChildPolicy) {
  const domain = unique('dom');
  const taskList = unique('tl');
  const type = { name: 'wf', version: '1' };
  await sdk().send(new RegisterDomainCommand({ name: domain, workflowExecutionRetentionPeriodInDays: '1' }));
  await sdk().send(
    new RegisterWorkflowTypeCommand({
      domain,
      ...type,
      defaultTaskList: { name: taskList },
      defaultExecutionStartToCloseTimeout: '3600',
      defaultTaskStartToCloseTimeout: '60',
      ...(defaultChildPolicy ? { defaultChildPolicy } : {}),
    }),
  );
  const start = async (workflowId = unique('wf'), extra: Record<string, unknown> = {}) => {
    const { runId } = await sdk().send(new StartWorkflowExecutionCommand({ domain, workflowId, workflowType: type, ...extra }));
    return { workflowId, runId: runId! };
  };
  const poll = () => sdk().send(new PollForDecisionTaskCommand({ domain, taskList: { name: taskList } }));
  const history = async (execution: { workflowId: string; runId: string }) =>
    (await sdk().send(new GetWorkflowExecutionHistoryCommand({ domain, execution }))).events ?? [];
  const types = async (execution: { workflowId: string; runId: string }) => (await history(execution)).map((e) => e.eventType);
  const describeExecution = async (execution: { workflowId: string; runId: string }) =>
    sdk().send(new DescribeWorkflowExecutionCommand({ domain, execution }));
  /** Polls until the task for `workflowId` comes, answering nothing to others. */
  const taskFor = async (workflowId: string) => {
    for (let i = 0; i < 20; i += 1) {
      const task = await poll();
      if (task.workflowExecution?.workflowId === workflowId) return task;
      if (task.taskToken) await sdk().send(new RespondDecisionTaskCompletedCommand({ taskToken: task.taskToken, decisions: [] }));
    }
    throw new Error(`no decision task for ${workflowId}`);
  };
  const decide = async (workflowId: string, decisions: Decision[]) => {
    const task = await taskFor(workflowId);
    await sdk().send(new RespondDecisionTaskCompletedCommand({ taskToken: task.taskToken!, decisions }));
    return task;
  };
  const startChild = (workflowId: string, childPolicy?: ChildPolicy): Decision => ({
    decisionType: 'StartChildWorkflowExecution',
    startChildWorkflowExecutionDecisionAttributes: { workflowType: type, workflowId, ...(childPolicy ? { childPolicy } : {}) },
  });
  return { domain, taskList, type, start, poll, history, types, describeExecution, taskFor, decide, startChild };
}

describe('domains', () => {
  test('register, describe, deprecate, undeprecate, list', async () => {
    const name = unique('dom');
    await sdk().send(new RegisterDomainCommand({ name, workflowExecutionRetentionPeriodInDays: '3', description: 'd' }));
    expect(await codeOf(sdk().send(new RegisterDomainCommand({ name, workflowExecutionRetentionPeriodInDays: '3' })))).toBe(
      'DomainAlreadyExistsFault',
    );
    const detail = await sdk().send(new DescribeDomainCommand({ name }));
    expect(detail.domainInfo).toMatchObject({
      name,
      status: 'REGISTERED',
      description: 'd',
      arn: `arn:aws:swf:us-east-1:000000000000:/domain/${name}`,
    });
    expect(detail.configuration?.workflowExecutionRetentionPeriodInDays).toBe('3');
    await sdk().send(new DeprecateDomainCommand({ name }));
    expect(await codeOf(sdk().send(new DeprecateDomainCommand({ name })))).toBe('DomainDeprecatedFault');
    const deprecated = await sdk().send(new ListDomainsCommand({ registrationStatus: 'DEPRECATED' }));
    expect(deprecated.domainInfos?.map((d) => d.name)).toContain(name);
    await sdk().send(new UndeprecateDomainCommand({ name }));
    expect(await codeOf(sdk().send(new UndeprecateDomainCommand({ name })))).toBe('DomainAlreadyExistsFault');
    const registered = await sdk().send(new ListDomainsCommand({ registrationStatus: 'REGISTERED' }));
    expect(registered.domainInfos?.map((d) => d.name)).toContain(name);
  });

  test('list pages with maximumPageSize and nextPageToken', async () => {
    for (let i = 0; i < 3; i += 1)
      await sdk().send(new RegisterDomainCommand({ name: unique('page'), workflowExecutionRetentionPeriodInDays: '1' }));
    const first = await sdk().send(new ListDomainsCommand({ registrationStatus: 'REGISTERED', maximumPageSize: 2 }));
    expect(first.domainInfos).toHaveLength(2);
    const second = await sdk().send(
      new ListDomainsCommand({ registrationStatus: 'REGISTERED', maximumPageSize: 2, nextPageToken: first.nextPageToken }),
    );
    expect(second.domainInfos?.[0]?.name).not.toBe(first.domainInfos?.[0]?.name);
  });

  test('an unknown domain is UnknownResourceFault', async () => {
    expect(await codeOf(sdk().send(new DescribeDomainCommand({ name: unique('none') })))).toBe('UnknownResourceFault');
  });
});

describe('workflow types', () => {
  test('register, describe, list; a second registration is TypeAlreadyExistsFault', async () => {
    const w = await world('ABANDON');
    const detail = await sdk().send(new DescribeWorkflowTypeCommand({ domain: w.domain, workflowType: w.type }));
    expect(detail.typeInfo).toMatchObject({ workflowType: w.type, status: 'REGISTERED' });
    expect(detail.configuration).toMatchObject({ defaultChildPolicy: 'ABANDON', defaultTaskList: { name: w.taskList } });
    const list = await sdk().send(new ListWorkflowTypesCommand({ domain: w.domain, registrationStatus: 'REGISTERED' }));
    expect(list.typeInfos?.map((t) => t.workflowType)).toEqual([w.type]);
    expect(await codeOf(sdk().send(new RegisterWorkflowTypeCommand({ domain: w.domain, ...w.type })))).toBe('TypeAlreadyExistsFault');
  });
});

describe('activity types and tasks', () => {
  test('an activity type is described with the defaults it was registered with; an unknown one is UnknownResourceFault', async () => {
    const w = await world();
    const activityType = { name: 'act', version: '1' };
    await sdk().send(
      new RegisterActivityTypeCommand({
        domain: w.domain,
        ...activityType,
        defaultTaskList: { name: w.taskList },
        defaultTaskHeartbeatTimeout: '10',
        defaultTaskScheduleToCloseTimeout: '60',
        defaultTaskScheduleToStartTimeout: '30',
        defaultTaskStartToCloseTimeout: '15',
      }),
    );
    const detail = await sdk().send(new DescribeActivityTypeCommand({ domain: w.domain, activityType }));
    expect(detail.typeInfo).toMatchObject({ activityType, status: 'REGISTERED' });
    expect(detail.configuration).toEqual({
      defaultTaskList: { name: w.taskList },
      defaultTaskHeartbeatTimeout: '10',
      defaultTaskScheduleToCloseTimeout: '60',
      defaultTaskScheduleToStartTimeout: '30',
      defaultTaskStartToCloseTimeout: '15',
    });
    expect(
      await codeOf(sdk().send(new DescribeActivityTypeCommand({ domain: w.domain, activityType: { name: 'act', version: '2' } }))),
    ).toBe('UnknownResourceFault');
  });

  // As flowy recorded (fixtures/recordings/aws/flowy.activities.har): a task no worker took times
  // out after its scheduleToCloseTimeout with startedEventId 0, and the decider is woken.
  test.for([
    ['SCHEDULE_TO_CLOSE', { scheduleToCloseTimeout: '1' }, false],
    ['SCHEDULE_TO_START', { scheduleToStartTimeout: '1' }, false],
    ['START_TO_CLOSE', { startToCloseTimeout: '1' }, true],
    ['HEARTBEAT', { heartbeatTimeout: '1' }, true],
  ] as const)('an activity task times out: %s', { timeout: 60_000 }, async ([timeoutType, timeouts, take]) => {
    const w = await world('TERMINATE');
    const activityType = { name: 'act', version: '1' };
    await sdk().send(new RegisterActivityTypeCommand({ domain: w.domain, ...activityType }));
    const run = await w.start();
    await w.decide(run.workflowId, [
      {
        decisionType: 'ScheduleActivityTask',
        scheduleActivityTaskDecisionAttributes: { activityType, activityId: 'a1', taskList: { name: `${w.taskList}-act` }, ...timeouts },
      },
    ]);
    const task = take
      ? await sdk().send(new PollForActivityTaskCommand({ domain: w.domain, taskList: { name: `${w.taskList}-act` } }))
      : undefined;
    if (take) expect(task?.activityId).toBe('a1');
    let events: HistoryEvent[] = [];
    for (let i = 0; i < 40 && !events.some((e) => e.eventType === 'ActivityTaskTimedOut'); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      events = await w.history(run);
    }
    const scheduled = events.find((e) => e.eventType === 'ActivityTaskScheduled')!;
    const timedOut = events.find((e) => e.eventType === 'ActivityTaskTimedOut');
    expect(timedOut?.activityTaskTimedOutEventAttributes).toEqual({
      timeoutType,
      scheduledEventId: scheduled.eventId,
      startedEventId: take ? task!.startedEventId : 0,
    });
    expect(events.at(-1)?.eventType).toBe('DecisionTaskScheduled');
  });

  // A heartbeat moves the heartbeat timeout: it counts from the latest beat, not from the start,
  // and the timeout carries the beat's details. Judged by the event's own time against when the
  // beat was sent, with 2.5 s to spare, so that a busy machine cannot turn it.
  test("a heartbeat moves the HEARTBEAT timeout, and its details are the timeout's", { timeout: 60_000 }, async () => {
    const w = await world('TERMINATE');
    const activityType = { name: 'beat', version: '1' };
    await sdk().send(new RegisterActivityTypeCommand({ domain: w.domain, ...activityType }));
    const run = await w.start();
    const taskList = { name: `${w.taskList}-beat` };
    await w.decide(run.workflowId, [
      {
        decisionType: 'ScheduleActivityTask',
        scheduleActivityTaskDecisionAttributes: { activityType, activityId: 'a1', taskList, heartbeatTimeout: '3' },
      },
    ]);
    const task = await sdk().send(new PollForActivityTaskCommand({ domain: w.domain, taskList }));
    await new Promise((r) => setTimeout(r, 500));
    const beatSent = Date.now() / 1000;
    await sdk().send(new RecordActivityTaskHeartbeatCommand({ taskToken: task.taskToken!, details: 'beat' }));
    let events: HistoryEvent[] = [];
    for (let i = 0; i < 100 && !events.some((e) => e.eventType === 'ActivityTaskTimedOut'); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      events = await w.history(run);
    }
    const started = events.find((e) => e.eventType === 'ActivityTaskStarted')!;
    const timedOut = events.find((e) => e.eventType === 'ActivityTaskTimedOut')!;
    expect(timedOut.activityTaskTimedOutEventAttributes).toMatchObject({ timeoutType: 'HEARTBEAT', details: 'beat' });
    // Counted from the beat: 3 s after it was sent, where from the start it would have come 3 s after the start.
    expect(timedOut.eventTimestamp!.getTime() / 1000).toBeGreaterThanOrEqual(beatSent + 3 - 0.05);
    expect(beatSent).toBeGreaterThan(started.eventTimestamp!.getTime() / 1000 + 0.4);
  });
});

describe('StartWorkflowExecution', () => {
  test('records the start and schedules a decision task; child policy from the type default', async () => {
    const w = await world('REQUEST_CANCEL');
    const run = await w.start(undefined, { tagList: ['a', 'b'], input: 'in' });
    const events = await w.history(run);
    expect(events.map((e) => e.eventType)).toEqual(['WorkflowExecutionStarted', 'DecisionTaskScheduled']);
    expect(events[0]?.workflowExecutionStartedEventAttributes).toMatchObject({
      childPolicy: 'REQUEST_CANCEL',
      tagList: ['a', 'b'],
      input: 'in',
    });
    const detail = await w.describeExecution(run);
    expect(detail.executionConfiguration?.childPolicy).toBe('REQUEST_CANCEL');
    expect(detail.executionInfo?.tagList).toEqual(['a', 'b']);
  });

  test("the request's child policy wins over the type default", async () => {
    const w = await world('TERMINATE');
    const run = await w.start(undefined, { childPolicy: 'ABANDON' });
    expect((await w.describeExecution(run)).executionConfiguration?.childPolicy).toBe('ABANDON');
  });

  test('DefaultUndefinedFault without any child policy; WorkflowExecutionAlreadyStartedFault for an open workflowId', async () => {
    const w = await world();
    expect(await codeOf(w.start())).toBe('DefaultUndefinedFault');
    const run = await w.start(undefined, { childPolicy: 'TERMINATE' });
    expect(await codeOf(w.start(run.workflowId, { childPolicy: 'TERMINATE' }))).toBe('WorkflowExecutionAlreadyStartedFault');
  });

  test('an unknown type is UnknownResourceFault; a deprecated domain accepts no start', async () => {
    const w = await world('TERMINATE');
    expect(
      await codeOf(
        sdk().send(new StartWorkflowExecutionCommand({ domain: w.domain, workflowId: 'x', workflowType: { name: 'no', version: '1' } })),
      ),
    ).toBe('UnknownResourceFault');
    await sdk().send(new DeprecateDomainCommand({ name: w.domain }));
    expect(await codeOf(w.start())).toBe('UnknownResourceFault');
  });
});

describe('PollForDecisionTask', () => {
  test('a poll with nothing to do ends after the configured bound with no task', async () => {
    const w = await world('TERMINATE');
    const started = Date.now();
    const task = await w.poll();
    expect(task.taskToken).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  test('a waiting poll gets the task of an execution started after it', async () => {
    const w = await world('TERMINATE');
    const waiting = w.poll();
    await new Promise((r) => setTimeout(r, 50));
    const run = await w.start();
    const task = await waiting;
    expect(task.workflowExecution).toEqual(run);
    expect(task.events?.map((e) => e.eventType)).toEqual(['WorkflowExecutionStarted', 'DecisionTaskScheduled', 'DecisionTaskStarted']);
    expect(task.startedEventId).toBe(3);
  });

  test('events page with maximumPageSize and reverseOrder', async () => {
    const w = await world('TERMINATE');
    const run = await w.start();
    const first = await sdk().send(
      new PollForDecisionTaskCommand({ domain: w.domain, taskList: { name: w.taskList }, maximumPageSize: 2, reverseOrder: true }),
    );
    expect(first.events?.map((e) => e.eventId)).toEqual([3, 2]);
    const next = await sdk().send(
      new PollForDecisionTaskCommand({
        domain: w.domain,
        taskList: { name: w.taskList },
        nextPageToken: first.nextPageToken,
        maximumPageSize: 2,
      }),
    );
    expect(next.events?.map((e) => e.eventId)).toEqual([1]);
    expect(next.workflowExecution).toEqual(run);
  });
});

describe('RespondDecisionTaskCompleted', () => {
  test('StartChildWorkflowExecution records the child in the parent and starts it', async () => {
    const w = await world('TERMINATE');
    const parent = await w.start();
    await w.decide(parent.workflowId, [w.startChild(`${parent.workflowId}-c`, 'ABANDON')]);
    const events = await w.history(parent);
    expect(events.map((e) => e.eventType)).toEqual([
      'WorkflowExecutionStarted',
      'DecisionTaskScheduled',
      'DecisionTaskStarted',
      'DecisionTaskCompleted',
      'StartChildWorkflowExecutionInitiated',
      'ChildWorkflowExecutionStarted',
      'DecisionTaskScheduled',
    ]);
    const child = events[5]?.childWorkflowExecutionStartedEventAttributes?.workflowExecution as { workflowId: string; runId: string };
    expect(events[4]?.startChildWorkflowExecutionInitiatedEventAttributes).toMatchObject({
      childPolicy: 'ABANDON',
      decisionTaskCompletedEventId: 4,
    });
    const childStart = (await w.history(child))[0]?.workflowExecutionStartedEventAttributes;
    expect(childStart).toMatchObject({ parentWorkflowExecution: parent, parentInitiatedEventId: 5, childPolicy: 'ABANDON' });
    expect((await w.describeExecution(parent)).openCounts?.openChildWorkflowExecutions).toBe(1);
    expect((await w.describeExecution(child)).executionInfo?.parent).toEqual(parent);
  });

  test('a child that closes is recorded in its parent', async () => {
    const w = await world('TERMINATE');
    const parent = await w.start();
    await w.decide(parent.workflowId, [w.startChild(`${parent.workflowId}-c`)]);
    await w.decide(`${parent.workflowId}-c`, [
      { decisionType: 'CompleteWorkflowExecution', completeWorkflowExecutionDecisionAttributes: { result: 'ok' } },
    ]);
    const types = await w.types(parent);
    expect(types).toContain('ChildWorkflowExecutionCompleted');
  });

  test.for([
    ['CompleteWorkflowExecution', 'WorkflowExecutionCompleted', 'COMPLETED'],
    ['FailWorkflowExecution', 'WorkflowExecutionFailed', 'FAILED'],
    ['CancelWorkflowExecution', 'WorkflowExecutionCanceled', 'CANCELED'],
  ] as const)('%s closes the execution with %s', async ([decisionType, eventType, closeStatus]) => {
    const w = await world('TERMINATE');
    const run = await w.start();
    await w.decide(run.workflowId, [{ decisionType }]);
    expect((await w.types(run)).at(-1)).toBe(eventType);
    const info = (await w.describeExecution(run)).executionInfo;
    expect(info).toMatchObject({ executionStatus: 'CLOSED', closeStatus });
    expect(info?.closeTimestamp).toBeInstanceOf(Date);
  });

  test('a closing decision fails with UNHANDLED_DECISION when a cancel request arrived meanwhile', async () => {
    const w = await world('TERMINATE');
    const run = await w.start();
    const task = await w.taskFor(run.workflowId);
    await sdk().send(new RequestCancelWorkflowExecutionCommand({ domain: w.domain, workflowId: run.workflowId }));
    await sdk().send(
      new RespondDecisionTaskCompletedCommand({ taskToken: task.taskToken!, decisions: [{ decisionType: 'CompleteWorkflowExecution' }] }),
    );
    const events = await w.history(run);
    // The request scheduled the next task at once (recorded for events arriving while a task is started).
    expect(events.map((e) => e.eventType).slice(-4)).toEqual([
      'WorkflowExecutionCancelRequested',
      'DecisionTaskScheduled',
      'DecisionTaskCompleted',
      'CompleteWorkflowExecutionFailed',
    ]);
    expect((await w.describeExecution(run)).executionInfo?.executionStatus).toBe('OPEN');
    // That task is handed out next, and holds the request and the failure.
    const next = await w.taskFor(run.workflowId);
    const scheduled = events.find((e) => e.eventType === 'DecisionTaskScheduled' && (e.eventId ?? 0) > 3);
    expect(next.events?.slice(-3).map((e) => e.eventType)).toEqual([
      'DecisionTaskCompleted',
      'CompleteWorkflowExecutionFailed',
      'DecisionTaskStarted',
    ]);
    expect(next.events?.at(-1)?.decisionTaskStartedEventAttributes?.scheduledEventId).toBe(scheduled?.eventId);
  });

  test('ContinueAsNewWorkflowExecution closes the run and starts the next with the same workflowId', async () => {
    const w = await world('TERMINATE');
    const run = await w.start();
    await w.decide(run.workflowId, [
      {
        decisionType: 'ContinueAsNewWorkflowExecution',
        continueAsNewWorkflowExecutionDecisionAttributes: { input: 'next', childPolicy: 'ABANDON' },
      },
    ]);
    const last = (await w.history(run)).at(-1);
    expect(last?.eventType).toBe('WorkflowExecutionContinuedAsNew');
    const next = { workflowId: run.workflowId, runId: last!.workflowExecutionContinuedAsNewEventAttributes!.newExecutionRunId! };
    expect((await w.describeExecution(run)).executionInfo?.closeStatus).toBe('CONTINUED_AS_NEW');
    const started = (await w.history(next))[0]?.workflowExecutionStartedEventAttributes;
    expect(started).toMatchObject({ continuedExecutionRunId: run.runId, childPolicy: 'ABANDON', input: 'next' });
  });

  test('RequestCancelExternalWorkflowExecution records the request in the target and the requester', async () => {
    const w = await world('TERMINATE');
    const target = await w.start();
    const requester = await w.start();
    await w.decide(requester.workflowId, [
      {
        decisionType: 'RequestCancelExternalWorkflowExecution',
        requestCancelExternalWorkflowExecutionDecisionAttributes: { workflowId: target.workflowId },
      },
    ]);
    const requesterEvents = await w.history(requester);
    expect(requesterEvents.map((e) => e.eventType)).toContain('ExternalWorkflowExecutionCancelRequested');
    const cancel = (await w.history(target)).find((e) => e.eventType === 'WorkflowExecutionCancelRequested');
    expect(cancel?.workflowExecutionCancelRequestedEventAttributes).toMatchObject({
      externalWorkflowExecution: requester,
      externalInitiatedEventId: 5,
    });
    expect((await w.describeExecution(target)).executionInfo?.cancelRequested).toBe(true);
  });

  test('an unknown task token is UnknownResourceFault', async () => {
    expect(await codeOf(sdk().send(new RespondDecisionTaskCompletedCommand({ taskToken: 'nope' })))).toBe('UnknownResourceFault');
  });
});

describe('RequestCancelWorkflowExecution and TerminateWorkflowExecution', () => {
  /** A parent with one child and one grandchild, each started with the given policies. */
  async function family(parentPolicy: ChildPolicy, childPolicy: ChildPolicy) {
    const w = await world('TERMINATE');
    const parent = await w.start(undefined, { childPolicy: parentPolicy });
    await w.decide(parent.workflowId, [w.startChild(`${parent.workflowId}-c`, childPolicy)]);
    await w.decide(`${parent.workflowId}-c`, [w.startChild(`${parent.workflowId}-g`, 'ABANDON')]);
    const open = await sdk().send(
      new ListOpenWorkflowExecutionsCommand({ domain: w.domain, startTimeFilter: { oldestDate: new Date(0) } }),
    );
    const run = (id: string) =>
      open.executionInfos!.find((i) => i.execution?.workflowId === id)!.execution as { workflowId: string; runId: string };
    return { w, parent, child: run(`${parent.workflowId}-c`), grandchild: run(`${parent.workflowId}-g`) };
  }
  const status = async (w: Awaited<ReturnType<typeof world>>, run: { workflowId: string; runId: string }) => {
    const info = (await w.describeExecution(run)).executionInfo!;
    return [info.executionStatus, info.closeStatus ?? null, info.cancelRequested ?? false];
  };
  const lastOf = async (w: Awaited<ReturnType<typeof world>>, run: { workflowId: string; runId: string }): Promise<HistoryEvent> =>
    (await w.history(run)).at(-1)!;

  test('TERMINATE terminates the child, whose own policy then terminates the grandchild', async () => {
    const { w, parent, child, grandchild } = await family('TERMINATE', 'TERMINATE');
    await sdk().send(new TerminateWorkflowExecutionCommand({ domain: w.domain, workflowId: parent.workflowId, reason: 'r', details: 'd' }));
    expect((await lastOf(w, parent)).workflowExecutionTerminatedEventAttributes).toEqual({
      reason: 'r',
      details: 'd',
      childPolicy: 'TERMINATE',
      cause: 'OPERATOR_INITIATED',
    });
    expect((await lastOf(w, child)).workflowExecutionTerminatedEventAttributes).toEqual({
      childPolicy: 'TERMINATE',
      cause: 'CHILD_POLICY_APPLIED',
    });
    expect(await status(w, grandchild)).toEqual(['CLOSED', 'TERMINATED', false]);
    expect((await lastOf(w, grandchild)).workflowExecutionTerminatedEventAttributes?.cause).toBe('CHILD_POLICY_APPLIED');
  });

  test('REQUEST_CANCEL asks the child to cancel and leaves it open; the grandchild is untouched', async () => {
    const { w, parent, child, grandchild } = await family('REQUEST_CANCEL', 'TERMINATE');
    await sdk().send(new TerminateWorkflowExecutionCommand({ domain: w.domain, workflowId: parent.workflowId }));
    expect(await status(w, child)).toEqual(['OPEN', null, true]);
    const cancel = (await w.history(child)).find((e) => e.eventType === 'WorkflowExecutionCancelRequested');
    expect(cancel?.workflowExecutionCancelRequestedEventAttributes).toEqual({
      cause: 'CHILD_POLICY_APPLIED',
      externalWorkflowExecution: parent,
      externalInitiatedEventId: 0,
    });
    expect(await status(w, grandchild)).toEqual(['OPEN', null, false]);
  });

  test("ABANDON leaves the children; a terminate request's policy overrides the start one", async () => {
    const { w, parent, child } = await family('TERMINATE', 'TERMINATE');
    await sdk().send(
      new TerminateWorkflowExecutionCommand({
        domain: w.domain,
        workflowId: parent.workflowId,
        runId: parent.runId,
        childPolicy: 'ABANDON',
      }),
    );
    expect((await lastOf(w, parent)).workflowExecutionTerminatedEventAttributes?.childPolicy).toBe('ABANDON');
    expect(await status(w, child)).toEqual(['OPEN', null, false]);
  });

  test('a cancel request on the parent leaves its children alone', async () => {
    const { w, parent, child } = await family('TERMINATE', 'TERMINATE');
    const before = (await w.history(child)).length;
    await sdk().send(new RequestCancelWorkflowExecutionCommand({ domain: w.domain, workflowId: parent.workflowId }));
    expect(await status(w, parent)).toEqual(['OPEN', null, true]);
    expect((await w.history(child)).length).toBe(before);
  });

  test('a directly terminated child is recorded in its parent', async () => {
    const { w, parent, child } = await family('TERMINATE', 'ABANDON');
    await sdk().send(new TerminateWorkflowExecutionCommand({ domain: w.domain, workflowId: child.workflowId }));
    expect(await w.types(parent)).toContain('ChildWorkflowExecutionTerminated');
  });
});

describe('visibility', () => {
  test('history pages forward and in reverse', async () => {
    const w = await world('TERMINATE');
    const run = await w.start();
    await sdk().send(new RequestCancelWorkflowExecutionCommand({ domain: w.domain, workflowId: run.workflowId }));
    await sdk().send(new TerminateWorkflowExecutionCommand({ domain: w.domain, workflowId: run.workflowId }));
    const all = await w.history(run);
    const page = await sdk().send(
      new GetWorkflowExecutionHistoryCommand({ domain: w.domain, execution: run, maximumPageSize: 2, reverseOrder: true }),
    );
    expect(page.events?.map((e) => e.eventId)).toEqual([all.length, all.length - 1]);
    const rest = await sdk().send(
      new GetWorkflowExecutionHistoryCommand({
        domain: w.domain,
        execution: run,
        maximumPageSize: 10,
        reverseOrder: true,
        nextPageToken: page.nextPageToken,
      }),
    );
    expect(rest.events?.map((e) => e.eventId)).toEqual(
      all
        .slice(0, -2)
        .map((e) => e.eventId)
        .reverse(),
    );
    expect(rest.nextPageToken).toBeUndefined();
  });

  test('list and count open and closed executions, with filters', async () => {
    const w = await world('TERMINATE');
    const a = await w.start(undefined, { tagList: ['x'] });
    const b = await w.start();
    await sdk().send(new TerminateWorkflowExecutionCommand({ domain: w.domain, workflowId: b.workflowId }));
    const since = { oldestDate: new Date(Date.now() - 60_000) };
    const open = await sdk().send(new ListOpenWorkflowExecutionsCommand({ domain: w.domain, startTimeFilter: since }));
    expect(open.executionInfos?.map((i) => i.execution)).toEqual([a]);
    const byTag = await sdk().send(
      new ListOpenWorkflowExecutionsCommand({ domain: w.domain, startTimeFilter: since, tagFilter: { tag: 'y' } }),
    );
    expect(byTag.executionInfos).toEqual([]);
    const closed = await sdk().send(
      new ListClosedWorkflowExecutionsCommand({ domain: w.domain, startTimeFilter: since, closeStatusFilter: { status: 'TERMINATED' } }),
    );
    expect(closed.executionInfos?.map((i) => i.execution)).toEqual([b]);
    // The closed executions are listed and counted by a time range: without one, refused (documented).
    expect(
      await codeOf(sdk().send(new ListClosedWorkflowExecutionsCommand({ domain: w.domain, closeStatusFilter: { status: 'TERMINATED' } }))),
    ).toBe('ValidationException');
    expect(await codeOf(sdk().send(new CountClosedWorkflowExecutionsCommand({ domain: w.domain })))).toBe('ValidationException');
    expect((await sdk().send(new CountOpenWorkflowExecutionsCommand({ domain: w.domain, startTimeFilter: since }))).count).toBe(1);
    expect((await sdk().send(new CountClosedWorkflowExecutionsCommand({ domain: w.domain, startTimeFilter: since }))).count).toBe(1);
    expect(
      await codeOf(
        sdk().send(
          new ListClosedWorkflowExecutionsCommand({
            domain: w.domain,
            startTimeFilter: since,
            executionFilter: { workflowId: 'x' },
            tagFilter: { tag: 'x' },
          }),
        ),
      ),
    ).toBe('ValidationException');
  });

  test('every response matches schemas/', async () => {
    const w = await world('TERMINATE');
    const run = await w.start();
    await sdk().send(new RequestCancelWorkflowExecutionCommand({ domain: w.domain, workflowId: run.workflowId }));
    const body = { domain: w.domain, execution: run };
    assertShape('WorkflowExecutionDetail', await h.raw.call('DescribeWorkflowExecution', body));
    assertShape('History', await h.raw.call('GetWorkflowExecutionHistory', body));
    assertShape(
      'WorkflowExecutionInfos',
      await h.raw.call('ListOpenWorkflowExecutions', { domain: w.domain, startTimeFilter: { oldestDate: 0 } }),
    );
    assertShape(
      'WorkflowExecutionCount',
      await h.raw.call('CountOpenWorkflowExecutions', { domain: w.domain, startTimeFilter: { oldestDate: 0 } }),
    );
    assertShape('DecisionTask', await h.raw.call('PollForDecisionTask', { domain: w.domain, taskList: { name: w.taskList } }));
  });
});
