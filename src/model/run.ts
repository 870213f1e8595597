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
import { commandArbitraries, Difference, Pair, type Divergence } from './commands.ts';
import { Side } from './side.ts';
import { newModel } from './state.ts';

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
}

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

  const property = fc.asyncProperty(fc.commands(arbitraries, { maxCommands: options.maxCommands ?? 30, size: 'max' }), async (commands) => {
    if (options.signal?.aborted) return;
    sequences += 1;
    const namespace = `${options.target.config.runPrefix}-m${sequences}`;
    const reachedHere = new Set<string>();
    const pair = new Pair(new Side('target', options.target, namespace), new Side('reference', options.reference, namespace), {
      windowMs: options.windowMs,
      found: foundClauses,
      onCompared: (clause) => {
        compared[clause] = (compared[clause] ?? 0) + 1;
        reachedHere.add(clause);
      },
      onDiverged: (d) => {
        const key = `${d.step.replace(/#\d+/g, '#')}|${d.observation.replace(/[a-z]\w*#\d+/g, 'run')}`;
        const known = divergences.get(key);
        if (known) known.count += 1;
        else divergences.set(key, { ...d, count: 1 });
      },
    });
    try {
      await fc.asyncModelRun(() => ({ model: newModel(options.emptyPolls), real: pair }), commands);
    } finally {
      steps += pair.log.length;
      for (const clause of reachedHere) reached[clause] = (reached[clause] ?? 0) + 1;
      await closeAll(pair);
    }
  });

  for (let round = 0; sequences < options.runs && !options.signal?.aborted; round += 1) {
    const left = options.timeLimitMs - (Date.now() - started);
    if (left <= 0) {
      timedOut = true;
      break;
    }
    const seed = (options.seed + round) | 0;
    const details = await fc.check(property, {
      seed,
      numRuns: options.runs - sequences,
      interruptAfterTimeLimit: left,
      markInterruptAsFailure: false,
    });
    if (details.interrupted) timedOut = true;
    if (!details.failed || options.signal?.aborted) break;
    const ending = roundEnding(details);
    if (ending.kind === 'time limit') break;
    if (ending.kind === 'error') {
      errors.push(`the model-based run stopped: ${ending.message}`);
      break;
    }
    const error = ending.difference;
    foundClauses.add(error.clause);
    found.push({
      clause: error.clause,
      observation: error.observation,
      target: error.target,
      reference: error.reference,
      steps: error.steps,
      seed,
      path: details.counterexamplePath ?? '',
      shrinks: details.numShrinks,
    });
  }
  return {
    seed: options.seed,
    sequences,
    steps,
    ms: Date.now() - started,
    found,
    compared,
    reached,
    unreached: judgedClauses.filter((c) => !reached[c]),
    divergences: [...divergences.values()],
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
): { kind: 'difference'; difference: Difference } | { kind: 'time limit' } | { kind: 'error'; message: string } {
  const error = details.errorInstance;
  if (error instanceof Difference) return { kind: 'difference', difference: error };
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
