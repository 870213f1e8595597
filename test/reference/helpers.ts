import { afterAll, beforeAll } from 'vitest';
import type { SWFClient } from '@aws-sdk/client-swf';
import { startReference, type ReferenceConfig, type RunningReference } from '../../reference/server.ts';
import { RawClient } from '../../src/clients/raw.ts';
import { sdkClient } from '../../src/clients/sdk.ts';

export const testCredentials = { accessKeyId: 'AKIDREFERENCETEST', secretAccessKey: 'reference-test-secret' };

export interface ReferenceHandle {
  ref: RunningReference;
  raw: RawClient;
  sdk: SWFClient;
}

/** Starts a reference for the file's tests, with clients for it, and stops it afterwards. */
export function useReference(config: ReferenceConfig = {}): ReferenceHandle {
  const handle = {} as ReferenceHandle;
  beforeAll(async () => {
    handle.ref = await startReference({ pollTimeoutMs: 1_000, ...config });
    const options = { endpoint: handle.ref.url, region: 'us-east-1', credentials: async () => testCredentials };
    handle.raw = new RawClient(options);
    handle.sdk = sdkClient(options);
  });
  afterAll(async () => {
    handle.sdk?.destroy();
    await handle.ref?.close();
  });
  return handle;
}

let counter = 0;
/** A name unique within the test process. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;
