/**
 * The decisions no clause of the two operations names, and how RespondDecisionTaskCompleted
 * checks them: timers, markers, signals (the SignalExternalWorkflowExecution decision and
 * SignalWorkflowExecution), the cancel request of an activity task, the closing decisions
 * (Complete, Fail, Cancel: their events, their refusal while unseen events wait, the parent's
 * event of the close). The battery's own executions close by them, and its clauses judge the
 * two operations' effects, not these.
 */
import type { CloseStatus, Decision, SignalWorkflowExecutionInput } from '../../../src/generated/types.ts';
import { fault } from '../../faults.ts';
import type { Histories } from '../history.ts';
import { lowerFirst, type Attributes, type Execution } from '../model.ts';
import type { TargetRequest } from '../seams.ts';
import type { Deferred } from './timing.ts';

const SUPPORTED_DECISIONS = new Set([
  'StartChildWorkflowExecution',
  'ContinueAsNewWorkflowExecution',
  'CompleteWorkflowExecution',
  'CancelWorkflowExecution',
  'FailWorkflowExecution',
  'RequestCancelExternalWorkflowExecution',
  'ScheduleActivityTask',
  'RequestCancelActivityTask',
  'StartTimer',
  'CancelTimer',
  'RecordMarker',
  'SignalExternalWorkflowExecution',
]);

/** The three decisions that close an execution by the decider's word: the event each records, the status, and what each carries. */
const CLOSING: Record<
  'CompleteWorkflowExecution' | 'FailWorkflowExecution' | 'CancelWorkflowExecution',
  { eventType: string; closeStatus: CloseStatus; outcome: (d: Decision) => Attributes }
> = {
  CompleteWorkflowExecution: {
    eventType: 'WorkflowExecutionCompleted',
    closeStatus: 'COMPLETED',
    outcome: (d) => ({ result: d.completeWorkflowExecutionDecisionAttributes?.result }),
  },
  FailWorkflowExecution: {
    eventType: 'WorkflowExecutionFailed',
    closeStatus: 'FAILED',
    outcome: (d) => ({
      reason: d.failWorkflowExecutionDecisionAttributes?.reason,
      details: d.failWorkflowExecutionDecisionAttributes?.details,
    }),
  },
  CancelWorkflowExecution: {
    eventType: 'WorkflowExecutionCanceled',
    closeStatus: 'CANCELED',
    outcome: (d) => ({ details: d.cancelWorkflowExecutionDecisionAttributes?.details }),
  },
};

/** The decisions of a RespondDecisionTaskCompleted, each supported and with its attributes (the closing ones may go without). */
export function checkDecisions(decisions: Decision[] = []): Decision[] {
  for (const [i, d] of decisions.entries()) {
    const attributesMember = `${lowerFirst(d.decisionType)}DecisionAttributes` as keyof Decision;
    const optional = Object.hasOwn(CLOSING, d.decisionType) || d.decisionType === 'ContinueAsNewWorkflowExecution';
    if (!SUPPORTED_DECISIONS.has(d.decisionType)) throw fault.notImplemented(`The ${d.decisionType} decision`);
    if (!optional && d[attributesMember] === undefined) {
      throw fault.validation(
        `1 validation error detected: Value null at 'decisions.${i + 1}.member.${attributesMember}' failed to satisfy constraint: Member must not be null`,
      );
    }
  }
  return decisions;
}

/** Applies a task's decisions in turn; those after the one that closed the execution are not applied. */
export function applyInTurn(e: Execution, decisions: Decision[], apply: (d: Decision) => void): void {
  for (const d of decisions) {
    if (e.status !== 'OPEN') break;
    apply(d);
  }
}

/** latestExecutionContext: the newest a decider gave. */
export function keepContext(e: Execution, executionContext: string | undefined): void {
  e.latestExecutionContext = executionContext ?? e.latestExecutionContext;
}

/** What these decisions ask of the engine. */
export interface DecisionContext {
  events: Histories;
  activities: { requestCancel(e: Execution, d: Decision, completedId: number): void };
  deferred: Deferred;
  close(e: Execution, closeStatus: CloseStatus, options: { notifyParent: boolean; applyPolicy: boolean; outcome?: Attributes }): void;
  /** The open execution a decision names, or undefined when none is. */
  externalTarget(domain: string, workflowId: string, runId?: string): Execution | undefined;
}

/**
 * A decision that closes the execution (ContinueAsNew's included) fails while events its decider
 * has not seen wait (UNHANDLED_DECISION); otherwise `close` runs.
 */
export function closingDecision(
  ctx: DecisionContext,
  e: Execution,
  d: Decision,
  completedId: number,
  unseen: boolean,
  close: () => void,
): void {
  if (unseen) ctx.events.add(e, `${d.decisionType}Failed`, { cause: 'UNHANDLED_DECISION', decisionTaskCompletedEventId: completedId });
  else close();
}

/** A run continued as new closes as CONTINUED_AS_NEW: its parent is the next run's and its children are handed to it, so no event and no policy. */
export const closeContinued = (close: DecisionContext['close'], e: Execution) =>
  close(e, 'CONTINUED_AS_NEW', { notifyParent: false, applyPolicy: false });

/** Applies one of these decisions; false for a decision that is not one of them. */
export function applyOtherDecision(ctx: DecisionContext, e: Execution, d: Decision, completedId: number, unseen: boolean): boolean {
  const { events } = ctx;
  switch (d.decisionType) {
    case 'CompleteWorkflowExecution':
    case 'FailWorkflowExecution':
    case 'CancelWorkflowExecution': {
      const closing = CLOSING[d.decisionType];
      closingDecision(ctx, e, d, completedId, unseen, () => {
        const outcome = closing.outcome(d);
        events.add(e, closing.eventType, { ...outcome, decisionTaskCompletedEventId: completedId });
        ctx.close(e, closing.closeStatus, { notifyParent: true, applyPolicy: true, outcome });
      });
      return true;
    }
    case 'RequestCancelActivityTask':
      ctx.activities.requestCancel(e, d, completedId);
      return true;
    case 'StartTimer':
      startTimer(ctx, e, d, completedId);
      return true;
    case 'CancelTimer':
      cancelTimer(ctx, e, d, completedId);
      return true;
    case 'SignalExternalWorkflowExecution':
      signalExternal(ctx, e, d, completedId);
      return true;
    case 'RecordMarker': {
      const a = d.recordMarkerDecisionAttributes!;
      events.add(e, 'MarkerRecorded', { markerName: a.markerName, details: a.details, decisionTaskCompletedEventId: completedId });
      return true;
    }
    default:
      return false;
  }
}

/** TimerStarted, and TimerFired once its startToFireTimeout (seconds) has passed. */
function startTimer(ctx: DecisionContext, e: Execution, d: Decision, completedId: number): void {
  const a = d.startTimerDecisionAttributes!;
  if (e.timers.has(a.timerId)) {
    ctx.events.add(e, 'StartTimerFailed', {
      timerId: a.timerId,
      cause: 'TIMER_ID_ALREADY_IN_USE',
      decisionTaskCompletedEventId: completedId,
    });
    return;
  }
  const startedEventId = ctx.events.add(e, 'TimerStarted', {
    timerId: a.timerId,
    control: a.control,
    startToFireTimeout: a.startToFireTimeout,
    decisionTaskCompletedEventId: completedId,
  });
  const timer: { startedEventId: number; handle?: NodeJS.Timeout } = { startedEventId };
  e.timers.set(a.timerId, timer);
  const handle = ctx.deferred.later(Number(a.startToFireTimeout) * 1000, () => {
    if (e.status !== 'OPEN' || e.timers.get(a.timerId) !== timer) return;
    e.timers.delete(a.timerId);
    ctx.events.add(e, 'TimerFired', { timerId: a.timerId, startedEventId });
  });
  if (handle) timer.handle = handle;
}

function cancelTimer(ctx: DecisionContext, e: Execution, d: Decision, completedId: number): void {
  const { timerId } = d.cancelTimerDecisionAttributes!;
  const timer = e.timers.get(timerId);
  if (!timer) {
    ctx.events.add(e, 'CancelTimerFailed', { timerId, cause: 'TIMER_ID_UNKNOWN', decisionTaskCompletedEventId: completedId });
    return;
  }
  ctx.deferred.cancel(timer.handle);
  e.timers.delete(timerId);
  ctx.events.add(e, 'TimerCanceled', { timerId, startedEventId: timer.startedEventId, decisionTaskCompletedEventId: completedId });
}

/** A closed execution's timers fire no more. */
export function cancelTimers(deferred: Deferred, e: Execution): void {
  for (const timer of e.timers.values()) deferred.cancel(timer.handle);
}

/**
 * The SignalExternalWorkflowExecution decision: the initiated event at once; the signal reaches
 * its target after the decision task has completed, and is acknowledged after every signal of
 * that task has reached its target (recorded: the target's WorkflowExecutionSignaled events and
 * the decision task they schedule come before the source's ExternalWorkflowExecutionSignaled
 * ones, even when the target is the source).
 */
function signalExternal(ctx: DecisionContext, e: Execution, d: Decision, completedId: number): void {
  const { events } = ctx;
  const a = d.signalExternalWorkflowExecutionDecisionAttributes!;
  const initiatedEventId = events.add(e, 'SignalExternalWorkflowExecutionInitiated', {
    workflowId: a.workflowId,
    runId: a.runId || undefined,
    signalName: a.signalName,
    input: a.input,
    control: a.control,
    decisionTaskCompletedEventId: completedId,
  });
  // Delivered once the decision task has completed, as a cancel request is.
  queueMicrotask(() => {
    if (e.status !== 'OPEN') return;
    const target = ctx.externalTarget(e.domain, a.workflowId, a.runId);
    if (!target) {
      events.add(e, 'SignalExternalWorkflowExecutionFailed', {
        workflowId: a.workflowId,
        runId: a.runId || undefined,
        cause: 'UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION',
        initiatedEventId,
        decisionTaskCompletedEventId: completedId,
        control: a.control,
      });
      return;
    }
    events.add(target, 'WorkflowExecutionSignaled', {
      signalName: a.signalName,
      input: a.input,
      externalWorkflowExecution: { workflowId: e.workflowId, runId: e.runId },
      externalInitiatedEventId: initiatedEventId,
    });
    queueMicrotask(() =>
      events.add(e, 'ExternalWorkflowExecutionSignaled', {
        workflowExecution: { workflowId: target.workflowId, runId: target.runId },
        initiatedEventId,
        control: a.control,
      }),
    );
  });
}

/**
 * SignalWorkflowExecution: WorkflowExecutionSignaled in the open run (by runId, or the open run of
 * the workflowId). A closed execution is unknown (inferred, spec terminate.open-work.signal): the
 * contract's resolve refuses it.
 */
export const signalOperation = (events: Histories, resolve: (request: TargetRequest) => Execution) => ({
  SignalWorkflowExecution: (input: SignalWorkflowExecutionInput): void => {
    const e = resolve({ domain: input.domain, workflowId: input.workflowId, ...(input.runId ? { runId: input.runId } : {}) });
    events.add(e, 'WorkflowExecutionSignaled', { signalName: input.signalName, input: input.input, externalInitiatedEventId: 0 });
  },
});
