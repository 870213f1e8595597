/**
 * Decision tasks: scheduled when an execution's state changes (one active at a time,
 * documented), handed to a poll, and completed with decisions. What a decision does to an
 * execution is the lifecycle's (executions.ts); long polls, queues and pages are outside/'s.
 */
import type { Decision, DecisionTask, PollForDecisionTaskInput, RespondDecisionTaskCompletedInput } from '../../src/generated/types.ts';
import { fault } from '../faults.ts';
import type { Histories } from './history.ts';
import { defined, idleDecision, keys, type Execution, type Store } from './model.ts';
import { DECISION_SCHEDULE_TO_START } from './outside/config.ts';
import { emptyDecisionTask, firstPage, pageOr, requestedPage, type Page } from './outside/decision-pages.ts';
import { applyInTurn, checkDecisions, keepContext } from './outside/decisions.ts';
import { newToken } from './outside/ids.ts';
import { LongPolls, TaskQueues, TaskTokens, takeOrWait } from './outside/polls.ts';

/** What completing a decision task does to the execution: the lifecycle's side. */
export interface DecisionEffects {
  apply(e: Execution, d: Decision, completedId: number, unseen: boolean): void;
}

export class DecisionTasks {
  /** Execution keys with a scheduled task, by keys.taskList. */
  private readonly queues = new TaskQueues<string>();
  /** The long polls deciders wait in. */
  readonly polls: LongPolls<DecisionTask, { identity?: string; page: Page }>;
  private readonly tokens = new TaskTokens<string>();
  effects!: DecisionEffects;

  constructor(
    private readonly store: Store,
    private readonly events: Histories,
    pollTimeoutMs?: number,
  ) {
    this.polls = new LongPolls(pollTimeoutMs, emptyDecisionTask);
  }

  /**
   * SWF schedules a decision task whenever the state of an execution changes, and only one is
   * active at a time (documented). With a task already scheduled nothing is added. With one out
   * at a decider, the next is scheduled at once (recorded: DecisionTaskScheduled comes before the
   * started task's DecisionTaskCompleted), and handed out once the started one completes.
   */
  wake(e: Execution): void {
    // Stryker disable next-line ConditionalExpression: equivalent: the contract records no event in a closed execution
    if (e.status !== 'OPEN') return;
    if (e.decision.state === 'none') return this.schedule(e);
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent: a scheduled task has not started, so it sees the change
    if (e.decision.state === 'scheduled') return;
    e.pendingChange = true;
    // Stryker disable next-line ConditionalExpression: outside the contract: where a task completing schedules the next
    if (e.decision.state === 'started') e.decision.nextScheduledEventId ??= this.scheduledEvent(e);
  }

  private scheduledEvent(e: Execution): number {
    return this.events.add(e, 'DecisionTaskScheduled', {
      taskList: { name: e.config.taskList },
      taskPriority: e.config.taskPriority,
      scheduleToStartTimeout: DECISION_SCHEDULE_TO_START,
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
    this.queues.push(queueKey, e.key);
  }

  /** The execution closed: its task can no longer be polled or completed. */
  forget(e: Execution): void {
    this.tokens.forget(e.decision.token);
    this.queues.remove(e.key);
  }

  private start(e: Execution, identity: string | undefined, page: Page): DecisionTask {
    const token = newToken();
    e.decision.state = 'started';
    e.decision.token = token;
    e.decision.startedEventId = this.events.add(e, 'DecisionTaskStarted', { identity, scheduledEventId: e.decision.scheduledEventId });
    this.tokens.issue(token, e.key);
    const previous = e.previousStartedEventId;
    e.previousStartedEventId = e.decision.startedEventId;
    return defined({
      taskToken: token,
      startedEventId: e.decision.startedEventId,
      workflowExecution: { workflowId: e.workflowId, runId: e.runId },
      workflowType: e.type,
      ...firstPage(e, token, page),
      previousStartedEventId: previous,
    });
  }

  pollForDecisionTask(input: PollForDecisionTaskInput): Promise<DecisionTask> {
    this.store.domain(input.domain);
    const page = requestedPage(input);
    return pageOr(this.store, this.tokens, input, page, () =>
      takeOrWait(this.queues, this.polls, keys.taskList(input.domain, input.taskList.name), { identity: input.identity, page }, (key) => {
        const e = this.store.executions.get(key);
        return e && this.start(e, input.identity, page);
      }),
    );
  }

  respondDecisionTaskCompleted(input: RespondDecisionTaskCompletedInput): void {
    const key = this.tokens.find(input.taskToken);
    const e = key ? this.store.executions.get(key) : undefined;
    // A token is known from its task's start until it is used: only its execution's close can stale it.
    if (e?.status !== 'OPEN') throw fault.unknownTaskToken();
    const decisions = checkDecisions(input.decisions);
    this.tokens.forget(input.taskToken);
    const unseen = e.pendingChange;
    // Stryker disable next-line StringLiteral: equivalent: wake reads only none, scheduled and started
    e.decision.state = 'completing';
    keepContext(e, input.executionContext);
    const completedId = this.events.add(e, 'DecisionTaskCompleted', {
      executionContext: input.executionContext,
      scheduledEventId: e.decision.scheduledEventId,
      startedEventId: e.decision.startedEventId,
    });
    e.pendingChange = unseen;
    applyInTurn(e, decisions, (d) => this.effects.apply(e, d, completedId, unseen));
    // Stryker disable next-line ConditionalExpression: equivalent: close forgets a closed execution's next task
    if (e.status === 'OPEN') {
      const again = e.pendingChange;
      const next = e.decision.nextScheduledEventId;
      e.decision = idleDecision();
      if (next !== undefined) this.schedule(e, next);
      else if (again) this.schedule(e);
    }
  }
}
