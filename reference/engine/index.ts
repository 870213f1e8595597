/**
 * The reference's engine: domains, workflow types, executions, their histories and decision
 * tasks, in memory. Every operation takes an input already validated against its schema and
 * answers its output shape (schemas/operations.json). The parts, one concern each:
 *
 *   model.ts       the records, their keys, page tokens, the lookups all parts make
 *   history.ts     adding events, and what an event sets off
 *   outside/       what no clause of the two operations names, left unmutated by Stryker:
 *     registry.ts    domains and workflow types
 *   executions.ts  the lifecycle: start, cancel, terminate, child policies, what decisions do
 *   decisions.ts   decision tasks: scheduling, long polls, paging, completion
 *     activities.ts  activity tasks: scheduled by a decision, polled, completed, heartbeated
 *   polls.ts       the long polls decision and activity tasks wait in
 *   visibility.ts  describe, history, list and count, with the visibility lag of a timing mode
 */
import { LONG_POLL_MS } from '../../src/contract/protocol.ts';
import type { OperationMap, OperationName } from '../../src/generated/operations.ts';
import { contractSeams, type LookupView, type Seams } from './seams.ts';
import { activityOperations, ActivityTasks } from './outside/activities.ts';
import { DecisionTasks } from './decisions.ts';
import { Executions } from './executions.ts';
import { Histories } from './history.ts';
import { keys, Store, type TimingModes } from './model.ts';
import { Registry, registryOperations } from './outside/registry.ts';
import { Visibility } from './visibility.ts';

export type { TimingModes };

export interface EngineOptions {
  /** How long PollForDecisionTask waits for a task before answering with none (AWS: 60 s). */
  pollTimeoutMs?: number;
  /** Region and account in ARNs. */
  region?: string;
  accountId?: string;
  /** Milliseconds since the epoch; tests of retention replace it. */
  now?: () => number;
  timing?: TimingModes;
  /** What plugs into the engine's seams (seams.ts); the contract's own behaviour by default. */
  seams?: Seams;
}

/** An operation of the engine: its input and output typed by the operation map. */
export type Operation<N extends OperationName> = (input: OperationMap[N]['input']) => OperationMap[N]['output'] | Promise<OperationMap[N]['output']>;

export class Engine {
  private readonly store: Store;
  readonly registry: Registry;
  readonly executions: Executions;
  readonly decisions: DecisionTasks;
  readonly activities: ActivityTasks;
  readonly visibility: Visibility;
  /** Every operation the reference serves, by name. */
  readonly operations: { [N in OperationName]: Operation<N> };

  constructor(options: EngineOptions = {}) {
    // Stryker disable next-line ObjectLiteral: equivalent: an unset delay defers the work by one timer tick, within the consistency window every clause allows
    const timing = { visibilityLagMs: 0, historyLagMs: 0, childStartDelayMs: 0, childPolicyDelayMs: 0, ...options.timing };
    const store = (this.store = new Store(options.now ?? Date.now));
    // Stryker disable next-line LogicalOperator,StringLiteral: equivalent: the server always gives the engine its region and account
    this.registry = new Registry(store, options.region ?? 'us-east-1', options.accountId ?? '000000000000');
    this.visibility = new Visibility(store, timing.visibilityLagMs, timing.historyLagMs);
    // Stryker disable next-line LogicalOperator: equivalent: the server always gives the engine its seams
    const seams = options.seams ?? contractSeams;
    // Stryker disable all: equivalent under the contract seams: the lookup view is read only by deviation plugs
    const view: LookupView = {
      runsOf: (domain, workflowId) => store.runsOf(domain, workflowId),
      all: () => store.executions.values(),
      domain: (name) => store.domains.get(name),
      typeDefaultPolicy: (e) => store.types.get(keys.type(e.domain, e.type))?.defaults.childPolicy,
      executions: (wanted) => [...wanted].flatMap((key) => store.executions.get(key) ?? []),
    };
    // Stryker restore all
    const events = new Histories(store, {
      wake: (e) => this.decisions.wake(e),
      // Stryker disable next-line ArrowFunction: equivalent: without visibility lag (a timing mode the battery does not set) the changed hook records nothing
      changed: (e) => this.visibility.changed(e),
    }, view, seams);
    // Stryker disable next-line LogicalOperator: equivalent: the server always gives the engine its poll timeout
    this.decisions = new DecisionTasks(store, events, options.pollTimeoutMs ?? LONG_POLL_MS);
    // Stryker disable next-line LogicalOperator: equivalent: the server always gives the engine its poll timeout
    this.activities = new ActivityTasks(store, events, options.pollTimeoutMs ?? LONG_POLL_MS);
    this.executions = new Executions(store, events, this.decisions, this.activities, timing, view, seams);
    this.decisions.effects = this.executions;
    const { registry: r, executions: x, decisions: d, activities: a, visibility: v } = this;
    const operations: { [N in OperationName]: Operation<N> } = {
      // Domains, types and activity tasks: outside/ (no clause of the two operations names them).
      ...registryOperations(r),
      ...activityOperations(a),
      StartWorkflowExecution: (i) => x.startWorkflowExecution(i),
      PollForDecisionTask: (i) => d.pollForDecisionTask(i),
      RespondDecisionTaskCompleted: (i) => d.respondDecisionTaskCompleted(i),
      SignalWorkflowExecution: (i) => x.signalWorkflowExecution(i),
      RequestCancelWorkflowExecution: (i) => x.requestCancelWorkflowExecution(i),
      TerminateWorkflowExecution: (i) => x.terminateWorkflowExecution(i),
      DescribeWorkflowExecution: (i) => v.describeWorkflowExecution(i),
      GetWorkflowExecutionHistory: (i) => v.getWorkflowExecutionHistory(i),
      ListOpenWorkflowExecutions: (i) => v.listOpenWorkflowExecutions(i),
      ListClosedWorkflowExecutions: (i) => v.listClosedWorkflowExecutions(i),
      CountOpenWorkflowExecutions: (i) => v.countOpenWorkflowExecutions(i),
      // Stryker disable next-line ArrowFunction: outside the contract: CountClosedWorkflowExecutions is named by no clause of the two operations
      CountClosedWorkflowExecutions: (i) => v.countClosedWorkflowExecutions(i),
    };
    // Every operation passes the operation seam on its way in and out, with the engine's own operations to call.
    const own = operations as unknown as Record<string, (i: unknown) => unknown>;
    const call = (name: string, input: unknown) => own[name]!(input);
    this.operations = Object.fromEntries(Object.keys(operations).map((name) => [
      name, (input: unknown) => seams.operation(name, input, call, view, this.executions.tools),
    ])) as unknown as typeof operations;
  }

  // Stryker disable all: outside the contract: the server's own bookkeeping (the executions held, region and account for ARNs, shutdown at close), which no clause observes
  /** How many executions the engine holds: the open ones and the closed ones still within their retention. */
  get executionsHeld(): number {
    return this.store.executions.size;
  }

  get region(): string {
    return this.registry.region;
  }

  get accountId(): string {
    return this.registry.accountId;
  }

  domainArn(name: string): string {
    return this.registry.domainArn(name);
  }

  /** Answers every waiting poll with no task and cancels deferred work, so that the server can close at once. */
  shutdown(): void {
    this.executions.shutdown();
    this.decisions.shutdown();
    this.activities.shutdown();
  }
  // Stryker restore all
}
