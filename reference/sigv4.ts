/**
 * The SigV4 signature of a request to "/" with no query string, computed directly with
 * node:crypto, step by step as the SigV4 specification gives them. The reference checks the
 * common request with it (auth.ts, the SDK's signer deciding anything else), and the bench's load
 * generator signs with it.
 */
import { createHmac, hash } from 'node:crypto';

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * A signing key as HMAC-SHA256 uses it: the key XOR the inner pad, then space for the message
 * (one buffer, reused: the check runs to its end before another starts), and the key XOR the
 * outer pad, then space for the inner digest. HMAC is then two one-shot hashes, which node:crypto
 * runs at a fraction of a createHmac's cost.
 */
interface PaddedKey {
  inner: Buffer;
  outer: Buffer;
}

function padded(key: Buffer): PaddedKey {
  const inner = Buffer.alloc(64 + 1024, 0);
  const outer = Buffer.alloc(64 + 32, 0);
  for (let i = 0; i < 64; i++) {
    inner[i] = (key[i] ?? 0) ^ 0x36;
    outer[i] = (key[i] ?? 0) ^ 0x5c;
  }
  return { inner, outer };
}

/**
 * HMAC-SHA256 (RFC 2104) of data under a padded key of at most 64 bytes, in hex. The inner
 * digest passes as a binary (latin1) string, byte for byte, so that no buffer is allocated.
 */
function hmacPaddedHex(key: PaddedKey, data: string): string {
  const length = Buffer.byteLength(data);
  const inner = 64 + length <= key.inner.length ? key.inner : Buffer.concat([key.inner.subarray(0, 64), Buffer.alloc(length)]);
  inner.write(data, 64, 'utf8');
  key.outer.write(hash('sha256', inner.subarray(0, 64 + length), 'binary'), 64, 'binary');
  return hash('sha256', key.outer, 'hex');
}

const signingKeys = new Map<string, PaddedKey>();

/** The day's signing key for the service in the region, derived once a day. */
function signingKey(secretAccessKey: string, day: string, region: string, service: string): PaddedKey {
  const id = `${secretAccessKey}|${day}|${region}|${service}`;
  let key = signingKeys.get(id);
  if (!key) {
    if (signingKeys.size > 64) signingKeys.clear();
    signingKeys.set(id, (key = padded(hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request'))));
  }
  return key;
}

export const sha256Hex = (data: string | Buffer) => hash('sha256', data, 'hex');

/** A header value as the canonical request has it: trimmed, runs of white space made one space. */
const canonicalValue = (value: string) => value.trim().replace(/\s+/g, ' ');

export interface RootSigning {
  method: string;
  /** The signed headers' lower-case names, in ascending order. */
  names: readonly string[];
  /** Each name's value, in the same order. */
  values: readonly string[];
  /** The hex SHA-256 of the body (or the x-amz-content-sha256 the request declares). */
  payloadHash: string;
  /** The X-Amz-Date value, e.g. 20261122T101500Z. */
  amzDate: string;
  region: string;
  service: string;
  secretAccessKey: string;
}

/** The credential scope of a request signed at amzDate. */
const scopeOf = (amzDate: string, region: string, service: string) => `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;

/** The signature, in hex. */
export function rootSignature(r: RootSigning): string {
  let canonicalHeaders = '';
  for (let i = 0; i < r.names.length; i++) canonicalHeaders += `${r.names[i]}:${canonicalValue(r.values[i]!)}\n`;
  const canonical = `${r.method}\n/\n\n${canonicalHeaders}\n${r.names.join(';')}\n${r.payloadHash}`;
  const toSign = `AWS4-HMAC-SHA256\n${r.amzDate}\n${scopeOf(r.amzDate, r.region, r.service)}\n${sha256Hex(canonical)}`;
  return hmacPaddedHex(signingKey(r.secretAccessKey, r.amzDate.slice(0, 8), r.region, r.service), toSign);
}

/**
 * The Authorization header of a request to "/" signing the headers given: lower-case names in
 * ascending order, each with its value. The bench's load generator signs with it.
 */
export function rootAuthorization(accessKeyId: string, r: RootSigning): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scopeOf(r.amzDate, r.region, r.service)}, SignedHeaders=${r.names.join(';')}, Signature=${rootSignature(r)}`;
}
