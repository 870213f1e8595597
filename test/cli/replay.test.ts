import { expect, test } from 'vitest';
import { loadRecordings } from '../../src/contract/recordings.ts';
import { runCli, startServe, stop } from './helpers.ts';

const count = loadRecordings().length;

test('replay: every recording against the embedded reference, with no difference', { timeout: 60_000 }, async () => {
  const { code, stdout, stderr } = await runCli(['replay'], { timeoutMs: 50_000 });
  expect(code, stdout + stderr).toBe(0);
  expect(stdout).toContain(`${count} of ${count} recordings replayed with no difference`);
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
