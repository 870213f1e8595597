import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RawClient, type Exchange } from '../../src/clients/raw.ts';

// A server that answers each request with the next status of a script, then 200; THROTTLED is a
// 400 ThrottlingException, as SWF answers one.
const THROTTLED = 4000;
let server: Server;
let script: number[] = [];
let seen = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen += 1;
      const next = script.shift() ?? 200;
      const status = next === THROTTLED ? 400 : next;
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        next === THROTTLED
          ? '{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}'
          : status === 200
            ? '{"runId":"r"}'
            : '{"__type":"InternalFailure","message":"race"}',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client(exchanges: Exchange[]): RawClient {
  const { port } = server.address() as AddressInfo;
  return new RawClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', onExchange: (e) => exchanges.push(e) });
}

test('a 5xx is sent again, twice at most, and every attempt is an exchange of the report', async () => {
  const exchanges: Exchange[] = [];
  script = [500, 503];
  seen = 0;
  const res = await client(exchanges).send({ operation: 'StartWorkflowExecution', body: {} });
  expect(res.status).toBe(200);
  expect(seen).toBe(3);
  expect(exchanges.map((e) => ('status' in e.response ? e.response.status : 0))).toEqual([500, 503, 200]);

  script = [500, 500, 502, 500];
  seen = 0;
  expect((await client([]).send({ operation: 'StartWorkflowExecution', body: {} })).status).toBe(502);
  expect(seen).toBe(3);
  script = [];
});

test('a 4xx is an answer, sent once; retries: 0 sends a 5xx once', async () => {
  script = [400];
  seen = 0;
  expect((await client([]).send({ operation: 'TerminateWorkflowExecution', body: {} })).status).toBe(400);
  expect(seen).toBe(1);
  script = [500];
  seen = 0;
  expect((await client([]).send({ operation: 'TerminateWorkflowExecution', body: {} }, { retries: 0 })).status).toBe(500);
  expect(seen).toBe(1);
  script = [];
});

test('a call whose retry fails names the first answer too', async () => {
  script = [500, 400, 400];
  seen = 0;
  await expect(client([]).call('RespondDecisionTaskCompleted', { taskToken: 't' })).rejects.toThrow(
    /answered HTTP 400 InternalFailure: race \(sent again after HTTP 500 InternalFailure: race\)/,
  );
  script = [];
});

test('a throttled request is sent again after a backoff, as the SDKs do, and the throttled answers stay in the report', async () => {
  const exchanges: Exchange[] = [];
  script = [THROTTLED, THROTTLED];
  seen = 0;
  const res = await client(exchanges).send({ operation: 'DescribeWorkflowExecution', body: {} });
  expect(res.status).toBe(200);
  expect(seen).toBe(3);
  expect(res.retriedAfter?.map((r) => r.error?.code)).toEqual(['ThrottlingException', 'ThrottlingException']);
  expect(exchanges).toHaveLength(3);
  // A throttling that does not end is the answer, after four more attempts; retries: 0 sends once.
  script = Array(10).fill(THROTTLED);
  seen = 0;
  expect((await client([]).send({ operation: 'DescribeWorkflowExecution', body: {} })).error?.code).toBe('ThrottlingException');
  expect(seen).toBe(5);
  script = [THROTTLED];
  seen = 0;
  expect((await client([]).send({ operation: 'DescribeWorkflowExecution', body: {} }, { retries: 0 })).status).toBe(400);
  expect(seen).toBe(1);
  script = [];
}, 120_000);

test('abort ends a request waiting on its answer, and sends nothing once aborted', async () => {
  // A server that reads the request and never answers.
  let received = 0;
  const silent = createServer((req) => {
    received += 1;
    req.resume();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = silent.address() as AddressInfo;
    const exchanges: Exchange[] = [];
    const raw = new RawClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', onExchange: (e) => exchanges.push(e) });
    const stop = new AbortController();
    const waiting = raw.send({ operation: 'DescribeDomain', body: { name: 'd' } }, { abort: stop.signal });
    await expect.poll(() => received).toBe(1);
    stop.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    await expect(raw.send({ operation: 'DescribeDomain', body: { name: 'd' } }, { abort: stop.signal })).rejects.toThrow('stopped');
    // The second was never sent: one exchange, cut short.
    await expect.poll(() => exchanges.length).toBe(1);
    expect(exchanges[0]!.response).toMatchObject({ error: expect.any(String) });
  } finally {
    silent.closeAllConnections();
    silent.close();
  }
});
