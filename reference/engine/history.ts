/** Adding events to an execution's history, and what an event sets off: a decision task, a new visible state. */
import type { HistoryEvent } from '../../src/generated/types.ts';
import { defined, lowerFirst, type Attributes, type Execution, type Store } from './model.ts';

/** Events that change an execution's state for its decider: each schedules a decision task. */
const EVENTS_WAKING_THE_DECIDER = new Set([
  'WorkflowExecutionCancelRequested', 'ChildWorkflowExecutionStarted', 'ChildWorkflowExecutionCompleted',
  'ChildWorkflowExecutionFailed', 'ChildWorkflowExecutionCanceled', 'ChildWorkflowExecutionTerminated',
  'StartChildWorkflowExecutionFailed', 'ExternalWorkflowExecutionCancelRequested',
  'RequestCancelExternalWorkflowExecutionFailed', 'CompleteWorkflowExecutionFailed', 'FailWorkflowExecutionFailed',
  'CancelWorkflowExecutionFailed', 'ContinueAsNewWorkflowExecutionFailed',
  'WorkflowExecutionSignaled', 'ActivityTaskCompleted', 'ActivityTaskFailed', 'ActivityTaskCanceled', 'ActivityTaskTimedOut',
  'ScheduleActivityTaskFailed', 'RequestCancelActivityTaskFailed', 'TimerFired', 'StartTimerFailed', 'CancelTimerFailed',
  'ExternalWorkflowExecutionSignaled', 'SignalExternalWorkflowExecutionFailed',
]);

export interface HistoryHooks {
  /** The execution's state changed for its decider. */
  wake(e: Execution): void;
  /** The execution's state changed for the visibility operations. */
  changed(e: Execution): void;
}

export class Histories {
  constructor(private readonly store: Store, private readonly hooks: HistoryHooks) {}

  /** Appends the event with the next id, and returns the id. */
  add(e: Execution, eventType: string, attributes: Attributes): number {
    const dev = this.store.dev;
    const reuse = eventType === 'WorkflowExecutionCancelRequested' && e.events.length > 0 && dev.has('event-ids-repeat');
    const eventId = reuse ? e.events.length : e.events.length + 1;
    const bare = eventType === 'WorkflowExecutionCancelRequested' && dev.has('cancel-event-without-attributes') && attributes.cause === undefined && attributes.externalWorkflowExecution === undefined;
    const event: Record<string, unknown> = { eventTimestamp: this.store.seconds(), eventType, eventId };
    if (!bare) event[`${lowerFirst(eventType)}EventAttributes`] = defined(attributes);
    e.events.push(event as unknown as HistoryEvent);
    const wakes = EVENTS_WAKING_THE_DECIDER.has(eventType) && !(eventType === 'WorkflowExecutionCancelRequested' && dev.has('cancel-no-decision-task'));
    if (wakes) this.hooks.wake(e);
    this.hooks.changed(e);
    return eventId;
  }
}
