/** The wire: void successes, request ids, the pages' example requests, timestamps (spec/wire.yaml). */
import { describe } from 'vitest';
import { JSON_CONTENT_TYPE, LEGACY_TARGET_PREFIX } from '../src/contract/protocol.ts';
import { seedExample, seedOperations } from '../src/contract/seed-examples.ts';
import { cites, eventRecordedBy, expect, it, operationsUnderTest, type Scenario } from '../src/harness/battery.ts';
import { expectSuccess } from '../src/harness/wire.ts';

describe.for(operationsUnderTest)('%s success', (op) => {
  const act = async (swf: Scenario) => swf.send(op, { domain: swf.domain, ...(await swf.start()) });

  it('is HTTP 200 with an empty body', cites('wire.success.empty-body'), async ({ swf }) => {
    const res = await act(swf);
    expectSuccess(res);
    expect(res.text).toBe('');
    expect(res.headers['content-length'] ?? '0').toBe('0');
  });

  it('has a Content-Type of JSON', cites('wire.success.content-type'), async ({ swf }) => {
    const res = await act(swf);
    expectSuccess(res);
    expect(res.headers['content-type'] ?? '(no Content-Type header)').toMatch(/^application\/(json|x-amz-json-1\.0)\b/);
  });
});

describe.for(operationsUnderTest)('%s answers in the form of its request', (op) => {
  const act = async (swf: Scenario, headers: Record<string, string>, target?: string) =>
    swf.raw.send({ operation: op, headers, ...(target ? { target } : {}), body: { domain: swf.domain, ...(await swf.start()) } });

  it(
    'a success to application/x-amz-json-1.0 is application/x-amz-json-1.0',
    cites('wire.content-type.follows-request'),
    async ({ swf }) => {
      const res = await act(swf, { 'content-type': JSON_CONTENT_TYPE });
      expectSuccess(res);
      expect(res.headers['content-type'] ?? '(no Content-Type header)').toBe(JSON_CONTENT_TYPE);
    },
  );

  it(
    'a refusal to application/x-amz-json-1.0 is application/x-amz-json-1.0',
    cites('wire.content-type.follows-request'),
    async ({ swf }) => {
      const res = await swf.raw.send({
        operation: op,
        headers: { 'content-type': JSON_CONTENT_TYPE },
        body: { domain: swf.domain, workflowId: swf.id('nx') },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.headers['content-type'] ?? '(no Content-Type header)').toBe(JSON_CONTENT_TYPE);
    },
  );

  it('a success to the older form is application/json', cites('wire.content-type.follows-request'), async ({ swf }) => {
    const res = await act(
      swf,
      { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'amz-1.0' },
      `${LEGACY_TARGET_PREFIX}${op}`,
    );
    expectSuccess(res);
    expect(res.headers['content-type'] ?? '(no Content-Type header)').toBe('application/json');
  });
});

it('every response carries its own x-amzn-RequestId, faults too', cites('wire.success.request-id'), async ({ swf }) => {
  const run = await swf.start();
  const ok = await swf.terminate({ domain: swf.domain, ...run });
  const fault = await swf.terminate({ domain: swf.domain, workflowId: swf.id('nx') });
  const invalid = await swf.terminate({ domain: swf.domain });
  const notJson = await swf.raw.send({ operation: 'TerminateWorkflowExecution', body: '{"domain": ' });
  const unknownOperation = await swf.raw.send({
    target: 'SimpleWorkflowService.TerminateAllWorkflowExecutions',
    body: { domain: swf.domain },
  });
  expectSuccess(ok);
  // A success and every kind of refusal each carry their own; which codes they are is other
  // clauses' business.
  const answers = {
    success: ok,
    'unknown execution': fault,
    'missing member': invalid,
    'body not JSON': notJson,
    'unknown operation': unknownOperation,
  };
  const ids = Object.values(answers).map((r) => r.headers['x-amzn-requestid']);
  expect(Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, r.headers['x-amzn-requestid'] ? 'present' : 'missing']))).toEqual(
    Object.fromEntries(Object.keys(answers).map((k) => [k, 'present'])),
  );
  expect(new Set(ids).size).toBe(ids.length);
});

describe("the API pages' example requests, with this run's domain and ids", () => {
  for (const operation of seedOperations) {
    const clause = operation === 'TerminateWorkflowExecution' ? 'wire.seed-example.terminate' : 'wire.seed-example.cancel';
    it(`${operation} is answered as the page shows`, cites(clause), async ({ swf }) => {
      const example = seedExample(operation);
      const page = JSON.parse(example.request.body) as Record<string, string>;
      const run = await swf.start();
      // The page's body, byte for byte, but for the identifiers.
      const body = example.request.body
        .replace(page.domain!, swf.domain)
        .replace(page.workflowId!, run.workflowId)
        .replace(page.runId!, run.runId);
      const res = await swf.raw.send({ operation, headers: example.request.headers, body });
      expect(res.status).toBe(example.response.status);
      expect(res.text).toBe(example.response.body);
      expect(res.headers['x-amzn-requestid']).toBeTruthy();
      const eventType = operation === 'TerminateWorkflowExecution' ? 'WorkflowExecutionTerminated' : 'WorkflowExecutionCancelRequested';
      const last = (await swf.historyWith(run, eventType)).find((e) => e.eventType === eventType);
      expect(last).toBeDefined();
      if (operation === 'TerminateWorkflowExecution') {
        expect(last?.workflowExecutionTerminatedEventAttributes).toMatchObject({
          reason: page.reason,
          details: page.details,
          childPolicy: page.childPolicy,
        });
      }
    });
  }
});

it(
  'operations are routed by X-Amz-Target on POST /, with the awsJson 1.0 content type',
  cites('wire.protocol.target-header'),
  async ({ swf }) => {
    const run = await swf.start();
    const headers = { 'content-type': JSON_CONTENT_TYPE };
    const res = await swf.raw.send({ operation: 'DescribeWorkflowExecution', body: { domain: swf.domain, execution: run }, headers });
    expect(res.status).toBe(200);
    expect((res.json as { executionInfo?: { execution?: unknown } }).executionInfo?.execution).toEqual(run);
    // Both operations under test, exactly as the protocol sends them, reach their handler: whether
    // the handler then succeeds is other clauses' business.
    for (const operation of operationsUnderTest) {
      const res = await swf.raw.send({ operation, body: { domain: swf.domain, ...run }, headers });
      expect(
        [operation, res.status === 404 || res.status === 415 ? `HTTP ${res.status}` : (res.error?.code ?? 'routed')],
        res.text,
      ).not.toEqual([operation, expect.stringMatching(/^(UnknownOperationException|SerializationException|HTTP 404|HTTP 415)$/)]);
    }
  },
);

it('timestamps are epoch seconds as JSON numbers', cites('wire.timestamps.epoch-seconds'), async ({ swf }) => {
  const run = await swf.start();
  expectSuccess(await swf.terminate({ domain: swf.domain, ...run }));
  const now = Date.now() / 1000;
  const info = await swf.infoWhen(run, (i) => i.executionStatus !== 'OPEN');
  const events = await swf.history(run);
  for (const t of [info.startTimestamp, info.closeTimestamp, ...events.map((e) => e.eventTimestamp)]) {
    expect(t).toBeTypeOf('number');
    // Seconds, not milliseconds: within a day of now.
    expect(Math.abs((t as number) - now)).toBeLessThan(86_400);
  }
});

it("event ids are unique and increase by one, the two operations' events included", cites('wire.event-ids.sequential'), async ({ swf }) => {
  const run = await swf.start();
  await swf.decide(run, []);
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId }));
  const ids = (await swf.history(run)).map((e) => e.eventId);
  expect(ids).toEqual(ids.map((_, i) => i + 1));
});

it('the answers a client reads the effects with have the documented shapes', cites('wire.response.shapes'), async ({ swf, task }) => {
  // One pass through every read the battery makes, with a decision, a cancel request and a
  // termination in the history; every answer is checked against schemas/ and every violation
  // listed. Only shapes are judged here: a read that is refused outright, or a cancel that fails,
  // is other clauses' business, but History and Describe must answer for the clause to be judged.
  const refused: string[] = [];
  const read = async (what: string, f: () => Promise<unknown>) => {
    try {
      await f();
    } catch (error) {
      refused.push(`${what}: ${(error as Error).message.split('\n')[0]}`);
    }
  };
  const run = await swf.start();
  await swf.decide(run, []);
  await swf.cancel({ domain: swf.domain, workflowId: run.workflowId });
  await read('ListOpenWorkflowExecutions', () => swf.listed(run.workflowId, 'Open'));
  await read('CountOpenWorkflowExecutions', () => swf.openCount(run.workflowId));
  expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId, reason: 'shape check' }));
  await swf.historyWhen(run, (h) => h.at(-1)?.eventType === 'WorkflowExecutionTerminated');
  await swf.infoWhen(run, (i) => i.executionStatus !== 'OPEN');
  await read('ListClosedWorkflowExecutions', () => swf.listedWhen(run.workflowId, 'Closed', (l) => l.length > 0));
  // Histories with a continue-as-new and a child in them, where the target supports those.
  await read('ContinueAsNewWorkflowExecution', async () => {
    const first = await swf.start();
    const { started } = await swf.decide(first, [
      { decisionType: 'ContinueAsNewWorkflowExecution', continueAsNewWorkflowExecutionDecisionAttributes: {} },
    ]);
    await swf.history(first);
    if (started[0]) await swf.history(started[0]);
  });
  await read('StartChildWorkflowExecution', async () => {
    const parent = await swf.start({ typeDefault: 'ABANDON' });
    const { started } = await swf.decide(parent, [swf.childDecision(`${parent.workflowId}-c`)]);
    await swf.history(parent);
    if (started[0]) await swf.history(started[0]);
  });
  expect(swf.shapeViolations, swf.shapeViolations.join('\n')).toEqual([]);
  // Reported, not judged: which reads this target refused.
  if (refused.length) task.meta.observed = `not checked, refused: ${refused.join('; ')}`;
});

describe('the older X-Amz-Target form, as boto 2 sends it', () => {
  const legacy = (operation: string) => ({
    target: `${LEGACY_TARGET_PREFIX}${operation}`,
    headers: { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'amz-1.0' },
  });
  for (const operation of operationsUnderTest) {
    const clause =
      operation === 'TerminateWorkflowExecution'
        ? cites('wire.protocol.legacy-target', { case: `operation:${operation}` })
        : cites('wire.protocol.legacy-target.request-cancel');
    it(`${operation} is served, and answered as application/json`, clause, async ({ swf }) => {
      const run = await swf.start();
      const res = await swf.raw.send({ operation, ...legacy(operation), body: { domain: swf.domain, ...run } });
      expect([res.status, res.text], res.text).toEqual([200, '']);
      expect(res.headers['content-type']).toBe('application/json');
      await swf.historyWith(run, eventRecordedBy[operation]);
    });
  }
  it(
    'a read is answered with its JSON as application/json',
    cites('wire.protocol.legacy-target', { case: 'operation:DescribeWorkflowExecution' }),
    async ({ swf }) => {
      const run = await swf.start();
      const res = await swf.raw.send({
        operation: 'DescribeWorkflowExecution',
        ...legacy('DescribeWorkflowExecution'),
        body: { domain: swf.domain, execution: run },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect((res.json as { executionInfo?: { execution?: unknown } }).executionInfo?.execution).toEqual(run);
    },
  );
});

it("zero ids are sent, not left out: a top-level start's parentInitiatedEventId", cites('wire.events.zero-ids'), async ({ swf }) => {
  const run = await swf.start();
  const [started] = await swf.history(run);
  expect(started?.eventType).toBe('WorkflowExecutionStarted');
  expect(started?.workflowExecutionStartedEventAttributes).toHaveProperty('parentInitiatedEventId', 0);
});
