/**
 * The deviation catalogue: documented wrong behaviours the reference can be switched into
 * (`serve --deviate NAME`, or `deviate` in its config), one at a time, to prove that the battery
 * catches each. Every entry is a bug an emulator author could really write, not a crash, and names
 * the clauses it breaks: `npm run strength` checks that the battery fails them.
 */
export interface Deviation {
  name: string;
  /** What the reference does wrong with it on. */
  does: string;
  /** The spec clauses it breaks; the first is the one it is aimed at. */
  breaks: string[];
  /**
   * The one mechanism that must catch it, for a deviation written to prove that mechanism: the
   * wire checks on every exchange, the values drawn from the schemas, or the model-based run's
   * scenes. `npm run strength` runs the whole battery for it and requires every failure it
   * causes to be that mechanism's, none a hand-written test's.
   */
  mechanism?: Mechanism;
}

export const mechanisms = ['every exchange', 'values', 'model'] as const;
export type Mechanism = (typeof mechanisms)[number];

export const deviationCatalogue: Deviation[] = [
  // RequestCancelWorkflowExecution
  {
    name: 'cancel-records-nothing',
    does: 'RequestCancelWorkflowExecution answers 200 and records nothing',
    breaks: ['cancel.event.recorded', 'cancel.state.cancel-requested'],
  },
  {
    name: 'cancel-flag-not-set',
    does: 'the cancel request is recorded, but cancelRequested stays false',
    breaks: ['cancel.state.cancel-requested'],
  },
  { name: 'cancel-closes-execution', does: 'a cancel request closes the execution as CANCELED', breaks: ['cancel.state.stays-open'] },
  {
    name: 'cancel-direct-cause',
    does: 'a direct cancel request records cause CHILD_POLICY_APPLIED',
    breaks: ['cancel.event.direct-attributes'],
  },
  {
    name: 'cancel-no-decision-task',
    does: 'no decision task is scheduled after a cancel request',
    breaks: ['cancel.decision-task.scheduled', 'cancel.decision-task.while-started'],
  },
  {
    name: 'cancel-second-decision-task',
    does: 'a cancel request schedules a decision task even when one is already scheduled',
    breaks: ['cancel.decision-task.single-active'],
  },
  { name: 'cancel-reaches-children', does: 'a cancel request is passed on to the open children', breaks: ['cancel.children.untouched'] },
  {
    name: 'cancel-flag-kept-after-close',
    does: 'a closed execution still reads cancelRequested true after a cancel request',
    breaks: ['cancel.state.closed-reads-false'],
  },
  {
    name: 'zero-ids-omitted',
    does: "zero event ids are left out: a direct cancel's externalInitiatedEventId, a top-level start's parentInitiatedEventId",
    breaks: ['cancel.event.direct-attributes', 'wire.events.zero-ids'],
  },
  // TerminateWorkflowExecution
  {
    name: 'terminate-records-nothing',
    does: 'the execution closes without a WorkflowExecutionTerminated event',
    breaks: ['terminate.event.recorded'],
  },
  { name: 'terminate-drops-reason', does: 'reason is not recorded on the terminated event', breaks: ['terminate.event.reason-details'] },
  {
    name: 'terminate-cuts-details',
    does: 'details are cut to 1,024 characters on the terminated event',
    breaks: ['terminate.event.reason-details'],
  },
  {
    name: 'terminate-drops-reason-with-policy',
    does: 'reason is dropped when a childPolicy is given too',
    breaks: ['terminate.event.reason-details'],
  },
  {
    name: 'terminate-records-type-policy',
    does: "the terminated event records the workflow type's default child policy, whatever the start or the request said",
    breaks: ['terminate.event.child-policy', 'child-policy.source.start', 'child-policy.source.request'],
  },
  {
    name: 'terminate-ignores-request-policy',
    does: 'a childPolicy in the request is recorded but not applied',
    breaks: ['child-policy.source.request'],
  },
  {
    name: 'terminate-no-cause',
    does: 'a direct termination records no cause',
    breaks: ['terminate.event.operator-cause', 'terminate.event.operator-cause.run-id-omitted'],
  },
  {
    name: 'terminate-stays-open',
    does: 'the terminated event is recorded, but the execution stays OPEN',
    breaks: ['terminate.state.closed'],
  },
  {
    name: 'terminate-close-status-canceled',
    does: 'a terminated execution is closed with closeStatus CANCELED',
    breaks: ['terminate.state.closed'],
  },
  { name: 'terminate-close-time-is-start', does: "closeTimestamp is the execution's start time", breaks: ['terminate.state.closed'] },
  {
    name: 'terminate-still-counted-open',
    does: 'a terminated execution is still listed and counted as open',
    breaks: ['terminate.state.listed-closed'],
  },
  {
    name: 'terminate-waits-for-decider',
    does: "with a decision task out at a decider, termination waits for the decider's answer",
    breaks: ['terminate.immediate.decision-in-flight'],
  },
  {
    name: 'late-decision-accepted',
    does: "a decider's answer for a task of a terminated execution is accepted and its events appended",
    breaks: ['terminate.immediate.late-decision-rejected', 'terminate.no-events-after'],
  },
  {
    name: 'decision-task-held-while-started',
    does: 'an event arriving while a decision task is started schedules the next one only when the started one completes',
    breaks: ['cancel.decision-task.while-started'],
  },
  {
    name: 'terminated-child-parent-silent',
    does: 'terminating a child directly records nothing in its parent',
    breaks: ['terminate.child.parent-notified'],
  },
  {
    name: 'cancel-external-in-decision',
    does: 'a RequestCancelExternalWorkflowExecution decision reaches its target while the decisions are applied, so a requester that closes in the same decision records ExternalWorkflowExecutionCancelRequested before its close event',
    breaks: ['cancel.by-decision.after-close'],
  },
  {
    name: 'started-task-counted-open',
    does: 'openDecisionTasks counts a started decision task, not only a scheduled one',
    breaks: ['cancel.decision-task.open-count'],
  },
  {
    name: 'terminated-task-still-polled',
    does: 'a decision task scheduled before termination can still be polled, adding DecisionTaskStarted',
    breaks: ['terminate.no-events-after'],
  },
  // Child policies
  {
    name: 'type-default-policy-ignored',
    does: "an execution started without a childPolicy gets TERMINATE, whatever its type's default",
    breaks: ['child-policy.source.type-default'],
  },
  {
    name: 'policy-not-applied',
    does: 'no child policy is applied when a parent is terminated',
    breaks: ['child-policy.terminate.children-terminated', 'child-policy.request-cancel.children-cancel-requested'],
  },
  {
    name: 'policy-first-child-only',
    does: 'the child policy reaches the first open child only',
    breaks: [
      'child-policy.terminate.children-terminated',
      'child-policy.request-cancel.children-cancel-requested',
      'child-policy.on-close.terminate',
      'child-policy.on-close.request-cancel',
    ],
  },
  { name: 'policy-abandon-terminates', does: 'ABANDON terminates the children', breaks: ['child-policy.abandon.children-open'] },
  {
    name: 'policy-touches-closed-children',
    does: 'the child policy adds events to children that already closed',
    breaks: ['child-policy.closed-children-untouched'],
  },
  {
    name: 'policy-no-cause',
    does: 'events made by a child policy carry no cause',
    breaks: ['child-policy.terminate.cause', 'child-policy.request-cancel.cause'],
  },
  {
    name: 'policy-not-recursive',
    does: 'a child terminated by policy does not apply its own policy to its children',
    breaks: ['child-policy.terminate.recursive'],
  },
  {
    name: 'policy-only-on-terminate',
    does: 'the child policy is applied when the parent is terminated, not when it completes, fails or is cancelled',
    breaks: ['child-policy.on-close.request-cancel', 'child-policy.on-close.terminate'],
  },
  {
    name: 'policy-cancel-names-no-parent',
    does: 'a cancel request made by REQUEST_CANCEL names no externalWorkflowExecution',
    breaks: ['child-policy.request-cancel.names-parent'],
  },
  {
    name: 'policy-request-cancel-terminates',
    does: 'REQUEST_CANCEL terminates the children instead of requesting their cancellation',
    breaks: ['child-policy.request-cancel.children-cancel-requested'],
  },
  // runId resolution
  { name: 'omitted-runid-refused', does: 'a request without a runId is UnknownResourceFault', breaks: ['runid.omitted.current-open'] },
  {
    name: 'explicit-runid-refused',
    does: "a request naming the open run's runId is UnknownResourceFault",
    breaks: ['runid.explicit.open'],
  },
  {
    name: 'runid-ignored',
    does: 'an explicit runId is ignored: the current open run is acted on',
    breaks: ['runid.explicit.foreign', 'runid.explicit.closed'],
  },
  { name: 'runid-prefix-match', does: 'a runId matches any run whose runId starts with it', breaks: ['runid.explicit.exact'] },
  {
    name: 'runid-closed-accepted',
    does: 'an explicit runId of a closed run is accepted (200) and nothing happens',
    breaks: ['runid.explicit.closed'],
  },
  {
    name: 'runid-closed-written',
    does: 'an explicit runId of a run that closed by completion or continue-as-new is acted on',
    breaks: ['runid.explicit.closed-no-effect', 'runid.explicit.closed'],
  },
  {
    name: 'empty-runid-literal',
    does: 'an empty runId is looked up as the runId "", so nothing is found',
    breaks: ['runid.empty-is-omitted'],
  },
  { name: 'workflowid-any-case', does: 'workflowIds are matched case-insensitively', breaks: ['runid.names-exact'] },
  {
    name: 'omitted-acts-on-latest-run',
    does: 'without a runId, the most recently started run is acted on, open or not',
    breaks: ['runid.omitted.no-open-run-no-effect', 'runid.omitted.no-open-run'],
  },
  {
    name: 'omitted-acts-on-first-run',
    does: 'without a runId, the first run ever started with the workflowId is acted on',
    breaks: ['runid.omitted.after-restart', 'runid.omitted.after-continue-as-new'],
  },
  // Faults and lookups
  {
    name: 'unknown-workflowid-succeeds',
    does: 'an unknown workflowId answers 200 and nothing happens',
    breaks: ['fault.unknown.workflow-id'],
  },
  {
    name: 'unknown-domain-validation',
    does: 'an unknown domain is ValidationException instead of UnknownResourceFault',
    breaks: ['fault.unknown.domain'],
  },
  {
    name: 'execution-found-in-any-domain',
    does: 'executions are looked up by workflowId in every domain',
    breaks: ['fault.unknown.other-domain'],
  },
  {
    name: 'unknown-message-without-names',
    does: 'the two operations\' UnknownResourceFault says only "Unknown execution"',
    breaks: ['fault.unknown.message-with-run-id.operations', 'fault.unknown.message-without-run-id'],
  },
  {
    name: 'access-ignores-domain',
    does: 'the permission check matches the action and ignores the domain resource',
    breaks: ['fault.access.denied'],
  },
  {
    name: 'access-unchecked-for-cancel',
    does: 'RequestCancelWorkflowExecution skips the permission check',
    breaks: ['fault.access.denied'],
  },
  {
    name: 'access-checked-after-lookup',
    does: 'an unknown execution in a denied domain is UnknownResourceFault: the lookup comes before the permission check',
    breaks: ['fault.access.before-lookup'],
  },
  {
    name: 'access-denied-but-applied',
    does: 'a denied call is answered with the fault, but carried out',
    breaks: ['fault.access.no-effect'],
  },
  { name: 'fault-status-500', does: 'faults of the two operations are HTTP 500 instead of 400', breaks: ['fault.envelope.shape'] },
  {
    name: 'fault-bare-type',
    does: '__type carries the bare code, without its namespace',
    breaks: ['fault.envelope.namespace', 'fault.validation.envelope'],
  },
  { name: 'fault-no-error-type-header', does: 'faults carry no X-Amzn-ErrorType header', breaks: ['fault.envelope.error-type-header'] },
  {
    name: 'fault-header-disagrees',
    does: 'the X-Amzn-ErrorType header names InternalFailure whatever __type says',
    breaks: ['fault.envelope.codes-agree'],
  },
  { name: 'unsigned-accepted', does: "a request with no signature is served as the suite's principal", breaks: ['fault.auth.missing'] },
  {
    name: 'malformed-json-validation',
    does: 'a body that is not a JSON object is ValidationException, not SerializationException',
    breaks: ['fault.serialization.malformed-json'],
  },
  { name: 'unknown-operation-400-bare', does: 'an unknown operation is answered as InvalidAction', breaks: ['fault.unknown-operation'] },
  {
    name: 'auth-not-checked',
    does: 'signatures are not verified: any access key is accepted',
    breaks: ['fault.auth.invalid', 'fault.auth.invalid-code', 'fault.auth.invalid.no-effect'],
  },
  // Inputs
  {
    name: 'workflowid-max-255',
    does: 'a workflowId of 256 characters is refused (the limit is off by one)',
    breaks: ['input.length.within-accepted'],
  },
  {
    name: 'lengths-unchecked',
    does: 'no length limit is checked',
    breaks: ['input.length.outside-rejected', 'input.length.validation-exception'],
  },
  { name: 'lengths-in-utf16', does: 'lengths are counted in UTF-16 code units, not code points', breaks: ['input.length.code-points'] },
  {
    name: 'child-policy-abandon-refused',
    does: 'childPolicy ABANDON in a TerminateWorkflowExecution request is refused with ValidationException',
    breaks: ['input.child-policy.values-accepted'],
  },
  {
    name: 'child-policy-any-case',
    does: 'childPolicy is matched case-insensitively ("terminate" is accepted)',
    breaks: ['input.child-policy.invalid-rejected'],
  },
  {
    name: 'missing-member-lookup',
    does: 'a missing workflowId is looked up as "" (UnknownResourceFault) instead of ValidationException',
    breaks: ['input.required.missing-rejected'],
  },
  {
    name: 'naming-rule-on-lookup',
    does: 'the naming rule (no ":", "/", "|", "arn") is enforced on the two operations\' workflowId too',
    breaks: ['input.names.lookup-only'],
  },
  { name: 'validation-first-only', does: 'only the first of several violations is reported', breaks: ['input.validation.counted'] },
  // Wire
  {
    name: 'json-1-1-only',
    does: "the two operations accept Content-Type application/x-amz-json-1.1 only, refusing the protocol's 1.0",
    breaks: ['wire.protocol.target-header'],
  },
  {
    name: 'legacy-target-refused',
    does: 'the older X-Amz-Target form com.amazonaws.swf.service.model.SimpleWorkflowService.<Operation> is UnknownOperationException',
    breaks: ['wire.protocol.legacy-target', 'wire.protocol.legacy-target.request-cancel'],
  },
  {
    name: 'success-body-braces',
    does: 'a void success answers the body {} instead of an empty one',
    breaks: ['wire.success.empty-body', 'wire.seed-example.cancel', 'wire.seed-example.terminate'],
  },
  {
    name: 'success-content-type-text',
    does: 'a void success has Content-Type text/plain',
    breaks: ['wire.success.content-type', 'wire.content-type.follows-request'],
  },
  {
    name: 'no-request-id-on-validation',
    does: 'ValidationException answers carry no x-amzn-RequestId',
    breaks: ['wire.success.request-id'],
  },
  { name: 'timestamps-in-milliseconds', does: 'timestamps are epoch milliseconds', breaks: ['wire.timestamps.epoch-seconds'] },
  {
    name: 'event-ids-repeat',
    does: 'the event a cancel request records reuses the id of the event before it',
    breaks: ['wire.event-ids.sequential'],
  },
  { name: 'cancel-event-without-attributes', does: "a direct cancel's event has no attributes object", breaks: ['wire.response.shapes'] },
  // Caught by one mechanism alone: no hand-written test looks where they break the contract.
  {
    name: 'list-timestamps-in-milliseconds',
    does: 'the list operations give startTimestamp and closeTimestamp in epoch milliseconds (Describe and histories in seconds)',
    breaks: ['wire.timestamps.epoch-seconds'],
    mechanism: 'every exchange',
  },
  {
    name: 'terminate-trims-texts',
    does: 'TerminateWorkflowExecution records reason and details with the spaces at their ends trimmed',
    breaks: ['terminate.event.reason-details'],
    mechanism: 'values',
  },
  {
    name: 'policy-recursive-on-terminate-only',
    does: 'a child terminated by policy applies its own policy to the grandchildren only when the root was terminated by a request, not when it closed by a decision',
    breaks: ['child-policy.terminate.recursive'],
    mechanism: 'model',
  },
  // Deprecated domains
  { name: 'deprecated-domain-starts', does: 'a deprecated domain accepts new executions', breaks: ['deprecated.no-new-executions'] },
  {
    name: 'deprecated-domain-refuses-cancel',
    does: 'RequestCancelWorkflowExecution is refused in a deprecated domain',
    breaks: ['deprecated.cancel'],
  },
  {
    name: 'deprecated-domain-refuses-terminate',
    does: 'TerminateWorkflowExecution is refused in a deprecated domain',
    breaks: ['deprecated.terminate'],
  },
];

const byName = new Map(deviationCatalogue.map((d) => [d.name, d]));

export class UnknownDeviationError extends Error {}

/** The deviations a reference runs with. */
export class Deviations {
  private readonly on: ReadonlySet<string>;

  constructor(names: readonly string[] = []) {
    const unknown = names.filter((n) => !byName.has(n));
    if (unknown.length)
      throw new UnknownDeviationError(
        `unknown deviation${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (see swf-conformance deviations)`,
      );
    this.on = new Set(names);
  }

  has(name: string): boolean {
    if (!byName.has(name)) throw new Error(`the reference checks a deviation the catalogue does not list: ${name}`);
    return this.on.has(name);
  }

  get any(): boolean {
    return this.on.size > 0;
  }
}
