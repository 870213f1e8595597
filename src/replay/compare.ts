/**
 * Compares a target's answer with a recorded one, after normalisation: placeholders bind to the
 * target's ids as the answers come in (LocalStack's snapshot transformers, in the shape of HAR's
 * recorded values), timestamps are compared as timestamps, not as values, and members the
 * official model lacks may be absent. Everything else must be equal.
 */
import { PLACEHOLDER } from '../contract/recordings.ts';

export interface Difference {
  /** Where in the answer: a JSON path. */
  at: string;
  expected: unknown;
  actual: unknown;
}

/** Members real SWF sent that the official model lacks (recorded, 2023): a target need not send them. */
const UNMODELLED = new Set(['reopenable', 'reopenGenerationId']);

/** Members that hold a time: any number of epoch seconds will do. */
const TIME = /(Timestamp|creationDate)$/;

export class Bindings {
  private readonly byPlaceholder = new Map<string, string>();
  private readonly byValue = new Map<string, string>();

  bind(placeholder: string, value: string): void {
    this.byPlaceholder.set(placeholder, value);
    this.byValue.set(value, placeholder);
  }

  /** A copy, to compare against without binding anything until the comparison is kept. */
  clone(): Bindings {
    const copy = new Bindings();
    for (const [p, v] of this.byPlaceholder) copy.bind(p, v);
    return copy;
  }

  value(placeholder: string): string | undefined {
    return this.byPlaceholder.get(placeholder);
  }

  placeholderOf(value: string): string | undefined {
    return this.byValue.get(value);
  }

  /** Every placeholder bound, with its value. */
  all(): [string, string][] {
    return [...this.byPlaceholder];
  }

  /** Every placeholder of a kind that has been bound, with its value. */
  of(kind: string): [string, string][] {
    return [...this.byPlaceholder].filter(([p]) => p.startsWith(`<${kind}:`));
  }

  /** The text with each placeholder, as a JSON string, replaced by its bound value; throws on one not bound yet. */
  fill(text: string): string {
    return text.replace(/"(<[a-z-]+:\d+>)"/g, (whole, p: string) => {
      if (!PLACEHOLDER.test(p)) return whole;
      const value = this.byPlaceholder.get(p);
      if (value === undefined) throw new Error(`${p} is used before the target has answered it`);
      return JSON.stringify(value);
    });
  }

  /** A parsed value with its placeholders replaced by their bound values. */
  fillValue<T>(value: T): T {
    return JSON.parse(this.fill(JSON.stringify(value))) as T;
  }
}

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
  bindings: Bindings,
  at = '$',
  out: Difference[] = [],
  lenient: Leniency = {},
): Difference[] {
  if (typeof expected === 'string' && PLACEHOLDER.test(expected)) {
    if (typeof actual !== 'string') return push(out, at, expected, actual);
    if (expected.startsWith('<request-id:')) return out;
    const bound = bindings.value(expected);
    if (bound === undefined && bindings.placeholderOf(actual) === undefined) bindings.bind(expected, actual);
    else if (bound !== actual) push(out, at, `${expected} (${bound ?? 'unbound'})`, bindings.placeholderOf(actual) ?? actual);
    return out;
  }
  if (typeof expected === 'number' && TIME.test(at.slice(at.lastIndexOf('.') + 1))) {
    if (typeof actual !== 'number') push(out, at, 'a timestamp (epoch seconds)', actual);
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return push(out, at, expected, actual);
    const [e, a] = at.endsWith('.events') ? [inDeliveryOrder(expected), inDeliveryOrder(actual)] : [expected, actual];
    if (a.length !== e.length) push(out, `${at}.length`, e.length, a.length);
    for (let i = 0; i < Math.min(e.length, a.length); i += 1) compare(e[i], a[i], bindings, `${at}[${i}]`, out, lenient);
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
 * first, and both signals before either was acknowledged (simpleflow.signal-played-twice); the
 * reference delivers each in turn. A run of consecutive signal and acknowledgement events is
 * compared in one order, by type and then by the decision event that sent each; each place keeps
 * its event id and timestamp.
 */
const DELIVERED: Record<string, [attributes: string, sentBy: string]> = {
  WorkflowExecutionSignaled: ['workflowExecutionSignaledEventAttributes', 'externalInitiatedEventId'],
  ExternalWorkflowExecutionSignaled: ['externalWorkflowExecutionSignaledEventAttributes', 'initiatedEventId'],
};
const DELIVERY_TYPES = Object.keys(DELIVERED);

function inDeliveryOrder(events: unknown[]): unknown[] {
  const out = [...events];
  const typeOf = (e: unknown) => (e && typeof e === 'object' ? (e as Record<string, unknown>).eventType : undefined) as string;
  const rank = (e: Record<string, unknown>) => {
    const [key, sentBy] = DELIVERED[typeOf(e)]!;
    return DELIVERY_TYPES.indexOf(typeOf(e)) * 1e9 + Number((e[key] as Record<string, unknown> | undefined)?.[sentBy] ?? 0);
  };
  for (let i = 0; i < out.length; ) {
    let j = i;
    while (j < out.length && DELIVERED[typeOf(out[j])]) j += 1;
    if (j - i > 1) {
      const run = out.slice(i, j) as Record<string, unknown>[];
      const sorted = [...run].sort((x, y) => rank(x) - rank(y));
      for (let k = 0; k < run.length; k += 1) {
        const { eventId: _id, eventTimestamp: _at, ...rest } = sorted[k]!;
        const { eventId, eventTimestamp } = run[k]!;
        out[i + k] = {
          ...rest,
          ...(eventId !== undefined ? { eventId } : {}),
          ...(eventTimestamp !== undefined ? { eventTimestamp } : {}),
        };
      }
    }
    i = Math.max(j, i + 1);
  }
  return out;
}

function push(out: Difference[], at: string, expected: unknown, actual: unknown): Difference[] {
  out.push({ at, expected, actual });
  return out;
}
