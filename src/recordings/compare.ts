/**
 * Compares a target's answer with a recorded one, after normalisation: placeholders bind to the
 * target's ids as the answers come in (LocalStack's snapshot transformers, in the shape of HAR's
 * recorded values), timestamps are compared as timestamps, not as values, and members the
 * official model lacks may be absent. Everything else must be equal.
 */
import { PLACEHOLDER } from '../contract/recordings.ts';
import { timestampMembers } from '../contract/timestamps.ts';
import type { Difference } from './difference.ts';
import type { TransformContext } from './bindings.ts';

/** Members real SWF sent that the official model lacks (recorded, 2023): a target need not send them. */
const UNMODELLED = new Set(['reopenable', 'reopenGenerationId']);

/**
 * How much of the answer the recording can speak for. A history printed by a client (a
 * history-snippet recording) has no timestamps, and its printer left out members whose value is
 * zero or empty: those are not differences there.
 */
export interface Leniency {
  /** Members the answer may have that the recording lacks, whatever their value. */
  extra?: ReadonlySet<string>;
  /** The answer may have members the recording lacks when their value is 0, false, '' or empty. */
  extraZero?: boolean;
}

const isZero = (v: unknown) => v === 0 || v === false || v === '' || (Array.isArray(v) && v.length === 0);

/** Compares `actual` with `expected`, binding unbound placeholders; returns the differences. */
export function compare(
  expected: unknown,
  actual: unknown,
  bindings: TransformContext,
  at = '$',
  out: Difference[] = [],
  lenient: Leniency = {},
): Difference[] {
  if (typeof expected === 'string' && PLACEHOLDER.test(expected)) {
    if (typeof actual !== 'string') return push(out, at, expected, actual);
    if (expected.startsWith('<request-id:') || expected.startsWith('<not-printed:')) return out;
    const bound = bindings.value(expected);
    if (bound === undefined && bindings.placeholderOf(actual) === undefined) bindings.bind(expected, actual);
    else if (bound !== actual) push(out, at, `${expected} (${bound ?? 'unbound'})`, bindings.placeholderOf(actual) ?? actual);
    return out;
  }
  // A time is the target's own: what it must be is the answer checks' (answers.ts) and the order's below.
  if (typeof expected === 'number' && timestampMembers().has(at.slice(at.lastIndexOf('.') + 1))) {
    if (typeof actual !== 'number') push(out, at, 'a timestamp (epoch seconds)', actual);
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return push(out, at, expected, actual);
    const [e, a] = at.endsWith('.events') ? [inDeliveryOrder(expected), inDeliveryOrder(actual)] : [expected, actual];
    if (a.length !== e.length) push(out, `${at}.length`, e.length, a.length);
    for (let i = 0; i < Math.min(e.length, a.length); i += 1) compare(e[i], a[i], bindings, `${at}[${i}]`, out, lenient);
    if (at.endsWith('.events')) stampedAlike(e, a, at, out);
    return out;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return push(out, at, expected, actual);
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!(key in a)) {
        if (!UNMODELLED.has(key)) push(out, `${at}.${key}`, e[key], undefined);
        continue;
      }
      compare(e[key], a[key], bindings, `${at}.${key}`, out, lenient);
    }
    for (const key of Object.keys(a)) {
      if (key in e || lenient.extra?.has(key) || (lenient.extraZero && isZero(a[key]))) continue;
      push(out, `${at}.${key}`, undefined, a[key]);
    }
    return out;
  }
  if (expected !== actual) push(out, at, expected, actual);
  return out;
}

/**
 * Signals sent by one decision task reach their executions in an order the contract does not
 * state: AWS recorded the second of two SignalExternalWorkflowExecution decisions delivered
 * first (simpleflow.signal-played-twice). Within a run of consecutive signal and acknowledgement
 * events, events of one type may swap places with each other: each type's places are compared
 * in the order of the decision event that sent them. A place never changes type, so an
 * acknowledgement between two signals that AWS recorded after both is a difference; each place
 * keeps its event id and timestamp.
 */
const DELIVERED: Record<string, [attributes: string, sentBy: string]> = {
  WorkflowExecutionSignaled: ['workflowExecutionSignaledEventAttributes', 'externalInitiatedEventId'],
  ExternalWorkflowExecutionSignaled: ['externalWorkflowExecutionSignaledEventAttributes', 'initiatedEventId'],
};

function inDeliveryOrder(events: unknown[]): unknown[] {
  const out = [...events];
  const typeOf = (e: unknown) => (e && typeof e === 'object' ? (e as Record<string, unknown>).eventType : undefined) as string;
  const sentBy = (e: Record<string, unknown>) => {
    const [key, member] = DELIVERED[typeOf(e)]!;
    return Number((e[key] as Record<string, unknown> | undefined)?.[member] ?? 0);
  };
  for (let i = 0; i < out.length; ) {
    let j = i;
    while (j < out.length && DELIVERED[typeOf(out[j])]) j += 1;
    for (const type of Object.keys(DELIVERED)) {
      const places = [];
      for (let k = i; k < j; k += 1) if (typeOf(out[k]) === type) places.push(k);
      if (places.length < 2) continue;
      const run = places.map((k) => out[k] as Record<string, unknown>);
      const sorted = [...run].sort((x, y) => sentBy(x) - sentBy(y));
      places.forEach((place, k) => {
        const { eventId: _id, eventTimestamp: _at, ...rest } = sorted[k]!;
        const { eventId, eventTimestamp } = run[k]!;
        out[place] = {
          ...rest,
          ...(eventId !== undefined ? { eventId } : {}),
          ...(eventTimestamp !== undefined ? { eventTimestamp } : {}),
        };
      });
    }
    i = Math.max(j, i + 1);
  }
  return out;
}

/** Events AWS stamped with one time (recorded together, as a decision's effects are) are stamped alike. */
function stampedAlike(expected: unknown[], actual: unknown[], at: string, out: Difference[]): void {
  const stamp = (e: unknown) => (e && typeof e === 'object' ? (e as Record<string, unknown>).eventTimestamp : undefined);
  for (let i = 1; i < Math.min(expected.length, actual.length); i += 1) {
    const [before, here] = [stamp(expected[i - 1]), stamp(expected[i])];
    if (typeof before !== 'number' || before !== here) continue;
    if (stamp(actual[i - 1]) !== stamp(actual[i]))
      push(
        out,
        `${at}[${i}].eventTimestamp`,
        `the time of the event before (${String(stamp(actual[i - 1]))}), as AWS stamped them alike`,
        stamp(actual[i]),
      );
  }
}

function push(out: Difference[], at: string, expected: unknown, actual: unknown): Difference[] {
  out.push({ at, expected, actual });
  return out;
}
