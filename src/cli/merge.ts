import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { batteryIndex } from '../harness/collect.ts';
import { readRecording, RecordingError } from '../recordings/diff.ts';
import { mergeRecordings, type RunRecording } from '../recordings/recording.ts';
import { toConsole } from '../report/markdown.ts';
import { mergeShards, readShards, ShardError } from '../report/shards.ts';
import { writeReport } from '../report/write.ts';
import { UsageError } from './usage-error.ts';

export interface MergeOptions {
  report: string;
}

/**
 * `swf-conformance merge DIR...`: one report from the report folders of a run's shards. Exit codes
 * as for `run`: 0 conformant, 1 not conformant, 2 for shards that are not one run's, or a run
 * that could not complete.
 */
export async function merge(dirs: string[], opts: MergeOptions): Promise<number> {
  let shards: ReturnType<typeof readShards>;
  try {
    shards = readShards(dirs);
  } catch (error) {
    if (error instanceof ShardError) throw new UsageError(error.message);
    throw error;
  }
  const selection = shards.some((s) => s.selected);
  const perClause = selection ? new Map([...(await batteryIndex()).byClause].map(([id, list]) => [id, list.length])) : undefined;
  const report = mergeShards(shards, perClause);
  const out = resolve(opts.report);
  let written: string[];
  try {
    written = writeReport(out, report);
  } catch (error) {
    throw new UsageError(
      `--report ${opts.report}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  // The shards' recordings, when every shard recorded.
  const recordings = dirs.map((d) => join(d, 'recording.har.gz'));
  if (recordings.every((f) => existsSync(f))) {
    try {
      const read = recordings.map((f) => readRecording(f).har as RunRecording);
      const header = { ...read[0]!.log._recording, selection: `${read[0]!.log._recording.selection}, merged from ${dirs.length} shards` };
      const file = join(out, 'recording.har.gz');
      writeFileSync(file, gzipSync(`${JSON.stringify(mergeRecordings(read, header))}\n`));
      written.push(file);
    } catch (error) {
      if (error instanceof RecordingError) throw new UsageError(error.message);
      throw error;
    }
  }
  process.stdout.write(toConsole(report));
  console.log(`\nmerged ${shards.length} shards; reports: ${written.join(', ')}`);
  return report.verdict === 'conformant' ? 0 : report.verdict === 'not-conformant' ? 1 : 2;
}
