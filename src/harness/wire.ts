import { expect } from 'vitest';
import type { RawResponse } from '../clients/raw.ts';
import { validate } from '../contract/validators.ts';

const show = (res: RawResponse) => `HTTP ${res.status} ${res.text.slice(0, 300)}`;

/** A success of a void operation: HTTP 200 (the body is checked by the wire clauses). */
export function expectSuccess(res: RawResponse): void {
  expect(res.status, show(res)).toBe(200);
}

/**
 * A fault with exactly this code, as an SDK resolves it. Only the code: the status and the
 * envelope's shape are the fault.envelope clauses' business (expectEnvelope), so that an
 * envelope that deviates fails those, not every clause that expects a fault.
 */
export function expectFault(res: RawResponse, code: string | string[]): void {
  expect(res.status, show(res)).toBeGreaterThanOrEqual(400);
  expect(res.status, show(res)).toBeLessThan(500);
  const codes = Array.isArray(code) ? code : [code];
  expect(res.error?.code ?? '(no error code)', show(res)).toBeOneOf(codes);
}

/** The fault envelope: HTTP 400 and a JSON body matching schemas/ErrorEnvelope, violations named. */
export function expectEnvelope(res: RawResponse): void {
  expect(res.status, show(res)).toBe(400);
  const envelope = validate('ErrorEnvelope', res.json);
  expect(envelope.ok ? [] : envelope.violations.map((v) => v.message), `not an error envelope: ${show(res)}`).toEqual([]);
}

/**
 * A client error, not the execution lookup's: the request was refused before it. HTTP 400, the
 * status the clauses that use it state (AWS answers every client fault of SWF with 400, Common
 * Errors); which code is the ValidationException clauses' business.
 */
export function expectRejected(res: RawResponse): void {
  expect(res.status, show(res)).toBe(400);
  expect(res.error?.code, show(res)).not.toBe('UnknownResourceFault');
}

/** The request passed validation: it reached the execution lookup (success or UnknownResourceFault). */
export function expectReachedLookup(res: RawResponse): void {
  if (res.status === 200) return;
  expectFault(res, 'UnknownResourceFault');
}
