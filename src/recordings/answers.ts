/**
 * What every answer a replay gets must show, whatever the recording holds.
 *
 * - The wire checks every run makes on every exchange (src/contract/exchange-checks.ts): a
 *   request id on each answer and never the same twice, a media type that follows the request's
 *   form, a void success's empty body, times in seconds since the epoch, the read answers' shapes,
 *   event ids one apart, the fault envelope.
 * - What only a replay knows: every time falls within the replay, not before it began, not after
 *   the answer came (both widened by the clock skew SigV4 allows, 5 minutes, as the target's clock
 *   is not ours); a history's events never go back in time, and a close never comes before its start.
 */
import { ExchangeChecks } from '../contract/exchange-checks.ts';
import { timestampFault, timestampMembers } from '../contract/timestamps.ts';
import type { RawResponse } from '../clients/raw.ts';
import type { Difference } from './difference.ts';

/** The clock skew SigV4 tolerates between a client and AWS. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface AnswerContext {
  /** When the replay began, and when this answer came (milliseconds since the epoch). */
  since: number;
  answeredAt: number;
}

/** The checks of one replay: it remembers the request ids seen. */
export class AnswerChecks {
  private readonly wire = new ExchangeChecks();

  check(res: RawResponse, context: AnswerContext): Difference[] {
    const { exchange } = res;
    const out: Difference[] =
      'status' in exchange.response
        ? this.wire
            .check({
              request: exchange.request,
              response: exchange.response,
              ...(exchange.principal ? { principal: exchange.principal } : {}),
            })
            .violations.map((v) => ({ at: v.at, expected: `${v.expected} (${v.clause})`, actual: v.actual }))
        : [];
    if (res.status === 200 && res.json !== undefined) times(res.json, '$', context, out);
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
    // Its format is the wire check's business (wire.timestamps.epoch-seconds).
    if (timestampFault(v)) continue;
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
