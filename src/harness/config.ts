/**
 * What the battery runs against, read from AWS's own conventions: AWS_ENDPOINT_URL_SWF (or
 * AWS_ENDPOINT_URL), AWS_REGION and the default credential chain. With no endpoint, the embedded
 * reference is started for the run. Everything here is plain data, handed from the run's setup to
 * the test workers.
 */
import { randomBytes } from 'node:crypto';

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface BatteryConfig {
  /** 'reference' when the suite started the embedded reference itself. */
  kind: 'reference' | 'endpoint';
  /** A name for reports: "embedded reference", or the endpoint URL. */
  targetName: string;
  endpoint: string;
  region: string;
  /** Fixed credentials (the embedded reference's); otherwise the default chain, resolved per worker. */
  credentials?: StaticCredentials;
  /** AWS_PROFILE for the default chain, when set. */
  profile?: string;
  /** The second, restricted principal of the access-control tests, when configured. */
  restricted?: StaticCredentials | { profile: string };
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
  /** Whether the target verifies credentials (always true on AWS; true for the embedded reference). */
  verifiesCredentials: boolean;
  /** How long a read the contract lets lag is retried before its test fails on what it saw last. */
  consistencyWindowMs: number;
}

/** The consistency window: long enough for AWS's eventually consistent reads, short for the embedded reference. */
export const defaultConsistencyWindowMs = { endpoint: 30_000, reference: 2_000 } as const;

export class ConfigError extends Error {}

const DOMAIN = /^[^:/|\u0000-\u001f\u007f-\u009f]{1,256}$/;

/** Whether a string has the shape of an AWS region name (us-east-1, eu-central-2, ...). */
export const isRegionName = (region: string) => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region);

export function readEnvConfig(env: NodeJS.ProcessEnv, ledgerDir: string): Omit<BatteryConfig, 'endpoint' | 'targetName' | 'credentials' | 'kind' | 'verifiesCredentials'> & { endpoint?: string } {
  const endpoint = env.AWS_ENDPOINT_URL_SWF || env.AWS_ENDPOINT_URL || undefined;
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new ConfigError(`AWS_ENDPOINT_URL_SWF is not a URL: "${endpoint}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`the endpoint must be http or https: "${endpoint}"`);
  }
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  if (!isRegionName(region)) throw new ConfigError(`AWS_REGION is not a region name: "${region}"`);
  const domain = env.SWF_CONFORMANCE_DOMAIN || 'swf-conformance';
  if (!DOMAIN.test(domain) || domain.includes('arn')) throw new ConfigError(`SWF_CONFORMANCE_DOMAIN is not a valid domain name: "${domain}"`);
  const runPrefix = env.SWF_CONFORMANCE_RUN_PREFIX || `swfc-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
  if (!/^[A-Za-z0-9-]{4,64}$/.test(runPrefix)) throw new ConfigError(`SWF_CONFORMANCE_RUN_PREFIX must be 4 to 64 letters, digits or dashes: "${runPrefix}"`);
  let restricted: BatteryConfig['restricted'];
  if (env.SWF_CONFORMANCE_RESTRICTED_PROFILE) restricted = { profile: env.SWF_CONFORMANCE_RESTRICTED_PROFILE };
  else if (env.SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID || env.SWF_CONFORMANCE_RESTRICTED_SECRET_ACCESS_KEY) {
    if (!env.SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID || !env.SWF_CONFORMANCE_RESTRICTED_SECRET_ACCESS_KEY) {
      throw new ConfigError('set both SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID and SWF_CONFORMANCE_RESTRICTED_SECRET_ACCESS_KEY, or neither');
    }
    restricted = {
      accessKeyId: env.SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID,
      secretAccessKey: env.SWF_CONFORMANCE_RESTRICTED_SECRET_ACCESS_KEY,
      ...(env.SWF_CONFORMANCE_RESTRICTED_SESSION_TOKEN ? { sessionToken: env.SWF_CONFORMANCE_RESTRICTED_SESSION_TOKEN } : {}),
    };
  }
  const strict = /^(1|true|yes)$/i.test(env.SWF_CONFORMANCE_STRICT ?? '');
  const windowText = env.SWF_CONFORMANCE_CONSISTENCY_WINDOW;
  if (windowText !== undefined && windowText !== '' && !(/^\d+(\.\d+)?$/.test(windowText) && Number(windowText) <= 600)) {
    throw new ConfigError(`SWF_CONFORMANCE_CONSISTENCY_WINDOW must be a number of seconds from 0 to 600: "${windowText}"`);
  }
  const window = windowText ? Number(windowText) * 1000 : defaultConsistencyWindowMs[endpoint ? 'endpoint' : 'reference'];
  return {
    ...(endpoint ? { endpoint } : {}), region, domain, deprecatedDomain: `${domain}-deprecated`, runPrefix, strict, consistencyWindowMs: window,
    ...(restricted ? { restricted } : {}), ...(env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {}),
    ledgerFile: `${ledgerDir}/ledger-${runPrefix}.jsonl`,
  };
}
