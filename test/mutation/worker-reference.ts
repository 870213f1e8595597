/**
 * Starts the embedded reference inside the test worker, before each battery file: Stryker
 * activates a mutant in the worker, so the reference must run there to carry it. A fresh reference
 * per file, so that a mutant that corrupted one reference's state leaves the next file unharmed.
 */
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { startReference } from '../../reference/server.ts';
import { RawClient } from '../../src/clients/raw.ts';
import { ensureDomain, ensureTypes } from '../../src/harness/prepare.ts';

let reference: Awaited<ReturnType<typeof startReference>> | undefined;
/** Why the reference could not be set up: then every test of the file fails with it, and the mutant counts as killed. */
let broken: unknown;

beforeEach(() => {
  if (broken) throw broken;
});

beforeAll(async () => {
  broken = undefined;
  try {
    await setUp();
  } catch (error) {
    broken = error;
  }
});

async function setUp(): Promise<void> {
  const { port, config } = inject('mutationReference');
  const battery = inject('battery');
  reference = await startReference({ ...config, region: battery.region, port, host: '127.0.0.1' });
  const credentials = battery.credentials!;
  const raw = new RawClient({ endpoint: battery.endpoint, region: battery.region, credentials: async () => credentials, timeoutMs: 5_000 });
  await Promise.all([
    ensureDomain(raw, battery.domain).then(() => ensureTypes(raw, battery.domain)),
    ensureDomain(raw, battery.deprecatedDomain, { undeprecate: true }),
  ]);
}

afterAll(async () => {
  await reference?.close();
  reference = undefined;
});
