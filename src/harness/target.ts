/**
 * Opening the battery's target for a run: the configuration read from the environment, the
 * embedded reference started when no endpoint is given, the ledger, and the reused domain and
 * types prepared. Both ways of running the battery use it: `swf-conformance run`, which owns the
 * target for the whole run (and its interruption), and vitest alone, through the global set-up.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startReference, type RunningReference } from '../../reference/server.ts';
import { RawClient } from '../clients/raw.ts';
import { readEnvConfig, type BatteryConfig } from './config.ts';
import { mainCredentials } from './credentials.ts';
import { cleanUp, Ledger, type CleanupResult } from './ledger.ts';
import { ensureDomain, ensureTypes } from './prepare.ts';
import { referencePrincipals } from './principals.ts';

export interface OpenedTarget {
  config: BatteryConfig;
  ledger: Ledger;
  /** An endpoint outlives the run; the embedded reference and a container end with it, and what they hold with them. */
  outlivesRun: boolean;
  /** A client for set-up and cleanup calls, signed as the suite's main principal. */
  raw: RawClient;
  /** Terminates what the ledger still holds open. */
  cleanUp(options?: Parameters<typeof cleanUp>[2]): Promise<CleanupResult>;
  /** Stops the embedded reference, when this started one. */
  close(): Promise<void>;
}

export const defaultLedgerDir = () => process.env.SWF_CONFORMANCE_LEDGER_DIR || join(tmpdir(), 'swf-conformance');

/** Reads the configuration and starts the embedded reference if no endpoint is set. Throws ConfigError on a bad value. */
export async function openTarget(env: NodeJS.ProcessEnv, options: { targetName?: string; outlivesRun?: boolean } = {}): Promise<OpenedTarget> {
  const read = readEnvConfig(env, defaultLedgerDir());
  let reference: RunningReference | undefined;
  let config: BatteryConfig;
  if (read.endpoint) {
    config = {
      ...read, endpoint: read.endpoint, kind: 'endpoint', targetName: options.targetName ?? read.endpoint,
      verifiesCredentials: !/^(0|false|no)$/i.test(env.SWF_CONFORMANCE_VERIFIES_CREDENTIALS ?? ''),
    };
  } else {
    const principals = referencePrincipals(read.deprecatedDomain);
    reference = await startReference({ ...principals.config, region: read.region });
    config = {
      ...read, endpoint: reference.url, kind: 'reference', targetName: 'embedded reference',
      credentials: principals.main, restricted: principals.restricted, verifiesCredentials: true,
    };
  }
  const outlivesRun = config.kind === 'endpoint' && options.outlivesRun !== false;
  const raw = new RawClient({ endpoint: config.endpoint, region: config.region, credentials: mainCredentials(config), timeoutMs: 15_000 });
  const ledger = Ledger.create(config.ledgerFile, {
    endpoint: config.endpoint, region: config.region, runPrefix: config.runPrefix, target: config.targetName,
    outlivesRun, startedAt: new Date().toISOString(),
  });
  return {
    config, ledger, raw, outlivesRun,
    cleanUp: (o) => cleanUp(ledger, raw, o),
    close: async () => { await reference?.close(); },
  };
}

/** Makes sure the reused domains and the suite's workflow types exist. Throws TargetError or ConfigError. */
export async function prepareTarget(target: OpenedTarget): Promise<void> {
  const { raw, config } = target;
  await ensureDomain(raw, config.domain);
  await ensureTypes(raw, config.domain);
  // The second domain must exist for the other-domain fault tests; the deprecation tests flip it.
  await ensureDomain(raw, config.deprecatedDomain, { undeprecate: true });
}
