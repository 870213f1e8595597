/**
 * The reference checks the common request's signature directly (reference/sigv4.ts) and leaves
 * anything else to the SDK's signer. The direct check must accept exactly what the SDK's signer
 * signs, and refuse anything changed after signing; these tests sign with the SDK, as clients do.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, test } from 'vitest';
import { verifySigV4 } from '../../reference/auth.ts';
import type { SwfFault } from '../../reference/faults.ts';
import { rootAuthorization, sha256Hex } from '../../reference/sigv4.ts';
import { JSON_CONTENT_TYPE, SIGNING_NAME, TARGET_PREFIX } from '../../src/contract/protocol.ts';

const credential = { accessKeyId: 'AKIDSIGV4TEST', secretAccessKey: 'sigv4-test-secret', principal: 'tester' };
const signedAt = new Date(Date.UTC(2026, 10, 22, 10, 15, 0));

/** Signs a request to "/" with the SDK's signer and returns the headers node:http would hand the reference. */
async function sdkSigned(options: {
  body: string;
  headers?: Record<string, string>;
  region?: string;
  secret?: string;
}): Promise<IncomingHttpHeaders> {
  const region = options.region ?? 'us-east-1';
  const signer = new SignatureV4({
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: options.secret ?? credential.secretAccessKey },
    region,
    service: SIGNING_NAME,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    applyChecksum: false,
  });
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 8080,
    path: '/',
    body: options.body,
    headers: {
      host: '127.0.0.1:8080',
      'content-type': JSON_CONTENT_TYPE,
      'x-amz-target': `${TARGET_PREFIX}TerminateWorkflowExecution`,
      ...options.headers,
    },
  });
  const signed = await signer.sign(request, { signingDate: signedAt });
  return Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Verifies, telling the direct check (an answer at once) from the SDK signer's (a promise). */
async function verify(headers: IncomingHttpHeaders, body: string): Promise<{ path: 'direct' | 'sdk'; principal?: string; fault?: string }> {
  let answer: string | Promise<string>;
  try {
    answer = verifySigV4('POST', '/', headers, Buffer.from(body), [credential]);
  } catch (error) {
    return { path: 'direct', fault: (error as SwfFault).code };
  }
  if (typeof answer === 'string') return { path: 'direct', principal: answer };
  return answer.then(
    (principal) => ({ path: 'sdk' as const, principal }),
    (error: SwfFault) => ({ path: 'sdk' as const, fault: error.code }),
  );
}

const body = JSON.stringify({ domain: 'd', workflowId: 'w', reason: 'because' });
const createHashHex = (data: string) => createHash('sha256').update(data).digest('hex');

describe('SigV4: the direct check accepts what the SDK signs', () => {
  const cases: [string, Parameters<typeof sdkSigned>[0]][] = [
    ["the SDK's usual request", { body }],
    ['an empty body', { body: '' }],
    ['a body outside ASCII', { body: JSON.stringify({ domain: 'd', workflowId: 'wörk-流程', reason: '💡' }) }],
    ['a header value with runs of white space', { body, headers: { 'x-amz-user-agent': '  aws-sdk-js/3.0   os/linux  ' } }],
    ['a declared payload hash', { body, headers: { 'x-amz-content-sha256': createHashHex(body) } }],
    ['a region long enough to outgrow the reused buffer', { body, region: `r${'e'.repeat(1500)}` }],
    ['a region outside ASCII', { body, region: 'eu-süd-1' }],
  ];
  test.each(cases)('%s', async (_name, options) => {
    const headers = await sdkSigned(options);
    expect(await verify(headers, options.body)).toEqual({ path: 'direct', principal: 'tester' });
  });

  test('the generator of npm run bench signs as the SDK does', async () => {
    const headers = await sdkSigned({ body });
    // As bench/load.ts calls it: its four headers, in order, and the body's hash.
    const names = ['content-type', 'host', 'x-amz-date', 'x-amz-target'];
    const amzDate = String(headers['x-amz-date']);
    const own = rootAuthorization(credential.accessKeyId, {
      method: 'POST',
      names,
      values: names.map((n) => String(headers[n])),
      payloadHash: sha256Hex(body),
      amzDate,
      region: 'us-east-1',
      service: SIGNING_NAME,
      secretAccessKey: credential.secretAccessKey,
    });
    expect(own).toBe(headers.authorization);
  });
});

describe('SigV4: what changed after signing is refused', () => {
  const tampered: [string, (h: IncomingHttpHeaders) => [IncomingHttpHeaders, string]][] = [
    ['the body', (h) => [h, body.replace('because', 'because!')]],
    ['the operation', (h) => [{ ...h, 'x-amz-target': `${TARGET_PREFIX}RequestCancelWorkflowExecution` }, body]],
    ['the date', (h) => [{ ...h, 'x-amz-date': '20261122T101501Z' }, body]],
    [
      'one digit of the signature',
      (h) => [{ ...h, authorization: String(h.authorization).replace(/.$/, (c) => (c === '0' ? '1' : '0')) }, body],
    ],
  ];
  test.each(tampered)('%s', async (_name, change) => {
    const [headers, sent] = change(await sdkSigned({ body }));
    // Refused by the SDK's signer: the direct check passes on what it does not accept.
    expect(await verify(headers, sent)).toEqual({ path: 'sdk', fault: 'InvalidSignatureException' });
  });

  test('a wrong secret', async () => {
    expect(await verify(await sdkSigned({ body, secret: 'not-the-secret' }), body)).toEqual({
      path: 'sdk',
      fault: 'InvalidSignatureException',
    });
  });

  test('a body that does not match its declared hash', async () => {
    const headers = await sdkSigned({ body, headers: { 'x-amz-content-sha256': createHashHex(body) } });
    expect(await verify(headers, `${body} `)).toEqual({ path: 'direct', fault: 'InvalidSignatureException' });
  });

  test('a signed header missing from the request, or one an object inherits', async () => {
    const headers = await sdkSigned({ body });
    const { 'x-amz-target': _dropped, ...without } = headers;
    expect(await verify(without, body)).toEqual({ path: 'direct', fault: 'InvalidSignatureException' });
    const inherited = { ...headers, authorization: String(headers.authorization).replace('SignedHeaders=', 'SignedHeaders=constructor;') };
    expect(await verify(inherited, body)).toEqual({ path: 'direct', fault: 'InvalidSignatureException' });
  });

  test("signed headers listed out of order are left to the SDK's signer, which decides", async () => {
    const headers = await sdkSigned({ body });
    const reordered = String(headers.authorization).replace(
      /SignedHeaders=([^,]+)/,
      (_m, list: string) => `SignedHeaders=${list.split(';').reverse().join(';')}`,
    );
    // The SDK's signer sorts the names itself, so the same signature is accepted: by it, not by the direct check.
    expect(await verify({ ...headers, authorization: reordered }, body)).toEqual({ path: 'sdk', principal: 'tester' });
  });
});
