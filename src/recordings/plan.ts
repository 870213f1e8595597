/**
 * A replay plan: the requests that reproduce a recording, in order. A recording holds only the
 * calls of the process that made it; the decider's and the worker's calls (polls, answers,
 * cancel requests, terminations) show only through their effects in the recorded histories. So
 * the plan rebuilds those calls from each history, event by event, and each rebuilt call carries
 * what the history says its answer must be (a poll answers the history up to its
 * DecisionTaskStarted). The recorded exchanges go in at their recorded time, between the events
 * that came before and after them.
 */
import type { Har, HarEntry } from '../contract/recordings.ts';
import { defined, lowerFirst } from '../contract/protocol.ts';
import { header, requestBody, responseBody } from '../contract/recordings.ts';

type Json = Record<string, unknown>;
export interface RunRef {
  workflowId: string;
  runId: string;
}
type Event = Json & { eventId: number; eventType: string; eventTimestamp?: number };

export type Step = { t: number; seq: number } & (
  | { kind: 'exchange'; index: number; entry: HarEntry; transcribed: boolean }
  | { kind: 'start'; run: RunRef; body: Json }
  | {
      kind: 'poll-decision';
      run: RunRef;
      taskList: string;
      identity?: string;
      startedEventId: number;
      previousStartedEventId: number;
      events: Event[];
      printed: boolean;
    }
  | { kind: 'respond-decision'; run: RunRef; startedEventId: number; decisions: Json[]; executionContext?: string }
  | {
      kind: 'poll-activity';
      run: RunRef;
      activityId: string;
      scheduledEventId: number;
      taskList: string;
      identity?: string;
      startedEventId: number;
    }
  | {
      kind: 'respond-activity';
      run: RunRef;
      activityId: string;
      operation: 'RespondActivityTaskCompleted' | 'RespondActivityTaskFailed' | 'RespondActivityTaskCanceled';
      body: Json;
    }
  | {
      kind: 'operation';
      run: RunRef;
      operation: 'RequestCancelWorkflowExecution' | 'TerminateWorkflowExecution' | 'SignalWorkflowExecution';
      body: Json;
    }
  | { kind: 'close-child'; run: RunRef; taskList: string; decision: Json }
  | { kind: 'await-event'; run: RunRef; eventId: number; eventType: string }
);

/** A step before it is numbered. */
type StepInput = Step extends unknown ? (Step extends infer S ? (S extends Step ? Omit<S, 'seq'> : never) : never) : never;

export interface Plan {
  domain: string;
  /** Workflow types to register: from a recorded DescribeWorkflowType's configuration, or with no defaults. */
  workflowTypes: { name: string; version: string; defaults: Json }[];
  /** Activity types to register: from a recorded DescribeActivityType's configuration, or with no defaults. */
  activityTypes: { name: string; version: string; defaults: Json }[];
  /** Each run's activities, by activityId: the id of its ActivityTaskScheduled event. */
  activitiesScheduled: Map<string, Map<string, number>>;
  /** The workflowIds whose history is recorded. */
  recorded: Set<string>;
  steps: Step[];
  /** Whether the recording's client used the older target form (boto 2). */
  legacy: boolean;
}

const key = (r: RunRef) => `${r.workflowId}|${r.runId}`;
const attributesOf = (e: Event): Json => (e[`${e.eventType[0]!.toLowerCase()}${e.eventType.slice(1)}EventAttributes`] ?? {}) as Json;
const seconds = (amzDate: string) => Date.parse(amzDate) / 1000;

/** The decision that recorded this event, or undefined when the event records none. */
function decisionOf(e: Event): Json | undefined {
  const a = attributesOf(e);
  const decision = (decisionType: string, attributes: Json) => ({
    decisionType,
    [`${lowerFirst(decisionType)}DecisionAttributes`]: defined(attributes),
  });
  switch (e.eventType) {
    case 'ActivityTaskScheduled':
      return decision('ScheduleActivityTask', {
        activityType: a.activityType,
        activityId: a.activityId,
        control: a.control,
        input: a.input,
        taskList: a.taskList,
        taskPriority: a.taskPriority,
        scheduleToCloseTimeout: a.scheduleToCloseTimeout,
        scheduleToStartTimeout: a.scheduleToStartTimeout,
        startToCloseTimeout: a.startToCloseTimeout,
        heartbeatTimeout: a.heartbeatTimeout,
      });
    case 'StartChildWorkflowExecutionInitiated':
      return decision('StartChildWorkflowExecution', {
        workflowType: a.workflowType,
        workflowId: a.workflowId,
        control: a.control,
        input: a.input,
        taskList: a.taskList,
        taskPriority: a.taskPriority,
        childPolicy: a.childPolicy,
        executionStartToCloseTimeout: a.executionStartToCloseTimeout,
        taskStartToCloseTimeout: a.taskStartToCloseTimeout,
        tagList: a.tagList,
        lambdaRole: a.lambdaRole,
      });
    case 'WorkflowExecutionCompleted':
      return decision('CompleteWorkflowExecution', { result: a.result });
    case 'WorkflowExecutionCanceled':
      return decision('CancelWorkflowExecution', { details: a.details });
    case 'WorkflowExecutionFailed':
      return decision('FailWorkflowExecution', { reason: a.reason, details: a.details });
    case 'TimerStarted':
      return decision('StartTimer', { timerId: a.timerId, control: a.control, startToFireTimeout: a.startToFireTimeout });
    case 'TimerCanceled':
      return decision('CancelTimer', { timerId: a.timerId });
    case 'MarkerRecorded':
      return decision('RecordMarker', { markerName: a.markerName, details: a.details });
    case 'ActivityTaskCancelRequested':
      return decision('RequestCancelActivityTask', { activityId: a.activityId });
    case 'SignalExternalWorkflowExecutionInitiated':
      return decision('SignalExternalWorkflowExecution', {
        workflowId: a.workflowId,
        runId: a.runId,
        signalName: a.signalName,
        input: a.input,
        control: a.control,
      });
    case 'RequestCancelExternalWorkflowExecutionInitiated':
      return decision('RequestCancelExternalWorkflowExecution', { workflowId: a.workflowId, runId: a.runId, control: a.control });
    default:
      return undefined;
  }
}

/** Builds the replay plan of a recording. */
export function planReplay(har: Har): Plan {
  const entries = har.log.entries;
  const legacy = entries.some((e) => (header(e.request.headers, 'X-Amz-Target') ?? '').startsWith('com.amazonaws.'));
  const histories = new Map<string, Event[]>();
  const eventOrders = new Map<string, number[]>();
  const workflowTypes = new Map<string, { name: string; version: string; defaults: Json }>();
  const activityTypes = new Map<string, { name: string; version: string; defaults: Json }>();
  let domain = '<domain:1>';
  /** The events a decision task handed out so far, by run: its pages put together. */
  let paged: { run: RunRef; events: Event[] } | undefined;
  for (const entry of entries) {
    const body = requestBody(entry) as Json;
    if (typeof body.domain === 'string') domain = body.domain;
    const answer = responseBody(entry) as Json | undefined;
    if (entry._operation === 'PollForDecisionTask' && answer && Array.isArray(answer.events)) {
      const run = answer.workflowExecution as RunRef;
      const before = body.nextPageToken && paged && key(paged.run) === key(run) ? paged.events : [];
      paged = { run, events: [...before, ...(answer.events as Event[])] };
      if ((histories.get(key(run))?.length ?? 0) < paged.events.length) histories.set(key(run), paged.events);
    }
    if (entry._operation === 'GetWorkflowExecutionHistory' && answer && Array.isArray(answer.events)) {
      const run = body.execution as RunRef;
      const events = answer.events as Event[];
      if (entry._eventOrder) eventOrders.set(key(run), entry._eventOrder);
      if ((histories.get(key(run))?.length ?? 0) < events.length) histories.set(key(run), events);
    }
    if (entry._operation === 'DescribeWorkflowType' && answer?.typeInfo) {
      const type = (answer.typeInfo as Json).workflowType as { name: string; version: string };
      workflowTypes.set(`${type.name}|${type.version}`, { ...type, defaults: answer.configuration as Json });
    }
    if (entry._operation === 'DescribeActivityType' && answer?.typeInfo) {
      const type = (answer.typeInfo as Json).activityType as { name: string; version: string };
      activityTypes.set(`${type.name}|${type.version}`, { ...type, defaults: answer.configuration as Json });
    }
  }
  for (const events of histories.values()) {
    for (const e of events) {
      const a = attributesOf(e);
      const type =
        e.eventType === 'WorkflowExecutionStarted' || e.eventType === 'StartChildWorkflowExecutionInitiated'
          ? (a.workflowType as { name: string; version: string })
          : undefined;
      if (type && !workflowTypes.has(`${type.name}|${type.version}`))
        workflowTypes.set(`${type.name}|${type.version}`, { ...type, defaults: {} });
      if (e.eventType === 'ActivityTaskScheduled') {
        const t = a.activityType as { name: string; version: string };
        if (!activityTypes.has(`${t.name}|${t.version}`)) activityTypes.set(`${t.name}|${t.version}`, { ...t, defaults: {} });
      }
    }
  }

  // A recording made by the decider (the worker) holds its own polls and answers: the decision
  // (activity) task calls are the recorded ones, and none is rebuilt from the histories.
  const ownDecisions = entries.some((e) => e._operation === 'PollForDecisionTask');
  const ownActivities = entries.some((e) => e._operation === 'PollForActivityTask');
  const eventTimes = har.log._provenance.timing === 'event-times';
  const steps: Step[] = [];
  let seq = 0;
  const add = (step: StepInput) => steps.push({ ...step, seq: seq++ } as Step);
  /** Events a recorded exchange made itself: not rebuilt. */
  const claimed = new Set<string>();
  // biome-ignore lint/suspicious/useIterableCallbackReturn: `return void add(...)` ends an entry early; forEach ignores it
  entries.forEach((entry, index) => {
    const body = requestBody(entry) as Json;
    const answer = responseBody(entry) as Json | undefined;
    // A printed history is read back once everything else has run.
    if (entry._transcribed) return void add({ kind: 'exchange', index, entry, transcribed: true, t: Number.MAX_SAFE_INTEGER });
    // Dated by its request, to the second: it may have been served at any time in that second.
    // Dated by the event it made (event-times): at that time.
    let t = seconds(entry.startedDateTime) + (eventTimes ? 0 : 0.999);
    if (entry._operation === 'StartWorkflowExecution' && answer?.runId) {
      const runKey = `${body.workflowId}|${answer.runId}`;
      claimed.add(`${runKey}|WorkflowExecutionStarted`);
      // A start comes before the events it began, whatever second its request was signed in.
      const started = histories.get(runKey)?.[0]?.eventTimestamp;
      if (started !== undefined && started < t) t = started - 0.0005;
    }
    add({ kind: 'exchange', index, entry, transcribed: false, t });
  });

  for (const [runKey, events] of histories) {
    const [workflowId, runId] = runKey.split('|') as [string, string];
    const run = { workflowId, runId };
    const byId = new Map(events.map((e) => [e.eventId, e]));
    let previousStarted = 0;
    const orderOf = eventOrders.get(runKey);
    const time = (e: Event) => e.eventTimestamp ?? orderOf?.[events.indexOf(e)] ?? e.eventId;
    for (const e of events) {
      const a = attributesOf(e);
      const t = time(e);
      switch (e.eventType) {
        case 'WorkflowExecutionStarted':
          // A child is started by its parent's decision, a new run by its predecessor's.
          if (a.parentWorkflowExecution || a.continuedExecutionRunId || claimed.has(`${runKey}|WorkflowExecutionStarted`)) break;
          add({
            kind: 'start',
            run,
            t,
            body: defined({
              domain,
              workflowId,
              workflowType: a.workflowType,
              taskList: a.taskList,
              taskPriority: a.taskPriority,
              input: a.input,
              executionStartToCloseTimeout: a.executionStartToCloseTimeout,
              taskStartToCloseTimeout: a.taskStartToCloseTimeout,
              childPolicy: a.childPolicy,
              tagList: a.tagList,
              lambdaRole: a.lambdaRole,
            }),
          });
          break;
        case 'DecisionTaskStarted': {
          if (ownDecisions) break;
          const scheduled = byId.get(a.scheduledEventId as number);
          const taskList = ((scheduled && attributesOf(scheduled).taskList) as { name: string } | undefined)?.name ?? '';
          add({
            kind: 'poll-decision',
            run,
            t,
            taskList,
            identity: a.identity as string | undefined,
            startedEventId: e.eventId,
            previousStartedEventId: previousStarted,
            events: events.filter((x) => x.eventId <= e.eventId),
            printed: orderOf !== undefined,
          });
          previousStarted = e.eventId;
          break;
        }
        case 'DecisionTaskCompleted': {
          if (ownDecisions) break;
          const decisions = events
            .filter((x) => attributesOf(x).decisionTaskCompletedEventId === e.eventId)
            .map(decisionOf)
            .filter((d): d is Json => d !== undefined);
          add({
            kind: 'respond-decision',
            run,
            t,
            startedEventId: a.startedEventId as number,
            decisions,
            ...(a.executionContext !== undefined ? { executionContext: a.executionContext as string } : {}),
          });
          break;
        }
        case 'ActivityTaskStarted': {
          if (ownActivities) break;
          const scheduled = attributesOf(byId.get(a.scheduledEventId as number)!);
          add({
            kind: 'poll-activity',
            run,
            t,
            activityId: scheduled.activityId as string,
            scheduledEventId: a.scheduledEventId as number,
            taskList: (scheduled.taskList as { name: string }).name,
            identity: a.identity as string | undefined,
            startedEventId: e.eventId,
          });
          break;
        }
        case 'ActivityTaskCompleted':
        case 'ActivityTaskFailed':
        case 'ActivityTaskCanceled': {
          if (ownActivities) break;
          const activityId = attributesOf(byId.get(a.scheduledEventId as number)!).activityId as string;
          const operation = `Respond${e.eventType}` as 'RespondActivityTaskCompleted';
          const body =
            e.eventType === 'ActivityTaskCompleted'
              ? { result: a.result }
              : e.eventType === 'ActivityTaskFailed'
                ? { reason: a.reason, details: a.details }
                : { details: a.details };
          add({ kind: 'respond-activity', run, t, activityId, operation, body: defined(body) });
          break;
        }
        case 'WorkflowExecutionCancelRequested':
          if (a.externalWorkflowExecution || a.cause) break;
          add({ kind: 'operation', run, t, operation: 'RequestCancelWorkflowExecution', body: { domain, workflowId, runId } });
          break;
        case 'WorkflowExecutionTerminated':
          if (a.cause === 'CHILD_POLICY_APPLIED') break;
          add({
            kind: 'operation',
            run,
            t,
            operation: 'TerminateWorkflowExecution',
            body: defined({ domain, workflowId, runId, reason: a.reason, details: a.details, childPolicy: a.childPolicy }),
          });
          break;
        case 'WorkflowExecutionSignaled':
          if (a.externalWorkflowExecution) break;
          add({
            kind: 'operation',
            run,
            t,
            operation: 'SignalWorkflowExecution',
            body: defined({ domain, workflowId, runId, signalName: a.signalName, input: a.input }),
          });
          break;
        // Events the target makes by itself: a timer firing, an activity task timing out.
        case 'TimerFired':
        case 'ActivityTaskTimedOut':
          add({ kind: 'await-event', run, t, eventId: e.eventId, eventType: e.eventType });
          break;

        case 'ChildWorkflowExecutionCompleted':
        case 'ChildWorkflowExecutionFailed':
        case 'ChildWorkflowExecutionCanceled': {
          const child = a.workflowExecution as RunRef;
          if (histories.has(key(child))) break;
          // The child's history is not recorded: drive it to the close its parent recorded.
          const initiated = attributesOf(byId.get(a.initiatedEventId as number)!);
          const decision =
            e.eventType === 'ChildWorkflowExecutionCompleted'
              ? { decisionType: 'CompleteWorkflowExecution', completeWorkflowExecutionDecisionAttributes: defined({ result: a.result }) }
              : e.eventType === 'ChildWorkflowExecutionFailed'
                ? {
                    decisionType: 'FailWorkflowExecution',
                    failWorkflowExecutionDecisionAttributes: defined({ reason: a.reason, details: a.details }),
                  }
                : { decisionType: 'CancelWorkflowExecution', cancelWorkflowExecutionDecisionAttributes: defined({ details: a.details }) };
          add({ kind: 'close-child', run: child, t: t - 0.0005, taskList: (initiated.taskList as { name: string }).name, decision });
          break;
        }
        default:
          break;
      }
    }
  }
  steps.sort((x, y) => x.t - y.t || x.seq - y.seq);
  const recorded = new Set([...histories.keys()].map((k) => k.split('|')[0]!));
  const activitiesScheduled = new Map(
    [...histories].map(([runKey, events]) => [
      runKey,
      new Map(events.filter((e) => e.eventType === 'ActivityTaskScheduled').map((e) => [attributesOf(e).activityId as string, e.eventId])),
    ]),
  );
  return {
    domain,
    workflowTypes: [...workflowTypes.values()],
    activityTypes: [...activityTypes.values()],
    activitiesScheduled,
    recorded,
    steps,
    legacy,
  };
}
