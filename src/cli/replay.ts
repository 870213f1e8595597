import { randomBytes } from 'node:crypto';
import { RawClient } from '../clients/raw.ts';
import { loadRecordings, type Har, type Recording } from '../contract/recordings.ts';
import { isRunRecording, readRecording, RecordingError } from '../recordings/diff.ts';
import type { Difference } from '../recordings/difference.ts';
import { replayRunRecording, type RunReplayResult } from '../recordings/replay-run.ts';
import { isRegionName, newRunPrefix } from '../harness/config.ts';
import { ensureReplayDomains } from '../harness/prepare.ts';
import { replay, type ReplayResult } from '../recordings/replay-aws.ts';
import { credentialsOf, openTarget } from '../targets/open.ts';
import { useCaBundle } from './ca-bundle.ts';
import { openingAsUsage, UsageError } from './usage-error.ts';

/**
 * `swf-conformance replay`: replays the recordings of real AWS traffic (fixtures/recordings/aws/)
 * against the embedded reference (default) or an endpoint, and prints each one's differences.
 * Exit 0 when every recording replays with none, 1 when some differ, 2 for bad input or a target
 * that cannot be reached.
 */
export interface ReplayCliOptions {
  caBundle?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  domain: string;
  recording: string[];
  json?: boolean;
  files?: string[];
  grep?: string;
}

export async function replayCommand(opts: ReplayCliOptions): Promise<number> {
  await useCaBundle(opts);
  const region = opts.region ?? process.env.AWS_REGION ?? 'us-east-1';
  if (!isRegionName(region)) throw new UsageError(`--region ${region}: not a region name`);
  const files = opts.files ?? [];
  if (files.length && opts.recording.length) throw new UsageError('give recording files or --recording names, not both');
  let grep: RegExp | undefined;
  if (opts.grep !== undefined) {
    try {
      grep = new RegExp(opts.grep);
    } catch {
      throw new UsageError(`--grep ${opts.grep}: not a valid regular expression`);
    }
  }
  const read: { file: string; har: Har }[] = [];
  for (const file of files) {
    let har: Har;
    try {
      har = readRecording(file).har;
    } catch (error) {
      if (error instanceof RecordingError) throw new UsageError(error.message);
      throw error;
    }
    // Valid HAR, but nothing this command can replay: said in one line, never a crash.
    if (!har.log.entries.length) throw new UsageError(`${file}: the recording holds no exchange; nothing to replay`);
    if (!isRunRecording(har) && !har.log._provenance) {
      throw new UsageError(`${file}: neither a run recording (run --record) nor a recording of AWS traffic (its log has no _provenance)`);
    }
    read.push({ file, har });
  }
  const all = loadRecordings();
  const unknown = opts.recording.filter((name) => !all.some((r) => r.name === name || r.name === `${name}.har`));
  if (unknown.length)
    throw new UsageError(
      `no recording ${unknown.join(', ')} in fixtures/recordings/aws/ (there are: ${all.map((r) => r.name).join(', ')})`,
    );
  const chosen = opts.recording.length ? all.filter((r) => opts.recording.some((n) => r.name === n || r.name === `${n}.har`)) : all;
  const endpoint = opts.endpoint ?? process.env.AWS_ENDPOINT_URL_SWF ?? process.env.AWS_ENDPOINT_URL;
  // Its own first call below says whether an endpoint answers, as a replay needs it to.
  const opened = (await openingAsUsage(
    openTarget({
      ...(endpoint ? { endpoint } : {}),
      region,
      deprecatedDomain: `${opts.domain}-deprecated`,
      ...(opts.profile ? { profile: opts.profile } : {}),
      reachable: false,
    }),
  ))!;
  const target = opened.kind === 'reference' ? opened : undefined;
  try {
    const credentials = await openingAsUsage(credentialsOf(opened, opts.profile));
    const url = opened.endpoint;
    const client = new RawClient({ endpoint: url, region, credentials, timeoutMs: 70_000 });
    // One answer of any kind shows the target is there; no answer is bad input, not a difference.
    try {
      await client.send({ operation: 'ListDomains', body: { registrationStatus: 'REGISTERED', maximumPageSize: 1 } });
    } catch (error) {
      const cause =
        (error as { cause?: { code?: string }; code?: string }).cause?.code ??
        (error as { code?: string }).code ??
        (error as Error).message;
      throw new UsageError(`${url} does not answer (${cause})`);
    }
    if (read.length)
      return await replayFiles(read, client, {
        domain: opts.domain,
        ...(grep ? { grep } : {}),
        json: Boolean(opts.json),
        target: target ? 'embedded reference' : url,
        // The restricted principal: the embedded reference's own; elsewhere none is known.
        ...(target?.restricted && 'accessKeyId' in target.restricted ? { restricted: target.restricted } : {}),
      });
    const results: { recording: Recording; result: ReplayResult }[] = [];
    // A recording whose histories interleave events by the service's timing is evidence, not a
    // script: said, never counted as replayed.
    const interleaved = chosen.filter((r) => r.har.log._provenance.interleaved);
    if (!opts.json) for (const r of interleaved) console.log(`– ${r.name.padEnd(52)} not replayed: ${r.har.log._provenance.interleaved}`);
    for (const recording of chosen.filter((r) => !r.har.log._provenance.interleaved)) {
      const prefix = `swfc-replay-${randomBytes(3).toString('hex')}`;
      const result = await replay(recording.har, client, { domain: opts.domain, prefix });
      results.push({ recording, result });
      if (!opts.json) {
        const { differences } = result;
        console.log(
          `${differences.length ? '✗' : '✓'} ${recording.name.padEnd(52)} ${result.steps} steps, ${differences.length} difference${differences.length === 1 ? '' : 's'}`,
        );
        for (const d of differences.slice(0, 8))
          console.log(`    ${d.step}: ${d.at}: expected ${short(d.expected)}, got ${short(d.actual)}`);
        if (differences.length > 8) console.log(`    … ${differences.length - 8} more`);
      }
    }
    const clean = results.filter((r) => r.result.differences.length === 0).length;
    if (opts.json) {
      console.log(
        JSON.stringify(
          {
            target: target ? 'embedded reference' : url,
            recordings: results.map((r) => ({ name: r.recording.name, steps: r.result.steps, differences: r.result.differences })),
            notReplayed: interleaved.map((r) => ({ name: r.name, why: r.har.log._provenance.interleaved })),
          },
          null,
          2,
        ),
      );
    } else {
      console.log(
        `\nswf-conformance replay against ${target ? 'embedded reference' : url}: ${clean} of ${results.length} recordings replayed with no difference${interleaved.length ? `; ${interleaved.length} not replayed step by step (their histories interleave events by the service's timing)` : ''}`,
      );
    }
    return clean === results.length ? 0 : 1;
  } finally {
    await target?.close();
  }
}

const short = (v: unknown) => {
  const s = JSON.stringify(v) ?? 'nothing';
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
};

/** Replays recording files: a run recording test by test, any other HAR as one scenario. */
async function replayFiles(
  read: { file: string; har: Har }[],
  client: RawClient,
  opts: { domain: string; grep?: RegExp; json: boolean; target: string; restricted?: { accessKeyId: string; secretAccessKey: string } },
): Promise<number> {
  const out: {
    file: string;
    tests: number;
    exchanges: number;
    differences: Difference[];
    partial?: RunReplayResult['partial'];
  }[] = [];
  for (const { file, har } of read) {
    if (isRunRecording(har)) {
      const result = await replayRunRecording(file, client, {
        domain: opts.domain,
        prefix: newRunPrefix,
        prepare: (domains) => ensureReplayDomains(client, domains),
        ...(opts.restricted ? { restricted: opts.restricted } : {}),
        ...(opts.grep ? { grep: opts.grep } : {}),
        onTest: (name, n) => {
          if (n && !opts.json) console.log(`✗ ${name}: ${n} difference${n === 1 ? '' : 's'}`);
        },
      });
      out.push({ file, ...result });
      if (!opts.json) {
        for (const d of result.differences.slice(0, 30))
          console.log(
            `    ${d.test} #${d.exchange} ${d.operation}: ${d.kind} at ${d.at}: recorded ${short(d.expected)}, got ${short(d.actual)}`,
          );
        if (result.differences.length > 30) console.log(`    … ${result.differences.length - 30} more`);
        for (const p of result.partial)
          console.log(
            `    compared in part: ${p.test} #${p.exchange} ${p.operation}: the recorded answer listed ${p.foreign} execution${p.foreign === 1 ? '' : 's'} of other tests that the test never named (the whole run's state, which a replay one test at a time does not rebuild); the test's own were compared`,
          );
        console.log(
          `${result.differences.length ? '✗' : '✓'} ${file}: ${result.tests} tests, ${result.exchanges} exchanges replayed, ${result.differences.length} difference${result.differences.length === 1 ? '' : 's'}`,
        );
      }
    } else {
      const result = await replay(har, client, { domain: opts.domain, prefix: `swfc-replay-${randomBytes(3).toString('hex')}` });
      out.push({ file, tests: 1, exchanges: result.steps, differences: result.differences });
      if (!opts.json) {
        console.log(
          `${result.differences.length ? '✗' : '✓'} ${file}: ${result.steps} steps, ${result.differences.length} difference${result.differences.length === 1 ? '' : 's'}`,
        );
        for (const d of result.differences.slice(0, 8))
          console.log(`    ${d.step}: ${d.at}: expected ${short(d.expected)}, got ${short(d.actual)}`);
      }
    }
  }
  if (opts.json) console.log(JSON.stringify({ target: opts.target, recordings: out }, null, 2));
  return out.every((r) => r.differences.length === 0) ? 0 : 1;
}
