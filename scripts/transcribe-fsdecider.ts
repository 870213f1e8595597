/**
 * Transcribes the histories glenbraun/FsDecider's unit tests printed as F# code into the project's
 * recording format (HAR 1.2, src/contract/recordings.ts, kind history-snippet), for
 * scripts/rebuild-recordings.ts.
 *
 * FsDecider's TestHelper.GenerateOfflineDecisionTaskCodeSnippet printed each history a test read
 * from SWF as F# code, which the test file keeps:
 *
 *   let offlineFunc = OfflineDecisionTask (...) (...)
 *                     |> OfflineHistoryEvent (        // EventId = 1
 *                         WorkflowExecutionStartedEventAttributes(ChildPolicy=ChildPolicy.TERMINATE, ...))
 *
 * Values are as AWS returned them, but the printer wrote some as the test's own names
 * (TestConfiguration.TestTaskList, workflowId) or as fixed text ("Offline RunId"). What each such
 * name stands for is the transcription's judgment, declared in the manifest (`names`), never
 * guessed here: a name maps to a JSON value, a placeholder (`<task-list:2>`), or `<not-printed:n>`
 * where the print shows that a member was there but not its value. A name may be declared for one
 * place only: `name@EventType.member.path` or `name@member.path`.
 */
import { lowerFirst } from '../src/contract/protocol.ts';
import type { Har, HarEntry } from '../src/contract/recordings.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An F# expression of the printed code. */
type Expr =
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: number }
  | { kind: 'ref'; name: string }
  | { kind: 'call'; name: string; args: [string, Expr][] }
  | { kind: 'concat'; parts: Expr[] };

export interface FsHistory {
  /** The F# test function (its name between double backquotes). */
  test: string;
  /** The `let` that holds the printed history (offlineFunc, childOfflineFunc, ...). */
  block: string;
  /**
   * Events missing from `block`, taken from another printing of the same test, or from lines
   * of a block the test's author commented out (`commented: true`).
   */
  from?: { block: string; events: number[]; commented?: boolean };
  /** Names this history resolves otherwise than the recording's (a child's task list). */
  names?: Record<string, Json>;
  /** The request that reads the history: its workflowId and runId, as placeholders. */
  execution: { workflowId: string; runId: string };
  /** Each event's place in the order of the whole recording (see `_eventOrder`). */
  eventOrder: number[];
  comment: string;
}

export interface FsSource {
  repository: string;
  path: string;
  commit: string;
  comment: string;
  notes: string;
  recorded: string;
  region: string;
  client: string;
  histories: FsHistory[];
  /** What each printed name or fixed text stands for (see the file's comment). */
  names: Record<string, Json>;
  /** Each placeholder and what the print showed of it. */
  placeholders: Record<string, string>;
}

/** Reads one F# expression from `text` at `at`; returns it and where it ends. */
function parseExpr(text: string, at: number): [Expr, number] {
  const skip = (i: number) => {
    while (i < text.length && /\s/.test(text[i]!)) i += 1;
    return i;
  };
  let i = skip(at);
  const parts: Expr[] = [];
  for (;;) {
    let e: Expr;
    if (text[i] === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') {
          const next = text[j + 1]!;
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          j += 2;
        } else value += text[j++];
      }
      e = { kind: 'str', value };
      i = j + 1;
    } else {
      const m = /^-?\d+L?/.exec(text.slice(i)) ?? /^[A-Za-z_][\w.]*/.exec(text.slice(i));
      if (!m) throw new Error(`cannot read the F# at …${text.slice(i, i + 60)}…`);
      i += m[0].length;
      if (/^-?\d/.test(m[0])) e = { kind: 'num', value: Number(m[0].replace(/L$/, '')) };
      else if (text[skip(i)] === '(' && /^[A-Z]/.test(m[0])) {
        i = skip(i) + 1;
        const args: [string, Expr][] = [];
        while (text[skip(i)] !== ')') {
          i = skip(i);
          const name = /^\w+/.exec(text.slice(i))![0];
          i = skip(i + name.length);
          if (text[i] !== '=') throw new Error(`expected = after ${name} at …${text.slice(i, i + 60)}…`);
          const [value, end] = parseExpr(text, i + 1);
          args.push([name, value]);
          i = skip(end);
          if (text[i] === ',') i += 1;
        }
        i = skip(i) + 1;
        e = { kind: 'call', name: m[0], args };
      } else e = { kind: 'ref', name: m[0] };
    }
    parts.push(e);
    const after = skip(i);
    if (text[after] !== '+') return [parts.length === 1 ? parts[0]! : { kind: 'concat', parts }, i];
    i = skip(after + 1);
  }
}

/** The body of a test function: from its header to the next function. */
function functionBody(source: string, test: string): string {
  const start = source.indexOf(`let \`\`${test}\`\`()`);
  if (start < 0) throw new Error(`no test function \`\`${test}\`\``);
  const next = source.indexOf('\n    let ``', start + 1);
  return source.slice(start, next < 0 ? undefined : next);
}

/** The single-line `let` bindings of a function body that the printed code may name. */
function bindings(body: string): Map<string, Expr> {
  const out = new Map<string, Expr>();
  for (const m of body.matchAll(/^\s*let (\w+) = (.+)$/gm)) {
    try {
      const [e, end] = parseExpr(m[2]!, 0);
      if (m[2]!.slice(end).trim() === '') out.set(m[1]!, e);
    } catch {
      // Not a value the printed code names (a function, a ref cell).
    }
  }
  return out;
}

/** The printed events of one `let` block, by event id; commented-out lines are left out. */
function printedEvents(body: string, block: string, commented = false): Map<number, Expr> {
  const start = body.search(new RegExp(`let ${block} = OfflineDecisionTask`));
  if (start < 0) throw new Error(`no printed history \`${block}\``);
  const lines = body.slice(start).split('\n').slice(1);
  const events = new Map<number, Expr>();
  let id: number | undefined;
  for (const raw of lines) {
    let line = raw.trim();
    if (line === '') break;
    if (line.startsWith('//')) {
      if (!commented) continue;
      line = line.slice(2).trim();
    } else if (commented) {
      id = undefined;
      continue;
    }
    const header = /^\|> OfflineHistoryEvent \(\s*\/\/ EventId = (\d+)/.exec(line);
    if (header) id = Number(header[1]);
    else if (/^\w+EventAttributes\(/.test(line) && id !== undefined) {
      events.set(id, parseExpr(line, 0)[0]);
      id = undefined;
    } else if (!line.startsWith('|>')) break;
  }
  return events;
}

/** One printed event as SWF's JSON, its printed names resolved by `names`. */
function eventJson(eventId: number, e: Expr, lets: Map<string, Expr>, names: Record<string, Json>): Json {
  if (e.kind !== 'call') throw new Error(`event ${eventId}: not an attributes constructor`);
  const eventType = e.name.replace(/EventAttributes$/, '');
  const named = (key: string, path: string): Json | undefined =>
    names[`${key}@${eventType}.${path}`] ?? names[`${key}@${path}`] ?? names[key];
  const value = (x: Expr, path: string): Json => {
    switch (x.kind) {
      case 'str':
        return named(JSON.stringify(x.value), path) ?? x.value;
      case 'num':
        return x.value;
      case 'concat': {
        const parts = x.parts.map((p) => value(p, path));
        return parts.join('');
      }
      case 'ref': {
        const byName = named(x.name, path);
        if (byName !== undefined) return byName;
        // An enum member (ChildPolicy.TERMINATE) is its name.
        if (/\.[A-Z_]+$/.test(x.name)) return x.name.slice(x.name.lastIndexOf('.') + 1);
        const bound = lets.get(x.name);
        if (bound) return value(bound, path);
        throw new Error(`event ${eventId} (${eventType}): ${x.name} at ${path} is not declared in the manifest's names`);
      }
      case 'call':
        return Object.fromEntries(x.args.map(([k, v]) => [lowerFirst(k), value(v, path ? `${path}.${lowerFirst(k)}` : lowerFirst(k))]));
    }
  };
  return { eventId, eventType, [`${lowerFirst(eventType)}EventAttributes`]: value(e, '') };
}

/** JSON as the corpus's hand transcriptions wrote it: `, ` and `: ` between members. */
function spaced(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(spaced).join(', ')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${spaced(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v);
}

/** An F# test file's printed histories as a recording of the corpus. */
export function transcribeFsDecider(source: string, spec: FsSource): Har {
  const entries: HarEntry[] = spec.histories.map((h) => {
    const body = functionBody(source, h.test);
    const lets = bindings(body);
    const printed = printedEvents(body, h.block);
    if (h.from) {
      const other = printedEvents(body, h.from.block, h.from.commented);
      for (const id of h.from.events) {
        const e = other.get(id);
        if (!e) throw new Error(`${h.test}: ${h.from.block} prints no event ${id}`);
        printed.set(id, e);
      }
    }
    const ids = [...printed.keys()].sort((a, b) => a - b);
    const names = { ...spec.names, ...h.names };
    const events = ids.map((id) => eventJson(id, printed.get(id)!, lets, names));
    const request = spaced({ domain: '<domain:1>', execution: { workflowId: h.execution.workflowId, runId: h.execution.runId } });
    const answer = spaced({ events });
    return {
      startedDateTime: `${spec.recorded}-01-01T00:00:00Z`.slice(0, 20),
      time: 0,
      request: {
        method: 'POST',
        url: `https://swf.${spec.region}.amazonaws.com/`,
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: [],
        queryString: [],
        postData: { mimeType: 'application/x-amz-json-1.0', text: request },
        headersSize: -1,
        bodySize: Buffer.byteLength(request),
      },
      response: {
        status: 200,
        statusText: 'OK',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: [],
        content: { size: Buffer.byteLength(answer), mimeType: 'application/x-amz-json-1.0', text: answer },
        redirectURL: '',
        headersSize: -1,
        bodySize: Buffer.byteLength(answer),
      },
      cache: {},
      timings: { send: 0, wait: 0, receive: 0 },
      comment: h.comment,
      _operation: 'GetWorkflowExecutionHistory',
      _transcribed: `printed by the client as F# code (${h.test}, ${h.block}${h.from ? `, events ${h.from.events.join(', ')} from ${h.from.commented ? 'the commented-out lines of ' : ''}${h.from.block}` : ''}), transcribed by scripts/transcribe-fsdecider.ts`,
      _eventOrder: h.eventOrder,
    };
  });
  return {
    log: {
      version: '1.2',
      creator: {
        name: 'swf-conformance',
        version: '0.1.0',
        comment: 'transcribed from printed histories by scripts/transcribe-fsdecider.ts; timings and timestamps were not recorded',
      },
      comment: spec.comment,
      _provenance: {
        repository: spec.repository,
        path: spec.path,
        commit: spec.commit,
        recorded: spec.recorded,
        region: spec.region,
        client: spec.client,
        kind: 'history-snippet',
        notes: spec.notes,
      },
      _placeholders: spec.placeholders,
      entries,
    },
  };
}
