/**
 * Replays a run recording (`run --record`) against a target: each test's exchanges sent again in
 * order, in a domain and under workflowIds of the replay's own, and each answer normalised as the
 * recording was and compared with the recorded one as `diff` compares two recordings. The ids the
 * target makes bind to the recording's placeholders as its answers come in.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import type { RawClient } from '../clients/raw.ts';
import { parseBody, type HarEntry } from '../contract/recordings.ts';
import { compareExchange, readRecording } from './diff.ts';
import type { TestDifference as Difference } from './difference.ts';
import { TransformContext } from './bindings.ts';

type Entry = HarEntry & { _convergedMs?: number; _principal?: 'unsigned' | 'given-key' | 'restricted'; _overlaps?: number };
type Answer = { status: number; headers: Record<string, string>; text: string };
/** What a request recorded as sent with keys of the test's own is sent with: keys no target knows. */
const UNKNOWN_KEY = { accessKeyId: 'AKIDSWFCONFORMANCEREPLAY', secretAccessKey: 'not-a-real-secret' };

export interface RunReplayResult {
  tests: number;
  exchanges: number;
  differences: Difference[];
  /**
   * Exchanges compared in part: the recorded answer listed executions of other tests that its
   * test never named (a target that ignores a filter answers with the whole run's state), and a
   * replay, one test at a time, does not rebuild that state. Those items are left out on both
   * sides; the test's own are compared.
   */
  partial: { test: string; exchange: number; operation: string; foreign: number }[];
}

export interface RunReplayOptions {
  domain: string;
  /** A new prefix for a test's workflowIds, as long as a run's own (so that an id built to a length with it keeps it). */
  prefix: () => string;
  /** Registers the domains the replay runs in (the second deprecated), their workflow and activity types. */
  prepare: (domains: [string, string]) => Promise<void>;
  /** The restricted principal, for the exchanges recorded as sent by it. */
  restricted?: AwsCredentialIdentity;
  /** Only the tests whose name matches. */
  grep?: RegExp;
  onTest?: (name: string, differences: number) => void;
}

export async function replayRunRecording(file: string, client: RawClient, options: RunReplayOptions): Promise<RunReplayResult> {
  const { tests } = readRecording(file);
  // The recording's timestamp format: the target's is compared with it.
  const wholeSeconds = ![...tests.values()].some((t) => t.entries.some((e) => e.response.content.text?.includes('"<time>"')));
  const deprecated = `${options.domain}-deprecated`;
  await options.prepare([options.domain, deprecated]);
  const differences: Difference[] = [];
  const partial: RunReplayResult['partial'] = [];
  let exchanges = 0;
  let count = 0;
  // Each test in ids of its own; an id another test made is named after it (`<run-id:2@KEY>`),
  // so that test is replayed first, and its bindings are read.
  type Test = ReturnType<typeof readRecording>['tests'] extends Map<string, infer T> ? T : never;
  const registry = new Map<string, TransformContext>();
  const byKey = new Map<string, [string, Test]>();
  for (const [name, t] of tests) if (t.page._key) byKey.set(t.page._key, [name, t]);
  const ordered: [string, Test][] = [];
  const placed = new Set<string>();
  const place = (name: string, t: Test) => {
    if (placed.has(name)) return;
    placed.add(name);
    const text = t.entries.map((e) => `${e.request.postData?.text ?? ''} ${e.response.content.text ?? ''}`).join(' ');
    for (const [, key] of text.matchAll(/<[a-z-]+:\d+@([0-9a-f]{8})>/g)) {
      const owner = byKey.get(key!);
      if (owner) place(...owner);
    }
    ordered.push([name, t]);
  };
  for (const [name, t] of tests) place(name, t);
  for (const [name, test] of ordered) {
    const ids = new TransformContext({ prefix: options.prefix(), wholeSeconds, registry });
    for (const [i, d] of [options.domain, deprecated].entries()) ids.bind(`<domain:${i + 1}>`, d);
    if (test.page._key) registry.set(test.page._key, ids);
    if (options.grep && !options.grep.test(name)) continue;
    count += 1;
    const before = differences.length;
    // The other tests' ids this test names in its requests: an answer's items naming any other are the run's state.
    const named = new Set(test.entries.flatMap((e) => [...(e.request.postData?.text ?? '').matchAll(FOREIGN)].map((m) => m[0])));
    /** Sends a recorded request as it was sent; undefined where the replay cannot. */
    const send = (i: number): Promise<Answer> | undefined => {
      const recorded = test.entries[i]! as Entry;
      const operation = recorded._operation;
      const target =
        recorded.request.headers.find((h) => h.name.toLowerCase() === 'x-amz-target')?.value ?? `SimpleWorkflowService.${operation}`;
      const encoding = recorded.request.headers.find((h) => h.name.toLowerCase() === 'content-encoding')?.value;
      const principal = recorded._principal;
      if (principal === 'restricted' && !options.restricted) {
        differences.push({
          test: name,
          clauses: test.page._clauses,
          exchange: i + 1,
          operation,
          kind: 'not-replayed',
          at: 'request',
          expected: 'sent as the restricted principal',
          actual: 'no restricted principal given to the replay',
        });
        return undefined;
      }
      const sign =
        principal === 'unsigned'
          ? false
          : principal === 'given-key'
            ? UNKNOWN_KEY
            : principal === 'restricted'
              ? options.restricted
              : undefined;
      return client
        .send(
          {
            ...(sign !== undefined ? { sign } : {}),
            operation,
            target,
            headers: {
              'content-type': recorded.request.postData?.mimeType || 'application/x-amz-json-1.0',
              ...(encoding ? { 'content-encoding': encoding } : {}),
            },
            body: ids.fill(recorded.request.postData?.text ?? ''),
          },
          { retries: 0 },
        )
        .catch((error: Error) => ({ status: 0, headers: {} as Record<string, string>, text: '', error: { message: error.message } }));
    };
    /** Compares an answer with the recorded one, binding the ids it brings. */
    const judge = (i: number, res: Answer) => {
      let recorded = test.entries[i]! as Entry;
      const expected = parseBody(recorded.response.content.text, 'none');
      const actual = parseBody(res.text, 'none');
      ids.bindFrom(expected, actual);
      let text = actual === undefined ? res.text : JSON.stringify(ids.normalise(actual, ''));
      const left = { n: 0 };
      const own = expected === undefined ? undefined : withoutForeign(expected, named, left);
      if (left.n > 0) {
        // The recorded answer holds other tests' state: compared without it, on both sides.
        partial.push({ test: name, exchange: i + 1, operation: recorded._operation, foreign: left.n });
        recorded = {
          ...recorded,
          response: { ...recorded.response, content: { ...recorded.response.content, text: JSON.stringify(own) } },
        };
        const mine = parseBody(text, 'none');
        if (mine !== undefined) text = JSON.stringify(withoutForeign(mine, named, { n: 0 }));
      }
      const got: Entry = {
        ...recorded,
        response: {
          ...recorded.response,
          status: res.status,
          headers: res.headers['x-amzn-requestid'] ? [{ name: 'x-amzn-RequestId', value: '<request-id>' }] : [],
          content: { size: text.length, mimeType: res.headers['content-type'] ?? '', ...(text ? { text } : {}) },
        },
      };
      const where = { test: name, clauses: test.page._clauses, exchange: i + 1, operation: recorded._operation };
      compareExchange(recorded, got, (d) => differences.push({ ...where, ...d }), Number.POSITIVE_INFINITY, { requests: false });
    };
    for (let i = 0; i < test.entries.length; i += 1) {
      exchanges += 1;
      const waiting = send(i);
      // A request that waited while the test sent others (a long poll): those are sent before
      // its answer is awaited, as they were. A poll recorded ending with no task ended before they
      // made one (its wait ran out first: the run's timing, on a busy machine): it is awaited
      // first, so that it ends so again.
      const entry = test.entries[i]!;
      const emptyPoll = /^PollFor/.test(entry._operation) && !/"taskToken"/.test(entry.response.content.text ?? '');
      const overlaps = emptyPoll ? 0 : Math.min((entry as Entry)._overlaps ?? 0, test.entries.length - i - 1);
      for (let j = i + 1; j <= i + overlaps; j += 1) {
        exchanges += 1;
        const res = await send(j);
        if (res) judge(j, res);
      }
      if (waiting) judge(i, await waiting);
      i += overlaps;
    }
    options.onTest?.(name, differences.length - before);
  }
  // Nothing is left open: every workflowId the replayed tests made is terminated, once all have
  // run (a test may read what an earlier one made).
  for (const ids of registry.values())
    for (const [, workflowId] of ids.of('workflow-id')) {
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
  return { tests: count, exchanges, differences, partial };
}

/** A placeholder of an id another test made. */
const FOREIGN = /<[a-z-]+:\d+@[0-9a-f]{8}>/g;

/**
 * An answer without the executions it lists that are not the test's: those whose workflowId is
 * neither the test's own (`<workflow-id:n>`) nor another test's that the test's requests name.
 * Counts what it leaves out.
 */
function withoutForeign(v: unknown, named: ReadonlySet<string>, left: { n: number }): unknown {
  if (Array.isArray(v))
    return v
      .filter((item) => {
        const workflowId = (item as { execution?: { workflowId?: unknown } } | null)?.execution?.workflowId;
        if (typeof workflowId !== 'string' || /^<workflow-id:\d+>$/.test(workflowId) || named.has(workflowId)) return true;
        left.n += 1;
        return false;
      })
      .map((item) => withoutForeign(item, named, left));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutForeign(x, named, left)]));
  return v;
}
