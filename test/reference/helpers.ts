import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** An answer as a proxy passes it back: its status, headers and body, which a change may rewrite. */
export interface ProxiedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * An HTTP proxy in front of a target, on 127.0.0.1: each request goes to the target unless
 * `answer` answers it itself; each answer passes through `rewrite` (with the request's X-Amz-Target). For tests of what the suite
 * notices when a target answers otherwise. Resolves with its URL and a close().
 */
export async function startProxy(
  upstream: string,
  options: { answer?: (target: string) => ProxiedAnswer | undefined; rewrite?: (answer: ProxiedAnswer, target: string) => void } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const to = new URL(upstream);
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (a: ProxiedAnswer) => {
        res.writeHead(a.status, { ...a.headers, 'content-length': String(Buffer.byteLength(a.body)) });
        res.end(a.body);
      };
      const own = options.answer?.(String(req.headers['x-amz-target'] ?? ''));
      if (own) return send(own);
      const forward = httpRequest(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const back: Buffer[] = [];
          answer.on('data', (c: Buffer) => back.push(c));
          answer.on('end', () => {
            const a = { status: answer.statusCode ?? 500, headers: { ...answer.headers }, body: Buffer.concat(back).toString('utf8') };
            options.rewrite?.(a, String(req.headers['x-amz-target'] ?? ''));
            send(a);
          });
        },
      );
      forward.end(Buffer.concat(chunks));
    });
  });
  // Idle connections kept as the reference keeps them (65 s): the suite's client reuses one for 4 s.
  proxy.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
