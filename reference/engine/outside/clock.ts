/**
 * The engine's clock. Which events share a time is judged by the replay of the AWS recordings
 * (src/recordings/compare.ts, stamped alike), not by a clause of the two operations; the clock in
 * milliseconds is read only by the lag timing modes.
 */
export class Clock {
  /** The moment of the engine's current turn, in milliseconds. */
  private instant: number | undefined;

  constructor(private readonly now: () => number) {}

  /** Milliseconds since the epoch. */
  nowMs(): number {
    return this.now();
  }

  /**
   * The time on the wire: epoch seconds. One moment per turn of the engine: the events one call
   * or one timer records are stamped alike, as AWS stamps a decision's effects with its completion
   * (recorded: every history of the corpus). A clock that moved on by a second or more within one
   * turn (a test's) starts a new moment.
   */
  seconds(): number {
    const now = Math.round(this.now());
    if (this.instant === undefined) {
      queueMicrotask(() => {
        this.instant = undefined;
      });
    }
    if (this.instant === undefined || Math.abs(now - this.instant) >= 1000) this.instant = now;
    return this.instant / 1000;
  }
}
