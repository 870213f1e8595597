/**
 * Pages of long answers: no clause of the two operations names a next page, and every history
 * and listing the battery reads fits in its first.
 */
import { fault } from '../../faults.ts';

export const DEFAULT_PAGE = 1000;

/** Page tokens, one codec for every paged answer: what was paged (`kind`) and where the next page starts. */
export const pageTokens = {
  encode: (kind: string, offset: number) => Buffer.from(JSON.stringify({ k: kind, o: offset })).toString('base64url'),
  decode(token: string): { kind: string; offset: number } {
    try {
      const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; o?: unknown };
      if (typeof t.k === 'string' && Number.isInteger(t.o) && (t.o as number) >= 0) return { kind: t.k, offset: t.o as number };
    } catch {
      /* answered below */
    }
    throw fault.validation('The nextPageToken is not valid for this request');
  },
};

/** The page of `items` the input asks for, and the token of the next one when there is one. */
export function paginate<T>(
  items: T[],
  kind: string,
  input: { nextPageToken?: string; maximumPageSize?: number },
): { page: T[]; nextPageToken?: string } {
  let start = 0;
  if (input.nextPageToken) {
    const token = pageTokens.decode(input.nextPageToken);
    if (token.kind !== kind) throw fault.validation('The nextPageToken is not valid for this request');
    start = token.offset;
  }
  const size = input.maximumPageSize || DEFAULT_PAGE;
  const page = items.slice(start, start + size);
  return start + size < items.length ? { page, nextPageToken: pageTokens.encode(kind, start + size) } : { page };
}
