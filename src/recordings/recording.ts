/**
 * A run's recording (`run --record`): every exchange of every battery test, in the HAR format of
 * fixtures/recordings/ (contract/recordings.ts), one HAR page per test. What changes from one run
 * to the next is normalised away, so that two runs against the same implementation record the
 * same file and a diff shows only what the implementation did differently:
 *
 * - ids become placeholders numbered by first appearance within the test that made them: the
 *   workflowIds the
 *   run made (`<workflow-id:N>`, task lists included, as the battery names a task list after its
 *   workflowId), the runIds and task tokens the target made (`<run-id:N>`, `<task-token:N>`), the
 *   run's domains (`<domain:N>`) and request ids (`<request-id:1>`), wherever they appear,
 *   messages included. A request's runId cut short from a known one reads `<run-id:N>` with the
 *   characters it lacks counted (`<run-id:N>-1`);
 * - timestamps become `<time>` (epoch seconds with a fraction) or `<time:s>` (whole seconds: every
 *   timestamp of the recording is), which
 *   keeps their format; their order is the order of the events and answers that carry them;
 * - an eventually consistent read retried until it settled keeps only the answer it was judged
 *   on, with how long it took (`_convergedMs`, rounded to CONVERGENCE_STEP_MS, left out under it);
 * - a request that waited while the test sent others (a long poll a request's effect answers)
 *   says how many (`_overlaps`): a replay sends those before it awaits its answer;
 * - a text longer than LONG_TEXT characters (the boundary tests' reasons and details) is kept
 *   once, in `log._texts`, as runs of repeated characters, and named `<text:N>` where it appears;
 * - headers are kept only where the contract speaks of them: Content-Type (as the HAR mimeType),
 *   X-Amz-Target (where it is not the operation's), Content-Encoding (with Content-Type, the
 *   older form of request), x-amzn-RequestId (a placeholder, so that distinct ids stay distinct).
 *   Credentials and signatures are never written: a request not sent as the run's own principal
 *   says who it was sent as (`_principal`: unsigned, given-key, restricted);
 * - a request keeps what the test chose: a time filter's bound, a runId of its own making (a
 *   malformed one, one at a bound), a workflowId built to a length from the prefix (`<prefix>`
 *   and the rest), so that a replay sends it again;
 * - the harness's registrations of the suite's domains and types (answered 200 or "already
 *   exists", in whichever test first needed them) are left out: a replay makes them first.
 */
import { parseBody, type Har, type HarEntry } from '../contract/recordings.ts';
import { createHash } from 'node:crypto';
import { isTimeMember } from '../contract/timestamps.ts';
import type { Principal } from '../clients/raw.ts';
import type { CapturedExchange, CapturedTest } from './capture.ts';
import { normalise, replaceIds } from './bindings.ts';

export const RECORDING_KIND = 'run-recording';
/** Convergence is kept to this step: finer differences are the machine's, not the implementation's. */
export const CONVERGENCE_STEP_MS = 500;
const RUN_ID_KEY = /^(runId|newExecutionRunId)$/;
/** The random part scenario.id gives each workflowId: eight hex digits after a dash (a boundary pads after it). */
const RANDOM_PART = /-[0-9a-f]{8}/i;
const LONG_TEXT = 256;

/** A text as runs of one repeated code point, or stretches of text that does not repeat: [text, times]. */
export type TextRuns = [string, number][];

/** The long texts of a recording, each kept once. */
class Texts {
  readonly table: Record<string, TextRuns> = {};
  /**
   * The format of the recording's timestamps, from all of them: a time that falls on a whole
   * second prints without a fraction, which is the value's chance, not the target's format.
   */
  wholeSeconds = true;
  private readonly byText = new Map<string, string>();

  ref(text: string): string {
    let placeholder = this.byText.get(text);
    if (!placeholder) {
      placeholder = `<text:${this.byText.size + 1}>`;
      this.byText.set(text, placeholder);
      this.table[placeholder] = runsOf(text);
    }
    return placeholder;
  }
}

function runsOf(text: string): TextRuns {
  const runs: TextRuns = [];
  const chars = [...text];
  let plain = '';
  for (let i = 0; i < chars.length; ) {
    let j = i + 1;
    while (j < chars.length && chars[j] === chars[i]) j += 1;
    if (j - i >= 8) {
      if (plain) runs.push([plain, 1]);
      plain = '';
      runs.push([chars[i]!, j - i]);
    } else {
      plain += chars.slice(i, j).join('');
    }
    i = j;
  }
  if (plain) runs.push([plain, 1]);
  return runs;
}

/** The texts of a recording's `log._texts`, put back where `<text:N>` names them in a body. */
export function expandTexts(body: string, table: Record<string, TextRuns> | undefined): string {
  if (!table) return body;
  return body.replace(/"<text:\d+>"/g, (whole) => {
    const runs = table[whole.slice(1, -1)];
    return runs ? JSON.stringify(runs.map(([t, n]) => t.repeat(n)).join('')) : whole;
  });
}

export interface RecordingHeader {
  /** The endpoint's host, or "embedded reference". */
  target: string;
  region: string;
  suiteVersion: string;
  /** The day of the run, YYYY-MM-DD: two recordings of one day by the same suite are the same file. */
  date: string;
  /** The selection the run was made with (`--grep`, `--clause`, `--tags`), or "the whole battery". */
  selection: string;
}

/** A page (one test) of a run recording. */
export interface RecordingPage {
  id: string;
  title: string;
  startedDateTime: string;
  pageTimings: Record<string, never>;
  /** The clauses the test cites. */
  _clauses: string[];
  /** The test's key (testKey): what another test's placeholders name it by (`<run-id:2@KEY>`). */
  _key?: string;
}

export interface RunRecording extends Har {
  log: Har['log'] & {
    pages: RecordingPage[];
    entries: (HarEntry & { pageref: string; _convergedMs?: number; _principal?: Principal; _overlaps?: number })[];
    _recording: RecordingHeader;
    _texts: Record<string, TextRuns>;
  };
}

/** What the normaliser must recognise as the run's own: its prefix and domains. */
export interface RunIdentity {
  runPrefix: string;
  domains: string[];
}

export function buildRecording(tests: CapturedTest[], header: RecordingHeader, identity: RunIdentity): RunRecording {
  const sorted = [...tests].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const day = `${header.date}T00:00:00.000Z`;
  const pages: RecordingPage[] = [];
  const entries: RunRecording['log']['entries'] = [];
  const texts = new Texts();
  texts.wholeSeconds = !sorted.some((t) => t.exchanges.some((e) => 'status' in e.response && hasFractionalTime(bodiesOf(e).response, '')));
  // The runIds the target made, in any test's answers: a request that names one the test did not
  // see itself names another test's run (a placeholder); any other runId is the test's own value.
  const made = new Set<string>();
  for (const t of sorted) for (const e of t.exchanges) if ('status' in e.response) collectRunIds(bodiesOf(e).response, '', made);
  // Ids a test did not make but read (tests of one file may share executions: an outcome one test
  // plays, the others read) are named by the test that made them: the one whose exchange, sent
  // first in their worker, names them. Each test numbers only the ids it made.
  // The test that made an id is the one whose exchange created it (a start's workflowId and its
  // runId, a decision's child, a poll's task token), whatever else was sent first; a runId goes with
  // its workflowId. Only an id no exchange created goes to the test that named it first.
  const owners = new Map<string, { test: CapturedTest; sent: number; created: boolean }>();
  const pairs = new Map<string, string>();
  for (const t of sorted)
    for (const e of t.exchanges) {
      const sent = e.sent ?? 0;
      const { named, created } = idsIn(e, identity, pairs);
      for (const value of named) {
        const made = created.has(value);
        const owner = owners.get(value);
        if (!owner || (made && !owner.created) || (made === owner.created && sent < owner.sent))
          owners.set(value, { test: t, sent, created: made });
      }
    }
  for (const [runId, workflowId] of pairs) {
    const owner = owners.get(workflowId);
    if (owner?.created && !owners.get(runId)?.created) owners.set(runId, owner);
  }
  const idsOf = new Map<CapturedTest, Ids>();
  for (const t of sorted) {
    const ids = new Ids(identity, texts, made, (value) => {
      const owner = owners.get(value)?.test;
      return owner && owner !== t ? owner : undefined;
    });
    collectTest(t.exchanges, ids);
    idsOf.set(t, ids);
  }
  for (const [t, ids] of idsOf) ids.resolveForeign((owner, value) => idsOf.get(owner as CapturedTest)?.placeholder(value), testKey, t);
  sorted.forEach((test, i) => {
    const id = `test_${i + 1}`;
    pages.push({ id, title: test.name, startedDateTime: day, pageTimings: {}, _clauses: test.clauses, _key: testKey(test) });
    for (const entry of renderTest(test.exchanges, idsOf.get(test)!)) entries.push({ ...entry, startedDateTime: day, pageref: id });
  });
  return {
    log: {
      version: '1.2',
      creator: { name: 'swf-conformance', version: header.suiteVersion, comment: 'swf-conformance run --record' },
      comment: `A run of the battery against ${header.target} (${header.region}), ${header.date}: ${header.selection}.`,
      _provenance: {
        repository: 'swf-conformance',
        path: 'run --record',
        recorded: header.date,
        region: header.region,
        client: `swf-conformance ${header.suiteVersion}`,
        kind: RECORDING_KIND as never,
      },
      _placeholders: {},
      _recording: header,
      _texts: texts.table,
      pages,
      entries,
    },
  } as RunRecording;
}

type Json = unknown;

/** The exchanges a recording keeps of a test, parsed. */
function keptOf(exchanges: CapturedExchange[]) {
  return exchanges.filter((e) => !isSetUp(e)).map((e) => ({ e, ...bodiesOf(e) }));
}

/** Finds a test's ids in order of first appearance: each request, then its answer. */
function collectTest(exchanges: CapturedExchange[], ids: Ids): void {
  for (const p of keptOf(exchanges)) {
    ids.collect(p.request, false);
    ids.collect(p.response, true);
    if ('status' in p.e.response) {
      const requestId = headerOf(p.e.response.headers, 'x-amzn-requestid');
      if (requestId) ids.add(requestId, 'request-id');
    }
  }
}

/** One test's exchanges, normalised (see the file's comment), its ids collected. */
function renderTest(
  exchanges: CapturedExchange[],
  ids: Ids,
): (Omit<HarEntry, 'startedDateTime'> & { _convergedMs?: number; _principal?: Principal; _overlaps?: number })[] {
  const parsed = keptOf(exchanges);
  return parsed.map(({ e, request, response }) => {
    const operation = /\.(\w+)$/.exec(headerOf(e.request.headers, 'x-amz-target') ?? '')?.[1] ?? '(no target)';
    const requestText = ids.text(request, e.request.body, false);
    // The target is kept as a header only when it is not SimpleWorkflowService.<_operation> (the
    // tests of malformed targets); Content-Type is postData.mimeType.
    const target = headerOf(e.request.headers, 'x-amz-target');
    // Content-Encoding too where it was sent: with Content-Type it makes the older form of request.
    const encoding = headerOf(e.request.headers, 'content-encoding');
    const requestHeaders = [
      ...(target !== undefined && target !== `SimpleWorkflowService.${operation}` ? [{ name: 'X-Amz-Target', value: target }] : []),
      ...(encoding ? [{ name: 'Content-Encoding', value: encoding }] : []),
    ];
    const entry: Omit<HarEntry, 'startedDateTime'> & { _convergedMs?: number; _principal?: Principal; _overlaps?: number } = {
      time: 0,
      request: {
        method: e.request.method,
        url: '/',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: requestHeaders,
        queryString: [],
        postData: { mimeType: headerOf(e.request.headers, 'content-type') ?? '', text: requestText },
        headersSize: -1,
        bodySize: Buffer.byteLength(requestText),
      },
      response:
        'status' in e.response
          ? responseOf(e.response, response, ids)
          : {
              // No answer: the request failed on the way (a reset, a timeout).
              status: 0,
              statusText: e.response.error,
              httpVersion: 'HTTP/1.1',
              cookies: [],
              headers: [],
              content: { size: 0, mimeType: '' },
              redirectURL: '',
              headersSize: -1,
              bodySize: -1,
            },
      cache: {},
      timings: { send: 0, wait: 0, receive: 0 },
      _operation: operation,
    };
    const converged = e.convergedMs === undefined ? 0 : Math.round(e.convergedMs / CONVERGENCE_STEP_MS) * CONVERGENCE_STEP_MS;
    if (converged > 0) entry._convergedMs = converged;
    if (e.principal) entry._principal = e.principal;
    if (e.overlaps) entry._overlaps = e.overlaps;
    return entry;
  });
}

function responseOf(res: { status: number; headers: Record<string, string>; body: string }, body: Json, ids: Ids): HarEntry['response'] {
  const text = ids.text(body, res.body, true);
  const type = headerOf(res.headers, 'content-type');
  const requestId = headerOf(res.headers, 'x-amzn-requestid');
  // Content-Type is content.mimeType.
  const headers = [...(requestId ? [{ name: 'x-amzn-RequestId', value: ids.placeholder(requestId) ?? '<request-id:1>' }] : [])];
  return {
    status: res.status,
    statusText: '',
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers,
    content: { size: Buffer.byteLength(text), mimeType: type ?? '', ...(text ? { text } : {}) },
    redirectURL: '',
    headersSize: -1,
    bodySize: Buffer.byteLength(text),
  };
}

/** The ids of one test, and their placeholders. */
class Ids {
  private readonly byValue = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  /** Known values, longest first, for replacing inside longer strings (messages). */
  private ordered: [string, string][] = [];

  /** Ids another test made, with their kind: named after that test once every test is collected. */
  private readonly foreign = new Map<string, { kind: string; owner: unknown }>();

  constructor(
    private readonly identity: RunIdentity,
    private readonly texts: Texts,
    private readonly made: ReadonlySet<string> = new Set(),
    /** The test that made an id, where it is another than this one. */
    private readonly ownerOf: (value: string) => unknown = () => undefined,
  ) {
    for (const d of identity.domains) this.add(d, 'domain');
  }

  add(value: string, kind: string): void {
    if (!value || this.byValue.has(value) || this.foreign.has(value)) return;
    const owner = kind === 'domain' || kind === 'request-id' ? undefined : this.ownerOf(value);
    if (owner) {
      this.foreign.set(value, { kind, owner });
      return;
    }
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    this.byValue.set(value, `<${kind}:${n}>`);
    this.ordered = [...this.byValue].sort((a, b) => b[0].length - a[0].length);
  }

  private alias(value: string, placeholder: string): void {
    this.byValue.set(value, placeholder);
    this.ordered = [...this.byValue].sort((a, b) => b[0].length - a[0].length);
  }

  placeholder(value: string): string | undefined {
    return this.byValue.get(value);
  }

  /**
   * Names each id another test made after that test: `<run-id:2@KEY>`, its placeholder there and
   * the test's key (testKey). One the owner did not number is numbered here.
   */
  resolveForeign(
    placeholderIn: (owner: unknown, value: string) => string | undefined,
    keyOf: (owner: CapturedTest) => string,
    self: unknown,
  ): void {
    for (const [value, { kind, owner }] of this.foreign) {
      const there = owner !== self ? placeholderIn(owner, value) : undefined;
      if (there && !there.includes('@') && /^<[a-z-]+:\d+>$/.test(there))
        this.alias(value, `${there.slice(0, -1)}@${keyOf(owner as CapturedTest)}>`);
      else {
        const n = (this.counts.get(kind) ?? 0) + 1;
        this.counts.set(kind, n);
        this.alias(value, `<${kind}:${n}>`);
      }
    }
    this.foreign.clear();
  }

  /** Finds the ids in a body: runIds and task tokens in answers, the run's workflowIds anywhere. */
  collect(body: Json, answer: boolean, key = ''): void {
    if (typeof body === 'string') {
      if (!answer && RUN_ID_KEY.test(key) && !this.byValue.has(body)) {
        // A runId the test cut short from one it knows, or one it had from another test.
        const cut = this.ordered.find(
          ([known, p]) => body.length >= 8 && known.length > body.length && known.startsWith(body) && p.startsWith('<run-id:'),
        );
        if (cut) this.alias(body, `${cut[1]}-${cut[0].length - body.length}`);
        // Another test's run: a placeholder. A runId of the test's own making (a bound, a
        // malformed one) is kept as sent, its length and characters with it, so that a replay
        // sends it again.
        else if (this.made.has(body)) this.add(body, 'run-id');
      } else if (answer && RUN_ID_KEY.test(key)) this.add(body, 'run-id');
      else if (answer && key === 'taskToken') this.add(body, 'task-token');
      // A workflowId the run made: a placeholder where it holds a random part (scenario.id); one
      // built to a length from the prefix (a boundary) stays as `<prefix>` and the rest, its
      // length and characters kept.
      else if (
        body.startsWith(this.identity.runPrefix) &&
        (key === 'workflowId' || key === 'name') &&
        RANDOM_PART.test(body.slice(this.identity.runPrefix.length))
      )
        this.add(body, 'workflow-id');
      return;
    }
    if (Array.isArray(body)) {
      for (const v of body) this.collect(v, answer, key);
      return;
    }
    if (body && typeof body === 'object') for (const [k, v] of Object.entries(body)) this.collect(v, answer, k);
  }

  /** The body as text, normalised; a body that is not JSON is normalised as text. */
  text(body: Json, raw: string, answer: boolean): string {
    if (body === undefined) return this.replace(raw);
    return JSON.stringify(this.value(body, '', answer));
  }

  private value(v: Json, key: string, answer: boolean): Json {
    return normalise(v, key, {
      // An answer's time is the target's clock; a request's (a filter's bound) is the test's own, sent again as it is.
      time: () => (answer ? (this.texts.wholeSeconds ? '<time:s>' : '<time>') : undefined),
      whole: (s) => this.byValue.get(s),
      inside: (s) => {
        const replaced = this.replace(s);
        return replaced.length > LONG_TEXT ? this.texts.ref(replaced) : replaced;
      },
    });
  }

  /** Every known id inside a string (a message naming a run), then the run's prefix, replaced. */
  private replace(s: string): string {
    const out = s;
    return replaceIds(out, this.ordered).split(this.identity.runPrefix).join('<prefix>');
  }
}

/** The registrations of the suite's own domains and types. */
const SET_UP = new Set(['RegisterDomain', 'RegisterWorkflowType', 'RegisterActivityType']);
const ALREADY = new Set(['DomainAlreadyExistsFault', 'TypeAlreadyExistsFault']);

/**
 * A set-up call: a registration the harness makes wherever a test first needs it, answered 200 or
 * "already exists" (which test makes it depends on how the run's tests were scheduled). It is not
 * recorded; a replay makes the same registrations before it begins.
 */
function isSetUp(e: CapturedExchange): boolean {
  const operation = /\.(\w+)$/.exec(headerOf(e.request.headers, 'x-amz-target') ?? '')?.[1] ?? '';
  if (!SET_UP.has(operation) || !('status' in e.response)) return false;
  if (e.response.status === 200) return true;
  const type = (bodiesOf(e).response as { __type?: string } | undefined)?.__type ?? '';
  return ALREADY.has(type.slice(type.lastIndexOf('#') + 1));
}

/** A test's key: the first eight hex digits of its name's SHA-1, the same in every recording. */
export const testKey = (test: { name: string }): string => createHash('sha1').update(test.name).digest('hex').slice(0, 8);

/** The ids an exchange names that a test may share with another: runIds, task tokens, the run's workflowIds. */
function idsIn(e: CapturedExchange, identity: RunIdentity, pairs: Map<string, string>): { named: string[]; created: Set<string> } {
  const named: string[] = [];
  const created = new Set<string>();
  const runs = (v: string) => v.startsWith(identity.runPrefix) && RANDOM_PART.test(v.slice(identity.runPrefix.length));
  const walk = (v: Json, key: string) => {
    if (typeof v === 'string') {
      if (RUN_ID_KEY.test(key) || key === 'taskToken') named.push(v);
      else if ((key === 'workflowId' || key === 'name') && runs(v)) named.push(v);
    } else if (Array.isArray(v)) for (const x of v) walk(x, key);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.workflowId === 'string' && typeof o.runId === 'string') pairs.set(o.runId, o.workflowId);
      for (const [k, x] of Object.entries(o)) walk(x, k);
    }
  };
  const operation = /\.(\w+)$/.exec(headerOf(e.request.headers, 'x-amz-target') ?? '')?.[1] ?? '';
  const bodies = bodiesOf(e);
  const request = bodies.request as Record<string, unknown> | undefined;
  const answer = bodies.response as Record<string, unknown> | undefined;
  walk(request, '');
  walk(answer, '');
  // What the exchange created: a started run (its workflowId and runId), the children a decision
  // starts, the task a poll hands out.
  if (operation === 'StartWorkflowExecution' && typeof request?.workflowId === 'string') {
    created.add(request.workflowId);
    if (typeof answer?.runId === 'string') {
      created.add(answer.runId);
      pairs.set(answer.runId, request.workflowId);
    }
  }
  if (operation === 'RespondDecisionTaskCompleted')
    for (const d of (request?.decisions ?? []) as Record<string, Record<string, unknown> | undefined>[]) {
      const child = d.startChildWorkflowExecutionDecisionAttributes?.workflowId;
      if (typeof child === 'string') created.add(child);
    }
  if (typeof answer?.taskToken === 'string') created.add(answer.taskToken);
  return { named, created };
}

/** Whether an answer holds a time with a fraction of a second. */
function hasFractionalTime(v: Json, key: string): boolean {
  if (typeof v === 'number') return isTimeMember(key) && !Number.isInteger(v);
  if (Array.isArray(v)) return v.some((x) => hasFractionalTime(x, key));
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => hasFractionalTime(x, k));
  return false;
}

/** The runIds an answer names. */
function collectRunIds(v: Json, key: string, into: Set<string>): void {
  if (typeof v === 'string' && RUN_ID_KEY.test(key)) into.add(v);
  else if (Array.isArray(v)) for (const x of v) collectRunIds(x, key, into);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collectRunIds(x, k, into);
}

/** A body's JSON, or nothing where it is not JSON: such a body is normalised as text (Ids.text). */
const parse = (text: string): Json => parseBody(text, 'none');

/** Each exchange's bodies, parsed once: building a recording reads them five times over. Read only. */
const parsedBodies = new WeakMap<CapturedExchange, { request: Json; response: Json }>();
function bodiesOf(e: CapturedExchange): { request: Json; response: Json } {
  let bodies = parsedBodies.get(e);
  if (!bodies) {
    bodies = { request: parse(e.request.body), response: 'status' in e.response ? parse(e.response.body) : undefined };
    parsedBodies.set(e, bodies);
  }
  return bodies;
}

function headerOf(headers: Record<string, string> | { name: string; value: string }[], name: string): string | undefined {
  const lower = name.toLowerCase();
  if (Array.isArray(headers)) return headers.find((h) => h.name.toLowerCase() === lower)?.value;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * The recordings of a run's shards as one: their tests (pages) together in name order, each
 * test's exchanges as its shard recorded them, the long texts kept once again. `read` gives a
 * recording with its long texts put back (diff.ts readRecording).
 */
export function mergeRecordings(recordings: RunRecording[], header: RecordingHeader): RunRecording {
  const texts = new Texts();
  texts.wholeSeconds = recordings.every((r) => !JSON.stringify(r.log.entries).includes('"<time>"'));
  const tests = new Map<string, { page: RecordingPage; entries: RunRecording['log']['entries'] }>();
  for (const r of recordings) {
    const byId = new Map(r.log.pages.map((p) => [p.id, p]));
    for (const p of r.log.pages) tests.set(p.title, { page: p, entries: [] });
    for (const e of r.log.entries) tests.get(byId.get(e.pageref)!.title)!.entries.push(e);
  }
  const pages: RecordingPage[] = [];
  const entries: RunRecording['log']['entries'] = [];
  [...tests.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .forEach((title, i) => {
      const { page, entries: own } = tests.get(title)!;
      const id = `test_${i + 1}`;
      pages.push({ ...page, id });
      for (const e of own) {
        const shorten = (text: string | undefined) => {
          if (!text) return text;
          try {
            return JSON.stringify(shortened(JSON.parse(text), texts));
          } catch {
            return text;
          }
        };
        const request = e.request.postData
          ? { ...e.request, postData: { ...e.request.postData, text: shorten(e.request.postData.text) ?? '' } }
          : e.request;
        const text = shorten(e.response.content.text);
        entries.push({
          ...e,
          pageref: id,
          request,
          response: { ...e.response, content: { ...e.response.content, ...(text !== undefined ? { text } : {}) } },
        });
      }
    });
  const base = recordings[0]!;
  return { log: { ...base.log, _recording: header, _texts: texts.table, pages, entries } };
}

function shortened(v: unknown, texts: Texts): unknown {
  if (typeof v === 'string') return v.length > LONG_TEXT ? texts.ref(v) : v;
  if (Array.isArray(v)) return v.map((x) => shortened(x, texts));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shortened(x, texts)]));
  return v;
}
