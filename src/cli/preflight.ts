import { request } from 'undici';
import { UsageError } from './usage-error.ts';

/**
 * Fails with one line when nothing answers HTTP at the endpoint within the time allowed. An
 * emulator that loads its services on its first request (LocalStack) can take seconds to answer
 * it: after a few, the wait is said, so that a slow start does not look like a hang.
 */
export async function checkReachable(endpoint: string, timeoutMs = 30_000, sayAfterMs = 5_000): Promise<void> {
  const slow = setTimeout(
    () => console.log(`swf-conformance: ${endpoint} has not answered yet; waiting up to ${timeoutMs / 1000} s (--startup-timeout)`),
    Math.min(sayAfterMs, timeoutMs / 2),
  );
  try {
    const res = await request(endpoint, {
      method: 'POST',
      body: '{}',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body.dump();
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    const code = e.name === 'TimeoutError' ? e.name : (e.code ?? e.cause?.code ?? e.name);
    const why =
      code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'ENOTFOUND'
          ? 'no such host'
          : code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT'
            ? `no answer within ${timeoutMs / 1000} s`
            : `${code}: ${e.message}`;
    throw new UsageError(`cannot reach the endpoint ${endpoint}: ${why}`);
  } finally {
    clearTimeout(slow);
  }
}
