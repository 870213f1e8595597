/**
 * `swf-conformance diff A B`: two run recordings compared test by test and exchange by exchange,
 * as LocalStack's parity snapshots compare an emulator's answers with AWS's. What is compared:
 * the operation and request (a test that sent something else went another way), the status, the
 * fault's code and message, the body's members (added, removed, changed), the event sequences
 * (eventType order; the events' members only where the order agrees) and convergence beyond a
 * tolerance. Every difference names the clauses of the test it was found in.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { header, parseBody, type Har, type HarEntry } from '../contract/recordings.ts';
import { IGNORABLE, type TestDifference } from './difference.ts';
import { expandTexts, RECORDING_KIND, type RecordingHeader, type RecordingPage, type RunRecording, type TextRuns } from './recording.ts';

export interface DiffSide {
  file: string;
  header?: RecordingHeader;
}

export interface DiffResult {
  a: DiffSide;
  b: DiffSide;
  options: { ignore: string[]; toleranceMs: number };
  tests: { compared: number; differing: number; onlyA: number; onlyB: number };
  exchanges: number;
  differences: TestDifference[];
}

export interface DiffOptions {
  ignore?: string[];
  /** Convergence times closer than this are the same (milliseconds). */
  toleranceMs?: number;
}

export class RecordingError extends Error {}

type Entry = HarEntry & { pageref?: string; _convergedMs?: number };
interface Test {
  page: RecordingPage;
  entries: Entry[];
}

/** Reads a run recording, or a HAR of another kind as a single test; throws RecordingError naming what is wrong. */
export function readRecording(file: string): { har: Har; tests: Map<string, Test> } {
  let text: string;
  try {
    const bytes = readFileSync(file);
    // A recording may be gzipped (recording.har.gz): HAR files are often kept so.
    text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (error) {
    throw new RecordingError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let har: Har;
  try {
    har = JSON.parse(text) as Har;
  } catch (error) {
    throw new RecordingError(`${file}: not JSON (${(error as Error).message})`);
  }
  const log = (har as { log?: Partial<RunRecording['log']> } | undefined)?.log;
  if (!log || typeof log !== 'object' || !Array.isArray(log.entries))
    throw new RecordingError(`${file}: not a HAR recording (no log.entries)`);
  for (const [i, e] of log.entries.entries()) {
    if (!e?.request || !e.response || typeof e.response.status !== 'number')
      throw new RecordingError(`${file}: entry ${i + 1} is not a HAR entry (request, response.status)`);
  }
  const texts = (log as { _texts?: Record<string, TextRuns> })._texts;
  if (texts) {
    for (const e of log.entries) {
      if (e.request.postData?.text) e.request.postData.text = expandTexts(e.request.postData.text, texts);
      if (e.response.content?.text) e.response.content.text = expandTexts(e.response.content.text, texts);
    }
  }
  const tests = new Map<string, Test>();
  const pages =
    Array.isArray(log.pages) && log.pages.length
      ? log.pages
      : [{ id: '', title: file, startedDateTime: '', pageTimings: {}, _clauses: [] }];
  for (const page of pages) tests.set(page.title, { page: { ...page, _clauses: page._clauses ?? [] }, entries: [] });
  const byId = new Map(pages.map((p) => [p.id, tests.get(p.title)!]));
  for (const e of log.entries as Entry[]) {
    const test = byId.get(e.pageref ?? '') ?? (pages.length === 1 ? tests.get(pages[0]!.title) : undefined);
    if (!test) throw new RecordingError(`${file}: an entry names page ${e.pageref ?? '(none)'}, which the recording lacks`);
    test.entries.push(e);
  }
  return { har, tests };
}

export function diffRecordings(fileA: string, fileB: string, options: DiffOptions = {}): DiffResult {
  const a = readRecording(fileA);
  const b = readRecording(fileB);
  const ignore = options.ignore ?? [];
  for (const i of ignore)
    if (!Object.hasOwn(IGNORABLE, i)) throw new RecordingError(`--ignore ${i}: not one of ${Object.keys(IGNORABLE).join(', ')}`);
  const ignored = new Set(ignore.flatMap((i) => IGNORABLE[i]!));
  const toleranceMs = options.toleranceMs ?? 1_000;
  const out: TestDifference[] = [];
  let compared = 0;
  let exchanges = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const [name, ta] of a.tests) {
    const tb = b.tests.get(name);
    if (!tb) {
      onlyA += 1;
      out.push({
        test: name,
        clauses: ta.page._clauses,
        kind: 'test-removed',
        at: 'test',
        expected: `${ta.entries.length} exchanges`,
        actual: 'not in B',
      });
      continue;
    }
    compared += 1;
    const clauses = [...new Set([...ta.page._clauses, ...tb.page._clauses])];
    const n = Math.max(ta.entries.length, tb.entries.length);
    for (let i = 0; i < n; i += 1) {
      const ea = ta.entries[i];
      const eb = tb.entries[i];
      const where = { test: name, clauses, exchange: i + 1, operation: (ea ?? eb)!._operation };
      if (!eb) {
        out.push({ ...where, kind: 'exchange-removed', at: 'exchange', expected: summary(ea!), actual: 'not in B' });
        continue;
      }
      if (!ea) {
        out.push({ ...where, kind: 'exchange-added', at: 'exchange', expected: 'not in A', actual: summary(eb) });
        continue;
      }
      exchanges += 1;
      compareExchange(ea, eb, (d) => out.push({ ...where, ...d }), toleranceMs);
    }
  }
  for (const [name, tb] of b.tests) {
    if (a.tests.has(name)) continue;
    onlyB += 1;
    out.push({
      test: name,
      clauses: tb.page._clauses,
      kind: 'test-added',
      at: 'test',
      expected: 'not in A',
      actual: `${tb.entries.length} exchanges`,
    });
  }
  const differences = out.filter((d) => !ignored.has(d.kind));
  const differingTests = new Set(differences.map((d) => d.test));
  return {
    a: side(fileA, a.har),
    b: side(fileB, b.har),
    options: { ignore, toleranceMs },
    tests: { compared, differing: differingTests.size, onlyA, onlyB },
    exchanges,
    differences,
  };
}

function side(file: string, har: Har): DiffSide {
  const h = (har.log as Partial<RunRecording['log']>)._recording;
  return { file, ...(h ? { header: h } : {}) };
}

function summary(e: Entry): string {
  return `${e._operation} → ${e.response.status}`;
}

type Found = Omit<TestDifference, 'test' | 'clauses' | 'exchange' | 'operation'>;

/** Compares two exchanges; a replay, whose requests are the recording's, leaves the requests out. */
export function compareExchange(
  a: Entry,
  b: Entry,
  push: (d: Found) => void,
  toleranceMs: number,
  options: { requests?: boolean } = {},
): void {
  if (a._operation !== b._operation) return push({ kind: 'operation', at: 'operation', expected: a._operation, actual: b._operation });
  const ra = parseBody(a.request.postData?.text);
  const rb = parseBody(b.request.postData?.text);
  if (options.requests !== false && JSON.stringify(ra) !== JSON.stringify(rb)) {
    // The same test sent something else: an earlier answer led it another way.
    push({ kind: 'request', at: 'request', expected: ra, actual: rb });
  }
  if (a.response.status !== b.response.status)
    push({ kind: 'status', at: 'status', expected: a.response.status, actual: b.response.status });
  const ta = header(a.response.headers, 'Content-Type') ?? a.response.content.mimeType;
  const tb = header(b.response.headers, 'Content-Type') ?? b.response.content.mimeType;
  if (ta !== tb) push({ kind: 'header', at: 'headers.content-type', expected: ta, actual: tb });
  const ia = header(a.response.headers, 'x-amzn-RequestId') !== undefined;
  const ib = header(b.response.headers, 'x-amzn-RequestId') !== undefined;
  if (ia !== ib)
    push({ kind: 'header', at: 'headers.x-amzn-requestid', expected: ia ? 'present' : 'absent', actual: ib ? 'present' : 'absent' });
  const ba = parseBody(a.response.content.text);
  const bb = parseBody(b.response.content.text);
  const fa = faultOf(ba);
  const fb = faultOf(bb);
  if (fa || fb) {
    if (fa?.code !== fb?.code) push({ kind: 'fault', at: 'response.__type', expected: fa?.code, actual: fb?.code });
    if (fa?.message !== fb?.message) push({ kind: 'message', at: 'response.message', expected: fa?.message, actual: fb?.message });
  } else {
    members(ba, bb, 'response.$', push);
  }
  const ca = a._convergedMs ?? 0;
  const cb = b._convergedMs ?? 0;
  if (Math.abs(ca - cb) > toleranceMs) push({ kind: 'convergence', at: 'convergence', expected: `${ca} ms`, actual: `${cb} ms` });
}

function members(a: unknown, b: unknown, at: string, push: (d: Found) => void): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (at.endsWith('.events')) {
      const sa = a.map((e) => (e as { eventType?: string }).eventType);
      const sb = b.map((e) => (e as { eventType?: string }).eventType);
      if (JSON.stringify(sa) !== JSON.stringify(sb)) return push({ kind: 'events', at: `${at}[].eventType`, expected: sa, actual: sb });
    }
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      if (i >= a.length) push({ kind: 'member-added', at: `${at}[${i}]`, actual: b[i] });
      else if (i >= b.length) push({ kind: 'member-removed', at: `${at}[${i}]`, expected: a[i] });
      else members(a[i], b[i], `${at}[${i}]`, push);
    }
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) {
      if (!(k in b)) push({ kind: 'member-removed', at: `${at}.${k}`, expected: a[k] });
      else members(a[k], b[k], `${at}.${k}`, push);
    }
    for (const k of Object.keys(b)) if (!(k in a)) push({ kind: 'member-added', at: `${at}.${k}`, actual: b[k] });
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) push({ kind: 'member-changed', at, expected: a, actual: b });
}

const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

function faultOf(body: unknown): { code: string; message?: string } | undefined {
  if (!isObject(body) || typeof body.__type !== 'string') return undefined;
  const message = body.message ?? body.Message;
  return { code: body.__type.slice(body.__type.lastIndexOf('#') + 1), ...(typeof message === 'string' ? { message } : {}) };
}

export const isRunRecording = (har: Har): boolean => (har.log._provenance as { kind?: string } | undefined)?.kind === RECORDING_KIND;
