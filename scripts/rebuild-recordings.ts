/**
 * Rebuilds the recordings of fixtures/recordings/aws/ from the sources kept in
 * fixtures/recordings/sources/ (manifest.yaml says which source, transcriber and provenance each
 * has), so that what a recording says can always be traced to the bytes it came from:
 *
 *   npx tsx scripts/rebuild-recordings.ts           # checks: exit 1 when a rebuilt HAR differs
 *   npx tsx scripts/rebuild-recordings.ts --write   # writes the rebuilt HARs
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { fixturesDir } from '../src/contract/paths.ts';
import { transcribeFsDecider, type FsSource } from './transcribe-fsdecider.ts';
import { transcribeReserialised, type ReserialisedSource } from './transcribe-reserialised.ts';
import { transcribeVcr } from './transcribe-vcr.ts';

export interface SourceEntry extends Partial<Omit<FsSource, 'repository' | 'path' | 'commit' | 'comment' | 'notes' | 'client'>> {
  recording: string;
  repository: string;
  path: string;
  commit: string;
  transcriber: 'vcr' | 'fsdecider' | 'reserialised' | 'none';
  /** reserialised: the operation whose answer it is. */
  operation?: string;
  source?: string;
  sha256?: string;
  comment?: string;
  notes?: string;
  why?: string;
  /** The client, where the source keeps no User-Agent. */
  client?: string;
  /** Why the recording's histories cannot be replayed step by step (they interleave events by the service's timing). */
  interleaved?: string;
  /** The scene: the workflowIds (as recorded) whose exchanges the recording keeps, with their children's. */
  workflows?: string[];
  /** Further sources of the same session, merged with the first in the order of their events. */
  also?: { path: string; source: string; sha256: string }[];
}

/** A kept source's text: gunzipped when it is kept gzipped, as its repository has it. */
function sourceText(bytes: Buffer, name: string): string {
  return (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

const sourcesDir = join(fixturesDir, 'recordings', 'sources');
/** Where a recording of the manifest lives: fixtures/recordings/aws/, or the folder its name gives (`reserialised/…`). */
export const recordingFile = (recording: string) =>
  join(fixturesDir, 'recordings', recording.includes('/') ? recording : join('aws', recording));

export function sourceManifest(): SourceEntry[] {
  return (parse(readFileSync(join(sourcesDir, 'manifest.yaml'), 'utf8')) as { recordings: SourceEntry[] }).recordings;
}

/** What is wrong with one entry's source, or its rebuilt recording text (as committed: JSON, two spaces, a final newline). */
export function rebuild(entry: SourceEntry): { problem: string } | { text: string } | { skipped: string } {
  if (entry.transcriber === 'none') return { skipped: entry.why ?? 'no transcriber' };
  if (!entry.source || !entry.sha256) return { problem: `${entry.recording}: no source file or checksum in the manifest` };
  const texts: string[] = [];
  for (const { source, sha256 } of [{ source: entry.source, sha256: entry.sha256 }, ...(entry.also ?? [])]) {
    const bytes = readFileSync(join(sourcesDir, source));
    const sum = createHash('sha256').update(bytes).digest('hex');
    if (sum !== sha256) return { problem: `${source}: sha256 ${sum}, the manifest says ${sha256}` };
    texts.push(sourceText(bytes, source));
  }
  if (entry.transcriber === 'reserialised') {
    const { recording: _r, source: _s, sha256: _h, transcriber: _t, ...spec } = entry;
    return { text: `${JSON.stringify(transcribeReserialised(texts[0]!, spec as ReserialisedSource), null, 2)}\n` };
  }
  if (entry.transcriber === 'fsdecider') {
    const { recording: _r, source: _s, sha256: _h, transcriber: _t, ...spec } = entry;
    try {
      return { text: `${JSON.stringify(transcribeFsDecider(texts[0]!, spec as FsSource), null, 2)}\n` };
    } catch (error) {
      return { problem: `${entry.recording}: ${(error as Error).message}` };
    }
  }
  const har = transcribeVcr(texts.length > 1 ? texts : texts[0]!, {
    repository: entry.repository,
    path: entry.path,
    commit: entry.commit,
    ...(entry.comment ? { comment: entry.comment } : {}),
    ...(entry.notes ? { notes: entry.notes } : {}),
    ...(entry.client ? { client: entry.client } : {}),
    ...(entry.also ? { alsoFrom: entry.also.map((a) => a.path) } : {}),
    ...(entry.workflows ? { workflows: entry.workflows } : {}),
    ...(entry.interleaved ? { interleaved: entry.interleaved } : {}),
  });
  return { text: `${JSON.stringify(har, null, 2)}\n` };
}

export const committed = (entry: SourceEntry) => readFileSync(recordingFile(entry.recording), 'utf8');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const write = process.argv.includes('--write');
  let failed = 0;
  for (const entry of sourceManifest()) {
    const result = rebuild(entry);
    if ('skipped' in result) console.log(`- ${entry.recording}: not rebuilt (${result.skipped})`);
    else if ('problem' in result) {
      failed += 1;
      console.error(`✗ ${result.problem}`);
    } else if (existsSync(recordingFile(entry.recording)) && result.text === committed(entry)) console.log(`✓ ${entry.recording}`);
    else if (write) {
      writeFileSync(recordingFile(entry.recording), result.text);
      console.log(`✎ ${entry.recording}: rewritten from ${entry.source}`);
    } else {
      failed += 1;
      console.error(`✗ ${entry.recording}: differs from what ${entry.source} rebuilds (--write rewrites it)`);
    }
  }
  process.exit(failed ? 1 : 0);
}
