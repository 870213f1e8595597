/** Adding events to an execution's history, and what an event sets off: a decision task, a new visible state. */
import type { HistoryEvent } from '../../src/generated/types.ts';
import { defined, lowerFirst, type Attributes, type Execution, type Store } from './model.ts';
import { contractSeams, type LookupView, type Seams } from './seams.ts';

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
  constructor(private readonly store: Store, private readonly hooks: HistoryHooks, private readonly view: LookupView, private readonly seams: Seams = contractSeams) {}

  /** Appends the event with the next id (through the record seam), and returns the id. */
  add(e: Execution, eventType: string, attributes: Attributes): number {
    const pending = { eventType, eventId: e.events.length + 1, attributes: defined(attributes), wakes: EVENTS_WAKING_THE_DECIDER.has(eventType) };
    const recorded = this.seams.record(e, pending, this.view);
    if (!recorded) return pending.eventId;
    const event: Record<string, unknown> = { eventTimestamp: this.store.seconds(), eventType, eventId: recorded.eventId };
    if (recorded.attributes) event[`${lowerFirst(eventType)}EventAttributes`] = recorded.attributes;
    e.events.push(event as unknown as HistoryEvent);
    if (recorded.wakes) this.hooks.wake(e);
    this.hooks.changed(e);
    return recorded.eventId;
  }
}
