/**
 * Transcribes an answer a program saved again (a test fixture re-serialised from a real answer)
 * into the project's recording format, kind re-serialised-answer, for
 * scripts/rebuild-recordings.ts. Its values are AWS's; its bytes, key order, spacing and number
 * forms are the program's, so the recording keeps the values alone: one exchange, no request, no
 * status, no headers, the answer's body written again compactly with its ids replaced by
 * placeholders. Clauses may cite its values (`response.…`), never its form.
 */
import type { Har } from '../src/contract/recordings.ts';

export interface ReserialisedSource {
  repository: string;
  path: string;
  commit: string;
  /** The operation whose answer it is. */
  operation: string;
  /** The day the answer was made (its timestamps say), YYYY-MM-DD. */
  recorded: string;
  client: string;
  comment: string;
  notes: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The members that hold ids, by the kind of placeholder each gets. */
const ID_MEMBERS: Record<string, string> = { workflowId: 'workflow-id', runId: 'run-id', taskToken: 'task-token', domain: 'domain' };

export function transcribeReserialised(text: string, source: ReserialisedSource): Har {
  const placeholders = new Map<string, string>();
  const counts: Record<string, number> = {};
  const placeholder = (kind: string, value: string) => {
    const key = `${kind}\u0000${value}`;
    if (!placeholders.has(key)) {
      counts[kind] = (counts[kind] ?? 0) + 1;
      placeholders.set(key, `<${kind}:${counts[kind]}>`);
    }
    return placeholders.get(key)!;
  };
  const walk = (v: Json, key?: string, parent?: string): Json => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k, key)]));
    if (typeof v === 'string' && key && ID_MEMBERS[key]) return placeholder(ID_MEMBERS[key], v);
    // A run's task list; a type's default task list would be the type's.
    if (typeof v === 'string' && key === 'name' && parent === 'taskList') return placeholder('task-list', v);
    return v;
  };
  const body = JSON.stringify(walk(JSON.parse(text) as Json));
  return {
    log: {
      version: '1.2',
      creator: {
        name: 'swf-conformance',
        version: '0.1.0',
        comment: 'transcribed from a re-serialised answer by scripts/transcribe-reserialised.ts: values only',
      },
      comment: source.comment,
      _provenance: {
        repository: source.repository,
        path: source.path,
        commit: source.commit,
        recorded: source.recorded,
        region: '',
        client: source.client,
        kind: 're-serialised-answer',
        notes: source.notes,
      },
      _placeholders: Object.fromEntries([...placeholders].map(([key, p]) => [p, key.slice(key.indexOf('\u0000') + 1)])),
      entries: [
        {
          startedDateTime: `${source.recorded}T00:00:00Z`,
          time: 0,
          request: {
            method: 'POST',
            url: 'https://swf.amazonaws.com/',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: [],
            queryString: [],
            headersSize: -1,
            bodySize: -1,
          },
          response: {
            status: 0,
            statusText: '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: [],
            content: { size: Buffer.byteLength(body), mimeType: '', text: body },
            redirectURL: '',
            headersSize: -1,
            bodySize: -1,
          },
          cache: {},
          timings: { send: 0, wait: 0, receive: 0 },
          comment: 'the answer as a program saved it again: its values, not its bytes (status and headers were not kept)',
          _operation: source.operation,
          _transcribed: `re-serialised by the program that kept it (${source.repository}, ${source.path}); transcribed by scripts/transcribe-reserialised.ts`,
        },
      ],
    },
  };
}
