/** Domains and workflow types: registered, described, deprecated and listed. */
import type {
  DescribeActivityTypeInput,
  DescribeDomainInput,
  DescribeWorkflowTypeInput,
  DeprecateDomainInput,
  ListDomainsInput,
  ListWorkflowTypesInput,
  RegisterActivityTypeInput,
  RegisterDomainInput,
  RegisterWorkflowTypeInput,
  UndeprecateDomainInput,
  WorkflowType,
} from '../../../src/generated/types.ts';
import { SwfFault, fault } from '../../faults.ts';
import { defined, keys, type Attributes, type Domain, type Store, type TypeRecord } from '../model.ts';
import { paginate } from './paging.ts';

const MAX_DOMAINS = 100;

export class Registry {
  constructor(
    private readonly store: Store,
    readonly region = 'us-east-1',
    readonly accountId = '000000000000',
  ) {}

  domainArn(name: string): string {
    return `arn:aws:swf:${this.region}:${this.accountId}:/domain/${name}`;
  }

  registerDomain(input: RegisterDomainInput): void {
    const { domains } = this.store;
    if (domains.has(input.name)) throw new SwfFault('DomainAlreadyExistsFault', input.name);
    const days = input.workflowExecutionRetentionPeriodInDays;
    if (days !== 'NONE' && !(/^\d+$/.test(days) && Number(days) <= 90)) {
      throw fault.validation(`Retention period must be between 0 and 90 days, or NONE: ${days}`);
    }
    if (domains.size >= MAX_DOMAINS) throw new SwfFault('LimitExceededFault', `Number of domains exceeds the limit of ${MAX_DOMAINS}`);
    domains.set(
      input.name,
      defined({ name: input.name, description: input.description, retentionDays: days, status: 'REGISTERED' as const }),
    );
  }

  private domainInfo(d: Domain): Attributes {
    return defined({ name: d.name, status: d.status, description: d.description, arn: this.domainArn(d.name) });
  }

  describeDomain(input: DescribeDomainInput): Attributes {
    const d = this.store.domain(input.name);
    return { domainInfo: this.domainInfo(d), configuration: { workflowExecutionRetentionPeriodInDays: d.retentionDays } };
  }

  deprecateDomain(input: DeprecateDomainInput): void {
    const d = this.store.domain(input.name);
    if (d.status === 'DEPRECATED') throw new SwfFault('DomainDeprecatedFault', input.name);
    d.status = 'DEPRECATED';
  }

  undeprecateDomain(input: UndeprecateDomainInput): void {
    const d = this.store.domain(input.name);
    if (d.status === 'REGISTERED') throw new SwfFault('DomainAlreadyExistsFault', input.name);
    d.status = 'REGISTERED';
  }

  listDomains(input: ListDomainsInput): Attributes {
    const all = [...this.store.domains.values()]
      .filter((d) => d.status === input.registrationStatus)
      .sort((a, b) => a.name.localeCompare(b.name));
    if (input.reverseOrder) all.reverse();
    const { page, nextPageToken } = paginate(all, 'domains', input);
    return defined({ domainInfos: page.map((d) => this.domainInfo(d)), nextPageToken });
  }

  /** Files a new type under its domain, name and version, with the defaults it was registered with. */
  private register<D extends object>(
    records: Map<string, TypeRecord<D>>,
    kind: 'WorkflowType' | 'ActivityType',
    input: { domain: string; name: string; version: string; description?: string },
    defaults: D,
  ): void {
    this.store.registeredDomain(input.domain);
    const key = keys.type(input.domain, input);
    if (records.has(key)) throw new SwfFault('TypeAlreadyExistsFault', `${kind}=[name=${input.name}, version=${input.version}]`);
    const record: TypeRecord<D> = defined({
      domain: input.domain,
      type: { name: input.name, version: input.version },
      description: input.description,
      status: 'REGISTERED' as const,
      creationDate: this.store.clock.seconds(),
      defaults: defined(defaults as Attributes) as D,
    });
    records.set(key, record);
  }

  // A type's default child policy is child-policy.source.type-default's: mutated.
  registerWorkflowType(input: RegisterWorkflowTypeInput): void {
    this.register(this.store.types, 'WorkflowType', input, {
      taskStartToCloseTimeout: input.defaultTaskStartToCloseTimeout,
      executionStartToCloseTimeout: input.defaultExecutionStartToCloseTimeout,
      taskList: input.defaultTaskList?.name,
      taskPriority: input.defaultTaskPriority,
      childPolicy: input.defaultChildPolicy,
    });
  }

  registerActivityType(input: RegisterActivityTypeInput): void {
    this.register(this.store.activityTypes, 'ActivityType', input, {
      taskList: input.defaultTaskList?.name,
      taskPriority: input.defaultTaskPriority,
      scheduleToStartTimeout: input.defaultTaskScheduleToStartTimeout,
      scheduleToCloseTimeout: input.defaultTaskScheduleToCloseTimeout,
      startToCloseTimeout: input.defaultTaskStartToCloseTimeout,
      heartbeatTimeout: input.defaultTaskHeartbeatTimeout,
    });
  }

  private typeInfo(r: TypeRecord): Attributes {
    return defined({ workflowType: r.type, status: r.status, description: r.description, creationDate: r.creationDate });
  }

  describeWorkflowType(input: DescribeWorkflowTypeInput): Attributes {
    this.store.domain(input.domain);
    const r = typeRecord(this.store, input.domain, input.workflowType);
    return {
      typeInfo: this.typeInfo(r),
      configuration: defined({
        defaultTaskStartToCloseTimeout: r.defaults.taskStartToCloseTimeout,
        defaultExecutionStartToCloseTimeout: r.defaults.executionStartToCloseTimeout,
        defaultTaskList: r.defaults.taskList ? { name: r.defaults.taskList } : undefined,
        defaultTaskPriority: r.defaults.taskPriority,
        defaultChildPolicy: r.defaults.childPolicy,
      }),
    };
  }

  describeActivityType(input: DescribeActivityTypeInput): Attributes {
    this.store.domain(input.domain);
    const r = this.store.activityTypes.get(keys.type(input.domain, input.activityType));
    if (!r)
      throw new SwfFault(
        'UnknownResourceFault',
        `Unknown type: ActivityType=[name=${input.activityType.name}, version=${input.activityType.version}]`,
      );
    return {
      typeInfo: defined({ activityType: r.type, status: r.status, description: r.description, creationDate: r.creationDate }),
      configuration: defined({
        defaultTaskStartToCloseTimeout: r.defaults.startToCloseTimeout,
        defaultTaskHeartbeatTimeout: r.defaults.heartbeatTimeout,
        defaultTaskList: r.defaults.taskList ? { name: r.defaults.taskList } : undefined,
        defaultTaskPriority: r.defaults.taskPriority,
        defaultTaskScheduleToStartTimeout: r.defaults.scheduleToStartTimeout,
        defaultTaskScheduleToCloseTimeout: r.defaults.scheduleToCloseTimeout,
      }),
    };
  }

  listWorkflowTypes(input: ListWorkflowTypesInput): Attributes {
    this.store.domain(input.domain);
    const all = [...this.store.types.values()]
      .filter((r) => r.domain === input.domain && r.status === input.registrationStatus && (!input.name || r.type.name === input.name))
      .sort((a, b) => a.type.name.localeCompare(b.type.name) || a.type.version.localeCompare(b.type.version));
    if (input.reverseOrder) all.reverse();
    const { page, nextPageToken } = paginate(all, 'types', input);
    return defined({ typeInfos: page.map((r) => this.typeInfo(r)), nextPageToken });
  }
}

/** The engine's operations of domains and types. */
export function registryOperations(r: Registry) {
  return {
    RegisterDomain: (i: RegisterDomainInput) => r.registerDomain(i),
    DescribeDomain: (i: DescribeDomainInput) => r.describeDomain(i),
    DeprecateDomain: (i: DeprecateDomainInput) => r.deprecateDomain(i),
    UndeprecateDomain: (i: UndeprecateDomainInput) => r.undeprecateDomain(i),
    ListDomains: (i: ListDomainsInput) => r.listDomains(i),
    RegisterWorkflowType: (i: RegisterWorkflowTypeInput) => r.registerWorkflowType(i),
    DescribeWorkflowType: (i: DescribeWorkflowTypeInput) => r.describeWorkflowType(i),
    DescribeActivityType: (i: DescribeActivityTypeInput) => r.describeActivityType(i),
    ListWorkflowTypes: (i: ListWorkflowTypesInput) => r.listWorkflowTypes(i),
    RegisterActivityType: (i: RegisterActivityTypeInput) => r.registerActivityType(i),
  };
}

/** The workflow type an execution is started with; one never registered is unknown. */
export function typeRecord(store: Store, domain: string, t: WorkflowType): TypeRecord {
  const rec = store.types.get(keys.type(domain, t));
  if (!rec) throw fault.unknownType(t.name, t.version);
  return rec;
}
