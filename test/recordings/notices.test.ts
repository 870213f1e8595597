/**
 * The replay notices what the AWS recordings contradict, even where a recording holds no value
 * to compare with: each change below, made to the reference's answers on their way back, turns
 * a clean replay of simpleflow.cancel-requested.har into one with differences.
 */
import { describe, expect, test } from 'vitest';
import { startReference } from '../../reference/server.ts';
import { RawClient } from '../../src/clients/raw.ts';
import { loadRecordings } from '../../src/contract/recordings.ts';
import { replay } from '../../src/recordings/replay-aws.ts';
import { startProxy, testCredentials, type ProxiedAnswer } from '../reference/helpers.ts';

type Json = Record<string, unknown>;
type Rewrite = (answer: ProxiedAnswer) => void;

const recording = loadRecordings().find((r) => r.name === 'simpleflow.cancel-requested.har')!;

/** Replays the recording against the reference through a proxy that rewrites each answer. */
async function replayThrough(rewrite: Rewrite | undefined, deviate: string[] = []) {
  const ref = await startReference({ pollTimeoutMs: 1_000, deviate });
  const proxy = await startProxy(ref.url, rewrite ? { rewrite } : {});
  try {
    const client = new RawClient({ endpoint: proxy.url, region: 'us-east-1', credentials: async () => testCredentials });
    return await replay(recording.har, client, { domain: 'replay', prefix: 'replay', waitMs: 1_500 });
  } finally {
    await proxy.close();
    await ref.close();
  }
}

/** Rewrites a JSON answer's body; other answers pass as they are. */
const json =
  (change: (body: Json) => void): Rewrite =>
  (answer) => {
    if (!answer.body.startsWith('{')) return;
    const body = JSON.parse(answer.body) as Json;
    change(body);
    answer.body = JSON.stringify(body);
  };

const eventsOf = (body: Json) => (Array.isArray(body.events) ? (body.events as Json[]) : []);
const infosOf = (body: Json) => [body.executionInfo, ...((body.executionInfos as unknown[]) ?? [])].filter(Boolean) as Json[];

test('the reference, through the proxy unchanged, replays with no difference', async () => {
  const result = await replayThrough(undefined);
  expect(result.differences).toEqual([]);
});

describe('the replay notices', () => {
  test.for([
    [
      'timestamps in milliseconds',
      json((b) => {
        for (const e of eventsOf(b)) e.eventTimestamp = Number(e.eventTimestamp) * 1000;
      }),
    ],
    [
      'every event stamped in 1970',
      json((b) => {
        for (const e of eventsOf(b)) e.eventTimestamp = (Number(e.eventTimestamp) % 1000) + 1000;
      }),
    ],
    [
      'a close 10 s before the start',
      json((b) => {
        for (const i of infosOf(b)) if (typeof i.closeTimestamp === 'number') i.closeTimestamp = Number(i.startTimestamp) - 10;
      }),
    ],
    [
      'the DecisionTaskScheduled after a cancel request stamped an hour later',
      json((b) => {
        const events = eventsOf(b);
        events.forEach((e, i) => {
          if (e.eventType === 'DecisionTaskScheduled' && events[i - 1]?.eventType === 'WorkflowExecutionCancelRequested')
            e.eventTimestamp = Number(e.eventTimestamp) + 3600;
        });
      }),
    ],
    [
      'the same x-amzn-RequestId every time',
      (answer) => {
        answer.headers['x-amzn-requestid'] = '6bd0627e-3ffd-11e1-9b11-7182192d0b57';
      },
    ],
  ] as [string, Rewrite][])('%s', { timeout: 120_000 }, async ([, rewrite]) => {
    const result = await replayThrough(rewrite);
    expect(result.differences.length).toBeGreaterThan(0);
  });

  test.for([
    ['timestamps-in-milliseconds', /eventTimestamp|Timestamp/],
    ['success-body-braces', /body/],
  ])('the deviation %s', { timeout: 120_000 }, async ([deviation, at]) => {
    const result = await replayThrough(undefined, [deviation as string]);
    expect(result.differences.map((d) => d.at).join('\n')).toMatch(at as RegExp);
  });
});
