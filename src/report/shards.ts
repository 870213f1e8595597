/**
 * Shards (`run --shard i/n`, vitest's sharding of the battery's files) and their merge
 * (`swf-conformance merge DIR...`). Each shard writes, beside its reports, `shard.json`: its test
 * outcomes and what the run was judged with. The merge checks that the shards are one run's
 * (the same count, each index once, one target, one suite version), then judges every clause over
 * all its tests from every shard, as an unsharded run would, and writes the same four reports;
 * the shards' recordings are merged too.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConformanceReport, ExpectationsFile } from '../generated/types.ts';
import { spec } from '../contract/spec.ts';
import { buildReport, type CleanupSummary } from './conformance.ts';
import { EVERY_EXCHANGE, mergeCheckOutcome, type TestOutcome } from './results.ts';

export const SHARD_FILE = 'shard.json';

export interface ShardFile {
  shard: { index: number; count: number };
  suiteVersion: string;
  target: string;
  implementation?: string;
  startedAt: string;
  endedAt: string;
  strict: boolean;
  strictExpectations: boolean;
  expectations?: { file: string; content: ExpectationsFile };
  /** The clauses the run's own selection (--grep, --test, --tags, --clause) chose, when it had one. */
  selected?: string[];
  errors: string[];
  warnings?: string[];
  cleanup?: CleanupSummary;
  phases?: ConformanceReport['phases'];
  model?: ConformanceReport['model'];
  outcomes: TestOutcome[];
}

export class ShardError extends Error {}

export function writeShard(dir: string, shard: ShardFile): void {
  writeFileSync(join(dir, SHARD_FILE), `${JSON.stringify(shard)}\n`);
}

function readShard(dir: string): ShardFile {
  const file = join(dir, SHARD_FILE);
  if (!existsSync(file)) throw new ShardError(`${dir}: no ${SHARD_FILE} (a shard's report folder, written by run --shard i/n)`);
  try {
    const shard = JSON.parse(readFileSync(file, 'utf8')) as ShardFile;
    if (!shard.shard || !Array.isArray(shard.outcomes)) throw new Error('not a shard file');
    return shard;
  } catch (error) {
    throw new ShardError(`${file}: not a shard file (${(error as Error).message})`);
  }
}

/** The shards of one run, checked: one line naming the first thing that is wrong. */
export function readShards(dirs: string[]): ShardFile[] {
  if (!dirs.length) throw new ShardError('give the report folders of the shards to merge');
  const shards = dirs.map(readShard);
  const count = shards[0]!.shard.count;
  const differing = (what: string, of: (s: ShardFile) => string) => {
    const values = [...new Set(shards.map(of))];
    if (values.length > 1) throw new ShardError(`the shards are not of one run: ${what} ${values.join(' and ')}`);
  };
  differing('shard counts', (s) => String(s.shard.count));
  differing('targets', (s) => s.target);
  differing('suite versions', (s) => s.suiteVersion);
  differing('expectation files', (s) => s.expectations?.file ?? '(none)');
  differing('strict modes', (s) => `strict ${s.strict}, strict expectations ${s.strictExpectations}`);
  const seen = new Map<number, string>();
  for (const [i, s] of shards.entries()) {
    const other = seen.get(s.shard.index);
    if (other) throw new ShardError(`shard ${s.shard.index}/${count} is given twice: ${other} and ${dirs[i]}`);
    seen.set(s.shard.index, dirs[i]!);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length)
    throw new ShardError(
      `shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: a merge needs every shard of the run`,
    );
  return shards;
}

/** One report from the shards: every clause judged over all its tests, as an unsharded run. */
export function mergeShards(shards: ShardFile[], testsPerClause?: ReadonlyMap<string, number>): ConformanceReport {
  const first = shards[0]!;
  const byName = new Map<string, TestOutcome>();
  for (const s of shards)
    for (const t of s.outcomes) {
      const other = byName.get(t.fullName);
      // Each shard ran the wire checks on its own exchanges: one outcome of them all.
      byName.set(t.fullName, other && t.file === EVERY_EXCHANGE ? mergeCheckOutcome(other, t) : t);
    }
  const started = Math.min(...shards.map((s) => Date.parse(s.startedAt)));
  const ended = Math.max(...shards.map((s) => Date.parse(s.endedAt)));
  const selections = shards.filter((s) => s.selected).map((s) => s.selected!);
  const selected = selections.length ? new Set(selections.flat()) : undefined;
  const cleanups = shards.map((s) => s.cleanup).filter((c): c is CleanupSummary => Boolean(c));
  const cleanup = cleanups.length
    ? cleanups.reduce((a, c) => ({
        executions: a.executions + c.executions,
        checked: a.checked + c.checked,
        terminated: a.terminated + c.terminated,
        left: a.left + c.left,
        ...((a.ledger ?? c.ledger) ? { ledger: a.ledger ?? c.ledger } : {}),
      }))
    : undefined;
  const phases = shards.map((s) => s.phases).filter((p): p is NonNullable<typeof p> => Boolean(p));
  return buildReport(spec(), [...byName.values()], {
    target: first.target,
    ...(first.implementation ? { implementation: first.implementation } : {}),
    startedAt: new Date(started),
    durationMs: ended - started,
    strict: first.strict,
    strictExpectations: first.strictExpectations,
    ...(first.expectations ? { expectations: first.expectations } : {}),
    ...(selected ? { selected, ...(testsPerClause ? { testsPerClause } : {}) } : {}),
    errors: shards.flatMap((s) => s.errors.map((e) => `shard ${s.shard.index}/${s.shard.count}: ${e}`)),
    warnings: [...new Set(shards.flatMap((s) => s.warnings ?? []))],
    ...(cleanup ? { cleanup } : {}),
    ...(phases.length
      ? {
          phases: phases.reduce((a, p) => ({
            setupMs: a.setupMs + p.setupMs,
            batteryMs: a.batteryMs + p.batteryMs,
            cleanupMs: a.cleanupMs + p.cleanupMs,
          })),
        }
      : {}),
    ...(shards.find((s) => s.model)?.model ? { model: shards.find((s) => s.model)!.model! } : {}),
  });
}
