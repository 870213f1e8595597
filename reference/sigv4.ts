/**
 * The SigV4 signature of a request to "/" with no query string, computed directly with
 * node:crypto, step by step as the SigV4 specification gives them. The reference checks the
 * common request with it (auth.ts, the SDK's signer deciding anything else), and the bench's load
 * generator signs with it.
 */
import { createHmac, hash } from 'node:crypto';

const signingKeys = new Map<string, Buffer>();
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** The day's signing key for the service in the region, derived once a day. */
function signingKey(secretAccessKey: string, day: string, region: string, service: string): Buffer {
  const id = `${secretAccessKey}|${day}|${region}|${service}`;
  let key = signingKeys.get(id);
  if (!key) {
    if (signingKeys.size > 64) signingKeys.clear();
    signingKeys.set(id, (key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request')));
  }
  return key;
}

export interface RootRequest {
  method: string;
  /** The signed headers, by lower-case name. */
  headers: Record<string, string>;
  /** The hex SHA-256 of the body (or the x-amz-content-sha256 the request declares). */
  payloadHash: string;
  /** The X-Amz-Date value, e.g. 20261122T101500Z. */
  amzDate: string;
  region: string;
  service: string;
  secretAccessKey: string;
}

export const sha256Hex = (data: string | Buffer) => hash('sha256', data, 'hex');

/** The credential scope and the hex signature of the request. */
export function rootSignature(r: RootRequest): { scope: string; signedHeaders: string; signature: string } {
  const day = r.amzDate.slice(0, 8);
  const names = Object.keys(r.headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${r.headers[name]!.trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonical = `${r.method}\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${r.payloadHash}`;
  const scope = `${day}/${r.region}/${r.service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${r.amzDate}\n${scope}\n${sha256Hex(canonical)}`;
  return { scope, signedHeaders, signature: createHmac('sha256', signingKey(r.secretAccessKey, day, r.region, r.service)).update(toSign).digest('hex') };
}
