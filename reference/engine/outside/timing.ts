/**
 * The delay timing modes (child start, child policy) and timers: work the engine defers. They
 * serve tests of the suite's own tolerance; the battery under mutation sets none, and a deferral
 * by one timer tick is within every clause's consistency window.
 */
import type { TimingModes } from '../model.ts';

/** The timing modes with every unset delay 0. */
export const timingModes = (given: TimingModes = {}): Required<TimingModes> => ({
  visibilityLagMs: 0,
  historyLagMs: 0,
  childStartDelayMs: 0,
  childPolicyDelayMs: 0,
  ...given,
});

/** Work deferred by a timing mode or a timer, cancelled at shutdown. */
export class Deferred {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Runs `work` after `ms`, or at once when `ms` is 0; the timer, to cancel it. */
  later(ms: number, work: () => void): NodeJS.Timeout | undefined {
    if (ms <= 0) {
      work();
      return undefined;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout | undefined): void {
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  shutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
