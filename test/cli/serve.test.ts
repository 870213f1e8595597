import type { ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient } from '../../src/clients/raw.ts';
import { assertShape } from '../../src/contract/validators.ts';
import { seedExample, seedOperations } from '../../src/contract/seed-examples.ts';
import { runCli, startServe, stop } from './helpers.ts';

describe('swf-conformance serve', () => {
  let server: { url: string; child: ChildProcess };
  let raw: RawClient;
  beforeAll(async () => {
    server = await startServe();
    raw = new RawClient({ endpoint: server.url, region: 'us-east-1', credentials: async () => ({ accessKeyId: 'AKID', secretAccessKey: 's' }) });
  });
  afterAll(async () => {
    if (server) expect(await stop(server.child)).toBe(0);
  });

  test.for(seedOperations)('answers the %s page example with the response the page shows', async (operation) => {
    const example = seedExample(operation);
    const body = JSON.parse(example.request.body) as { domain: string; workflowId: string; runId: string };
    // The page's domain and workflowId, made to exist; the runId is the one the server gives.
    await raw.send({ operation: 'RegisterDomain', body: { name: body.domain, workflowExecutionRetentionPeriodInDays: '1' } });
    await raw.send({ operation: 'RegisterWorkflowType', body: { domain: body.domain, name: 'seed', version: '1', defaultChildPolicy: 'TERMINATE', defaultTaskList: { name: 'seed' }, defaultExecutionStartToCloseTimeout: '3600', defaultTaskStartToCloseTimeout: '60' } });
    // Both pages use one workflowId: close whatever an earlier example left open.
    await raw.send({ operation: 'TerminateWorkflowExecution', body: { domain: body.domain, workflowId: body.workflowId } });
    const { runId } = assertShape('Run', await raw.call('StartWorkflowExecution', { domain: body.domain, workflowId: body.workflowId, workflowType: { name: 'seed', version: '1' } }));
    const res = await raw.send({ operation, headers: example.request.headers, body: example.request.body.replace(body.runId, runId ?? '') });
    expect(res.status).toBe(example.response.status);
    expect(res.text).toBe(example.response.body);
    expect(res.headers['content-length']).toBe(example.response.headers['Content-Length']);
    expect(res.headers['content-type']).toBe(example.response.headers['Content-Type']);
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('serve rejects bad input with one line and exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swf-conformance-serve-'));
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
    ['a config file with an unknown option', ['--config', write('unknown.json', '{"speed": 1}')], /speed: must NOT have additional properties/],
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
