import type { AwsCredentialIdentity } from '@smithy/types';
import type { BatteryConfig, StaticCredentials } from './config.ts';

export type CredentialSource = () => Promise<AwsCredentialIdentity>;

// The credential providers are loaded when a chain is first needed: a run against a target that
// made its own credentials never needs them.
const providers = () => import('@aws-sdk/credential-providers');

/** The main principal's credentials: fixed ones, or the default chain (AWS_PROFILE, the key variables, ...). */
export function mainCredentials(config: Pick<BatteryConfig, 'credentials' | 'profile'>): CredentialSource {
  if (config.credentials) {
    const c = config.credentials;
    return async () => c;
  }
  let chain: Promise<CredentialSource> | undefined;
  return async () => {
    chain ??= providers().then((p) => p.fromNodeProviderChain(config.profile ? { profile: config.profile } : {}));
    return (await chain)();
  };
}

/** The restricted principal's credentials, when configured. */
export function restrictedCredentials(config: Pick<BatteryConfig, 'restricted'>): CredentialSource | undefined {
  const r = config.restricted;
  if (!r) return undefined;
  if ('profile' in r) {
    let fromProfile: Promise<CredentialSource> | undefined;
    const profile = r.profile;
    return async () => {
      fromProfile ??= providers().then((p) => p.fromIni({ profile }));
      return (await fromProfile)();
    };
  }
  const c: StaticCredentials = r;
  return async () => c;
}
