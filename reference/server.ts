import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReferenceConfig } from '../src/generated/types.ts';
import { suiteVersion } from '../src/contract/paths.ts';
import { answerMediaType, HEALTH_PATH, JSON_CONTENT_TYPE, operationOfTarget, RESET_PATH, TARGET_PREFIX } from '../src/contract/protocol.ts';
import type { ShapeName } from '../src/contract/validators.ts';
import { isOperationUnderTest, operations, type OperationName } from '../src/generated/operations.ts';
import { claimedAccessKey, verifySigV4 } from './auth.ts';
import { Deviations } from './deviations/catalogue.ts';
import { seamsFor } from './deviations/seams.ts';
import { Engine } from './engine/index.ts';
import { fault, SwfFault } from './faults.ts';
import { cancelPerExecutionBucket, maxRequestBytes, throttleBuckets, TokenBuckets } from './limits.ts';
import { validateInput } from './validation.ts';

export type { ReferenceConfig };

const isServed = (name: string): name is OperationName => Object.hasOwn(operations, name);

/** Runs an operation of the engine on an input its schema has accepted. */
function run(engine: Engine, operation: OperationName, input: unknown): unknown {
  // The engine's table is typed operation by operation; the input's type is what its schema checked.
  return (engine.operations[operation] as (input: unknown) => unknown)(input);
}

export const servedOperations = Object.keys(operations) as OperationName[];

/** The region of the request's SigV4 credential scope, when it is signed. */
function signedRegion(headers: IncomingMessage['headers']): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(headers.authorization ?? ''))?.[1];
}

export interface RunningReference {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  engine: Engine;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxRequestBytes) {
        chunks.length = 0;
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    // One chunk is the usual body: no copy then.
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string, requestId = true): void {
  if (res.headersSent || res.destroyed) return;
  // Names and values in one flat list: node:http takes it as it is, without a merged object.
  const head: string[] = requestId
    ? ['x-amzn-RequestId', randomUUID(), 'Content-Length', String(Buffer.byteLength(body))]
    : ['Content-Length', String(Buffer.byteLength(body))];
  for (const name in headers) head.push(name, headers[name]!);
  res.writeHead(status, head);
  res.end(body);
}

function sendFault(res: ServerResponse, f: SwfFault, dev: Deviations, underTest = false): void {
  const namespace = f.type.split('#')[0];
  const bare = dev.has('fault-bare-type');
  send(
    res,
    f.status === 400 && underTest && dev.has('fault-status-500') ? 500 : f.status,
    {
      'Content-Type': JSON_CONTENT_TYPE,
      // The shape real AWS services use: the code, then where it is defined. SDKs keep what comes
      // before the ':' (spec fault.envelope.error-type-header, inferred).
      ...(dev.has('fault-no-error-type-header')
        ? {}
        : {
            'X-Amzn-ErrorType': `${dev.has('fault-header-disagrees') ? 'InternalFailure' : f.code}:http://internal.amazon.com/coral/${namespace}/`,
          }),
    },
    bare ? JSON.stringify({ __type: f.code, message: f.message }) : f.body(),
    !(f.code === 'ValidationException' && dev.has('no-request-id-on-validation')),
  );
}

/** The domain an input names, for the access policy; '*' for operations on no one domain. */
function domainOf(input: Record<string, unknown>, operation: string): string {
  if (typeof input.domain === 'string') return input.domain;
  if (operation.endsWith('Domain') && typeof input.name === 'string') return input.name;
  return '*';
}

/** A certificate and its key, PEM: the reference serves HTTPS with them. */
export interface ReferenceTls {
  key: string;
  cert: string;
}

/** Starts the reference SWF on node:http, or node:https given a certificate. Resolves once it is listening. */
export async function startReference(config: ReferenceConfig = {}, tls?: ReferenceTls): Promise<RunningReference> {
  const dev = new Deviations(config.deviate ?? []);
  const makeEngine = () =>
    new Engine({
      pollTimeoutMs: config.pollTimeoutMs,
      region: config.region,
      accountId: config.accountId,
      ...(config.timing ? { timing: config.timing } : {}),
      seams: seamsFor(dev),
    });
  // `let`: POST /_swf-conformance/reset starts it afresh.
  let engine = makeEngine();
  let buckets = new TokenBuckets();
  const policy = config.policy;

  function allowed(principal: string, operation: string, domain: string): boolean {
    if (!policy) return true;
    const rules = Object.hasOwn(policy.principals, principal) ? (policy.principals[principal] ?? []) : [];
    return rules.some(
      (rule) =>
        (rule.actions.includes('*') || rule.actions.includes(operation) || rule.actions.includes(`swf:${operation}`)) &&
        (rule.domains.includes('*') || rule.domains.includes(domain) || dev.has('access-ignores-domain')),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The emulator's own endpoints, for its users' test suites: outside SWF's API, under a path no
    // SWF request uses (SWF's are POST /).
    if (req.url === HEALTH_PATH && req.method === 'GET') {
      return void send(
        res,
        200,
        { 'Content-Type': 'application/json' },
        JSON.stringify({
          status: 'ok',
          implementation: `reference ${suiteVersion()}`,
          region: engine.region,
          operations: servedOperations.length,
        }),
        false,
      );
    }
    if (req.url === RESET_PATH && req.method === 'POST') {
      req.resume();
      engine.shutdown();
      engine = makeEngine();
      buckets = new TokenBuckets();
      return void send(res, 200, { 'Content-Type': 'application/json' }, JSON.stringify({ reset: true }), false);
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge)
        throw new SwfFault('RequestEntityTooLargeException', `Request body is larger than ${maxRequestBytes} bytes`, 413);
      throw error;
    }
    if (config.latencyMs) await sleep(config.latencyMs);
    const unsigned = !req.headers.authorization && dev.has('unsigned-accepted');
    const verified =
      config.auth && (dev.has('auth-not-checked') || unsigned)
        ? (config.auth.credentials.find((c) => c.accessKeyId === claimedAccessKey(req.headers))?.principal ??
          config.auth.credentials[0]?.principal ??
          'anonymous')
        : config.auth
          ? verifySigV4(req.method ?? 'POST', req.url ?? '/', req.headers, body, config.auth.credentials)
          : (claimedAccessKey(req.headers) ?? 'anonymous');
    // The common request is verified at once; only the SDK signer's check is awaited.
    const principal = typeof verified === 'string' ? verified : await verified;
    // A regional endpoint refuses a signature scoped to another region (inferred from AWS's
    // services: InvalidSignatureException).
    const signedFor = signedRegion(req.headers);
    if (config.auth && signedFor && signedFor !== engine.region)
      throw new SwfFault('InvalidSignatureException', `Credential should be scoped to a valid region, not '${signedFor}'. `, 400);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = dev.has('legacy-target-refused')
      ? target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : ''
      : operationOfTarget(target);
    // The answer's media type follows the request's form, void successes included.
    const contentType = answerMediaType({
      contentType: String(req.headers['content-type'] ?? ''),
      contentEncoding: String(req.headers['content-encoding'] ?? ''),
    });
    if (req.method !== 'POST' || !isServed(operation))
      throw dev.has('unknown-operation-400-bare')
        ? new SwfFault('InvalidAction', `action ${operation} not implemented`)
        : fault.unknownOperation(target);
    const underTest = isOperationUnderTest(operation);
    if (underTest && dev.has('json-1-1-only') && !/application\/x-amz-json-1\.1/.test(String(req.headers['content-type'] ?? ''))) {
      throw fault.serialization('Only application/x-amz-json-1.1 is accepted');
    }
    if (config.throttling) {
      const size = throttleBuckets[operation];
      if (size && !buckets.take(operation, size)) throw fault.throttled();
    }
    let input: unknown;
    try {
      // An empty body is read as {} (inferred): the required members are then reported missing.
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw dev.has('malformed-json-validation')
        ? fault.validation('1 validation error detected: the body is not JSON')
        : fault.serialization('Unable to parse the request body as JSON');
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw dev.has('malformed-json-validation')
        ? fault.validation('1 validation error detected: the body is not a JSON object')
        : fault.serialization('The request body must be a JSON object');
    }
    validateInput(operations[operation].input as ShapeName, input, dev);
    const fields = input as Record<string, unknown>;
    const domain = domainOf(fields, operation);
    if (underTest && dev.has('access-checked-after-lookup')) {
      engine.lookUpTarget(
        String(fields.domain),
        String(fields.workflowId),
        typeof fields.runId === 'string' && fields.runId ? fields.runId : undefined,
      );
    }
    if (
      !allowed(principal, operation, domain) &&
      !(operation === 'RequestCancelWorkflowExecution' && dev.has('access-unchecked-for-cancel'))
    ) {
      if (underTest && dev.has('access-denied-but-applied'))
        await Promise.resolve()
          .then(() => run(engine, operation, input))
          .catch(() => undefined);
      const resource = domain === '*' ? `arn:aws:swf:${engine.region}:${engine.accountId}:/domain/*` : engine.domainArn(domain);
      throw new SwfFault(
        policy?.deniedCode ?? 'OperationNotPermittedFault',
        `User: arn:aws:iam::${engine.accountId}:user/${principal} is not authorized to perform: swf:${operation} on resource: ${resource}`,
      );
    }
    if (
      config.throttling &&
      operation === 'RequestCancelWorkflowExecution' &&
      !buckets.take(`cancel|${domain}|${String(fields.workflowId)}`, cancelPerExecutionBucket)
    ) {
      throw fault.throttled();
    }
    // Most operations answer at once; a long poll answers with a promise.
    const answer = run(engine, operation, input);
    const output = answer instanceof Promise ? await answer : answer;
    if (output === undefined) {
      // A void operation: HTTP 200 with an empty body, as the API pages' examples show.
      if (dev.has('success-body-braces')) send(res, 200, { 'Content-Type': 'application/json' }, '{}');
      else send(res, 200, { 'Content-Type': dev.has('success-content-type-text') ? 'text/plain' : contentType }, '');
    } else {
      send(res, 200, { 'Content-Type': contentType }, JSON.stringify(output));
    }
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (error instanceof SwfFault) return sendFault(res, error, dev, isOperationUnderTest(operationOfTarget(target)));
      // Anything else is a bug in the reference: say so plainly, and keep serving.
      console.error('swf-conformance reference: internal error:', error);
      sendFault(res, new SwfFault('InternalFailure', 'The reference failed to handle this request', 500), dev);
    });
  };
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, onRequest) : createServer(onRequest);
  // An idle connection is kept for a minute, as AWS's front ends keep one: a client that reuses it
  // after its own idle bound (the suite's: 4 s) never races the server closing it. With Node's 5 s
  // default, a client whose event loop lagged a second behind (a busy machine) sent on sockets the
  // server was closing, and got "other side closed".
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  const host = config.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `${tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    get engine() {
      return engine;
    },
    async close() {
      engine.shutdown();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
