import { describe, expect, test } from 'vitest';
import { memberConstraints } from '../../src/contract/constraints.ts';
import { seedExample, seedOperations } from '../../src/contract/seed-examples.ts';
import { freshlyCompiled, usesPrecompiled, validate, violationsOf, type ShapeName } from '../../src/contract/validators.ts';

const inputOf = (op: string) => `${op}Input` as ShapeName;

describe("the seed pages' example requests", () => {
  test.for(seedOperations)('%s example body is valid', (op) => {
    const body = JSON.parse(seedExample(op).request.body) as unknown;
    expect(validate(inputOf(op), body)).toEqual({ ok: true, value: body });
  });
});

const valid = {
  RequestCancelWorkflowExecution: { domain: 'd', workflowId: 'w', runId: 'r' },
  TerminateWorkflowExecution: { domain: 'd', workflowId: 'w', runId: 'r', reason: 'x', details: 'y', childPolicy: 'ABANDON' },
} as const;

describe.for(seedOperations)('%s input violations name the member', (op) => {
  const shape = inputOf(op);
  const base: Record<string, unknown> = valid[op];
  const members = memberConstraints(shape);

  test.for(members.filter((m) => m.maxLength !== undefined))('$member one over its maximum', (m) => {
    const result = validate(shape, { ...base, [m.member]: 'x'.repeat((m.maxLength ?? 0) + 1) });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.violations).toEqual([expect.objectContaining({ member: m.member, keyword: 'maxLength', limit: m.maxLength })]);
  });

  test.for(members.filter((m) => (m.minLength ?? 0) > 0))('$member one under its minimum', (m) => {
    const result = validate(shape, { ...base, [m.member]: 'x'.repeat((m.minLength ?? 1) - 1) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.violations).toEqual([expect.objectContaining({ member: m.member, keyword: 'minLength' })]);
  });

  test.for(members.filter((m) => m.maxLength !== undefined))('$member at its maximum in astral code points is valid', (m) => {
    // Schema lengths count code points, as Smithy's length trait does: 😀 is one, though two UTF-16 units.
    expect(validate(shape, { ...base, [m.member]: '😀'.repeat(m.maxLength ?? 0) }).ok).toBe(true);
  });

  test.for(members.filter((m) => m.required))('$member missing', (m) => {
    const { [m.member]: _dropped, ...rest } = base;
    const result = validate(shape, rest);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.violations).toEqual([expect.objectContaining({ member: m.member, keyword: 'required' })]);
  });

  test.for(members)('$member of the wrong type', (m) => {
    const result = validate(shape, { ...base, [m.member]: 42 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.violations).toContainEqual(expect.objectContaining({ member: m.member, keyword: 'type' }));
      expect(new Set(result.violations.map((v) => v.member))).toEqual(new Set([m.member]));
    }
  });

  test.for(members.filter((m) => m.enum))('$member outside its value set', (m) => {
    const result = validate(shape, { ...base, [m.member]: (m.enum?.[0] ?? '').toLowerCase() });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.violations).toEqual([expect.objectContaining({ member: m.member, keyword: 'enum', limit: m.enum })]);
  });

  test('an unknown member', () => {
    const result = validate(shape, { ...base, notAMember: 'x' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.violations).toEqual([expect.objectContaining({ member: 'notAMember', keyword: 'additionalProperties' })]);
  });
});

describe('the validators the build compiled (dist/validators.cjs)', () => {
  test('are the ones in use: `npm test` builds first, and schemas/ are what they were compiled from', () => {
    expect(usesPrecompiled).toBe(true);
  });

  // Every boundary body of the seed operations, judged by both: the same verdict, the same violations.
  test.for(seedOperations)("agree with validators compiled now, on %s's boundary bodies", (op) => {
    const shape = inputOf(op);
    const base: Record<string, unknown> = valid[op];
    const bodies: unknown[] = [base, {}, { ...base, notAMember: 'x' }, null, 'text'];
    for (const m of memberConstraints(shape)) {
      const { [m.member]: _dropped, ...rest } = base;
      bodies.push(
        rest,
        { ...base, [m.member]: 42 },
        { ...base, [m.member]: 'x'.repeat((m.maxLength ?? 0) + 1) },
        { ...base, [m.member]: '' },
      );
    }
    const fresh = freshlyCompiled(shape);
    for (const body of bodies) {
      const now = fresh(body) ? { ok: true } : { ok: false, violations: violationsOf(body, fresh.errors) };
      const built = validate(shape, body);
      expect(built.ok ? { ok: true } : { ok: false, violations: built.violations }, JSON.stringify(body)).toEqual(now);
    }
  });
});

describe('response shapes', () => {
  test('an event of a known type must carry its attributes', () => {
    const result = validate('HistoryEvent', { eventId: 3, eventType: 'WorkflowExecutionTerminated', eventTimestamp: 1786560427.599 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.violations[0]?.member).toBe('workflowExecutionTerminatedEventAttributes');
  });

  test('a terminated event without its required childPolicy is invalid', () => {
    const result = validate('HistoryEvent', {
      eventId: 3,
      eventType: 'WorkflowExecutionTerminated',
      eventTimestamp: 1786560427.599,
      workflowExecutionTerminatedEventAttributes: { reason: 'r' },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.violations[0]?.member).toBe('workflowExecutionTerminatedEventAttributes.childPolicy');
  });

  test('a timestamp must be epoch seconds, not a string', () => {
    const result = validate('WorkflowExecutionInfo', {
      execution: { workflowId: 'w', runId: 'r' },
      workflowType: { name: 'n', version: '1' },
      startTimestamp: '2026-01-01T00:00:00Z',
      executionStatus: 'OPEN',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.violations).toEqual([expect.objectContaining({ member: 'startTimestamp', keyword: 'type' })]);
  });
});

describe('answers AWS documents are valid', () => {
  test('an empty PollForDecisionTask answer, as AWS documents it and emulators send it', () => {
    const empty = { taskToken: '', startedEventId: 0, previousStartedEventId: 0 };
    expect(validate('DecisionTask', empty)).toEqual({ ok: true, value: empty });
    expect(validate('DecisionTask', {}).ok).toBe(true);
  });

  test('a token longer than the model allows is still refused', () => {
    expect(validate('DecisionTask', { taskToken: 'x'.repeat(1025), startedEventId: 0 }).ok).toBe(false);
  });
});
