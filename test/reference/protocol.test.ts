import { DescribeDomainCommand, RegisterDomainCommand } from '@aws-sdk/client-swf';
import { describe, expect, test } from 'vitest';
import { sdkClient } from '../../src/clients/sdk.ts';
import { RawClient } from '../../src/clients/raw.ts';
import { testCredentials, unique, useReference } from './helpers.ts';

describe('awsJson1.0 protocol', () => {
  const h = useReference();
  const domain = unique('proto');

  test('a void operation answers 200 with an empty body and a request id', async () => {
    const res = await h.raw.send({ operation: 'RegisterDomain', body: { name: domain, workflowExecutionRetentionPeriodInDays: '1' } });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('a fault has the envelope and the error-type header', async () => {
    const res = await h.raw.send({
      operation: 'RequestCancelWorkflowExecution',
      body: { domain: unique('none'), workflowId: 'w', runId: 'r' },
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      __type: 'com.amazonaws.swf.base.model#UnknownResourceFault',
      message: expect.stringMatching(/^Unknown domain: /),
    });
    expect(res.headers['x-amzn-errortype']).toMatch(/^UnknownResourceFault:/);
    expect(res.headers['x-amzn-requestid']).toBeTruthy();
  });

  test('validation errors are counted and name member, value and constraint', async () => {
    const res = await h.raw.send({
      operation: 'TerminateWorkflowExecution',
      body: { domain, workflowId: '', childPolicy: 'terminate', runId: 'r'.repeat(65) },
    });
    expect(res.error?.type).toBe('com.amazon.coral.validate#ValidationException');
    expect(res.error?.message).toBe(
      "3 validation errors detected: Value '' at 'workflowId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        `Value '${'r'.repeat(65)}' at 'runId' failed to satisfy constraint: Member must have length less than or equal to 64; ` +
        "Value 'terminate' at 'childPolicy' failed to satisfy constraint: Member must satisfy enum value set: [TERMINATE, REQUEST_CANCEL, ABANDON]",
    );
  });

  test('a missing or null required member is "Value null"', async () => {
    for (const body of [{ domain }, { domain, workflowId: null }]) {
      const res = await h.raw.send({ operation: 'RequestCancelWorkflowExecution', body });
      expect(res.error?.message).toBe(
        "1 validation error detected: Value null at 'workflowId' failed to satisfy constraint: Member must not be null",
      );
    }
  });

  test('nested members are named by path, list items as AWS does', async () => {
    const res = await h.raw.send({
      operation: 'RespondDecisionTaskCompleted',
      body: { taskToken: 't', decisions: [{ decisionType: 'CompleteWorkflowExecution' }, { decisionType: 'Nope' }] },
    });
    expect(res.error?.message).toMatch(
      /at 'decisions\.2\.member\.decisionType' failed to satisfy constraint: Member must satisfy enum value set/,
    );
  });

  test.for([
    ['a wrong JSON type', { domain: 5, workflowId: 'w' }, 'SerializationException'],
    ['a malformed body', '{"domain": ', 'SerializationException'],
    ['a JSON array body', '[]', 'SerializationException'],
  ] as const)('%s is SerializationException', async ([, body, code]) => {
    const res = await h.raw.send({ operation: 'TerminateWorkflowExecution', body });
    expect([res.status, res.error?.code, res.error?.type]).toEqual([400, code, `com.amazon.coral.service#${code}`]);
  });

  test.for([
    ['an unknown operation', 'SimpleWorkflowService.DeleteEverything'],
    ["another service's prefix", 'DynamoDB_20120810.ListTables'],
    ['no target at all', null],
  ] as const)('%s is UnknownOperationException', async ([, target]) => {
    const res = await h.raw.send({ target, body: {} });
    expect([res.status, res.error?.code]).toEqual([400, 'UnknownOperationException']);
  });

  test('a body over 1 MB is refused with an error envelope', async () => {
    const res = await h.raw.send({
      operation: 'TerminateWorkflowExecution',
      body: JSON.stringify({ domain, workflowId: 'w', details: 'x'.repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.error?.code).toBe('RequestEntityTooLargeException');
  });

  test('unknown members are ignored (inferred)', async () => {
    const res = await h.raw.send({ operation: 'DescribeDomain', body: { name: domain, somethingElse: 1 } });
    expect(res.status).toBe(200);
  });
});

describe('authentication', () => {
  const h = useReference({ auth: { credentials: [{ ...testCredentials }] } });
  const body = { name: unique('auth'), workflowExecutionRetentionPeriodInDays: '1' };

  test('a signed request with known credentials is served, through the SDK too', async () => {
    await h.sdk.send(new RegisterDomainCommand(body));
    const res = await h.raw.send({ operation: 'DescribeDomain', body: { name: body.name } });
    expect(res.status).toBe(200);
  });

  test('an unsigned request is MissingAuthenticationTokenException', async () => {
    const res = await h.raw.send({ operation: 'DescribeDomain', body: { name: body.name }, sign: false });
    expect([res.status, res.error?.code]).toEqual([400, 'MissingAuthenticationTokenException']);
  });

  test("an unknown access key is UnrecognizedClientException with AWS's message", async () => {
    const res = await h.raw.send({
      operation: 'DescribeDomain',
      body: { name: body.name },
      sign: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' },
    });
    expect([res.status, res.error?.code, res.error?.message]).toEqual([
      400,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    ]);
  });

  test('a wrong secret is InvalidSignatureException', async () => {
    const res = await h.raw.send({
      operation: 'DescribeDomain',
      body: { name: body.name },
      sign: { accessKeyId: testCredentials.accessKeyId, secretAccessKey: 'wrong' },
    });
    expect([res.status, res.error?.code]).toEqual([400, 'InvalidSignatureException']);
  });

  test('a body changed after signing is InvalidSignatureException', async () => {
    const url = new URL(h.ref.url);
    const signedFor = await new RawClient({ endpoint: h.ref.url, region: 'us-east-1', credentials: async () => testCredentials }).send({
      operation: 'DescribeDomain',
      body: { name: body.name },
    });
    const headers = { ...signedFor.exchange.request.headers };
    delete headers.host;
    delete headers['content-length'];
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ name: `${body.name}x` }) });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^InvalidSignatureException/);
  });
});

describe('access policy', () => {
  const restricted = { accessKeyId: 'AKIDRESTRICTED', secretAccessKey: 'restricted-secret', principal: 'restricted' };
  const allowedDomain = unique('allowed');
  const h = useReference({
    auth: { credentials: [{ ...testCredentials, principal: 'admin' }, restricted] },
    policy: {
      principals: { admin: [{ actions: ['*'], domains: ['*'] }], restricted: [{ actions: ['DescribeDomain'], domains: [allowedDomain] }] },
    },
  });

  test('the restricted principal may do what its rules allow, and nothing else', async () => {
    await h.raw.call('RegisterDomain', { name: allowedDomain, workflowExecutionRetentionPeriodInDays: '1' });
    const asRestricted = sdkClient({ endpoint: h.ref.url, region: 'us-east-1', credentials: async () => restricted });
    await asRestricted.send(new DescribeDomainCommand({ name: allowedDomain }));
    const denied = await h.raw.send({
      operation: 'TerminateWorkflowExecution',
      body: { domain: allowedDomain, workflowId: 'no-such' },
      sign: restricted,
    });
    expect([denied.status, denied.error?.code]).toEqual([400, 'OperationNotPermittedFault']);
    expect(denied.error?.message).toBe(
      `User: arn:aws:iam::000000000000:user/restricted is not authorized to perform: swf:TerminateWorkflowExecution on resource: arn:aws:swf:us-east-1:000000000000:/domain/${allowedDomain}`,
    );
    asRestricted.destroy();
  });
});

describe('test modes', () => {
  describe('denied with AccessDeniedException', () => {
    const h = useReference({ policy: { deniedCode: 'AccessDeniedException', principals: {} } });
    test('denials use the configured code', async () => {
      const res = await h.raw.send({ operation: 'DescribeDomain', body: { name: 'x' } });
      expect([res.error?.code, res.error?.type]).toEqual(['AccessDeniedException', 'com.amazon.coral.service#AccessDeniedException']);
    });
  });

  describe('throttling', () => {
    const h = useReference({ throttling: true });
    test('past the RegisterDomain bucket (100, refilling 6/s) requests are ThrottlingException', async () => {
      // Sent in bursts until one is refused (a bound of 1,000): the bucket refills as the requests
      // go, so how many pass depends on how fast this machine sends them; the bucket's arithmetic
      // does not: at least its 100, and no more than what it refilled meanwhile.
      const started = performance.now();
      const results: Awaited<ReturnType<typeof h.raw.send>>[] = [];
      const send = () =>
        // Sent once each: a client's own retry would wait the bucket out.
        h.raw.send(
          { operation: 'RegisterDomain', body: { name: unique('t'), workflowExecutionRetentionPeriodInDays: '1' } },
          { retries: 0 },
        );
      while (results.length < 1_000 && !results.some((r) => r.error?.code === 'ThrottlingException'))
        results.push(...(await Promise.all(Array.from({ length: 25 }, send))));
      const seconds = (performance.now() - started) / 1000;
      const throttled = results.filter((r) => r.error?.code === 'ThrottlingException');
      // Past the bucket: registered, or refused by the domain limit the reference keeps (a slow
      // machine refills the bucket past it), never throttled.
      const passed = results.length - throttled.length;
      expect(throttled.length).toBeGreaterThan(0);
      expect(throttled[0]?.json).toEqual({ __type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate exceeded' });
      expect(passed).toBeGreaterThanOrEqual(100);
      expect(passed).toBeLessThanOrEqual(100 + Math.ceil(6 * seconds) + 1);
      expect(results.filter((r) => r.status !== 200 && !r.error?.code?.match(/^(ThrottlingException|LimitExceededFault)$/))).toEqual([]);
    });
  });

  describe('latency', () => {
    const h = useReference({ latencyMs: 150 });
    test('every answer is delayed by the configured time', async () => {
      const started = performance.now();
      await h.raw.send({ operation: 'ListDomains', body: { registrationStatus: 'REGISTERED' } });
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });
  });
});
