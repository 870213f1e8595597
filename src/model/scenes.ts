/**
 * Scenes: short generated openings that take a sequence where a random walk seldom goes (a run
 * restarted or continued as new, three generations under each child policy, a parent closed by
 * each kind of decision, a task held while its run is acted on, a decider cancelling others).
 * Each names the slots it acts on; what does not decide where it goes (which operation, the type
 * default, the texts, which form of runId of several alike) is drawn, and a random tail goes on
 * from where it ends. A run plays every scene once, in order, before its random sequences, so that
 * a default run reaches every clause the model judges (test/model/model-run.test.ts holds it to that).
 */
import fc from 'fast-check';
import { childPolicies } from '../contract/constraints.ts';
import type { ChildPolicy } from '../generated/types.ts';
import type { DecisionKind, RunForm, TextValue } from './clauses.ts';
import { Act, Decide, Read, Start, Take, type Step } from './commands.ts';
import { GHOST } from './state.ts';

export interface Scene {
  name: string;
  commands: fc.Arbitrary<Step[]>;
}

type Op = 'cancel' | 'terminate';
const op = fc.constantFrom<Op>('cancel', 'terminate');
const policy = fc.constantFrom<ChildPolicy>(...childPolicies());
const maybePolicy = fc.option(policy, { nil: undefined });
const typeDefault = fc.constantFrom<ChildPolicy | 'none'>(...childPolicies(), 'none');
const plainText = fc.constantFrom<TextValue>('none', 'empty', 'text', 'mixed');

/** A start in a named root: the type default and any childPolicy drawn, unless the scene fixes the policy. */
const start = (slot: string, t: ChildPolicy | 'none', p: ChildPolicy | undefined) => new Start(0, t, p, slot);
/** Cancel or Terminate of a named slot, in one form of runId; `other` picks among the other slots for a foreign runId. */
const act = (operation: Op, slot: string, form: RunForm, texts: [TextValue, TextValue] = ['none', 'none'], p?: ChildPolicy, other = 0) => {
  const [reason, details] = operation === 'terminate' ? texts : ['none' as const, 'none' as const];
  return new Act(operation, 0, form, operation === 'terminate' ? p : undefined, reason, details, other, slot);
};
/** The task of a named slot's run answered with one kind of decision; `other` picks among the other slots for an external cancel. */
const decide = (slot: string, decision: DecisionKind, options: { policy?: ChildPolicy; typeDefault?: ChildPolicy; other?: number } = {}) =>
  new Decide(0, decision, options.policy, options.typeDefault ?? 'TERMINATE', options.other ?? 0, slot);
/** A start's type default and childPolicy, drawn so that the run has a policy (a start with neither is refused). */
const startPolicies = fc
  .tuple(typeDefault, maybePolicy, policy)
  .map(([t, p, fallback]): [ChildPolicy | 'none', ChildPolicy | undefined] => [t, t === 'none' && !p ? fallback : p]);

/**
 * A scene's opening as an arbitrary that shrinks by leaving commands out, one at a time, before
 * shrinking what was drawn: a difference found in a scene is reported with the fewest of its
 * commands that still show it (a command left without the state it needs is skipped).
 */
class Opening extends fc.Arbitrary<Step[]> {
  constructor(private readonly drawn: fc.Arbitrary<Step[]>) {
    super();
  }
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<Step[]> {
    const value = this.drawn.generate(mrng, biasFactor);
    return new fc.Value(value.value, { whole: value });
  }
  canShrinkWithoutContext(value: unknown): value is Step[] {
    return false;
  }
  shrink(value: Step[], context: unknown): fc.Stream<fc.Value<Step[]>> {
    const whole = (context as { whole?: fc.Value<Step[]> } | undefined)?.whole;
    const fewer = fc.Stream.of(
      ...value.map(
        (_, i) =>
          new fc.Value(
            value.filter((_, j) => j !== i),
            {},
          ),
      ),
    );
    // What was drawn shrinks only while no command has been left out.
    return whole ? fewer.join(this.drawn.shrink(whole.value, whole.context).map((v) => new fc.Value(v.value, { whole: v }))) : fewer;
  }
}

const scene = (name: string, commands: fc.Arbitrary<Step[]>): Scene => ({ name, commands: new Opening(commands) });

/** The parent's policy and how it closes: the child-policy clauses, each by the way its parent closed. */
const families: [ChildPolicy, 'terminate' | DecisionKind][] = [
  ['TERMINATE', 'terminate'],
  ['REQUEST_CANCEL', 'terminate'],
  ['ABANDON', 'terminate'],
  ['TERMINATE', 'complete'],
  ['TERMINATE', 'fail'],
  ['REQUEST_CANCEL', 'complete'],
  ['REQUEST_CANCEL', 'continue'],
];

export function scenes(): Scene[] {
  return [
    // Every form of runId, and the unknown workflowId, against two open runs.
    scene(
      'runId forms',
      fc
        .tuple(startPolicies, op, op, op, plainText)
        .map(([[t, p], o1, o2, o3, d]) => [
          start('a', t, p),
          start('b', t, p),
          act('cancel', GHOST, 'omitted'),
          act(o1, 'a', 'truncated'),
          act(o2, 'a', 'other-case'),
          act(o3, 'b', 'foreign'),
          act('cancel', 'a', 'empty'),
          act('terminate', 'b', 'current', ['max', d]),
          act('terminate', 'a', 'omitted', [d, 'astral']),
        ]),
    ),
    // A run closed, the workflowId started again: the closed run named, and no runId, before and after; the listings.
    scene(
      'restarted',
      fc
        .tuple(startPolicies, op, op, op, plainText)
        .map(([[t, p], o1, o2, o3, r]) => [
          start('a', t, p),
          decide('a', 'complete'),
          act(o1, 'a', 'omitted'),
          act(o2, 'a', 'closed'),
          start('a', t, p),
          act(o3, 'a', 'omitted'),
          act('terminate', 'a', 'current', [r, 'none']),
          new Read(0),
          act('cancel', 'a', 'closed'),
        ]),
    ),
    // A run continued as new: no runId reaches the new run.
    scene(
      'continued as new',
      fc
        .tuple(startPolicies, policy, op)
        .map(([[t, p], q, o]) => [start('a', t, p), decide('a', 'continue', { policy: q }), act(o, 'a', 'omitted')]),
    ),
    // A task held while the run is asked to cancel, or terminated, and then answered; a run with no task asked to cancel.
    scene(
      'decision tasks',
      fc
        .tuple(startPolicies, plainText)
        .map(([[t, p], r]) => [
          start('a', t, p),
          new Take(0, 'a'),
          act('cancel', 'a', 'current'),
          start('b', t, p),
          new Take(0, 'b'),
          act('terminate', 'b', 'omitted', [r, r]),
          decide('b', 'complete'),
          start('z', t, p),
          decide('z', 'none'),
          act('cancel', 'z', 'omitted'),
        ]),
    ),
    // A decider asking an open execution, and one no execution has, to cancel; then completing as it asks.
    scene(
      'cancels by decision',
      startPolicies.map(([t, p]) => [
        start('a', t, p),
        start('b', t, p),
        decide('a', 'cancel-external'),
        decide('a', 'cancel-external', { other: 2 }),
        decide('a', 'cancel-external-then-complete'),
        start('z', t, p),
        decide('z', 'cancel-external-then-complete', { other: 2 }),
      ]),
    ),
    // A child terminated while its parent holds its task, by its runId; another by its workflowId alone.
    scene(
      'children terminated',
      fc
        .tuple(typeDefault, policy, plainText)
        .map(([t, p, r]) => [
          start('a', t, p),
          decide('a', 'child', { typeDefault: p }),
          new Take(0, 'a'),
          act('terminate', 'k0', 'current', [r, 'none']),
          decide('a', 'child', { typeDefault: p }),
          act('terminate', 'k1', 'omitted'),
          act('cancel', 'a', 'current'),
        ]),
    ),
    // Three generations and a closed child, under each policy, the parent terminated or closed by a decision.
    ...families.map(([p, close]) =>
      scene(
        `${p} children, the parent ${close === 'terminate' ? 'terminated' : `closed by ${close}`}`,
        fc.tuple(typeDefault, fc.boolean(), plainText).map(([t, given, r]) => [
          // The policy given at the start, or as the type's default.
          start('a', given ? t : p, given ? p : undefined),
          decide('a', 'children', { typeDefault: p }),
          decide('k0', 'child', { typeDefault: p }),
          decide('k1', 'complete'),
          close === 'terminate' ? act('terminate', 'a', 'current', [r, 'none']) : decide('a', close),
        ]),
      ),
    ),
    // The request's policy over the start's.
    scene(
      "the request's policy",
      fc
        .tuple(policy, policy)
        .map(([p, q]) => [
          start('a', p, p),
          decide('a', 'child', { typeDefault: p }),
          act('terminate', 'a', 'current', ['text', 'none'], q === p ? childPolicies().find((x) => x !== p) : q),
        ]),
    ),
  ];
}
