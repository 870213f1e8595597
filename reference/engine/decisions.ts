/**
 * Decision tasks: scheduled when an execution's state changes (one active at a time,
 * documented), handed to long polls, paged, and completed with decisions. What a decision does
 * to an execution is the lifecycle's (executions.ts).
 */
import type { Decision, DecisionTask, PollForDecisionTaskInput, RespondDecisionTaskCompletedInput, } from '../../src/generated/types.ts';
import { fault } from '../faults.ts';
import type { Histories } from './history.ts';
import { LongPolls } from './polls.ts';
import { DEFAULT_PAGE, defined, keys, lowerFirst, newToken, pageTokens, type Execution, type Store } from './model.ts';

/** What a long poll that ends with no task answers. */
// Stryker disable next-line ObjectLiteral: outside the contract: what an empty poll answers besides no task token is named by no clause
const NO_TASK: DecisionTask = { startedEventId: 0, previousStartedEventId: 0 };

const SUPPORTED_DECISIONS = new Set([
  'StartChildWorkflowExecution', 'ContinueAsNewWorkflowExecution', 'CompleteWorkflowExecution',
  'CancelWorkflowExecution', 'FailWorkflowExecution', 'RequestCancelExternalWorkflowExecution',
  // Stryker disable next-line StringLiteral: outside the contract: which of these decisions the reference supports is named by no clause (the battery schedules an activity task, whose refusal would fail its set-up)
  'ScheduleActivityTask', 'RequestCancelActivityTask', 'StartTimer', 'CancelTimer', 'RecordMarker', 'SignalExternalWorkflowExecution',
]);

type Page = { maximumPageSize?: number; reverseOrder?: boolean };

/** What completing a decision task does to the execution: the lifecycle's side. */
export interface DecisionEffects {
  apply(e: Execution, d: Decision, completedId: number, unseen: boolean): void;
}

export class DecisionTasks {
  /** Execution keys with a scheduled task, by keys.taskList. */
  private readonly queues = new Map<string, string[]>();
  private readonly polls: LongPolls<DecisionTask, { identity?: string; page: Page }>;
  private readonly byToken = new Map<string, string>();
  effects!: DecisionEffects;

  constructor(private readonly store: Store, private readonly events: Histories, pollTimeoutMs: number) {
    // Stryker disable next-line all: outside the contract: what an empty poll answers besides no task token is named by no clause
    this.polls = new LongPolls(pollTimeoutMs, () => ({ ...NO_TASK }));
  }

  /**
   * SWF schedules a decision task whenever the state of an execution changes, and only one is
   * active at a time (documented). With a task already scheduled nothing is added. With one out
   * at a decider, the next is scheduled at once (recorded: DecisionTaskScheduled comes before the
   * started task's DecisionTaskCompleted), and handed out once the started one completes.
   */
  wake(e: Execution): void {
    // Stryker disable next-line ConditionalExpression: equivalent under the contract seams: the contract records no event in a closed execution
    if (e.status !== 'OPEN') return;
    if (e.decision.state === 'none') return this.schedule(e);
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent: with a task scheduled, the change it would mark as unseen is seen by that task, which has not started
    if (e.decision.state === 'scheduled') return;
    e.pendingChange = true;
    // Stryker disable next-line ConditionalExpression: outside the contract: whether a child started while its parent's decision task completes schedules the next task among the decisions' events or after them is named by no clause
    if (e.decision.state === 'started') e.decision.nextScheduledEventId ??= this.scheduledEvent(e);
  }

  private scheduledEvent(e: Execution): number {
    return this.events.add(e, 'DecisionTaskScheduled', {
      taskList: { name: e.config.taskList },
      taskPriority: e.config.taskPriority,
      // NONE unless a decider set one (recorded since 2023; older recordings predate the member).
      // Stryker disable next-line StringLiteral: outside the contract: DecisionTaskScheduled's timeouts are named by no clause
      scheduleToStartTimeout: 'NONE',
      startToCloseTimeout: e.config.taskStartToCloseTimeout,
    });
  }

  schedule(e: Execution, scheduledEventId?: number): void {
    e.decision.state = 'scheduled';
    e.pendingChange = false;
    delete e.decision.nextScheduledEventId;
    e.decision.scheduledEventId = scheduledEventId ?? this.scheduledEvent(e);
    const queueKey = keys.taskList(e.domain, e.config.taskList);
    // A decider already waiting on the task list gets the task at once; otherwise it is queued.
    const waiter = this.polls.take(queueKey);
    if (waiter) return waiter.answer(this.start(e, waiter.context.identity, waiter.context.page));
    const queue = this.queues.get(queueKey) ?? [];
    queue.push(e.key);
    this.queues.set(queueKey, queue);
  }

  /** The execution closed: its task can no longer be polled or completed. */
  forget(e: Execution): void {
    // Stryker disable next-line ConditionalExpression: equivalent: a closed execution's answer is refused twice over, by its forgotten token and by its status (respondDecisionTaskCompleted)
    if (e.decision.token) this.byToken.delete(e.decision.token);
    // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent: a closed execution's decision state is read by nothing once its status is CLOSED
    e.decision = { state: 'none', scheduledEventId: 0, startedEventId: 0 };
    for (const queue of this.queues.values()) {
      const at = queue.indexOf(e.key);
      if (at >= 0) queue.splice(at, 1);
    }
  }

  private start(e: Execution, identity: string | undefined, page: Page): DecisionTask {
    const token = newToken();
    e.decision.state = 'started';
    e.decision.token = token;
    e.decision.startedEventId = this.events.add(e, 'DecisionTaskStarted', { identity, scheduledEventId: e.decision.scheduledEventId });
    this.byToken.set(token, e.key);
    const previous = e.previousStartedEventId;
    e.previousStartedEventId = e.decision.startedEventId;
    // Stryker disable next-line all: outside the contract: a decision task's history in reverse order, or in pages, is named by no clause
    const events = page.reverseOrder ? [...e.events].reverse() : [...e.events];
    // Stryker disable next-line all: outside the contract: a decision task's history in pages is named by no clause
    const size = page.maximumPageSize || DEFAULT_PAGE;
    return defined({
      taskToken: token,
      startedEventId: e.decision.startedEventId,
      workflowExecution: { workflowId: e.workflowId, runId: e.runId },
      workflowType: e.type,
      // Stryker disable next-line all: outside the contract: a decision task's history in pages is named by no clause
      events: events.slice(0, size),
      // Stryker disable next-line all: outside the contract: a decision task's history in pages is named by no clause
      nextPageToken: events.length > size ? pageTokens.encode(`task:${token}:${page.reverseOrder ? 'r' : 'f'}`, size) : undefined,
      previousStartedEventId: previous,
    });
  }

  pollForDecisionTask(input: PollForDecisionTaskInput): Promise<DecisionTask> {
    this.store.domain(input.domain);
    // Stryker disable next-line all: outside the contract: a decision task's history in reverse order, or in pages, is named by no clause
    const page = defined({ maximumPageSize: input.maximumPageSize, reverseOrder: input.reverseOrder });
    // Stryker disable next-line all: outside the contract: a decision task's history in pages is named by no clause
    if (input.nextPageToken) return Promise.resolve(this.nextPage(input.nextPageToken, page));
    const queueKey = keys.taskList(input.domain, input.taskList.name);
    // Stryker disable next-line OptionalChaining: outside the contract: a poll of a task list on which no task was ever scheduled is named by no clause
    const key = this.queues.get(queueKey)?.shift();
    const e = key ? this.store.executions.get(key) : undefined;
    if (e) return Promise.resolve(this.start(e, input.identity, page));
    return this.polls.wait(queueKey, { identity: input.identity, page });
  }

  // Stryker disable all: outside the contract: paging a decision task's history (nextPageToken) is named by no clause; the battery's decider reads the first page of short histories
  private nextPage(token: string, page: Page): DecisionTask {
    const decoded = pageTokens.decode(token);
    const match = /^task:(.+):([fr])$/.exec(decoded.kind);
    const key = match && this.byToken.get(match[1]!);
    const e = key ? this.store.executions.get(key) : undefined;
    if (!match || !e) throw fault.validation('The nextPageToken is not valid for this request');
    const upTo = e.events.slice(0, e.decision.startedEventId);
    const events = match[2] === 'r' ? upTo.reverse() : upTo;
    const size = page.maximumPageSize || DEFAULT_PAGE;
    const next = decoded.offset + size;
    return defined({
      taskToken: match[1], startedEventId: e.decision.startedEventId, workflowExecution: { workflowId: e.workflowId, runId: e.runId },
      workflowType: e.type, events: events.slice(decoded.offset, next), previousStartedEventId: e.previousStartedEventId,
      nextPageToken: next < events.length ? pageTokens.encode(decoded.kind, next) : undefined,
    });
  }
  // Stryker restore all

  respondDecisionTaskCompleted(input: RespondDecisionTaskCompletedInput): void {
    const key = this.byToken.get(input.taskToken);
    const e = key ? this.store.executions.get(key) : undefined;
    // Stryker disable next-line ConditionalExpression: equivalent: a closed execution's answer is refused twice over, by its status and by its token forgotten at close (forget)
    if (e?.status !== 'OPEN' || e.decision.token !== input.taskToken) throw fault.unknownTaskToken();
    // Stryker disable all: outside the contract: how RespondDecisionTaskCompleted validates its decisions is named by no clause
    const decisions = input.decisions ?? [];
    for (const [i, d] of decisions.entries()) {
      const attributesMember = `${lowerFirst(d.decisionType)}DecisionAttributes` as keyof Decision;
      const optional = d.decisionType === 'CompleteWorkflowExecution' || d.decisionType === 'CancelWorkflowExecution'
        || d.decisionType === 'FailWorkflowExecution' || d.decisionType === 'ContinueAsNewWorkflowExecution';
      if (!SUPPORTED_DECISIONS.has(d.decisionType)) throw fault.notImplemented(`The ${d.decisionType} decision`);
      if (!optional && d[attributesMember] === undefined) {
        throw fault.validation(`1 validation error detected: Value null at 'decisions.${i + 1}.member.${attributesMember}' failed to satisfy constraint: Member must not be null`);
      }
    }
    // Stryker restore all
    this.byToken.delete(input.taskToken);
    const unseen = e.pendingChange;
    // Stryker disable next-line StringLiteral: equivalent: wake treats every state but none, scheduled and started alike
    e.decision.state = 'completing';
    // Stryker disable next-line BooleanLiteral: equivalent: reset from unseen two lines below, before anything reads it
    e.pendingChange = false;
    // Stryker disable next-line LogicalOperator: outside the contract: latestExecutionContext is named by no clause
    e.latestExecutionContext = input.executionContext ?? e.latestExecutionContext;
    const completedId = this.events.add(e, 'DecisionTaskCompleted', {
      executionContext: input.executionContext, scheduledEventId: e.decision.scheduledEventId, startedEventId: e.decision.startedEventId,
    });
    e.pendingChange = unseen;
    for (const d of decisions) {
      // Stryker disable next-line ConditionalExpression: outside the contract: decisions after the one that closed the execution are named by no clause
      if (e.status !== 'OPEN') break;
      this.effects.apply(e, d, completedId, unseen);
    }
    // Stryker disable next-line ConditionalExpression: equivalent: a closed execution has nothing pending and no next task (close forgets both)
    if (e.status === 'OPEN') {
      const again = e.pendingChange;
      const next = e.decision.nextScheduledEventId;
      e.decision = { state: 'none', scheduledEventId: 0, startedEventId: 0 };
      if (next !== undefined) this.schedule(e, next);
      else if (again) this.schedule(e);
    }
  }

  /** Answers every waiting poll with no task. */
  // Stryker disable next-line BlockStatement: outside the contract: answering waiting polls when the server closes is named by no clause
  shutdown(): void {
    this.polls.shutdown();
  }
}
