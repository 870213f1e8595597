/**
 * What the visibility operations show: DescribeWorkflowExecution, GetWorkflowExecutionHistory,
 * List* and Count*. What no clause of the two operations names (the lag timing modes, filters
 * other than executionFilter, order, pages) is in outside/lag.ts and outside/listing.ts.
 */
import type {
  CountOpenWorkflowExecutionsInput,
  DescribeWorkflowExecutionInput,
  GetWorkflowExecutionHistoryInput,
  History,
  ListClosedWorkflowExecutionsInput,
  ListOpenWorkflowExecutionsInput,
  WorkflowExecutionCount,
  WorkflowExecutionDetail,
  WorkflowExecutionInfo,
  WorkflowExecutionInfos,
} from '../../src/generated/types.ts';
import { decisionScheduled, defined, type Execution, type Store } from './model.ts';
import { Lag, type View } from './outside/lag.ts';
import {
  checkFilters,
  counted,
  countsItsTask,
  filteredInOrder,
  historyPage,
  listingPage,
  openActivities,
  otherOpenCounts,
  parentOf,
  type Filters,
  type Listing,
} from './outside/listing.ts';

export class Visibility {
  /** The lag timing modes; the engine tells it of every change of state. */
  readonly lag: Lag;

  constructor(
    private readonly store: Store,
    lagMs: number,
    historyLagMs: number,
  ) {
    this.lag = new Lag(store, (e) => this.current(e), lagMs, historyLagMs);
  }

  private current(e: Execution): View {
    return {
      status: e.status,
      closeStatus: e.closeStatus,
      closeTimestamp: e.closeTimestamp,
      cancelRequested: e.cancelRequested,
      // openDecisionTasks counts a scheduled task, not a started one (recorded: 0 while one was started).
      decisionOpen: decisionScheduled(e),
      openChildren: this.store.openChildren(e),
      openActivities: openActivities(e),
      openTimers: e.timers.size,
    };
  }

  private info(e: Execution, v = this.lag.described(e)): WorkflowExecutionInfo {
    return defined({
      execution: { workflowId: e.workflowId, runId: e.runId },
      workflowType: e.type,
      startTimestamp: e.startTimestamp,
      closeTimestamp: v.closeTimestamp,
      executionStatus: v.status,
      closeStatus: v.closeStatus,
      parent: parentOf(e),
      tagList: e.tagList.length ? e.tagList : undefined,
      cancelRequested: v.cancelRequested,
    });
  }

  describeWorkflowExecution(input: DescribeWorkflowExecutionInput): WorkflowExecutionDetail {
    const e = this.store.retention.run(input.domain, input.execution);
    const v = this.lag.described(e);
    return defined({
      executionInfo: this.info(e, v),
      executionConfiguration: defined({
        taskStartToCloseTimeout: e.config.taskStartToCloseTimeout,
        executionStartToCloseTimeout: e.config.executionStartToCloseTimeout,
        taskList: { name: e.config.taskList },
        taskPriority: e.config.taskPriority,
        childPolicy: e.config.childPolicy,
        lambdaRole: e.config.lambdaRole,
      }),
      latestActivityTaskTimestamp: e.latestActivityTaskTimestamp,
      openCounts: {
        openActivityTasks: v.openActivities,
        openDecisionTasks: v.decisionOpen && countsItsTask(v) ? 1 : 0,
        ...otherOpenCounts(v),
      },
      latestExecutionContext: e.latestExecutionContext,
    });
  }

  getWorkflowExecutionHistory(input: GetWorkflowExecutionHistoryInput): History {
    const e = this.store.retention.run(input.domain, input.execution);
    return historyPage(e, this.lag.history(e), input);
  }

  /** The executions of a domain a listing shows, open or closed, filtered and in order. */
  matching(domain: string, open: boolean, f: Filters & { reverseOrder?: boolean }): Listing {
    this.store.domain(domain);
    checkFilters(open, f);
    // Stryker disable next-line all: equivalent: the battery's workflowIds are its own in every domain
    const views = this.lag.views([...this.store.executions.values()].filter((e) => e.domain === domain));
    const list = [...views.keys()].filter((e) => {
      const v = views.get(e)!;
      const shown = open ? v.status === 'OPEN' : v.status === 'CLOSED' && this.store.retention.visible(e);
      return shown && !(f.executionFilter && e.workflowId !== f.executionFilter.workflowId);
    });
    return { open, executions: filteredInOrder(list, open, f, views) };
  }

  listOpenWorkflowExecutions(input: ListOpenWorkflowExecutionsInput): WorkflowExecutionInfos {
    return listingPage(this.matching(input.domain, true, input), input, (e) => this.info(e));
  }

  listClosedWorkflowExecutions(input: ListClosedWorkflowExecutionsInput): WorkflowExecutionInfos {
    return listingPage(this.matching(input.domain, false, input), input, (e) => this.info(e));
  }

  countOpenWorkflowExecutions(input: CountOpenWorkflowExecutionsInput): WorkflowExecutionCount {
    return counted(this.matching(input.domain, true, input));
  }
}
