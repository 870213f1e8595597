/**
 * The catalogue's wrong wire behaviours, as plugs of the HTTP front (reference/front.ts): each
 * wraps the front's dispatch, to answer before it or to change what it answers.
 */
import { operationOfTarget, TARGET_PREFIX } from '../../src/contract/protocol.ts';
import { isOperationUnderTest } from '../../src/generated/operations.ts';
import { claimedAccessKey } from '../auth.ts';
import { fault, NOT_AN_OBJECT, NOT_JSON } from '../faults.ts';
import { faultAnswer, type AccessPlug, type AccessTools, type FrontAnswer, type FrontRequest, type Interceptor } from '../front.ts';

const target = (req: FrontRequest) => String(req.headers['x-amz-target'] ?? '');
const underTest = (req: FrontRequest) => isOperationUnderTest(operationOfTarget(target(req)));
/** A void success: HTTP 200 with no body. */
const voidSuccess = (a: FrontAnswer) => a.status === 200 && a.body === '' && !a.fault;
/** Changes the answer the dispatch inside gives. */
const after =
  (change: (answer: FrontAnswer, req: FrontRequest) => FrontAnswer): Interceptor =>
  (next) =>
  async (req) =>
    change(await next(req), req);

/** The plugs, by deviation name; `principals` are the credentials the reference accepts, for the authentication plugs. */
export function frontDeviations(principals: readonly { accessKeyId: string; principal?: string }[]): Record<string, Interceptor> {
  /** The principal of the access key a request claims, whether or not its signature holds. */
  const claimed = (req: FrontRequest) => {
    const credential = principals.find((c) => c.accessKeyId === claimedAccessKey(req.headers)) ?? principals[0];
    return credential ? (credential.principal ?? credential.accessKeyId) : 'anonymous';
  };
  return {
    'fault-bare-type': after((a) => (a.fault ? { ...a, body: JSON.stringify({ __type: a.fault.code, message: a.fault.message }) } : a)),
    'fault-status-500': after((a, req) => (a.fault && a.status === 400 && underTest(req) ? { ...a, status: 500 } : a)),
    'fault-no-error-type-header': after((a) => {
      if (!a.fault) return a;
      const { 'X-Amzn-ErrorType': _, ...headers } = a.headers;
      return { ...a, headers };
    }),
    'fault-header-disagrees': after((a) =>
      a.fault
        ? {
            ...a,
            headers: {
              ...a.headers,
              'X-Amzn-ErrorType': `InternalFailure:http://internal.amazon.com/coral/${a.fault.type.split('#')[0]}/`,
            },
          }
        : a,
    ),
    'no-request-id-on-validation': after((a) => (a.fault?.code === 'ValidationException' ? { ...a, requestId: false } : a)),
    'success-body-braces': after((a) =>
      voidSuccess(a) ? { ...a, body: '{}', headers: { ...a.headers, 'Content-Type': 'application/json' } } : a,
    ),
    'success-content-type-text': after((a) => (voidSuccess(a) ? { ...a, headers: { ...a.headers, 'Content-Type': 'text/plain' } } : a)),
    'legacy-target-refused': (next) => async (req) =>
      target(req).startsWith(TARGET_PREFIX) ? next(req) : faultAnswer(fault.unknownOperation(target(req))),
    'unknown-operation-400-bare': after((a, req) =>
      a.fault?.code === 'UnknownOperationException'
        ? faultAnswer(fault.invalidAction(`action ${operationOfTarget(target(req))} not implemented`))
        : a,
    ),
    'json-1-1-only': (next) => async (req) =>
      underTest(req) && !/application\/x-amz-json-1\.1/.test(String(req.headers['content-type'] ?? ''))
        ? faultAnswer(fault.serialization('Only application/x-amz-json-1.1 is accepted'))
        : next(req),
    'malformed-json-validation': after((a, req) => {
      // Only the two faults of the body itself; a member of the wrong type stays a SerializationException.
      if (a.fault?.code !== 'SerializationException' || ![NOT_JSON, NOT_AN_OBJECT].includes(a.fault.message)) return a;
      return faultAnswer(
        fault.validation(`1 validation error detected: the body is not ${a.fault.message === NOT_JSON ? 'JSON' : 'a JSON object'}`),
      );
    }),
    // Authentication: the request's claimed key is taken at its word, with no signature, or any.
    'unsigned-accepted': (next) => async (req) =>
      req.headers.authorization || !principals.length ? next(req) : next({ ...req, principal: claimed(req) }),
    'auth-not-checked': (next) => async (req) => (principals.length ? next({ ...req, principal: claimed(req) }) : next(req)),
  };
}

/** Throws the fault a request of the two operations gets for an execution that is not there, found the way a client finds it. */
async function lookUp(input: Record<string, unknown>, call: AccessTools['call']): Promise<void> {
  const domain = String(input.domain);
  const workflowId = String(input.workflowId);
  const runId = typeof input.runId === 'string' && input.runId ? input.runId : undefined;
  if (runId) {
    const detail = (await call('DescribeWorkflowExecution', { domain, execution: { workflowId, runId } })) as {
      executionInfo?: { executionStatus?: string };
    };
    if (detail.executionInfo?.executionStatus !== 'OPEN') throw fault.unknownExecutionWithRun(workflowId, runId);
    return;
  }
  const open = (await call('ListOpenWorkflowExecutions', {
    domain,
    startTimeFilter: { oldestDate: 0 },
    executionFilter: { workflowId },
  })) as { executionInfos?: unknown[] };
  if (!open.executionInfos?.length) throw fault.unknownExecution(workflowId);
}

/** The plugs of the access seam, by deviation name: a policy checked too loosely, or too late. */
export const accessDeviations: Record<string, AccessPlug> = {
  'access-ignores-domain': (next) => (r, tools) => next({ ...r, domain: undefined }, tools),
  'access-unchecked-for-cancel': (next) => (r, tools) => r.operation === 'RequestCancelWorkflowExecution' || next(r, tools),
  'access-denied-but-applied': (next) => async (r, tools) => {
    const allowed = await next(r, tools);
    if (!allowed && isOperationUnderTest(r.operation))
      await Promise.resolve()
        .then(() => tools.call(r.operation, r.input))
        .catch(() => undefined);
    return allowed;
  },
  'access-checked-after-lookup': (next) => async (r, tools) => {
    if (isOperationUnderTest(r.operation)) await lookUp(r.input, tools.call);
    return next(r, tools);
  },
};
