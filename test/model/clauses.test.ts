/**
 * Which clause a difference of the model-based run is charged to (src/model/clauses.ts): the
 * paths where one observation could be read as two clauses' business.
 */
import { describe, expect, test } from 'vitest';
import { clauseOf, type Observation, type StepFacts } from '../../src/model/clauses.ts';
import { behind } from '../../src/model/commands.ts';
import { beyondEvidence } from '../../src/harness/collect.ts';
import type { EventView, RunView } from '../../src/model/side.ts';
import { newModel, type Model } from '../../src/model/state.ts';

const run = (key: string, events: EventView[], extra: Partial<RunView> = {}): RunView => ({
  key,
  slot: key.slice(0, key.indexOf('#')),
  status: 'OPEN',
  closeStatus: null,
  cancelRequested: false,
  openDecisionTasks: 0,
  openChildren: 0,
  closedAt: null,
  events: events.map((e, i) => ({ ...e, id: i + 1 })),
  ...extra,
});
const started = (policy: string, parent?: string): EventView => ({
  id: 0,
  type: 'WorkflowExecutionStarted',
  attrs: { childPolicy: policy, ...(parent ? { parentWorkflowExecution: { runId: parent } } : {}) },
});
const ev = (type: string): EventView => ({ id: 0, type });
const model = (...runs: RunView[]): Model => ({ ...newModel(false), runs });
const events = (key: string, eventType: string, attr?: string): Observation => ({
  what: 'run',
  key,
  field: 'events',
  eventType,
  ...(attr ? { attr } : {}),
});

// A parent a#0 with a child k0#0, which has a child of its own, k2#0.
const family = (
  parentPolicy: string,
  childPolicy: string,
  childTask: EventView[] = [ev('DecisionTaskScheduled'), ev('DecisionTaskStarted'), ev('DecisionTaskCompleted')],
) =>
  model(
    run('a#0', [started(parentPolicy), ev('DecisionTaskScheduled')], { openChildren: 1 }),
    run('k0#0', [started(childPolicy, 'a#0'), ...childTask], { openChildren: 1 }),
    run('k2#0', [started('ABANDON', 'k0#0'), ev('DecisionTaskCompleted')]),
  );
const terminate = (before: Model, policy?: string): StepFacts => ({
  kind: 'terminate',
  before,
  slot: 'a',
  form: 'omitted',
  resolved: 'a#0',
  unknown: false,
  texts: [],
  ...(policy ? { policy } : {}),
});
const complete = (before: Model): StepFacts => ({ kind: 'decide', before, run: 'a#0', decision: 'complete', late: false });

describe("a cancel request's decision task is charged to the cancel.decision-task clauses, whoever made the request", () => {
  test('a direct request to a run with no task, with one scheduled, with one out at a decider', () => {
    const cancel = (events: EventView[]): StepFacts => ({
      kind: 'cancel',
      before: model(run('a#0', [started('TERMINATE'), ...events])),
      slot: 'a',
      form: 'omitted',
      resolved: 'a#0',
      unknown: false,
      texts: [],
    });
    const obs = events('a#0', 'DecisionTaskScheduled');
    expect(clauseOf(obs, cancel([ev('DecisionTaskScheduled'), ev('DecisionTaskStarted'), ev('DecisionTaskCompleted')]))).toBe(
      'cancel.decision-task.scheduled',
    );
    expect(clauseOf(obs, cancel([ev('DecisionTaskScheduled')]))).toBe('cancel.decision-task.single-active');
    expect(clauseOf(obs, cancel([ev('DecisionTaskScheduled'), ev('DecisionTaskStarted')]))).toBe('cancel.decision-task.while-started');
  });

  test("a RequestCancelExternalWorkflowExecution decision: the task is the cancel's clause, the event the decision's", () => {
    const before = model(
      run('a#0', [started('ABANDON'), ev('DecisionTaskScheduled')]),
      run('b#0', [started('ABANDON'), ev('DecisionTaskScheduled'), ev('DecisionTaskStarted'), ev('DecisionTaskCompleted')]),
    );
    const step: StepFacts = { kind: 'decide', before, run: 'a#0', decision: 'cancel-external', late: false, external: 'b#0' };
    expect(clauseOf(events('b#0', 'DecisionTaskScheduled'), step)).toBe('cancel.decision-task.scheduled');
    expect(clauseOf(events('b#0', 'WorkflowExecutionCancelRequested', 'externalInitiatedEventId'), step)).toBe(
      'cancel.by-decision.target-event',
    );
  });

  test("a request made by a parent's REQUEST_CANCEL policy, to a child and (through a terminated child) to a grandchild", () => {
    expect(clauseOf(events('k0#0', 'DecisionTaskScheduled'), terminate(family('REQUEST_CANCEL', 'ABANDON')))).toBe(
      'cancel.decision-task.scheduled',
    );
    expect(clauseOf(events('k2#0', 'DecisionTaskScheduled'), terminate(family('TERMINATE', 'REQUEST_CANCEL')))).toBe(
      'cancel.decision-task.scheduled',
    );
  });
});

describe('what a child policy records, by how the parent closed', () => {
  test('the cause of a policy-made termination', () => {
    const f = family('TERMINATE', 'ABANDON');
    expect(clauseOf(events('k0#0', 'WorkflowExecutionTerminated', 'cause'), terminate(f))).toBe('child-policy.terminate.cause');
    expect(clauseOf(events('k0#0', 'WorkflowExecutionTerminated', 'cause'), complete(f))).toBe('child-policy.terminate.cause');
    // That the child was terminated at all is the close path's own clause.
    expect(clauseOf(events('k0#0', 'WorkflowExecutionTerminated'), terminate(f))).toBe('child-policy.terminate.children-terminated');
    expect(clauseOf(events('k0#0', 'WorkflowExecutionTerminated'), complete(f))).toBe('child-policy.on-close.terminate');
  });

  test('the cause and the parent named by a policy-made cancel request: recorded for a parent that completed only', () => {
    const f = family('REQUEST_CANCEL', 'ABANDON');
    expect(clauseOf(events('k0#0', 'WorkflowExecutionCancelRequested', 'cause'), complete(f))).toBe('child-policy.request-cancel.cause');
    expect(clauseOf(events('k0#0', 'WorkflowExecutionCancelRequested', 'cause'), terminate(f))).toBe(
      'child-policy.request-cancel.cause.other-closes',
    );
    // The parent's run as a whole (its runId was never printed): the inferred clause, however the parent closed.
    for (const step of [terminate(f), complete(f)]) {
      expect(clauseOf(events('k0#0', 'WorkflowExecutionCancelRequested', 'externalWorkflowExecution'), step)).toBe(
        'child-policy.request-cancel.names-parent.run-id',
      );
    }
    expect(clauseOf(events('k0#0', 'WorkflowExecutionCancelRequested'), complete(f))).toBe('child-policy.on-close.request-cancel');
  });

  test("a grandchild under a TERMINATE parent is the recursion's clause", () => {
    expect(clauseOf({ what: 'run', key: 'k2#0', field: 'status' }, terminate(family('TERMINATE', 'TERMINATE')))).toBe(
      'child-policy.terminate.recursive',
    );
  });

  test("a child the request's policy should have handled, handled by the start's instead", () => {
    const f = family('ABANDON', 'ABANDON');
    const seen = { ...f.runs[1]!, status: 'OPEN', cancelRequested: false };
    expect(clauseOf({ what: 'run', key: 'k0#0', field: 'status', seen }, terminate(f, 'TERMINATE'))).toBe('child-policy.source.request');
  });

  test("a child terminated by its parent's close after a cancel request to it: the policy's business", () => {
    const f = family('TERMINATE', 'ABANDON');
    const step: StepFacts = {
      kind: 'decide',
      before: f,
      run: 'a#0',
      decision: 'cancel-external-then-complete',
      late: false,
      external: 'k0#0',
    };
    expect(clauseOf({ what: 'run', key: 'k0#0', field: 'status' }, step)).toBe('child-policy.on-close.terminate');
    const abandoning = family('ABANDON', 'ABANDON');
    expect(clauseOf({ what: 'run', key: 'k0#0', field: 'status' }, { ...step, before: abandoning })).toBe(
      'cancel.by-decision.target-event',
    );
  });
});

/**
 * Which target reads the model-based run waits on (src/model/commands.ts, behind): a read the
 * contract lets lag may show any state the reference's run passed through, its history and its
 * state read apart; anything else is judged at once.
 */
describe('a read that could be the reference seen a moment earlier', () => {
  const closed = { status: 'CLOSED', closeStatus: 'TERMINATED', closedAt: 'after start' as const };
  const history = [started('TERMINATE'), ev('DecisionTaskScheduled'), ev('WorkflowExecutionTerminated')];
  test.for([
    ['equal histories, the state still open: the state read lagged', [run('a#0', history)], true],
    ['a shorter history and an open state', [run('a#0', history.slice(0, 2))], true],
    ['the run not listed yet', [], true],
    ['asked to cancel just before the close cleared the flag', [run('a#0', history, { cancelRequested: true })], true],
    ['closed otherwise than the reference', [run('a#0', history, { ...closed, closeStatus: 'CANCELED' })], false],
    ['an event the reference never recorded', [run('a#0', [...history.slice(0, 2), ev('WorkflowExecutionCanceled')])], false],
    ['a run the reference has not', [run('a#0', history), run('b#0', [])], false],
  ] as const)('%s: %s', ([, target, expected]) => {
    const reference = [run('a#0', history, closed)];
    expect(behind([...target], reference)).toBe(expected);
  });

  test('closed where the reference is open is no lag', () => {
    expect(behind([run('a#0', history.slice(0, 2), closed)], [run('a#0', history)])).toBe(false);
  });
  test('asked to cancel where the open reference is not is no lag', () => {
    expect(behind([run('a#0', history, { cancelRequested: true })], [run('a#0', history)])).toBe(false);
  });
});

/**
 * The evidence check of npm test (scripts/check-traceability.ts): a test charged to a recorded
 * clause whose recordings show only some cases must exercise one of them.
 */
describe('a test may judge under a recorded clause only a case its recordings show', () => {
  const test_ = (clauses: string[], exercised?: string) => ({
    id: 'x',
    name: 'x',
    file: 'suites/cancel.test.ts',
    line: 1,
    clauses,
    ...(exercised ? { case: exercised } : {}),
  });
  test('the clauses of this battery, cited with the cases their recordings show: nothing to say', () => {
    expect(
      beyondEvidence([
        test_(['cancel.state.closed-reads-false'], 'close:CANCELED'),
        test_(['cancel.state.closed-reads-false.other-closes']),
      ]),
    ).toEqual([]);
  });
  test('a case no recording shows, or none named, under a recorded clause: said, naming the clause and the cases it has', () => {
    const said = beyondEvidence([
      test_(['cancel.state.closed-reads-false'], 'close:TERMINATED'),
      test_(['child-policy.on-close.terminate']),
    ]);
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(
      /close:TERMINATED under cancel\.state\.closed-reads-false, whose recordings show only close:CANCELED, close:COMPLETED/,
    );
    expect(said[1]).toMatch(/names no case/);
  });
});
