import { expect } from 'vitest';
import type { RawResponse } from '../clients/raw.ts';
import { validate } from '../contract/validators.ts';

const show = (res: RawResponse) => `HTTP ${res.status} ${res.text.slice(0, 300)}`;

/** A success of a void operation: HTTP 200 (the body is checked by the wire clauses). */
export function expectSuccess(res: RawResponse): void {
  expect(res.status, show(res)).toBe(200);
}

/** A fault: HTTP 400, a JSON envelope matching schemas/ErrorEnvelope, and exactly this code. */
export function expectFault(res: RawResponse, code: string | string[]): void {
  expect(res.status, show(res)).toBe(400);
  const envelope = validate('ErrorEnvelope', res.json);
  expect(envelope.ok, `not an error envelope: ${show(res)}`).toBe(true);
  const codes = Array.isArray(code) ? code : [code];
  expect(res.error?.code ?? '(no error code)', show(res)).toBeOneOf(codes);
}

/** A client error of any code, that is not the execution lookup's: the request was refused before it. */
export function expectRejected(res: RawResponse): void {
  expect(res.status, show(res)).toBeGreaterThanOrEqual(400);
  expect(res.status, show(res)).toBeLessThan(500);
  expect(res.error?.code, show(res)).not.toBe('UnknownResourceFault');
}

/** The request passed validation: it reached the execution lookup (success or UnknownResourceFault). */
export function expectReachedLookup(res: RawResponse): void {
  if (res.status === 200) return;
  expectFault(res, 'UnknownResourceFault');
}
