/**
 * What the List and Count operations do that no clause of the two operations names: the filters
 * other than executionFilter (type, tag, close status, time ranges) and their exclusivity, the
 * order of a listing, its pages, a truncated count. The battery lists by workflowId.
 */
import type {
  CloseStatus,
  CountClosedWorkflowExecutionsInput,
  WorkflowExecutionCount,
  WorkflowExecutionInfo,
  WorkflowExecutionInfos,
} from '../../../src/generated/types.ts';
import { fault } from '../../faults.ts';
import { defined, type Execution } from '../model.ts';
import type { View } from './lag.ts';
import { paginate } from './paging.ts';

export interface Filters {
  startTimeFilter?: { oldestDate: number; latestDate?: number };
  closeTimeFilter?: { oldestDate: number; latestDate?: number };
  executionFilter?: { workflowId: string };
  typeFilter?: { name: string; version?: string };
  tagFilter?: { tag: string };
  closeStatusFilter?: { status: CloseStatus };
}

type Range = { oldestDate: number; latestDate?: number };
const inRange = (t: number | undefined, r?: Range) =>
  !r || (t !== undefined && t >= r.oldestDate && (r.latestDate === undefined || t <= r.latestDate));

/** Refuses filters given together that the API keeps apart, and a closed listing without a time range (documented: "You must specify one of these"). */
export function checkFilters(open: boolean, f: Filters): void {
  const exclusive = (['executionFilter', 'typeFilter', 'tagFilter', 'closeStatusFilter'] as const).filter((k) => f[k] !== undefined);
  if (exclusive.length > 1)
    throw fault.validation(
      `Only one of executionFilter, typeFilter, tagFilter and closeStatusFilter may be given; got ${exclusive.join(', ')}`,
    );
  if (f.startTimeFilter && f.closeTimeFilter) throw fault.validation('Only one of startTimeFilter and closeTimeFilter may be given');
  if (!open && !f.startTimeFilter && !f.closeTimeFilter)
    throw fault.validation('Either startTimeFilter or closeTimeFilter must be specified');
}

/** Whether an execution, as it shows, passes the filters other than executionFilter. */
function passesOtherFilters(f: Filters, e: Execution, v: View): boolean {
  return (
    inRange(e.startTimestamp, f.startTimeFilter) &&
    inRange(v.closeTimestamp, f.closeTimeFilter) &&
    (!f.typeFilter || (e.type.name === f.typeFilter.name && (!f.typeFilter.version || e.type.version === f.typeFilter.version))) &&
    (!f.tagFilter || e.tagList.includes(f.tagFilter.tag)) &&
    (!f.closeStatusFilter || v.closeStatus === f.closeStatusFilter.status)
  );
}

/** An open or a closed listing's executions. */
export interface Listing {
  open: boolean;
  executions: Execution[];
}

/**
 * The executions of a listing that pass the filters other than executionFilter, newest first by
 * default (documented for the List operations); reverseOrder turns it round.
 */
export function filteredInOrder(
  list: Execution[],
  open: boolean,
  f: Filters & { reverseOrder?: boolean },
  views: Map<Execution, View>,
): Execution[] {
  const passed = list.filter((e) => passesOtherFilters(f, e, views.get(e)!));
  const time = (e: Execution) => (open || !f.closeTimeFilter ? e.startTimestamp : (views.get(e)?.closeTimestamp ?? 0));
  passed.sort((a, b) => time(b) - time(a));
  return f.reverseOrder ? passed.reverse() : passed;
}

/** A page of a listing. */
export function listingPage(
  listing: Listing,
  input: { nextPageToken?: string; maximumPageSize?: number },
  info: (e: Execution) => WorkflowExecutionInfo,
): WorkflowExecutionInfos {
  const { page, nextPageToken } = paginate(listing.executions, listing.open ? 'open' : 'closed', input);
  return defined({ executionInfos: page.map(info), nextPageToken });
}

/** A count, never truncated. */
export const counted = (listing: Listing) => ({ count: listing.executions.length, truncated: false });

/** CountClosedWorkflowExecutions. */
export const countClosedOperation = (v: { matching(domain: string, open: boolean, f: Filters): Listing }) => ({
  CountClosedWorkflowExecutions: (input: CountClosedWorkflowExecutionsInput): WorkflowExecutionCount =>
    counted(v.matching(input.domain, false, input)),
});

/** A page of a history, oldest first unless reverseOrder. */
export function historyPage(
  e: Execution,
  shown: Execution['events'],
  input: { reverseOrder?: boolean; nextPageToken?: string; maximumPageSize?: number },
) {
  const events = input.reverseOrder ? [...shown].reverse() : shown;
  const { page, nextPageToken } = paginate(events, `history:${e.key}:${input.reverseOrder ? 'r' : 'f'}`, input);
  return defined({ events: page, nextPageToken });
}

/**
 * Whether a closed execution still counts the decision task it had scheduled: no clause names it
 * and no recording shows it (CONTRACT-NOTES: open counts are not reset at close, for activity
 * tasks); the reference reads 0, as for a task it can no longer hand out.
 */
export const countsItsTask = (v: View) => v.status === 'OPEN';

/** The counts Describe shows that no clause names: open timers, children and Lambda functions. */
export function otherOpenCounts(v: View) {
  return {
    openTimers: v.status === 'OPEN' ? v.openTimers : 0,
    openChildWorkflowExecutions: v.status === 'OPEN' ? v.openChildren : 0,
    openLambdaFunctions: 0,
  };
}

/** An execution's parent as an info shows it (executionInfo.parent). */
export const parentOf = (e: Execution) => (e.parent ? { workflowId: e.parent.workflowId, runId: e.parent.runId } : undefined);

/** The open activity tasks an execution shows: not reset when it closes (recorded). */
export const openActivities = (e: Execution) => (e.status === 'OPEN' ? e.activities.size : (e.openActivitiesAtClose ?? 0));
