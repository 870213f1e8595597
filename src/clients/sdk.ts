import { SWFClient } from '@aws-sdk/client-swf';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity } from '@smithy/types';
import { httpsAgent } from './tls.ts';

export interface SdkClientOptions {
  endpoint: string;
  region: string;
  credentials?: () => Promise<AwsCredentialIdentity>;
}

/**
 * An @aws-sdk/client-swf client for the target. Retries are off: a test that asserts a fault
 * must see the first answer, and a throttled call must show as throttled, not as slow.
 */
export function sdkClient(options: SdkClientOptions): SWFClient {
  const agent = httpsAgent();
  return new SWFClient({
    endpoint: options.endpoint,
    region: options.region,
    maxAttempts: 1,
    ...(agent ? { requestHandler: new NodeHttpHandler({ httpsAgent: agent }) } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}
