/**
 * The lag timing modes (visibility and history lag): they serve tests of the suite's own
 * tolerance, and no run of the battery under mutation sets one. With a visibility lag each
 * execution is shown as it was a lag ago, from snapshots taken whenever its state changed; with a
 * history lag, GetWorkflowExecutionHistory shows the events recorded at least the lag ago.
 */
import type { Execution, Store, VisibleState } from '../model.ts';

export type View = Omit<VisibleState, 'at'>;

export class Lag {
  /** Executions changed by the operation under way; their visible state is taken once it ends. */
  private readonly changedNow = new Set<Execution>();

  constructor(
    private readonly store: Store,
    private readonly current: (e: Execution) => View,
    private readonly lagMs: number,
    private readonly historyLagMs: number,
  ) {}

  /**
   * Every change of state adds an event; with a visibility lag, the execution's visible state is
   * taken when the operation that changed it has ended (a microtask later, once it is whole).
   */
  readonly changed = (e: Execution): void => {
    if (!this.lagMs) return;
    if (this.changedNow.size === 0) {
      queueMicrotask(() => {
        for (const c of this.changedNow) this.takeVisibleState(c);
        this.changedNow.clear();
      });
    }
    this.changedNow.add(e);
  };

  private takeVisibleState(e: Execution): void {
    const at = this.store.clock.nowMs();
    const seen = (e.seen ??= []);
    seen.push({ at, ...this.current(e) });
    // Only the newest state older than the lag can still be shown, with the ones after it.
    const shown = seen.findLastIndex((v) => v.at <= at - this.lagMs);
    if (shown > 0) seen.splice(0, shown);
  }

  /** The execution as the visibility operations show it: as it was a lag ago, or as it is; undefined before its first state shows. */
  view(e: Execution): View | undefined {
    if (!this.lagMs) return this.current(e);
    const cutoff = this.store.clock.nowMs() - this.lagMs;
    return e.seen?.findLast((v) => v.at <= cutoff);
  }

  /** The execution as Describe shows it: a run it cannot show yet is named by its first state, rather than called unknown. */
  described(e: Execution): View {
    return (
      this.view(e) ??
      e.seen?.[0] ?? { status: 'OPEN', cancelRequested: false, decisionOpen: true, openChildren: 0, openActivities: 0, openTimers: 0 }
    );
  }

  /** The executions of a listing that show yet, each as it shows. */
  views(executions: Iterable<Execution>): Map<Execution, View> {
    const views = new Map<Execution, View>();
    for (const e of executions) {
      const v = this.view(e);
      if (v) views.set(e, v);
    }
    return views;
  }

  /** The events GetWorkflowExecutionHistory shows: with a history lag, those recorded at least the lag ago. */
  history(e: Execution): Execution['events'] {
    if (!this.historyLagMs) return e.events;
    const cutoff = (this.store.clock.nowMs() - this.historyLagMs) / 1000;
    const shown = e.events.findIndex((event) => event.eventTimestamp > cutoff);
    return shown < 0 ? e.events : e.events.slice(0, shown);
  }
}
