/**
 * What every answer a replay gets must show, whatever the recording holds: the facts the AWS
 * recordings show in each of their answers, checked on each of the target's.
 *
 * - Every answer carries an x-amzn-RequestId, and no two the same (recorded: 83 of 83 distinct).
 * - A success's Content-Type follows the request's form: application/x-amz-json-1.0 to the
 *   awsJson form, application/json to the boto 2 form (recorded: flowy's 2016 boto3 cassettes,
 *   simpleflow's boto 2 ones); a void success has an empty body.
 * - Every time is seconds since the epoch with at most a millisecond fraction, and falls within
 *   the replay: not before it began, not after the answer came (both widened by the clock skew
 *   SigV4 allows, 5 minutes, as the target's clock is not ours).
 * - A history's events never go back in time, and a close never comes before its start.
 */
import { answerMediaType } from '../contract/protocol.ts';
import { timestampFault, timestampMembers } from '../contract/timestamps.ts';
import type { RawResponse } from '../clients/raw.ts';
import type { Difference } from './compare.ts';

/** The clock skew SigV4 tolerates between a client and AWS. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface AnswerContext {
  /** When the replay began, and when this answer came (milliseconds since the epoch). */
  since: number;
  answeredAt: number;
  /** The request's Content-Type and Content-Encoding: the answer's media type follows them. */
  request: { contentType?: string; contentEncoding?: string };
  /** The operation's output is void: a success has an empty body. */
  void: boolean;
}

/** The checks of one replay: it remembers the request ids seen. */
export class AnswerChecks {
  private readonly requestIds = new Set<string>();

  check(res: RawResponse, context: AnswerContext): Difference[] {
    const out: Difference[] = [];
    const id = res.headers['x-amzn-requestid'];
    if (!id) out.push({ at: 'headers.x-amzn-requestid', expected: 'a request id', actual: undefined });
    else if (this.requestIds.has(id)) out.push({ at: 'headers.x-amzn-requestid', expected: 'a request id not seen before', actual: id });
    else this.requestIds.add(id);
    if (res.status !== 200) return out;
    const type = answerMediaType(context.request);
    const got = res.headers['content-type'];
    if (!got || got.split(';')[0]!.trim().toLowerCase() !== type)
      out.push({ at: 'headers.content-type', expected: `${type} (the request's form)`, actual: got });
    if (context.void && res.text !== '')
      out.push({ at: 'body', expected: '(empty: the operation returns nothing)', actual: res.text.slice(0, 200) });
    if (res.json !== undefined) times(res.json, '$', context, out);
    return out;
  }
}

/** Checks every time in an answer, and the order of a history's events and of a run's start and close. */
function times(value: unknown, at: string, context: AnswerContext, out: Difference[]): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) times(v, `${at}[${i}]`, context, out);
    if (at.endsWith('.events')) eventOrder(value, at, out);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  const members = timestampMembers();
  for (const [key, v] of Object.entries(record)) {
    if (!members.has(key)) {
      times(v, `${at}.${key}`, context, out);
      continue;
    }
    const fault = timestampFault(v);
    if (fault) {
      out.push({ at: `${at}.${key}`, expected: 'seconds since the epoch, to the millisecond', actual: `${String(v)} (${fault})` });
      continue;
    }
    const ms = (v as number) * 1000;
    if (ms < context.since - CLOCK_SKEW_MS || ms > context.answeredAt + CLOCK_SKEW_MS)
      out.push({
        at: `${at}.${key}`,
        expected: `a time within the replay (${new Date(context.since).toISOString()} to ${new Date(context.answeredAt).toISOString()}, ± 5 min)`,
        actual: new Date(ms).toISOString(),
      });
  }
  const { startTimestamp: start, closeTimestamp: close } = record;
  if (typeof start === 'number' && typeof close === 'number' && close < start)
    out.push({ at: `${at}.closeTimestamp`, expected: `not before the start (${start})`, actual: close });
}

/** A history's events, taken by event id, never go back in time. */
function eventOrder(events: unknown[], at: string, out: Difference[]): void {
  const stamped = events
    .filter((e): e is { eventId: number; eventTimestamp: number } => {
      const r = e as Record<string, unknown> | null;
      return !!r && typeof r.eventId === 'number' && typeof r.eventTimestamp === 'number';
    })
    .sort((a, b) => a.eventId - b.eventId);
  for (let i = 1; i < stamped.length; i += 1) {
    const [before, event] = [stamped[i - 1]!, stamped[i]!];
    if (event.eventTimestamp < before.eventTimestamp)
      out.push({
        at: `${at}[eventId=${event.eventId}].eventTimestamp`,
        expected: `not before event ${before.eventId}'s (${before.eventTimestamp})`,
        actual: event.eventTimestamp,
      });
  }
}
