/**
 * Ctrl-C and SIGTERM during a run, in three steps: the first stops the run (the battery is
 * cancelled, then the executions it left open are terminated), the second stops that cleanup
 * (saying what is left and where the ledger is), the third exits at once. vitest's own handlers,
 * which would exit the process in the middle of the cleanup, are taken off for the run.
 */
export class Interrupts {
  /** Aborted by the first signal: stop running tests. */
  readonly run = new AbortController();
  /** Aborted by the second signal: stop the cleanup. */
  readonly cleanup = new AbortController();
  signal?: NodeJS.Signals;
  private count = 0;
  private readonly handler = (signal: NodeJS.Signals) => this.receive(signal);

  constructor(private readonly say: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

  install(): void {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  uninstall(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }

  /** 130 after SIGINT, 143 after SIGTERM, as a shell reports them. */
  get exitCode(): number {
    return this.signal === 'SIGTERM' ? 143 : 130;
  }

  private receive(signal: NodeJS.Signals): void {
    this.count += 1;
    this.signal ??= signal;
    if (this.count === 1) {
      this.say(
        `\nswf-conformance: ${signal}: stopping the run, then terminating the executions it left open (${signal} again stops the cleanup)`,
      );
      this.run.abort(signal);
    } else if (this.count === 2) {
      this.say(`swf-conformance: ${signal} again: stopping the cleanup (once more exits at once)`);
      this.cleanup.abort(signal);
    } else {
      this.say(`swf-conformance: ${signal} a third time: exiting now`);
      process.exit(this.exitCode);
    }
  }
}

/**
 * Takes off the listeners that `create` adds for these process events, so that the caller's own
 * handling is the only one. vitest adds SIGINT/SIGTERM handlers that exit the process, and an
 * unhandledRejection handler that prints a stack trace and exits.
 */
export async function withoutNewListeners<T>(events: string[], create: () => Promise<T>): Promise<T> {
  // Registrations for these events are dropped while `create` runs, not only taken off after it:
  // a signal that came in between would reach vitest's handler, which exits the process at once
  // (with nothing cleaned up and no report). The Ctrl-C test "while vitest starts" caught it on Node 22.
  const blocked = new Set(events);
  const methods = ['on', 'once', 'addListener', 'prependListener', 'prependOnceListener'] as const;
  type Register = (this: NodeJS.Process, event: string | symbol, listener: (...args: unknown[]) => void) => NodeJS.Process;
  const originals = new Map(methods.map((m) => [m, process[m] as unknown as Register]));
  for (const m of methods) {
    const original = originals.get(m)!;
    (process as unknown as Record<string, Register>)[m] = function (this: NodeJS.Process, event, listener) {
      return typeof event === 'string' && blocked.has(event) ? this : original.call(this, event, listener);
    };
  }
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  try {
    return await create();
  } finally {
    for (const m of methods) (process as unknown as Record<string, Register>)[m] = originals.get(m)!;
    for (const e of events) {
      for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.off(e, l);
    }
  }
}

/**
 * Runs `act` when the signal aborts, or at once if it already has: a listener added to an
 * aborted signal is never called, and a Ctrl-C that came a moment earlier must still stop the run.
 */
export function whenAborted(signal: AbortSignal, act: () => void): void {
  if (signal.aborted) act();
  else signal.addEventListener('abort', act, { once: true });
}

/**
 * With SWF_CONFORMANCE_PHASES=1, a line on stderr as the run enters each phase (set-up,
 * vitest-start, collect, battery, cleanup): what a test of Ctrl-C waits on to interrupt a phase,
 * rather than guessing with a delay.
 */
export function announcePhase(phase: string): void {
  if (process.env.SWF_CONFORMANCE_PHASES === '1') process.stderr.write(`swf-conformance: phase: ${phase}\n`);
}
