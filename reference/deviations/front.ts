/**
 * The catalogue's wrong wire behaviours, as plugs of the HTTP front (reference/front.ts): each
 * wraps the front's dispatch, to answer before it or to change what it answers.
 */
import { operationOfTarget, TARGET_PREFIX } from '../../src/contract/protocol.ts';
import { isOperationUnderTest } from '../../src/generated/operations.ts';
import { claimedAccessKey } from '../auth.ts';
import { fault, NOT_AN_OBJECT, NOT_JSON } from '../faults.ts';
import { faultAnswer, type AccessPlug, type AccessTools, type FrontAnswer, type FrontRequest, type Interceptor } from '../front.ts';
import type { DeviationTable } from './deviation.ts';

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
export function frontDeviations(principals: readonly { accessKeyId: string; principal?: string }[]): DeviationTable<Interceptor> {
  /** The principal of the access key a request claims, whether or not its signature holds. */
  const claimed = (req: FrontRequest) => {
    const credential = principals.find((c) => c.accessKeyId === claimedAccessKey(req.headers)) ?? principals[0];
    return credential ? (credential.principal ?? credential.accessKeyId) : 'anonymous';
  };
  return {
    'fault-bare-type': {
      does: '__type carries the bare code, without its namespace',
      breaks: ['fault.envelope.namespace', 'fault.validation.envelope'],
      plug: after((a) => (a.fault ? { ...a, body: JSON.stringify({ __type: a.fault.code, message: a.fault.message }) } : a)),
    },
    'fault-status-500': {
      does: 'faults of the two operations are HTTP 500 instead of 400',
      breaks: ['fault.envelope.shape'],
      plug: after((a, req) => (a.fault && a.status === 400 && underTest(req) ? { ...a, status: 500 } : a)),
    },
    'fault-no-error-type-header': {
      does: 'faults carry no X-Amzn-ErrorType header',
      breaks: ['fault.envelope.error-type-header'],
      plug: after((a) => {
        if (!a.fault) return a;
        const { 'X-Amzn-ErrorType': _, ...headers } = a.headers;
        return { ...a, headers };
      }),
    },
    'fault-header-disagrees': {
      does: 'the X-Amzn-ErrorType header names InternalFailure whatever __type says',
      breaks: ['fault.envelope.codes-agree'],
      plug: after((a) =>
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
    },
    'no-request-id-on-validation': {
      does: 'ValidationException answers carry no x-amzn-RequestId',
      breaks: ['wire.success.request-id'],
      plug: after((a) => (a.fault?.code === 'ValidationException' ? { ...a, requestId: false } : a)),
    },
    'success-body-braces': {
      does: 'a void success answers the body {} instead of an empty one',
      breaks: ['wire.success.empty-body', 'wire.seed-example.cancel', 'wire.seed-example.terminate'],
      plug: after((a) => (voidSuccess(a) ? { ...a, body: '{}', headers: { ...a.headers, 'Content-Type': 'application/json' } } : a)),
    },
    'success-content-type-text': {
      does: 'a void success has Content-Type text/plain',
      breaks: ['wire.success.content-type', 'wire.content-type.follows-request'],
      plug: after((a) => (voidSuccess(a) ? { ...a, headers: { ...a.headers, 'Content-Type': 'text/plain' } } : a)),
    },
    'legacy-target-refused': {
      does: 'the older X-Amz-Target form com.amazonaws.swf.service.model.SimpleWorkflowService.<Operation> is UnknownOperationException',
      breaks: ['wire.protocol.legacy-target', 'wire.protocol.legacy-target.request-cancel'],
      plug: (next) => async (req) => (target(req).startsWith(TARGET_PREFIX) ? next(req) : faultAnswer(fault.unknownOperation(target(req)))),
    },
    'unknown-operation-400-bare': {
      does: 'an unknown operation is answered as InvalidAction',
      breaks: ['fault.unknown-operation'],
      plug: after((a, req) =>
        a.fault?.code === 'UnknownOperationException'
          ? faultAnswer(fault.invalidAction(`action ${operationOfTarget(target(req))} not implemented`))
          : a,
      ),
    },
    'json-1-1-only': {
      does: "the two operations accept Content-Type application/x-amz-json-1.1 only, refusing the protocol's 1.0",
      breaks: ['wire.protocol.target-header'],
      plug: (next) => async (req) =>
        underTest(req) && !/application\/x-amz-json-1\.1/.test(String(req.headers['content-type'] ?? ''))
          ? faultAnswer(fault.serialization('Only application/x-amz-json-1.1 is accepted'))
          : next(req),
    },
    'malformed-json-validation': {
      does: 'a body that is not a JSON object is ValidationException, not SerializationException',
      breaks: ['fault.serialization.malformed-json'],
      plug: after((a) => {
        // Only the two faults of the body itself; a member of the wrong type stays a SerializationException.
        if (a.fault?.code !== 'SerializationException' || ![NOT_JSON, NOT_AN_OBJECT].includes(a.fault.message)) return a;
        return faultAnswer(
          fault.validation(`1 validation error detected: the body is not ${a.fault.message === NOT_JSON ? 'JSON' : 'a JSON object'}`),
        );
      }),
    },
    // Authentication: the request's claimed key is taken at its word, with no signature, or any.
    'unsigned-accepted': {
      does: "a request with no signature is served as the suite's principal",
      breaks: ['fault.auth.missing'],
      plug: (next) => async (req) =>
        req.headers.authorization || !principals.length ? next(req) : next({ ...req, principal: claimed(req) }),
    },
    'auth-not-checked': {
      does: 'signatures are not verified: any access key is accepted',
      breaks: ['fault.auth.invalid', 'fault.auth.invalid-code', 'fault.auth.invalid.no-effect'],
      plug: (next) => async (req) => (principals.length ? next({ ...req, principal: claimed(req) }) : next(req)),
    },
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
export const accessDeviations: DeviationTable<AccessPlug> = {
  'access-ignores-domain': {
    does: 'the permission check matches the action and ignores the domain resource',
    breaks: ['fault.access.denied'],
    plug: (next) => (r, tools) => next({ ...r, domain: undefined }, tools),
  },
  'access-unchecked-for-cancel': {
    does: 'RequestCancelWorkflowExecution skips the permission check',
    breaks: ['fault.access.denied'],
    plug: (next) => (r, tools) => r.operation === 'RequestCancelWorkflowExecution' || next(r, tools),
  },
  'access-denied-but-applied': {
    does: 'a denied call is answered with the fault, but carried out',
    breaks: ['fault.access.no-effect'],
    plug: (next) => async (r, tools) => {
      const allowed = await next(r, tools);
      if (!allowed && isOperationUnderTest(r.operation))
        await Promise.resolve()
          .then(() => tools.call(r.operation, r.input))
          .catch(() => undefined);
      return allowed;
    },
  },
  'access-checked-after-lookup': {
    does: 'an unknown execution in a denied domain is UnknownResourceFault: the lookup comes before the permission check',
    breaks: ['fault.access.before-lookup'],
    plug: (next) => async (r, tools) => {
      if (isOperationUnderTest(r.operation)) await lookUp(r.input, tools.call);
      return next(r, tools);
    },
  },
};
