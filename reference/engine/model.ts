/**
 * The reference's state, shared by the parts of its engine: the records it keeps, the keys it
 * files them under, and the lookups every part needs (its clock and retention are in outside/).
 * No behaviour of an operation lives here.
 */
import type {
  ChildPolicy,
  CloseStatus,
  HistoryEvent,
  StartWorkflowExecutionInput,
  TagList,
  WorkflowType,
} from '../../src/generated/types.ts';
import { fault } from '../faults.ts';
import { Clock } from './outside/clock.ts';

export type Attributes = Record<string, unknown>;
export type ExecutionRef = { workflowId: string; runId: string };

export interface Domain {
  name: string;
  description?: string;
  retentionDays: string;
  status: 'REGISTERED' | 'DEPRECATED';
}

/** A registered type: a workflow type (its defaults for executions) or an activity type (for tasks). */
export interface TypeRecord<D = WorkflowTypeDefaults> {
  domain: string;
  type: WorkflowType;
  description?: string;
  status: 'REGISTERED' | 'DEPRECATED';
  creationDate: number;
  defaults: D;
}

export interface WorkflowTypeDefaults {
  taskStartToCloseTimeout?: string;
  executionStartToCloseTimeout?: string;
  taskList?: string;
  taskPriority?: string;
  childPolicy?: ChildPolicy;
}

export type ActivityTypeRecord = TypeRecord<{
  taskList?: string;
  taskPriority?: string;
  scheduleToStartTimeout?: string;
  scheduleToCloseTimeout?: string;
  startToCloseTimeout?: string;
  heartbeatTimeout?: string;
}>;

/** An execution's configuration: what it was started with over its type's defaults. */
export interface ExecutionConfig {
  childPolicy: ChildPolicy;
  taskList: string;
  taskStartToCloseTimeout: string;
  executionStartToCloseTimeout: string;
  taskPriority?: string;
  lambdaRole?: string;
}

/** The members Start, StartChild and ContinueAsNew share for an execution's configuration. */
export type ConfigGiven = Pick<
  StartWorkflowExecutionInput,
  'childPolicy' | 'taskList' | 'taskPriority' | 'executionStartToCloseTimeout' | 'taskStartToCloseTimeout' | 'lambdaRole'
>;

export interface Execution {
  key: string;
  domain: string;
  workflowId: string;
  runId: string;
  type: WorkflowType;
  startTimestamp: number;
  closeTimestamp?: number;
  status: 'OPEN' | 'CLOSED';
  closeStatus?: CloseStatus;
  cancelRequested: boolean;
  tagList: TagList;
  parent?: ExecutionRef & { initiatedEventId: number };
  /** The id of ChildWorkflowExecutionStarted in the parent's history. */
  parentStartedEventId?: number;
  config: ExecutionConfig;
  events: HistoryEvent[];
  /**
   * The decision task: none, scheduled, out at a decider (started) or being completed. While one
   * is started, an event schedules the next at once (recorded): `nextScheduledEventId`.
   */
  decision: {
    state: 'none' | 'scheduled' | 'started' | 'completing';
    scheduledEventId: number;
    startedEventId: number;
    token?: string;
    nextScheduledEventId?: number;
  };
  /** Events the decider has not seen arrived while its task was out: schedule another after it. */
  pendingChange: boolean;
  previousStartedEventId: number;
  children: Set<string>;
  latestExecutionContext?: string;
  /** When an activity task of the execution last changed: Describe's latestActivityTaskTimestamp (recorded). */
  latestActivityTaskTimestamp?: number;
  /** Its activity tasks not yet closed, by activityId. */
  activities: Map<string, ActivityTask>;
  /** Timers started and not yet fired or cancelled, by timerId. */
  timers: Map<string, { startedEventId: number; handle?: NodeJS.Timeout }>;
  /** The open activity tasks when it closed: the open counts are not reset on close (recorded). */
  openActivitiesAtClose?: number;
  /** With a visibility lag: the states the visibility operations show, each from when it was taken. */
  seen?: VisibleState[];
}

/** An activity task of an execution, from its ActivityTaskScheduled event. */
export interface ActivityTask {
  activityId: string;
  activityType: WorkflowType;
  taskList: string;
  input?: string;
  scheduledEventId: number;
  startedEventId?: number;
  token?: string;
  cancelRequested: boolean;
  /** Its timeouts as scheduled (seconds, or NONE). */
  timeouts?: { scheduleToStartTimeout?: string; scheduleToCloseTimeout?: string; startToCloseTimeout?: string; heartbeatTimeout?: string };
  /** When the latest heartbeat came (Date.now()), and its details. */
  beatAt?: number;
  beatDetails?: string;
}

/** An execution's decision state with no task scheduled, out or completing. */
export const idleDecision = (): Execution['decision'] => ({ state: 'none', scheduledEventId: 0, startedEventId: 0 });

/** Whether a decision task is scheduled and not yet started: what openDecisionTasks counts (recorded: 0 while one is started). */
export const decisionScheduled = (e: Execution): boolean =>
  e.decision.state === 'scheduled' || e.decision.nextScheduledEventId !== undefined;

/** What DescribeWorkflowExecution, List* and Count* show of an execution. */
export interface VisibleState {
  at: number;
  status: Execution['status'];
  closeStatus?: CloseStatus;
  closeTimestamp?: number;
  cancelRequested: boolean;
  decisionOpen: boolean;
  openChildren: number;
  openActivities: number;
  openTimers: number;
}

/** Lag the contract allows (CONTRACT-NOTES, Consistency and timing), for the suite's own tests; all 0 by default. */
export interface TimingModes {
  visibilityLagMs?: number;
  /** GetWorkflowExecutionHistory shows the events recorded at least this long ago (the model calls it eventually consistent). */
  historyLagMs?: number;
  childStartDelayMs?: number;
  childPolicyDelayMs?: number;
}

export { defined, lowerFirst } from '../../src/contract/protocol.ts';

/** The keys records are filed under. */
export const keys = {
  execution: (domain: string, workflowId: string, runId: string) => `${domain}|${workflowId}|${runId}`,
  /** At most one execution of a workflowId is open in a domain (documented). */
  workflow: (domain: string, workflowId: string) => `${domain}|${workflowId}`,
  type: (domain: string, t: WorkflowType) => `${domain}|${t.name}|${t.version}`,
  taskList: (domain: string, taskList: string) => `${domain}|${taskList}`,
};

/** What the engine asks of the retention of closed executions (outside/retention.ts). */
export interface RetentionPolicy {
  /** Open, or closed and still within its domain's retention. */
  visible(e: Execution): boolean;
  /** Any visible run, for the visibility operations; UnknownResourceFault otherwise. */
  run(domain: string, ref: ExecutionRef): Execution;
  /** The execution closed: forgotten once its domain's retention has passed. */
  retire(e: Execution): void;
}

/** The records, and the lookups every part of the engine makes. */
export class Store {
  readonly domains = new Map<string, Domain>();
  readonly types = new Map<string, TypeRecord>();
  readonly activityTypes = new Map<string, ActivityTypeRecord>();
  readonly executions = new Map<string, Execution>();
  /** The open execution's key by keys.workflow. */
  readonly openByWorkflowId = new Map<string, string>();
  /** Every run of a workflowId, oldest first, by keys.workflow: lookups by workflowId without a scan. */
  readonly runsByWorkflowId = new Map<string, Execution[]>();
  readonly clock: Clock;
  /** Closed executions kept for their domain's retention, then forgotten (outside/retention.ts). */
  readonly retention: RetentionPolicy;

  constructor(now: () => number, retention: (store: Store) => RetentionPolicy) {
    this.clock = new Clock(now);
    this.retention = retention(this);
  }

  domain(name: string): Domain {
    const d = this.domains.get(name);
    if (!d) throw fault.unknownDomain(name);
    return d;
  }

  /** A domain new executions and types may be added to. */
  registeredDomain(name: string): Domain {
    const d = this.domain(name);
    if (d.status === 'DEPRECATED') throw fault.deprecatedDomain(name);
    return d;
  }

  /** Files a new execution under its keys. */
  add(e: Execution): void {
    this.executions.set(e.key, e);
    const key = keys.workflow(e.domain, e.workflowId);
    const runs = this.runsByWorkflowId.get(key);
    // Stryker disable next-line ConditionalExpression: equivalent: both operations reach only a workflowId's open run
    if (runs) runs.push(e);
    else this.runsByWorkflowId.set(key, [e]);
  }

  /** Every run of the workflowId in the domain, oldest first. */
  runsOf(domain: string, workflowId: string): readonly Execution[] {
    // Stryker disable next-line ArrayDeclaration: equivalent: a list of no real run matches nothing
    return this.runsByWorkflowId.get(keys.workflow(domain, workflowId)) ?? [];
  }

  execution(domain: string, ref: ExecutionRef): Execution | undefined {
    return this.executions.get(keys.execution(domain, ref.workflowId, ref.runId));
  }

  /** A closing child leaves its parent's children (Executions.close), so every one left is open. */
  openChildren(e: Execution): number {
    return e.children.size;
  }
}
