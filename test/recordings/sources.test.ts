/**
 * Every recording of the corpus traces to its public source: the source kept in
 * fixtures/recordings/sources/ matches its checksum, and its transcriber rebuilds the committed
 * HAR byte for byte (scripts/rebuild-recordings.ts). A recording with no transcriber yet says why.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixturesDir } from '../../src/contract/paths.ts';
import { committed, rebuild, sourceManifest } from '../../scripts/rebuild-recordings.ts';

const manifest = sourceManifest();

test('every recording of fixtures/recordings/aws/ is in the manifest once, and every kept source is used', () => {
  const recordings = [
    ...readdirSync(join(fixturesDir, 'recordings', 'aws')).filter((f) => f.endsWith('.har')),
    ...readdirSync(join(fixturesDir, 'recordings', 'reserialised')).map((f) => `reserialised/${f}`),
  ].sort();
  expect(manifest.map((e) => e.recording).sort()).toEqual(recordings);
  const sources = readdirSync(join(fixturesDir, 'recordings', 'sources'))
    .filter((f) => f !== 'manifest.yaml')
    .sort();
  expect([...new Set(manifest.flatMap((e) => [...(e.source ? [e.source] : []), ...(e.also ?? []).map((a) => a.source)]))].sort()).toEqual(
    sources,
  );
  for (const e of manifest.filter((x) => x.transcriber === 'none')) expect(e.why, e.recording).toMatch(/\w{10}/);
});

describe('each recording rebuilt from its source', () => {
  test.for(manifest.filter((e) => e.transcriber !== 'none').map((e) => [e.recording, e] as const))('%s', ([, entry]) => {
    const result = rebuild(entry);
    if ('problem' in result) expect.fail(result.problem);
    if ('skipped' in result) expect.fail(`skipped: ${result.skipped}`);
    expect(result.text === committed(entry), `${entry.recording} differs from what ${entry.source} rebuilds`).toBe(true);
  });

  test('a source changed by one byte fails its checksum', () => {
    const entry = manifest.find((e) => e.transcriber === 'vcr')!;
    const result = rebuild({
      ...entry,
      sha256: `${entry.sha256!.slice(0, -1)}0` === entry.sha256 ? `${entry.sha256!.slice(0, -1)}1` : `${entry.sha256!.slice(0, -1)}0`,
    });
    expect('problem' in result && result.problem).toMatch(/sha256/);
  });
});

test('a session merged from several cassettes is in the order of its events: dated, never backwards, each worker task after the decision that scheduled it', () => {
  for (const entry of manifest.filter((e) => e.also?.length)) {
    const har = JSON.parse(committed(entry)) as {
      log: {
        _provenance: { timing?: string };
        entries: {
          startedDateTime: string;
          _operation: string;
          request: { postData?: { text: string } };
          response: { content: { text?: string } };
        }[];
      };
    };
    expect(har.log._provenance.timing, entry.recording).toBe('event-times');
    const times = har.log.entries.map((e) => Date.parse(e.startedDateTime));
    for (let i = 1; i < times.length; i += 1) expect(times[i]! >= times[i - 1]!, `${entry.recording} #${i + 1}`).toBe(true);
    // Each activity task handed out was scheduled by a decision answered before it.
    const scheduled = new Set<string>();
    for (const e of har.log.entries) {
      if (e._operation === 'RespondDecisionTaskCompleted')
        for (const d of (
          JSON.parse(e.request.postData!.text) as { decisions?: { scheduleActivityTaskDecisionAttributes?: { activityId: string } }[] }
        ).decisions ?? [])
          if (d.scheduleActivityTaskDecisionAttributes) scheduled.add(d.scheduleActivityTaskDecisionAttributes.activityId);
      if (e._operation === 'PollForActivityTask') {
        const task = JSON.parse(e.response.content.text ?? '{}') as { activityId?: string };
        if (task.activityId)
          expect(scheduled.has(task.activityId), `${entry.recording}: ${task.activityId} handed out before it was scheduled`).toBe(true);
      }
    }
  }
});

describe('an FsDecider history is rebuilt from its printed F# code with only the names the manifest declares', () => {
  const entry = manifest.find((e) => e.recording === 'fsdecider.child-terminated-directly.har')!;

  test('a printed name the manifest does not declare stops the rebuild, naming it', () => {
    const { 'TestConfiguration.TestIdentity': _, ...names } = entry.names!;
    const result = rebuild({ ...entry, names });
    expect('problem' in result && result.problem).toMatch(/TestConfiguration\.TestIdentity at identity is not declared/);
  });

  test('a name declared for one place stands there only: the parent is told of the child as not printed, the child started as printed', () => {
    const result = rebuild(entry);
    if (!('text' in result)) expect.fail(JSON.stringify(result));
    const har = JSON.parse(result.text) as { log: { entries: { response: { content: { text: string } } }[] } };
    const events = (
      JSON.parse(har.log.entries[0]!.response.content.text) as { events: Record<string, { workflowExecution?: { runId: string } }>[] }
    ).events;
    const runOf = (attributes: string) => events.find((e) => e[attributes])?.[attributes]?.workflowExecution?.runId;
    expect([runOf('childWorkflowExecutionStartedEventAttributes'), runOf('childWorkflowExecutionTerminatedEventAttributes')]).toEqual([
      '<run-id:2>',
      '<not-printed:1>',
    ]);
  });
});
