/** The awsJson1_0 X-Amz-Target prefix of the SWF service (the model's targetPrefix trait). */
export const TARGET_PREFIX = 'SimpleWorkflowService.';

/**
 * The older X-Amz-Target form SWF still accepts (recorded: boto 2 sends it, with Content-Type
 * application/json; charset=UTF-8, and SWF answers application/json). Not in the model.
 */
export const LEGACY_TARGET_PREFIX = 'com.amazonaws.swf.service.model.SimpleWorkflowService.';

/** The operation an X-Amz-Target names, in either form; '' when it names none. */
export function operationOfTarget(target: string): string {
  if (target.startsWith(TARGET_PREFIX)) return target.slice(TARGET_PREFIX.length);
  if (target.startsWith(LEGACY_TARGET_PREFIX)) return target.slice(LEGACY_TARGET_PREFIX.length);
  return '';
}

/** The name requests are signed for (the model's aws.auth#sigv4 trait): the service in a SigV4 credential scope. */
export const SIGNING_NAME = 'swf';

/** The Content-Type of awsJson1_0 requests and answers (the model's aws.protocols#awsJson1_0 trait). */
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/**
 * The media type an answer carries, by the request's form: the boto 2 form (Content-Type
 * application/json, Content-Encoding amz-1.0) is answered application/json (recorded,
 * simpleflow), as is the API pages' example request (x-amz-json-1.0 with Content-Encoding
 * amz-1.0; documented); the awsJson form application/x-amz-json-1.0 (recorded, flowy's 2016
 * boto3 cassettes). The reference answers by it, and the replay checks every success against it.
 */
export function answerMediaType(request: { contentType?: string; contentEncoding?: string }): string {
  return /^application\/json\b/i.test(request.contentType ?? '') || /^amz-1\.0$/i.test(request.contentEncoding ?? '')
    ? 'application/json'
    : JSON_CONTENT_TYPE;
}

/**
 * How long SWF holds a PollForDecisionTask open before it answers with no task: 60 s (the
 * PollForDecisionTask page, "long poll"). Every wait on the wire is bounded by it.
 */
export const LONG_POLL_MS = 60_000;

/** How long a client waits for any answer: a long poll and a margin for the network. */
export const CLIENT_TIMEOUT_MS = LONG_POLL_MS + 10_000;

/**
 * How long one battery test may take: one long poll, a few waits of the consistency window for
 * reads the contract lets lag, and the rest of the scenario.
 */
export const testTimeoutMs = (consistencyWindowMs: number) => CLIENT_TIMEOUT_MS + 3 * consistencyWindowMs + 30_000;

/**
 * The reference emulator's own endpoints, outside SWF's API (whose requests are all POST /).
 * GET: 200 while it serves, with the implementation and version it is ("reference 0.9.0").
 */
export const HEALTH_PATH = '/_swf-conformance/health';
/** POST: forgets every domain, type and execution, as a fresh start would. */
export const RESET_PATH = '/_swf-conformance/reset';

/**
 * How a test's worker tells the run it is still waiting on a lagging read: a console line with
 * this mark, which the run's reporter prints (every other console line of a test is dropped).
 */
export const WAITING_MARK = '[swf-conformance:waiting] ';
/** How often a wait on a lagging read is said, in milliseconds. */
export const SAY_WAITING_EVERY_MS = 5_000;

/**
 * A name with its first letter lowered: how the model names the member that carries a type's
 * attributes (`WorkflowExecutionStarted` → `workflowExecutionStartedEventAttributes`, a decision's
 * `…DecisionAttributes`).
 */
export const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** The object without its undefined members: a member with no value is absent on the wire, never null. */
export function defined<T extends object>(o: T): T {
  // A loop, not entries → filter → fromEntries: the reference builds every event and answer with it.
  const out: Record<string, unknown> = {};
  for (const key in o) if (o[key] !== undefined) out[key] = o[key];
  return out as T;
}

/** The reads a client sees the two operations' effects with, which the contract lets lag (eventually consistent). */
export const EVENTUALLY_CONSISTENT_READS: ReadonlySet<string> = new Set([
  'DescribeWorkflowExecution',
  'GetWorkflowExecutionHistory',
  'ListOpenWorkflowExecutions',
  'ListClosedWorkflowExecutions',
  'CountOpenWorkflowExecutions',
  'CountClosedWorkflowExecutions',
]);
