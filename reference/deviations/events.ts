/**
 * The catalogue's wrong histories: events recorded with the wrong id or attributes, or not at
 * all, each plugged into the engine's record seam (engine/seams.ts). Which event an entry changes
 * is read from the event itself: a direct cancel request has neither a cause nor a requester, a
 * direct termination has cause OPERATOR_INITIATED, a child policy's events CHILD_POLICY_APPLIED.
 */
import type { Seams } from '../engine/seams.ts';
import type { DeviationTable } from './deviation.ts';

type RecordSeam = Seams['record'];

const CANCEL = 'WorkflowExecutionCancelRequested';
const TERMINATED = 'WorkflowExecutionTerminated';
const isDirectCancel = (type: string, a: Record<string, unknown> | undefined) =>
  type === CANCEL && a?.cause === undefined && a?.externalWorkflowExecution === undefined;
const without = (a: Record<string, unknown> | undefined, ...names: string[]) =>
  Object.fromEntries(Object.entries(a ?? {}).filter(([k]) => !names.includes(k)));

export const eventDeviations: DeviationTable<RecordSeam> = {
  'event-ids-repeat': {
    does: 'the event a cancel request records reuses the id of the event before it',
    breaks: ['wire.event-ids.sequential'],
    plug: (e, ev) => (ev.eventType === CANCEL && e.events.length > 0 ? { ...ev, eventId: e.events.length } : ev),
  },
  'cancel-event-without-attributes': {
    does: "a direct cancel's event has no attributes object",
    breaks: ['wire.response.shapes'],
    plug: (_e, ev) => (isDirectCancel(ev.eventType, ev.attributes) ? { ...ev, attributes: undefined } : ev),
  },
  'cancel-no-decision-task': {
    does: 'no decision task is scheduled after a cancel request',
    breaks: ['cancel.decision-task.scheduled', 'cancel.decision-task.while-started'],
    plug: (_e, ev) => (ev.eventType === CANCEL ? { ...ev, wakes: false } : ev),
  },
  'cancel-direct-cause': {
    does: 'a direct cancel request records cause CHILD_POLICY_APPLIED',
    breaks: ['cancel.event.direct-attributes'],
    plug: (_e, ev) =>
      isDirectCancel(ev.eventType, ev.attributes) ? { ...ev, attributes: { ...ev.attributes, cause: 'CHILD_POLICY_APPLIED' } } : ev,
  },
  'zero-ids-omitted': {
    does: "zero event ids are left out: a direct cancel's externalInitiatedEventId, a top-level start's parentInitiatedEventId",
    breaks: ['cancel.event.direct-attributes', 'wire.events.zero-ids'],
    plug: (_e, ev) => {
      if (isDirectCancel(ev.eventType, ev.attributes) && ev.attributes?.externalInitiatedEventId === 0)
        return { ...ev, attributes: without(ev.attributes, 'externalInitiatedEventId') };
      if (ev.eventType === 'WorkflowExecutionStarted' && ev.attributes?.parentWorkflowExecution === undefined)
        return { ...ev, attributes: without(ev.attributes, 'parentInitiatedEventId') };
      return ev;
    },
  },
  'terminate-drops-reason': {
    does: 'reason is not recorded on the terminated event',
    breaks: ['terminate.event.reason-details'],
    plug: (_e, ev) => (ev.eventType === TERMINATED ? { ...ev, attributes: without(ev.attributes, 'reason') } : ev),
  },
  'terminate-cuts-details': {
    does: 'details are cut to 1,024 characters on the terminated event',
    breaks: ['terminate.event.reason-details'],
    plug: (_e, ev) =>
      ev.eventType === TERMINATED && typeof ev.attributes?.details === 'string'
        ? { ...ev, attributes: { ...ev.attributes, details: ev.attributes.details.slice(0, 1024) } }
        : ev,
  },
  'terminate-no-cause': {
    does: 'a direct termination records no cause',
    breaks: ['terminate.event.operator-cause', 'terminate.event.operator-cause.run-id-omitted'],
    plug: (_e, ev) =>
      ev.eventType === TERMINATED && ev.attributes?.cause === 'OPERATOR_INITIATED'
        ? { ...ev, attributes: without(ev.attributes, 'cause') }
        : ev,
  },
  'terminate-records-nothing': {
    does: 'the execution closes without a WorkflowExecutionTerminated event',
    breaks: ['terminate.event.recorded'],
    plug: (_e, ev) => (ev.eventType === TERMINATED && ev.attributes?.cause === 'OPERATOR_INITIATED' ? undefined : ev),
  },
  'policy-no-cause': {
    does: 'events made by a child policy carry no cause',
    breaks: ['child-policy.terminate.cause', 'child-policy.request-cancel.cause'],
    plug: (_e, ev) =>
      (ev.eventType === TERMINATED || ev.eventType === CANCEL) && ev.attributes?.cause === 'CHILD_POLICY_APPLIED'
        ? { ...ev, attributes: without(ev.attributes, 'cause') }
        : ev,
  },
  'policy-cancel-names-no-parent': {
    does: 'a cancel request made by REQUEST_CANCEL names no externalWorkflowExecution',
    breaks: ['child-policy.request-cancel.names-parent'],
    plug: (_e, ev) =>
      ev.eventType === CANCEL && ev.attributes?.cause === 'CHILD_POLICY_APPLIED'
        ? { ...ev, attributes: without(ev.attributes, 'externalWorkflowExecution', 'externalInitiatedEventId') }
        : ev,
  },
};
