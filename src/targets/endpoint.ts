import type { Target } from '../harness/target.ts';

/** An endpoint the suite did not start: real SWF or an emulator someone else runs. What the run leaves open outlives it. */
export function endpointTarget(url: string): Target {
  return { kind: 'endpoint', name: url, endpoint: url, outlivesRun: true, close: async () => undefined };
}
