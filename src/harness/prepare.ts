import { childPolicies } from '../contract/constraints.ts';
import type { ChildPolicy } from '../generated/types.ts';
import type { RawClient } from '../clients/raw.ts';
import { ConfigError } from './config.ts';

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
  const described = await raw.send({ operation: 'DescribeDomain', body: { name } });
  if (described.status === 200) {
    const detail = described.json as { domainInfo?: { status?: string }; configuration?: { workflowExecutionRetentionPeriodInDays?: string } };
    const days = detail.configuration?.workflowExecutionRetentionPeriodInDays;
    if (days === '0' || days === 'NONE') throw new ConfigError(`domain ${name} keeps closed executions for 0 days; the suite needs at least 1 (set SWF_CONFORMANCE_DOMAIN to another domain)`);
    if (detail.domainInfo?.status === 'DEPRECATED') {
      if (!options.undeprecate) throw new ConfigError(`domain ${name} is deprecated; undeprecate it or set SWF_CONFORMANCE_DOMAIN to another domain`);
      const res = await raw.send({ operation: 'UndeprecateDomain', body: { name } });
      if (res.status !== 200) throw new Error(`UndeprecateDomain ${name} answered ${res.status} ${res.error?.code ?? res.text.slice(0, 200)}`);
    }
    return;
  }
  if (described.error?.code !== 'UnknownResourceFault') {
    throw new ConfigError(`DescribeDomain ${name} answered HTTP ${described.status} ${described.error?.code ?? ''} ${described.error?.message ?? described.text.slice(0, 200)}`.trim());
  }
  const res = await raw.send({ operation: 'RegisterDomain', body: { name, workflowExecutionRetentionPeriodInDays: '1', description: 'Reused by swf-conformance runs' } });
  if (res.status !== 200 && res.error?.code !== 'DomainAlreadyExistsFault') {
    throw new ConfigError(`RegisterDomain ${name} answered HTTP ${res.status} ${res.error?.code ?? ''} ${res.error?.message ?? res.text.slice(0, 200)}`.trim());
  }
}

/** Registers the suite's workflow types in the domain, each only if missing. */
export async function ensureTypes(raw: RawClient, domain: string): Promise<void> {
  for (const t of suiteTypes) {
    const res = await raw.send({ operation: 'RegisterWorkflowType', body: {
      domain, name: t.name, version: t.version, description: 'swf-conformance scenario type',
      defaultTaskList: { name: 'swf-conformance-default' },
      // Executions a run leaves open time out after an hour, whatever happens to the run.
      defaultExecutionStartToCloseTimeout: '3600', defaultTaskStartToCloseTimeout: '300',
      ...(t.defaultChildPolicy ? { defaultChildPolicy: t.defaultChildPolicy } : {}),
    } });
    if (res.status !== 200 && res.error?.code !== 'TypeAlreadyExistsFault') {
      throw new ConfigError(`RegisterWorkflowType ${t.name} answered HTTP ${res.status} ${res.error?.code ?? ''} ${res.error?.message ?? res.text.slice(0, 200)}`.trim());
    }
  }
}
