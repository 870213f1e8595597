import { CLIENT_TIMEOUT_MS } from '../contract/protocol.ts';
import { childPolicies } from '../contract/constraints.ts';
import type { ChildPolicy } from '../generated/types.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVER_ERRORS, type Exchange, type RawClient, type RawRequest, type RawResponse } from '../clients/raw.ts';
import { ConfigError } from './config.ts';

/** The target cannot be used: it does not answer, or does not answer like SWF. */
export class TargetError extends Error {}

/** One exchange on one line: what was asked and the start of what came back. */
export function exchangeLine(exchange: Exchange): string {
  const target = exchange.request.headers['x-amz-target'] ?? '(no X-Amz-Target)';
  const response = exchange.response;
  if (!('status' in response)) return `POST ${exchange.request.url} ${target} → no answer: ${response.error}`;
  const type = response.headers['content-type'] ?? 'no content type';
  const body = response.body.replace(/\s+/g, ' ').trim();
  return `POST ${exchange.request.url} ${target} → HTTP ${response.status} (${type}) ${body ? JSON.stringify(body.length > 140 ? `${body.slice(0, 140)}…` : body) : 'empty body'}`;
}

/** An answer an SWF endpoint could give: a success, or a fault with a JSON envelope naming its code. */
function speaksSwf(res: RawResponse): boolean {
  if (res.status === 200) return res.text === '' || (typeof res.json === 'object' && res.json !== null);
  return res.status >= 400 && res.status < 500 && typeof res.json === 'object' && res.json !== null && Boolean(res.error?.code);
}

/** Pauses between attempts of a set-up call: an emulator that starts lazily may fail its first calls. */
const RETRY_DELAYS_MS = [200, 500, 1_000, 2_000, 3_000];

/**
 * A set-up call, retried while the endpoint fails to answer or answers 5xx, then checked to be an
 * SWF answer. Anything else ends the run before it starts, naming the first bad exchange.
 */
export async function setupCall(raw: RawClient, request: RawRequest, delays = RETRY_DELAYS_MS): Promise<RawResponse> {
  let firstBad: string | undefined;
  for (let attempt = 0; ; attempt += 1) {
    let res: RawResponse | undefined;
    let failure: Exchange | undefined;
    try {
      // Sent once per attempt: this loop has its own, longer schedule for an endpoint still starting.
      res = await raw.send(request, { retries: 0 });
    } catch (error) {
      // A request that timed out is not retried: the endpoint is there but does not answer.
      if (/timeout/i.test(`${(error as Error).name} ${(error as Error).message}`)) {
        throw new TargetError(
          `the endpoint does not answer ${request.operation} within ${(raw.options.timeoutMs ?? CLIENT_TIMEOUT_MS) / 1000} s`,
        );
      }
      failure = {
        request: {
          method: 'POST',
          url: raw.options.endpoint,
          headers: { 'x-amz-target': `SimpleWorkflowService.${request.operation}` },
          body: '',
        },
        response: { error: (error as Error).message },
      };
    }
    // 500, 502, 503 and 504 may pass (an emulator still starting, a proxy in front); 501 and the rest will not.
    const retryable = !res || SERVER_ERRORS.has(res.status);
    if (res && !retryable) {
      if (speaksSwf(res)) return res;
      throw new TargetError(`the endpoint does not answer like SWF: ${exchangeLine(res.exchange)}`);
    }
    firstBad ??= exchangeLine(res?.exchange ?? failure!);
    const delay = delays[attempt];
    if (delay === undefined) {
      throw new TargetError(
        `the endpoint does not answer like SWF (${attempt + 1} attempts over ${delays.reduce((a, b) => a + b, 0) / 1000} s): ${firstBad}`,
      );
    }
    await sleep(delay);
  }
}

/** The workflow types the suite registers in its domain, one per default child policy and one without. */
export const suiteTypes: { name: string; version: string; defaultChildPolicy?: ChildPolicy }[] = [
  ...childPolicies().map((p) => ({ name: `swf-conformance-${p}`, version: '1', defaultChildPolicy: p })),
  { name: 'swf-conformance-no-default', version: '1' },
];

export const typeFor = (policy?: ChildPolicy) => {
  const t = suiteTypes.find((s) => s.defaultChildPolicy === policy)!;
  return { name: t.name, version: t.version };
};

/**
 * Makes sure a reused domain exists with a retention of at least one day (closed executions are
 * read after they close), registering it only if missing: domains cannot be deleted.
 */
export async function ensureDomain(raw: RawClient, name: string, options: { undeprecate?: boolean } = {}): Promise<void> {
  const described = await setupCall(raw, { operation: 'DescribeDomain', body: { name } });
  if (described.status === 200) {
    const detail = described.json as {
      domainInfo?: { status?: string };
      configuration?: { workflowExecutionRetentionPeriodInDays?: string };
    };
    const days = detail.configuration?.workflowExecutionRetentionPeriodInDays;
    if (days === '0' || days === 'NONE')
      throw new ConfigError(
        `domain ${name} keeps closed executions for 0 days; the suite needs at least 1 (set SWF_CONFORMANCE_DOMAIN to another domain)`,
      );
    if (detail.domainInfo?.status === 'DEPRECATED') {
      if (!options.undeprecate)
        throw new ConfigError(`domain ${name} is deprecated; undeprecate it or set SWF_CONFORMANCE_DOMAIN to another domain`);
      const res = await setupCall(raw, { operation: 'UndeprecateDomain', body: { name } });
      if (res.status !== 200)
        throw new ConfigError(`UndeprecateDomain ${name} answered ${res.status} ${res.error?.code ?? res.text.slice(0, 200)}`);
    }
    return;
  }
  if (described.error?.code !== 'UnknownResourceFault') {
    throw new ConfigError(
      `DescribeDomain ${name} answered HTTP ${described.status} ${described.error?.code ?? ''} ${described.error?.message ?? described.text.slice(0, 200)}`.trim(),
    );
  }
  const res = await setupCall(raw, {
    operation: 'RegisterDomain',
    body: { name, workflowExecutionRetentionPeriodInDays: '1', description: 'Reused by runs of the conformance suite' },
  });
  if (res.status !== 200 && res.error?.code !== 'DomainAlreadyExistsFault') {
    throw new ConfigError(
      `RegisterDomain ${name} answered HTTP ${res.status} ${res.error?.code ?? ''} ${res.error?.message ?? res.text.slice(0, 200)}`.trim(),
    );
  }
}

/** Registers the suite's workflow types in the domain, each only if missing. */
export async function ensureTypes(raw: RawClient, domain: string): Promise<void> {
  // Side by side: each type is registered or found on its own (RegisterWorkflowType's bucket is 200).
  await Promise.all(
    suiteTypes.map(async (t) => {
      const res = await setupCall(raw, {
        operation: 'RegisterWorkflowType',
        body: {
          domain,
          name: t.name,
          version: t.version,
          description: 'swf-conformance scenario type',
          defaultTaskList: { name: 'swf-conformance-default' },
          // Executions a run leaves open time out after an hour, whatever happens to the run.
          defaultExecutionStartToCloseTimeout: '3600',
          defaultTaskStartToCloseTimeout: '300',
          ...(t.defaultChildPolicy ? { defaultChildPolicy: t.defaultChildPolicy } : {}),
        },
      });
      if (res.status !== 200 && res.error?.code !== 'TypeAlreadyExistsFault') {
        throw new ConfigError(
          `RegisterWorkflowType ${t.name} answered HTTP ${res.status} ${res.error?.code ?? ''} ${res.error?.message ?? res.text.slice(0, 200)}`.trim(),
        );
      }
    }),
  );
}

/** The activity type the open-work tests schedule. */
export const SUITE_ACTIVITY_TYPE = { name: 'swf-conformance-activity', version: '1' };

/** Registers the suite's activity type in a domain, or finds it there. */
export async function ensureActivityType(raw: RawClient, domain: string): Promise<{ name: string; version: string }> {
  const res = await setupCall(raw, {
    operation: 'RegisterActivityType',
    body: { domain, ...SUITE_ACTIVITY_TYPE, description: 'swf-conformance open-work type' },
  });
  if (res.status !== 200 && res.error?.code !== 'TypeAlreadyExistsFault') {
    throw new ConfigError(
      `RegisterActivityType answered HTTP ${res.status} ${res.error?.code ?? ''}: ${res.error?.message ?? res.text.slice(0, 200)}`,
    );
  }
  return SUITE_ACTIVITY_TYPE;
}

/** Domains ready for a replay: each registered (and undeprecated), with the suite's workflow types and activity type. */
export async function ensureReplayDomains(client: RawClient, domains: readonly string[]): Promise<void> {
  for (const domain of domains) {
    await ensureDomain(client, domain, { undeprecate: true });
    await ensureTypes(client, domain);
    await ensureActivityType(client, domain);
  }
}
