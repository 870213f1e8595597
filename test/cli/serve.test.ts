import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient } from '../../src/clients/raw.ts';
import { Ledger } from '../../src/harness/ledger.ts';
import { assertShape } from '../../src/contract/validators.ts';
import { seedExample, seedOperations } from '../../src/contract/seed-examples.ts';
import { runCli, startServe, stop } from './helpers.ts';
import { tempDir, testTempDir } from '../temp-dir.ts';

describe('swf-conformance serve', () => {
  let server: { url: string; child: ChildProcess };
  let raw: RawClient;
  beforeAll(async () => {
    server = await startServe();
    // serve verifies SigV4 by default, for the conventional emulator credentials.
    raw = new RawClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
    });
  });
  afterAll(async () => {
    if (server) expect(await stop(server.child)).toBe(0);
  });

  test.for(seedOperations)('answers the %s page example with the response the page shows', async (operation) => {
    const example = seedExample(operation);
    const body = JSON.parse(example.request.body) as { domain: string; workflowId: string; runId: string };
    // The page's domain and workflowId, made to exist; the runId is the one the server gives.
    await raw.send({ operation: 'RegisterDomain', body: { name: body.domain, workflowExecutionRetentionPeriodInDays: '1' } });
    await raw.send({
      operation: 'RegisterWorkflowType',
      body: {
        domain: body.domain,
        name: 'seed',
        version: '1',
        defaultChildPolicy: 'TERMINATE',
        defaultTaskList: { name: 'seed' },
        defaultExecutionStartToCloseTimeout: '3600',
        defaultTaskStartToCloseTimeout: '60',
      },
    });
    // Both pages use one workflowId: close whatever an earlier example left open.
    await raw.send({ operation: 'TerminateWorkflowExecution', body: { domain: body.domain, workflowId: body.workflowId } });
    const { runId } = assertShape(
      'Run',
      await raw.call('StartWorkflowExecution', {
        domain: body.domain,
        workflowId: body.workflowId,
        workflowType: { name: 'seed', version: '1' },
      }),
    );
    const res = await raw.send({
      operation,
      headers: example.request.headers,
      body: example.request.body.replace(body.runId, runId ?? ''),
    });
    expect(res.status).toBe(example.response.status);
    expect(res.text).toBe(example.response.body);
    expect(res.headers['content-length']).toBe(example.response.headers['Content-Length']);
    expect(res.headers['content-type']).toBe(example.response.headers['Content-Type']);
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('serve rejects bad input with one line and exit 2', () => {
  const dir = tempDir('serve');
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  test.for([
    ['a port that is not a number', ['--port', 'abc'], /--port takes a whole number/],
    ['a port out of range', ['--port', '70000'], /--port must be between 0 and 65535/],
    ['an unknown flag', ['--bogus'], /unknown option '--bogus'/],
    ['a missing config file', ['--config', '/nonexistent/x.yaml'], /cannot read config file \/nonexistent\/x\.yaml: ENOENT/],
    ['a config file that is not YAML', ['--config', write('bad.yaml', 'a: [')], /is not valid YAML or JSON/],
    ['a config file with a wrong option', ['--config', write('wrong.json', '{"throttling": "yes"}')], /throttling: must be boolean/],
    [
      'a config file with an unknown option',
      ['--config', write('unknown.json', '{"speed": 1}')],
      /speed: must NOT have additional properties/,
    ],
    ['an --auth mode that is neither on nor off', ['--auth', 'maybe'], /--auth maybe: on or off/],
    ['a region that is not a region name', ['--region', 'moon'], /--region moon: not a region name/],
  ] as const)('%s', async ([, args, message]) => {
    const result = await runCli(['serve', '--port', '0', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a port already in use', async () => {
    const first = await startServe();
    const port = new URL(first.url).port;
    const result = await runCli(['serve', '--port', port]);
    await stop(first.child);
    expect([result.code, result.stderr.trim()]).toEqual([2, `swf-conformance: port ${port} on 127.0.0.1 is already in use`]);
  });
});

describe('serve by default behaves as AWS does, as far as an emulator can', () => {
  let server: { url: string; child: ChildProcess; output: () => string };
  const client = (accessKeyId: string, secretAccessKey: string, region = 'us-east-1') =>
    new RawClient({ endpoint: server.url, region, credentials: async () => ({ accessKeyId, secretAccessKey }) });
  beforeAll(async () => {
    server = await startServe();
  });
  afterAll(async () => {
    if (server) expect(await stop(server.child)).toBe(0);
  });

  test('it says at start what it verifies, and where its health and reset endpoints are', () => {
    expect(server.output()).toMatch(/SigV4 verified for region us-east-1: access key test \(secret test\)/);
    expect(server.output()).toMatch(/health: GET http:\/\/127\.0\.0\.1:\d+\/_swf-conformance\/health/);
  });

  test('test/test is accepted; an unknown key, a wrong secret and another region are refused as AWS refuses them', async () => {
    const body = { registrationStatus: 'REGISTERED' };
    expect((await client('test', 'test').send({ operation: 'ListDomains', body })).status).toBe(200);
    const unknown = await client('AKIDNOTKNOWN', 'x').send({ operation: 'ListDomains', body });
    expect([unknown.status, unknown.error?.code]).toEqual([400, 'UnrecognizedClientException']);
    const wrong = await client('test', 'not-the-secret').send({ operation: 'ListDomains', body });
    expect([wrong.status, wrong.error?.code]).toEqual([400, 'InvalidSignatureException']);
    const region = await client('test', 'test', 'eu-west-1').send({ operation: 'ListDomains', body });
    expect([region.status, region.error?.code]).toEqual([400, 'InvalidSignatureException']);
    expect(region.error?.message).toMatch(/eu-west-1/);
  });

  test('health answers; reset forgets every domain', async () => {
    expect(await (await fetch(`${server.url}/_swf-conformance/health`)).json()).toMatchObject({ status: 'ok', region: 'us-east-1' });
    const raw = client('test', 'test');
    await raw.send({ operation: 'RegisterDomain', body: { name: 'to-forget', workflowExecutionRetentionPeriodInDays: '1' } });
    expect((await raw.send({ operation: 'DescribeDomain', body: { name: 'to-forget' } })).status).toBe(200);
    expect((await fetch(`${server.url}/_swf-conformance/reset`, { method: 'POST' })).status).toBe(200);
    const after = await raw.send({ operation: 'DescribeDomain', body: { name: 'to-forget' } });
    expect(after.error?.code).toBe('UnknownResourceFault');
  });

  test('ListClosed and CountClosed without a time filter are refused, as the API pages say', async () => {
    const raw = client('test', 'test');
    await raw.send({ operation: 'RegisterDomain', body: { name: 'closed-lists', workflowExecutionRetentionPeriodInDays: '1' } });
    for (const operation of ['ListClosedWorkflowExecutions', 'CountClosedWorkflowExecutions']) {
      const res = await raw.send({ operation, body: { domain: 'closed-lists' } });
      expect([operation, res.status, res.error?.code]).toEqual([operation, 400, 'ValidationException']);
      expect((await raw.send({ operation, body: { domain: 'closed-lists', startTimeFilter: { oldestDate: 0 } } })).status).toBe(200);
    }
  });

  test('cleanup with credentials the target refuses stops at the first refusal, in one line', async () => {
    const dir = testTempDir('refused');
    const file = join(dir, 'ledger.jsonl');
    const ledger = Ledger.create(file, {
      endpoint: server.url,
      region: 'us-east-1',
      runPrefix: 'swfc-refused',
      target: server.url,
      outlivesRun: true,
      startedAt: new Date().toISOString(),
    });
    for (let i = 0; i < 50; i += 1) ledger.record({ domain: 'swf-conformance', workflowId: `swfc-refused-wf-${i}`, runId: `run-${i}` });
    const res = await runCli(['cleanup', '--ledger', file], {
      env: { AWS_ACCESS_KEY_ID: 'AKIDREFUSED', AWS_SECRET_ACCESS_KEY: 'x', AWS_PROFILE: '' },
    });
    expect(res.code).toBe(2);
    const errors = res.stderr.trim().split('\n');
    expect(errors, res.stderr).toHaveLength(1);
    expect(errors[0]).toMatch(/refused the credentials \(UnrecognizedClientException/);
    expect(errors[0]).toContain(`ledger kept at ${file}`);
  });

  test('the shipped example config is valid and starts the server', async () => {
    const example = await startServe(['--config', 'fixtures/reference-config.example.yaml']);
    try {
      expect(example.output()).toMatch(/and the config's 2 credentials/);
    } finally {
      await stop(example.child);
    }
  });

  test('--auth off accepts any credentials', async () => {
    const open = await startServe(['--auth', 'off']);
    try {
      const res = await new RawClient({
        endpoint: open.url,
        region: 'ap-south-1',
        credentials: async () => ({ accessKeyId: 'anything', secretAccessKey: 'x' }),
      }).send({ operation: 'ListDomains', body: { registrationStatus: 'REGISTERED' } });
      expect(res.status).toBe(200);
      expect(open.output()).toMatch(/--auth off: any credentials, or none, are accepted/);
    } finally {
      await stop(open.child);
    }
  });
});
