import { request } from 'undici';
import { UsageError } from './usage-error.ts';

/** Fails with one line when nothing answers HTTP at the endpoint within the time allowed. */
export async function checkReachable(endpoint: string, timeoutMs = 5_000): Promise<void> {
  try {
    const res = await request(endpoint, { method: 'POST', body: '{}', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    await res.body.dump();
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    const code = e.name === 'TimeoutError' ? e.name : e.code ?? e.cause?.code ?? e.name;
    const why = code === 'ECONNREFUSED' ? 'connection refused'
      : code === 'ENOTFOUND' ? 'no such host'
      : code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' ? `no answer within ${timeoutMs / 1000} s`
      : `${code}: ${e.message}`;
    throw new UsageError(`cannot reach the endpoint ${endpoint}: ${why}`);
  }
}
