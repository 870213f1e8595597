import { SAY_WAITING_EVERY_MS } from '../contract/protocol.ts';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SWFClient } from '@aws-sdk/client-swf';
import type { ChildPolicy, Decision, HistoryEvent, Shapes, WorkflowExecutionDetail, WorkflowExecutionInfo } from '../generated/types.ts';
import { lengthBounds } from '../contract/constraints.ts';
import { validate, type ShapeName } from '../contract/validators.ts';
import { retryDelayMs, SERVER_ERRORS, type RawClient, type RawResponse } from '../clients/raw.ts';
import type { Capture } from '../recordings/capture.ts';
import type { BatteryConfig } from './config.ts';
import type { Ledger } from './ledger.ts';
import { ensureActivityType, typeFor } from './prepare.ts';

import type { OperationUnderTest } from '../generated/operations.ts';

export { eventRecordedBy, operationsUnderTest, type OperationUnderTest } from '../generated/operations.ts';

export interface Run {
  workflowId: string;
  runId: string;
}

export interface StartOptions {
  /** The workflow type, by its default child policy; undefined picks the type with no default. */
  typeDefault?: ChildPolicy | 'none';
  /** A child policy given to StartWorkflowExecution. */
  childPolicy?: ChildPolicy;
  workflowId?: string;
  domain?: string;
  /** The task list of its decision tasks; its own workflowId unless set. */
  taskList?: string;
}

/**
 * What a test does to the target: starts executions (recorded in the ledger), answers their
 * decision tasks, and reads their state, validating every response against schemas/. Every call
 * goes through the raw client, whose exchanges a failure report shows; the SDK client is there
 * for the tests that are about what an SDK makes of an answer.
 */
export class Scenario {
  constructor(
    readonly config: BatteryConfig,
    readonly raw: RawClient,
    /** The SDK client, made (and its module loaded) on first use: few tests need one. */
    private readonly makeSdk: () => Promise<SWFClient>,
    readonly ledger: Ledger,
    /** A raw client signed as the restricted principal, when one is configured. */
    readonly restricted: RawClient | undefined,
    /** Told how long each wait for a lagging read took, and whether it settled in the window. */
    private readonly onWait: (ms: number, settled: boolean) => void = () => undefined,
    /** The test's exchanges, kept whole when the run records (`run --record`). */
    private readonly capture?: Capture,
  ) {}

  private sdkClient?: Promise<SWFClient>;

  /** An @aws-sdk/client-swf client for the target, for the tests about what an SDK makes of an answer. */
  sdk(): Promise<SWFClient> {
    return (this.sdkClient ??= this.makeSdk());
  }

  /**
   * Reads until the value settles, within the consistency window, and returns the last value
   * read: the contract lets these reads lag (eventually consistent visibility, asynchronous child
   * starts and child policies). The caller's assertions then judge that value, so a state that
   * contradicts the contract fails as soon as `settled` accepts it, and one that never comes fails
   * when the window ends, with what was seen last.
   */
  async eventually<T>(read: () => Promise<T>, settled: (value: T) => boolean): Promise<T> {
    const started = Date.now();
    let sayAt = SAY_WAITING_EVERY_MS;
    // A recording keeps the read that was judged, and how long the reads took to converge.
    const from = this.capture?.mark() ?? 0;
    for (let delay = 25, attempt = 0; ; attempt += 1, delay = Math.min(delay * 2, 1_000)) {
      const judgedFrom = this.capture?.mark() ?? 0;
      const value = await read();
      const waited = Date.now() - started;
      if (settled(value)) {
        if (attempt > 0) {
          this.onWait(waited, true);
          this.capture?.settle(from, judgedFrom, waited);
        }
        return value;
      }
      const left = this.config.consistencyWindowMs - waited;
      if (waited >= sayAt && left > 0) {
        this.onStillWaiting?.(waited);
        sayAt += SAY_WAITING_EVERY_MS;
      }
      if (left <= 0) {
        this.onWait(waited, false);
        this.capture?.settle(from, judgedFrom, waited);
        return value;
      }
      await this.pause(Math.min(delay, left));
    }
  }

  /** Told every few seconds while a lagging read is waited for, with how long so far. */
  onStillWaiting?: (ms: number) => void;

  /** Waits, unless the test is stopped (the run interrupted, the test timed out): then throws why. */
  async pause(ms: number): Promise<void> {
    const { signal } = this.raw.options;
    try {
      await sleep(ms, undefined, signal ? { signal } : {});
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    }
  }

  /** DescribeWorkflowExecution's executionInfo, once `settled` accepts it (or the window ends). */
  infoWhen(run: Run, settled: (info: WorkflowExecutionInfo) => boolean, domain = this.domain): Promise<WorkflowExecutionInfo> {
    return this.eventually(() => this.info(run, domain), settled);
  }

  describeWhen(run: Run, settled: (detail: WorkflowExecutionDetail) => boolean, domain = this.domain): Promise<WorkflowExecutionDetail> {
    return this.eventually(() => this.describe(run, domain), settled);
  }

  /**
   * The history, once `settled` accepts it. GetWorkflowExecutionHistory is eventually consistent
   * (the official model says so), so every read that follows an action waits for what the action
   * must have added.
   */
  historyWhen(run: Run, settled: (events: HistoryEvent[]) => boolean, domain = this.domain): Promise<HistoryEvent[]> {
    return this.eventually(
      () => this.readHistory(run, domain),
      (events) => events.length >= this.historyFloor(run) && settled(events),
    );
  }

  /**
   * The history once it holds an event of this type and one more after it (what the event
   * scheduled, as a rule), with the event's index; -1 when the consistency window ended first.
   */
  async historyPast(run: Run, eventType: string, domain = this.domain): Promise<{ events: HistoryEvent[]; at: number }> {
    const indexIn = (events: HistoryEvent[]) => events.findIndex((e) => e.eventType === eventType);
    const events = await this.historyWhen(run, (list) => indexIn(list) >= 0 && list.length > indexIn(list) + 1, domain);
    return { events, at: indexIn(events) };
  }

  /** The history once it holds an event of this type (after `from` events, when given). */
  historyWith(run: Run, eventType: string, from = 0, domain = this.domain): Promise<HistoryEvent[]> {
    return this.historyWhen(run, (events) => events.slice(from).some((e) => e.eventType === eventType), domain);
  }

  /**
   * How many events a run's history holds at least, by what this scenario has seen and done:
   * the longest history read, the events a decision task showed, one more after an action of the
   * scenario's that records one.
   */
  private readonly floors = new Map<string, number>();

  private historyFloor(run: Run): number {
    return this.floors.get(run.runId) ?? 1;
  }

  private raiseFloor(runId: string, atLeast: number): void {
    if ((this.floors.get(runId) ?? 0) < atLeast) this.floors.set(runId, atLeast);
  }

  /** The runs this scenario started or saw start, by workflowId, newest last: what an omitted runId names. */
  private readonly runsByWorkflowId = new Map<string, string[]>();

  private knownRun(run: Run): void {
    const runs = this.runsByWorkflowId.get(run.workflowId) ?? [];
    if (!runs.includes(run.runId)) runs.push(run.runId);
    this.runsByWorkflowId.set(run.workflowId, runs);
  }

  /** A successful request of the scenario's recorded an event in a run: its history must show one more. */
  private recorded(body: unknown): void {
    const { workflowId, runId } = (body ?? {}) as { workflowId?: unknown; runId?: unknown };
    const target =
      typeof runId === 'string' && runId
        ? runId
        : typeof workflowId === 'string'
          ? this.runsByWorkflowId.get(workflowId)?.at(-1)
          : undefined;
    if (target) this.raiseFloor(target, (this.floors.get(target) ?? 1) + 1);
  }

  openCountWhen(workflowId: string, expected: number): Promise<number> {
    return this.eventually(
      () => this.openCount(workflowId),
      (n) => n === expected,
    );
  }

  listedWhen(
    workflowId: string,
    which: 'Open' | 'Closed',
    settled: (infos: WorkflowExecutionInfo[]) => boolean,
  ): Promise<WorkflowExecutionInfo[]> {
    return this.eventually(() => this.listed(workflowId, which), settled);
  }

  /**
   * Every response the scenario read that did not match its schema, with the violations: judged
   * by the shape clause (wire.response.shapes) alone. Behaviour tests read what they need of a
   * response leniently, so that one serialization choice fails one clause, not every clause that
   * reads the response.
   */
  readonly shapeViolations: string[] = [];

  private shape<N extends ShapeName>(name: N, data: unknown): Shapes[N] {
    const result = validate(name, data);
    if (result.ok) return result.value;
    const violation = `${name}: ${result.violations.map((v) => v.message).join('; ')}`;
    if (!this.shapeViolations.includes(violation)) this.shapeViolations.push(violation);
    return (data ?? {}) as Shapes[N];
  }

  get domain(): string {
    return this.config.domain;
  }

  /** A workflowId for this run: the run's prefix, a label, and a random part. */
  id(label: string): string {
    return `${this.config.runPrefix}-${label}-${randomBytes(4).toString('hex')}`;
  }

  /** Starts an execution on a task list of its own (its workflowId), and records it in the ledger. */
  async start(options: StartOptions = {}): Promise<Run> {
    let workflowId = options.workflowId ?? this.id('wf');
    const domain = options.domain ?? this.domain;
    const type = typeFor(options.typeDefault === 'none' ? undefined : (options.typeDefault ?? 'TERMINATE'));
    const send = () => {
      this.ledger.intend({ domain, workflowId });
      return this.raw.send(
        {
          operation: 'StartWorkflowExecution',
          body: {
            domain,
            workflowId,
            workflowType: type,
            taskList: { name: options.taskList ?? workflowId },
            ...(options.childPolicy ? { childPolicy: options.childPolicy } : {}),
          },
        },
        { retries: 0 },
      );
    };
    let res = await send();
    // A 5xx is sent again, twice, as the raw client does, but under a workflowId of its own
    // unless the test chose one: an emulator that failed half way may have started the first,
    // which stays in the ledger as intended, for the cleanup.
    let halfway = false;
    for (let attempt = 1; attempt <= 2 && SERVER_ERRORS.has(res.status); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
      if (options.workflowId) halfway = true;
      else workflowId = this.id('wf');
      res = await send();
    }
    if (res.status !== 200) {
      if (!SERVER_ERRORS.has(res.status) && !halfway) this.ledger.refused({ domain, workflowId });
      throw new Error(
        `StartWorkflowExecution answered HTTP ${res.status} ${res.error?.code ?? ''}: ${res.error?.message ?? res.text.slice(0, 200)}`,
      );
    }
    const { runId } = this.shape('Run', res.json ?? {});
    if (!runId) throw new Error(`StartWorkflowExecution ${workflowId} answered no runId`);
    const run = { workflowId, runId };
    this.ledger.record({ domain, ...run });
    this.knownRun(run);
    // WorkflowExecutionStarted and the first DecisionTaskScheduled (documented: a start schedules a decision task).
    this.raiseFloor(runId, 2);
    return run;
  }

  /**
   * Answers the decision task of a run with these decisions. Children and continued runs the
   * decisions start are recorded in the ledger, and returned.
   */
  async decide(run: Run, decisions: Decision[], domain = this.domain): Promise<{ started: Run[]; taskEvents: HistoryEvent[] }> {
    const task = await this.nextTask(run, domain);
    // What the decisions may start is in the ledger before they are sent: children by their
    // workflowId, a continued run by the workflowId it shares with this run.
    for (const d of decisions) {
      const child = d.startChildWorkflowExecutionDecisionAttributes?.workflowId;
      if (child) this.ledger.intend({ domain, workflowId: child });
      if (d.decisionType === 'ContinueAsNewWorkflowExecution') this.ledger.intend({ domain, workflowId: run.workflowId });
    }
    await this.raw.call('RespondDecisionTaskCompleted', { taskToken: task.taskToken, decisions });
    const answered = task.workflowExecution as Run;
    if (task.startedEventId) this.raiseFloor(answered.runId, task.startedEventId + 1);
    // A child starts asynchronously: wait for its ChildWorkflowExecutionStarted, or its failure.
    const children = decisions.flatMap((d) => d.startChildWorkflowExecutionDecisionAttributes?.workflowId ?? []);
    const resolved = (events: HistoryEvent[]) =>
      children.every((id) =>
        events.some(
          (e) =>
            e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId === id ||
            // schemas/ does not model this event's attributes; the workflowId is all that is read.
            (e as { startChildWorkflowExecutionFailedEventAttributes?: { workflowId?: string } })
              .startChildWorkflowExecutionFailedEventAttributes?.workflowId === id,
        ),
      );
    const history = await this.historyWhen(task.workflowExecution as Run, resolved, domain);
    const started: Run[] = [];
    for (const e of history) {
      const child = e.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
      const next = e.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
      if (child) started.push(child);
      if (next) started.push({ workflowId: task.workflowExecution!.workflowId!, runId: next });
    }
    for (const s of started) {
      this.ledger.record({ domain, ...s });
      this.knownRun(s);
    }
    return { started, taskEvents: (task.events ?? []) as never };
  }

  /** One poll of the run's task list, read leniently: an empty poll answers no task. */
  async poll(run: Run, domain = this.domain) {
    const task = this.shape(
      'DecisionTask',
      await this.raw.call('PollForDecisionTask', { domain, taskList: { name: run.workflowId }, identity: 'swf-conformance' }),
    );
    const polled = task.workflowExecution?.runId;
    if (polled && task.startedEventId) this.raiseFloor(polled, task.startedEventId);
    return task;
  }

  /**
   * The run's next decision task. A scheduled task is handed out at once; an empty poll (a long
   * poll that ended, 60 s on AWS) is tried again until the consistency window has passed, and at
   * least once: a task that never comes fails the test, not the run's time budget.
   */
  private async nextTask(run: Run, domain: string): Promise<Shapes['DecisionTask'] & { taskToken: string }> {
    const started = Date.now();
    for (let polls = 1; ; polls += 1) {
      const polled = Date.now();
      const task = await this.poll(run, domain);
      if (task.taskToken) return task as Shapes['DecisionTask'] & { taskToken: string };
      // A poll that answered at once with no task is not a long poll: wait a little before the next.
      if (Date.now() - polled < 100) await this.pause(50);
      if (Date.now() - started >= this.config.consistencyWindowMs) {
        throw new Error(
          `no decision task for ${run.workflowId}: ${polls} poll${polls === 1 ? '' : 's'} over ${((Date.now() - started) / 1000).toFixed(1)} s answered none`,
        );
      }
    }
  }

  /** Polls the run's decision task and leaves it out, unanswered; returns its token. */
  async takeTask(run: Run, domain = this.domain): Promise<string> {
    return (await this.nextTask(run, domain)).taskToken;
  }

  /** The activity type the open-work tests schedule: registered on first use, kept when it exists. */
  private activityTypeRegistered?: Promise<{ name: string; version: string }>;

  activityType(): Promise<{ name: string; version: string }> {
    return (this.activityTypeRegistered ??= ensureActivityType(this.raw, this.domain));
  }

  /**
   * Schedules an activity task in the run (on a task list of its own, `<workflowId>-a`) and polls
   * it as a worker would; returns the started task's token.
   */
  async startActivity(run: Run): Promise<string> {
    const activityType = await this.activityType();
    const taskList = { name: `${run.workflowId}-a` };
    await this.decide(run, [
      {
        decisionType: 'ScheduleActivityTask',
        scheduleActivityTaskDecisionAttributes: {
          activityType,
          activityId: 'a1',
          taskList,
          scheduleToCloseTimeout: '300',
          scheduleToStartTimeout: '300',
          startToCloseTimeout: '300',
          heartbeatTimeout: '300',
        },
      },
    ]);
    const started = Date.now();
    for (;;) {
      const polled = Date.now();
      const task = (await this.raw.call('PollForActivityTask', { domain: this.domain, taskList, identity: 'swf-conformance' })) as {
        taskToken?: string;
      };
      if (task.taskToken) return task.taskToken;
      if (Date.now() - polled < 100) await this.pause(50);
      if (Date.now() - started >= this.config.consistencyWindowMs) throw new Error(`no activity task for ${run.workflowId}`);
    }
  }

  /** A decision starting a child on a task list of its own. */
  childDecision(workflowId: string, options: { childPolicy?: ChildPolicy; typeDefault?: ChildPolicy } = {}): Decision {
    return {
      decisionType: 'StartChildWorkflowExecution',
      startChildWorkflowExecutionDecisionAttributes: {
        workflowType: typeFor(options.typeDefault ?? 'TERMINATE'),
        workflowId,
        taskList: { name: workflowId },
        ...(options.childPolicy ? { childPolicy: options.childPolicy } : {}),
      },
    };
  }

  /**
   * A parent with one open child and one open grandchild. The parent's policy comes from
   * `parent`, the child's from `child` (both given at start, by the type default unless set).
   */
  async family(
    parent: StartOptions = {},
    child: { childPolicy?: ChildPolicy; typeDefault?: ChildPolicy } = {},
  ): Promise<{ parent: Run; child: Run; sibling: Run; grandchild: Run }> {
    const p = await this.start(parent);
    // Two children, so that a policy reaching only one of them is seen.
    const { started } = await this.decide(p, [
      this.childDecision(`${p.workflowId}-c`, child),
      this.childDecision(`${p.workflowId}-s`, child),
    ]);
    const c = started.find((r) => r.workflowId === `${p.workflowId}-c`);
    const sibling = started.find((r) => r.workflowId === `${p.workflowId}-s`);
    if (!c || !sibling) throw new Error(`the children of ${p.workflowId} did not start`);
    const [g] = (await this.decide(c, [this.childDecision(`${p.workflowId}-g`, { childPolicy: 'ABANDON' })])).started;
    if (!g) throw new Error(`the grandchild of ${p.workflowId} did not start`);
    return { parent: p, child: c, sibling, grandchild: g };
  }

  private guard(body: unknown): void {
    const workflowId = (body as { workflowId?: unknown } | undefined)?.workflowId;
    // The suite acts only on what it started: every workflowId it sends carries the run's prefix
    // (after the spaces a near miss puts before it), unless its length is one no execution can have
    // (the boundary battery's invalid values).
    const { min, max } = lengthBounds('TerminateWorkflowExecutionInput', 'workflowId');
    const length = typeof workflowId === 'string' ? [...workflowId].length : 0;
    const couldExist = typeof workflowId === 'string' && length >= min && length <= max;
    if (couldExist && !workflowId.trimStart().startsWith(this.config.runPrefix)) {
      throw new Error(`refusing to act on ${workflowId}: not started by this run (prefix ${this.config.runPrefix})`);
    }
  }

  /** One of the two operations under test, as sent on the wire; the body may be anything. */
  async send(operation: OperationUnderTest, body: unknown, client: RawClient = this.raw): Promise<RawResponse> {
    this.guard(body);
    const res = await client.send({ operation, body });
    if (res.status === 200) this.recorded(body);
    return res;
  }

  cancel(body: unknown, client?: RawClient): Promise<RawResponse> {
    return this.send('RequestCancelWorkflowExecution', body, client);
  }

  terminate(body: unknown, client?: RawClient): Promise<RawResponse> {
    return this.send('TerminateWorkflowExecution', body, client);
  }

  async describe(run: Run, domain = this.domain): Promise<WorkflowExecutionDetail> {
    return this.shape('WorkflowExecutionDetail', await this.raw.call('DescribeWorkflowExecution', { domain, execution: run }));
  }

  async info(run: Run, domain = this.domain): Promise<WorkflowExecutionInfo> {
    return (await this.describe(run, domain)).executionInfo ?? ({} as WorkflowExecutionInfo);
  }

  /**
   * The whole history, once it holds at least what the scenario knows it must (see
   * historyFloor): a lagging read is retried within the consistency window.
   */
  history(run: Run, domain = this.domain): Promise<HistoryEvent[]> {
    return this.historyWhen(run, () => true, domain);
  }

  /** One read of the whole history, every page, each event validated. */
  private async readHistory(run: Run, domain: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextPageToken: string | undefined;
    do {
      const page = this.shape(
        'History',
        await this.raw.call('GetWorkflowExecutionHistory', { domain, execution: run, ...(nextPageToken ? { nextPageToken } : {}) }),
      );
      events.push(...(page.events ?? []));
      nextPageToken = page.nextPageToken;
    } while (nextPageToken);
    this.raiseFloor(run.runId, events.length);
    return events;
  }

  async openCount(workflowId: string): Promise<number> {
    const body = { domain: this.domain, startTimeFilter: { oldestDate: 0 }, executionFilter: { workflowId } };
    return this.shape('WorkflowExecutionCount', await this.raw.call('CountOpenWorkflowExecutions', body)).count;
  }

  async listed(workflowId: string, which: 'Open' | 'Closed'): Promise<WorkflowExecutionInfo[]> {
    const body = { domain: this.domain, startTimeFilter: { oldestDate: 0 }, executionFilter: { workflowId } };
    return this.shape('WorkflowExecutionInfos', await this.raw.call(`List${which}WorkflowExecutions`, body)).executionInfos ?? [];
  }
}
