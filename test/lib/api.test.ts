/**
 * The public API (package.json "exports": lib/): its types, checked by `tsc` over this file in
 * `npm test`, and one real call whose report must match the schema the types come from.
 */
import { expect, expectTypeOf, test } from 'vitest';
import {
  runConformance,
  type ClauseStatus,
  type ConformanceOptions,
  type ConformanceReport,
  type ConformanceResult,
  type Verdict,
} from '../../lib/index.js';
import type { ConformanceReport as SourceReport } from '../../src/generated/types.ts';
import { validatorForTitle } from '../../src/contract/validators.ts';

test('the types: options in, the result and the report out', () => {
  expectTypeOf(runConformance).parameter(0).toEqualTypeOf<ConformanceOptions | undefined>();
  expectTypeOf(runConformance).returns.resolves.toEqualTypeOf<ConformanceResult>();
  expectTypeOf<ConformanceResult['report']>().toEqualTypeOf<ConformanceReport | undefined>();
  // The public report type is the one the project writes reports with.
  expectTypeOf<ConformanceReport>().toEqualTypeOf<SourceReport>();
  expectTypeOf<ConformanceReport['verdict']>().toEqualTypeOf<Verdict>();
  expectTypeOf<Verdict>().toEqualTypeOf<'conformant' | 'not-conformant' | 'incomplete'>();
  expectTypeOf<ClauseStatus>().toEqualTypeOf<
    'pass' | 'fail' | 'advisory-fail' | 'expected-fail' | 'unexpected-pass' | 'flaky' | 'not-run' | 'not-selected'
  >();
  expectTypeOf<ConformanceOptions>().toHaveProperty('clauses').toEqualTypeOf<string[] | undefined>();
  expectTypeOf<ConformanceOptions>().toHaveProperty('strict').toEqualTypeOf<boolean | undefined>();
});

test('runConformance() against the embedded reference returns a report that matches its schema', async () => {
  const result = await runConformance({ clauses: ['wire.success.empty-body', 'fault.envelope.shape'] });
  expect(result.exitCode, result.stderr).toBe(0);
  expect(result.report?.verdict).toBe('conformant');
  const valid = validatorForTitle('ConformanceReport');
  expect(valid(result.report), JSON.stringify(valid.errors)).toBe(true);
  expect(result.report?.clauses.find((c) => c.id === 'fault.envelope.shape')?.tests[0]?.line).toBeGreaterThan(0);
}, 60_000);

test('options are checked: an unknown option or one of the wrong type is a TypeError naming it', async () => {
  await expect(runConformance({ clause: ['x'] } as never)).rejects.toThrow(/unknown option clause \(known: endpoint/);
  await expect(runConformance({ port: '5000' } as never)).rejects.toThrow('runConformance: option port must be a whole number, not "5000"');
  await expect(runConformance({ clauses: 'wire.success.empty-body' } as never)).rejects.toThrow(
    /option clauses must be an array of non-empty strings/,
  );
  await expect(runConformance({ signal: {} } as never)).rejects.toThrow(/option signal must be an AbortSignal/);
});

test("the CLI's options are there too, the temporary report folder is removed, and an AbortSignal stops the run", async () => {
  const { existsSync, rmSync } = await import('node:fs');
  const result = await runConformance({
    clauses: ['wire.success.empty-body'],
    domain: 'swf-conformance-api',
    consistencyWindowSeconds: 1,
    modelRuns: 0,
  });
  expect(result.exitCode, result.stderr).toBe(0);
  expect(result.reportDir).toBeUndefined();
  expect(result.stdout).toMatch(/running the battery/);
  const kept = await runConformance({
    tests: ['a success is not a fault: the lookup of an open execution succeeds'],
    keepReportDir: true,
    modelRuns: 0,
  });
  expect(kept.exitCode, kept.stderr).toBe(0);
  expect(existsSync(`${kept.reportDir}/conformance.json`)).toBe(true);
  // Kept for the caller, who removes it: here, the test.
  rmSync(kept.reportDir!, { recursive: true, force: true });
  const controller = new AbortController();
  const stopped = runConformance({
    signal: controller.signal,
    modelRuns: 0,
    onOutput: (text) => {
      if (/^[✓✗] suites\//m.test(text)) controller.abort();
    },
  });
  const aborted = await stopped;
  expect(aborted.exitCode).toBe(130);
  await expect(runConformance({ signal: controller.signal })).rejects.toBeDefined();
}, 120_000);
