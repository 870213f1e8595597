import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { rewritingProxy, runMain, startServe, stop } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

/**
 * One fact, one clause: a target whose answers differ from the model in shape only fails the
 * shape clause, and every behaviour clause still judges behaviour. The target is the reference
 * behind a proxy that makes two serialization choices emulators really make.
 */
const dir = tempDir('serialization');
let serve: { url: string; child: ChildProcess };
const closers: (() => void)[] = [];

beforeAll(async () => {
  const config = join(dir, 'serve.json');
  writeFileSync(config, JSON.stringify({ auth: { credentials: [{ accessKeyId: 'test', secretAccessKey: 'test', principal: 'suite' }] } }));
  serve = await startServe(['--config', config]);
});
afterAll(async () => {
  for (const close of closers) close();
  if (serve) await stop(serve.child);
});

/**
 * Drops each event's attributes object that holds only zeros (a direct cancel's
 * `{"externalInitiatedEventId":0}`), as an emulator that leaves out default values and then empty
 * objects does, and answers an empty poll as AWS documents it.
 */
function emulatorChoices(
  operation: string,
  answer: { status: number; headers: Record<string, string | string[] | undefined>; body: string },
) {
  if (answer.status !== 200 || !answer.body) return answer;
  const json = JSON.parse(answer.body) as { events?: Record<string, unknown>[]; taskToken?: string };
  for (const event of json.events ?? []) {
    for (const [key, value] of Object.entries(event)) {
      if (key.endsWith('EventAttributes') && value && typeof value === 'object' && Object.values(value).every((v) => v === 0))
        delete event[key];
    }
  }
  if (operation === 'PollForDecisionTask' && json.taskToken === undefined) json.taskToken = '';
  return { ...answer, body: JSON.stringify(json) };
}

test('an event without its attributes object fails wire.response.shapes, and nothing else', { timeout: 120_000 }, async () => {
  const proxy = await rewritingProxy(serve.url, emulatorChoices);
  closers.push(proxy.close);
  const report = join(dir, 'report');
  const result = await runMain(['run', '--endpoint', proxy.url, '--report', report], {
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    timeoutMs: 90_000,
  });
  expect(result.code, result.stdout + result.stderr).toBe(1);
  const json = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as {
    clauses: { id: string; status: string; tests: { message?: string }[] }[];
  };
  const failing = json.clauses.filter((c) => c.status === 'fail' || c.status === 'advisory-fail');
  expect(failing.map((c) => c.id)).toEqual(['wire.response.shapes']);
  // The violation is named: which response, which event, which member.
  expect(failing[0]!.tests[0]!.message).toMatch(/History: .*workflowExecutionCancelRequestedEventAttributes/);
});
