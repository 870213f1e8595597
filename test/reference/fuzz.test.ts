import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { servedOperations } from '../../reference/server.ts';
import { memberConstraints } from '../../src/contract/constraints.ts';
import type { RawResponse } from '../../src/clients/raw.ts';
import { testCredentials, useReference } from './helpers.ts';

/** What every answer must be, whatever was sent: no 5xx, and a well-formed envelope for a fault. */
function expectWellFormed(res: RawResponse): void {
  expect(res.status, res.text).toBeLessThan(500);
  expect(res.headers['x-amzn-requestid']).toBeTruthy();
  if (res.status !== 200) {
    expect(res.json, res.text).toEqual({ __type: expect.stringMatching(/^[\w.-]+#\w+$/), message: expect.any(String) });
    expect(res.headers['x-amzn-errortype']).toMatch(/^\w+:/);
  }
}

const targets = fc.oneof(
  fc.constantFrom(...servedOperations).map((op) => `SimpleWorkflowService.${op}`),
  fc.string({ maxLength: 60 }).map((s) => `SimpleWorkflowService.${s}`),
  fc.string({ maxLength: 60 }),
);

/** Valid-looking bodies for the two operations under test, then mutated member by member. */
const mutatedRequest = fc.record(
  {
    domain: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string()), fc.object()),
    workflowId: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.double(), fc.constant(null)),
    runId: fc.option(fc.oneof(fc.string({ maxLength: 80 }), fc.object()), { nil: undefined }),
    reason: fc.option(fc.string({ unit: 'binary', maxLength: 300 }), { nil: undefined }),
    childPolicy: fc.option(fc.oneof(fc.constantFrom('TERMINATE', 'REQUEST_CANCEL', 'ABANDON', 'terminate', ''), fc.string()), {
      nil: undefined,
    }),
  },
  { requiredKeys: [] },
);

const bodies = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
  fc.json().map((j) => j),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  mutatedRequest.map((r) => JSON.stringify(r)),
  fc.string({ maxLength: 200 }),
);

const RUNS = Number(process.env.FUZZ_RUNS ?? 2500);

describe('the reference answers anything with a well-formed response', () => {
  const h = useReference();

  test(`${RUNS} random and mutated requests: no 5xx, no malformed envelope, no crash`, async () => {
    await fc.assert(
      fc.asyncProperty(
        targets,
        bodies,
        fc.constantFrom('application/x-amz-json-1.0', 'application/json', 'text/plain', ''),
        async (target, body, contentType) => {
          expectWellFormed(await h.raw.send({ target, body, headers: contentType ? { 'content-type': contentType } : {} }));
        },
      ),
      { numRuns: RUNS, interruptAfterTimeLimit: 60_000 },
    );
    // The process is still serving after it all.
    const res = await h.raw.send({ operation: 'ListDomains', body: { registrationStatus: 'REGISTERED' } });
    expect(res.status).toBe(200);
  }, 90_000);

  test('every member of both operations at every length bound, in every JSON type', async () => {
    let sent = 0;
    for (const op of ['RequestCancelWorkflowExecution', 'TerminateWorkflowExecution']) {
      for (const m of memberConstraints(`${op}Input` as never)) {
        for (const value of [null, 0, true, [], {}, '', 'x'.repeat((m.maxLength ?? 1) + 1), '😀'.repeat(m.maxLength ?? 1)]) {
          expectWellFormed(await h.raw.send({ operation: op, body: { domain: 'd', workflowId: 'w', [m.member]: value } }));
          sent += 1;
        }
      }
    }
    expect(sent).toBeGreaterThan(60);
  });
});

describe('with authentication on, any Authorization header is answered well', () => {
  const h = useReference({ auth: { credentials: [{ ...testCredentials }] } });
  test('random Authorization and X-Amz-Date headers', async () => {
    const auth = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .tuple(fc.string({ maxLength: 20 }), fc.stringMatching(/^[a-z0-9;-]{0,40}$/), fc.stringMatching(/^[0-9a-f]{64}$/))
        .map(
          ([key, signed, sig]) =>
            `AWS4-HMAC-SHA256 Credential=${key}/20260101/us-east-1/swf/aws4_request, SignedHeaders=${signed}, Signature=${sig}`,
        ),
      fc
        .tuple(fc.stringMatching(/^[a-z0-9;-]{1,40}$/), fc.stringMatching(/^[0-9a-f]{64}$/))
        .map(
          ([signed, sig]) =>
            `AWS4-HMAC-SHA256 Credential=${testCredentials.accessKeyId}/20260101/us-east-1/swf/aws4_request, SignedHeaders=${signed}, Signature=${sig}`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(auth, fc.oneof(fc.constant('20260101T000000Z'), fc.string({ maxLength: 20 })), async (authorization, date) => {
        const headers = { authorization, 'x-amz-date': date };
        expectWellFormed(await h.raw.send({ operation: 'ListDomains', body: { registrationStatus: 'REGISTERED' }, headers, sign: false }));
      }),
      { numRuns: 500, interruptAfterTimeLimit: 20_000 },
    );
  }, 120_000);
});
