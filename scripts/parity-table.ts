/**
 * The parity table CI prints at its end: for each implementation, the differences of each AWS
 * recording replayed against it (`replay --json`, saved as replay-<name>.json), and the
 * differences of its battery recording from the reference's (`diff`, saved as diff-<name>/diff.json).
 *
 * Usage: tsx scripts/parity-table.ts DIR
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir || !existsSync(dir)) {
  console.error('parity-table: give the folder holding replay-<name>.json and diff-<name>/diff.json');
  process.exit(2);
}
const names = ['reference', 'moto', 'localstack', 'fakecloud'].filter(
  (n) => existsSync(join(dir, `replay-${n}.json`)) || existsSync(join(dir, `diff-${n}`, 'diff.json')),
);
const replays = new Map<string, Map<string, number>>();
for (const n of names) {
  const file = join(dir, `replay-${n}.json`);
  if (!existsSync(file)) continue;
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { recordings: { name?: string; file?: string; differences: unknown[] }[] };
    replays.set(n, new Map(json.recordings.map((r) => [r.name ?? r.file ?? '?', r.differences.length])));
  } catch {
    replays.set(n, new Map());
  }
}
const recordings = [...new Set([...replays.values()].flatMap((m) => [...m.keys()]))].sort();
const cell = (n: number | undefined) => (n === undefined ? 'not run' : n === 0 ? '0' : `**${n}**`);
const lines = [`| AWS recording | ${names.join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|`];
for (const r of recordings) lines.push(`| ${r} | ${names.map((n) => cell(replays.get(n)?.get(r))).join(' | ')} |`);
const clean = (n: string) => [...(replays.get(n)?.values() ?? [])].filter((k) => k === 0).length;
lines.push(
  `| replayed with no difference | ${names.map((n) => (replays.has(n) ? `${clean(n)} of ${replays.get(n)!.size}` : 'not run')).join(' | ')} |`,
);
const diffs = names.map((n) => {
  const file = join(dir, `diff-${n}`, 'diff.json');
  if (n === 'reference') return 'the baseline';
  if (!existsSync(file)) return 'not run';
  const d = JSON.parse(readFileSync(file, 'utf8')) as { differences: unknown[]; tests: { compared: number; differing: number } };
  return `${d.differences.length} in ${d.tests.differing} of ${d.tests.compared} tests`;
});
lines.push(`| battery recording vs the reference's | ${diffs.join(' | ')} |`);
console.log(lines.join('\n'));
