/**
 * Faults the reference answers with. A fault is HTTP 400 (the awsJson1_0 protocol's client
 * error) with a JSON body { "__type": "<namespace>#<Code>", "message": "..." } and the code in
 * the X-Amzn-ErrorType header.
 */

const SWF = 'com.amazonaws.swf.base.model';
const COERCE = 'com.amazon.coral.service';

/** Namespaces as real SWF sends them; the modeled faults share one. */
const namespaceOf: Record<string, string> = {
  ValidationException: 'com.amazon.coral.validate',
  SerializationException: COERCE,
  UnknownOperationException: COERCE,
  ThrottlingException: 'com.amazon.coral.availability',
  MissingAuthenticationTokenException: COERCE,
  UnrecognizedClientException: COERCE,
  InvalidSignatureException: COERCE,
  IncompleteSignatureException: COERCE,
  AccessDeniedException: COERCE,
  RequestEntityTooLargeException: COERCE,
  NotImplementedException: 'swf-conformance.reference',
};

export class SwfFault extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }

  get type(): string {
    return `${namespaceOf[this.code] ?? SWF}#${this.code}`;
  }

  body(): string {
    return JSON.stringify({ __type: this.type, message: this.message });
  }
}

export const fault = {
  unknownDomain: (name: string) => new SwfFault('UnknownResourceFault', `Unknown domain: ${name}`),
  /** A start in a deprecated domain: the refusal is a clause (deprecated.no-new-executions), its message is not. */
  deprecatedDomain: (name: string) => new SwfFault('UnknownResourceFault', `Domain is deprecated: ${name}`),
  unknownType: (name: string, version: string) =>
    new SwfFault('UnknownResourceFault', `Unknown type: WorkflowType=[name=${name}, version=${version}]`),
  unknownExecutionWithRun: (workflowId: string, runId: string) =>
    new SwfFault('UnknownResourceFault', `Unknown execution: WorkflowExecution=[workflowId=${workflowId}, runId=${runId}]`),
  // Inferred wording: two emulators agree on it, no AWS recording (spec: fault.unknown.message-without-run-id).
  unknownExecution: (workflowId: string) => new SwfFault('UnknownResourceFault', `Unknown execution, workflowId = ${workflowId}`),
  unknownTaskToken: () => new SwfFault('UnknownResourceFault', 'Unknown task token'),
  validation: (message: string) => new SwfFault('ValidationException', message),
  serialization: (message: string) => new SwfFault('SerializationException', message),
  /** The body is not JSON (its message tells it from the other SerializationExceptions). */
  notJson: () => new SwfFault('SerializationException', NOT_JSON),
  /** The body is JSON, but not an object. */
  notAnObject: () => new SwfFault('SerializationException', NOT_AN_OBJECT),
  /** The code a query-protocol front answers an unknown action with (a deviation's, never the contract's). */
  invalidAction: (message: string) => new SwfFault('InvalidAction', message),
  unknownOperation: (target: string) =>
    new SwfFault('UnknownOperationException', target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header'),
  throttled: () => new SwfFault('ThrottlingException', 'Rate exceeded'),
  notImplemented: (what: string) => new SwfFault('NotImplementedException', `${what} is not implemented by the swf-conformance reference`),
};

export const NOT_JSON = 'Unable to parse the request body as JSON';
export const NOT_AN_OBJECT = 'The request body must be a JSON object';
