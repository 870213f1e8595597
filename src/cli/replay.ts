import { randomBytes } from 'node:crypto';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { RawClient } from '../clients/raw.ts';
import { loadRecordings, type Recording } from '../contract/recordings.ts';
import { isRegionName } from '../harness/config.ts';
import { replay, type ReplayResult } from '../replay/run.ts';
import { embeddedReference } from '../targets/reference.ts';
import { UsageError } from './usage-error.ts';

/**
 * `swf-conformance replay`: replays the recordings of real AWS traffic (fixtures/recordings/aws/)
 * against the embedded reference (default) or an endpoint, and prints each one's differences.
 * Exit 0 when every recording replays with none, 1 when some differ, 2 for bad input or a target
 * that cannot be reached.
 */
export interface ReplayCliOptions { endpoint?: string; region?: string; profile?: string; domain: string; recording: string[]; json?: boolean }

export async function replayCommand(opts: ReplayCliOptions): Promise<number> {
  const region = opts.region ?? process.env.AWS_REGION ?? 'us-east-1';
  if (!isRegionName(region)) throw new UsageError(`--region ${region}: not a region name`);
  const all = loadRecordings();
  const unknown = opts.recording.filter((name) => !all.some((r) => r.name === name || r.name === `${name}.har`));
  if (unknown.length) throw new UsageError(`no recording ${unknown.join(', ')} in fixtures/recordings/aws/ (there are: ${all.map((r) => r.name).join(', ')})`);
  const chosen = opts.recording.length ? all.filter((r) => opts.recording.some((n) => r.name === n || r.name === `${n}.har`)) : all;
  const endpoint = opts.endpoint ?? process.env.AWS_ENDPOINT_URL_SWF ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint) {
    try {
      new URL(endpoint);
    } catch {
      throw new UsageError(`--endpoint ${endpoint}: not a URL`);
    }
  }
  const target = endpoint ? undefined : await embeddedReference({ region, deprecatedDomain: `${opts.domain}-deprecated` });
  try {
    let credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
    if (target?.credentials) {
      const c = target.credentials;
      credentials = async () => c;
    } else {
      const chain = fromNodeProviderChain(opts.profile ? { profile: opts.profile } : {});
      try {
        await chain();
      } catch (error) {
        throw new UsageError(`no AWS credentials for ${endpoint}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile (${(error as Error).message.split('\n')[0]})`);
      }
      credentials = () => chain();
    }
    const url = target?.endpoint ?? endpoint!;
    const client = new RawClient({ endpoint: url, region, credentials, timeoutMs: 70_000 });
    // One answer of any kind shows the target is there; no answer is bad input, not a difference.
    try {
      await client.send({ operation: 'ListDomains', body: { registrationStatus: 'REGISTERED', maximumPageSize: 1 } });
    } catch (error) {
      const cause = (error as { cause?: { code?: string }; code?: string }).cause?.code ?? (error as { code?: string }).code ?? (error as Error).message;
      throw new UsageError(`${url} does not answer (${cause})`);
    }
    const results: { recording: Recording; result: ReplayResult }[] = [];
    for (const recording of chosen) {
      const prefix = `swfc-replay-${randomBytes(3).toString('hex')}`;
      const result = await replay(recording.har, client, { domain: opts.domain, prefix });
      results.push({ recording, result });
      if (!opts.json) {
        const { differences } = result;
        console.log(`${differences.length ? '✗' : '✓'} ${recording.name.padEnd(52)} ${result.steps} steps, ${differences.length} difference${differences.length === 1 ? '' : 's'}`);
        for (const d of differences.slice(0, 8)) console.log(`    ${d.step}: ${d.at}: expected ${short(d.expected)}, got ${short(d.actual)}`);
        if (differences.length > 8) console.log(`    … ${differences.length - 8} more`);
      }
    }
    const clean = results.filter((r) => r.result.differences.length === 0).length;
    if (opts.json) {
      console.log(JSON.stringify({ target: target ? 'embedded reference' : url, recordings: results.map((r) => ({ name: r.recording.name, steps: r.result.steps, differences: r.result.differences })) }, null, 2));
    } else {
      console.log(`\nswf-conformance replay against ${target ? 'embedded reference' : url}: ${clean} of ${results.length} recordings replayed with no difference`);
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
