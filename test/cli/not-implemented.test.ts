/**
 * A target that lacks an operation answers it HTTP 501 NotImplemented (AWS's emulator, LocalStack):
 * the report names the operation on every test it cut short, and groups them by operation.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startReference } from '../../reference/server.ts';
import type { ConformanceReport } from '../../src/generated/types.ts';
import { startProxy } from '../reference/helpers.ts';
import { runMain } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'swfc-501-'));
let ref: Awaited<ReturnType<typeof startReference>>;
let proxy: Awaited<ReturnType<typeof startProxy>>;

beforeAll(async () => {
  ref = await startReference({ pollTimeoutMs: 1_000 });
  // The reference, but RequestCancelWorkflowExecution is answered as a target that lacks it answers.
  proxy = await startProxy(ref.url, {
    answer: (target) =>
      target.endsWith('.RequestCancelWorkflowExecution')
        ? {
            status: 501,
            headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `r-${Date.now()}-${Math.random()}` },
            body: JSON.stringify({ __type: 'NotImplemented', message: 'RequestCancelWorkflowExecution is not implemented' }),
          }
        : undefined,
  });
});

afterAll(async () => {
  await proxy.close();
  await ref.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the report names the operation the target does not implement, on each test it cut short and grouped', {
  timeout: 90_000,
}, async () => {
  const report = join(dir, 'report');
  const res = await runMain(
    [
      'run',
      '--endpoint',
      proxy.url,
      '--clause',
      'cancel.event.recorded',
      '--clause',
      'terminate.event.recorded',
      '--model-runs',
      '0',
      '--no-rerun',
      '--report',
      report,
    ],
    { env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, timeoutMs: 80_000 },
  );
  expect(res.code, res.stdout + res.stderr).toBe(1);
  const json = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as ConformanceReport;
  // Grouped by operation: the clauses are those of every test it cut short (some tests cite several).
  expect(json.notImplemented?.map((o) => o.operation)).toEqual(['RequestCancelWorkflowExecution']);
  expect(json.notImplemented?.[0]?.clauses).toContain('cancel.event.recorded');
  expect(json.notImplemented?.[0]?.clauses).not.toContain('terminate.event.recorded');
  const cut = json.clauses.find((c) => c.id === 'cancel.event.recorded')!.tests.filter((t) => t.state === 'failed');
  expect(cut.length).toBeGreaterThan(0);
  for (const t of cut)
    expect(t.message).toMatch(/^the target does not implement RequestCancelWorkflowExecution \(HTTP 501 NotImplemented\)/);
  // Terminate is implemented: its clause passes, and names nothing.
  expect(json.clauses.find((c) => c.id === 'terminate.event.recorded')!.status).toBe('pass');
  expect(res.stdout).toMatch(
    /the target does not implement \(HTTP 501 NotImplemented\):\n\s+RequestCancelWorkflowExecution: \d+ tests? cut short, in \d+ clauses? \(/,
  );
  expect(readFileSync(join(report, 'conformance.md'), 'utf8')).toMatch(
    /### Not implemented by the target\n\n- RequestCancelWorkflowExecution: /,
  );
});
