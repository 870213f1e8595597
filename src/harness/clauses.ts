import type { TestOptions } from 'vitest';
import { spec, type Grade } from '../contract/spec.ts';

declare module '@vitest/runner' {
  interface TaskMeta {
    /** The spec clauses the test checks. */
    clauses?: string[];
    /** The case the test exercises (`close:FAILED`), for clauses whose recordings show only some cases. */
    case?: string;
    /** The weakest grade among them: an inferred one makes the test advisory. */
    grade?: Grade;
    /** The last requests and responses of the test, redacted, for failure reports. */
    exchanges?: import('./exchanges.ts').RecordedExchange[];
    /** The model-based run's result, carried by each of its tests into the report. */
    modelRun?: import('../generated/types.ts').ModelRun;
    /** What a report-only test saw the target do. */
    observed?: string;
    /** The requests the test sent, by operation. */
    calls?: Record<string, number>;
    /** The test's slowest wait for a read the contract lets lag, and whether it settled within the window. */
    convergence?: { ms: number; settled: boolean };
    /** The wire checks run on each of the test's exchanges (src/contract/exchange-checks.ts), per clause. */
    exchangeChecks?: import('../contract/exchange-checks.ts').CheckTally;
  }
}

const strength: Record<Grade, number> = { inferred: 0, recorded: 1, documented: 2 };

/** The weakest of some grades. */
export function weakest(grades: Grade[]): Grade {
  return grades.reduce((a, b) => (strength[b] < strength[a] ? b : a), 'documented' as Grade);
}

/** The tag vitest filters a clause's tests by (`--tags-filter`). */
export const clauseTag = (id: string) => `clause:${id}`;

/**
 * The options of a test that checks these clauses, and the case it exercises where a clause's
 * recordings show only some (`cites('x', { case: 'close:CANCELED' })`): its meta carries the ids,
 * grade and case, and its
 * tags the grade, the concerns and each clause. An unknown id fails the file at collection, so a
 * test can never cite a clause spec/ does not have.
 */
export function cites(...args: (string | { case: string })[]): TestOptions {
  const ids = args.filter((a): a is string => typeof a === 'string');
  const exercised = args.find((a): a is { case: string } => typeof a !== 'string')?.case;
  const { byId } = spec();
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length || ids.length === 0)
    throw new Error(`a test cites ${ids.length === 0 ? 'no clause' : `unknown clause(s): ${unknown.join(', ')}`}`);
  const clauses = ids.map((id) => byId.get(id)!);
  const grade = weakest(clauses.map((c) => c.grade));
  const concerns = [...new Set(clauses.map((c) => c.concern))];
  return { meta: { clauses: ids, grade, ...(exercised ? { case: exercised } : {}) }, tags: [grade, ...concerns, ...ids.map(clauseTag)] };
}
