/**
 * The wire checks run on every exchange of a run: a target that breaks a wire fact only in answers
 * no test reads for it (here, DescribeWorkflowExecution without a request id) fails the fact's
 * clause, named by the first exchange that broke it; the tests that sent those exchanges keep
 * their own verdicts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startReference } from '../../reference/server.ts';
import type { ConformanceReport } from '../../src/generated/types.ts';
import { startProxy } from '../reference/helpers.ts';
import { runMain } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'swfc-every-exchange-'));
let ref: Awaited<ReturnType<typeof startReference>>;
let proxy: Awaited<ReturnType<typeof startProxy>>;

beforeAll(async () => {
  ref = await startReference({ pollTimeoutMs: 1_000 });
  proxy = await startProxy(ref.url, {
    rewrite: (answer, target) => {
      if (target.endsWith('.DescribeWorkflowExecution')) delete answer.headers['x-amzn-requestid'];
    },
  });
});

afterAll(async () => {
  await proxy.close();
  await ref.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a request id missing only from DescribeWorkflowExecution fails wire.success.request-id, and only it', {
  timeout: 90_000,
}, async () => {
  const report = join(dir, 'report');
  const res = await runMain(
    [
      'run',
      '--endpoint',
      proxy.url,
      '--clause',
      'wire.success.request-id',
      '--clause',
      'cancel.state.cancel-requested',
      '--report',
      report,
    ],
    { env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, timeoutMs: 80_000 },
  );
  expect(res.code, res.stdout + res.stderr).toBe(1);
  const json = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as ConformanceReport;
  const clause = (id: string) => json.clauses.find((c) => c.id === id)!;
  const requestId = clause('wire.success.request-id');
  expect(requestId.status).toBe('fail');
  // The test written for the fact reads no Describe answer: it passes, as it did before the checks.
  expect(requestId.tests.filter((t) => t.file !== 'every exchange').map((t) => t.status)).toEqual(['pass']);
  const check = requestId.tests.find((t) => t.file === 'every exchange')!;
  expect(check.status).toBe('fail');
  expect(check.message).toMatch(
    /^\d+ of the \d+ exchanges this check applies to break it; the first: suites\/[\w-]+\.test\.ts > .+, exchange #\d+ \(DescribeWorkflowExecution\): headers\.x-amzn-requestid: expected a request id, got nothing$/,
  );
  // One fact, one clause: the tests that read those answers are judged on their own facts.
  expect(clause('cancel.state.cancel-requested').status).toBe('pass');
  // Every other check looked at this run's exchanges and found nothing.
  const checks = json.clauses.flatMap((c) => c.tests).filter((t) => t.file === 'every exchange' && t.fullName !== check.fullName);
  expect(checks.length).toBeGreaterThan(5);
  for (const t of checks) expect([t.fullName, t.state, (t.exchangesChecked ?? 0) > 0]).toEqual([t.fullName, 'passed', true]);
});
