import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { Grade } from '../contract/spec.ts';
import type { RecordedExchange } from '../harness/exchanges.ts';

/** One test's outcome, as plain data. */
export interface TestOutcome {
  /** "suites/file.test.ts > describe > name": stable, what expectation files name. */
  fullName: string;
  file: string;
  clauses: string[];
  grade: Grade;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  /** First line of the failure, or the reason a skipped test did not run. */
  message?: string;
  observed?: string;
  exchanges?: RecordedExchange[];
}

/**
 * A vitest reporter that keeps each battery test's outcome with its clauses, and prints compact
 * progress: one line per finished file, so a CI log and a person can follow a long run.
 */
export class ResultsReporter implements Reporter {
  readonly outcomes: TestOutcome[] = [];
  readonly errors: string[] = [];
  private done = 0;

  constructor(private readonly print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}

  onTestCaseResult(test: TestCase): void {
    const meta = test.meta();
    const result = test.result();
    const file = test.module.relativeModuleId;
    const outcome: TestOutcome = {
      fullName: `${file} > ${test.fullName}`,
      file,
      clauses: meta.clauses ?? [],
      grade: meta.grade ?? 'documented',
      state: result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped',
      durationMs: test.diagnostic()?.duration ?? 0,
    };
    if (result.state === 'failed') outcome.message = (result.errors?.[0]?.message ?? 'failed').split('\n')[0];
    if (result.state === 'skipped') outcome.message = result.note ?? 'skipped';
    if (meta.observed) outcome.observed = meta.observed;
    if (result.state === 'failed' && meta.exchanges) outcome.exchanges = meta.exchanges;
    this.outcomes.push(outcome);
    this.done += 1;
  }

  onTestModuleEnd(module: TestModule): void {
    const tests = [...module.children.allTests()];
    const count = (s: string) => tests.filter((t) => t.result().state === s).length;
    const failed = count('failed');
    const parts = [`${count('passed')} passed`, failed ? `${failed} failed` : '', count('skipped') ? `${count('skipped')} not run` : ''].filter(Boolean);
    const seconds = ((module.diagnostic().duration ?? 0) / 1000).toFixed(1);
    this.print(`${failed ? '✗' : '✓'} ${module.relativeModuleId.padEnd(36)} ${parts.join(', ')} (${seconds} s) [${this.done} tests so far]`);
    for (const e of module.errors()) this.errors.push(`${module.relativeModuleId}: ${e.message}`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<{ message?: string }>): void {
    for (const e of errors) this.errors.push(e.message ?? String(e));
  }
}
