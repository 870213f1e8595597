import { describe, expect, test } from 'vitest';
import {
  checkedClauses,
  ExchangeChecks,
  mergeTallies,
  tally,
  type CheckedExchange,
  type CheckTally,
} from '../../src/contract/exchange-checks.ts';
import { spec } from '../../src/contract/spec.ts';
import { checkOutcomes } from '../../src/report/results.ts';

/** An exchange of `operation`, in the protocol's form, answered as the reference answers. */
function exchange(
  operation: string,
  answer: { status?: number; headers?: Record<string, string>; body?: unknown } = {},
  requestBody: unknown = {},
): CheckedExchange {
  const status = answer.status ?? 200;
  const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  return {
    request: {
      headers: { 'X-Amz-Target': `SimpleWorkflowService.${operation}`, 'Content-Type': 'application/x-amz-json-1.0' },
      body: JSON.stringify(requestBody),
    },
    response: {
      status,
      headers: {
        'x-amzn-RequestId': `id-${Math.random()}`,
        'Content-Type': 'application/x-amz-json-1.0',
        ...(status >= 400 ? { 'X-Amzn-ErrorType': 'UnknownResourceFault' } : {}),
        ...answer.headers,
      },
      body,
    },
  };
}
const unknown = {
  __type: 'com.amazonaws.swf.base.model#UnknownResourceFault',
  message: 'Unknown execution: WorkflowExecution=[workflowId=w, runId=r]',
};
const started = (id: number, parent = false) => ({
  eventId: id,
  eventTimestamp: 1_700_000_000.123,
  eventType: 'WorkflowExecutionStarted',
  workflowExecutionStartedEventAttributes: {
    childPolicy: 'TERMINATE',
    taskList: { name: 't' },
    workflowType: { name: 'w', version: '1' },
    parentInitiatedEventId: 0,
    ...(parent ? { parentWorkflowExecution: { workflowId: 'p', runId: 'r' } } : {}),
  },
});
const history = (events: unknown[]) => ({ events });

/** The clauses one exchange's checks find broken. */
const broken = (x: CheckedExchange, checks = new ExchangeChecks()) => [...new Set(checks.check(x).violations.map((v) => v.clause))];

describe('the wire checks run on every exchange', () => {
  test('each belongs to a wire or fault clause of spec/', () => {
    for (const clause of checkedClauses) expect(spec().byId.get(clause)?.concern, clause).toMatch(/^(wire|fault)$/);
  });

  test('answers as the contract has them break nothing', () => {
    const good = [
      exchange('TerminateWorkflowExecution'),
      exchange('TerminateWorkflowExecution', { status: 400, body: unknown }),
      exchange('GetWorkflowExecutionHistory', {
        body: history([
          started(1),
          {
            eventId: 2,
            eventTimestamp: 1_700_000_001,
            eventType: 'DecisionTaskScheduled',
            decisionTaskScheduledEventAttributes: { taskList: { name: 't' }, startToCloseTimeout: '60' },
          },
        ]),
      }),
      exchange(
        'GetWorkflowExecutionHistory',
        {
          body: history([
            {
              eventId: 9,
              eventTimestamp: 1_700_000_001,
              eventType: 'DecisionTaskScheduled',
              decisionTaskScheduledEventAttributes: { taskList: { name: 't' }, startToCloseTimeout: '60' },
            },
            {
              eventId: 8,
              eventTimestamp: 1_700_000_001,
              eventType: 'DecisionTaskScheduled',
              decisionTaskScheduledEventAttributes: { taskList: { name: 't' }, startToCloseTimeout: '60' },
            },
          ]),
        },
        { reverseOrder: true },
      ),
      exchange('CountOpenWorkflowExecutions', { body: { count: 2, truncated: false } }),
    ];
    for (const x of good) expect(broken(x), x.request.headers['X-Amz-Target']).toEqual([]);
  });

  test.for([
    ['wire.success.request-id', exchange('TerminateWorkflowExecution', { headers: { 'x-amzn-RequestId': '' } })],
    ['wire.success.content-type', exchange('DescribeWorkflowExecution', { headers: { 'Content-Type': 'text/plain' }, body: {} })],
    [
      'wire.content-type.follows-request',
      exchange('TerminateWorkflowExecution', { status: 400, headers: { 'Content-Type': 'application/json' }, body: unknown }),
    ],
    ['wire.success.empty-body', exchange('SignalWorkflowExecution', { body: {} })],
    [
      'wire.timestamps.epoch-seconds',
      exchange('GetWorkflowExecutionHistory', { body: history([{ ...started(1), eventTimestamp: 1_700_000_000_123 }]) }),
    ],
    [
      'wire.timestamps.epoch-seconds',
      exchange('ListOpenWorkflowExecutions', { body: { executionInfos: [{ startTimestamp: '2026-01-01T00:00:00Z' }] } }),
    ],
    ['wire.response.shapes', exchange('CountClosedWorkflowExecutions', { body: { count: '2' } })],
    [
      'wire.event-ids.sequential',
      exchange('PollForDecisionTask', {
        body: {
          taskToken: 't',
          startedEventId: 3,
          workflowExecution: { workflowId: 'w', runId: 'r' },
          workflowType: { name: 'w', version: '1' },
          events: [started(1), { ...started(3), eventType: 'WorkflowExecutionSignaled' }],
        },
      }),
    ],
    ['wire.event-ids.sequential', exchange('GetWorkflowExecutionHistory', { body: history([{ ...started(2) }]) })],
    [
      'wire.events.zero-ids',
      exchange('GetWorkflowExecutionHistory', {
        body: history([
          {
            ...started(1),
            workflowExecutionStartedEventAttributes: {
              childPolicy: 'TERMINATE',
              taskList: { name: 't' },
              workflowType: { name: 'w', version: '1' },
            },
          },
        ]),
      }),
    ],
    ['fault.envelope.shape', exchange('RequestCancelWorkflowExecution', { status: 403, body: unknown })],
    ['fault.envelope.shape', exchange('RequestCancelWorkflowExecution', { status: 400, body: '<html>no</html>' })],
    [
      'fault.envelope.namespace',
      exchange('RequestCancelWorkflowExecution', { status: 400, body: { ...unknown, __type: 'UnknownResourceFault' } }),
    ],
    [
      'fault.envelope.error-type-header',
      exchange('DescribeWorkflowExecution', { status: 400, headers: { 'X-Amzn-ErrorType': '' }, body: unknown }),
    ],
    [
      'fault.envelope.codes-agree',
      exchange('DescribeWorkflowExecution', { status: 400, headers: { 'X-Amzn-ErrorType': 'ValidationException' }, body: unknown }),
    ],
  ] as const)('%s: a broken answer is found', ([clause, x]) => {
    expect(broken(x)).toContain(clause);
  });

  test('a request id seen before breaks wire.success.request-id', () => {
    const checks = new ExchangeChecks();
    const a = exchange('TerminateWorkflowExecution', { headers: { 'x-amzn-RequestId': 'same' } });
    expect(broken(a, checks)).toEqual([]);
    expect(broken(a, checks)).toEqual(['wire.success.request-id']);
  });

  test('what no check looks at: a server error, and the status of an unsigned request’s fault', () => {
    expect(
      new ExchangeChecks().check(
        exchange('TerminateWorkflowExecution', { status: 500, headers: { 'x-amzn-RequestId': '' }, body: '<!doctype html>' }),
      ),
    ).toEqual({ applied: [], violations: [] });
    const unsigned = {
      ...exchange('TerminateWorkflowExecution', { status: 403, body: { __type: 'MissingAuthenticationTokenException' } }),
      principal: 'unsigned' as const,
    };
    expect(new ExchangeChecks().check(unsigned)).toEqual({ applied: ['wire.success.request-id'], violations: [] });
  });

  test('a recorded clause is checked only in the cases its recordings show: the namespace of UnknownResourceFault alone', () => {
    const other = exchange('TerminateWorkflowExecution', {
      status: 400,
      headers: { 'X-Amzn-ErrorType': 'ValidationException' },
      body: { __type: 'ValidationException', message: '1 validation error detected' },
    });
    expect(new ExchangeChecks().check(other).applied).not.toContain('fault.envelope.namespace');
  });

  test('a tally counts what each check looked at, names the first violation, and becomes one failing outcome per clause', () => {
    const checks = new ExchangeChecks();
    const into: CheckTally = {};
    tally(into, checks.check(exchange('TerminateWorkflowExecution')), () => 'exchange #1');
    tally(into, checks.check(exchange('TerminateWorkflowExecution', { body: '{}' })), () => 'exchange #2');
    tally(into, checks.check(exchange('TerminateWorkflowExecution', { body: '{ }' })), () => 'exchange #3');
    expect(into['wire.success.empty-body']).toEqual({
      checked: 3,
      violations: 2,
      first: 'exchange #2: body: expected (empty: the operation returns nothing), got {}',
    });
    const merged = mergeTallies(into, { 'wire.success.empty-body': { checked: 1, violations: 1, first: 'later' } });
    expect(merged['wire.success.empty-body']).toMatchObject({
      checked: 4,
      violations: 3,
      first: 'exchange #2: body: expected (empty: the operation returns nothing), got {}',
    });
    const outcomes = checkOutcomes(merged, (c) => spec().byId.get(c)?.grade);
    const emptyBody = outcomes.find((o) => o.clauses[0] === 'wire.success.empty-body')!;
    expect(emptyBody).toMatchObject({ file: 'every exchange', state: 'failed', grade: 'documented', exchangesChecked: 4 });
    expect(emptyBody.message).toMatch(/^3 of the 4 exchanges this check applies to break it; the first: exchange #2: body/);
    expect(outcomes.find((o) => o.clauses[0] === 'wire.success.request-id')).toMatchObject({ state: 'passed', exchangesChecked: 3 });
  });
});
