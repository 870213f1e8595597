import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, type RawRequest, type RawResponse } from '../../src/clients/raw.ts';
import { resolveSettings } from '../../src/harness/config.ts';
import { cleanUp, Ledger } from '../../src/harness/ledger.ts';
import { Scenario } from '../../src/harness/scenario.ts';
import { openSession, prepareSession, type Session } from '../../src/harness/session.ts';
import { endpointTarget } from '../../src/targets/endpoint.ts';
import { startReference, type RunningReference } from '../../reference/server.ts';
import { tempDir } from '../temp-dir.ts';

/**
 * A stopped run leaves nothing behind: what a test may start is in the ledger before the request
 * that starts it is sent, and a stopped test sends nothing more.
 */
const dir = tempDir('stop');

describe('the raw client of a stopped test sends nothing', () => {
  let server: Server;
  let url: string;
  let received = 0;
  beforeAll(async () => {
    // Answers everything but a poll, which it holds (a long poll with no task).
    server = createServer((req, res) => {
      received += 1;
      if (String(req.headers['x-amz-target']).endsWith('PollForDecisionTask')) return;
      req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  test('an aborted signal: the request is not sent, and its reason is thrown', async () => {
    const controller = new AbortController();
    const raw = new RawClient({ endpoint: url, region: 'us-east-1', signal: controller.signal });
    expect((await raw.send({ operation: 'DescribeDomain' })).status).toBe(200);
    const before = received;
    const why = new Error('the run was stopped');
    controller.abort(why);
    await expect(raw.send({ operation: 'StartWorkflowExecution' })).rejects.toBe(why);
    expect(received).toBe(before);
  });

  test('a guard that throws: the request is not sent', async () => {
    let stopped = false;
    const raw = new RawClient({
      endpoint: url,
      region: 'us-east-1',
      guard: () => {
        if (stopped) throw new Error('stopped by the ledger');
      },
    });
    expect((await raw.send({ operation: 'DescribeDomain' })).status).toBe(200);
    const before = received;
    stopped = true;
    await expect(raw.send({ operation: 'StartWorkflowExecution' })).rejects.toThrow('stopped by the ledger');
    expect(received).toBe(before);
  });

  test("a long poll in flight is cut short once the guard throws, with the guard's error", async () => {
    let stopped = false;
    const raw = new RawClient({
      endpoint: url,
      region: 'us-east-1',
      timeoutMs: 20_000,
      guard: () => {
        if (stopped) throw new Error('stopped by the ledger');
      },
    });
    const polling = raw.send({ operation: 'PollForDecisionTask', body: { domain: 'd', taskList: { name: 't' } } });
    const outcome = polling.then(
      () => 'answered',
      (e: Error) => e.message,
    );
    await new Promise((r) => setTimeout(r, 300));
    stopped = true;
    // The server holds the poll: without the cut it would end at the client's timeout, with
    // another error.
    expect(await outcome).toBe('stopped by the ledger');
  });
});

describe('a start whose answer the run never saw', () => {
  let reference: RunningReference;
  let session: Session;
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  beforeAll(async () => {
    reference = await startReference({ pollTimeoutMs: 1_000 });
    const settings = resolveSettings({}, { SWF_CONFORMANCE_LEDGER_DIR: dir, SWF_CONFORMANCE_RUN_PREFIX: `swfc-stop-${process.pid}` });
    session = openSession(settings, { ...endpointTarget(reference.url), credentials });
    await prepareSession(session);
  });
  afterAll(async () => {
    session?.ledger.remove();
    await reference?.close();
  });

  /** A client that dies with its worker as soon as the operation has been answered. */
  class DiesAfter extends RawClient {
    constructor(
      private readonly operation: string,
      options: RawClient['options'],
    ) {
      super(options);
    }

    override async send(req: RawRequest): Promise<RawResponse> {
      const res = await super.send(req);
      if (req.operation === this.operation) throw new Error('worker killed');
      return res;
    }
  }

  const noSdk = () => Promise.reject(new Error('these tests use no SDK client'));
  const scenario = (operation: string) =>
    new Scenario(session.config, new DiesAfter(operation, session.raw.options), noSdk, new Ledger(session.config.ledgerFile), undefined);

  test('StartWorkflowExecution: the execution is in the ledger, and the cleanup terminates it', async () => {
    const swf = scenario('StartWorkflowExecution');
    const workflowId = swf.id('wf');
    await expect(swf.start({ workflowId })).rejects.toThrow('worker killed');
    expect(await swf.openCount(workflowId)).toBe(1);
    const result = await cleanUp(swf.ledger, session.raw);
    expect(result.failed).toEqual([]);
    expect(result.terminated).toBe(1);
    expect(await swf.openCount(workflowId)).toBe(0);
  });

  test('a ContinueAsNew decision: the continued run is in the ledger, and the cleanup terminates it', async () => {
    const swf = scenario('RespondDecisionTaskCompleted');
    const first = await swf.start();
    await expect(
      swf.decide(first, [{ decisionType: 'ContinueAsNewWorkflowExecution', continueAsNewWorkflowExecutionDecisionAttributes: {} }]),
    ).rejects.toThrow('worker killed');
    // The first run closed as continued; the new one is open, and only an intent speaks for it.
    expect(await swf.openCount(first.workflowId)).toBe(1);
    const result = await cleanUp(swf.ledger, session.raw);
    expect(result.failed).toEqual([]);
    expect(result.terminated).toBe(1);
    expect(await swf.openCount(first.workflowId)).toBe(0);
  });
});
