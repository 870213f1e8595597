/**
 * The model-based differential run end to end, through the CLI: the reference compared with
 * itself finds nothing; a reference with a deviation is charged on the clause the deviation
 * breaks, with a shrunk counterexample and the seed that replays it; and the same seed replays
 * the same run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { judgedClauses } from '../../src/model/clauses.ts';
import { scenes } from '../../src/model/scenes.ts';
import type { ConformanceReport } from '../../src/report/conformance.ts';
import { startReference } from '../../reference/server.ts';
import { runMain } from '../cli/helpers.ts';
import { tempDir } from '../temp-dir.ts';

const dir = tempDir('model');
const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_PROFILE: '', AWS_SESSION_TOKEN: '' };
const report = (name: string) => JSON.parse(readFileSync(join(dir, name, 'conformance.json'), 'utf8')) as ConformanceReport;
const modelOnly = ['--grep', 'model-based run', '--model-runs', '20'];

test('the reference compared with itself shows no difference, and the scenes alone reach every clause', async () => {
  // The scenes and no more: the self-check proper is CI's, a thousand sequences.
  const runs = scenes().length;
  const result = await runMain(
    ['run', '--grep', 'model-based run', '--model-runs', String(runs), '--seed', '11', '--report', join(dir, 'self')],
    {
      timeoutMs: 90_000,
    },
  );
  expect(result.code, result.stdout + result.stderr).toBe(0);
  const r = report('self');
  expect(r.model).toMatchObject({ seed: 11, found: [], errors: [] });
  // Every scene, unless the run's time limit ended it first (and then it says so).
  expect(r.model!.timedOut || r.model!.sequences === runs, JSON.stringify(r.model)).toBe(true);
  // A scene is several steps long: on a busy machine the run's 10 s bound may end it after a few.
  expect(r.model!.sequences, JSON.stringify(r.model)).toBeGreaterThan(r.model!.timedOut ? 0 : 4);
  expect(r.model!.steps).toBeGreaterThan(r.model!.sequences);
  expect(result.stdout).toContain('--seed 11');
  // How far the sequences reached, per clause; a clause none reached is named, and its test is not run.
  const { reached, unreached } = r.model!;
  expect(Object.keys(reached!).length).toBeGreaterThan(0);
  for (const n of Object.values(reached!)) expect(n).toBeLessThanOrEqual(r.model!.sequences);
  expect([...Object.keys(reached!), ...unreached!].sort()).toEqual([...judgedClauses].sort());
  for (const id of unreached!) {
    const modelTest = r.clauses
      .find((c) => c.id === id)
      ?.tests.find((t) => t.fullName.endsWith(`${id}: the target shows what the reference shows`));
    expect([id, modelTest?.status]).toEqual([id, 'not-run']);
  }
  expect(result.stdout).toMatch(/\d+ of the \d+ clauses it judges reached/);
  // Every clause the model judges, by the scenes alone (a run cut short by its time limit excepted).
  if (!r.model!.timedOut) expect(unreached).toEqual([]);
}, 120_000);

describe('against a reference with a deviation', () => {
  let serve: Awaited<ReturnType<typeof startReference>>;
  beforeAll(async () => {
    serve = await startReference({ pollTimeoutMs: 1_000, deviate: ['cancel-flag-not-set'] });
  });
  afterAll(async () => {
    await serve.close();
  });

  const run = (name: string) =>
    // The served reference reads back at once: a short window bounds only what the deviation keeps wrong, which each shrink step waits out.
    runMain(['run', '--endpoint', serve.url, ...modelOnly, '--seed', '5', '--consistency-window', '0.2', '--report', join(dir, name)], {
      env: credentials,
      timeoutMs: 150_000,
    });

  test('the difference is charged to the clause it breaks, shrunk, and replayed by its seed', async () => {
    const first = await run('deviation');
    expect(first.code, first.stdout + first.stderr).toBe(1);
    const r = report('deviation');
    const found = r.model!.found.find((c) => c.clause === 'cancel.state.cancel-requested');
    expect(found, JSON.stringify(r.model!.found.map((c) => c.clause))).toBeDefined();
    // Shrunk to the start and the request: nothing else is needed to show it.
    expect(found!.steps.map((s) => s.step.split(' ')[0])).toEqual(['StartWorkflowExecution', 'RequestCancelWorkflowExecution']);
    expect(found).toMatchObject({ target: 'false', reference: 'true' });
    expect(r.clauses.find((c) => c.id === 'cancel.state.cancel-requested')?.status).toBe('fail');
    const again = await run('replayed');
    expect(again.code).toBe(1);
    expect(report('replayed').model!.found.map((c) => [c.clause, c.steps])).toEqual(r.model!.found.map((c) => [c.clause, c.steps]));
  }, 320_000);
});
