import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { BatteryConfig, StaticCredentials } from './config.ts';

export type CredentialSource = () => Promise<AwsCredentialIdentity>;

/** The main principal's credentials: fixed ones, or the default chain (AWS_PROFILE, the key variables, ...). */
export function mainCredentials(config: Pick<BatteryConfig, 'credentials' | 'profile'>): CredentialSource {
  if (config.credentials) {
    const c = config.credentials;
    return async () => c;
  }
  const chain = fromNodeProviderChain(config.profile ? { profile: config.profile } : {});
  return () => chain();
}

/** The restricted principal's credentials, when configured. */
export function restrictedCredentials(config: Pick<BatteryConfig, 'restricted'>): CredentialSource | undefined {
  const r = config.restricted;
  if (!r) return undefined;
  if ('profile' in r) return fromIni({ profile: r.profile });
  const c: StaticCredentials = r;
  return async () => c;
}
