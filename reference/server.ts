import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReferenceConfig } from '../src/generated/types.ts';
import { suiteVersion } from '../src/contract/paths.ts';
import { answerMediaType, HEALTH_PATH, operationOfTarget, RESET_PATH } from '../src/contract/protocol.ts';
import type { ShapeName } from '../src/contract/validators.ts';
import { operations, type OperationName } from '../src/generated/operations.ts';
import { claimedAccessKey, verifySigV4 } from './auth.ts';
import { Deviations } from './deviations/catalogue.ts';
import { frontPlugs, seamsFor } from './deviations/seams.ts';
import { compose, faultAnswer, type Access, type AccessTools, type FrontAnswer, type FrontRequest } from './front.ts';
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

function send(res: ServerResponse, answer: FrontAnswer): void {
  if (res.headersSent || res.destroyed) return;
  const { status, headers, body, requestId } = answer;
  // Names and values in one flat list: node:http takes it as it is, without a merged object.
  const head: string[] = requestId
    ? ['x-amzn-RequestId', randomUUID(), 'Content-Length', String(Buffer.byteLength(body))]
    : ['Content-Length', String(Buffer.byteLength(body))];
  for (const name in headers) head.push(name, headers[name]!);
  res.writeHead(status, head);
  res.end(body);
}

/** An answer of the reference's own endpoints (health, reset): JSON, and no request id, as they are not SWF's. */
const ownAnswer = (value: unknown): FrontAnswer => ({
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
  requestId: false,
});

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

  /** The contract's access: a rule of the principal's names the operation and the domain (any domain, when none is given). */
  const allowed: Access = ({ principal, operation, domain }) => {
    if (!policy) return true;
    const rules = Object.hasOwn(policy.principals, principal) ? (policy.principals[principal] ?? []) : [];
    return rules.some(
      (rule) =>
        (rule.actions.includes('*') || rule.actions.includes(operation) || rule.actions.includes(`swf:${operation}`)) &&
        (domain === undefined || rule.domains.includes('*') || rule.domains.includes(domain)),
    );
  };
  const plugs = frontPlugs(dev, config.auth?.credentials ?? []);
  const access = plugs.access.reduceRight<Access>((next, plug) => plug(next), allowed);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The emulator's own endpoints, for its users' test suites: outside SWF's API, under a path no
    // SWF request uses (SWF's are POST /).
    if (req.url === HEALTH_PATH && req.method === 'GET') {
      return void send(
        res,
        ownAnswer({
          status: 'ok',
          implementation: `reference ${suiteVersion()}`,
          region: engine.registry.region,
          operations: servedOperations.length,
        }),
      );
    }
    if (req.url === RESET_PATH && req.method === 'POST') {
      req.resume();
      engine.upkeep.shutdown();
      engine = makeEngine();
      buckets = new TokenBuckets();
      return void send(res, ownAnswer({ reset: true }));
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
    send(res, await dispatch({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body }));
  }

  /** The front's own handling of an SWF request, inside the plugs: its answer, a fault's included. */
  async function answer(req: FrontRequest): Promise<FrontAnswer> {
    try {
      return await swf(req);
    } catch (error) {
      if (error instanceof SwfFault) return faultAnswer(error);
      // Anything else is a bug in the reference: say so plainly, and keep serving.
      console.error('swf-conformance reference: internal error:', error);
      return faultAnswer(new SwfFault('InternalFailure', 'The reference failed to handle this request', 500));
    }
  }
  const dispatch = compose(answer, plugs.dispatch);

  async function swf(req: FrontRequest): Promise<FrontAnswer> {
    const { body } = req;
    const verified =
      req.principal ??
      (config.auth
        ? verifySigV4(req.method, req.url, req.headers, body, config.auth.credentials)
        : (claimedAccessKey(req.headers) ?? 'anonymous'));
    // The common request is verified at once; only the SDK signer's check is awaited.
    const principal = typeof verified === 'string' ? verified : await verified;
    // A regional endpoint refuses a signature scoped to another region (inferred from AWS's
    // services: InvalidSignatureException).
    const signedFor = signedRegion(req.headers);
    if (config.auth && signedFor && signedFor !== engine.registry.region)
      throw new SwfFault('InvalidSignatureException', `Credential should be scoped to a valid region, not '${signedFor}'. `, 400);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = operationOfTarget(target);
    // The answer's media type follows the request's form, void successes included.
    const contentType = answerMediaType({
      contentType: String(req.headers['content-type'] ?? ''),
      contentEncoding: String(req.headers['content-encoding'] ?? ''),
    });
    if (req.method !== 'POST' || !isServed(operation)) throw fault.unknownOperation(target);
    if (config.throttling) {
      const size = throttleBuckets[operation];
      if (size && !buckets.take(operation, size)) throw fault.throttled();
    }
    let input: unknown;
    try {
      // An empty body is read as {} (inferred): the required members are then reported missing.
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw fault.notJson();
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw fault.notAnObject();
    validateInput(operations[operation].input as ShapeName, input, plugs.check);
    const fields = input as Record<string, unknown>;
    const domain = domainOf(fields, operation);
    // A plug may call the engine as a late access check would; the contract's access calls nothing.
    const tools: AccessTools = { call: (name, given) => (isServed(name) ? run(engine, name, given) : undefined) };
    if (!(await access({ principal, operation, domain, input: fields }, tools))) {
      const resource =
        domain === '*' ? `arn:aws:swf:${engine.registry.region}:${engine.registry.accountId}:/domain/*` : engine.registry.domainArn(domain);
      throw new SwfFault(
        policy?.deniedCode ?? 'OperationNotPermittedFault',
        `User: arn:aws:iam::${engine.registry.accountId}:user/${principal} is not authorized to perform: swf:${operation} on resource: ${resource}`,
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
    // A void operation: HTTP 200 with an empty body, as the API pages' examples show.
    return {
      status: 200,
      headers: { 'Content-Type': contentType },
      body: output === undefined ? '' : JSON.stringify(output),
      requestId: true,
    };
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      // A body too large, read before the front's dispatch; anything else is a bug in the reference: said plainly, and serving goes on.
      if (!(error instanceof SwfFault)) console.error('swf-conformance reference: internal error:', error);
      send(
        res,
        faultAnswer(
          error instanceof SwfFault ? error : new SwfFault('InternalFailure', 'The reference failed to handle this request', 500),
        ),
      );
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
      engine.upkeep.shutdown();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
