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
}

/** A vcrpy cassette's text as a recording of the corpus. */
export function transcribeVcr(cassette: string, source: VcrSource): Har {
  const doc = parse(cassette, { customTags: [pythonUnicode] }) as { interactions: Interaction[] };

  const pick = (headers: Record<string, string[]>, name: string) =>
    Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1]?.[0];

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

  const parsed = (text: string | null | undefined) => {
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    }
  };

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

  const entries: HarEntry[] = doc.interactions.map(({ request, response }) => {
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
      startedDateTime: dateOf(pick(request.headers, 'X-Amz-Date')),
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
        recorded: dateOf(first && pick(first.headers, 'X-Amz-Date')).slice(0, 10),
        region: /swf\.([a-z0-9-]+)\.amazonaws\.com/.exec(first?.uri ?? '')?.[1] ?? 'unknown',
        client: (first && pick(first.headers, 'User-Agent')) ?? 'unknown',
        kind: 'http-exchanges',
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
