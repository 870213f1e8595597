import { expect, test } from 'vitest';
import { resolveSettings } from '../../src/harness/config.ts';
import { batteryConfig } from '../../src/harness/session.ts';
import type { Target } from '../../src/harness/target.ts';

/**
 * Against the embedded reference, the model-based run would compare the reference with itself: a
 * default run leaves it out and says why; asked for, it runs as a self-check; against any other
 * target the default 40 sequences run.
 */
const target = (kind: Target['kind']): Target => ({
  kind,
  name: kind,
  endpoint: 'http://127.0.0.1:1',
  outlivesRun: kind === 'endpoint',
  close: async () => undefined,
});

test('a default run against the embedded reference leaves the model-based run out, and says so', () => {
  const config = batteryConfig(resolveSettings({}, {}), target('reference'));
  expect(config.model.runs).toBe(0);
  expect(config.model.leftOut).toMatch(/compare the reference with itself/);
});

test.for([
  ['--model-runs', resolveSettings({ modelRuns: 1000 }, {})],
  ['SWF_CONFORMANCE_MODEL_RUNS', resolveSettings({}, { SWF_CONFORMANCE_MODEL_RUNS: '7' })],
] as const)('asked for by %s, it runs against the embedded reference as a self-check', ([, settings]) => {
  const config = batteryConfig(settings, target('reference'));
  expect(config.model.runs).toBe(settings.model.runs);
  expect(config.model.leftOut).toBeUndefined();
});

test.for(['endpoint', 'container'] as const)('against a %s target the default sequences run', (kind) => {
  const config = batteryConfig(resolveSettings({}, {}), target(kind));
  expect(config.model.runs).toBe(40);
  expect(config.model.leftOut).toBeUndefined();
});
