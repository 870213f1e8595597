import { operationOfTarget } from '../contract/protocol.ts';
import type {
  CleanupSummary,
  ClauseReport,
  ClauseStatus,
  ConformanceReport,
  ExpectationsFile,
  TestReport,
  TestStatus,
  Verdict,
} from '../generated/types.ts';
import type { Spec } from '../contract/spec.ts';
import { curlOf } from '../harness/exchanges.ts';
import { EVERY_EXCHANGE, firstLine, type TestOutcome } from './results.ts';

// The report's shape is schemas/conformance-report.schema.json; these are its generated types.
export type { CleanupSummary, ClauseReport, ClauseStatus, ConformanceReport, TestReport, TestStatus, Verdict };
export type Expectation = ExpectationsFile['expectations'][number];

export interface ReportOptions {
  target: string;
  startedAt: Date;
  durationMs: number;
  strict: boolean;
  strictExpectations: boolean;
  expectations?: { file: string; content: ExpectationsFile };
  /** The clause ids the run's selection (--grep, --clause, --tags) chose; the others are not selected. */
  selected?: ReadonlySet<string>;
  /** The signal that stopped the run, if one did. */
  interrupted?: string;
  errors?: string[];
  cleanup?: CleanupSummary;
  phases?: ConformanceReport['phases'];
  model?: ConformanceReport['model'];
  modelLeftOut?: string;
  baseline?: ConformanceReport['baseline'];
  /** The implementation under test, with its version. */
  implementation?: string;
  /** What does not change the verdict but a reader must know: an expectation file made against another version. */
  warnings?: string[];
  /** A shard that holds none of the selection's tests: that no test ran is no error. */
  nothingToRun?: boolean;
  /** With a selection: how many tests the battery has for each clause, so that a clause partly selected says so. */
  testsPerClause?: ReadonlyMap<string, number>;
}

/** Worst first. A record, so that a status added to the schema fails the type check until it has a place here. */
const RANK: Record<ClauseStatus, number> = {
  fail: 0,
  'unexpected-pass': 1,
  'advisory-fail': 2,
  flaky: 3,
  'expected-fail': 4,
  'not-run': 5,
  pass: 6,
  'not-selected': 7,
};
/** Every clause status, worst first: the order of the reports' tables and filters. */
export const statusesWorstFirst = (Object.keys(RANK) as ClauseStatus[]).sort((a, b) => RANK[a] - RANK[b]);
const ORDER = statusesWorstFirst;
export const statusOrder = (s: ClauseStatus) => RANK[s];

/** How each test's outcome is judged: by its grade, strict mode and the expectation file. */
export function testJudge(
  options: Pick<ReportOptions, 'expectations' | 'strict'>,
): (t: TestOutcome) => { status: TestStatus; expectation?: Expectation } {
  const expected = options.expectations?.content.expectations ?? [];
  const byClause = new Map(expected.filter((e) => e.clause).map((e) => [e.clause!, e]));
  const byTest = new Map(expected.filter((e) => e.test).map((e) => [e.test!, e]));
  return (t) => {
    const expectation = byTest.get(t.fullName) ?? t.clauses.map((c) => byClause.get(c)).find(Boolean);
    const status: TestStatus =
      t.state === 'skipped' || t.unreachable
        ? 'not-run'
        : t.flaky !== undefined
          ? 'flaky'
          : t.state === 'failed'
            ? expectation
              ? 'expected-fail'
              : t.grade === 'inferred' && !options.strict
                ? 'advisory-fail'
                : 'fail'
            : byTest.has(t.fullName)
              ? 'unexpected-pass'
              : 'pass';
    return { status, ...(expectation ? { expectation } : {}) };
  };
}

/** Folds test outcomes into a status per clause, allowing for grades, strict mode and expectations. */
export function buildReport(spec: Spec, outcomes: TestOutcome[], options: ReportOptions): ConformanceReport {
  const judge = testJudge(options);
  const byClause = new Map((options.expectations?.content.expectations ?? []).filter((e) => e.clause).map((e) => [e.clause!, e]));
  const byTest = new Map((options.expectations?.content.expectations ?? []).filter((e) => e.test).map((e) => [e.test!, e]));

  const tests: TestReport[] = outcomes.map((t) => {
    const { status, expectation } = judge(t);
    const report: TestReport = { ...t, status };
    const unimplemented = t.state === 'failed' ? notImplementedIn(t) : undefined;
    if (unimplemented) {
      report.notImplemented = unimplemented;
      report.message = `the target does not implement ${unimplemented} (HTTP 501 NotImplemented): ${t.message ?? ''}`.trimEnd();
    }
    if (expectation) report.expectation = expectation.reason;
    if (t.exchanges?.length) report.curl = t.exchanges.map(curlOf);
    return report;
  });

  const clauses: ClauseReport[] = spec.clauses.map((c) => {
    const own = tests.filter((t) => t.clauses.includes(c.id));
    const total = options.selected ? options.testsPerClause?.get(c.id) : undefined;
    // The battery's tests of the clause, without the wire check of every exchange (no test of the battery's index).
    const written = own.filter((t) => t.file !== EVERY_EXCHANGE).length;
    const partial = total !== undefined && written < total ? { partial: { selected: written, of: total } } : {};
    const base = { id: c.id, grade: c.grade, concern: c.concern, statement: c.statement, tests: own, ...partial };
    const listed = byClause.get(c.id);
    if (options.selected && !options.selected.has(c.id)) return { ...base, status: 'not-selected', reason: 'not selected in this run' };
    if (own.length === 0) return { ...base, status: 'not-run', reason: c.untestable ? `untestable: ${c.untestable}` : 'no test ran' };
    const ran = own.filter((t) => t.status !== 'not-run');
    if (ran.length === 0) return { ...base, status: 'not-run', reason: own[0]?.message ?? 'skipped' };
    // A test that cites several clauses is judged for each on its own: an expectation listing one
    // of them does not excuse the others, and each clause's grade decides gating or advisory.
    const forClause = (t: TestReport): TestStatus => {
      if (t.status !== 'expected-fail' && t.status !== 'advisory-fail' && t.status !== 'fail') return t.status;
      if (listed || byTest.has(t.fullName)) return 'expected-fail';
      return c.grade === 'inferred' && !options.strict ? 'advisory-fail' : 'fail';
    };
    const worst = ran.map(forClause).sort((a, b) => statusOrder(a) - statusOrder(b))[0]!;
    if (listed && ran.every((t) => t.status === 'pass' || t.status === 'unexpected-pass'))
      return { ...base, status: 'unexpected-pass', reason: listed.reason };
    return { ...base, status: worst, ...(listed ? { reason: listed.reason } : {}) };
  });

  // The battery's tests: the wire checks of every exchange are outcomes of the run, not tests of it.
  const summary = { clauses: clauses.length, tests: tests.filter((t) => t.file !== EVERY_EXCHANGE).length } as ConformanceReport['summary'];
  for (const s of ORDER) summary[s] = clauses.filter((c) => c.status === s).length;
  // The first error is the one a person reads first: the interruption, then a target that went away.
  const errors: string[] = options.interrupted ? [`interrupted by ${options.interrupted}`] : [];
  const unreachable = tests.filter((t) => t.unreachable);
  if (unreachable.length) {
    errors.push(
      `the target did not answer ${unreachable.length} test${unreachable.length === 1 ? '' : 's'}, first ${unreachable[0]!.fullName}: ${firstLine(unreachable[0]!.message ?? '', 200)}`,
    );
  }
  errors.push(...(options.errors ?? []));
  if (!errors.length && !options.nothingToRun && !tests.some((t) => t.state !== 'skipped')) errors.push('no test ran');
  const verdict: Verdict = errors.length
    ? 'incomplete'
    : summary.fail > 0 || (options.strictExpectations && summary['unexpected-pass'] > 0)
      ? 'not-conformant'
      : 'conformant';
  return {
    tool: 'swf-conformance',
    target: options.target,
    ...(options.implementation ? { implementation: options.implementation } : {}),
    startedAt: options.startedAt.toISOString(),
    durationMs: options.durationMs,
    strict: options.strict,
    strictExpectations: options.strictExpectations,
    ...(options.expectations ? { expectations: options.expectations.file } : {}),
    ...(options.warnings?.length ? { warnings: options.warnings } : {}),
    summary,
    verdict,
    conformant: verdict === 'conformant',
    clauses: clauses.sort((a, b) => statusOrder(a.status) - statusOrder(b.status) || a.id.localeCompare(b.id)),
    errors,
    ...notImplementedSummary(tests),
    ...(options.cleanup ? { cleanup: options.cleanup } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.modelLeftOut && !options.model ? { modelLeftOut: options.modelLeftOut } : {}),
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.phases ? { phases: options.phases } : {}),
    ...convergenceOf(tests),
    ...callsOf(outcomes),
  };
}

/** The requests of every test, by operation, most first. */
function callsOf(outcomes: TestOutcome[]): Pick<ConformanceReport, 'calls'> {
  const calls: Record<string, number> = {};
  for (const t of outcomes)
    for (const [operation, n] of Object.entries(t.calls ?? {})) calls[operation] = (calls[operation] ?? 0) + (n ?? 0);
  if (!Object.keys(calls).length) return {};
  return { calls: Object.fromEntries(Object.entries(calls).sort((a, b) => b[1] - a[1])) };
}

function convergenceOf(tests: TestReport[]): Pick<ConformanceReport, 'convergence'> {
  const waited = tests.filter((t) => t.convergence);
  if (!waited.length) return {};
  const slowest = waited.reduce((a, b) => (b.convergence!.ms > a.convergence!.ms ? b : a));
  return {
    convergence: {
      waits: waited.length,
      slowestMs: slowest.convergence!.ms,
      slowestTest: slowest.fullName,
      unsettled: waited.filter((t) => !t.convergence!.settled).length,
    },
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
    const entry: Expectation = { clause: c.id, reason: old.get(c.id)?.reason ?? reasonOf(failing, c.tests.length) };
    const keepFault = old.get(c.id)?.fault ?? (fault ? `HTTP ${fault}` : undefined);
    if (keepFault) entry.fault = keepFault;
    entries.push(entry);
  }
  return {
    implementation,
    ...(previous?.notes ? { notes: previous.notes } : {}),
    expectations: entries.sort((a, b) => (a.clause ?? '').localeCompare(b.clause ?? '')),
  };
}

/** A reason a person reads: how many tests fail, the first one's name, and what it saw, without the assertion library's noise. */
function reasonOf(failing: TestReport[], total: number): string {
  // The first by name, not by the order the tests ended in: the same run writes the same file.
  const first = [...failing].sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0))[0];
  if (!first) return 'fails; see the report';
  const name = first.fullName.split(' > ').slice(1).join(' > ');
  const saw = firstLine(
    (first.message ?? 'see the report').replace(/^AssertionError: /, '').replace(/\s*\/\/ Object\.is equality$/m, ''),
    220,
  );
  return `${failing.length} of ${total} test${total === 1 ? '' : 's'} fail${failing.length === 1 ? 's' : ''}; "${name}": ${saw}`;
}

/**
 * The operation a failed test's target answered HTTP 501 to (AWS's emulator and LocalStack answer
 * an operation they lack so): read from the test's exchanges, the last such answer.
 */
function notImplementedIn(t: TestOutcome): string | undefined {
  const answered = (t.exchanges ?? []).filter((x) => x.response && 'status' in x.response && x.response.status === 501).at(-1);
  if (!answered) return undefined;
  const target = Object.entries(answered.request.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
  return target ? operationOfTarget(String(target)) || String(target) : 'an operation';
}

/** The operations the target does not implement, each with how many tests and which clauses that cut short. */
function notImplementedSummary(tests: TestReport[]): Pick<ConformanceReport, 'notImplemented'> {
  const byOperation = new Map<string, { tests: number; clauses: Set<string> }>();
  for (const t of tests) {
    if (!t.notImplemented) continue;
    const entry = byOperation.get(t.notImplemented) ?? { tests: 0, clauses: new Set<string>() };
    entry.tests += 1;
    for (const c of t.clauses) entry.clauses.add(c);
    byOperation.set(t.notImplemented, entry);
  }
  if (!byOperation.size) return {};
  return {
    notImplemented: [...byOperation]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, e]) => ({ operation, tests: e.tests, clauses: [...e.clauses].sort() })),
  };
}
