/**
 * The run's configuration, in two steps. `resolveSettings` reads what the user asked for: the
 * CLI's flags first, then AWS's own conventions (AWS_ENDPOINT_URL_SWF or AWS_ENDPOINT_URL,
 * AWS_REGION, AWS_PROFILE) and the SWF_CONFORMANCE_* variables. A session (session.ts) then joins
 * the settings to the target they chose, into the BatteryConfig that vitest hands to every test
 * worker with provide/inject. Nothing is written back to process.env.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A prefix for the workflowIds a run (or a replay of a run's recording) makes: `swfc-YYYYMMDD-`
 * and eight hex digits, 22 characters, so that an id built to a length around it keeps its length
 * from one run to a replay of it.
 */
export function newRunPrefix(): string {
  return `swfc-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
}

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The restricted principal of the access-control tests: fixed keys, or a profile. */
export type RestrictedPrincipal = StaticCredentials | { profile: string };

/** What the user asked for, before any target is opened. */
export interface RunSettings {
  /** The endpoint to check; without one the embedded reference (or a container) is the target. */
  endpoint?: string;
  region: string;
  /** AWS_PROFILE (or --profile) for the default credential chain. */
  profile?: string;
  restricted?: RestrictedPrincipal;
  domain: string;
  runPrefix: string;
  /** Inferred clauses gate the run. */
  strict: boolean;
  /** Set when the user chose a window; otherwise the target's kind decides. */
  consistencyWindowMs?: number;
  ledgerDir: string;
  model: ModelSettings;
}

/** Settings given as flags; each one wins over its environment variable. */
export interface SettingFlags {
  endpoint?: string;
  region?: string;
  profile?: string;
  domain?: string;
  strict?: boolean;
  /** Seconds. */
  consistencyWindow?: number;
  seed?: number;
  modelRuns?: number;
}

/** The typed run configuration every test worker receives. */
export interface BatteryConfig {
  /** 'reference' when the suite started the embedded reference itself. */
  kind: 'reference' | 'endpoint' | 'container';
  /** A name for reports: "embedded reference", the image, or the endpoint URL. */
  targetName: string;
  endpoint: string;
  region: string;
  /** Fixed credentials (made by the target for this run); otherwise the default chain, resolved per worker. */
  credentials?: StaticCredentials;
  /** The profile of the default chain, when set. */
  profile?: string;
  /** The second, restricted principal of the access-control tests, when there is one. */
  restricted?: RestrictedPrincipal;
  /** Every workflowId the run creates starts with it. */
  runPrefix: string;
  /** The domain the suite reuses across runs; registered only if missing. */
  domain: string;
  /** A second reused domain that the deprecation tests deprecate and undeprecate. */
  deprecatedDomain: string;
  /** Inferred clauses gate the run. */
  strict: boolean;
  /** Where the ledger of started executions is written. */
  ledgerFile: string;
  /** How long a read the contract lets lag is retried before its test fails on what it saw last. */
  consistencyWindowMs: number;
  /** The reference the model-based run compares the target with, started for the run beside the target. */
  oracle?: { endpoint: string; credentials: StaticCredentials };
  model: ModelSettings;
  /** With `run --record`: the folder each test's worker saves its exchanges in. */
  recordDir?: string;
}

/** The model-based differential run's settings: `--seed` replays a run, `--model-runs` widens it. */
export interface ModelSettings {
  seed: number;
  /** Sequences of commands, over all rounds. */
  runs: number;
  /** The bound on the run's time, shrinking included. */
  timeLimitMs: number;
  /** The target answers a poll of an empty task list at once (SWF_CONFORMANCE_EMPTY_POLLS=1): the run may poll one. */
  emptyPolls?: boolean;
  /** How many sequences was said (--model-runs, SWF_CONFORMANCE_MODEL_RUNS), not taken by default. */
  asked?: boolean;
  /** Why the run was left out, when the run made no sequence by default. */
  leftOut?: string;
}

/** Sequences a default run makes: a few seconds against the embedded reference. */
export const DEFAULT_MODEL_RUNS = 40;

/**
 * The bounds of the run's numeric settings, read by their flags (src/cli/run-flags.ts) and their
 * environment variables (resolveSettings) alike.
 */
export const CONSISTENCY_WINDOW_SECONDS = [0, 600] as const;
export const MODEL_RUNS_RANGE = [0, 100_000] as const;
/** A seed is a 32-bit integer, as fast-check takes it. */
export const SEED_RANGE = [-2_147_483_648, 2_147_483_647] as const;

const within = (text: string, [low, high]: readonly [number, number]) => Number(text) >= low && Number(text) <= high;

/** The time a model-based run may take against the embedded reference (six times as long elsewhere): its default budget, and more for each sequence asked beyond the default. */
export const modelTimeLimitMs = (runs: number) => 10_000 + Math.max(0, runs - DEFAULT_MODEL_RUNS) * 1_000;

declare module 'vitest' {
  export interface ProvidedContext {
    battery: BatteryConfig;
  }
}

/** The consistency window: long enough for AWS's eventually consistent reads, short for the embedded reference. */
export const defaultConsistencyWindowMs = { endpoint: 30_000, container: 30_000, reference: 2_000 } as const;

export class ConfigError extends Error {}

const DOMAIN = /^[^:/|\u0000-\u001f\u007f-\u009f]{1,256}$/;

/** Whether a string has the shape of an AWS region name (us-east-1, eu-central-2, ...). */
export const isRegionName = (region: string) => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region);

const truthy = (value: string | undefined) => /^(1|true|yes)$/i.test(value ?? '');

/** Reads the settings from flags and environment, flags first. Throws ConfigError naming the bad value. */
export function resolveSettings(flags: SettingFlags, env: NodeJS.ProcessEnv): RunSettings {
  const endpoint = flags.endpoint ?? (env.AWS_ENDPOINT_URL_SWF || env.AWS_ENDPOINT_URL || undefined);
  if (endpoint !== undefined) {
    const from = flags.endpoint !== undefined ? '--endpoint' : env.AWS_ENDPOINT_URL_SWF ? 'AWS_ENDPOINT_URL_SWF' : 'AWS_ENDPOINT_URL';
    let protocol: string | undefined;
    try {
      protocol = new URL(endpoint).protocol;
    } catch {
      /* named below */
    }
    if (protocol !== 'http:' && protocol !== 'https:') throw new ConfigError(`${from} ${endpoint}: not an http or https URL`);
  }
  const region = flags.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1');
  if (!isRegionName(region))
    throw new ConfigError(`${flags.region !== undefined ? '--region' : 'AWS_REGION'} ${region}: not a region name`);
  const domain = flags.domain ?? (env.SWF_CONFORMANCE_DOMAIN || 'swf-conformance');
  if (!DOMAIN.test(domain) || domain.includes('arn'))
    throw new ConfigError(`${flags.domain !== undefined ? '--domain' : 'SWF_CONFORMANCE_DOMAIN'} ${domain}: not a valid domain name`);
  const runPrefix = env.SWF_CONFORMANCE_RUN_PREFIX || newRunPrefix();
  if (!/^[A-Za-z0-9-]{4,64}$/.test(runPrefix))
    throw new ConfigError(`SWF_CONFORMANCE_RUN_PREFIX must be 4 to 64 letters, digits or dashes: "${runPrefix}"`);
  const strictText = env.SWF_CONFORMANCE_STRICT;
  if (strictText !== undefined && strictText !== '' && !/^(1|true|yes|0|false|no)$/i.test(strictText)) {
    throw new ConfigError(`SWF_CONFORMANCE_STRICT must be 1 or 0 (true/false, yes/no): "${strictText}"`);
  }
  const windowText = env.SWF_CONFORMANCE_CONSISTENCY_WINDOW;
  if (
    windowText !== undefined &&
    windowText !== '' &&
    !(/^\d+(\.\d+)?$/.test(windowText) && within(windowText, CONSISTENCY_WINDOW_SECONDS))
  ) {
    throw new ConfigError(
      `SWF_CONFORMANCE_CONSISTENCY_WINDOW must be a number of seconds from ${CONSISTENCY_WINDOW_SECONDS.join(' to ')}: "${windowText}"`,
    );
  }
  const windowSeconds = flags.consistencyWindow ?? (windowText ? Number(windowText) : undefined);
  const profile = flags.profile ?? (env.AWS_PROFILE || undefined);
  const restricted = restrictedFrom(env);
  const seedText = env.SWF_CONFORMANCE_SEED;
  if (seedText !== undefined && seedText !== '' && !(/^-?\d{1,10}$/.test(seedText) && within(seedText, SEED_RANGE)))
    throw new ConfigError(`SWF_CONFORMANCE_SEED must be a whole number from ${SEED_RANGE.join(' to ')}: "${seedText}"`);
  const runsText = env.SWF_CONFORMANCE_MODEL_RUNS;
  if (runsText !== undefined && runsText !== '' && !(/^\d{1,6}$/.test(runsText) && within(runsText, MODEL_RUNS_RANGE)))
    throw new ConfigError(`SWF_CONFORMANCE_MODEL_RUNS must be a whole number from ${MODEL_RUNS_RANGE.join(' to ')}: "${runsText}"`);
  const runs = flags.modelRuns ?? (runsText ? Number(runsText) : DEFAULT_MODEL_RUNS);
  const asked = flags.modelRuns !== undefined || Boolean(runsText);
  const model = {
    seed: (flags.seed ?? (seedText ? Number(seedText) : randomBytes(4).readInt32LE())) | 0,
    runs,
    timeLimitMs: modelTimeLimitMs(runs),
    ...(truthy(env.SWF_CONFORMANCE_EMPTY_POLLS) ? { emptyPolls: true } : {}),
    ...(asked ? { asked } : {}),
  };
  return {
    ...(endpoint ? { endpoint } : {}),
    region,
    domain,
    runPrefix,
    strict: flags.strict || truthy(strictText),
    ...(windowSeconds !== undefined ? { consistencyWindowMs: windowSeconds * 1000 } : {}),
    ...(profile ? { profile } : {}),
    ...(restricted ? { restricted } : {}),
    ledgerDir: env.SWF_CONFORMANCE_LEDGER_DIR || join(tmpdir(), 'swf-conformance'),
    model,
  };
}

function restrictedFrom(env: NodeJS.ProcessEnv): RestrictedPrincipal | undefined {
  if (env.SWF_CONFORMANCE_RESTRICTED_PROFILE) return { profile: env.SWF_CONFORMANCE_RESTRICTED_PROFILE };
  const id = env.SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID;
  const secret = env.SWF_CONFORMANCE_RESTRICTED_SECRET_ACCESS_KEY;
  if (!id && !secret) return undefined;
  if (!id || !secret)
    throw new ConfigError('set both SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID and SWF_CONFORMANCE_RESTRICTED_SECRET_ACCESS_KEY, or neither');
  const token = env.SWF_CONFORMANCE_RESTRICTED_SESSION_TOKEN;
  return { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) };
}
