/**
 * The model-based differential run (src/model/): generated sequences of both operations, every
 * form of runId, every lineage and prior state, run against the target and the reference side by
 * side. Each clause a difference can be charged to has a test here: it fails with the shrunk
 * counterexample when the run charged it, passes when the run compared what it governs and found
 * nothing, and is not run when no sequence reached it.
 */
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { cites, expect, it, modelScenarios } from '../src/harness/battery.ts';
import { ensureDomain, ensureTypes } from '../src/harness/prepare.ts';
import { spec } from '../src/contract/spec.ts';
import { judgedClauses } from '../src/model/clauses.ts';
import type { CheckTally } from '../src/contract/exchange-checks.ts';
import type { ModelRun } from '../src/generated/types.ts';
import { modelRun } from '../src/model/run.ts';
import { counterexampleText } from '../src/model/text.ts';

const config = inject('battery');
// The battery's window: a read the contract lets lag is read again until the sides agree or it ends.
// A value no lagging read could show is judged at once (commands.ts, behind), so shrinking pays the
// window only for a target that stays behind.
const window = config.consistencyWindowMs;

describe.skipIf(!config.oracle || config.model.runs === 0)('model-based run against the reference', () => {
  let result: ModelRun | undefined;
  let close: () => void = () => undefined;
  // The wire checks of the model-based run's exchanges with the target: reported once, by the first test here.
  let checks: CheckTally | undefined;

  beforeAll(async () => {
    const scenarios = modelScenarios()!;
    close = scenarios.close;
    checks = scenarios.checks;
    await ensureDomain(scenarios.reference.raw, config.domain);
    await ensureTypes(scenarios.reference.raw, config.domain);
    result = await modelRun({
      target: scenarios.target,
      reference: scenarios.reference,
      seed: config.model.seed,
      runs: config.model.runs,
      timeLimitMs: config.model.timeLimitMs,
      windowMs: window,
      signal: scenarios.stopped,
      // An empty poll answers at once only from a reference the suite started (or one served with a short
      // poll timeout, as the user says); elsewhere it waits a long poll out.
      emptyPolls: config.kind === 'reference' || config.model.emptyPolls === true,
    });
  }, config.model.timeLimitMs + 120_000);

  afterAll(() => close());

  for (const id of judgedClauses) {
    // A clause whose recordings show one case only is charged by clauses.ts in that case alone.
    const cases = spec().byId.get(id)?.cases;
    const options = cases?.length === 1 ? cites(id, { case: cases[0]! }) : cites(id);
    it(`${id}: the target shows what the reference shows`, options, ({ task, skip }) => {
      task.meta.modelRun = result!;
      if (checks) {
        task.meta.exchangeChecks = checks;
        checks = undefined;
      }
      const found = result!.found.find((c) => c.clause === id);
      if (found) expect.fail(counterexampleText(found));
      if (result!.errors.length) expect.fail(result!.errors.join('\n'));
      if (!result!.compared[id]) skip(`no sequence of the ${result!.sequences} reached an observation this clause governs`);
    });
  }
});
