import { loadJsonRpcErrorCode } from '@smithy/core/protocols';

/**
 * The error code the AWS SDK for JavaScript v3 resolves from an awsJson1_0 fault response, by the
 * SDK's own resolver: `__type` first, then `code`, then the X-Amzn-ErrorType header, each without
 * the namespace before '#' or anything after ':' (spec fault.envelope.shape). Other SDKs read the
 * header first; fault.envelope.codes-agree checks that the answer does not depend on which.
 */
export function resolveErrorCode(headers: Record<string, string>, body: unknown): string | undefined {
  const data = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
  return loadJsonRpcErrorCode({ headers, statusCode: 400 } as never, data);
}

/** The code the X-Amzn-ErrorType header names, when it names one: what an SDK that reads the header first resolves. */
export function headerErrorCode(headers: Record<string, string>): string | undefined {
  const value = Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-amzn-errortype')?.[1];
  return value ? value.split(':')[0]!.split('#').pop() : undefined;
}
