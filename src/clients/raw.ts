import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { request as undiciRequest, type Agent } from 'undici';
import { dispatcherWith } from './tls.ts';
import { CLIENT_TIMEOUT_MS, JSON_CONTENT_TYPE, SIGNING_NAME, TARGET_PREFIX } from '../contract/protocol.ts';
import type { OperationMap, OperationName } from '../generated/operations.ts';
import { resolveErrorCode } from './errors.ts';

/** One request and its response, as sent and received; what reports show for a failure. */
export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  response: { status: number; headers: Record<string, string>; body: string } | { error: string };
  /**
   * Who the request was sent as, where not the client's own principal: unsigned, with keys the
   * caller gave (sign: credentials), or as the client's label says (the restricted principal).
   */
  principal?: Principal;
}

/** Who a request was sent as, where not the run's own principal. */
export type Principal = 'unsigned' | 'given-key' | 'restricted';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The body exactly as received. */
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  /** For a fault: the code an AWS SDK would resolve, and the envelope's fields. */
  error?: { code?: string; type?: string; message?: string };
  exchange: Exchange;
  /** The 5xx answers this request got before this one, when `send` sent it again. */
  retriedAfter?: RawResponse[];
}

export interface RawRequest {
  /** The operation; sets X-Amz-Target to SimpleWorkflowService.<operation>. */
  operation?: string;
  /** A whole X-Amz-Target value, for unknown or malformed targets; wins over operation. */
  target?: string | null;
  /** An object is sent as JSON; a string or Buffer is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Sign with these credentials, with the client's (default), or not at all (false). */
  sign?: boolean | AwsCredentialIdentity;
}

/** Counts the requests this process sends, in the order `send` is called. */
let sendOrder = 0;

/** How many requests this process has sent so far: for an exchange ending now, which were sent while it waited. */
export const sentSoFar = (): number => sendOrder;

export interface RawClientOptions {
  endpoint: string;
  region: string;
  credentials?: () => Promise<AwsCredentialIdentity>;
  /**
   * Called with every exchange, for the report, once it has ended; `sent` orders the exchanges as
   * they were sent (in this process), which requests made together end in no set order.
   */
  onExchange?: (exchange: Exchange, sent: number) => void;
  /** Bound on one request, in milliseconds. */
  timeoutMs?: number;
  /** Who this client's requests are sent as, where not the run's own principal (for recordings). */
  principal?: Principal;
  /**
   * Once aborted, no request is sent: `send` throws the signal's reason. A request already sent
   * runs to its answer, so that an execution it starts is recorded, except a long poll, which
   * hands out nothing the run needs and is cut short.
   */
  signal?: AbortSignal;
  /** Asked before each request is sent; throws to send nothing (the run was stopped). */
  guard?: () => void;
}

/** One rejection per abort signal, however many requests wait on it: one listener, not one per request. */
const stops = new WeakMap<AbortSignal, Promise<never>>();
function stoppedBy(signal: AbortSignal): Promise<never> {
  let stopped = stops.get(signal);
  if (!stopped) {
    stopped = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    // Nothing may wait on it by the time it rejects.
    stopped.catch(() => undefined);
    stops.set(signal, stopped);
  }
  return stopped;
}

/** The statuses an AWS SDK's standard retry mode sends again. */
export const SERVER_ERRORS: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** How long `send` waits before its attempt-th retry (from 1), in milliseconds. */
export const retryDelayMs = (attempt: number) => 50 * attempt;

/** The fault codes an AWS SDK's standard retry mode treats as throttling, and sends again after a backoff. */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/** How many times a throttled request is sent again, and the backoff: full jitter on 500 ms doubling, at most 20 s (the SDKs' standard mode). */
export const THROTTLING_RETRIES = 4;
export const throttlingDelayMs = (attempt: number) => Math.random() * Math.min(20_000, 500 * 2 ** (attempt - 1));

/** The connection pool, made on first use: it trusts the CA bundle the run was given (tls.ts). */
let agent: Agent | undefined;
const dispatcher = () => {
  agent ??= dispatcherWith({ keepAliveTimeout: 4_000, connections: 32 });
  return agent;
};

/**
 * One signer per credentials and region, shared by every client of this process: a new signer
 * for each request cost a third of the signing time (the battery's clients share their keys).
 */
const signers = new WeakMap<AwsCredentialIdentity, Map<string, SignatureV4>>();

/** Whether an answer is a throttling fault (HTTP 400 with a throttling code). */
export function isThrottled(res: Pick<RawResponse, 'status' | 'error'>): boolean {
  return res.status === 400 && THROTTLING_CODES.has(res.error?.code ?? '');
}

/**
 * An awsJson1_0 client on undici, SigV4-signed with @smithy/signature-v4. It sends what the SDK
 * would not: wrong JSON types, malformed bodies, missing members, unknown targets.
 */
export class RawClient {
  /** The endpoint, parsed once. */
  private readonly url: URL;
  constructor(readonly options: RawClientOptions) {
    this.url = new URL(options.endpoint);
  }

  private signerFor(credentials: AwsCredentialIdentity): SignatureV4 {
    const byRegion = signers.get(credentials) ?? new Map<string, SignatureV4>();
    signers.set(credentials, byRegion);
    let signer = byRegion.get(this.options.region);
    if (!signer) {
      signer = new SignatureV4({ credentials, region: this.options.region, service: SIGNING_NAME, sha256: Hash.bind(null, 'sha256') });
      byRegion.set(this.options.region, signer);
    }
    return signer;
  }

  /**
   * Sends a request. An answer of HTTP 500, 502, 503 or 504 is sent again, twice at most, after
   * 50 and 100 ms, as AWS SDKs' standard retry mode does: AWS itself answers a rare transient
   * 5xx, and emulators answer 500 when concurrent requests race inside them. What a test judges
   * is the last answer; every attempt is an exchange of its own in the report, so a 5xx that a
   * retry hid is still seen there. `retries: 0` sends once. `abort` ends the request where it
   * is, sent or not (a cleanup being stopped): `send` throws its reason.
   */
  async send(req: RawRequest, { retries = 2, abort }: { retries?: number; abort?: AbortSignal } = {}): Promise<RawResponse> {
    if (abort) {
      abort.throwIfAborted();
      return Promise.race([this.sendWithRetries(req, retries, abort), stoppedBy(abort)]);
    }
    return this.sendWithRetries(req, retries);
  }

  private async sendWithRetries(req: RawRequest, retries: number, abort?: AbortSignal): Promise<RawResponse> {
    let res = await this.sendOnce(req, abort);
    const earlier: RawResponse[] = [];
    for (let attempt = 1; attempt <= retries && SERVER_ERRORS.has(res.status); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
      earlier.push(res);
      res = await this.sendOnce(req, abort);
    }
    // A throttled request is sent again after a backoff, as the SDKs do: the rate a target allows
    // is no verdict on the two operations (fault.throttling.envelope is judged apart).
    for (let attempt = 1; retries > 0 && attempt <= THROTTLING_RETRIES && isThrottled(res); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, throttlingDelayMs(attempt)));
      earlier.push(res);
      res = await this.sendOnce(req, abort);
    }
    return earlier.length ? { ...res, retriedAfter: earlier } : res;
  }

  private async sendOnce(req: RawRequest, abort?: AbortSignal): Promise<RawResponse> {
    const sent = sendOrder++;
    const { signal, guard } = this.options;
    const stop = () => {
      signal?.throwIfAborted();
      guard?.();
    };
    stop();
    const url = this.url;
    const body =
      req.body === undefined ? '{}' : typeof req.body === 'string' || Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body);
    const headers: Record<string, string> = {
      host: url.host,
      'content-type': JSON_CONTENT_TYPE,
      ...(req.target !== null ? { 'x-amz-target': req.target ?? `${TARGET_PREFIX}${req.operation}` } : {}),
      ...lowerKeys(req.headers ?? {}),
    };
    const credentials = req.sign === false ? undefined : typeof req.sign === 'object' ? req.sign : await this.options.credentials?.();
    let signed = headers;
    if (credentials) {
      const signer = this.signerFor(credentials);
      const path = url.pathname || '/';
      const request = new HttpRequest({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path,
        headers,
        body,
      });
      signed = (await signer.sign(request)).headers as Record<string, string>;
    }
    stop();
    const bodyText = Buffer.isBuffer(body) ? body.toString('utf8') : body;
    const principal: Principal | undefined =
      req.sign === false ? 'unsigned' : typeof req.sign === 'object' ? 'given-key' : this.options.principal;
    const exchange: Exchange = {
      request: { method: 'POST', url: url.toString(), headers: { ...signed }, body: bodyText },
      response: { error: 'no response' },
      ...(principal ? { principal } : {}),
    };
    // A long poll is cut short as soon as the test is stopped: checked every quarter second.
    const cut = req.operation?.startsWith('PollFor') && (signal || guard) ? new AbortController() : undefined;
    abort?.throwIfAborted();
    const ended = cut && abort ? AbortSignal.any([cut.signal, abort]) : (cut?.signal ?? abort);
    const watch =
      cut &&
      setInterval(() => {
        try {
          stop();
        } catch (why) {
          cut.abort(why);
        }
      }, 250);
    try {
      const { host: _host, ...sendHeaders } = signed;
      const res = await undiciRequest(url, {
        method: 'POST',
        headers: sendHeaders,
        body,
        dispatcher: dispatcher(),
        ...(ended ? { signal: ended } : {}),
        headersTimeout: this.options.timeoutMs ?? CLIENT_TIMEOUT_MS,
        bodyTimeout: this.options.timeoutMs ?? CLIENT_TIMEOUT_MS,
      });
      const text = await res.body.text();
      const responseHeaders: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) responseHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      exchange.response = { status: res.statusCode, headers: responseHeaders, body: text };
      const out: RawResponse = { status: res.statusCode, headers: responseHeaders, text, exchange };
      try {
        if (text) out.json = JSON.parse(text);
      } catch {
        /* not JSON: tests look at text */
      }
      if (res.statusCode >= 300) {
        const envelope = (out.json && typeof out.json === 'object' ? out.json : {}) as Record<string, unknown>;
        const error: NonNullable<RawResponse['error']> = {};
        const code = resolveErrorCode(responseHeaders, envelope);
        if (code) error.code = code;
        if (typeof envelope.__type === 'string') error.type = envelope.__type;
        const message = envelope.message ?? envelope.Message;
        if (typeof message === 'string') error.message = message;
        out.error = error;
      }
      return out;
    } catch (error) {
      exchange.response = { error: (error as Error).message };
      // A long poll cut short ends as its stop says (a stopped run, a timed-out test).
      if (cut?.signal.aborted) throw cut.signal.reason;
      if (abort?.aborted) throw abort.reason;
      throw error;
    } finally {
      clearInterval(watch);
      this.options.onExchange?.(exchange, sent);
    }
  }

  /**
   * Sends a request the operation map types, and returns the answer's JSON, throwing on any
   * fault. The answer is the target's, unchecked: the caller validates it against the
   * operation's output schema before it trusts a member.
   */
  async call<N extends OperationName>(operation: N, input: OperationMap[N]['input']): Promise<unknown> {
    const res = await this.send({ operation, body: input });
    if (res.status !== 200) {
      // A retry's answer can hide the first one (a request the target half applied before its
      // 500): both are named.
      const first = res.retriedAfter?.[0];
      const before = first
        ? ` (sent again after HTTP ${first.status} ${first.error?.code ?? ''}: ${first.error?.message ?? first.text.slice(0, 120)})`
        : '';
      throw new Error(
        `${operation} answered HTTP ${res.status} ${res.error?.code ?? ''}: ${res.error?.message ?? res.text.slice(0, 200)}${before}`,
      );
    }
    return res.json ?? {};
  }
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
