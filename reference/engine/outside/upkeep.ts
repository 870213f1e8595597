/**
 * The server's own bookkeeping, which no clause observes: the executions held, and a shutdown
 * that answers every waiting poll with no task and cancels deferred work, so that the server can
 * close at once.
 */
import type { Store } from '../model.ts';

export class Upkeep {
  constructor(
    private readonly store: Store,
    private readonly engine: {
      executions: { deferred: { shutdown(): void } };
      decisions: { polls: { shutdown(): void } };
      activities: { shutdown(): void };
    },
  ) {}

  /** How many executions the engine holds: the open ones and the closed ones still within their retention. */
  get executionsHeld(): number {
    return this.store.executions.size;
  }

  shutdown(): void {
    this.engine.executions.deferred.shutdown();
    this.engine.decisions.polls.shutdown();
    this.engine.activities.shutdown();
  }
}
