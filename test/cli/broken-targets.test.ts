import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openExecutionsOf, rewritingProxy, runMain, startServe, stop } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

/**
 * A run is conformant only when the battery ran. Each case points the CLI at a target that is
 * broken in its own way, all of them servers this file starts on 127.0.0.1, and checks that the
 * run ends with exit 2, one readable line on stderr, no stack trace, and (where the run got that
 * far) a report whose verdict is incomplete.
 */
const dir = tempDir('broken');
const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
let serve: { url: string; child: ChildProcess };
const servers: Server[] = [];
const closers: (() => void)[] = [];

/** A server on 127.0.0.1 that handles every request with `handle`; closed after the file. */
async function server(
  handle: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<{ url: string; server: Server; sockets: Set<Socket> }> {
  let n = 0;
  const sockets = new Set<Socket>();
  const s = createServer((req, res) => handle(req, res, (n += 1)));
  // Idle connections kept as the reference keeps them (65 s): the suite's client reuses one for 4 s.
  s.keepAliveTimeout = 65_000;
  s.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(s.address() as { port: number }).port}`, server: s, sockets };
}

/** Forwards a request to `serve`, as it is. */
function forward(req: IncomingMessage, res: ServerResponse): void {
  const target = new URL(serve.url);
  const out = httpRequest(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  req.pipe(out);
}

beforeAll(async () => {
  // Verifying the suite's credentials, as AWS does, so that a run through it can be conformant.
  const config = join(dir, 'serve.json');
  writeFileSync(config, JSON.stringify({ auth: { credentials: [{ accessKeyId: 'test', secretAccessKey: 'test', principal: 'suite' }] } }));
  serve = await startServe(['--config', config]);
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  for (const close of closers) close();
  if (serve) await stop(serve.child);
});

const noStackTrace = (text: string) => expect(text, text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

/** Runs against the endpoint and checks the common shape of a run that could not complete. */
async function runIncomplete(url: string, name: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const report = join(dir, name);
  const result = await runMain(['run', '--endpoint', url, '--report', report, ...extra], {
    env: { ...credentials, ...env },
    timeoutMs: 90_000,
  });
  expect(result.code, result.stdout + result.stderr).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  noStackTrace(result.stdout + result.stderr);
  expect(result.stdout).not.toMatch(/(^|\s)CONFORMANT/);
  return { ...result, line: lines[0]!, report };
}

const verdictOf = (report: string) =>
  JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as {
    verdict: string;
    conformant: boolean;
    errors: string[];
    cleanup?: { left: number };
  };

describe('a target that does not speak SWF is exit 2, with the first bad exchange', () => {
  test('a plain web server (HTML, 501 to every POST)', async () => {
    const web = await server((_req, res) => {
      res.writeHead(501, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE HTML><html><body><h1>Unsupported method</h1></body></html>');
    });
    const { line, report } = await runIncomplete(web.url, 'html');
    expect(line).toMatch(
      /does not answer like SWF: POST http:\/\/127\.0\.0\.1:\d+\/ SimpleWorkflowService\.DescribeDomain → HTTP 501 \(text\/html\)/,
    );
    expect(line).toMatch(/Unsupported method/);
    expect(verdictOf(report)).toMatchObject({ verdict: 'incomplete', conformant: false });
  }, 60_000);

  test('an emulator that answers 500 to the set-up calls, however long it is given', async () => {
    const broken = await server((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"__type":"InternalFailure","message":"boom"}');
    });
    const { line, report } = await runIncomplete(broken.url, 'five-hundred');
    expect(line).toMatch(/does not answer like SWF \(6 attempts over [\d.]+ s\): .*DescribeDomain → HTTP 500/);
    expect(verdictOf(report).verdict).toBe('incomplete');
  }, 60_000);

  test('one that resets every connection', async () => {
    const reset = await server((req) => req.socket.destroy());
    const { line } = await runIncomplete(reset.url, 'reset');
    expect(line).toMatch(/cannot reach the endpoint .*(ECONNRESET|socket|closed)/i);
  }, 60_000);

  test('one that accepts connections and never answers: the wait is said, then given up at --startup-timeout', async () => {
    const silent = await server(() => undefined);
    const { line, stdout } = await runIncomplete(silent.url, 'silent', ['--startup-timeout', '4']);
    expect(stdout).toContain(`swf-conformance: ${silent.url} has not answered yet; waiting up to 4 s (--startup-timeout)`);
    expect(line).toMatch(/cannot reach the endpoint .*: no answer within 4 s/);
  }, 60_000);

  test('one that takes longer than a few seconds over its first answer is waited for', async () => {
    let first = true;
    const sleepy = await server((req, res) => {
      if (!first) return forward(req, res);
      first = false;
      setTimeout(() => forward(req, res), 6_000);
      return undefined;
    });
    const result = await runMain(
      ['run', '--endpoint', sleepy.url, '--clause', 'wire.success.empty-body', '--report', join(dir, 'sleepy')],
      {
        env: credentials,
        timeoutMs: 90_000,
      },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('has not answered yet');
  }, 90_000);

  test('one that dies part-way through the run', async () => {
    const dying = await server((req, res, n) => {
      if (n < 200) return forward(req, res);
      // Gone: no new connections, and every open one cut.
      dying.server.close();
      for (const s of dying.sockets) s.destroy();
    });
    const prefix = `swfc-dies-${process.pid}`;
    const { line, report, ...result } = await runIncomplete(dying.url, 'dies', [], { SWF_CONFORMANCE_RUN_PREFIX: prefix });
    expect(line).toMatch(/the run is incomplete: the target did not answer \d+ tests?, first suites\//);
    expect(verdictOf(report)).toMatchObject({ verdict: 'incomplete', cleanup: { left: expect.any(Number) } });
    // What the run could not clean up on a dead target is named, with the way to finish it.
    const kept = /ledger kept at (\S+);/.exec(result.stdout)?.[1];
    expect(kept, result.stdout).toBeDefined();
    rmSync(kept!);
  }, 90_000);
});

test('an emulator that answers 500 while it starts up is waited for, and the run completes', async () => {
  const lazy = await server((req, res, n) => {
    if (n <= 3) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('starting');
      return;
    }
    forward(req, res);
  });
  // The start-up is what is tested: one clause's tests are enough for the run to complete after it.
  const result = await runMain(['run', '--endpoint', lazy.url, '--clause', 'wire.success.empty-body', '--report', join(dir, 'lazy')], {
    env: credentials,
    timeoutMs: 90_000,
  });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(verdictOf(join(dir, 'lazy')).verdict).toBe('conformant');
}, 90_000);

describe('what the user asked for is checked before the run, with one line and exit 2', () => {
  test.for([
    [
      'a bad environment value',
      [],
      { SWF_CONFORMANCE_RUN_PREFIX: 'bad.prefix' },
      /SWF_CONFORMANCE_RUN_PREFIX must be 4 to 64 letters, digits or dashes: "bad\.prefix"/,
    ],
    [
      'a --grep that matches no test',
      ['--grep', 'no-test-has-this-name'],
      {},
      /the selection \(--grep no-test-has-this-name\) matches no test/,
    ],
    [
      'a --tags expression that matches no test',
      ['--tags', 'inferred && documented'],
      {},
      /the selection \(--tags inferred && documented\) matches no test/,
    ],
    [
      'a --clause no test can check',
      ['--clause', 'fault.throttling.envelope'],
      {},
      /the selection \(--clause fault\.throttling\.envelope\) matches no test/,
    ],
    [
      'a malformed tag expression',
      ['--tags', 'child-policy &&'],
      {},
      /--tags child-policy &&: not a valid tag expression: unexpected end of expression/,
    ],
    ['a report folder that is a file', ['--report', 'README.md'], {}, /--report README\.md: not a folder/],
    [
      'an expectation file written to a missing folder',
      ['--update-expectations', '/nonexistent/x.yaml'],
      {},
      /--update-expectations: the folder \/nonexistent does not exist/,
    ],
  ] as const)('%s', async ([, args, env, message]) => {
    const ledgers = join(dir, `ledgers-${args.join('-').replace(/\W+/g, '_')}`);
    const result = await runMain(['run', ...args], { env: { ...env, SWF_CONFORMANCE_LEDGER_DIR: ledgers }, timeoutMs: 30_000 });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(readdirSafe(ledgers)).toEqual([]);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    noStackTrace(result.stdout + result.stderr);
    // Nothing ran: no progress line, no verdict.
    expect(result.stdout).not.toMatch(/suites\/|CONFORMANT/);
  });
});

describe('a selection reports the clauses it left out as not selected', () => {
  test('--clause runs that clause; the rest are not selected, not "not run", and the console lists only the selection', async () => {
    const report = join(dir, 'selected');
    const result = await runMain(['run', '--clause', 'terminate.state.closed', '--report', report], { timeoutMs: 60_000 });
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as {
      summary: Record<string, number>;
      clauses: { id: string; status: string }[];
    };
    expect(json.clauses.find((c) => c.id === 'terminate.state.closed')?.status).toBe('pass');
    expect(json.summary['not-selected']).toBe(json.clauses.length - 1);
    expect(json.summary['not-run']).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`${json.clauses.length - 1} not selected`));
    expect(result.stdout).not.toMatch(/not-run|not-selected/);
    expect(result.stdout).toMatch(/swf-conformance: \d+ tests? of 1 clause selected\n/);
  }, 60_000);

  test('with an expectation file, progress lines count expected failures apart from failures', async () => {
    // A target that drops the request id from every answer fails wire.success.request-id and the
    // two seed examples (whose answers show the header); an expectation file lists the three.
    const noRequestId = await rewritingProxy(serve.url, (_op, { headers: { 'x-amzn-requestid': _dropped, ...headers }, ...answer }) => ({
      ...answer,
      headers,
    }));
    closers.push(noRequestId.close);
    const file = join(dir, 'expect.yaml');
    writeFileSync(
      file,
      `implementation: no request id\nexpectations:\n${['wire.success.request-id', 'wire.seed-example.cancel', 'wire.seed-example.terminate'].map((c) => `  - clause: ${c}\n    reason: this proxy drops x-amzn-RequestId\n`).join('')}`,
    );
    // The three listed clauses and one this proxy does not touch: failures, expected failures and passes in one file.
    const clauses = ['wire.success.request-id', 'wire.seed-example.cancel', 'wire.seed-example.terminate', 'wire.success.content-type'];
    const args = ['run', '--endpoint', noRequestId.url, ...clauses.flatMap((c) => ['--clause', c]), '--report', join(dir, 'expected')];
    const plain = await runMain(args, { env: credentials, timeoutMs: 60_000 });
    expect(plain.code, plain.stdout + plain.stderr).toBe(1);
    expect(plain.stdout).toMatch(/^✗ suites\/wire\.test\.ts\s+\d+ passed, \d+ failed/m);
    const expected = await runMain([...args, '--expect', file], { env: credentials, timeoutMs: 60_000 });
    expect(expected.code, expected.stdout + expected.stderr).toBe(0);
    expect(expected.stdout).toMatch(/^✓ suites\/wire\.test\.ts\s+\d+ passed, \d+ expected fail \(/m);
    expect(expected.stdout).not.toMatch(/\d+ failed/);
    expect(expected.stdout).toMatch(/: CONFORMANT/);
  }, 90_000);
});

test('after a finished run against an endpoint, none of its executions is open and its ledger is gone', async () => {
  const prefix = `swfc-done-${process.pid}`;
  const ledgerDir = join(dir, 'ledgers');
  const result = await runMain(['run', '--endpoint', serve.url, '--report', join(dir, 'done')], {
    env: { ...credentials, SWF_CONFORMANCE_RUN_PREFIX: prefix, SWF_CONFORMANCE_LEDGER_DIR: ledgerDir },
    timeoutMs: 90_000,
  });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/swf-conformance cleanup: (\d+) of \1 executions checked, [1-9]\d* still open were terminated/);
  expect(await openExecutionsOf(serve.url, prefix)).toEqual([]);
  expect(readdirSafe(ledgerDir)).toEqual([]);
}, 90_000);

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
