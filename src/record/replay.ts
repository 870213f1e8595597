/**
 * Replays a run recording (`run --record`) against a target: each test's exchanges sent again in
 * order, in a domain and under workflowIds of the replay's own, and each answer normalised as the
 * recording was and compared with the recorded one as `diff` compares two recordings. The ids the
 * target makes bind to the recording's placeholders as its answers come in.
 */
import { randomBytes } from 'node:crypto';
import type { RawClient } from '../clients/raw.ts';
import type { HarEntry } from '../contract/recordings.ts';
import { ensureDomain, ensureTypes } from '../harness/prepare.ts';
import { compareExchange, readRecording, type Difference } from './diff.ts';
import { TIME_KEY } from './recording.ts';

type Entry = HarEntry & { _convergedMs?: number };
const PLACEHOLDER_IN_TEXT = /<(domain|workflow-id|run-id|task-token|request-id):(\d+)>(?:-(\d+))?/g;

export interface RunReplayResult {
  tests: number;
  exchanges: number;
  differences: Difference[];
}

export interface RunReplayOptions {
  domain: string;
  /** Only the tests whose name matches. */
  grep?: RegExp;
  onTest?: (name: string, differences: number) => void;
}

export async function replayRunRecording(file: string, client: RawClient, options: RunReplayOptions): Promise<RunReplayResult> {
  const { tests } = readRecording(file);
  // The recording's timestamp format: the target's is compared with it.
  const wholeSeconds = ![...tests.values()].some((t) => t.entries.some((e) => e.response.content.text?.includes('"<time>"')));
  const deprecated = `${options.domain}-deprecated`;
  await ensureDomain(client, options.domain, { undeprecate: true });
  await ensureDomain(client, deprecated, { undeprecate: true });
  await ensureTypes(client, options.domain);
  await ensureTypes(client, deprecated);
  const differences: Difference[] = [];
  let exchanges = 0;
  let count = 0;
  for (const [name, test] of tests) {
    if (options.grep && !options.grep.test(name)) continue;
    count += 1;
    const prefix = `swfc-replay-${randomBytes(4).toString('hex')}`;
    const ids = new Bound(prefix, [options.domain, deprecated], wholeSeconds);
    const before = differences.length;
    for (const [i, recorded] of test.entries.entries()) {
      exchanges += 1;
      const operation = recorded._operation;
      const target =
        recorded.request.headers.find((h) => h.name.toLowerCase() === 'x-amz-target')?.value ?? `SimpleWorkflowService.${operation}`;
      const res = await client
        .send(
          {
            operation,
            target,
            headers: { 'content-type': recorded.request.postData?.mimeType || 'application/x-amz-json-1.0' },
            body: ids.fill(recorded.request.postData?.text ?? ''),
          },
          { retries: 0 },
        )
        .catch((error: Error) => ({ status: 0, headers: {} as Record<string, string>, text: '', error: { message: error.message } }));
      const expected = parse(recorded.response.content.text);
      const actual = parse(res.text);
      ids.bindFrom(expected, actual);
      const text = actual === undefined ? res.text : JSON.stringify(ids.normalise(actual, ''));
      const got: Entry = {
        ...recorded,
        response: {
          ...recorded.response,
          status: res.status,
          headers: res.headers['x-amzn-requestid'] ? [{ name: 'x-amzn-RequestId', value: '<request-id>' }] : [],
          content: { size: text.length, mimeType: res.headers['content-type'] ?? '', ...(text ? { text } : {}) },
        },
      };
      const where = { test: name, clauses: test.page._clauses, exchange: i + 1, operation };
      compareExchange(recorded, got, (d) => differences.push({ ...where, ...d }), Number.POSITIVE_INFINITY, { requests: false });
    }
    // Nothing is left open: every workflowId of the replayed test is terminated.
    for (const workflowId of ids.workflowIds()) {
      await client
        .send(
          {
            operation: 'TerminateWorkflowExecution',
            body: { domain: options.domain, workflowId, reason: 'swf-conformance replay cleanup' },
          },
          { retries: 0 },
        )
        .catch(() => undefined);
    }
    options.onTest?.(name, differences.length - before);
  }
  return { tests: count, exchanges, differences };
}

/** The recording's placeholders, bound to the replay's values. */
class Bound {
  private readonly values = new Map<string, string>();
  private readonly placeholders = new Map<string, string>();
  constructor(
    private readonly prefix: string,
    domains: string[],
    private readonly wholeSeconds: boolean,
  ) {
    for (const [i, d] of domains.entries()) this.bind(`<domain:${i + 1}>`, d);
  }

  private bind(placeholder: string, value: string): void {
    this.values.set(placeholder, value);
    if (!this.placeholders.has(value)) this.placeholders.set(value, placeholder);
  }

  workflowIds(): string[] {
    return [...this.values].filter(([p]) => p.startsWith('<workflow-id:')).map(([, v]) => v);
  }

  /** A recorded request with the replay's values: new workflowIds for the recording's, the target's ids for the rest. */
  fill(text: string): string {
    return text
      .split('<prefix>')
      .join(this.prefix)
      .replace(PLACEHOLDER_IN_TEXT, (whole, kind: string, n: string, cut?: string) => {
        const placeholder = `<${kind}:${n}>`;
        let value = this.values.get(placeholder);
        if (value === undefined && kind === 'workflow-id') this.bind(placeholder, (value = `${this.prefix}-w${n}`));
        if (value === undefined) return whole;
        if (!cut) return value;
        // A runId cut short: named in answers (a message) as the recording names it.
        const short = value.slice(0, -Number(cut));
        if (!this.placeholders.has(short)) this.placeholders.set(short, whole);
        return short;
      });
  }

  /** Binds the ids the target made where the recording has a placeholder. */
  bindFrom(expected: unknown, actual: unknown): void {
    if (typeof expected === 'string' && typeof actual === 'string') {
      if (/^<(run-id|task-token|workflow-id):\d+>$/.test(expected) && !this.values.has(expected) && !this.placeholders.has(actual))
        this.bind(expected, actual);
      return;
    }
    if (Array.isArray(expected) && Array.isArray(actual)) {
      for (let i = 0; i < Math.min(expected.length, actual.length); i += 1) this.bindFrom(expected[i], actual[i]);
      return;
    }
    if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
      for (const [k, v] of Object.entries(expected)) this.bindFrom(v, (actual as Record<string, unknown>)[k]);
    }
  }

  /** The target's answer as the recording would have it. */
  normalise(v: unknown, key: string): unknown {
    // A fraction where the recording has whole seconds shows; a time that falls on a whole second does not.
    if (typeof v === 'number' && TIME_KEY.test(key)) return this.wholeSeconds && Number.isInteger(v) ? '<time:s>' : '<time>';
    if (typeof v === 'string') {
      const whole = this.placeholders.get(v);
      if (whole) return whole;
      let out = v;
      for (const [value, placeholder] of [...this.placeholders].sort((a, b) => b[0].length - a[0].length)) {
        if (value.length >= 4 && !placeholder.startsWith('<domain:') && out.includes(value)) out = out.split(value).join(placeholder);
      }
      return out.split(this.prefix).join('<prefix>');
    }
    if (Array.isArray(v)) return v.map((x) => this.normalise(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.normalise(x, k)]));
    return v;
  }
}

function parse(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
