/**
 * Recordings of real SWF traffic, in fixtures/recordings/aws/: HAR 1.2 files, one scenario each.
 * HAR is what browsers, Playwright and proxies read and write, so a recording can be opened with
 * any HAR viewer, and a run can write the same format. What SWF needs beyond HAR goes in fields
 * that start with `_`, as HAR allows:
 *
 * - `log._provenance`: where the recording came from (repository, path, commit, date, region,
 *   the client that made it), and what kind of recording it is;
 * - `log._placeholders`: the ids substituted in the bodies, each with the value recorded. The
 *   values are facts (their form is evidence too); the placeholders keep identities between
 *   exchanges (`<run-id:1>` is the same run wherever it appears);
 * - `entry._operation`: the SWF operation of the exchange;
 * - `entry._transcribed`: set when the exchange was not captured on the wire but transcribed from
 *   a printed history (the request is then the one that reads it, and headers are unknown), or
 *   from an answer quoted in a public thread.
 *
 * fixtures/recordings/quoted/ holds the answers quoted in public threads: one exchange each, the
 * answer's body as the thread printed it, its status where the thread gives it (0 where it does
 * not), and no request. They are evidence that clauses cite, never replayed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths.ts';

export interface HarHeader {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: never[];
    headers: HarHeader[];
    queryString: never[];
    postData?: { mimeType: string; text: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: never[];
    headers: HarHeader[];
    content: { size: number; mimeType: string; text?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment?: string;
  /** The SWF operation. */
  _operation: string;
  /** How the exchange reached the file when it was not captured on the wire. */
  _transcribed?: string;
  /**
   * For a printed history without timestamps: each event's place in the order of the whole
   * recording (across its executions), as the transcriber worked it out from the client's code.
   */
  _eventOrder?: number[];
}

export interface Provenance {
  repository: string;
  /** The file in the repository, or for a quoted answer the thread (`issues/3`). */
  path: string;
  /** The commit the file was read at; a quoted answer has its thread's url instead. */
  commit?: string;
  url?: string;
  /** The day the traffic was recorded (from the request dates), YYYY-MM-DD. */
  recorded: string;
  region: string;
  /** The client that made the requests, as its User-Agent or its name. */
  client: string;
  /**
   * http-exchanges: whole requests and answers; history-snippet: histories read from the service
   * and printed; quoted-response: an answer quoted in a public thread; re-serialised-answer: an
   * answer a program saved again (its values are AWS's, its bytes, key order and number forms
   * are not).
   */
  kind: 'http-exchanges' | 'history-snippet' | 'quoted-response' | 're-serialised-answer';
  notes?: string;
  /** The other files of the same session, merged into this recording (paths in the repository). */
  alsoFrom?: string[];
  /**
   * How the exchanges are dated. Unset: by each request's X-Amz-Date, to the second.
   * event-times: the source kept no request dates; each exchange is dated, to the millisecond,
   * by the event it made, as the histories in the recording stamp it (scripts/transcribe-vcr.ts).
   */
  timing?: 'event-times';
  /**
   * Why the recording's histories cannot be replayed step by step: they interleave events by the
   * service's timing (a child started some time after its decision, a timeout among polls). Such a
   * recording is evidence that clauses cite; `replay` says why it does not replay it.
   */
  interleaved?: string;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string; comment?: string };
    comment?: string;
    _provenance: Provenance;
    _placeholders: Record<string, string>;
    entries: HarEntry[];
  };
}

export const RECORDINGS_DIR = join(projectRoot, 'fixtures', 'recordings', 'aws');
export const QUOTED_DIR = join(projectRoot, 'fixtures', 'recordings', 'quoted');
/** Answers a program saved again: values only, cited, never replayed. */
export const RESERIALISED_DIR = join(projectRoot, 'fixtures', 'recordings', 'reserialised');

/**
 * A placeholder: `<kind:n>`. `<not-printed:n>` stands where the source showed that a member was
 * there but not its value (a printer that wrote fixed text in its place): a replay accepts any
 * value there, and no citation may rest on it.
 */
export const PLACEHOLDER = /^<(domain|workflow-id|run-id|task-list|request-id|task-token|page-token|not-printed):\d+>$/;

/** Whether a value holds a `<not-printed:n>` placeholder anywhere. */
export const holdsNotPrinted = (value: unknown): boolean => JSON.stringify(value ?? null).includes('<not-printed:');

export interface Recording {
  /** The file name, without folder. */
  name: string;
  har: Har;
}

/** Every recording in fixtures/recordings/aws/, by file name. */
export function loadRecordings(dir = RECORDINGS_DIR): Recording[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.har'))
    .sort()
    .map((name) => ({ name, har: readHar(join(dir, name)) }));
}

/**
 * Everything clauses may cite: the recordings of fixtures/recordings/aws/ by file name, and the
 * quoted answers of fixtures/recordings/quoted/ as `quoted/<file>`, and the re-serialised ones of
 * fixtures/recordings/reserialised/ as `reserialised/<file>`.
 */
export function loadEvidence(): Recording[] {
  return [
    ...loadRecordings(),
    ...loadRecordings(QUOTED_DIR).map((r) => ({ ...r, name: `quoted/${r.name}` })),
    ...loadRecordings(RESERIALISED_DIR).map((r) => ({ ...r, name: `reserialised/${r.name}` })),
  ];
}

export function readHar(file: string): Har {
  const har = JSON.parse(readFileSync(file, 'utf8')) as Har;
  if (har?.log?.version !== '1.2' || !Array.isArray(har.log.entries)) throw new Error(`${file}: not a HAR 1.2 file`);
  return har;
}

export function header(headers: HarHeader[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

/** An entry's request body, parsed. */
export function requestBody(entry: HarEntry): unknown {
  const text = entry.request.postData?.text;
  return text ? JSON.parse(text) : {};
}

/** An entry's response body, parsed; undefined for an empty body. */
export function responseBody(entry: HarEntry): unknown {
  const text = entry.response.content.text;
  return text ? JSON.parse(text) : undefined;
}

/**
 * A recorded or received body as a value: its JSON; where it is not JSON, the text itself (a
 * target that answers HTML is compared as the text it sent), or nothing where the caller keeps the
 * text apart (`'none'`); undefined where there is no body.
 */
export function parseBody(text: string | undefined, notJson: 'text' | 'none' = 'text'): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return notJson === 'text' ? text : undefined;
  }
}
