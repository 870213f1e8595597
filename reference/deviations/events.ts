/**
 * The catalogue's wrong histories: events recorded with the wrong id or attributes, or not at
 * all, each plugged into the engine's record seam (engine/seams.ts). Which event an entry changes
 * is read from the event itself: a direct cancel request has neither a cause nor a requester, a
 * direct termination has cause OPERATOR_INITIATED, a child policy's events CHILD_POLICY_APPLIED.
 */
import type { Seams } from '../engine/seams.ts';

type RecordSeam = Seams['record'];

const CANCEL = 'WorkflowExecutionCancelRequested';
const TERMINATED = 'WorkflowExecutionTerminated';
const isDirectCancel = (type: string, a: Record<string, unknown> | undefined) =>
  type === CANCEL && a?.cause === undefined && a?.externalWorkflowExecution === undefined;
const without = (a: Record<string, unknown> | undefined, ...names: string[]) =>
  Object.fromEntries(Object.entries(a ?? {}).filter(([k]) => !names.includes(k)));

export const eventDeviations: Record<string, RecordSeam> = {
  'event-ids-repeat': (e, ev) => (ev.eventType === CANCEL && e.events.length > 0 ? { ...ev, eventId: e.events.length } : ev),
  'cancel-event-without-attributes': (_e, ev) => (isDirectCancel(ev.eventType, ev.attributes) ? { ...ev, attributes: undefined } : ev),
  'cancel-no-decision-task': (_e, ev) => (ev.eventType === CANCEL ? { ...ev, wakes: false } : ev),
  'cancel-direct-cause': (_e, ev) =>
    isDirectCancel(ev.eventType, ev.attributes) ? { ...ev, attributes: { ...ev.attributes, cause: 'CHILD_POLICY_APPLIED' } } : ev,
  'zero-ids-omitted': (_e, ev) => {
    if (isDirectCancel(ev.eventType, ev.attributes) && ev.attributes?.externalInitiatedEventId === 0)
      return { ...ev, attributes: without(ev.attributes, 'externalInitiatedEventId') };
    if (ev.eventType === 'WorkflowExecutionStarted' && ev.attributes?.parentWorkflowExecution === undefined)
      return { ...ev, attributes: without(ev.attributes, 'parentInitiatedEventId') };
    return ev;
  },
  'terminate-drops-reason': (_e, ev) => (ev.eventType === TERMINATED ? { ...ev, attributes: without(ev.attributes, 'reason') } : ev),
  'terminate-cuts-details': (_e, ev) =>
    ev.eventType === TERMINATED && typeof ev.attributes?.details === 'string'
      ? { ...ev, attributes: { ...ev.attributes, details: ev.attributes.details.slice(0, 1024) } }
      : ev,
  'terminate-no-cause': (_e, ev) =>
    ev.eventType === TERMINATED && ev.attributes?.cause === 'OPERATOR_INITIATED'
      ? { ...ev, attributes: without(ev.attributes, 'cause') }
      : ev,
  'terminate-records-nothing': (_e, ev) => (ev.eventType === TERMINATED && ev.attributes?.cause === 'OPERATOR_INITIATED' ? undefined : ev),
  'policy-no-cause': (_e, ev) =>
    (ev.eventType === TERMINATED || ev.eventType === CANCEL) && ev.attributes?.cause === 'CHILD_POLICY_APPLIED'
      ? { ...ev, attributes: without(ev.attributes, 'cause') }
      : ev,
  'policy-cancel-names-no-parent': (_e, ev) =>
    ev.eventType === CANCEL && ev.attributes?.cause === 'CHILD_POLICY_APPLIED'
      ? { ...ev, attributes: without(ev.attributes, 'externalWorkflowExecution', 'externalInitiatedEventId') }
      : ev,
};
