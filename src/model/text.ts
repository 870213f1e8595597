/** The model-based run as people read it, in the console, the reports and a failing test. */
import type { ModelRun } from '../generated/types.ts';

/** The model-based run in one line: its seed, what it ran, what it found. */
export function modelLine(m: ModelRun): string {
  const diverged = m.divergences.reduce((n, d) => n + d.count, 0);
  return (
    `seed ${m.seed} (\`--seed ${m.seed}\` replays it): ${m.sequences} sequences, ${m.steps} steps, ${(m.ms / 1000).toFixed(1)} s${m.timedOut ? ' (time limit reached)' : ''}; ` +
    `differences in ${m.found.length} clause${m.found.length === 1 ? '' : 's'}; ${diverged} other difference${diverged === 1 ? '' : 's'} set aside (no clause judges them, or theirs is already charged)` +
    reach(m)
  );
}

/** How far the sequences reached: the clauses reached, and those none reached, named (a finding about the model). */
function reach(m: ModelRun): string {
  if (!m.reached || !m.unreached) return '';
  const reached = Object.keys(m.reached).length;
  const total = reached + m.unreached.length;
  return `; ${reached} of the ${total} clauses it judges reached${m.unreached.length ? `, not reached by any sequence: ${m.unreached.join(', ')}` : ''}`;
}

/** Per clause, how many sequences reached it, most first: for the reports' tables. */
export function reachRows(m: ModelRun): [string, number][] {
  const rows: [string, number][] = Object.entries(m.reached ?? {}).map(([c, n]) => [c, n ?? 0]);
  for (const c of m.unreached ?? []) rows.push([c, 0]);
  return rows.sort((a, b) => b[1] - a[1]);
}

/** A shrunk counterexample as a person reads it: the steps with the two answers side by side, then the difference. */
export function counterexampleText(c: ModelRun['found'][number]): string {
  const width = Math.max(...c.steps.map((s) => s.step.length), 10);
  return [
    `${c.clause}: a minimal sequence (${c.shrinks} shrinks)`,
    ...c.steps.map(
      (s, i) =>
        `${String(i + 1).padStart(3)}. ${s.step.padEnd(width)}${s.target === undefined ? '' : `  target ${s.target.padEnd(24)} reference ${s.reference}`}`,
    ),
    `  then ${c.observation}: target ${c.target} · reference ${c.reference}`,
    `  replay: --seed ${c.seed} (fast-check path ${c.path})`,
  ].join('\n');
}
