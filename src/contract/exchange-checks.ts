/**
 * The wire facts that hold of every answer, checked on every exchange a run makes (the battery's,
 * the model-based run's, a replay's), not only in the tests written for them: an implementation
 * that breaks a wire fact in an answer no test reads for it still fails the fact's clause.
 *
 * Each check belongs to one clause of spec/wire.yaml or spec/fault.yaml and claims no more than
 * that clause's evidence: a check of a recorded clause applies only to the cases its recordings
 * show. What no check looks at:
 * - a 5xx answer or no answer at all: a server error is not an answer the contract describes
 *   (moto's races answer 500 with an HTML page);
 * - the faults of a request sent unsigned or with keys no target knows: their status and form
 *   are the fault.auth clauses' business (only the request id is checked);
 * - the ids and bodies of the answer beyond what the clause states.
 */
import { operations } from '../generated/operations.ts';
import { answerMediaType, EVENTUALLY_CONSISTENT_READS, JSON_CONTENT_TYPE, operationOfTarget } from './protocol.ts';
import { timestampFault, timestampMembers } from './timestamps.ts';
import { validate, type ShapeName } from './validators.ts';
import { parseBody } from './recordings.ts';

/** One exchange as the checks see it. */
export interface CheckedExchange {
  request: { headers: Record<string, string>; body: string };
  response: { status: number; headers: Record<string, string>; body: string };
  /** Who sent it, where not the run's own principal (the raw client's Principal). */
  principal?: 'unsigned' | 'given-key' | 'restricted';
}

/** A check that found its fact broken: where in the answer, what the clause wants, what came. */
export interface CheckViolation {
  clause: string;
  at: string;
  expected: string;
  actual: unknown;
}

/** What one exchange's checks did: the clauses whose check applied to it, and what broke. */
export interface CheckResult {
  applied: string[];
  violations: CheckViolation[];
}

interface Answer {
  operation: string;
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
  /** The request's form, for the answer's media type, and its body, parsed. */
  request: { contentType?: string; contentEncoding?: string; body: unknown };
  /** The request was sent unsigned or with keys no target knows. */
  auth: boolean;
}

interface Check {
  clause: string;
  /** Whether the check looks at this answer at all: what counts towards the clause's reach. */
  applies(a: Answer): boolean;
  /** What is wrong with it (nothing: an empty list). */
  check(a: Answer, seen: Set<string>): Omit<CheckViolation, 'clause'>[];
}

const isFault = (a: Answer) => a.status >= 400 && a.status < 500;
const isSuccess = (a: Answer) => a.status === 200;
/** The operations of wire.response.shapes: the reads a client sees the two operations' effects with, and a decision task's history. */
const READS = new Set([...EVENTUALLY_CONSISTENT_READS, 'PollForDecisionTask']);
const known = (operation: string): operation is keyof typeof operations => Object.hasOwn(operations, operation);
const mediaType = (headers: Record<string, string>) => headers['content-type']?.split(';')[0]?.trim().toLowerCase();
/** The code an X-Amzn-ErrorType header names: anything after ':' dropped. */
const headerCode = (headers: Record<string, string>) => headers['x-amzn-errortype']?.split(':')[0]?.trim() || undefined;
/** The code a body's __type names: the namespace before '#' and anything after ':' dropped. */
const bodyCode = (json: unknown) => {
  const type = (json as { __type?: unknown } | undefined)?.__type;
  return typeof type === 'string' ? type.split('#').pop()!.split(':')[0] : undefined;
};
/** A history's events, in a History or a DecisionTask. */
const eventsOf = (json: unknown): Record<string, unknown>[] | undefined => {
  const events = (json as { events?: unknown } | undefined)?.events;
  return Array.isArray(events) ? (events as Record<string, unknown>[]) : undefined;
};

/** Every check, by the clause it belongs to. */
const CHECKS: Check[] = [
  {
    // "Every response, success or fault, carries a non-empty x-amzn-RequestId, different on each response."
    clause: 'wire.success.request-id',
    applies: (a) => isSuccess(a) || isFault(a),
    check: (a, seen) => {
      const id = a.headers['x-amzn-requestid'];
      if (!id) return [{ at: 'headers.x-amzn-requestid', expected: 'a request id', actual: undefined }];
      if (seen.has(id)) return [{ at: 'headers.x-amzn-requestid', expected: 'a request id no earlier answer had', actual: id }];
      seen.add(id);
      return [];
    },
  },
  {
    clause: 'wire.success.content-type',
    applies: (a) => isSuccess(a) && known(a.operation),
    check: (a) =>
      /^application\/(json|x-amz-json-1\.0)$/.test(mediaType(a.headers) ?? '')
        ? []
        : [{ at: 'headers.content-type', expected: 'a JSON media type', actual: a.headers['content-type'] }],
  },
  {
    // Inferred for the two operations from every other operation's recorded answers: successes in
    // either form, faults to the protocol's form (no recording holds a fault to the older form).
    clause: 'wire.content-type.follows-request',
    applies: (a) => known(a.operation) && !a.auth && (isSuccess(a) || (isFault(a) && answerMediaType(a.request) === JSON_CONTENT_TYPE)),
    check: (a) => {
      const wanted = answerMediaType(a.request);
      return mediaType(a.headers) === wanted
        ? []
        : [{ at: 'headers.content-type', expected: `${wanted} (the request's form)`, actual: a.headers['content-type'] }];
    },
  },
  {
    clause: 'wire.success.empty-body',
    applies: (a) => isSuccess(a) && known(a.operation) && operations[a.operation].output === null,
    check: (a) => {
      const out: Omit<CheckViolation, 'clause'>[] = [];
      if (a.text !== '') out.push({ at: 'body', expected: '(empty: the operation returns nothing)', actual: a.text.slice(0, 200) });
      const length = a.headers['content-length'];
      if (length !== undefined && length !== '0') out.push({ at: 'headers.content-length', expected: '0', actual: length });
      return out;
    },
  },
  {
    clause: 'wire.timestamps.epoch-seconds',
    applies: (a) => isSuccess(a) && a.json !== undefined && hasTimestamp(a.json),
    check: (a) => {
      const out: Omit<CheckViolation, 'clause'>[] = [];
      forEachTimestamp(a.json, '$', (at, value) => {
        const fault = timestampFault(value);
        if (fault) out.push({ at, expected: 'seconds since the epoch, as a JSON number', actual: `${JSON.stringify(value)} (${fault})` });
      });
      return out;
    },
  },
  {
    clause: 'wire.response.shapes',
    applies: (a) => isSuccess(a) && READS.has(a.operation),
    check: (a) => {
      const shape = operations[a.operation as keyof typeof operations].output as ShapeName;
      const result = validate(shape, a.json);
      return result.ok ? [] : [{ at: 'body', expected: `the ${shape} shape`, actual: result.violations.map((v) => v.message).join('; ') }];
    },
  },
  {
    // Recorded in every history of the corpus: ids 1..n, one apart, in the page's order.
    clause: 'wire.event-ids.sequential',
    applies: (a) =>
      isSuccess(a) &&
      (a.operation === 'GetWorkflowExecutionHistory' || a.operation === 'PollForDecisionTask') &&
      Boolean(eventsOf(a.json)?.length),
    check: (a) => {
      const events = eventsOf(a.json)!;
      const request = (a.request.body ?? {}) as { reverseOrder?: unknown; nextPageToken?: unknown };
      const step = request.reverseOrder === true ? -1 : 1;
      const ids = events.map((e) => e.eventId);
      const firstPage = request.nextPageToken === undefined && step === 1;
      if (firstPage && ids[0] !== 1)
        return [{ at: '$.events[0].eventId', expected: '1 (the first event of a first page)', actual: ids[0] }];
      for (let i = 1; i < ids.length; i += 1)
        if (typeof ids[i] !== 'number' || ids[i] !== (ids[i - 1] as number) + step)
          return [
            {
              at: `$.events[${i}].eventId`,
              expected: `${(ids[i - 1] as number) + step} (one ${step === 1 ? 'after' : 'before'} the event before it)`,
              actual: ids[i],
            },
          ];
      return [];
    },
  },
  {
    // Recorded: a top-level run's WorkflowExecutionStarted carries parentInitiatedEventId 0.
    clause: 'wire.events.zero-ids',
    applies: (a) => isSuccess(a) && Boolean(topLevelStarts(a.json).length),
    check: (a) =>
      topLevelStarts(a.json)
        .filter(({ attributes }) => attributes.parentInitiatedEventId !== 0)
        .map(({ at, attributes }) => ({ at: `${at}.parentInitiatedEventId`, expected: '0', actual: attributes.parentInitiatedEventId })),
  },
  {
    clause: 'fault.envelope.shape',
    applies: (a) => isFault(a) && !a.auth,
    check: (a) => {
      if (a.status !== 400) return [{ at: 'status', expected: '400', actual: a.status }];
      const envelope = validate('ErrorEnvelope', a.json);
      return envelope.ok
        ? []
        : [
            {
              at: 'body',
              expected: 'a JSON error envelope (__type, message)',
              actual: a.text.slice(0, 200) || envelope.violations.map((v) => v.message).join('; '),
            },
          ];
    },
  },
  {
    // Recorded for UnknownResourceFault (quoted/flowy.unknown-execution): that fault only.
    clause: 'fault.envelope.namespace',
    applies: (a) => isFault(a) && !a.auth && (bodyCode(a.json) ?? headerCode(a.headers)) === 'UnknownResourceFault',
    check: (a) => {
      const type = (a.json as { __type?: unknown } | undefined)?.__type;
      return type === 'com.amazonaws.swf.base.model#UnknownResourceFault'
        ? []
        : [{ at: '$.__type', expected: 'com.amazonaws.swf.base.model#UnknownResourceFault', actual: type }];
    },
  },
  {
    clause: 'fault.envelope.error-type-header',
    applies: (a) => isFault(a) && !a.auth,
    check: (a) =>
      /^[A-Za-z]+$/.test(headerCode(a.headers) ?? '')
        ? []
        : [{ at: 'headers.x-amzn-errortype', expected: 'the fault code', actual: a.headers['x-amzn-errortype'] }],
  },
  {
    clause: 'fault.envelope.codes-agree',
    applies: (a) => isFault(a) && !a.auth && Boolean(headerCode(a.headers) && bodyCode(a.json)),
    check: (a) =>
      headerCode(a.headers) === bodyCode(a.json)
        ? []
        : [
            {
              at: 'headers.x-amzn-errortype',
              expected: `${bodyCode(a.json)} (the code __type names)`,
              actual: a.headers['x-amzn-errortype'],
            },
          ],
  },
];

/** The clauses checked on every exchange, in the order of their checks. */
export const checkedClauses: readonly string[] = CHECKS.map((c) => c.clause);

function forEachTimestamp(value: unknown, at: string, visit: (at: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) forEachTimestamp(v, `${at}[${i}]`, visit);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const members = timestampMembers();
  for (const [key, v] of Object.entries(value)) {
    if (members.has(key)) visit(`${at}.${key}`, v);
    else forEachTimestamp(v, `${at}.${key}`, visit);
  }
}

function hasTimestamp(value: unknown): boolean {
  let found = false;
  forEachTimestamp(value, '$', () => {
    found = true;
  });
  return found;
}

/** The WorkflowExecutionStarted events of a history that started no child: no parent execution. */
function topLevelStarts(json: unknown): { at: string; attributes: Record<string, unknown> }[] {
  return (eventsOf(json) ?? []).flatMap((e, i) => {
    const attributes = e.workflowExecutionStartedEventAttributes as Record<string, unknown> | undefined;
    return e.eventType === 'WorkflowExecutionStarted' && attributes && attributes.parentWorkflowExecution === undefined
      ? [{ at: `$.events[${i}].workflowExecutionStartedEventAttributes`, attributes }]
      : [];
  });
}

const lower = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
const parse = (text: string): unknown => parseBody(text, 'none');

/** The checks of one stream of exchanges (a test, a run, a replay): it remembers the request ids seen. */
export class ExchangeChecks {
  private readonly seen = new Set<string>();

  check(exchange: CheckedExchange): CheckResult {
    const { status } = exchange.response;
    if (!(status === 200 || (status >= 400 && status < 500))) return { applied: [], violations: [] };
    const requestHeaders = lower(exchange.request.headers);
    const headers = lower(exchange.response.headers);
    const answer: Answer = {
      operation: operationOfTarget(requestHeaders['x-amz-target'] ?? ''),
      status,
      headers,
      text: exchange.response.body,
      json: parse(exchange.response.body),
      request: {
        ...(requestHeaders['content-type'] ? { contentType: requestHeaders['content-type'] } : {}),
        ...(requestHeaders['content-encoding'] ? { contentEncoding: requestHeaders['content-encoding'] } : {}),
        body: parse(exchange.request.body),
      },
      auth: exchange.principal === 'unsigned' || exchange.principal === 'given-key',
    };
    const applied: string[] = [];
    const violations: CheckViolation[] = [];
    for (const c of CHECKS) {
      if (answer.auth && c.clause !== 'wire.success.request-id') continue;
      if (!c.applies(answer)) continue;
      applied.push(c.clause);
      for (const v of c.check(answer, this.seen)) violations.push({ clause: c.clause, ...v });
    }
    return { applied, violations };
  }
}

/** What the checks found over many exchanges, per clause: how many they looked at, how many broke it, the first that did. */
export type CheckTally = Record<string, { checked: number; violations: number; first?: string }>;

/** Adds one exchange's result to a tally; `where` names the exchange for the first violation. */
export function tally(into: CheckTally, result: CheckResult, where: () => string): void {
  for (const clause of result.applied) (into[clause] ??= { checked: 0, violations: 0 }).checked += 1;
  const counted = new Set<string>();
  for (const v of result.violations) {
    const entry = (into[v.clause] ??= { checked: 0, violations: 0 });
    // An exchange breaks a clause once, however many of its members break it.
    if (!counted.has(v.clause)) entry.violations += 1;
    counted.add(v.clause);
    entry.first ??= `${where()}: ${v.at}: expected ${v.expected}, got ${v.actual === undefined ? 'nothing' : typeof v.actual === 'string' ? v.actual : JSON.stringify(v.actual)}`;
  }
}

/** Two tallies as one: counts added, the first violation of the first that has one kept. */
export function mergeTallies(a: CheckTally, b: CheckTally): CheckTally {
  const out: CheckTally = structuredClone(a);
  for (const [clause, t] of Object.entries(b)) {
    const entry = (out[clause] ??= { checked: 0, violations: 0 });
    entry.checked += t.checked;
    entry.violations += t.violations;
    if (!entry.first && t.first) entry.first = t.first;
  }
  return out;
}
