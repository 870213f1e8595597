/**
 * The battery's run-wide set-up under mutation testing (vitest.mutation.config.ts): the same
 * configuration as a run against the embedded reference, except that the reference is started by
 * each test worker (worker-reference.ts), where Stryker activates its mutants, on the port chosen
 * here. The model-based run is left out: it compares the target with a second reference, which
 * would carry the same mutant.
 */
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { resolveSettings } from '../../src/harness/config.ts';
import { batteryConfig } from '../../src/harness/session.ts';
import { Ledger } from '../../src/harness/ledger.ts';
import { referencePrincipals } from '../../src/targets/reference.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    mutationReference: { port: number; config: ReturnType<typeof referencePrincipals>['config'] };
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export default async function setup(project: TestProject): Promise<() => void> {
  const settings = resolveSettings({ modelRuns: 0 }, { ...process.env, SWF_CONFORMANCE_CONSISTENCY_WINDOW: '1' });
  const port = await freePort();
  const principals = referencePrincipals(`${settings.domain}-deprecated`);
  const config = batteryConfig(settings, {
    kind: 'reference',
    name: 'embedded reference (in the test worker)',
    endpoint: `http://127.0.0.1:${port}`,
    outlivesRun: false,
    credentials: principals.main,
    restricted: principals.restricted,
    close: async () => undefined,
  });
  const ledger = Ledger.create(config.ledgerFile, {
    endpoint: config.endpoint,
    region: config.region,
    runPrefix: config.runPrefix,
    target: config.targetName,
    outlivesRun: false,
    startedAt: new Date().toISOString(),
  });
  project.provide('battery', config);
  project.provide('mutationReference', { port, config: principals.config });
  return () => ledger.remove();
}
