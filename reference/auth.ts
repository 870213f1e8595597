import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SwfFault } from './faults.ts';
import { rootSignature, sha256Hex } from './sigv4.ts';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  /** The name access policies use; the access key id when not given. */
  principal?: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/** The access key id a request claims, without verifying anything; undefined when unsigned. */
export function claimedAccessKey(headers: IncomingHttpHeaders): string | undefined {
  return AUTH.exec(String(headers.authorization ?? ''))?.[1];
}

/** One signer per credential and region: a signer keeps the day's signing key, so it is derived once a day, not per request. */
const signers = new Map<string, SignatureV4>();
function signerFor(credential: Credential, region: string): SignatureV4 {
  const key = `${credential.accessKeyId}|${credential.secretAccessKey}|${region}`;
  let signer = signers.get(key);
  if (!signer) {
    signer = new SignatureV4({
      credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
      region, service: 'swf', sha256: Hash.bind(null, 'sha256'), uriEscapePath: true, applyChecksum: false,
    });
    signers.set(key, signer);
  }
  return signer;
}

/**
 * Verifies a request's SigV4 signature against the configured credentials and returns the
 * caller's principal. The codes are those of AWS's shared authentication layer (inferred:
 * spec fault.auth.*).
 */
export async function verifySigV4(
  method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, credentials: Credential[],
): Promise<string> {
  const header = headers.authorization;
  if (header === undefined) throw new SwfFault('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const match = AUTH.exec(String(header));
  if (!match) {
    throw new SwfFault('IncompleteSignatureException', `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters with the AWS4-HMAC-SHA256 algorithm`);
  }
  const [, accessKeyId, , region, service, signedHeaders, signature] = match as unknown as string[];
  const credential = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!credential) throw new SwfFault('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (service !== 'swf') throw new SwfFault('InvalidSignatureException', `Credential should be scoped to correct service: 'swf'.`);
  const amzDate = String(headers['x-amz-date'] ?? '');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date) throw new SwfFault('IncompleteSignatureException', 'Authorization requires a valid X-Amz-Date header');
  const signed = signedHeaders!.split(';');
  const requestHeaders: Record<string, string> = {};
  for (const name of signed) {
    const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
    if (value === undefined || name === '__proto__') throw new SwfFault('InvalidSignatureException', `Signed header ${name} is missing from the request`);
    requestHeaders[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // The signer trusts a declared payload hash; the body must match it, or a changed body would
  // pass with the original signature.
  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== sha256Hex(body)) {
    throw new SwfFault('InvalidSignatureException', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const principal = credential.principal ?? credential.accessKeyId;
  // The common request (POST /, no query) is checked directly; anything else, and any mismatch,
  // is decided by the SDK's own signer below, so the shortcut can only accept what it would.
  const quick = path === '/' ? rootSignature({
    method, headers: requestHeaders, payloadHash: typeof declaredHash === 'string' ? declaredHash : sha256Hex(body),
    amzDate, region: region!, service: 'swf', secretAccessKey: credential.secretAccessKey,
  }).signature : undefined;
  if (quick !== undefined && quick.length === signature!.length && timingSafeEqual(Buffer.from(quick), Buffer.from(signature!))) return principal;
  const [, y, mo, d, h, mi, s] = date;
  const signer = signerFor(credential, region!);
  const request = new HttpRequest({ method, protocol: 'http:', hostname: String(headers.host ?? ''), path, headers: requestHeaders, body });
  const resigned = await signer.sign(request, {
    signingDate: new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!)),
    signableHeaders: new Set(signed),
    unsignableHeaders: new Set(),
  });
  const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization))?.[1] ?? '';
  if (expected.length !== signature!.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature!))) {
    throw new SwfFault('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  }
  return principal;
}
