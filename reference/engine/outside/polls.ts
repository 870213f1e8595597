/**
 * Long polls waiting on task lists, for decision and activity tasks alike: a poll that finds no
 * task waits until one is scheduled on its task list, or answers `empty` once the poll timeout
 * has passed (AWS: 60 s). How a poll waits is named by no clause of the two operations: an empty
 * poll answered at once is what a target without long polls does, which the contract allows.
 */
import { LONG_POLL_MS } from '../../../src/contract/protocol.ts';

/** `C` is what a poll asked with, for the task it is handed. */
export class LongPolls<T, C> {
  private readonly waiting = new Map<string, { context: C; resolve: (task: T) => void; timer: NodeJS.Timeout }[]>();

  private readonly timeoutMs: number;

  constructor(
    timeoutMs: number | undefined,
    private readonly empty: () => T,
  ) {
    this.timeoutMs = timeoutMs ?? LONG_POLL_MS;
  }

  /** Waits on the task list until `take` hands it a task, or the timeout. */
  wait(queueKey: string, context: C): Promise<T> {
    return new Promise<T>((resolve) => {
      const list = this.waiting.get(queueKey) ?? [];
      const waiter = {
        context,
        resolve,
        timer: setTimeout(() => {
          list.splice(list.indexOf(waiter), 1);
          resolve(this.empty());
        }, this.timeoutMs),
      };
      list.push(waiter);
      this.waiting.set(queueKey, list);
    });
  }

  /** The oldest poll waiting on the task list, taken off it, with a function to answer it; undefined when none waits. */
  take(queueKey: string): { context: C; answer: (task: T) => void } | undefined {
    const waiter = this.waiting.get(queueKey)?.shift();
    if (waiter === undefined) return undefined;
    clearTimeout(waiter.timer);
    return { answer: waiter.resolve, context: waiter.context };
  }

  /** Answers every waiting poll with no task. */
  shutdown(): void {
    for (const list of this.waiting.values()) {
      for (const w of list.splice(0)) {
        clearTimeout(w.timer);
        w.resolve(this.empty());
      }
    }
  }
}

/** Scheduled tasks waiting for a poll, by task list, oldest first. */
export class TaskQueues<T> {
  private readonly queues = new Map<string, T[]>();

  push(queueKey: string, item: T): void {
    const queue = this.queues.get(queueKey) ?? [];
    queue.push(item);
    this.queues.set(queueKey, queue);
  }

  /** The oldest task of the list, taken off it; undefined when none waits (or none was ever scheduled there). */
  shift(queueKey: string): T | undefined {
    return this.queues.get(queueKey)?.shift();
  }

  /** Takes a task off whichever list it waits on. */
  remove(item: T): void {
    this.removeWhere((queued) => queued === item);
  }

  /** Takes every task that `match` picks off whichever list it waits on. */
  removeWhere(match: (item: T) => boolean): void {
    for (const queue of this.queues.values()) {
      for (let i = queue.length - 1; i >= 0; i -= 1) if (match(queue[i]!)) queue.splice(i, 1);
    }
  }
}

/** Task tokens handed out, each to the record it names, until it is used or its execution closes (memory only: a closed execution's token is refused by its status). */
export class TaskTokens<K> {
  private readonly keys = new Map<string, K>();

  issue(token: string, key: K): void {
    this.keys.set(token, key);
  }

  find(token: string): K | undefined {
    return this.keys.get(token);
  }

  forget(token: string | undefined): void {
    if (token) this.keys.delete(token);
  }
}

/**
 * A poll: the oldest task queued on its list that `start` can start (one that cannot, its
 * execution gone or closed, is dropped), or, with none, a wait in the long polls until one is
 * scheduled or the poll times out.
 */
export function takeOrWait<Q, T, C>(
  queues: TaskQueues<Q>,
  polls: LongPolls<T, C>,
  queueKey: string,
  context: C,
  start: (queued: Q) => T | undefined,
): Promise<T> {
  for (let queued = queues.shift(queueKey); queued !== undefined; queued = queues.shift(queueKey)) {
    const task = start(queued);
    if (task !== undefined) return Promise.resolve(task);
  }
  return polls.wait(queueKey, context);
}
