import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadRecordings } from '../../src/contract/recordings.ts';
import { runCli, startServe, stop } from './helpers.ts';
import { testTempDir } from '../temp-dir.ts';

const all = loadRecordings();
const interleaved = all.filter((r) => r.har.log._provenance.interleaved);
const count = all.length - interleaved.length;

test('replay: every recording against the embedded reference, with no difference; the interleaved ones said, not counted', {
  timeout: 60_000,
}, async () => {
  const { code, stdout, stderr } = await runCli(['replay'], { timeoutMs: 50_000 });
  expect(code, stdout + stderr).toBe(0);
  expect(stdout).toContain(
    `${count} of ${count} recordings replayed with no difference; ${interleaved.length} not replayed step by step (their histories interleave events by the service's timing)`,
  );
  for (const r of interleaved) expect(stdout).toContain(`– ${r.name.padEnd(52)} not replayed: ${r.har.log._provenance.interleaved}`);
});

test('replay: a target that differs from a recording exits 1 and shows where', { timeout: 60_000 }, async () => {
  const serve = await startServe(['--deviate', 'terminate-no-cause']);
  try {
    const { code, stdout } = await runCli(
      ['replay', '--endpoint', serve.url, '--recording', 'fsdecider.return-result-terminated', '--json'],
      {
        env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
        timeoutMs: 50_000,
      },
    );
    expect(code, stdout).toBe(1);
    const report = JSON.parse(stdout) as {
      recordings: { name: string; differences: { at: string; expected: unknown; actual: unknown }[] }[];
    };
    expect(report.recordings.map((r) => r.name)).toEqual(['fsdecider.return-result-terminated.har']);
    expect(report.recordings[0]!.differences).toContainEqual(
      expect.objectContaining({ at: '$.events[4].workflowExecutionTerminatedEventAttributes.cause', expected: 'OPERATOR_INITIATED' }),
    );
  } finally {
    await stop(serve.child);
  }
});

test('replay: bad input is one line and exit 2', async () => {
  const unknown = await runCli(['replay', '--recording', 'nowhere']);
  expect([unknown.code, unknown.stderr.trim()]).toEqual([
    2,
    expect.stringMatching(/^swf-conformance: no recording nowhere in fixtures\/recordings\/aws\/ \(there are: .*\.har\)$/),
  ]);
  const endpoint = await runCli(['replay', '--endpoint', 'not a url']);
  expect([endpoint.code, endpoint.stderr.trim()]).toEqual([2, 'swf-conformance: --endpoint not a url: not a URL']);
  const refused = await runCli(['replay', '--endpoint', 'http://127.0.0.1:9'], {
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
  });
  expect([refused.code, refused.stderr.trim()]).toEqual([2, 'swf-conformance: http://127.0.0.1:9 does not answer (ECONNREFUSED)']);
});

test('replay: a valid HAR it cannot replay (no exchange, or neither kind of recording) is one line and exit 2', async () => {
  const dir = testTempDir('replay-input');
  const log = { version: '1.2', creator: { name: 'x', version: '1' } };
  const empty = join(dir, 'empty.har');
  writeFileSync(empty, JSON.stringify({ log: { ...log, entries: [] } }));
  const none = await runCli(['replay', empty]);
  expect([none.code, none.stderr.trim()]).toEqual([2, `swf-conformance: ${empty}: the recording holds no exchange; nothing to replay`]);
  const plain = join(dir, 'plain.har');
  const entry = {
    startedDateTime: '2020-01-01T00:00:00Z',
    time: 1,
    request: {
      method: 'POST',
      url: 'http://x',
      httpVersion: 'HTTP/1.1',
      headers: [],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: [],
      cookies: [],
      content: { size: 0, mimeType: 'x' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
  };
  writeFileSync(plain, JSON.stringify({ log: { ...log, entries: [entry] } }));
  const neither = await runCli(['replay', plain]);
  expect(neither.code).toBe(2);
  expect(neither.stderr.trim()).toMatch(/plain\.har: neither a run recording \(run --record\) nor a recording of AWS traffic/);
});
