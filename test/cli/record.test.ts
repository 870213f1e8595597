import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReference } from '../../reference/server.ts';
import { RawClient } from '../../src/clients/raw.ts';
import { diffRecordings } from '../../src/recordings/diff.ts';
import { replayRunRecording } from '../../src/recordings/replay-run.ts';
import { escapeRegExp } from '../../src/contract/messages.ts';
import { newRunPrefix } from '../../src/harness/config.ts';
import { ensureReplayDomains } from '../../src/harness/prepare.ts';
import { testCredentials } from '../reference/helpers.ts';
import type { RunRecording } from '../../src/recordings/recording.ts';
import { runCli, runMain } from './helpers.ts';

/**
 * run --record, diff and replay end to end: two runs of the same tests against the reference
 * record the same file, a copy with three planted changes diffs to exactly those three, and a
 * recording replays against the reference with no difference.
 */
const dir = mkdtempSync(join(tmpdir(), 'swf-conformance-record-'));
// Tests of both operations, of the decider, of child policies and of refusals: every kind of exchange.
const grep =
  'terminating a child records|a cancel request made by a decision|details at maxLength \\(32768 astral|is the current open run|a prefix of the open run';
const read = (file: string): RunRecording => JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as RunRecording;

beforeAll(async () => {
  for (const n of [1, 2]) {
    const run = await runMain(['run', '--grep', grep, '--report', join(dir, `r${n}`), '--record'], { timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/recorded \d+ exchanges of \d+ tests/);
  }
}, 200_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run --record', () => {
  test('two runs against the reference record the same bytes, with no id, credential or clock of their own', () => {
    const a = readFileSync(join(dir, 'r1', 'recording.har.gz'));
    const b = readFileSync(join(dir, 'r2', 'recording.har.gz'));
    expect(gunzipSync(a).equals(gunzipSync(b))).toBe(true);
    const text = gunzipSync(a).toString('utf8');
    expect(text).not.toMatch(/AKIA|Signature=|Credential=|"authorization"/i);
    expect(text).not.toMatch(/swfc-[0-9a-f]{6}/);
    expect(text).not.toMatch(/"eventTimestamp":\d/);
    const recording = read(join(dir, 'r1', 'recording.har.gz'));
    expect(recording.log._recording).toMatchObject({ target: 'embedded reference', region: 'us-east-1', selection: `--grep ${grep}` });
    expect(recording.log.pages.length).toBeGreaterThanOrEqual(8);
    expect(recording.log.entries.every((e) => recording.log.pages.some((p) => p.id === (e as { pageref?: string }).pageref))).toBe(true);
    // A 32,768-character text is kept once, as runs of characters.
    expect(Object.keys(recording.log._texts).length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(200_000);
  });

  test('diff of the two: exit 0, the recordings agree, and the three report files are written', async () => {
    const out = join(dir, 'same');
    const res = await runCli(['diff', join(dir, 'r1', 'recording.har.gz'), join(dir, 'r2', 'recording.har.gz'), '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/0 differences in 0 tests/);
    expect(JSON.parse(readFileSync(join(out, 'diff.json'), 'utf8')).differences).toEqual([]);
    expect(readFileSync(join(out, 'diff.md'), 'utf8')).toMatch(/The recordings agree/);
    expect(readFileSync(join(out, 'diff.html'), 'utf8')).toMatch(/the recordings agree/);
  });

  test('a copy with one message, one attribute and one event order changed diffs to exactly those three', async () => {
    const recording = read(join(dir, 'r1', 'recording.har.gz'));
    const entries = recording.log.entries;
    const fault = entries.find((e) => /"message"/.test(e.response.content.text ?? ''))!;
    const history = entries.find(
      (e) => e._operation === 'GetWorkflowExecutionHistory' && (JSON.parse(e.response.content.text ?? '{}').events?.length ?? 0) >= 3,
    )!;
    const describe = entries.find((e) => e._operation === 'DescribeWorkflowExecution')!;
    const faultBody = JSON.parse(fault.response.content.text!);
    faultBody.message = `${faultBody.message} (reworded)`;
    fault.response.content.text = JSON.stringify(faultBody);
    const detail = JSON.parse(describe.response.content.text!);
    detail.executionInfo.cancelRequested = !detail.executionInfo.cancelRequested;
    describe.response.content.text = JSON.stringify(detail);
    const events = JSON.parse(history.response.content.text!);
    [events.events[1], events.events[2]] = [events.events[2], events.events[1]];
    history.response.content.text = JSON.stringify(events);
    const changed = join(dir, 'changed.har');
    writeFileSync(changed, JSON.stringify(recording));
    const result = diffRecordings(join(dir, 'r1', 'recording.har.gz'), changed);
    expect(result.differences.map((d) => [d.kind, d.at])).toEqual(
      expect.arrayContaining([
        ['message', 'response.message'],
        ['member-changed', 'response.$.executionInfo.cancelRequested'],
        ['events', 'response.$.events[].eventType'],
      ]),
    );
    expect(result.differences).toHaveLength(3);
    for (const d of result.differences) expect(d.clauses.length).toBeGreaterThan(0);
    // The CLI says so with exit 1, and --ignore message leaves two.
    const res = await runMain([
      'diff',
      join(dir, 'r1', 'recording.har.gz'),
      changed,
      '--out',
      join(dir, 'changed-diff'),
      '--ignore',
      'message',
    ]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/2 differences in \d tests? \(ignoring message\)/);
    expect(readFileSync(join(dir, 'changed-diff', 'diff.html'), 'utf8')).toMatch(/<td><pre>/);
  });

  test('run --baseline records, diffs, and the report says what changed since the baseline', async () => {
    const recording = read(join(dir, 'r1', 'recording.har.gz'));
    const fault = recording.log.entries.find((e) => /"message"/.test(e.response.content.text ?? ''))!;
    const body = JSON.parse(fault.response.content.text!);
    body.message = 'an older wording';
    fault.response.content.text = JSON.stringify(body);
    const baseline = join(dir, 'baseline.har');
    writeFileSync(baseline, JSON.stringify(recording));
    const report = join(dir, 'with-baseline');
    const run = await runMain(['run', '--grep', grep, '--report', report, '--baseline', baseline], { timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/changed since the baseline: 1 difference in 1 of \d+ tests/);
    const json = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8'));
    expect(json.baseline).toMatchObject({ differences: 1, changes: [{ kind: 'message', baseline: 'an older wording' }] });
    expect(readFileSync(join(report, 'conformance.md'), 'utf8')).toMatch(/### Changed since the baseline/);
    expect(readFileSync(join(report, 'diff.md'), 'utf8')).toMatch(/an older wording/);
  }, 120_000);

  test('replay of a recording against the reference: every exchange answers as recorded', async () => {
    const res = await runMain(['replay', join(dir, 'r1', 'recording.har.gz')], { timeoutMs: 60_000 });
    expect(res.stdout).toMatch(/✓ .*recording\.har\.gz: \d+ tests, \d+ exchanges replayed, 0 differences/);
    expect(res.code, res.stdout).toBe(0);
  }, 90_000);

  test('a whole default run, recorded against the reference, replays against it with no difference', async () => {
    const file = join(dir, 'whole', 'recording.har.gz');
    const run = await runMain(['run', '--report', join(dir, 'whole'), '--record', file], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const recording = read(file);
    // Every kind the replay must send again as it was: a time filter's bound, a runId of the
    // test's own making, a long poll answered by a later request, other principals.
    const entries = recording.log.entries as { request: { postData?: { text: string } }; _overlaps?: number; _principal?: string }[];
    expect(entries.some((e) => /"oldestDate":0/.test(e.request.postData?.text ?? ''))).toBe(true);
    expect(entries.some((e) => (e._overlaps ?? 0) > 0)).toBe(true);
    expect(new Set(entries.map((e) => e._principal).filter(Boolean))).toEqual(new Set(['unsigned', 'given-key', 'restricted']));
    const res = await runMain(['replay', file], { timeoutMs: 120_000 });
    expect(res.stdout).toMatch(
      new RegExp(
        `✓ .*recording\\.har\\.gz: ${recording.log.pages.length} tests, ${recording.log.entries.length} exchanges replayed, 0 differences`,
      ),
    );
    expect(res.code, res.stdout).toBe(0);
    // The reference filters its lists: no answer of the run was compared in part.
    expect(res.stdout).not.toMatch(/compared in part/);

    // A recorded list answer that also held another test's execution (a target that ignores
    // executionFilter answers with the whole run's state) is compared without it, and says so;
    // the test's own executions are still compared.
    type Entry = { pageref: string; _operation: string; response: { content: { text?: string } } };
    const all = recording.log.entries as unknown as Entry[];
    const listed = all.find(
      (e) => e._operation === 'ListOpenWorkflowExecutions' && /"executionInfos":\[\{/.test(e.response.content.text ?? ''),
    )!;
    const page = recording.log.pages.find((p) => p.id === listed.pageref)!;
    const exchange = all.filter((e) => e.pageref === page.id).indexOf(listed) + 1;
    const answer = JSON.parse(listed.response.content.text!) as { executionInfos: { execution: object }[] };
    const own = answer.executionInfos[0]!;
    const variant = async (executionInfos: object[]) => {
      listed.response.content.text = JSON.stringify({ ...answer, executionInfos });
      const changed = join(dir, 'whole', 'changed.har.gz');
      writeFileSync(changed, gzipSync(JSON.stringify(recording)));
      const ref = await startReference({ pollTimeoutMs: 1_000 });
      try {
        const client = new RawClient({ endpoint: ref.url, region: 'us-east-1', credentials: async () => testCredentials });
        return await replayRunRecording(changed, client, {
          domain: 'partial',
          prefix: newRunPrefix,
          prepare: (domains) => ensureReplayDomains(client, domains),
          grep: new RegExp(`^${escapeRegExp(page.title)}$`),
        });
      } finally {
        await ref.close();
      }
    };
    const foreign = { ...own, execution: { workflowId: '<workflow-id:1@0badc0de>', runId: '<run-id:1@0badc0de>' } };
    const withForeign = await variant([...answer.executionInfos, foreign]);
    expect(withForeign.differences).toEqual([]);
    expect(withForeign.partial).toEqual([{ test: page.title, exchange, operation: 'ListOpenWorkflowExecutions', foreign: 1 }]);
    const ownChanged = await variant([{ ...own, cancelRequested: !(own as { cancelRequested?: boolean }).cancelRequested }, foreign]);
    expect(ownChanged.differences.map((d) => d.at)).toContain('response.$.executionInfos[0].cancelRequested');
  }, 260_000);

  test('bad input gets one line and exit 2', async () => {
    writeFileSync(join(dir, 'not-json.har'), 'nope');
    for (const args of [
      ['diff', join(dir, 'missing.har'), join(dir, 'r1', 'recording.har.gz')],
      ['diff', join(dir, 'not-json.har'), join(dir, 'r1', 'recording.har.gz')],
      ['diff', join(dir, 'r1', 'recording.har.gz'), join(dir, 'r2', 'recording.har.gz'), '--ignore', 'colour'],
      ['run', '--baseline', join(dir, 'missing.har')],
      ['run', '--record', join(dir, 'no-such-folder', 'x.har')],
      ['replay', join(dir, 'not-json.har')],
      // Paths under /proc cannot be made: one line at once, not a loop that never ends.
      ['run', '--report', '/proc/swf-conformance-x'],
      ['run', '--report', '/proc/swf-conformance-x/y/z'],
      ['diff', join(dir, 'r1', 'recording.har.gz'), join(dir, 'r2', 'recording.har.gz'), '--out', '/proc/swf-conformance-x'],
    ]) {
      const res = await runMain(args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr.trim().split('\n'), res.stderr).toHaveLength(1);
      expect(res.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
  }, 60_000);
});
