/**
 * The boundary battery, computed from schemas/: for each member of an operation's input, the
 * values at and beyond its length bounds, each required member left out, each value of a value
 * set and values outside it, and each wrong JSON type. Nothing here lists a limit by hand.
 */
import { memberConstraints, type MemberConstraint } from '../contract/constraints.ts';
import type { OperationUnderTest } from '../generated/operations.ts';

export type Expectation = 'accepted' | 'rejected' | 'wrong-type' | 'null-optional';

export interface BoundaryCase {
  operation: OperationUnderTest;
  member: string;
  /** Readable: "maxLength+1 (257 ASCII)". */
  label: string;
  expect: Expectation;
  /** The bound the value is at or past, for message checks. */
  bound?: { keyword: 'minLength' | 'maxLength'; limit: number };
  /** Astral-plane characters, where code points and UTF-16 units differ. */
  astral?: boolean;
  /** The member's value set, for enum message checks. */
  allowed?: string[];
  /** Build the request body: the base request with this member's value set (undefined removes it). */
  value: (prefix: string) => unknown;
  remove?: boolean;
}

/** A string of exactly `length` code points, starting with the prefix where it fits. */
export function stringOf(length: number, char: string, prefix = ''): string {
  const head = [...prefix].length <= length ? prefix : '';
  return head + char.repeat(length - [...head].length);
}

const WRONG_TYPES: [string, unknown][] = [
  ['a number', 42],
  ['a boolean', true],
  ['an object', { value: 'x' }],
  ['an array', ['x']],
];

function casesFor(operation: BoundaryCase['operation'], m: MemberConstraint): BoundaryCase[] {
  const cases: BoundaryCase[] = [];
  const add = (c: Omit<BoundaryCase, 'operation' | 'member'>) =>
    cases.push({ operation, member: m.member, ...(m.enum ? { allowed: m.enum } : {}), ...c });
  // workflowIds carry the run's prefix wherever the length allows, so no other execution is touched.
  const prefixFor = (prefix: string) => (m.member === 'workflowId' ? prefix : '');
  if (m.maxLength !== undefined) {
    const max = m.maxLength;
    add({ label: `at maxLength (${max} ASCII)`, expect: 'accepted', value: (p) => stringOf(max, 'x', prefixFor(p)) });
    add({ label: `at maxLength (${max} two-byte characters)`, expect: 'accepted', value: (p) => stringOf(max, 'é', prefixFor(p)) });
    add({
      label: `at maxLength (${max} astral characters)`,
      expect: 'accepted',
      astral: true,
      value: (p) => stringOf(max, '😀', prefixFor(p)),
    });
    add({
      label: `maxLength+1 (${max + 1} ASCII)`,
      expect: 'rejected',
      bound: { keyword: 'maxLength', limit: max },
      value: (p) => stringOf(max + 1, 'x', prefixFor(p)),
    });
    add({
      label: `maxLength+1 (${max + 1} astral characters)`,
      expect: 'rejected',
      astral: true,
      bound: { keyword: 'maxLength', limit: max },
      value: (p) => stringOf(max + 1, '😀', prefixFor(p)),
    });
  }
  const min = m.minLength ?? 0;
  if (min > 0) {
    add({ label: `at minLength (${min})`, expect: 'accepted', value: (p) => (m.member === 'workflowId' ? `${p}` : stringOf(min, 'x')) });
    add({
      label: `minLength-1 (${min - 1})`,
      expect: 'rejected',
      bound: { keyword: 'minLength', limit: min },
      value: () => stringOf(min - 1, 'x'),
    });
  } else if (m.type === 'string' && !m.enum) {
    add({ label: 'empty (minLength 0)', expect: 'accepted', value: () => '' });
  }
  if (m.required) add({ label: 'left out', expect: 'rejected', remove: true, value: () => undefined });
  for (const v of m.enum ?? []) add({ label: `value ${v}`, expect: 'accepted', value: () => v });
  if (m.enum) {
    for (const bad of [m.enum[0]!.toLowerCase(), 'NOT_A_POLICY', ''])
      add({ label: `outside the value set ("${bad}")`, expect: 'rejected', value: () => bad });
  }
  for (const [label, v] of WRONG_TYPES) add({ label: `of the wrong JSON type (${label})`, expect: 'wrong-type', value: () => v });
  add({ label: 'null', expect: m.required ? 'rejected' : 'null-optional', value: () => null });
  return cases;
}

export function boundaryCases(operation: BoundaryCase['operation']): BoundaryCase[] {
  return memberConstraints(`${operation}Input`).flatMap((m) => casesFor(operation, m));
}

/** The request body of a case: a valid request for an execution that does not exist, then the case's change. */
export function bodyOf(c: BoundaryCase, base: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const body = { ...base };
  if (c.remove) delete body[c.member];
  else body[c.member] = c.value(prefix);
  return body;
}
