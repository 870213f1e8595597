/**
 * The reference's engine: domains, workflow types, executions, their histories and decision
 * tasks, in memory. Every operation takes an input already validated against its schema and
 * answers its output shape (schemas/operations.json). The parts, one concern each:
 *
 *   model.ts       the records, their keys, the lookups all parts make
 *   history.ts     adding events, and what an event sets off
 *   executions.ts  the lifecycle: start, cancel, terminate, child policies, what decisions do
 *   decisions.ts   decision tasks: scheduling and completion
 *   visibility.ts  describe, history, list and count
 *   seams.ts       where deviations plug in
 *   outside/       what no clause of the two operations names, left unmutated by Stryker:
 *     registry.ts    domains and workflow types
 *     activities.ts  activity tasks: scheduled by a decision, polled, completed, heartbeated
 *     decisions.ts   the decisions no clause names (timers, signals, markers, closing ones), and their checks
 *     config.ts      an execution's configuration beyond its child policy
 *     polls.ts       the long polls decision and activity tasks wait in
 *     paging.ts, listing.ts, lag.ts  pages, filters and order, the lag timing modes
 *     timing.ts, clock.ts, ids.ts, retention.ts, upkeep.ts, view.ts  deferred work, time, ids,
 *                    retention, the server's bookkeeping, the view deviation plugs read
 */
import type { OperationMap, OperationName } from '../../src/generated/operations.ts';
import { contractSeams, type Seams } from './seams.ts';
import { activityOperations, ActivityTasks } from './outside/activities.ts';
import { DecisionTasks } from './decisions.ts';
import { Executions } from './executions.ts';
import { Histories } from './history.ts';
import { Store, type TimingModes } from './model.ts';
import { signalOperation } from './outside/decisions.ts';
import { countClosedOperation } from './outside/listing.ts';
import { Registry, registryOperations } from './outside/registry.ts';
import { Retention } from './outside/retention.ts';
import { timingModes } from './outside/timing.ts';
import { Upkeep } from './outside/upkeep.ts';
import { lookupView } from './outside/view.ts';
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
export type Operation<N extends OperationName> = (
  input: OperationMap[N]['input'],
) => OperationMap[N]['output'] | Promise<OperationMap[N]['output']>;

export class Engine {
  readonly registry: Registry;
  readonly executions: Executions;
  readonly decisions: DecisionTasks;
  readonly activities: ActivityTasks;
  readonly visibility: Visibility;
  /** The server's own bookkeeping: the executions held, and shutdown at close. */
  readonly upkeep: Upkeep;
  /** Every operation the reference serves, by name. */
  readonly operations: { [N in OperationName]: Operation<N> };

  constructor({ pollTimeoutMs, region, accountId, now = Date.now, timing: given, seams = contractSeams }: EngineOptions = {}) {
    const timing = timingModes(given);
    const store = new Store(now, (s) => new Retention(s));
    this.registry = new Registry(store, region, accountId);
    this.visibility = new Visibility(store, timing.visibilityLagMs, timing.historyLagMs);
    const view = lookupView(store);
    const events = new Histories(store, { wake: (e) => this.decisions.wake(e), changed: this.visibility.lag.changed }, view, seams);
    this.decisions = new DecisionTasks(store, events, pollTimeoutMs);
    this.activities = new ActivityTasks(store, events, pollTimeoutMs);
    this.executions = new Executions(store, events, this.decisions, this.activities, timing, view, seams);
    this.decisions.effects = this.executions;
    this.upkeep = new Upkeep(store, this);
    const { registry: r, executions: x, decisions: d, activities: a, visibility: v } = this;
    const operations: { [N in OperationName]: Operation<N> } = {
      // Domains, types, activity tasks and closed counts: outside/ (no clause of the two operations names them).
      ...registryOperations(r),
      ...activityOperations(a),
      ...countClosedOperation(v),
      ...signalOperation(events, x.resolve),
      StartWorkflowExecution: (i) => x.startWorkflowExecution(i),
      PollForDecisionTask: (i) => d.pollForDecisionTask(i),
      RespondDecisionTaskCompleted: (i) => d.respondDecisionTaskCompleted(i),
      RequestCancelWorkflowExecution: (i) => x.requestCancelWorkflowExecution(i),
      TerminateWorkflowExecution: (i) => x.terminateWorkflowExecution(i),
      DescribeWorkflowExecution: (i) => v.describeWorkflowExecution(i),
      GetWorkflowExecutionHistory: (i) => v.getWorkflowExecutionHistory(i),
      ListOpenWorkflowExecutions: (i) => v.listOpenWorkflowExecutions(i),
      ListClosedWorkflowExecutions: (i) => v.listClosedWorkflowExecutions(i),
      CountOpenWorkflowExecutions: (i) => v.countOpenWorkflowExecutions(i),
    };
    // Every operation passes the operation seam on its way in and out, with the engine's own operations to call.
    const own = operations as unknown as Record<string, (i: unknown) => unknown>;
    const call = (name: string, input: unknown) => own[name]!(input);
    this.operations = Object.fromEntries(
      Object.keys(operations).map((name) => [name, (input: unknown) => seams.operation(name, input, call, view, this.executions.tools)]),
    ) as unknown as typeof operations;
  }
}
