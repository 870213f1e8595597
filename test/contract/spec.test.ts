import { describe, expect, test } from 'vitest';
import { builtSpec, loadSpec } from '../../src/contract/spec.ts';
import { validatorForTitle } from '../../src/contract/validators.ts';

const spec = loadSpec();

describe('spec/', () => {
  test('every clause area the contract needs has clauses', () => {
    const prefixes = [
      'input.required',
      'input.length',
      'input.child-policy',
      'input.type',
      'input.unknown-member',
      'runid.omitted',
      'runid.explicit',
      'cancel.event',
      'cancel.state',
      'cancel.decision-task',
      'cancel.repeat',
      'cancel.children',
      'terminate.event',
      'terminate.state',
      'terminate.immediate',
      'terminate.no-events-after',
      'child-policy.source',
      'child-policy.terminate',
      'child-policy.request-cancel',
      'child-policy.abandon',
      'fault.unknown',
      'fault.access',
      'fault.validation',
      'fault.serialization',
      'fault.unknown-operation',
      'fault.auth',
      'fault.envelope',
      'wire.success',
      'wire.seed-example',
      'deprecated.cancel',
      'deprecated.terminate',
    ];
    const missing = prefixes.filter((p) => !spec.clauses.some((c) => c.id === p || c.id.startsWith(`${p}.`)));
    expect(missing).toEqual([]);
  });

  test('every clause has a grade and at least one known source', () => {
    for (const clause of spec.clauses) {
      expect(['documented', 'recorded', 'inferred']).toContain(clause.grade);
      expect(clause.sources.length).toBeGreaterThan(0);
      for (const s of clause.sources) expect(spec.sources[s.doc], `${clause.id} cites ${s.doc}`).toBeDefined();
    }
  });

  test('an unknown-member clause is inferred, since no document covers it', () => {
    expect(spec.byId.get('input.unknown-member.reported')?.grade).toBe('inferred');
  });
});

describe('what the build read of spec/ (dist/spec.json)', () => {
  test('is current (`npm test` builds first) and is what reading spec/ afresh gives', () => {
    expect(builtSpec()).toEqual(loadSpec({ fresh: true }));
  });
});

describe('the spec-file schema', () => {
  const check = validatorForTitle('SpecFile');
  const clause = {
    id: 'cancel.x',
    statement: 'A statement long enough to pass.',
    grade: 'documented',
    sources: [{ doc: 'rcwe', section: 'Description' }],
  };

  test('accepts a well-formed file', () => {
    expect(check({ concern: 'cancel', title: 'T', clauses: [clause] })).toBe(true);
  });

  test.for([
    ['a clause without a grade', { ...clause, grade: undefined }],
    ['a grade outside the three', { ...clause, grade: 'emulator' }],
    ['a clause without sources', { ...clause, sources: [] }],
    ['an id that is not dotted', { ...clause, id: 'Cancel' }],
    ['an unknown field', { ...clause, severity: 'high' }],
  ] as const)('rejects %s', ([, bad]) => {
    expect(check({ concern: 'cancel', title: 'T', clauses: [JSON.parse(JSON.stringify(bad))] })).toBe(false);
  });
});
