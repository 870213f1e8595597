/**
 * The battery's run-wide set-up (a vitest globalSetup): picks the target, starts the embedded
 * reference when no endpoint is given, prepares the reused domain and types, and hands the
 * target to the test workers. Its teardown, and Ctrl-C or SIGTERM, terminate every execution of
 * the run's ledger that is still open.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startReference, type RunningReference } from '../../reference/server.ts';
import { RawClient } from '../clients/raw.ts';
import { readEnvConfig, type BatteryConfig } from './config.ts';
import { mainCredentials } from './credentials.ts';
import { cleanUp, Ledger } from './ledger.ts';
import { ensureDomain, ensureTypes } from './prepare.ts';
import { referencePrincipals } from './principals.ts';
import { onShutdown } from './shutdown.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    battery: BatteryConfig;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = readEnvConfig(process.env, process.env.SWF_CONFORMANCE_LEDGER_DIR || join(tmpdir(), 'swf-conformance'));
  let reference: RunningReference | undefined;
  let config: BatteryConfig;
  if (env.endpoint) {
    config = { ...env, endpoint: env.endpoint, kind: 'endpoint', targetName: env.endpoint, verifiesCredentials: !/^(0|false|no)$/i.test(process.env.SWF_CONFORMANCE_VERIFIES_CREDENTIALS ?? '') };
  } else {
    const principals = referencePrincipals();
    reference = await startReference({ ...principals.config, region: env.region });
    config = {
      ...env, endpoint: reference.url, kind: 'reference', targetName: 'embedded reference',
      credentials: principals.main, restricted: principals.restricted, verifiesCredentials: true,
    };
  }
  const raw = new RawClient({ endpoint: config.endpoint, region: config.region, credentials: mainCredentials(config), timeoutMs: 30_000 });
  const ledger = new Ledger(config.ledgerFile);

  let cleaned: Promise<void> | undefined;
  const finish = () => {
    cleaned ??= (async () => {
      const result = await cleanUp(ledger, raw);
      if (result.terminated || result.failed.length) {
        console.log(`swf-conformance cleanup: ${result.checked} executions in the ledger, ${result.terminated} still open were terminated`);
      }
      for (const f of result.failed) console.error(`swf-conformance cleanup: could not terminate ${f.entry.workflowId} (${f.entry.runId}): ${f.reason}`);
      await reference?.close();
    })();
    return cleaned;
  };
  const forget = onShutdown(finish);

  try {
    await ensureDomain(raw, config.domain);
    await ensureTypes(raw, config.domain);
    // The second domain must exist for the other-domain fault tests; the deprecation tests flip it.
    await ensureDomain(raw, config.deprecatedDomain, { undeprecate: true });
  } catch (error) {
    await reference?.close();
    throw error;
  }
  project.provide('battery', config);
  return async () => {
    await finish();
    forget();
  };
}
