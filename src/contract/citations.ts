/**
 * A clause's citations of recordings: each names an exchange of a file in
 * fixtures/recordings/aws/ (or `quoted/<file>` of fixtures/recordings/quoted/), a place in it, and what the recording shows there. `npm test` checks
 * every citation against the recording's data, so a grade of `recorded` is earned, not claimed.
 *
 * A place is a path: its first step is `request`, `response` (the parsed bodies), `status`,
 * `requestHeaders` or `responseHeaders`; each later step is a member name, `name[n]` (an array
 * element) or `name[member=value]` (the first element whose member has that value).
 */
import { header, holdsNotPrinted, requestBody, responseBody, type Recording } from './recordings.ts';

export interface Citation {
  /** A file of fixtures/recordings/aws/, or `quoted/<file>` of fixtures/recordings/quoted/. */
  file: string;
  /** The exchange, counting from 1. */
  entry: number;
  at: string;
  /** What the recording shows there. */
  equals: unknown;
}

/** The value at a place of an exchange, or undefined when there is none. */
export function valueAt(recording: Recording, entryNumber: number, at: string): unknown {
  const entry = recording.har.log.entries[entryNumber - 1];
  if (!entry) return undefined;
  const [first, ...rest] = at.split('.');
  let value: unknown;
  switch (first) {
    case 'request':
      value = requestBody(entry);
      break;
    case 'response':
      value = responseBody(entry);
      break;
    case 'status':
      return entry.response.status;
    case 'requestHeaders':
      return rest.length === 1 ? header(entry.request.headers, rest[0]!) : undefined;
    case 'responseHeaders':
      return rest.length === 1 ? header(entry.response.headers, rest[0]!) : undefined;
    default:
      return undefined;
  }
  for (const step of rest) {
    const m = /^([^[\]]*)(?:\[(?:(\d+)|([^=\]]+)=([^\]]*))\])?$/.exec(step);
    if (!m || value === null || typeof value !== 'object') return undefined;
    const [, name, index, member, wanted] = m;
    if (name) value = (value as Record<string, unknown>)[name];
    if (index !== undefined) value = Array.isArray(value) ? value[Number(index)] : undefined;
    if (member !== undefined) {
      value = Array.isArray(value)
        ? value.find((x) => x && typeof x === 'object' && String((x as Record<string, unknown>)[member]) === wanted)
        : undefined;
    }
  }
  return value;
}

/** Why the citation does not hold, or undefined when the recording shows what it says. */
export function checkCitation(recordings: readonly Recording[], citation: Citation): string | undefined {
  const recording = recordings.find((r) => r.name === citation.file);
  if (!recording) return `no recording ${citation.file} in fixtures/recordings/`;
  if (!recording.har.log.entries[citation.entry - 1]) return `${citation.file} has no exchange ${citation.entry}`;
  const value = valueAt(recording, citation.entry, citation.at);
  if (holdsNotPrinted(value) || holdsNotPrinted(citation.equals))
    return `${citation.file} #${citation.entry} ${citation.at} holds a value its source did not print (${JSON.stringify(value)}): no clause may rest on it`;
  if (JSON.stringify(value) !== JSON.stringify(citation.equals) && !deepEqual(value, citation.equals)) {
    return `${citation.file} #${citation.entry} ${citation.at} is ${JSON.stringify(value)}, not ${JSON.stringify(citation.equals)}`;
  }
  return undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
