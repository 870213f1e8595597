/**
 * A model-based differential run: fast-check generates sequences of commands (commands.ts), runs
 * each against the target and the reference side by side, and shrinks a sequence that shows a
 * difference to a minimal one. A round ends at the first difference; the next round looks for a
 * difference in any other clause, so that one run lists every clause it can charge, each with its
 * own minimal counterexample. Seeded: the same seed, runs and targets give the same sequences.
 */
import fc from 'fast-check';
import type { ModelRun } from '../generated/types.ts';
import type { Scenario } from '../harness/scenario.ts';
import { judgedClauses } from './clauses.ts';
import { Charged, commandArbitraries, Pair, type Divergence } from './commands.ts';
import { Side } from './side.ts';
import { scenes, type Scene } from './scenes.ts';
import { newModel, type Model } from './state.ts';

export interface ModelRunOptions {
  target: Scenario;
  reference: Scenario;
  seed: number;
  /** How many sequences, over all rounds. */
  runs: number;
  /** The most commands in one sequence. */
  maxCommands?: number;
  /** A bound on the whole run's time, shrinking included; the run reports when it was reached. */
  timeLimitMs: number;
  /** How long the target's reads are retried until they agree with the reference's. */
  windowMs: number;
  /** Whether empty task lists may be polled: only against a target whose empty poll answers at once. */
  emptyPolls: boolean;
  /** Stops the run between sequences (the run was interrupted). */
  signal?: AbortSignal;
  /** The scenes played before the random sequences (default: all of scenes.ts). */
  scenes?: Scene[];
}

/** The most random commands after a scene's opening. */
const SCENE_TAIL = 4;
/** Where the scenes' seeds start, from the run's: apart from the random rounds' (seed, seed + 1, …). */
const SCENE_SEEDS = 1_000_003;

export async function modelRun(options: ModelRunOptions): Promise<ModelRun> {
  const started = Date.now();
  const found: ModelRun['found'] = [];
  const foundClauses = new Set<string>();
  const compared: Record<string, number> = {};
  // Per clause, how many sequences compared something it governs.
  const reached: Record<string, number> = {};
  const divergences = new Map<string, Divergence & { count: number }>();
  const errors: string[] = [];
  let sequences = 0;
  let steps = 0;
  let timedOut = false;
  const arbitraries = commandArbitraries();
  const lasting = new Set<string>();

  // A sequence the time limit interrupted goes on in the background until its step ends: the run
  // waits for it, so that nothing it counts or sends comes after the run's result.
  let ended = false;
  const inFlight = new Set<Promise<void>>();
  const sequence = (arbitrary: fc.Arbitrary<Iterable<fc.AsyncCommand<Model, Pair>>>) =>
    fc.asyncProperty(arbitrary, (commands) => {
      const played = play(commands);
      inFlight.add(played);
      void played.finally(() => inFlight.delete(played)).catch(() => undefined);
      return played;
    });
  const play = async (commands: Iterable<fc.AsyncCommand<Model, Pair>>): Promise<void> => {
    if (options.signal?.aborted || ended) return;
    sequences += 1;
    const namespace = `${options.target.config.runPrefix}-m${sequences}`;
    const reachedHere = new Set<string>();
    const pair = new Pair(new Side('target', options.target, namespace), new Side('reference', options.reference, namespace), {
      windowMs: options.windowMs,
      lasting,
      found: foundClauses,
      onCompared: (clause) => {
        compared[clause] = (compared[clause] ?? 0) + 1;
        reachedHere.add(clause);
      },
      onDiverged: (d) => {
        const key = `${d.step.replace(/#\d+/g, '#')}|${d.at.replace(/[a-z]\w*#\d+/g, 'run')}`;
        const known = divergences.get(key);
        if (known) known.count += 1;
        else divergences.set(key, { ...d, count: 1 });
      },
      ended: () => ended || Boolean(options.signal?.aborted),
    });
    try {
      await fc.asyncModelRun(() => ({ model: newModel(options.emptyPolls), real: pair }), commands);
    } finally {
      steps += pair.log.length;
      for (const clause of reachedHere) reached[clause] = (reached[clause] ?? 0) + 1;
      await closeAll(pair);
    }
  };
  const random = sequence(fc.commands(arbitraries, { maxCommands: options.maxCommands ?? 30, size: 'max' }));
  // Each scene is one sequence, its opening followed by a short random tail, checked (and shrunk) on its own.
  const planned = (options.scenes ?? scenes()).map((scene) =>
    sequence(
      fc
        .tuple(scene.commands, fc.commands(arbitraries, { maxCommands: SCENE_TAIL, size: 'max' }))
        .map(([opening, tail]) => [...opening, ...tail]),
    ),
  );

  /** One round: a property checked from a seed; false when the run must end (done, out of time, stopped, or an error). */
  const round = async (property: typeof random, seed: number, numRuns: number): Promise<boolean> => {
    const left = options.timeLimitMs - (Date.now() - started);
    if (left <= 0) {
      timedOut = true;
      return false;
    }
    const details = await fc.check(property, { seed, numRuns, interruptAfterTimeLimit: left, markInterruptAsFailure: false });
    if (details.interrupted) timedOut = true;
    if (!details.failed || options.signal?.aborted) return !details.interrupted && !options.signal?.aborted;
    const ending = roundEnding(details);
    if (ending.kind === 'time limit') return false;
    if (ending.kind === 'error') {
      errors.push(`the model-based run stopped: ${ending.message}`);
      return false;
    }
    const { difference, steps } = ending.charged;
    const [clause] = difference.clauses;
    foundClauses.add(clause);
    found.push({
      clause,
      observation: difference.at,
      target: difference.actual,
      reference: difference.expected,
      steps,
      seed,
      path: details.counterexamplePath ?? '',
      shrinks: details.numShrinks,
    });
    return true;
  };

  let going = true;
  // The scenes first, in order, each from a seed of its own; then the random sequences, a round per difference found.
  // Every scene plays while the runs asked for allow one each, however many sequences shrinking took.
  for (let i = 0; going && i < Math.min(planned.length, options.runs) && !options.signal?.aborted; i += 1)
    going = await round(planned[i]!, (options.seed + SCENE_SEEDS + i) | 0, 1);
  for (let r = 0; going && sequences < options.runs && !options.signal?.aborted; r += 1) {
    const before = sequences;
    going = await round(random, (options.seed + r) | 0, options.runs - sequences);
    // A round that ran no sequence (every one skipped) cannot go on.
    if (sequences === before) break;
  }
  ended = true;
  await Promise.allSettled([...inFlight]);
  return {
    seed: options.seed,
    sequences,
    steps,
    ms: Date.now() - started,
    found,
    compared,
    reached,
    unreached: judgedClauses.filter((c) => !reached[c]),
    // The report's shape: what was observed, the target's and the reference's.
    divergences: [...divergences.values()].map(({ step, at, actual, expected, clauses, count }) => ({
      step,
      observation: at,
      target: actual,
      reference: expected,
      ...(clauses ? { clause: clauses[0]! } : {}),
      count,
    })),
    timedOut,
    errors,
  };
}

/**
 * What ended a failed round: a difference, the time limit, or an error (its first line). fast-check
 * reports a time limit reached before any sequence ended as a failure with no error: that is the
 * time limit, which the report says, and no clause is charged with it.
 */
export function roundEnding(
  details: Pick<fc.RunDetails<unknown>, 'interrupted' | 'errorInstance'>,
): { kind: 'difference'; charged: Charged } | { kind: 'time limit' } | { kind: 'error'; message: string } {
  const error = details.errorInstance;
  if (error instanceof Charged) return { kind: 'difference', charged: error };
  if (details.interrupted && error == null) return { kind: 'time limit' };
  return { kind: 'error', message: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
}

/** Terminates what a sequence left open on both sides: nothing is left behind, and the ledger's cleanup finds it closed. */
async function closeAll(pair: Pair): Promise<void> {
  await Promise.all(
    [pair.target, pair.reference].map(async (side) => {
      for (const run of side.runs().reverse()) {
        await side.swf.raw
          .send({ operation: 'TerminateWorkflowExecution', body: { domain: side.swf.domain, ...run } }, { retries: 0 })
          .catch(() => undefined);
      }
    }),
  );
}
