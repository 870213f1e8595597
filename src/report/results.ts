import { stripVTControlCharacters } from 'node:util';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { TestReport, TestStatus } from '../generated/types.ts';
import { colourOn, paint } from './colour.ts';
import { WAITING_MARK } from '../contract/protocol.ts';
import { checkedClauses, mergeTallies, type CheckTally } from '../contract/exchange-checks.ts';
import type { Grade } from '../contract/spec.ts';

/** The file the outcomes of the wire checks run on every exchange are reported under. */
export const EVERY_EXCHANGE = 'every exchange';

/** Errors of a request that got no HTTP answer: the target is gone, not wrong. */
const NO_ANSWER =
  /ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EHOSTUNREACH|socket hang up|other side closed|SocketError|UND_ERR_SOCKET|UND_ERR_CLOSED|fetch failed/;

/** Counts for the progress line, e.g. "12 passed, 2 expected fail". */
const progressWords: Record<TestStatus, string> = {
  pass: 'passed',
  fail: 'failed',
  'advisory-fail': 'advisory fail',
  'expected-fail': 'expected fail',
  'unexpected-pass': 'unexpected pass',
  flaky: 'flaky',
  'not-run': 'not run',
};

/** One test's outcome, as plain data: a test of the report before it is judged. */
export type TestOutcome = Omit<TestReport, 'status' | 'curl' | 'expectation'>;

/**
 * A vitest reporter that keeps each battery test's outcome with its clauses, and prints compact
 * progress: one line per finished file, so a CI log and a person can follow a long run.
 */
export class ResultsReporter implements Reporter {
  readonly outcomes: TestOutcome[] = [];
  readonly errors: string[] = [];
  /** The model-based run's result, when the battery made one. */
  model?: import('../generated/types.ts').ModelRun;
  /**
   * When the run was stopped (Ctrl-C, SIGTERM), in ms since the epoch: a test that failed after
   * it was cut short by the stop, and is not run, never a failure of its clauses.
   */
  stoppedAt?: number;
  stopReason = 'the run was stopped';
  private done = 0;
  /** Whether progress lines are coloured (a terminal, NO_COLOR unset). */
  colour = colourOn();
  /** While new failures run once more: their first outcomes, by name, and what the second run made of them. */
  private rerun?: { first: Map<string, TestOutcome>; passed: number; failedAgain: number };
  private readonly byTestId = new Map<string, TestOutcome>();
  /** The wire checks of every exchange of the run (src/contract/exchange-checks.ts), per clause. */
  checks: CheckTally = {};

  /**
   * @param judge how a test's outcome counts, so that the progress lines agree with the verdict
   *   (an expected failure is not counted as a failure)
   */
  constructor(
    private readonly judge: (t: TestOutcome) => { status: TestStatus } = (t) => ({
      status: t.state === 'failed' ? 'fail' : t.state === 'skipped' ? 'not-run' : 'pass',
    }),
    private readonly print: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  ) {}

  /** From now on, a result is that of a failed test run once more: it settles the first outcome. */
  startRerun(failed: TestOutcome[]): void {
    this.rerun = { first: new Map(failed.map((t) => [t.fullName, t])), passed: 0, failedAgain: 0 };
  }

  /** Ends the rerun: how many passed the second time (now flaky) and how many failed again. */
  endRerun(): { passed: number; failedAgain: number } {
    const { passed, failedAgain } = this.rerun ?? { passed: 0, failedAgain: 0 };
    this.rerun = undefined;
    return { passed, failedAgain };
  }

  onTestCaseResult(test: TestCase): void {
    // A test the selection (--grep, --clause, --tags) left out is not part of the run.
    if (test.options.mode !== 'run') return;
    if (this.rerun) return this.settle(test, this.rerun);
    const meta = test.meta();
    const result = test.result();
    const file = test.module.relativeModuleId;
    if (meta.exchangeChecks) this.addChecks(`${file} > ${test.fullName}`, meta.exchangeChecks);
    const outcome: TestOutcome = {
      fullName: `${file} > ${test.fullName}`,
      file,
      ...(test.location ? { line: test.location.line } : {}),
      clauses: meta.clauses ?? [],
      grade: meta.grade ?? 'documented',
      state: result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped',
      durationMs: test.diagnostic()?.duration ?? 0,
    };
    if (result.state === 'failed') {
      const error = result.errors?.[0];
      // The whole message (the schema violations, a diff): reports show all of it, the console its first line.
      // With the assertion's diff, when it has one: "expected [ Array(2) ] to deeply equal ..." alone says nothing.
      const diff = (error as { diff?: string } | undefined)?.diff;
      const plainDiff = diff ? stripVTControlCharacters(diff) : undefined;
      const first = stripVTControlCharacters(error?.message ?? 'failed');
      // "expected {…(4)} to deeply equal {…(4)}" names nothing: the first line says what differs.
      const differs = plainDiff ? whatDiffers(plainDiff) : undefined;
      outcome.message = cutAtWord(
        `${differs ? `${first.split('\n')[0]}: ${differs}${first.includes('\n') ? first.slice(first.indexOf('\n')) : ''}` : first}${plainDiff ? `\n${plainDiff}` : ''}`,
        4_000,
      );
      if (NO_ANSWER.test(`${error?.name ?? ''} ${error?.message ?? ''} ${(error as { code?: string } | undefined)?.code ?? ''}`))
        outcome.unreachable = true;
    }
    if (result.state === 'skipped') outcome.message = result.note ?? 'skipped';
    const diagnostic = test.diagnostic();
    const endedAt = diagnostic ? diagnostic.startTime + diagnostic.duration : Date.now();
    if (result.state === 'failed' && this.stoppedAt !== undefined && endedAt >= this.stoppedAt) {
      outcome.state = 'skipped';
      outcome.message = `not run: cut short when ${this.stopReason} (it then saw: ${firstLine(outcome.message ?? '', 300)})`;
      delete outcome.unreachable;
    }
    if (meta.observed) outcome.observed = meta.observed;
    if (meta.modelRun) this.model = meta.modelRun;
    if (meta.convergence) outcome.convergence = meta.convergence;
    if (meta.calls) outcome.calls = { ...meta.calls };
    if (result.state === 'failed' && meta.exchanges) outcome.exchanges = meta.exchanges;
    this.outcomes.push(outcome);
    this.byTestId.set(test.id, outcome);
    this.done += 1;
  }

  /**
   * A failed test's second run: passed, it is flaky (the first failure is kept, as its message);
   * failed, its first failure stands, and says it failed twice. A stop leaves the first outcome.
   */
  private settle(test: TestCase, rerun: NonNullable<ResultsReporter['rerun']>): void {
    const first = rerun.first.get(`${test.module.relativeModuleId} > ${test.fullName}`);
    const state = test.result().state;
    if (!first) return;
    if (state === 'passed') {
      rerun.passed += 1;
      first.state = 'passed';
      first.flaky = firstLine(first.message ?? 'failed', 500);
      delete first.unreachable;
    } else if (state === 'failed') {
      rerun.failedAgain += 1;
      first.message = `${first.message ?? 'failed'}\n(it failed again when run once more)`;
    }
  }

  /** A test's wire checks, the first violation of each clause named by the test that sent it. */
  private addChecks(test: string, checks: CheckTally): void {
    const named: CheckTally = {};
    for (const [clause, t] of Object.entries(checks)) named[clause] = { ...t, ...(t.first ? { first: `${test}, ${t.first}` } : {}) };
    this.checks = mergeTallies(this.checks, named);
  }

  /** A test's console is its own, except the line that says a lagging read is still waited for. */
  onUserConsoleLog(log: { content: string }): void {
    for (const line of log.content.split('\n')) {
      if (line.startsWith(WAITING_MARK)) this.print(`  … waiting: ${line.slice(WAITING_MARK.length)}`);
    }
  }

  onTestModuleEnd(module: TestModule): void {
    if (this.rerun) return;
    const counts = new Map<TestStatus, number>();
    for (const t of module.children.allTests()) {
      const outcome = this.byTestId.get(t.id);
      if (!outcome) continue;
      const { status } = this.judge(outcome);
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    for (const e of module.errors()) this.errors.push(`${module.relativeModuleId}: ${e.message.split('\n')[0]}`);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (total === 0 && module.errors().length === 0) return;
    const parts = (Object.keys(progressWords) as TestStatus[])
      .filter((s) => counts.get(s))
      .map((s) => `${counts.get(s)} ${progressWords[s]}`);
    const bad = Boolean(counts.get('fail') || counts.get('unexpected-pass') || module.errors().length);
    const mark = bad ? paint('red', '✗', this.colour) : paint('green', '✓', this.colour);
    const seconds = ((module.diagnostic().duration ?? 0) / 1000).toFixed(1);
    this.print(
      `${mark} ${module.relativeModuleId.padEnd(36)} ${parts.join(', ') || 'could not load'} (${seconds} s) [run: ${this.done} tests done]`,
    );
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<{ message?: string }>): void {
    for (const e of errors) this.errors.push((e.message ?? String(e)).split('\n')[0]!);
  }
}

/** The text, cut at a word boundary if longer than `max`, with an ellipsis: never mid-word. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const at = cut.search(/\s\S*$/);
  return `${(at > max / 2 ? cut.slice(0, at) : text.slice(0, max)).trimEnd()}…`;
}

/** The first line of a message, cut at a word boundary: for a console line or a table cell. */
export const firstLine = (text: string, max: number) => cutAtWord(text.split('\n')[0] ?? '', max);

/**
 * The members an assertion's diff shows differing, with their two values, on one line: the
 * lines the diff marks expected (-) and received (+), without its header, e.g.
 * `- "executionStatus": "CLOSED" · + "executionStatus": "OPEN"`. Undefined when it marks none.
 */
export function whatDiffers(diff: string, max = 4): string | undefined {
  const changed = diff
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => /^[-+] /.test(l) && !/^- Expected\b|^\+ Received\b/.test(l))
    .map((l) => `${l[0]} ${l.slice(2).trim().replace(/,$/, '')}`);
  if (!changed.length) return undefined;
  return `${changed.slice(0, max).join(' · ')}${changed.length > max ? ` · … ${changed.length - max} more` : ''}`;
}

/**
 * The wire checks as outcomes of their own, one per clause they looked at, under the file
 * "every exchange": a check that found its fact broken fails its clause, naming the first
 * exchange that broke it, and leaves the verdict of the test that sent it alone.
 */
export function checkOutcomes(checks: CheckTally, gradeOf: (clause: string) => Grade | undefined): TestOutcome[] {
  return checkedClauses.flatMap((clause) => {
    const t = checks[clause];
    const grade = gradeOf(clause);
    if (!t || t.checked === 0 || !grade) return [];
    const outcome: TestOutcome = {
      fullName: `${EVERY_EXCHANGE} > ${clause}`,
      file: EVERY_EXCHANGE,
      clauses: [clause],
      grade,
      state: t.violations ? 'failed' : 'passed',
      durationMs: 0,
      exchangesChecked: t.checked,
    };
    if (t.violations)
      outcome.message = `${t.violations} of the ${t.checked} exchanges this check applies to break it; the first: ${t.first ?? '(not named)'}`;
    return [outcome];
  });
}

/** Two shards' outcomes of one wire check as one: counts added, failed if either failed, the first violation kept. */
export function mergeCheckOutcome(a: TestOutcome, b: TestOutcome): TestOutcome {
  const failed = a.state === 'failed' ? a : b.state === 'failed' ? b : undefined;
  const checked = (a.exchangesChecked ?? 0) + (b.exchangesChecked ?? 0);
  return { ...(failed ?? a), exchangesChecked: checked };
}
