import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startReference } from '../../reference/server.ts';
import { runCli, runMain } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

/**
 * The battery waits where the contract allows lag, and only there: against the reference in each
 * timing mode it passes, and against a target that never converges it still fails.
 */
const dir = tempDir('timing');
const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

interface Report {
  verdict: string;
  clauses: { id: string; status: string }[];
  convergence?: { waits: number; slowestMs: number; unsettled: number };
}

/** Runs the battery against a reference with these timing modes, in this process. */
async function runAgainst(name: string, timing: Record<string, number>, args: string[] = []) {
  // Verifying the suite's credentials, as AWS does, so that a run can be conformant.
  const ref = await startReference({
    auth: { credentials: [{ accessKeyId: 'test', secretAccessKey: 'test', principal: 'suite' }] },
    timing,
    // An empty poll ends after a second (AWS: 60 s): the battery polls an empty task list once, on purpose.
    pollTimeoutMs: 1_000,
  });
  try {
    const report = join(dir, name);
    const result = await runMain(['run', '--endpoint', ref.url, '--report', report, ...args], {
      env: credentials,
      timeoutMs: 150_000,
    });
    return { ...result, report: JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as Report };
  } finally {
    await ref.close();
  }
}

describe('a target that lags as the contract allows is conformant', () => {
  test.for([
    ['Describe, List and Count show each execution as it was 300 ms ago', { visibilityLagMs: 300 }],
    ['GetWorkflowExecutionHistory shows the events recorded 300 ms ago', { historyLagMs: 300 }],
    ['children start 300 ms after the decision', { childStartDelayMs: 300 }],
    ['a child policy reaches the children 300 ms after the parent closes', { childPolicyDelayMs: 300 }],
  ] as const)('%s', { timeout: 180_000 }, async ([, timing]) => {
    const { code, stdout, stderr, report } = await runAgainst(Object.keys(timing)[0]!, timing);
    expect(code, stdout + stderr).toBe(0);
    expect(report.verdict).toBe('conformant');
    // It waited, and the report says for how long.
    expect(report.convergence?.waits).toBeGreaterThan(0);
    expect(report.convergence?.slowestMs).toBeGreaterThanOrEqual(250);
    expect(report.convergence?.unsettled).toBe(0);
    expect(stdout).toMatch(/waited for lagging reads in \d+ tests; slowest \d\.\d\d s/);
  });
});

test('a target whose reads never catch up fails, once the consistency window ends', { timeout: 180_000 }, async () => {
  const { code, stdout, stderr, report } = await runAgainst(
    'never',
    { visibilityLagMs: 3_600_000, historyLagMs: 3_600_000, childPolicyDelayMs: 3_600_000 },
    // The battery's clauses are what is judged here: the model-based run is left out.
    ['--consistency-window', '0.5', '--model-runs', '0'],
  );
  expect(code, stdout + stderr).toBe(1);
  const status = (id: string) => report.clauses.find((c) => c.id === id)?.status;
  for (const id of [
    'terminate.state.closed',
    'terminate.state.listed-closed',
    'cancel.state.cancel-requested',
    'child-policy.terminate.children-terminated',
    'terminate.event.recorded',
    'cancel.event.recorded',
  ]) {
    expect([id, status(id)]).toEqual([id, 'fail']);
  }
  expect(report.convergence?.unsettled).toBeGreaterThan(0);
  expect(stdout).toMatch(/never settled within the consistency window/);
});

test('--consistency-window refuses what is not a number of seconds', async () => {
  const result = await runCli(['run', '--consistency-window', 'soon']);
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toMatch(/--consistency-window takes a number of seconds, not "soon"/);
});
