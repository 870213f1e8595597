/** Faults: unknown resources, denied access, the envelope, and the framework's errors (spec/fault.yaml). */
import { describe } from 'vitest';
import { SWFServiceException, TerminateWorkflowExecutionCommand } from '@aws-sdk/client-swf';
import { cites, expect, it, operationsUnderTest, type OperationUnderTest, type Scenario } from '../src/harness/battery.ts';
import type { RawResponse } from '../src/clients/raw.ts';
import { headerErrorCode } from '../src/clients/errors.ts';
import { messagePattern } from '../src/contract/messages.ts';
import { expectEnvelope, expectFault, expectSuccess } from '../src/harness/wire.ts';

const act = (swf: Scenario, op: OperationUnderTest, body: unknown, client = swf.raw) => swf.send(op, body, client);

describe.for(operationsUnderTest)('%s', (op) => {
  it('a domain never registered is UnknownResourceFault', cites('fault.unknown.domain'), async ({ swf }) => {
    expectFault(await act(swf, op, { domain: `${swf.config.runPrefix}-no-such-domain`, workflowId: swf.id('nx') }), 'UnknownResourceFault');
  });

  it(
    'a workflowId with no execution is UnknownResourceFault, with or without runId',
    cites('fault.unknown.workflow-id'),
    async ({ swf }) => {
      expectFault(await act(swf, op, { domain: swf.domain, workflowId: swf.id('nx') }), 'UnknownResourceFault');
      expectFault(await act(swf, op, { domain: swf.domain, workflowId: swf.id('nx'), runId: 'no-such-run' }), 'UnknownResourceFault');
    },
  );

  it('an execution is unknown in another domain', cites('fault.unknown.other-domain'), async ({ swf }) => {
    const run = await swf.start();
    const elsewhere = swf.config.deprecatedDomain;
    expectFault(await act(swf, op, { domain: elsewhere, workflowId: run.workflowId }), 'UnknownResourceFault');
    expectFault(await act(swf, op, { domain: elsewhere, ...run }), 'UnknownResourceFault');
    expect((await swf.info(run)).executionStatus).toBe('OPEN');
  });

  it('with a runId, the message names the execution', cites('fault.unknown.message-with-run-id.operations'), async ({ swf }) => {
    const workflowId = swf.id('nx');
    const res = await act(swf, op, { domain: swf.domain, workflowId, runId: 'r-123' });
    expectFault(res, 'UnknownResourceFault');
    expect(res.error?.message ?? '(no message)').toMatch(
      messagePattern('fault.unknown.message-with-run-id.operations', { workflowId, runId: 'r-123' }),
    );
  });

  it('without a runId, the message names the workflowId', cites('fault.unknown.message-without-run-id'), async ({ swf }) => {
    const workflowId = swf.id('nx');
    const res = await act(swf, op, { domain: swf.domain, workflowId });
    expectFault(res, 'UnknownResourceFault');
    expect(res.error?.message ?? '(no message)').toMatch(messagePattern('fault.unknown.message-without-run-id', { workflowId }));
  });

  describe('denied access', () => {
    it('the restricted principal is refused', cites('fault.access.denied'), async ({ swf, skip, task, annotate }) => {
      if (!swf.restricted)
        return skip(
          'no restricted principal configured (SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID / _SECRET_ACCESS_KEY or SWF_CONFORMANCE_RESTRICTED_PROFILE)',
        );
      const run = await swf.start();
      const res = await act(swf, op, { domain: swf.domain, workflowId: run.workflowId }, swf.restricted);
      expectFault(res, ['OperationNotPermittedFault', 'AccessDeniedException']);
      task.meta.observed = `denied with ${res.error?.code}`;
      await annotate(task.meta.observed);
    });

    it('a refused request changes nothing', cites('fault.access.no-effect'), async ({ swf, skip }) => {
      if (!swf.restricted) return skip('no restricted principal configured');
      const run = await swf.start();
      const before = await swf.history(run);
      expect((await act(swf, op, { domain: swf.domain, ...run }, swf.restricted)).status).toBe(400);
      expect((await swf.info(run)).executionStatus).toBe('OPEN');
      expect(await swf.history(run)).toEqual(before);
    });

    it('the check comes before the lookup', cites('fault.access.before-lookup'), async ({ swf, skip }) => {
      if (!swf.restricted) return skip('no restricted principal configured');
      expectFault(await act(swf, op, { domain: swf.domain, workflowId: swf.id('nx') }, swf.restricted), [
        'OperationNotPermittedFault',
        'AccessDeniedException',
      ]);
    });
  });
});

describe('the error envelope', () => {
  it('a fault is HTTP 400 with __type and message, and the SDK resolves the same code', cites('fault.envelope.shape'), async ({ swf }) => {
    const body = { domain: swf.domain, workflowId: swf.id('nx') };
    const res = await swf.terminate(body);
    expectEnvelope(res);
    expectFault(res, 'UnknownResourceFault');
    expect(res.error?.type ?? '(no __type)').toMatch(/^([\w.]+#)?UnknownResourceFault$/);
    expect(res.error?.message).toEqual(expect.any(String));
    const error = await (await swf.sdk()).send(new TerminateWorkflowExecutionCommand(body)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SWFServiceException);
    expect((error as SWFServiceException).name).toBe('UnknownResourceFault');
  });

  // Every kind of fault a request to the two operations can meet: the status and the envelope
  // are the same whatever the code (authentication faults apart: their status is inferred).
  const faultKinds: [string, (swf: Scenario, operation: OperationUnderTest) => Promise<RawResponse>][] = [
    ['an unknown execution', (swf, operation) => swf.send(operation, { domain: swf.domain, workflowId: swf.id('nx') })],
    [
      'an unknown domain',
      (swf, operation) => swf.send(operation, { domain: `${swf.config.runPrefix}-no-such-domain`, workflowId: swf.id('nx') }),
    ],
    ['a missing member', (swf, operation) => swf.send(operation, { domain: swf.domain })],
    ['a body that is not JSON', (swf, operation) => swf.raw.send({ operation, body: '{"domain": ' })],
    [
      'an unknown operation',
      (swf) => swf.raw.send({ target: 'SimpleWorkflowService.TerminateAllWorkflowExecutions', body: { domain: swf.domain } }),
    ],
  ];
  describe.for(operationsUnderTest)('%s', (operation) => {
    it.for(faultKinds)('%s: HTTP 400 with a JSON envelope', cites('fault.envelope.shape'), async ([, send], { swf }) => {
      expectEnvelope(await send(swf, operation));
    });
  });

  it('modeled faults carry the namespace com.amazonaws.swf.base.model', cites('fault.envelope.namespace'), async ({ swf }) => {
    const res = await swf.terminate({ domain: swf.domain, workflowId: swf.id('nx') });
    expect(res.error?.type).toBe('com.amazonaws.swf.base.model#UnknownResourceFault');
  });

  it('the X-Amzn-ErrorType header names the code', cites('fault.envelope.error-type-header'), async ({ swf }) => {
    const res = await swf.terminate({ domain: swf.domain, workflowId: swf.id('nx') });
    // Which code it names is fault.envelope.codes-agree's business.
    expect(headerErrorCode(res.headers) ?? '(no X-Amzn-ErrorType header)').toMatch(/^[A-Za-z]+$/);
  });

  it('the header and __type name the same code, for every kind of fault', cites('fault.envelope.codes-agree'), async ({ swf, skip }) => {
    const faults = [
      await swf.terminate({ domain: swf.domain, workflowId: swf.id('nx') }),
      await swf.cancel({ domain: swf.domain }),
      await swf.raw.send({ operation: 'TerminateWorkflowExecution', body: '{"domain": ' }),
      await swf.raw.send({ target: 'SimpleWorkflowService.TerminateAllWorkflowExecutions', body: { domain: swf.domain } }),
    ];
    const both = faults.filter((r) => headerErrorCode(r.headers) && r.error?.type);
    if (both.length === 0) return skip('no fault named its code in both the header and __type: nothing to compare');
    const disagreeing = both
      .map((r) => ({ header: headerErrorCode(r.headers), body: r.error!.type!.split('#').pop()!.split(':')[0] }))
      .filter((c) => c.header !== c.body)
      .map((c) => `X-Amzn-ErrorType ${c.header}, __type ${c.body}`);
    expect(disagreeing, disagreeing.join('; ')).toEqual([]);
  });

  it('ValidationException has the coral namespace and the counted message', cites('fault.validation.envelope'), async ({ swf }) => {
    const res = await swf.terminate({ domain: swf.domain });
    expectFault(res, 'ValidationException');
    expect(res.error?.type).toBe('com.amazon.coral.validate#ValidationException');
    expect(res.error?.message ?? '(no message)').toMatch(messagePattern('fault.validation.envelope', {}, 'start'));
  });
});

describe('framework errors', () => {
  it.for([
    ['not JSON', '{"domain": '],
    ['a JSON array', '[]'],
    ['a JSON string', '"domain"'],
  ])('a body that is %s is SerializationException', cites('fault.serialization.malformed-json'), async ([, body], { swf }) => {
    const res = await swf.raw.send({ operation: 'TerminateWorkflowExecution', body });
    expectFault(res, 'SerializationException');
    expect(res.error?.type ?? '(no __type)').toMatch(/^(com\.amazon\.coral\.service#)?SerializationException$/);
  });

  it('an unknown operation is UnknownOperationException', cites('fault.unknown-operation'), async ({ swf }) => {
    const res = await swf.raw.send({ target: 'SimpleWorkflowService.TerminateAllWorkflowExecutions', body: { domain: swf.domain } });
    expectFault(res, 'UnknownOperationException');
  });

  it('an unsigned request is MissingAuthenticationTokenException and changes nothing', cites('fault.auth.missing'), async ({ swf }) => {
    const run = await swf.start();
    const res = await swf.raw.send({ operation: 'TerminateWorkflowExecution', body: { domain: swf.domain, ...run }, sign: false });
    expectFault(res, 'MissingAuthenticationTokenException');
    expect((await swf.info(run)).executionStatus).toBe('OPEN');
  });

  const unknownKey = { accessKeyId: 'AKIDSWFCONFORMANCEUNKNOWN', secretAccessKey: 'not-a-real-secret' };

  it("an unknown access key is refused with AWS's message", cites('fault.auth.invalid'), async ({ swf }) => {
    const run = await swf.start();
    const res = await swf.raw.send({ operation: 'TerminateWorkflowExecution', body: { domain: swf.domain, ...run }, sign: unknownKey });
    expect(res.status, res.text).toBe(400);
    // Codes exactly, messages loosely: the recorded wording, matched by pattern.
    expect(res.error?.message ?? '(no message)').toMatch(/security token included in the request is invalid/i);
  });

  it('a request with an unknown access key changes nothing', cites('fault.auth.invalid.no-effect'), async ({ swf }) => {
    const run = await swf.start();
    const before = (await swf.history(run)).length;
    await swf.raw.send({ operation: 'TerminateWorkflowExecution', body: { domain: swf.domain, ...run }, sign: unknownKey });
    await swf.raw.send({ operation: 'RequestCancelWorkflowExecution', body: { domain: swf.domain, ...run }, sign: unknownKey });
    const info = await swf.info(run);
    expect([info.executionStatus, info.cancelRequested ?? false, (await swf.history(run)).length]).toEqual(['OPEN', false, before]);
  });

  it('an unknown access key is UnrecognizedClientException', cites('fault.auth.invalid-code'), async ({ swf }) => {
    const res = await swf.raw.send({
      operation: 'RequestCancelWorkflowExecution',
      body: { domain: swf.domain, workflowId: swf.id('nx') },
      sign: unknownKey,
    });
    expectFault(res, 'UnrecognizedClientException');
  });
});

it(
  'a heartbeat for a task of an execution that has closed names the execution, as AWS answered one',
  cites('fault.unknown.message-with-run-id', { case: 'operation:RecordActivityTaskHeartbeat' }),
  async ({ swf }) => {
    const run = await swf.start();
    const taskToken = await swf.startActivity(run);
    expectSuccess(await swf.terminate({ domain: swf.domain, ...run }));
    await swf.infoWhen(run, (i) => i.executionStatus !== 'OPEN');
    const res = await swf.raw.send({ operation: 'RecordActivityTaskHeartbeat', body: { taskToken } });
    expectFault(res, 'UnknownResourceFault');
    expect(res.error?.message ?? '(no message)').toMatch(
      messagePattern('fault.unknown.message-with-run-id', { workflowId: run.workflowId, runId: run.runId }),
    );
  },
);

it('a success is not a fault: the lookup of an open execution succeeds', cites('fault.envelope.shape'), async ({ swf }) => {
  const run = await swf.start();
  expectSuccess(await swf.terminate({ domain: swf.domain, ...run }));
});
