import type { ExpectationsFile } from '../generated/types.ts';
import type { Grade, Spec } from '../contract/spec.ts';
import { curlOf } from '../harness/exchanges.ts';
import type { TestOutcome } from './results.ts';

export type ClauseStatus = 'pass' | 'fail' | 'advisory-fail' | 'expected-fail' | 'unexpected-pass' | 'not-run';
export type Expectation = ExpectationsFile['expectations'][number];

export interface TestReport extends TestOutcome {
  status: 'pass' | 'fail' | 'advisory-fail' | 'expected-fail' | 'unexpected-pass' | 'not-run';
  curl?: string[];
  expectation?: string;
}

export interface ClauseReport {
  id: string;
  grade: Grade;
  concern: string;
  statement: string;
  status: ClauseStatus;
  /** Why it did not run, or the expectation's reason. */
  reason?: string;
  tests: TestReport[];
}

export interface ConformanceReport {
  tool: 'swf-conformance';
  target: string;
  startedAt: string;
  durationMs: number;
  strict: boolean;
  strictExpectations: boolean;
  expectations?: string;
  summary: Record<ClauseStatus, number> & { clauses: number; tests: number };
  /** Whether the run is conformant, allowing for the expectation file. */
  conformant: boolean;
  clauses: ClauseReport[];
  errors: string[];
}

export interface ReportOptions {
  target: string;
  startedAt: Date;
  durationMs: number;
  strict: boolean;
  strictExpectations: boolean;
  expectations?: { file: string; content: ExpectationsFile };
  /** The clause ids the run selected; others are reported as not run. */
  selected?: (id: string) => boolean;
  errors?: string[];
}

const ORDER: ClauseStatus[] = ['fail', 'unexpected-pass', 'advisory-fail', 'expected-fail', 'not-run', 'pass'];
export const statusOrder = (s: ClauseStatus) => ORDER.indexOf(s);

/** Folds test outcomes into a status per clause, allowing for grades, strict mode and expectations. */
export function buildReport(spec: Spec, outcomes: TestOutcome[], options: ReportOptions): ConformanceReport {
  const expected = options.expectations?.content.expectations ?? [];
  const byClause = new Map(expected.filter((e) => e.clause).map((e) => [e.clause!, e]));
  const byTest = new Map(expected.filter((e) => e.test).map((e) => [e.test!, e]));
  const expectationOf = (t: TestOutcome) => byTest.get(t.fullName) ?? t.clauses.map((c) => byClause.get(c)).find(Boolean);

  const tests: TestReport[] = outcomes.map((t) => {
    const e = expectationOf(t);
    const report: TestReport = { ...t, status: 'pass' };
    if (e) report.expectation = e.reason;
    if (t.state === 'skipped') report.status = 'not-run';
    else if (t.state === 'failed') report.status = e ? 'expected-fail' : t.grade === 'inferred' && !options.strict ? 'advisory-fail' : 'fail';
    else report.status = byTest.has(t.fullName) ? 'unexpected-pass' : 'pass';
    if (t.exchanges?.length) report.curl = t.exchanges.map(curlOf);
    return report;
  });

  const clauses: ClauseReport[] = spec.clauses.map((c) => {
    const own = tests.filter((t) => t.clauses.includes(c.id));
    const base = { id: c.id, grade: c.grade, concern: c.concern, statement: c.statement, tests: own };
    const listed = byClause.get(c.id);
    if (own.length === 0) {
      const reason = c.untestable ? `untestable: ${c.untestable}` : options.selected && !options.selected(c.id) ? 'not selected in this run' : 'no test ran';
      return { ...base, status: 'not-run', reason };
    }
    const ran = own.filter((t) => t.status !== 'not-run');
    if (ran.length === 0) return { ...base, status: 'not-run', reason: own[0]?.message ?? 'skipped' };
    const worst = ran.map((t) => t.status).sort((a, b) => statusOrder(a) - statusOrder(b))[0]!;
    if (listed && ran.every((t) => t.status === 'pass' || t.status === 'unexpected-pass')) return { ...base, status: 'unexpected-pass', reason: listed.reason };
    const status: ClauseStatus = worst;
    return { ...base, status, ...(listed ? { reason: listed.reason } : {}) };
  });

  const summary = { clauses: clauses.length, tests: tests.length } as ConformanceReport['summary'];
  for (const s of ORDER) summary[s] = clauses.filter((c) => c.status === s).length;
  const errors = options.errors ?? [];
  const conformant = errors.length === 0 && summary.fail === 0 && (!options.strictExpectations || summary['unexpected-pass'] === 0);
  return {
    tool: 'swf-conformance', target: options.target, startedAt: options.startedAt.toISOString(), durationMs: options.durationMs,
    strict: options.strict, strictExpectations: options.strictExpectations,
    ...(options.expectations ? { expectations: options.expectations.file } : {}),
    summary, conformant, clauses: clauses.sort((a, b) => statusOrder(a.status) - statusOrder(b.status) || a.id.localeCompare(b.id)), errors,
  };
}

/** The expectation file a run's failures make, keeping the reasons an earlier file gave. */
export function expectationsFrom(report: ConformanceReport, implementation: string, previous?: ExpectationsFile): ExpectationsFile {
  const old = new Map((previous?.expectations ?? []).filter((e) => e.clause).map((e) => [e.clause!, e]));
  const entries: Expectation[] = [];
  for (const c of report.clauses) {
    if (!['fail', 'advisory-fail', 'expected-fail'].includes(c.status)) continue;
    const failing = c.tests.filter((t) => t.state === 'failed');
    const fault = failing.map((t) => /HTTP (\d{3})/.exec(t.message ?? '')?.[1]).find(Boolean);
    const entry: Expectation = { clause: c.id, reason: old.get(c.id)?.reason ?? `fails: ${failing[0]?.message ?? 'see the report'}`.slice(0, 300) };
    const keepFault = old.get(c.id)?.fault ?? (fault ? `HTTP ${fault}` : undefined);
    if (keepFault) entry.fault = keepFault;
    entries.push(entry);
  }
  return { implementation, ...(previous?.notes ? { notes: previous.notes } : {}), expectations: entries.sort((a, b) => (a.clause ?? '').localeCompare(b.clause ?? '')) };
}
