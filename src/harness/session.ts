/**
 * A run's session with its target: the settings joined to the target into the BatteryConfig the
 * workers receive, the ledger, a client for set-up and cleanup, and the reused domain and types
 * prepared. Both ways of running the battery use it: `swf-conformance run`, which owns the target
 * for the whole run (and its interruption), and vitest alone, through the battery's global set-up.
 */
import { RawClient } from '../clients/raw.ts';
import { defaultConsistencyWindowMs, type BatteryConfig, type RunSettings } from './config.ts';
import { mainCredentials } from './credentials.ts';
import { cleanUp, Ledger, type CleanupResult } from './ledger.ts';
import { ensureDomain, ensureTypes } from './prepare.ts';
import type { Target } from './target.ts';

export interface Session {
  config: BatteryConfig;
  target: Target;
  ledger: Ledger;
  /** A client for set-up and cleanup calls, signed as the suite's main principal. */
  raw: RawClient;
  /** Terminates what the ledger still holds open. */
  cleanUp(options?: Parameters<typeof cleanUp>[2]): Promise<CleanupResult>;
  /** Closes the target. */
  close(): Promise<void>;
}

/** The configuration the workers receive: the target's credentials win over the default chain. */
export function batteryConfig(settings: RunSettings, target: Target, oracle?: BatteryConfig['oracle']): BatteryConfig {
  const restricted = target.restricted ?? settings.restricted;
  return {
    kind: target.kind,
    targetName: target.name,
    endpoint: target.endpoint,
    region: settings.region,
    ...(target.credentials ? { credentials: target.credentials } : settings.profile ? { profile: settings.profile } : {}),
    ...(restricted ? { restricted } : {}),
    runPrefix: settings.runPrefix,
    domain: settings.domain,
    deprecatedDomain: `${settings.domain}-deprecated`,
    strict: settings.strict,
    ledgerFile: `${settings.ledgerDir}/ledger-${settings.runPrefix}.jsonl`,
    consistencyWindowMs: settings.consistencyWindowMs ?? defaultConsistencyWindowMs[target.kind],
    // A target elsewhere answers each request more slowly, and its differences cost a window each while shrinking.
    model: modelFor(settings.model, target.kind),
    ...(oracle ? { oracle } : {}),
  };
}

/**
 * The model-based run compares the target with a reference step by step. Against the embedded
 * reference that is the reference compared with itself: a self-check that can find nothing about
 * a target, left out unless asked for (--model-runs N), and the report says so.
 */
function modelFor(model: RunSettings['model'], kind: Target['kind']): BatteryConfig['model'] {
  if (kind === 'reference' && !model.asked) {
    return {
      ...model,
      runs: 0,
      leftOut:
        'left out against the embedded reference, where it would compare the reference with itself (--model-runs N runs it as a self-check)',
    };
  }
  // A target elsewhere answers each request more slowly, and its differences cost a window each while shrinking.
  return { ...model, timeLimitMs: model.timeLimitMs * (kind === 'reference' ? 1 : 6) };
}

export function openSession(settings: RunSettings, target: Target, oracle?: BatteryConfig['oracle']): Session {
  const config = batteryConfig(settings, target, oracle);
  const raw = new RawClient({ endpoint: config.endpoint, region: config.region, credentials: mainCredentials(config), timeoutMs: 15_000 });
  const ledger = Ledger.create(config.ledgerFile, {
    endpoint: config.endpoint,
    region: config.region,
    runPrefix: config.runPrefix,
    target: config.targetName,
    outlivesRun: target.outlivesRun,
    startedAt: new Date().toISOString(),
  });
  return { config, target, ledger, raw, cleanUp: (o) => cleanUp(ledger, raw, o), close: () => target.close() };
}

/** Makes sure the reused domains and the suite's workflow types exist. Throws TargetError or ConfigError. */
export async function prepareSession(session: Session, signal?: AbortSignal): Promise<void> {
  const { config } = session;
  // Once `signal` is aborted (the run was stopped), no set-up request is sent: each waits for none
  // of the others, and one already sent runs to its answer.
  const raw = signal
    ? new RawClient({ endpoint: config.endpoint, region: config.region, credentials: mainCredentials(config), timeoutMs: 15_000, signal })
    : session.raw;
  // The second domain must exist for the other-domain fault tests; the deprecation tests flip it.
  await Promise.all([
    ensureDomain(raw, config.domain).then(() => ensureTypes(raw, config.domain)),
    ensureDomain(raw, config.deprecatedDomain, { undeprecate: true }),
  ]);
}
