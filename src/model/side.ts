/**
 * One side of a model-based differential run: the target, or the reference it is compared with.
 * Both sides receive the same commands under the same workflowIds; each keeps its own runIds,
 * which it names by a key that is the same on both sides (`a#0`, the first run of slot a), so
 * that what the two show can be compared.
 */
import { normalise } from '../recordings/bindings.ts';
import { lengthBounds } from '../contract/constraints.ts';
import type { HistoryEvent } from '../generated/types.ts';
import type { RawResponse } from '../clients/raw.ts';
import type { Run, Scenario } from '../harness/scenario.ts';

const { max: WORKFLOW_ID_MAX } = lengthBounds('StartWorkflowExecutionInput', 'workflowId');

/** What one execution run shows, with ids replaced by keys and slots: the same on both sides when they agree. */
export interface RunView {
  key: string;
  slot: string;
  status: string;
  closeStatus: string | null;
  cancelRequested: boolean;
  openDecisionTasks: number;
  openChildren: number;
  /** Where the close time falls: after the start (as it must), at it, or before it; null while open. */
  closedAt: 'after start' | 'at start' | 'before start' | null;
  events: EventView[];
}

export interface EventView {
  id: number;
  type: string;
  attrs?: Record<string, unknown>;
}

/** The attributes compared, per event type: what the clauses under test are about, and nothing an implementation may choose. */
const comparedAttributes: Record<string, readonly string[]> = {
  WorkflowExecutionStarted: ['childPolicy', 'parentWorkflowExecution', 'parentInitiatedEventId'],
  WorkflowExecutionCancelRequested: ['cause', 'externalWorkflowExecution', 'externalInitiatedEventId'],
  WorkflowExecutionTerminated: ['reason', 'details', 'childPolicy', 'cause'],
  WorkflowExecutionContinuedAsNew: ['newExecutionRunId', 'childPolicy'],
  StartChildWorkflowExecutionInitiated: ['workflowId', 'childPolicy'],
  ChildWorkflowExecutionStarted: ['workflowExecution'],
  ChildWorkflowExecutionTerminated: ['workflowExecution'],
  ChildWorkflowExecutionCanceled: ['workflowExecution'],
  ChildWorkflowExecutionCompleted: ['workflowExecution'],
  RequestCancelExternalWorkflowExecutionInitiated: ['workflowId', 'runId'],
  ExternalWorkflowExecutionCancelRequested: ['workflowExecution'],
  RequestCancelExternalWorkflowExecutionFailed: ['workflowId', 'runId', 'cause'],
};

/** The attributes object of an event, whatever its type: the one member named `...EventAttributes`. */
function attributesOf(event: HistoryEvent): Record<string, unknown> | undefined {
  const key = Object.keys(event).find((k) => k.endsWith('EventAttributes'));
  return key ? (event as unknown as Record<string, Record<string, unknown>>)[key] : undefined;
}

export class Side {
  /** Every run seen, by workflowId, in the order seen: a run's key is its slot and its place here. */
  private readonly runsOf = new Map<string, string[]>();
  private readonly keyOf = new Map<string, string>();
  /** Decision task tokens taken and not yet answered, by run key. */
  readonly held = new Map<string, string>();

  constructor(
    readonly name: 'target' | 'reference',
    readonly swf: Scenario,
    readonly namespace: string,
  ) {}

  /** The workflowId of a slot; slot z's is as long as the contract allows, filled with astral characters. */
  workflowId(slot: string): string {
    const id = `${this.namespace}-${slot}`;
    return slot === 'z' ? id + '\u{1D4B5}'.repeat(Math.max(0, WORKFLOW_ID_MAX - [...id].length)) : id;
  }

  /** The slot's workflowId with its own part in capitals: another workflowId, if names are exact. */
  otherCase(slot: string): string {
    const id = this.workflowId(slot);
    return `${this.namespace}-${id.slice(this.namespace.length + 1).toUpperCase()}`;
  }

  slotOf(workflowId: string): string {
    if (workflowId === this.workflowId('z')) return 'z';
    return workflowId.startsWith(`${this.namespace}-`) ? workflowId.slice(this.namespace.length + 1) : workflowId;
  }

  /** Names a run by its key, learning it if new. */
  learn(run: Run): string {
    const known = this.keyOf.get(run.runId);
    if (known) return known;
    const runs = this.runsOf.get(run.workflowId) ?? [];
    runs.push(run.runId);
    this.runsOf.set(run.workflowId, runs);
    const key = `${this.slotOf(run.workflowId)}#${runs.length - 1}`;
    this.keyOf.set(run.runId, key);
    return key;
  }

  run(key: string): Run | undefined {
    const at = key.lastIndexOf('#');
    const workflowId = this.workflowId(key.slice(0, at));
    const runId = this.runsOf.get(workflowId)?.[Number(key.slice(at + 1))];
    return runId ? { workflowId, runId } : undefined;
  }

  runs(): Run[] {
    return [...this.runsOf].flatMap(([workflowId, ids]) => ids.map((runId) => ({ workflowId, runId })));
  }

  /** Replaces runIds by keys and this sequence's workflowIds by their slots, everywhere in a value. */
  normalise(value: unknown): unknown {
    return normalise(value, '', {
      // Times are compared apart (their clause judges what a time must be), never as values.
      time: () => undefined,
      whole: (s) => this.keyOf.get(s) ?? (s.startsWith(`${this.namespace}-`) ? `~${this.slotOf(s)}` : undefined),
      inside: (s) => s,
    });
  }

  /** An answer as compared: its status, and its error code when it has one. */
  static answer(res: RawResponse): string {
    return res.status === 200 ? '200' : `${res.status} ${res.error?.code ?? '(no code)'}`;
  }

  /** Reads one run as it is now. */
  async view(run: Run): Promise<RunView> {
    const [detail, events] = await Promise.all([this.swf.describe(run), this.readEvents(run)]);
    const info = detail.executionInfo ?? ({} as NonNullable<typeof detail.executionInfo>);
    // Runs seen in the history (children, continued runs) are learned here, so the next view reads them too.
    for (const e of events) {
      const child = e.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
      if (child?.workflowId && child.runId) this.learn(child as Run);
      const next = e.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (next) this.learn({ workflowId: run.workflowId, runId: next });
    }
    return {
      key: this.learn(run),
      slot: this.slotOf(run.workflowId),
      status: String(info.executionStatus ?? '(none)'),
      closeStatus: info.closeStatus ? String(info.closeStatus) : null,
      cancelRequested: info.cancelRequested === true,
      openDecisionTasks: detail.openCounts?.openDecisionTasks ?? -1,
      openChildren: detail.openCounts?.openChildWorkflowExecutions ?? -1,
      closedAt:
        info.closeTimestamp === undefined
          ? null
          : Number(info.closeTimestamp) > Number(info.startTimestamp)
            ? 'after start'
            : Number(info.closeTimestamp) === Number(info.startTimestamp)
              ? 'at start'
              : 'before start',
      events: events.map((e) => {
        const wanted = comparedAttributes[e.eventType];
        const attributes = attributesOf(e);
        // An empty string reads as absent: whether an implementation keeps an empty reason is documented nowhere.
        const picked =
          wanted && attributes
            ? Object.fromEntries(
                wanted.filter((k) => attributes[k] !== undefined && attributes[k] !== '').map((k) => [k, this.normalise(attributes[k])]),
              )
            : undefined;
        return { id: e.eventId, type: e.eventType, ...(picked && Object.keys(picked).length ? { attrs: picked } : {}) };
      }),
    };
  }

  /** One read of the history, every page, without waiting: the differential run does its own waiting. */
  private async readEvents(run: Run): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextPageToken: string | undefined;
    do {
      const page = (await this.swf.raw.call('GetWorkflowExecutionHistory', {
        domain: this.swf.domain,
        execution: run,
        ...(nextPageToken ? { nextPageToken } : {}),
      })) as { events?: HistoryEvent[]; nextPageToken?: string };
      events.push(...(page.events ?? []));
      nextPageToken = page.nextPageToken;
    } while (nextPageToken);
    return events;
  }

  /** Every run of the sequence, read until no new one appears (children and continued runs are learned on the way). */
  async snapshot(): Promise<RunView[]> {
    const views = new Map<string, RunView>();
    for (let runs = this.runs(); runs.some((r) => !views.has(this.learn(r))); runs = this.runs()) {
      const fresh = runs.filter((r) => !views.has(this.learn(r)));
      for (const v of await Promise.all(fresh.map((r) => this.view(r)))) views.set(v.key, v);
    }
    return [...views.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The open and closed executions listed and counted for a slot, as compared. */
  async listings(slot: string): Promise<{ open: string[]; closed: string[]; openCount: number }> {
    const body = { domain: this.swf.domain, startTimeFilter: { oldestDate: 0 }, executionFilter: { workflowId: this.workflowId(slot) } };
    const names = (infos: { execution?: Run; closeStatus?: string }[]) =>
      infos.map((i) => `${i.execution ? this.normalise(i.execution.runId) : '?'}${i.closeStatus ? ` ${i.closeStatus}` : ''}`).sort();
    const [open, closed, count] = await Promise.all([
      this.swf.raw.call('ListOpenWorkflowExecutions', body) as Promise<{ executionInfos?: { execution?: Run }[] }>,
      this.swf.raw.call('ListClosedWorkflowExecutions', { ...body }) as Promise<{
        executionInfos?: { execution?: Run; closeStatus?: string }[];
      }>,
      this.swf.raw.call('CountOpenWorkflowExecutions', body) as Promise<{ count?: number }>,
    ]);
    return { open: names(open.executionInfos ?? []), closed: names(closed.executionInfos ?? []), openCount: count.count ?? -1 };
  }
}
