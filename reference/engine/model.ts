/**
 * The reference's state, shared by the parts of its engine: the records it keeps, the keys it
 * files them under, the one page-token codec, and the lookups every part needs. No behaviour of
 * an operation lives here.
 */
import { randomBytes, randomFillSync } from 'node:crypto';
import type { ChildPolicy, CloseStatus, HistoryEvent, StartWorkflowExecutionInput, TagList, WorkflowType } from '../../src/generated/types.ts';
import { fault, SwfFault } from '../faults.ts';

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
export type ConfigGiven = Pick<StartWorkflowExecutionInput, 'childPolicy' | 'taskList' | 'taskPriority' | 'executionStartToCloseTimeout' | 'taskStartToCloseTimeout' | 'lambdaRole'>;

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
  decision: { state: 'none' | 'scheduled' | 'started' | 'completing'; scheduledEventId: number; startedEventId: number; token?: string; nextScheduledEventId?: number };
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

/** Whether a decision task is scheduled and not yet started: what openDecisionTasks counts (recorded: 0 while one is started). */
export const decisionScheduled = (e: Execution): boolean => e.decision.state === 'scheduled' || e.decision.nextScheduledEventId !== undefined;

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

export const DEFAULT_PAGE = 1000;
export { defined, lowerFirst } from '../../src/contract/protocol.ts';
/** Random bytes drawn from a pool filled a few thousand at a time: one call to the system's generator per 128 run ids. */
const pool = Buffer.alloc(32 * 128);
let poolUsed = pool.length;
export function newRunId(): string {
  // Stryker disable next-line ConditionalExpression: equivalent: when the pool of random bytes is refilled is not observable, only that runIds are unique
  if (poolUsed === pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  poolUsed += 32;
  return pool.toString('base64', poolUsed - 32, poolUsed);
}
export const newToken = () => randomBytes(48).toString('base64');

/** The keys records are filed under. */
export const keys = {
  execution: (domain: string, workflowId: string, runId: string) => `${domain}|${workflowId}|${runId}`,
  /** At most one execution of a workflowId is open in a domain (documented). */
  workflow: (domain: string, workflowId: string) => `${domain}|${workflowId}`,
  type: (domain: string, t: WorkflowType) => `${domain}|${t.name}|${t.version}`,
  taskList: (domain: string, taskList: string) => `${domain}|${taskList}`,
};

// Stryker disable all: outside the contract: a next page (nextPageToken) is named by no clause, and every history and listing the battery reads fits in its first page
/** Page tokens, one codec for every paged answer: what was paged (`kind`) and where the next page starts. */
export const pageTokens = {
  encode: (kind: string, offset: number) => Buffer.from(JSON.stringify({ k: kind, o: offset })).toString('base64url'),
  decode(token: string): { kind: string; offset: number } {
    try {
      const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; o?: unknown };
      if (typeof t.k === 'string' && Number.isInteger(t.o) && (t.o as number) >= 0) return { kind: t.k, offset: t.o as number };
    } catch { /* answered below */ }
    throw fault.validation('The nextPageToken is not valid for this request');
  },
};
// Stryker restore all

export function paginate<T>(items: T[], kind: string, input: { nextPageToken?: string; maximumPageSize?: number }): { page: T[]; nextPageToken?: string } {
  let start = 0;
  // Stryker disable all: outside the contract: a next page is named by no clause (see pageTokens)
  if (input.nextPageToken) {
    const token = pageTokens.decode(input.nextPageToken);
    if (token.kind !== kind) throw fault.validation('The nextPageToken is not valid for this request');
    start = token.offset;
  }
  // Stryker restore all
  // Stryker disable next-line ConditionalExpression,MethodExpression: outside the contract: the page size is named by no clause (the battery asks for pages larger than any of its answers)
  const size = input.maximumPageSize || DEFAULT_PAGE;
  // Stryker disable next-line MethodExpression: outside the contract: the page size is named by no clause (the battery asks for pages larger than any of its answers)
  const page = items.slice(start, start + size);
  // Stryker disable next-line all: outside the contract: whether a next page is offered is named by no clause (see pageTokens)
  return start + size < items.length ? { page, nextPageToken: pageTokens.encode(kind, start + size) } : { page };
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
  private readonly runsByWorkflowId = new Map<string, Execution[]>();

  constructor(private readonly now: () => number) {}

  /** Milliseconds since the epoch. */
  // Stryker disable next-line BlockStatement: equivalent: the clock in milliseconds is read only by the lag timing modes, which the battery does not set
  nowMs(): number {
    return this.now();
  }

  /** The moment of the engine's current turn, in milliseconds. */
  private instant: number | undefined;

  /**
   * The time on the wire: epoch seconds. One moment per turn of the engine: the events one call
   * or one timer records are stamped alike, as AWS stamps a decision's effects with its completion
   * (recorded: every history of the corpus). A clock that moved on by a second or more within one
   * turn (a test's) starts a new moment.
   */
  // Stryker disable all: outside the battery's reach: which events share a time is judged by the replay of the AWS recordings (src/recordings/compare.ts, stamped alike), not by a clause of the two operations
  seconds(): number {
    const now = Math.round(this.now());
    if (this.instant === undefined) {
      queueMicrotask(() => {
        this.instant = undefined;
      });
    }
    if (this.instant === undefined || Math.abs(now - this.instant) >= 1000) this.instant = now;
    return this.instant / 1000;
  }
  // Stryker restore all

  domain(name: string): Domain {
    const d = this.domains.get(name);
    if (!d) throw fault.unknownDomain(name);
    return d;
  }

  /** A domain new executions and types may be added to. */
  registeredDomain(name: string): Domain {
    const d = this.domain(name);
    // Stryker disable next-line StringLiteral: outside the contract: the message of a start in a deprecated domain is named by no clause (deprecated.no-new-executions names the refusal)
    if (d.status === 'DEPRECATED') throw new SwfFault('UnknownResourceFault', `Domain is deprecated: ${name}`);
    return d;
  }

  typeRecord(domain: string, t: WorkflowType): TypeRecord {
    const rec = this.types.get(keys.type(domain, t));
    // Stryker disable next-line ConditionalExpression: outside the contract: starting an execution of a type never registered is named by no clause
    if (!rec) throw fault.unknownType(t.name, t.version);
    return rec;
  }

  /** Files a new execution under its keys. */
  add(e: Execution): void {
    this.executions.set(e.key, e);
    const key = keys.workflow(e.domain, e.workflowId);
    const runs = this.runsByWorkflowId.get(key);
    // Stryker disable next-line ConditionalExpression: equivalent: the two operations reach only the open run of a workflowId, the reads go by key, and a closed run is unknown to both
    if (runs) runs.push(e);
    else this.runsByWorkflowId.set(key, [e]);
  }

  /** Every run of the workflowId in the domain, oldest first. */
  runsOf(domain: string, workflowId: string): readonly Execution[] {
    // Stryker disable next-line ArrayDeclaration: equivalent: a run list of no real run matches no runId and no open run
    return this.runsByWorkflowId.get(keys.workflow(domain, workflowId)) ?? [];
  }

  execution(domain: string, ref: ExecutionRef): Execution | undefined {
    return this.executions.get(keys.execution(domain, ref.workflowId, ref.runId));
  }

  // Stryker disable all: outside the contract: the retention of closed executions is named by no clause, and no run of the battery lasts as long as the shortest retention
  /** How long the domain keeps a closed execution visible. */
  private keepSeconds(domain: string): number {
    const days = this.domains.get(domain)?.retentionDays;
    return days && days !== 'NONE' ? Number(days) * 86_400 : 0;
  }

  /** Open, or closed and still within its domain's retention. */
  visible(e: Execution): boolean {
    if (e.status === 'OPEN') return true;
    return (e.closeTimestamp ?? 0) + this.keepSeconds(e.domain) > this.seconds();
  }
  // Stryker restore all

  /** Closed executions waiting out their retention, one queue per retention (each in close order). */
  private readonly retiring = new Map<number, { queue: Execution[]; head: number }>();

  // Stryker disable all: outside the contract: the retention of closed executions (kept, then forgotten after the domain's retention period) is named by no clause, and no run of the battery lasts a day
  /**
   * The execution closed: once its domain's retention has passed it is forgotten, so that memory
   * follows the executions a client can still see, not every execution ever started.
   */
  retire(e: Execution): void {
    const keep = this.keepSeconds(e.domain);
    let retiring = this.retiring.get(keep);
    if (!retiring) this.retiring.set(keep, (retiring = { queue: [], head: 0 }));
    retiring.queue.push(e);
    this.forgetExpired();
  }

  private forgetExpired(): void {
    const now = this.seconds();
    for (const [keep, retiring] of this.retiring) {
      const { queue } = retiring;
      while (retiring.head < queue.length) {
        const e = queue[retiring.head]!;
        if (e.status === 'CLOSED' && (e.closeTimestamp ?? 0) + keep > now) break;
        if (e.status === 'CLOSED') this.forget(e);
        retiring.head += 1;
      }
      if (retiring.head > 1024 && retiring.head * 2 > queue.length) {
        queue.splice(0, retiring.head);
        retiring.head = 0;
      }
    }
  }

  private forget(e: Execution): void {
    this.executions.delete(e.key);
    const key = keys.workflow(e.domain, e.workflowId);
    const runs = this.runsByWorkflowId.get(key)?.filter((r) => r !== e);
    if (runs?.length) this.runsByWorkflowId.set(key, runs);
    else this.runsByWorkflowId.delete(key);
  }
  // Stryker restore all

  /** Any visible run, for the visibility operations. */
  anyRun(domain: string, ref: ExecutionRef): Execution {
    this.domain(domain);
    const e = this.execution(domain, ref);
    // Stryker disable next-line ConditionalExpression: outside the contract: reading an execution nobody has (Describe, History) is named by no clause
    if (!e) throw fault.unknownExecutionWithRun(ref.workflowId, ref.runId);
    // Stryker disable next-line ConditionalExpression: outside the contract: the retention of closed executions is named by no clause (see visible)
    if (!this.visible(e)) throw fault.unknownExecutionWithRun(ref.workflowId, ref.runId);
    return e;
  }

  /** A closing child leaves its parent's children (Executions.close), so every one left is open. */
  openChildren(e: Execution): number {
    return e.children.size;
  }
}
