import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SIGNING_NAME } from '../src/contract/protocol.ts';
import { SwfFault } from './faults.ts';
import { rootSignature, sha256Hex } from './sigv4.ts';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  /** The name access policies use; the access key id when not given. */
  principal?: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

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
      region,
      service: SIGNING_NAME,
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath: true,
      applyChecksum: false,
    });
    signers.set(key, signer);
  }
  return signer;
}

interface Authorization {
  accessKeyId: string;
  region: string;
  service: string;
  /** The signed headers' names, as the header lists them. */
  names: string[];
  /** The names are in strictly ascending order, as signers write them; any other list goes to the SDK's signer. */
  ascending: boolean;
  signature: string;
}

function parseAuthorization(header: string): Authorization | undefined {
  const match = AUTH.exec(header);
  if (!match) return undefined;
  const [, accessKeyId, , region, service, signedHeaders, signature] = match as unknown as string[];
  const names = signedHeaders!.split(';');
  let ascending = true;
  for (let i = 1; i < names.length; i++) if (names[i - 1]! >= names[i]!) ascending = false;
  return { accessKeyId: accessKeyId!, region: region!, service: service!, names, ascending, signature: signature! };
}

/** Two hex strings of the same length compared in time that does not depend on where they differ. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * Verifies a request's SigV4 signature against the configured credentials and returns the
 * caller's principal: at once for the common request, checked directly; through the SDK's signer
 * for anything else. The codes are those of AWS's shared authentication layer (inferred: spec
 * fault.auth.*).
 */
export function verifySigV4(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  credentials: Credential[],
): string | Promise<string> {
  const header = headers.authorization;
  if (header === undefined) throw new SwfFault('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const authorization = parseAuthorization(String(header));
  if (!authorization) {
    throw new SwfFault(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters with the AWS4-HMAC-SHA256 algorithm`,
    );
  }
  const { accessKeyId, region, service, names, ascending, signature } = authorization;
  const credential = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!credential) throw new SwfFault('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (service !== SIGNING_NAME)
    throw new SwfFault('InvalidSignatureException', `Credential should be scoped to correct service: '${SIGNING_NAME}'.`);
  const amzDate = String(headers['x-amz-date'] ?? '');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date) throw new SwfFault('IncompleteSignatureException', 'Authorization requires a valid X-Amz-Date header');
  const values: string[] = [];
  for (const name of names) {
    // A header's value is a string (a list for the few node:http keeps apart); anything else,
    // such as what an object inherits, is no header.
    const value: unknown = headers[name];
    if (typeof value === 'string') values.push(value);
    else if (Array.isArray(value)) values.push(value.join(','));
    else throw new SwfFault('InvalidSignatureException', `Signed header ${name} is missing from the request`);
  }
  // The signer trusts a declared payload hash; the body must match it, or a changed body would
  // pass with the original signature.
  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== sha256Hex(body)) {
    throw new SwfFault('InvalidSignatureException', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const principal = credential.principal ?? credential.accessKeyId;
  // The common request (POST /, no query) is checked directly; anything else, and any mismatch,
  // is decided by the SDK's own signer, so the shortcut can only accept what it would.
  if (path === '/' && ascending) {
    const expected = rootSignature({
      method,
      names,
      values,
      payloadHash: typeof declaredHash === 'string' ? declaredHash : sha256Hex(body),
      amzDate,
      region,
      service: SIGNING_NAME,
      secretAccessKey: credential.secretAccessKey,
    });
    if (sameHex(expected, signature)) return principal;
  }
  const requestHeaders: Record<string, string> = {};
  names.forEach((name, i) => {
    requestHeaders[name] = values[i]!;
  });
  return verifyWithSigner(method, path, String(headers.host ?? ''), requestHeaders, body, credential, region, date, signature).then(
    () => principal,
  );
}

/** The SDK's signer signs the request again; the signature given must be the one it computes. */
async function verifyWithSigner(
  method: string,
  path: string,
  hostname: string,
  headers: Record<string, string>,
  body: Buffer,
  credential: Credential,
  region: string,
  date: RegExpExecArray,
  signature: string,
): Promise<void> {
  const [, y, mo, d, h, mi, s] = date;
  const signer = signerFor(credential, region);
  const request = new HttpRequest({ method, protocol: 'http:', hostname, path, headers, body });
  const resigned = await signer.sign(request, {
    signingDate: new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!)),
    signableHeaders: new Set(Object.keys(headers)),
    unsignableHeaders: new Set(),
  });
  const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization))?.[1] ?? '';
  if (!sameHex(expected, signature)) {
    throw new SwfFault(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
}
