import type { TestProjectInlineConfiguration } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../contract/paths.ts';
import { testTimeoutMs } from '../contract/protocol.ts';
import { spec } from '../contract/spec.ts';
import { defaultConsistencyWindowMs } from '../harness/config.ts';
import { clauseTag } from '../harness/clauses.ts';

/**
 * The vitest project of the battery: suites/, with the run-wide set-up that picks the target,
 * and a tag for every grade, concern and clause so that runs can be narrowed to them.
 */
export function batteryProject(): TestProjectInlineConfiguration {
  const { clauses, concerns } = spec();
  return {
    test: {
      name: 'battery',
      root: projectRoot,
      include: ['suites/**/*.test.ts'],
      // Beside this module, as TypeScript or as the build's JavaScript.
      globalSetup: [fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './battery-setup.ts' : './battery-setup.js', import.meta.url))],
      // Each test's file:line goes into the report, as `list` prints it.
      includeTaskLocation: true,
      // The run's own window is known only at its start; `run` sets it then. This is the endpoint's.
      testTimeout: testTimeoutMs(defaultConsistencyWindowMs.endpoint),
      hookTimeout: testTimeoutMs(defaultConsistencyWindowMs.endpoint),
      // The suites share no state but the target; importing the SDK, ajv and spec/ once per
      // worker rather than once per file saves seconds.
      isolate: false,
      maxConcurrency: 16,
      tags: [
        { name: 'documented', description: 'checks a documented clause' },
        { name: 'recorded', description: 'checks a clause seen in a real AWS recording' },
        { name: 'inferred', description: 'checks an inferred clause: advisory unless strict' },
        ...concerns.map((name) => ({ name, description: `a clause of spec/ concern ${name}` })),
        ...clauses.map((c) => ({ name: clauseTag(c.id), description: c.statement.slice(0, 100) })),
      ],
    },
  };
}
