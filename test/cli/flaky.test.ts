import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { rewritingProxy, runCli, runMain, startServe, stop } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

/**
 * A target that fails now and then (an emulator's race) must not flip the gate: a new failure
 * runs once more before it is charged, and one that then passes is flaky, neither a pass nor a
 * failure. The target here answers its first TerminateWorkflowExecution call (or all of them) with a fault.
 */
const dir = tempDir('flaky');
const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
let serve: Awaited<ReturnType<typeof startServe>>;
beforeAll(async () => {
  serve = await startServe();
});
afterAll(async () => {
  if (serve) await stop(serve.child);
});

/** The one test run here: its first TerminateWorkflowExecution is the act it judges. */
const TEST = ['--test', 'suites/terminate.test.ts > appends WorkflowExecutionTerminated as the last event'];

/** A proxy whose first `n` TerminateWorkflowExecution answers are an UnknownResourceFault. */
async function failingFirst(n: number) {
  let left = n;
  return rewritingProxy(serve.url, (operation, answer) => {
    if (operation !== 'TerminateWorkflowExecution' || left <= 0) return answer;
    left -= 1;
    return {
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ __type: 'com.amazonaws.swf.base.model#UnknownResourceFault', message: 'Unknown execution: a race' }),
    };
  });
}

interface Report {
  verdict: string;
  summary: Record<string, number>;
  clauses: { id: string; status: string; tests: { status: string; flaky?: string }[] }[];
}
const read = (report: string) => JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as Report;

test('a failure that does not repeat is flaky: reported apart, and the run stays conformant', async () => {
  const proxy = await failingFirst(1);
  try {
    const report = join(dir, 'rerun');
    const result = await runMain(['run', '--endpoint', proxy.url, ...TEST, '--report', report], { env: credentials, timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/running the 1 new failure once more/);
    expect(result.stdout).toMatch(/0 failed again; 1 passed the second time/);
    const json = read(report);
    expect(json.verdict).toBe('conformant');
    expect(json.summary.flaky).toBe(1);
    const clause = json.clauses.find((c) => c.id === 'terminate.event.recorded')!;
    expect(clause.status).toBe('flaky');
    expect(clause.tests.map((t) => t.status)).toEqual(['flaky']);
    expect(clause.tests[0]!.flaky).toMatch(/UnknownResourceFault|a race/);
    expect(result.stdout).toMatch(/flaky\s+terminate\.event\.recorded/);
  } finally {
    proxy.close();
  }
});

test('with --no-rerun the same failure is charged at once', async () => {
  const proxy = await failingFirst(1);
  try {
    const report = join(dir, 'no-rerun');
    const result = await runMain(['run', '--endpoint', proxy.url, ...TEST, '--no-rerun', '--report', report], {
      env: credentials,
      timeoutMs: 60_000,
    });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).not.toMatch(/once more/);
    expect(read(report).clauses.find((c) => c.id === 'terminate.event.recorded')?.status).toBe('fail');
  } finally {
    proxy.close();
  }
});

test('a failure that repeats is charged, and says it failed twice', async () => {
  const proxy = await failingFirst(10_000);
  try {
    const report = join(dir, 'repeats');
    const result = await runMain(['run', '--endpoint', proxy.url, ...TEST, '--report', report], { env: credentials, timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/1 failed again/);
    const clause = read(report).clauses.find((c) => c.id === 'terminate.event.recorded')!;
    expect(clause.status).toBe('fail');
    expect(JSON.stringify(clause.tests)).toMatch(/it failed again when run once more/);
  } finally {
    proxy.close();
  }
});

test('--last-failed runs what failed in the last report (one test at a time with --concurrency 1); none runs everything', async () => {
  const proxy = await failingFirst(10_000);
  try {
    const report = join(dir, 'last-failed');
    // The first run fails its one test; the second runs that test alone, again from the report.
    const first = await runMain(['run', '--endpoint', proxy.url, ...TEST, '--no-rerun', '--report', report], {
      env: credentials,
      timeoutMs: 60_000,
    });
    expect(first.code, first.stdout + first.stderr).toBe(1);
    const again = await runMain(['run', '--endpoint', proxy.url, '--last-failed', '--concurrency', '1', '--no-rerun', '--report', report], {
      env: credentials,
      timeoutMs: 60_000,
    });
    expect(again.code, again.stdout + again.stderr).toBe(1);
    expect(again.stdout).toMatch(/--last-failed: the 1 test that failed in /);
    expect(read(report).summary.tests).toBe(1);
  } finally {
    proxy.close();
  }
  const none = await runMain(['run', '--last-failed', '--report', join(dir, 'never-run')], { env: credentials });
  expect(none.code).toBe(2);
  expect(none.stderr).toMatch(/--last-failed: no report at .*never-run/);
  const mixed = await runMain(['run', '--last-failed', '--grep', 'x', '--report', join(dir, 'last-failed')], { env: credentials });
  expect(mixed.code).toBe(2);
  expect(mixed.stderr).toMatch(/--last-failed cannot be combined with --grep/);
});

test('run --help ends with the exit codes and three examples', async () => {
  const help = await runCli(['run', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*\n {2}130, 143 /);
  expect(help.stdout.split('Examples:')[1]?.match(/^ {2}swf-conformance run/gm)).toHaveLength(3);
});
