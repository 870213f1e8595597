/**
 * Transcribes a vcrpy cassette of real SWF traffic into the project's recording format (HAR 1.2,
 * src/contract/recordings.ts), substituting ids with placeholders and keeping their values:
 *
 *   npx tsx scripts/transcribe-vcr.ts CASSETTE.yaml --repository OWNER/NAME --path PATH --commit SHA \
 *     --out fixtures/recordings/aws/NAME.har [--comment TEXT] [--notes TEXT]
 *
 * `transcribeVcr` does the same for scripts/rebuild-recordings.ts, which rebuilds every HAR of the
 * corpus from the source kept in fixtures/recordings/sources/.
 *
 * Kept of each exchange: the operation, the request's X-Amz-Target, Content-Type, Content-Encoding
 * and X-Amz-Date, its body; the status, the answer's Content-Type, Content-Length and
 * x-amzn-RequestId, its body. Bodies are kept as text, as recorded (numbers in exponent form
 * included); only ids are replaced: the domain, workflowIds, runIds, task list names, request ids
 * and task tokens, each by a `<kind:n>` placeholder found by the member that holds it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, type Tags } from 'yaml';
import type { Har, HarEntry, HarHeader } from '../src/contract/recordings.ts';
import { operationOfTarget } from '../src/contract/protocol.ts';

// vcrpy under Python 2 tags strings !!python/unicode; they are plain strings.
const pythonUnicode: Tags[number] = { tag: 'tag:yaml.org,2002:python/unicode', resolve: (s: string) => s };
interface Interaction {
  request: { body: string | null; headers: Record<string, string[]>; method: string; uri: string };
  response: { body: { string: string }; headers: Record<string, string[]>; status: { code: number; message: string } };
}
export interface VcrSource {
  repository: string;
  path: string;
  commit: string;
  comment?: string;
  notes?: string;
  /** The client, where the cassette keeps no User-Agent. */
  client?: string;
  /** The other files of the same session, merged with the first (their paths in the repository). */
  alsoFrom?: string[];
  /**
   * The scene: the workflowIds (as recorded) whose exchanges the recording keeps, their children's
   * included, with the exchanges about no run (registrations). Unset: every exchange.
   */
  workflows?: string[];
  /** Why its histories cannot be replayed step by step: kept in the provenance. */
  interleaved?: string;
}

const pick = (headers: Record<string, string[]>, name: string) =>
  Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1]?.[0];

const parsed = (text: string | null | undefined): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

type Json = Record<string, unknown>;

/**
 * What the answers of a session show: each run's events (from the histories the decision tasks
 * handed out), each task token's run and started event, each run's workflowId and its parent's,
 * and so the run each exchange is about (its answer's, or its task token's).
 */
function sessionIndex(interactions: Interaction[]) {
  const events = new Map<string, Map<number, Json>>();
  const tasks = new Map<string, { runId: string; startedEventId: number }>();
  const workflowIds = new Map<string, string>();
  const parents = new Map<string, string>();
  for (const { response } of interactions) {
    const answer = parsed(response.body.string) as Json | undefined;
    const run = answer?.workflowExecution as { workflowId: string; runId: string } | undefined;
    if (!answer || !run?.runId) continue;
    workflowIds.set(run.runId, run.workflowId);
    const byId = events.get(run.runId) ?? new Map<number, Json>();
    events.set(run.runId, byId);
    for (const e of (answer.events ?? []) as Json[]) {
      byId.set(e.eventId as number, e);
      const parent = (e.workflowExecutionStartedEventAttributes as Json | undefined)?.parentWorkflowExecution as Json | undefined;
      if (parent) parents.set(run.workflowId, parent.workflowId as string);
    }
    if (typeof answer.taskToken === 'string')
      tasks.set(answer.taskToken, { runId: run.runId, startedEventId: answer.startedEventId as number });
  }
  const runOf = ({ request, response }: Interaction): string | undefined => {
    const body = (parsed(request.body) ?? {}) as Json;
    const answer = (parsed(response.body.string) ?? {}) as Json;
    return (
      ((answer.workflowExecution as Json | undefined)?.runId as string | undefined) ??
      (typeof body.taskToken === 'string' ? tasks.get(body.taskToken)?.runId : undefined)
    );
  };
  /** Whether an exchange is about one of these workflows or a child of one (an exchange about no run is about all). */
  const about = (interaction: Interaction, workflows: ReadonlySet<string>): boolean => {
    const runId = runOf(interaction);
    for (let w = runId && workflowIds.get(runId); w; w = parents.get(w)) if (workflows.has(w)) return true;
    return !runId;
  };
  return { events, tasks, runOf, about };
}

/**
 * The cassettes of one session (a decider's and its activity worker's, recorded apart, with no
 * request dates) as one list in the order of the events each exchange made: a poll's time is its
 * task's started event, an answer's the event that recorded it (DecisionTaskCompleted, the
 * activity's close), read from the histories the polls handed out. An exchange that made no
 * event it can be found by (a registration, a further page, a heartbeat) takes the time just
 * after the exchange before it in its own cassette, or just before the one after it.
 */
function inEventOrder(cassettes: Interaction[][]): { interaction: Interaction; at: number }[] {
  const { events, tasks, runOf } = sessionIndex(cassettes.flat());
  const stamp = (runId: string, find: (e: Json) => boolean): number | undefined => {
    for (const e of events.get(runId)?.values() ?? []) if (find(e)) return e.eventTimestamp as number;
    return undefined;
  };
  const attributes = (e: Json) =>
    (e[`${String(e.eventType)[0]!.toLowerCase()}${String(e.eventType).slice(1)}EventAttributes`] ?? {}) as Json;
  const timeOf = ({ request, response }: Interaction): number | undefined => {
    const operation = operationOfTarget(pick(request.headers, 'X-Amz-Target') ?? '');
    const body = (parsed(request.body) ?? {}) as Json;
    const answer = (parsed(response.body.string) ?? {}) as Json;
    if ((operation === 'PollForDecisionTask' || operation === 'PollForActivityTask') && !body.nextPageToken) {
      const runId = (answer.workflowExecution as Json | undefined)?.runId as string | undefined;
      return runId ? stamp(runId, (e) => e.eventId === answer.startedEventId) : undefined;
    }
    const task = typeof body.taskToken === 'string' ? tasks.get(body.taskToken) : undefined;
    if (!task) return undefined;
    if (operation === 'RespondDecisionTaskCompleted')
      return stamp(task.runId, (e) => e.eventType === 'DecisionTaskCompleted' && attributes(e).startedEventId === task.startedEventId);
    if (operation?.startsWith('RespondActivityTask')) {
      const started = events.get(task.runId)?.get(task.startedEventId);
      const scheduled = started && attributes(started).scheduledEventId;
      return stamp(
        task.runId,
        (e) => /^ActivityTask(Completed|Failed|Canceled)$/.test(String(e.eventType)) && attributes(e).scheduledEventId === scheduled,
      );
    }
    return undefined;
  };
  const EPSILON = 0.001;
  const timed = cassettes.map((list, c) => {
    const known = list.map(timeOf);
    const at: number[] = [];
    let previous: number | undefined;
    for (const [i, t] of known.entries()) {
      const next = known.slice(i + 1).findIndex((x) => x !== undefined);
      const fallback = previous !== undefined ? previous + EPSILON : next >= 0 ? (known[i + 1 + next] as number) - EPSILON * (next + 1) : 0;
      previous = t !== undefined && (previous === undefined || t > previous) ? t : fallback;
      at.push(previous);
    }
    return list.map((interaction, i) => ({ interaction, at: at[i]!, c, i, known: known[i] !== undefined, run: runOf(interaction) }));
  });
  // An exchange not found by its event but about a known run (a worker's task of a run whose
  // later history was not handed out) comes after the other cassettes' exchanges about that run:
  // after the decision that scheduled its task.
  for (const [c, list] of timed.entries()) {
    let previous: number | undefined;
    for (const x of list) {
      if (!x.known && x.run)
        for (const [d, other] of timed.entries())
          if (d !== c) for (const y of other) if (y.run === x.run && y.at + EPSILON > x.at) x.at = y.at + EPSILON;
      if (previous !== undefined && x.at <= previous) x.at = previous + EPSILON;
      previous = x.at;
    }
  }
  return timed.flat().sort((x, y) => x.at - y.at || x.c - y.c || x.i - y.i);
}

/**
 * A vcrpy cassette's text as a recording of the corpus; several cassettes of one session are
 * merged in the order of their events (`inEventOrder`), each exchange dated by its event.
 */
export function transcribeVcr(cassette: string | string[], source: VcrSource): Har {
  const texts = Array.isArray(cassette) ? cassette : [cassette];
  const lists = texts.map((text) => (parse(text, { customTags: [pythonUnicode] }) as { interactions: Interaction[] }).interactions);
  const all: { interaction: Interaction; at: number | undefined }[] =
    lists.length > 1 ? inEventOrder(lists) : lists[0]!.map((interaction) => ({ interaction, at: undefined }));
  const scene = source.workflows && new Set(source.workflows);
  const { about } = sessionIndex(all.map((m) => m.interaction));
  const merged = scene ? all.filter((m) => about(m.interaction, scene)) : all;
  const doc = { interactions: merged.map((m) => m.interaction) };
  const times = merged.map((m) => m.at);

  /** Placeholders by kind: recorded value → `<kind:n>`. */
  const placeholders = new Map<string, string>();
  const counts: Record<string, number> = {};
  function placeholder(kind: string, value: string): string {
    const key = `${kind}\u0000${value}`;
    let p = placeholders.get(key);
    if (!p) {
      counts[kind] = (counts[kind] ?? 0) + 1;
      p = `<${kind}:${counts[kind]}>`;
      placeholders.set(key, p);
    }
    return p;
  }

  /** The members that hold ids, and the kind of each. */
  const ID_MEMBERS: Record<string, string> = {
    domain: 'domain',
    workflowId: 'workflow-id',
    runId: 'run-id',
    newExecutionRunId: 'run-id',
    continuedExecutionRunId: 'run-id',
    taskToken: 'task-token',
    nextPageToken: 'page-token',
  };

  /** Finds the ids in a parsed body. */
  function collect(value: unknown, parentKey?: string): void {
    if (Array.isArray(value)) {
      for (const v of value) collect(v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && ID_MEMBERS[k]) placeholder(ID_MEMBERS[k], v);
      // A run's task list; a type's default task list is the type's, and is kept.
      else if (k === 'name' && typeof v === 'string' && parentKey === 'taskList') placeholder('task-list', v);
      else collect(v, k);
    }
  }

  for (const { request, response } of doc.interactions) {
    collect(parsed(request.body));
    collect(parsed(response.body.string));
  }

  /** Replaces each id, as the JSON string it is in the text, by its placeholder. */
  function substitute(text: string): string {
    // Longest values first, so that no id is replaced inside a longer one.
    const byLength = [...placeholders].sort(([a], [b]) => b.length - a.length);
    let out = text;
    for (const [key, p] of byLength) {
      const value = key.slice(key.indexOf('\u0000') + 1);
      out = out.split(JSON.stringify(value)).join(JSON.stringify(p));
    }
    return out;
  }

  const dateOf = (amz: string | undefined) =>
    amz
      ? `${amz.slice(0, 4)}-${amz.slice(4, 6)}-${amz.slice(6, 8)}T${amz.slice(9, 11)}:${amz.slice(11, 13)}:${amz.slice(13, 15)}Z`
      : '1970-01-01T00:00:00Z';

  const entries: HarEntry[] = doc.interactions.map(({ request, response }, index) => {
    const at = times[index];
    const target = pick(request.headers, 'X-Amz-Target') ?? '';
    const requestHeaders: HarHeader[] = ['X-Amz-Target', 'Content-Type', 'Content-Encoding', 'X-Amz-Date'].flatMap((name) => {
      const value = pick(request.headers, name);
      return value === undefined ? [] : [{ name, value }];
    });
    const requestId = pick(response.headers, 'x-amzn-RequestId');
    const responseHeaders: HarHeader[] = [
      ...['Content-Type', 'Content-Length'].flatMap((name) => {
        const value = pick(response.headers, name);
        return value === undefined ? [] : [{ name, value }];
      }),
      ...(requestId ? [{ name: 'x-amzn-RequestId', value: placeholder('request-id', requestId) }] : []),
    ];
    const body = request.body ?? '';
    const answer = response.body.string ?? '';
    const contentType = pick(response.headers, 'Content-Type') ?? '';
    return {
      startedDateTime: at !== undefined ? new Date(Math.round(at * 1000)).toISOString() : dateOf(pick(request.headers, 'X-Amz-Date')),
      time: 0,
      request: {
        method: request.method,
        url: request.uri,
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: requestHeaders,
        queryString: [],
        postData: { mimeType: pick(request.headers, 'Content-Type') ?? '', text: substitute(body) },
        headersSize: -1,
        bodySize: Buffer.byteLength(body),
      },
      response: {
        status: response.status.code,
        statusText: response.status.message,
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: responseHeaders,
        content: { size: Buffer.byteLength(answer), mimeType: contentType, ...(answer ? { text: substitute(answer) } : {}) },
        redirectURL: '',
        headersSize: -1,
        bodySize: Buffer.byteLength(answer),
      },
      cache: {},
      timings: { send: 0, wait: 0, receive: 0 },
      _operation: operationOfTarget(target),
    };
  });

  const first = doc.interactions[0]?.request;
  const firstAt = times.find((t) => t !== undefined);
  const har: Har = {
    log: {
      version: '1.2',
      creator: {
        name: 'swf-conformance',
        version: '0.1.0',
        comment: 'transcribed from a vcrpy cassette by scripts/transcribe-vcr.ts; timings were not recorded',
      },
      ...(source.comment ? { comment: source.comment } : {}),
      _provenance: {
        repository: source.repository,
        path: source.path,
        commit: source.commit,
        recorded: (firstAt !== undefined
          ? new Date(firstAt * 1000).toISOString()
          : dateOf(first && pick(first.headers, 'X-Amz-Date'))
        ).slice(0, 10),
        region: /swf\.([a-z0-9-]+)\.amazonaws\.com/.exec(first?.uri ?? '')?.[1] ?? 'unknown',
        client: (first && pick(first.headers, 'User-Agent')) ?? source.client ?? 'unknown',
        kind: 'http-exchanges',
        ...(source.alsoFrom ? { alsoFrom: source.alsoFrom } : {}),
        ...(source.interleaved ? { interleaved: source.interleaved } : {}),
        ...(firstAt !== undefined ? { timing: 'event-times' as const } : {}),
        ...(source.notes ? { notes: source.notes } : {}),
      },
      _placeholders: Object.fromEntries([...placeholders].map(([key, p]) => [p, key.slice(key.indexOf('\u0000') + 1)])),
      entries,
    },
  };
  return har;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      repository: { type: 'string' },
      path: { type: 'string' },
      commit: { type: 'string' },
      out: { type: 'string' },
      comment: { type: 'string' },
      notes: { type: 'string' },
    },
  });
  const [cassette] = positionals;
  if (!cassette || !values.repository || !values.path || !values.commit || !values.out) {
    console.error(
      'usage: transcribe-vcr.ts CASSETTE.yaml --repository OWNER/NAME --path PATH --commit SHA --out FILE.har [--comment TEXT] [--notes TEXT]',
    );
    process.exit(2);
  }

  const har = transcribeVcr(readFileSync(cassette, 'utf8'), {
    repository: values.repository,
    path: values.path,
    commit: values.commit,
    ...(values.comment ? { comment: values.comment } : {}),
    ...(values.notes ? { notes: values.notes } : {}),
  });
  writeFileSync(values.out, `${JSON.stringify(har, null, 2)}\n`);
  console.log(`${values.out}: ${har.log.entries.length} exchanges, ${Object.keys(har.log._placeholders).length} ids substituted`);
}
