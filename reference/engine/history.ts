/** Adding events to an execution's history, and what an event sets off: a decision task, a new visible state. */
import type { HistoryEvent } from '../../src/generated/types.ts';
import { defined, lowerFirst, type Attributes, type Execution, type Store } from './model.ts';
import { OTHER_EVENTS_WAKING_THE_DECIDER } from './outside/events.ts';
import { contractSeams, type LookupView, type Seams } from './seams.ts';

/**
 * Events that change an execution's state for its decider: each schedules a decision task. First
 * those the clauses of the two operations name (a cancel request, a child started or terminated,
 * a decision's cancel request answered), then the rest of the service's.
 */
const EVENTS_WAKING_THE_DECIDER = new Set([
  'WorkflowExecutionCancelRequested',
  'ChildWorkflowExecutionStarted',
  'ChildWorkflowExecutionTerminated',
  'ExternalWorkflowExecutionCancelRequested',
  'RequestCancelExternalWorkflowExecutionFailed',
  ...OTHER_EVENTS_WAKING_THE_DECIDER,
]);

export interface HistoryHooks {
  /** The execution's state changed for its decider. */
  wake(e: Execution): void;
  /** The execution's state changed for the visibility operations. */
  changed(e: Execution): void;
}

export class Histories {
  constructor(
    private readonly store: Store,
    private readonly hooks: HistoryHooks,
    private readonly view: LookupView,
    private readonly seams: Seams = contractSeams,
  ) {}

  /** Appends the event with the next id (through the record seam), and returns the id. */
  add(e: Execution, eventType: string, attributes: Attributes): number {
    const pending = {
      eventType,
      eventId: e.events.length + 1,
      attributes: defined(attributes),
      wakes: EVENTS_WAKING_THE_DECIDER.has(eventType),
    };
    const recorded = this.seams.record(e, pending, this.view);
    // Stryker disable next-line ConditionalExpression: equivalent: only a deviation plug drops an event
    if (!recorded) return pending.eventId;
    const event: Record<string, unknown> = { eventTimestamp: this.store.clock.seconds(), eventType, eventId: recorded.eventId };
    // Stryker disable next-line ConditionalExpression: equivalent: an undefined member is left out of the JSON
    if (recorded.attributes) event[`${lowerFirst(eventType)}EventAttributes`] = recorded.attributes;
    e.events.push(event as unknown as HistoryEvent);
    if (recorded.wakes) this.hooks.wake(e);
    this.hooks.changed(e);
    return recorded.eventId;
  }
}
