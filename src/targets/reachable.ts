import { request } from 'undici';
import { dispatcherWith } from '../clients/tls.ts';
import { TargetOpenError } from './open-error.ts';

/** The TLS errors of a certificate the client does not trust. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

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
    const dispatcher = dispatcherWith();
    const res = await request(endpoint, {
      dispatcher,
      method: 'POST',
      body: '{}',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body.dump();
    await dispatcher.close();
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
            : UNTRUSTED.has(code ?? '')
              ? `its certificate is not trusted (${code}): give the certificate of the CA that signed it with --ca-bundle FILE or AWS_CA_BUNDLE${process.env.AWS_CA_BUNDLE ? ` (${process.env.AWS_CA_BUNDLE} does not hold it)` : ''}`
              : `${code}: ${e.message}`;
    throw new TargetOpenError(`cannot reach the endpoint ${endpoint}: ${why}`);
  } finally {
    clearTimeout(slow);
  }
}
