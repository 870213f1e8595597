/**
 * Activity tasks: scheduled by a decision, handed to long polls on their task list, completed,
 * failed or heartbeated by a worker. As much of SWF as the recordings in fixtures/recordings/aws/
 * use. A task of an execution that has closed can no longer be completed or heartbeated: its token
 * is unknown (recorded for a terminated execution's task, spec terminate.open-work.activities).
 */
import type {
  ActivityTask as ActivityTaskOutput,
  ActivityTaskStatus,
  Decision,
  PollForActivityTaskInput,
  RecordActivityTaskHeartbeatInput,
  RespondActivityTaskCanceledInput,
  RespondActivityTaskCompletedInput,
  RespondActivityTaskFailedInput,
} from '../../../src/generated/types.ts';
import { fault } from '../../faults.ts';
import type { Histories } from '../history.ts';
import { LongPolls, TaskQueues, TaskTokens, takeOrWait } from './polls.ts';
import { refuseIfClosed } from '../open-work.ts';
import { defined, keys, type ActivityTask, type Execution, type Store } from '../model.ts';
import { newToken } from './ids.ts';

/** What a long poll that ends with no task answers. */
const NO_TASK = { startedEventId: 0 } as ActivityTaskOutput;

/** An activity task as queues and tokens name it: its execution's key and its activityId. */
interface TaskRef {
  key: string;
  activityId: string;
}

export class ActivityTasks {
  /** Scheduled tasks by keys.taskList. */
  private readonly queues = new TaskQueues<TaskRef>();
  private readonly polls: LongPolls<ActivityTaskOutput, { identity?: string }>;
  private readonly tokens = new TaskTokens<TaskRef>();

  constructor(
    private readonly store: Store,
    private readonly events: Histories,
    pollTimeoutMs?: number,
  ) {
    this.polls = new LongPolls(pollTimeoutMs, () => ({ ...NO_TASK }));
  }

  /** The ScheduleActivityTask decision: ActivityTaskScheduled, or ScheduleActivityTaskFailed naming why. */
  schedule(e: Execution, d: Decision, completedId: number): void {
    const a = d.scheduleActivityTaskDecisionAttributes!;
    const failed = (cause: string) =>
      this.events.add(e, 'ScheduleActivityTaskFailed', {
        activityType: a.activityType,
        activityId: a.activityId,
        cause,
        decisionTaskCompletedEventId: completedId,
      });
    const rec = this.store.activityTypes.get(keys.type(e.domain, a.activityType));
    if (!rec) return void failed('ACTIVITY_TYPE_DOES_NOT_EXIST');
    if (rec.status === 'DEPRECATED') return void failed('ACTIVITY_TYPE_DEPRECATED');
    if (e.activities.has(a.activityId)) return void failed('ACTIVITY_ID_ALREADY_IN_USE');
    const taskList = a.taskList?.name ?? rec.defaults.taskList ?? e.config.taskList;
    const timeouts = {
      scheduleToStartTimeout: a.scheduleToStartTimeout ?? rec.defaults.scheduleToStartTimeout,
      scheduleToCloseTimeout: a.scheduleToCloseTimeout ?? rec.defaults.scheduleToCloseTimeout,
      startToCloseTimeout: a.startToCloseTimeout ?? rec.defaults.startToCloseTimeout,
      heartbeatTimeout: a.heartbeatTimeout ?? rec.defaults.heartbeatTimeout,
    };
    const scheduledEventId = this.events.add(e, 'ActivityTaskScheduled', {
      activityType: a.activityType,
      activityId: a.activityId,
      input: a.input,
      control: a.control,
      scheduleToStartTimeout: timeouts.scheduleToStartTimeout,
      scheduleToCloseTimeout: timeouts.scheduleToCloseTimeout,
      startToCloseTimeout: timeouts.startToCloseTimeout,
      taskList: { name: taskList },
      taskPriority: a.taskPriority ?? rec.defaults.taskPriority,
      decisionTaskCompletedEventId: completedId,
      heartbeatTimeout: timeouts.heartbeatTimeout,
    });
    const task: ActivityTask = {
      activityId: a.activityId,
      activityType: a.activityType,
      taskList,
      input: a.input,
      scheduledEventId,
      cancelRequested: false,
      timeouts,
    };
    e.activities.set(a.activityId, task);
    this.timeOut(e, task, 'SCHEDULE_TO_START', timeouts.scheduleToStartTimeout, () => task.startedEventId === undefined);
    this.timeOut(e, task, 'SCHEDULE_TO_CLOSE', timeouts.scheduleToCloseTimeout, () => true);
    e.latestActivityTaskTimestamp = this.store.clock.seconds();
    const queueKey = keys.taskList(e.domain, taskList);
    const waiter = this.polls.take(queueKey);
    if (waiter) waiter.answer(this.start(e, task, waiter.context.identity));
    else this.queues.push(queueKey, { key: e.key, activityId: a.activityId });
  }

  private readonly timeouts = new Set<NodeJS.Timeout>();

  /**
   * After `timeout` seconds (unless NONE or unset), the task times out as `timeoutType` if it is
   * still open and `due()` holds: ActivityTaskTimedOut, which wakes the decider. A heartbeat
   * timeout counts from the latest heartbeat.
   */
  private timeOut(e: Execution, task: ActivityTask, timeoutType: string, timeout: unknown, due: () => boolean): void {
    const seconds = Number(timeout);
    if (timeout === undefined || timeout === 'NONE' || !Number.isFinite(seconds)) return;
    const arm = (ms: number) => {
      const handle = setTimeout(
        () => {
          this.timeouts.delete(handle);
          if (e.status !== 'OPEN' || e.activities.get(task.activityId) !== task || !due()) return;
          if (timeoutType === 'HEARTBEAT' && task.beatAt !== undefined && Date.now() - task.beatAt < seconds * 1000)
            return arm(task.beatAt + seconds * 1000 - Date.now());
          this.unqueue(e.key, task.activityId);
          this.tokens.forget(task.token);
          e.activities.delete(task.activityId);
          e.latestActivityTaskTimestamp = this.store.clock.seconds();
          this.events.add(
            e,
            'ActivityTaskTimedOut',
            defined({
              timeoutType,
              scheduledEventId: task.scheduledEventId,
              startedEventId: task.startedEventId ?? 0,
              details: task.beatDetails,
            }),
          );
        },
        Math.max(0, ms),
      );
      // A pending timeout does not keep a process alive; shutdown() clears them all.
      handle.unref();
      this.timeouts.add(handle);
    };
    arm(seconds * 1000);
  }

  /** The RequestCancelActivityTask decision: a task not yet started is cancelled at once, a started one is asked to stop. */
  requestCancel(e: Execution, d: Decision, completedId: number): void {
    const { activityId } = d.requestCancelActivityTaskDecisionAttributes!;
    const task = e.activities.get(activityId);
    if (!task) {
      this.events.add(e, 'RequestCancelActivityTaskFailed', {
        activityId,
        cause: 'ACTIVITY_ID_UNKNOWN',
        decisionTaskCompletedEventId: completedId,
      });
      return;
    }
    const requestedId = this.events.add(e, 'ActivityTaskCancelRequested', { activityId, decisionTaskCompletedEventId: completedId });
    if (task.startedEventId === undefined) {
      this.unqueue(e.key, activityId);
      e.activities.delete(activityId);
      this.events.add(e, 'ActivityTaskCanceled', {
        scheduledEventId: task.scheduledEventId,
        startedEventId: 0,
        latestCancelRequestedEventId: requestedId,
      });
    } else {
      task.cancelRequested = true;
    }
  }

  private unqueue(key: string, activityId?: string): void {
    this.queues.removeWhere((queued) => queued.key === key && (activityId === undefined || queued.activityId === activityId));
  }

  /** The execution closed: its tasks can no longer be polled; their tokens name a closed execution (byTaskToken). */
  forget(e: Execution): void {
    this.unqueue(e.key);
  }

  private start(e: Execution, task: ActivityTask, identity: string | undefined): ActivityTaskOutput {
    const token = newToken();
    task.token = token;
    task.startedEventId = this.events.add(e, 'ActivityTaskStarted', { identity, scheduledEventId: task.scheduledEventId });
    e.latestActivityTaskTimestamp = this.store.clock.seconds();
    this.tokens.issue(token, { activityId: task.activityId, key: e.key });
    this.timeOut(e, task, 'START_TO_CLOSE', task.timeouts?.startToCloseTimeout, () => true);
    this.timeOut(e, task, 'HEARTBEAT', task.timeouts?.heartbeatTimeout, () => true);
    return defined({
      taskToken: token,
      activityId: task.activityId,
      startedEventId: task.startedEventId,
      workflowExecution: { workflowId: e.workflowId, runId: e.runId },
      activityType: task.activityType,
      input: task.input,
    }) as ActivityTaskOutput;
  }

  pollForActivityTask(input: PollForActivityTaskInput): Promise<ActivityTaskOutput> {
    this.store.domain(input.domain);
    const queueKey = keys.taskList(input.domain, input.taskList.name);
    return takeOrWait(this.queues, this.polls, queueKey, { identity: input.identity }, (next) => {
      const e = this.store.executions.get(next.key);
      const task = e?.status === 'OPEN' ? e.activities.get(next.activityId) : undefined;
      return e && task && this.start(e, task, input.identity);
    });
  }

  /** The open execution and started task a token names, or UnknownResourceFault. */
  private byTaskToken(taskToken: string): { e: Execution; task: ActivityTask } {
    const ref = this.tokens.find(taskToken);
    const e = ref && this.store.executions.get(ref.key);
    if (!ref || !e) throw fault.unknownTaskToken();
    // The contract's part, mutated where it is written: a task of a closed execution is refused.
    refuseIfClosed(e);
    const task = e.activities.get(ref.activityId);
    if (!task || task.token !== taskToken) throw fault.unknownTaskToken();
    return { task, e };
  }

  /** The task closes with this event, which wakes the decider. */
  private close(e: Execution, task: ActivityTask, eventType: string, attributes: Record<string, unknown>): void {
    this.tokens.forget(task.token);
    e.activities.delete(task.activityId);
    e.latestActivityTaskTimestamp = this.store.clock.seconds();
    this.events.add(e, eventType, { ...attributes, scheduledEventId: task.scheduledEventId, startedEventId: task.startedEventId });
  }

  respondActivityTaskCompleted(input: RespondActivityTaskCompletedInput): void {
    const { e, task } = this.byTaskToken(input.taskToken);
    this.close(e, task, 'ActivityTaskCompleted', { result: input.result });
  }

  respondActivityTaskFailed(input: RespondActivityTaskFailedInput): void {
    const { e, task } = this.byTaskToken(input.taskToken);
    this.close(e, task, 'ActivityTaskFailed', { reason: input.reason, details: input.details });
  }

  respondActivityTaskCanceled(input: RespondActivityTaskCanceledInput): void {
    const { e, task } = this.byTaskToken(input.taskToken);
    this.close(e, task, 'ActivityTaskCanceled', { details: input.details });
  }

  recordActivityTaskHeartbeat(input: RecordActivityTaskHeartbeatInput): ActivityTaskStatus {
    const { task } = this.byTaskToken(input.taskToken);
    task.beatAt = Date.now();
    task.beatDetails = input.details;
    return { cancelRequested: task.cancelRequested };
  }

  /** Answers every waiting poll with no task. */
  shutdown(): void {
    for (const handle of this.timeouts) clearTimeout(handle);
    this.timeouts.clear();
    this.polls.shutdown();
  }
}

/** The engine's operations of activity tasks. */
export function activityOperations(a: ActivityTasks) {
  return {
    PollForActivityTask: (i: PollForActivityTaskInput) => a.pollForActivityTask(i),
    RespondActivityTaskCompleted: (i: RespondActivityTaskCompletedInput) => a.respondActivityTaskCompleted(i),
    RespondActivityTaskFailed: (i: RespondActivityTaskFailedInput) => a.respondActivityTaskFailed(i),
    RespondActivityTaskCanceled: (i: RespondActivityTaskCanceledInput) => a.respondActivityTaskCanceled(i),
    RecordActivityTaskHeartbeat: (i: RecordActivityTaskHeartbeatInput) => a.recordActivityTaskHeartbeat(i),
  };
}
