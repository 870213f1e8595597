import type { Difference } from '../../src/recordings/difference.ts';
import { describe, expect, test } from 'vitest';
import { startReference } from '../../reference/server.ts';
import { RawClient } from '../../src/clients/raw.ts';
import { loadRecordings, PLACEHOLDER, type Har } from '../../src/contract/recordings.ts';
import { compare } from '../../src/recordings/compare.ts';
import { TransformContext } from '../../src/recordings/bindings.ts';
import { replay } from '../../src/recordings/replay-aws.ts';
import { testCredentials } from '../reference/helpers.ts';

const recordings = loadRecordings();

/** Replays one recording against a fresh reference, with these deviations on. */
async function replayOnReference(har: Har, deviate: string[] = [], waitMs?: number) {
  const ref = await startReference({ pollTimeoutMs: 1_000, deviate });
  try {
    const client = new RawClient({ endpoint: ref.url, region: 'us-east-1', credentials: async () => testCredentials });
    return await replay(har, client, { domain: 'replay', prefix: 'replay', ...(waitMs !== undefined ? { waitMs } : {}) });
  } finally {
    await ref.close();
  }
}

const shown = (differences: Difference[]) =>
  differences.map((d) => `${d.step} ${d.at}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`).join('\n');

describe('every recording in fixtures/recordings/aws/', () => {
  test('there are recordings of both sources', () => {
    const repositories = new Set(recordings.map((r) => r.har.log._provenance.repository));
    expect([...repositories].sort()).toEqual(['botify-labs/simpleflow', 'glenbraun/FsDecider', 'severb/flowy']);
  });

  test.for(recordings.map((r) => [r.name, r] as const))(
    '%s has its provenance, and placeholders with their recorded values',
    ([, { har }]) => {
      const p = har.log._provenance;
      expect(p.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(p.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(p.path).toMatch(/\.(yaml|fs|yml\.gz)$/);
      // Each source's region as its configuration gave it: simpleflow's cassettes name us-east-1;
      // FsDecider's TestConfiguration.fs made its client for RegionEndpoint.USWest2.
      expect(p.region).toBe(p.repository === 'glenbraun/FsDecider' ? 'us-west-2' : 'us-east-1');
      expect(p.recorded).toMatch(/^20\d\d/);
      expect(p.client.length).toBeGreaterThan(2);
      // Every placeholder a body uses is listed with the value recorded, and every listed one is used.
      const text = JSON.stringify(har.log.entries);
      const used = new Set(text.match(/<[a-z-]+:\d+>/g));
      for (const p of used) expect(PLACEHOLDER.test(p), p).toBe(true);
      expect([...used].sort()).toEqual(Object.keys(har.log._placeholders).sort());
      for (const entry of har.log.entries) expect(entry._operation, entry.startedDateTime).toMatch(/^[A-Z][A-Za-z]+$/);
    },
  );

  test.for(recordings.filter((r) => r.har.log._provenance.kind === 'http-exchanges').map((r) => [r.name, r] as const))(
    '%s: every body is as long as the Content-Length recorded with it (the transcription kept it whole)',
    ([, { har }]) => {
      for (const [i, entry] of har.log.entries.entries()) {
        const length = entry.response.headers.find((h) => h.name.toLowerCase() === 'content-length')?.value;
        expect([i + 1, entry.response.bodySize]).toEqual([i + 1, Number(length)]);
        // The body as recorded: the placeholders put back.
        let text = entry.response.content.text ?? '';
        for (const [p, value] of Object.entries(har.log._placeholders)) text = text.split(JSON.stringify(p)).join(JSON.stringify(value));
        expect([i + 1, Buffer.byteLength(text)]).toEqual([i + 1, Number(length)]);
      }
    },
  );

  test('every recorded history numbers its events 1..n with no gap (wire.event-ids.sequential rests on it)', () => {
    let histories = 0;
    for (const { name, har } of recordings) {
      let paged: number[] = [];
      for (const [i, entry] of har.log.entries.entries()) {
        const answer = entry.response.content.text ? (JSON.parse(entry.response.content.text) as { events?: { eventId: number }[] }) : {};
        if (!answer.events) continue;
        const request = JSON.parse(entry.request.postData?.text || '{}') as { nextPageToken?: string; reverseOrder?: boolean };
        if (request.reverseOrder) continue;
        paged = [...(request.nextPageToken ? paged : []), ...answer.events.map((e) => e.eventId)];
        histories += 1;
        expect([`${name} #${i + 1}`, paged]).toEqual([`${name} #${i + 1}`, paged.map((_, k) => k + 1)]);
      }
    }
    expect(histories).toBeGreaterThan(100);
  });

  test('a recording that is not replayed step by step says why, and the others of its session are replayed', () => {
    const interleaved = recordings.filter((r) => r.har.log._provenance.interleaved);
    expect(interleaved.map((r) => r.name).sort()).toEqual(['flowy.activities.har', 'flowy.child-workflows.har']);
    for (const r of interleaved) expect(r.har.log._provenance.interleaved, r.name).toMatch(/timing/);
    expect(recordings.filter((r) => r.har.log._provenance.repository === 'severb/flowy' && !r.har.log._provenance.interleaved).length).toBe(
      1,
    );
  });

  test.for(recordings.filter((r) => !r.har.log._provenance.interleaved).map((r) => [r.name, r] as const))(
    'the reference replays %s with no difference',
    { timeout: 120_000 },
    async ([, { har }]) => {
      const result = await replayOnReference(har);
      expect(result.steps).toBeGreaterThan(2);
      expect(shown(result.differences)).toBe('');
    },
  );
});

/**
 * Each correction the recordings made to the reference, reverted by a deviation: the replay of
 * the recording that decided it shows a difference.
 */
describe('a reference that reverts a correction does not replay the recording that decided it', () => {
  test.for([
    ['terminate-no-cause', 'fsdecider.return-result-terminated.har'],
    ['policy-only-on-terminate', 'fsdecider.cancel-requested-by-parent-policy.har'],
    ['policy-cancel-names-no-parent', 'fsdecider.cancel-requested-by-parent-policy.har'],
    ['decision-task-held-while-started', 'simpleflow.cancel-requested-refused.har'],
    ['decision-task-held-while-started', 'simpleflow.wait-signal.har'],
    ['started-task-counted-open', 'simpleflow.timer-and-cancel.har'],
    ['started-task-counted-open', 'simpleflow.failing-workflow.har'],
    ['decision-task-held-while-started', 'simpleflow.failing-workflow.har'],
    ['zero-ids-omitted', 'simpleflow.cancel-requested.har'],
    ['cancel-flag-kept-after-close', 'simpleflow.cancel-requested.har'],
    ['legacy-target-refused', 'simpleflow.workflow-terminate.har'],
    ['cancel-external-in-decision', 'fsdecider.request-cancel-external-completed.har'],
    ['policy-only-on-terminate', 'fsdecider.child-terminated-by-policy-on-complete.har'],
    ['terminated-child-parent-silent', 'fsdecider.child-terminated-directly.har'],
    ['terminate-no-cause', 'fsdecider.child-terminated-directly.har'],
  ] as const)('%s: %s', { timeout: 120_000 }, async ([deviation, name]) => {
    const recording = recordings.find((r) => r.name === name)!;
    // The reference has no lag: a read still pending after 1.5 s is the deviation, not timing.
    const result = await replayOnReference(recording.har, [deviation], 1_500);
    expect(result.differences.length).toBeGreaterThan(0);
  });
});

describe('signals sent by one decision task may arrive in either order', () => {
  const signaled = (id: number, sentBy: number, input: string) => ({
    eventId: id,
    eventTimestamp: 1,
    eventType: 'WorkflowExecutionSignaled',
    workflowExecutionSignaledEventAttributes: { externalInitiatedEventId: sentBy, signalName: 's', input },
  });
  const acknowledged = (id: number, sentBy: number) => ({
    eventId: id,
    eventTimestamp: 1,
    eventType: 'ExternalWorkflowExecutionSignaled',
    externalWorkflowExecutionSignaledEventAttributes: { initiatedEventId: sentBy },
  });
  const recorded = { events: [signaled(11, 6, 'b'), signaled(12, 5, 'a'), acknowledged(13, 6), acknowledged(14, 5)] };

  test('delivered in the order sent, every signal before its acknowledgement: no difference', () => {
    const target = { events: [signaled(11, 5, 'a'), signaled(12, 6, 'b'), acknowledged(13, 5), acknowledged(14, 6)] };
    expect(compare(recorded, target, new TransformContext())).toEqual([]);
  });

  test('an acknowledgement before the next signal is a difference: only events of one type swap places', () => {
    const target = { events: [signaled(11, 5, 'a'), acknowledged(12, 5), signaled(13, 6, 'b'), acknowledged(14, 6)] };
    expect(compare(recorded, target, new TransformContext()).map((d) => d.at)).toContain('$.events[1].eventType');
  });

  test('a signal whose input changed on the way is still a difference', () => {
    const target = { events: [signaled(11, 5, 'a'), signaled(12, 6, 'c'), acknowledged(13, 5), acknowledged(14, 6)] };
    expect(compare(recorded, target, new TransformContext()).map((d) => d.actual)).toEqual(['c']);
  });

  test('a missing acknowledgement, or an event between them, is a difference', () => {
    expect(
      compare(recorded, { events: [signaled(11, 5, 'a'), signaled(12, 6, 'b'), acknowledged(13, 5)] }, new TransformContext()),
    ).not.toEqual([]);
    const between = {
      events: [
        signaled(11, 5, 'a'),
        { eventId: 12, eventTimestamp: 1, eventType: 'MarkerRecorded' },
        signaled(13, 6, 'b'),
        acknowledged(14, 5),
      ],
    };
    expect(compare(recorded, between, new TransformContext())).not.toEqual([]);
  });
});
