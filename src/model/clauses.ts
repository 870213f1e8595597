/**
 * Which clause governs an observation of a differential run: the answer to a step, or a field of
 * a run read after it. A difference between the target and the reference is charged to that
 * clause, and its grade decides whether it gates. An observation no clause governs (how a child
 * starts, what a decision other than a cancel request records) is not judged: a difference there
 * ends the sequence as no longer comparable, and the report counts it.
 */
import { byKey, closedBy, depthBelow, madeBy, runsOf, startedPolicy, taskState, type Model } from './state.ts';
import type { RunView } from './side.ts';

/** Every clause a difference can be charged to: the model-based run has a test for each. */
export const judgedClauses = [
  'runid.omitted.current-open',
  'runid.omitted.after-restart',
  'runid.omitted.after-continue-as-new',
  'runid.explicit.open',
  'runid.explicit.closed-no-effect',
  'runid.explicit.closed',
  'runid.explicit.exact',
  'runid.explicit.foreign',
  'runid.omitted.no-open-run-no-effect',
  'runid.omitted.no-open-run',
  'runid.empty-is-omitted',
  'runid.names-exact',
  'fault.unknown.workflow-id',
  'input.length.within-accepted',
  'input.length.code-points',
  'cancel.event.recorded',
  'cancel.event.direct-attributes',
  'cancel.state.stays-open',
  'cancel.state.cancel-requested',
  'cancel.state.closed-reads-false.other-closes',
  'cancel.decision-task.scheduled',
  'cancel.decision-task.while-started',
  'cancel.decision-task.open-count',
  'cancel.decision-task.single-active',
  'cancel.children.untouched',
  'cancel.by-decision.target-event',
  'cancel.by-decision.acknowledged.names-target',
  'cancel.by-decision.unknown',
  'cancel.by-decision.after-close',
  'cancel.by-decision.after-close.other-closes',
  'terminate.event.recorded',
  'terminate.event.reason-details',
  'terminate.event.child-policy',
  'terminate.event.operator-cause',
  'terminate.event.operator-cause.run-id-omitted',
  'terminate.state.closed',
  'terminate.state.listed-closed',
  'terminate.immediate.decision-in-flight',
  'terminate.immediate.late-decision-rejected',
  'terminate.no-events-after',
  'terminate.child.parent-notified',
  'terminate.child.parent-notified.other-forms',
  'child-policy.source.type-default',
  'child-policy.source.start',
  'child-policy.source.request',
  'child-policy.terminate.children-terminated',
  'child-policy.terminate.cause',
  'child-policy.terminate.recursive',
  'child-policy.request-cancel.children-cancel-requested',
  'child-policy.request-cancel.cause',
  'child-policy.request-cancel.cause.other-closes',
  'child-policy.request-cancel.names-parent.run-id',
  'child-policy.on-close.request-cancel',
  'child-policy.on-close.request-cancel.other-closes',
  'child-policy.on-close.terminate',
  'child-policy.on-close.terminate.other-closes',
  'child-policy.abandon.children-open',
  'child-policy.closed-children-untouched',
  'wire.event-ids.sequential',
  'wire.events.zero-ids',
] as const;

export type JudgedClause = (typeof judgedClauses)[number];

export type RunForm = 'omitted' | 'empty' | 'current' | 'closed' | 'foreign' | 'truncated' | 'other-case';
export type TextValue = 'none' | 'empty' | 'text' | 'max' | 'astral' | 'mixed';
export type DecisionKind =
  | 'complete'
  | 'fail'
  | 'cancel'
  | 'continue'
  | 'child'
  | 'children'
  | 'cancel-external'
  | 'cancel-external-then-complete'
  | 'none';

/** What a step did, as the mapping needs it: the model before the step, and what the step acted on. */
export type StepFacts =
  | { kind: 'start'; before: Model; slot: string; policyGiven: boolean }
  | {
      kind: 'cancel' | 'terminate';
      before: Model;
      slot: string;
      form: RunForm;
      /** The run the reference acted on, if any. */
      resolved?: string;
      /** Whether the step named a workflowId no execution ever had. */
      unknown: boolean;
      /** The childPolicy the request gave. */
      policy?: string;
      texts: TextValue[];
    }
  | { kind: 'decide'; before: Model; run: string; decision: DecisionKind; late: boolean; external?: string }
  | { kind: 'take' | 'poll'; before: Model; slot: string; run?: string }
  | { kind: 'read'; before: Model; slot: string };

export type Observation =
  /** The answer, with the target's (a refusal of a valid value is the value's clause). */
  | { what: 'answer'; target?: string }
  | { what: 'listings' }
  | {
      what: 'run';
      key: string;
      field: 'presence' | 'status' | 'closeStatus' | 'closedAt' | 'cancelRequested' | 'openDecisionTasks' | 'openChildren' | 'events';
      eventType?: string;
      attr?: string;
      idsOnly?: boolean;
      /** The run as the target shows it, when it has it: which policy its state looks like. */
      seen?: RunView;
    };

/** The child policy a child's state looks like the effect of: terminated, cancel requested, or untouched. */
function effectOf(run: RunView | undefined): string | undefined {
  if (!run) return undefined;
  if (run.closeStatus === 'TERMINATED') return 'TERMINATE';
  if (run.status === 'OPEN') return run.cancelRequested ? 'REQUEST_CANCEL' : 'ABANDON';
  return undefined;
}

/** The clause an answer of Cancel or Terminate is judged by: how its runId resolves. */
function resolutionClause(s: Extract<StepFacts, { kind: 'cancel' | 'terminate' }>, forEffect: boolean): JudgedClause {
  if (s.unknown) return 'fault.unknown.workflow-id';
  const open = runsOf(s.before, s.slot).find((r) => r.status === 'OPEN');
  switch (s.form) {
    case 'other-case':
      return 'runid.names-exact';
    case 'truncated':
      return 'runid.explicit.exact';
    case 'foreign':
      return 'runid.explicit.foreign';
    case 'closed':
      return forEffect ? 'runid.explicit.closed-no-effect' : 'runid.explicit.closed';
    case 'empty':
      return 'runid.empty-is-omitted';
    case 'current':
      return open ? 'runid.explicit.open' : forEffect ? 'runid.explicit.closed-no-effect' : 'runid.explicit.closed';
    default:
      if (!open) return forEffect ? 'runid.omitted.no-open-run-no-effect' : 'runid.omitted.no-open-run';
      if (madeBy(s.before, open) === 'continue') return 'runid.omitted.after-continue-as-new';
      return runsOf(s.before, s.slot).length > 1 ? 'runid.omitted.after-restart' : 'runid.omitted.current-open';
  }
}

/**
 * The clause of a child's observation when a child policy reached it: by the parent's policy, the
 * child's depth, and how the parent closed (terminated, or by a decision: `completed` is the close
 * the recordings show, any other decision's close is judged under the inferred clauses).
 */
function policyClause(
  policy: string | undefined,
  depth: number,
  child: RunView | undefined,
  obs: Extract<Observation, { what: 'run' }>,
  parentClose: 'terminated' | 'completed' | 'other decision',
): JudgedClause | undefined {
  const onClose = parentClose !== 'terminated';
  if (child && child.status !== 'OPEN') return 'child-policy.closed-children-untouched';
  if (policy === 'ABANDON') return 'child-policy.abandon.children-open';
  if (policy === 'TERMINATE') {
    // A grandchild's task after the cancel request its parent's own policy made: the cancel request's clause.
    if (depth > 1 && obs.eventType === 'DecisionTaskScheduled' && child) return cancelTaskClause(child);
    if (depth > 1) return 'child-policy.terminate.recursive';
    // The cause is the same clause whichever way the parent closed.
    if (obs.eventType === 'WorkflowExecutionTerminated' && obs.attr === 'cause') return 'child-policy.terminate.cause';
    if (!onClose) return 'child-policy.terminate.children-terminated';
    return parentClose === 'completed' ? 'child-policy.on-close.terminate' : 'child-policy.on-close.terminate.other-closes';
  }
  if (policy === 'REQUEST_CANCEL') {
    if (depth > 1) return 'child-policy.request-cancel.children-cancel-requested';
    // What the child's request records, and the task it schedules, are the same clauses whichever way the parent closed.
    // The cause is recorded for a parent that completed; the parent's run (its runId) in no case.
    if (obs.eventType === 'WorkflowExecutionCancelRequested' && obs.attr === 'cause')
      return parentClose === 'completed' ? 'child-policy.request-cancel.cause' : 'child-policy.request-cancel.cause.other-closes';
    if (obs.eventType === 'WorkflowExecutionCancelRequested' && obs.attr) return 'child-policy.request-cancel.names-parent.run-id';
    if (obs.eventType === 'DecisionTaskScheduled' && child) return cancelTaskClause(child);
    if (!onClose) return 'child-policy.request-cancel.children-cancel-requested';
    return parentClose === 'completed' ? 'child-policy.on-close.request-cancel' : 'child-policy.on-close.request-cancel.other-closes';
  }
  return undefined;
}

/** The clause a difference in this observation, after this step, is charged to; undefined when no clause governs it. */
export function clauseOf(obs: Observation, s: StepFacts): JudgedClause | undefined {
  const run = obs.what === 'run' ? byKey(s.before, obs.key) : undefined;
  if (obs.what === 'run' && obs.idsOnly) return 'wire.event-ids.sequential';
  switch (s.kind) {
    case 'start':
      if (obs.what !== 'run' || obs.eventType !== 'WorkflowExecutionStarted') return undefined;
      if (obs.attr === 'parentInitiatedEventId') return 'wire.events.zero-ids';
      if (obs.attr === 'childPolicy') return s.policyGiven ? 'child-policy.source.start' : 'child-policy.source.type-default';
      return undefined;
    case 'read':
      return obs.what === 'listings' && runsOf(s.before, s.slot).some((r) => closedBy(r) === 'WorkflowExecutionTerminated')
        ? 'terminate.state.listed-closed'
        : undefined;
    case 'take':
    case 'poll': {
      const polled = byKey(s.before, s.run);
      if (s.kind === 'take' && obs.what === 'run' && obs.key === s.run && obs.field === 'openDecisionTasks')
        return 'cancel.decision-task.open-count';
      return polled && polled.status !== 'OPEN' && closedBy(polled) === 'WorkflowExecutionTerminated'
        ? 'terminate.no-events-after'
        : undefined;
    }
    case 'decide':
      return decideClause(obs, s);
    default:
      break;
  }
  // Cancel and Terminate.
  const target = byKey(s.before, s.resolved);
  const repeat = s.kind === 'cancel' && target?.cancelRequested;
  if (obs.what === 'answer') {
    if (repeat) return undefined;
    if (obs.target?.includes('ValidationException') && s.texts.includes('astral')) return 'input.length.code-points';
    if (obs.target?.includes('ValidationException') && s.texts.includes('max')) return 'input.length.within-accepted';
    return resolutionClause(s, false);
  }
  if (obs.what !== 'run') return undefined;
  if (target?.status !== 'OPEN') {
    // Nothing was to be acted on: any change is the resolution's fault, or a closed run written to.
    if (run && run.status !== 'OPEN' && closedBy(run) === 'WorkflowExecutionTerminated' && s.form !== 'closed' && s.form !== 'current')
      return 'terminate.no-events-after';
    return resolutionClause(s, true);
  }
  // A second cancel request's answer and events are not judged (cancel.repeat.reported); the state still is.
  if (obs.key === target.key)
    return s.kind === 'cancel'
      ? repeat && obs.field === 'events'
        ? undefined
        : cancelTargetClause(obs, target)
      : terminateTargetClause(obs, target, s);
  const depth = run ? depthBelow(s.before, run, target.key) : 0;
  if (depth > 0 || (!run && obs.field === 'presence')) {
    if (s.kind === 'cancel') return 'cancel.children.untouched';
    // A child handled by the start's policy where the request gave another: the request's policy was not the one applied.
    if (s.policy && s.policy !== startedPolicy(target) && depth <= 1 && effectOf(obs.seen) === startedPolicy(target))
      return 'child-policy.source.request';
    return policyClause(s.policy ?? startedPolicy(target), depth || 1, run, obs, 'terminated');
  }
  if (run && depthBelow(s.before, target, run.key) === 1) {
    if (s.kind !== 'terminate') return undefined;
    // Recorded: a child terminated with its runId, its parent with no task scheduled; the child's runId in the event was not printed.
    const recorded =
      s.form === 'current' && taskState(run) !== 'scheduled' && !(obs.field === 'events' && obs.attr === 'workflowExecution');
    return recorded ? 'terminate.child.parent-notified' : 'terminate.child.parent-notified.other-forms';
  }
  return resolutionClause(s, true);
}

/** The clause of the decision task a cancel request schedules (or must not), by the task the run had when the request came. */
function cancelTaskClause(run: RunView): JudgedClause {
  const state = taskState(run);
  return state === 'scheduled'
    ? 'cancel.decision-task.single-active'
    : state === 'started'
      ? 'cancel.decision-task.while-started'
      : 'cancel.decision-task.scheduled';
}

function cancelTargetClause(obs: Extract<Observation, { what: 'run' }>, target: RunView): JudgedClause | undefined {
  switch (obs.field) {
    case 'status':
    case 'closeStatus':
    case 'closedAt':
      return 'cancel.state.stays-open';
    case 'cancelRequested':
      return 'cancel.state.cancel-requested';
    case 'openDecisionTasks':
      return 'cancel.decision-task.open-count';
    case 'openChildren':
      return 'cancel.children.untouched';
    case 'events':
      if (obs.eventType === 'WorkflowExecutionCancelRequested')
        return obs.attr ? 'cancel.event.direct-attributes' : 'cancel.event.recorded';
      if (obs.eventType === 'DecisionTaskScheduled') return cancelTaskClause(target);
      if (obs.eventType?.startsWith('WorkflowExecution')) return 'cancel.state.stays-open';
      return undefined;
    default:
      return undefined;
  }
}

function terminateTargetClause(
  obs: Extract<Observation, { what: 'run' }>,
  target: RunView,
  s: Extract<StepFacts, { kind: 'cancel' | 'terminate' }>,
): JudgedClause | undefined {
  const inFlight = taskState(target) === 'started';
  switch (obs.field) {
    case 'status':
    case 'closeStatus':
    case 'closedAt':
    case 'openDecisionTasks':
      return inFlight ? 'terminate.immediate.decision-in-flight' : 'terminate.state.closed';
    case 'cancelRequested':
      // A terminated run: a close the recordings of cancelRequested do not show.
      return target.cancelRequested ? 'cancel.state.closed-reads-false.other-closes' : 'terminate.state.closed';
    case 'openChildren':
      return policyClause(s.policy ?? startedPolicy(target), 1, undefined, obs, 'terminated');
    case 'events':
      if (obs.eventType === 'WorkflowExecutionTerminated') {
        if (!obs.attr) return inFlight ? 'terminate.immediate.decision-in-flight' : 'terminate.event.recorded';
        if (obs.attr === 'reason' || obs.attr === 'details') return 'terminate.event.reason-details';
        // Recorded with the runId given (FsDecider): any other form is the inferred clause's.
        if (obs.attr === 'cause')
          return s.form === 'current' ? 'terminate.event.operator-cause' : 'terminate.event.operator-cause.run-id-omitted';
        if (obs.attr === 'childPolicy') return s.policy ? 'child-policy.source.request' : 'terminate.event.child-policy';
        return undefined;
      }
      return 'terminate.no-events-after';
    default:
      return undefined;
  }
}

function decideClause(obs: Observation, s: Extract<StepFacts, { kind: 'decide' }>): JudgedClause | undefined {
  if (s.late) return obs.what === 'answer' ? 'terminate.immediate.late-decision-rejected' : 'terminate.no-events-after';
  if (obs.what !== 'run') return undefined;
  const decider = byKey(s.before, s.run);
  const run = byKey(s.before, obs.key);
  const closes =
    s.decision === 'complete' ||
    s.decision === 'fail' ||
    s.decision === 'cancel' ||
    s.decision === 'continue' ||
    s.decision === 'cancel-external-then-complete';
  if (s.decision === 'cancel-external' || s.decision === 'cancel-external-then-complete') {
    const external = byKey(s.before, s.external);
    // A child the decider's close terminates by policy: its fate is the policy's, whatever was asked of it first.
    const terminatedByPolicy =
      closes &&
      decider !== undefined &&
      external !== undefined &&
      startedPolicy(decider) === 'TERMINATE' &&
      depthBelow(s.before, external, decider.key) > 0;
    if (s.external !== undefined && obs.key === s.external && !terminatedByPolicy) {
      // The task a cancel request schedules is the same clause whoever made the request.
      return obs.field === 'events' && obs.eventType === 'DecisionTaskScheduled' && external
        ? cancelTaskClause(external)
        : 'cancel.by-decision.target-event';
    }
    if (obs.key === s.run && obs.field === 'events') {
      // Recorded: a requester that completes asking an open execution. Its decisions never give a
      // runId, a form no recording of the acknowledgement shows.
      if (s.decision === 'cancel-external-then-complete')
        return external?.status === 'OPEN' ? 'cancel.by-decision.after-close' : 'cancel.by-decision.after-close.other-closes';
      if (obs.eventType === 'ExternalWorkflowExecutionCancelRequested') return 'cancel.by-decision.acknowledged.names-target';
      if (obs.eventType === 'RequestCancelExternalWorkflowExecutionFailed') return 'cancel.by-decision.unknown';
    }
    if (s.decision === 'cancel-external') return undefined;
  }
  if (!closes || !decider || obs.key === s.run) return undefined;
  const depth = run ? depthBelow(s.before, run, decider.key) : 0;
  if (depth === 0) return undefined;
  const parentClose = s.decision === 'complete' || s.decision === 'cancel-external-then-complete' ? 'completed' : 'other decision';
  return policyClause(startedPolicy(decider), depth, run, obs, parentClose);
}
