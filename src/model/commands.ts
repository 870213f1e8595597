/**
 * The commands of a model-based differential run (fast-check's `fc.commands`): each is sent to
 * the target and to the reference alike; then both answers, and every run of the sequence as
 * each side shows it, are compared. A difference is charged to the clause that governs what
 * differs (clauses.ts) and ends the sequence (Charged), which fast-check shrinks.
 */
import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { childPolicies, lengthBounds } from '../contract/constraints.ts';
import type { ChildPolicy, Decision } from '../generated/types.ts';
import type { RawResponse } from '../clients/raw.ts';
import { clauseOf, type DecisionKind, type Observation, type RunForm, type StepFacts, type TextValue } from './clauses.ts';
import { Side, type RunView } from './side.ts';
import type { Difference } from '../recordings/difference.ts';
import { byKey, depthBelow, GHOST, latestRun, openRun, ROOTS, runsOf, slots, taskState, type Model } from './state.ts';

/** One step as the report shows it: what was sent, and the two answers side by side. */
export interface StepRecord {
  step: string;
  target?: string;
  reference?: string;
}

/**
 * A difference the run charged to a clause, with the steps that led to it: it ends the sequence,
 * and fast-check shrinks it. `at` is what was observed, `expected` the reference's, `actual` the
 * target's (both as shown), `clauses` the one clause charged.
 */
export class Charged extends Error {
  constructor(
    readonly difference: Difference & { clauses: [string]; step: string; expected: string; actual: string },
    readonly steps: StepRecord[],
  ) {
    const { clauses, at, actual, expected } = difference;
    super(`${clauses[0]}: ${at}: target ${actual}, reference ${expected}`);
  }
}

/** A difference that ended a sequence's comparability without a charge (or whose clause was charged already): counted in the report, never judged. */
export type Divergence = Difference & { step: string; expected: string; actual: string };

/** The two sides of one sequence, and what the run learns from it. */
export class Pair {
  readonly log: StepRecord[] = [];
  /**
   * Event attributes (`Type.attr`) that differed where the difference was not judged (its clause
   * already charged, or none): a value, not a state, so the sequence goes on without comparing them.
   */
  readonly ignored = new Set<string>();
  constructor(
    readonly target: Side,
    readonly reference: Side,
    readonly options: {
      /** How long the target's reads are retried until they agree with the reference's. */
      windowMs: number;
      /**
       * Observations (run keys and event places left out) where the target differed for a whole
       * window once in this run: a difference there is a lasting one, judged without waiting again,
       * so that shrinking it does not wait the window out at every step.
       */
      lasting: Set<string>;
      /** Clauses already charged with a difference: another difference there only ends the sequence. */
      found: ReadonlySet<string>;
      /** Told of every clause an observation was compared for, and of every sequence that diverged. */
      onCompared: (clause: string) => void;
      onDiverged: (d: Divergence) => void;
      /** Whether the run has ended (its time limit, a stop): a sequence still going sends nothing more. */
      ended?: () => boolean;
    },
  ) {}
}

const { max: REASON_MAX } = lengthBounds('TerminateWorkflowExecutionInput', 'reason');
const { max: DETAILS_MAX } = lengthBounds('TerminateWorkflowExecutionInput', 'details');

/** A valid value of a text member, by kind: at its bounds, in astral characters (counted in code points), with escapes. */
function text(kind: TextValue, max: number): string | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'empty':
      return '';
    case 'text':
      return 'stopped by swf-conformance';
    case 'max':
      return 'r'.repeat(max);
    case 'astral':
      return '\u{1D4B5}'.repeat(max);
    case 'mixed':
      return 'line one\nline two\t"quoted" \\ caf\u00e9 \u{1F600} <&>';
  }
}

const pick = <T>(items: readonly T[], index: number): T => items[index % items.length]!;

/** The parts every command shares: checking, acting on both sides, comparing, charging. */
export abstract class Step implements fc.AsyncCommand<Model, Pair> {
  check(m: Readonly<Model>): boolean {
    return !m.diverged && this.possible(m);
  }

  protected abstract possible(m: Readonly<Model>): boolean;
  /** Sends the command to both sides; returns the facts the mapping needs and the two answers. */
  /** Sends the command to both sides; the facts leave out `before`, which run() takes itself. */
  protected abstract act(m: Model, pair: Pair): Promise<{ facts: Facts; label: string; answers?: [string, string]; listings?: boolean }>;
  abstract toString(): string;

  async run(m: Model, pair: Pair): Promise<void> {
    if (pair.options.ended?.()) {
      m.diverged = true;
      return;
    }
    const before: Model = { ...m, held: new Set(m.held) };
    const acted = await this.act(m, pair);
    const { answers, listings } = acted;
    const facts = { ...acted.facts, before } as StepFacts;
    pair.log.push({ step: acted.label, ...(answers ? { target: answers[0], reference: answers[1] } : {}) });
    /** Compares one observation; false once the sequence is no longer comparable (nothing after it is judged). */
    const compare = (obs: Observation, target: unknown, reference: unknown, label: string, as: StepFacts = facts): boolean => {
      const clause = clauseOf(obs, as);
      if (clause) pair.options.onCompared(clause);
      if (JSON.stringify(target) === JSON.stringify(reference)) return true;
      const [t, r] = [show(target), show(reference)];
      const difference = { step: acted.label, at: label, expected: r, actual: t };
      if (clause && !pair.options.found.has(clause)) throw new Charged({ ...difference, clauses: [clause] }, [...pair.log]);
      pair.options.onDiverged({ ...difference, ...(clause ? { clauses: [clause] } : {}) });
      if (obs.what === 'run' && obs.attr && obs.eventType) {
        pair.ignored.add(`${obs.eventType}.${obs.attr}`);
        return true;
      }
      // An answer of Cancel or Terminate is a value, not a state: the runs, compared next, say whether the sequence is still comparable.
      if (obs.what === 'answer' && (facts.kind === 'cancel' || facts.kind === 'terminate')) return true;
      // So is a listing: a read of the runs, which are compared themselves.
      if (obs.what === 'listings') return true;
      m.diverged = true;
      return false;
    };
    if (answers && !compare({ what: 'answer', target: answers[0] }, answers[0], answers[1], 'the answer')) return;
    // Both accepted the step's values: so the clause a refusal of them would have been charged to was compared too.
    if (answers?.[1] === '200') {
      const refusal = clauseOf({ what: 'answer', target: '400 ValidationException' }, facts);
      if (refusal) pair.options.onCompared(refusal);
    }
    // A read the target failed ends the sequence: what it would have shown is unknown.
    const unreadable = (what: string, error: unknown) => {
      m.diverged = true;
      pair.options.onDiverged({ step: acted.label, at: what, actual: `error: ${firstLine(error)}`, expected: 'read' });
    };
    /** Compares what ListOpen, ListClosed and CountOpen show of a slot; false once the sequence is no longer comparable. */
    const compareListings = async (slot: string, as: StepFacts): Promise<boolean> => {
      const reference = await pair.reference.listings(slot);
      let read: Awaited<ReturnType<Side['listings']>>[];
      try {
        // A listing that outlasted the window once is judged at once after it, as the runs are.
        read = await settle(pair, () => pair.target.listings(slot), reference, {
          lasting: (t, r) => (JSON.stringify(t) === JSON.stringify(r) ? [] : ['the executions listed and counted']),
        });
      } catch (error) {
        // A target that cannot list or count (moto has no CountOpenWorkflowExecutions) is set aside
        // as a listing that differs is: the runs, read apart, are still compared; and the listings
        // are not read after every step again in this run.
        pair.options.lasting.add(UNLISTABLE);
        pair.options.onDiverged({
          step: acted.label,
          at: `the executions listed and counted for ${slot}`,
          actual: `error: ${firstLine(error)}`,
          expected: 'read',
        });
        return true;
      }
      return compare({ what: 'listings' }, read[0], read[1], `the executions listed and counted for ${slot}`, as);
    };
    if (listings && !(await compareListings((facts as { slot: string }).slot, facts))) return;
    // Both sides read at once; the target again only if it has not caught up yet.
    const readTarget = () => pair.target.snapshot().then((v) => without(v, pair.ignored));
    const first = readTarget();
    first.catch(() => undefined);
    let reference = await pair.reference.snapshot();
    let target: RunView[];
    try {
      [target] = await settle(pair, readTarget, without(reference, pair.ignored), {
        behind,
        first,
        lasting: differingObservations,
        reread: async () => {
          reference = await pair.reference.snapshot();
          return without(reference, pair.ignored);
        },
      });
    } catch (error) {
      return unreadable('the runs', error);
    }
    for (let found = true; found; ) {
      found = false;
      // Again after an attribute was set aside: the first difference of each run is all that is compared.
      for (const [obs, t, r, label] of differences(without(target, pair.ignored), without(reference, pair.ignored))) {
        const before = pair.ignored.size;
        if (
          !compare({ ...obs, ...(obs.what === 'run' ? { seen: target.find((x) => x.key === obs.key) } : {}) } as Observation, t, r, label)
        )
          return;
        if (pair.ignored.size > before) {
          found = true;
          break;
        }
      }
    }
    // What every run showed, for the clauses it was compared for, when nothing differed.
    if (!m.diverged) for (const run of reference) for (const obs of observed(run, before)) compare(obs, 0, 0, '');
    m.runs = reference;
    // Every step is followed by the listings of the slot it acted on, as a read of them after it would see them.
    const slot = slotOf(facts);
    if (!listings && slot !== undefined && !m.diverged && !pair.options.lasting.has(UNLISTABLE))
      await compareListings(slot, { kind: 'read', before: m, slot });
  }
}

/** Marks, among the run's lasting differences, a target whose listings could not be read. */
const UNLISTABLE = 'the listings could not be read';

/** The slot a step acted on: its own, or that of the run it decided or took a task of. */
function slotOf(facts: StepFacts): string | undefined {
  if ('slot' in facts) return facts.slot;
  return 'run' in facts && facts.run !== undefined ? facts.run.slice(0, facts.run.lastIndexOf('#')) : undefined;
}

/** StepFacts without the model before the step: each kind's own fields. */
type Facts = StepFacts extends infer F ? (F extends StepFacts ? Omit<F, 'before'> : never) : never;

const RUN_FIELDS = ['status', 'closeStatus', 'closedAt', 'cancelRequested', 'openDecisionTasks', 'openChildren'] as const;

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);

/** What a side answered; the target's failure to answer at all is its answer, the reference's is an error of the run. */
async function answerOf(side: Side, act: () => Promise<string>): Promise<string> {
  if (side.name === 'reference') return act();
  try {
    return await act();
  } catch (error) {
    return `error: ${firstLine(error)}`;
  }
}

const show = (value: unknown): string => (value === undefined ? '(nothing)' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Reads the target until it agrees with the reference, or the window ends: reads the contract lets
 * lag. A value that cannot be a lagging one (`behind` says no) is a contradiction, judged at once
 * after one more read.
 */
async function settle<T>(
  pair: Pair,
  read: () => Promise<T>,
  given: T,
  options: {
    /** Whether the first value could be the second seen a moment earlier (default: always). */
    behind?: (value: T, reference: T) => boolean;
    /** The target's first read, already under way. */
    first?: Promise<T>;
    /** The observations two values differ in, for the differences that outlasted a window once. */
    lasting?: (value: T, reference: T) => string[];
    /**
     * Reads the reference again. It is read first, and what it defers a timer tick (a child policy
     * applied after the close) may not be done yet when the target, read after it, shows it done.
     */
    reread?: () => Promise<T>;
  } = {},
): Promise<[T, T]> {
  const { behind = () => true, first, lasting, reread } = options;
  const same = (a: T, b: T) => JSON.stringify(a) === JSON.stringify(b);
  let reference = given;
  const started = Date.now();
  for (let delay = 20, reads = 1; ; delay = Math.min(delay * 2, 500), reads += 1) {
    const value = await (reads === 1 && first ? first : read());
    if (same(value, reference)) return [value, reference];
    // The target looks ahead of the reference: the reference's deferred work may be due.
    if (reread && behind(reference, value)) {
      reference = await reread();
      if (same(value, reference)) return [value, reference];
    }
    const differing = lasting?.(value, reference);
    if (differing?.length && differing.every((d) => pair.options.lasting.has(d))) return [value, reference];
    if (Date.now() - started >= pair.options.windowMs) {
      for (const d of differing ?? []) pair.options.lasting.add(d);
      return [value, reference];
    }
    if (reads > 1 && !behind(value, reference)) return [value, reference];
    await sleep(delay);
  }
}

/** The observations where two sides' runs differ, with run keys and event places left out. */
function differingObservations(target: RunView[], reference: RunView[]): string[] {
  return [...differences(target, reference)]
    .filter(([, t, r]) => JSON.stringify(t) !== JSON.stringify(r))
    .map(([, , , label]) => label.replace(/[a-z]\w*#\d+/g, 'run').replace(/ event \d+/, ' event'));
}

/** The runs with the set-aside attributes left out of their events. */
function without(runs: RunView[], ignored: ReadonlySet<string>): RunView[] {
  if (!ignored.size) return runs;
  return runs.map((run) => ({
    ...run,
    events: run.events.map((e) => {
      if (!e.attrs || !Object.keys(e.attrs).some((k) => ignored.has(`${e.type}.${k}`))) return e;
      const attrs = Object.fromEntries(Object.entries(e.attrs).filter(([k]) => !ignored.has(`${e.type}.${k}`)));
      return { id: e.id, type: e.type, ...(Object.keys(attrs).length ? { attrs } : {}) };
    }),
  }));
}

/**
 * Whether the target's runs could be the reference's seen a moment earlier: each history a prefix,
 * a run still to come, and each state one the run passed through (still open, not yet asked to
 * cancel, a task or child count on its way). The history and the state are read apart, so either
 * may be the later: equal histories with an earlier state are a lagging read too.
 */
export function behind(target: RunView[], reference: RunView[]): boolean {
  if (target.some((t) => !reference.some((r) => r.key === t.key))) return false;
  for (const t of target) {
    const r = reference.find((x) => x.key === t.key)!;
    if (t.events.length > r.events.length || t.events.some((e, i) => JSON.stringify(e) !== JSON.stringify(r.events[i]))) return false;
    const closing = t.status === 'OPEN' && r.status === 'CLOSED';
    if (t.status !== r.status && !closing) return false;
    if (t.closeStatus !== r.closeStatus && t.closeStatus !== null) return false;
    if (t.closedAt !== r.closedAt && t.closedAt !== null) return false;
    // A close clears the flag: an open run asked to cancel may be the moment before its close.
    if (t.cancelRequested && !r.cancelRequested && !closing) return false;
  }
  return true;
}

/** What differs between the two sides' runs, observation by observation, the first differing event of each run only. */
function* differences(target: RunView[], reference: RunView[]): Generator<[Observation, unknown, unknown, string]> {
  const keys = [...new Set([...reference.map((r) => r.key), ...target.map((r) => r.key)])];
  for (const key of keys) {
    const t = target.find((r) => r.key === key);
    const r = reference.find((x) => x.key === key);
    if (!t || !r) {
      yield [{ what: 'run', key, field: 'presence' }, t ? 'present' : undefined, r ? 'present' : undefined, `run ${key}`];
      continue;
    }
    // The history first: a missing event is the fact; the state it would have set follows from it.
    yield* eventDifference(key, t, r);
    for (const field of RUN_FIELDS) {
      yield [{ what: 'run', key, field }, t[field], r[field], `${key} ${field}`];
    }
  }
}

function* eventDifference(key: string, t: RunView, r: RunView): Generator<[Observation, unknown, unknown, string]> {
  const at = r.events.findIndex((e, i) => JSON.stringify(e) !== JSON.stringify(t.events[i]));
  const i = at >= 0 ? at : t.events.length > r.events.length ? r.events.length : -1;
  if (i < 0) return;
  const [te, re] = [t.events[i], r.events[i]];
  const idsOnly =
    te &&
    re &&
    te.type === re.type &&
    JSON.stringify(te.attrs) === JSON.stringify(re.attrs) &&
    t.events.length === r.events.length &&
    t.events.every((e, j) => e.type === r.events[j]!.type);
  if (idsOnly) {
    yield [{ what: 'run', key, field: 'events', idsOnly: true }, t.events.map((e) => e.id), r.events.map((e) => e.id), `${key} event ids`];
  } else if (te && re && te.type === re.type) {
    const attr = [...new Set([...Object.keys(te.attrs ?? {}), ...Object.keys(re.attrs ?? {})])].find(
      (k) => JSON.stringify(te.attrs?.[k]) !== JSON.stringify(re.attrs?.[k]),
    );
    yield [
      { what: 'run', key, field: 'events', eventType: re.type, ...(attr ? { attr } : {}) },
      te.attrs?.[attr ?? ''],
      re.attrs?.[attr ?? ''],
      `${key} event ${i + 1} (${re.type}) ${attr ?? ''}`.trim(),
    ];
  } else {
    // One side has an event the other has not (or not here): charged by the event that should be, or that should not.
    yield [{ what: 'run', key, field: 'events', eventType: re?.type ?? te!.type }, te?.type, re?.type, `${key} event ${i + 1}`];
  }
}

/** The observations of a run that a step's comparison covered, for the clauses it covers: the fields, and each new event. */
function* observed(run: RunView, before: Model): Generator<Observation> {
  for (const field of RUN_FIELDS) yield { what: 'run', key: run.key, field };
  yield { what: 'run', key: run.key, field: 'events', idsOnly: true };
  // The whole history was compared: a decision task scheduled where none should be would have been seen.
  yield { what: 'run', key: run.key, field: 'events', eventType: 'DecisionTaskScheduled' };
  const seen = byKey(before, run.key)?.events.length ?? 0;
  for (const e of run.events.slice(seen)) {
    yield { what: 'run', key: run.key, field: 'events', eventType: e.type };
    for (const attr of Object.keys(e.attrs ?? {})) yield { what: 'run', key: run.key, field: 'events', eventType: e.type, attr };
  }
}

/** An answer to a StartWorkflowExecution made through the scenario (which records it in the ledger). */
async function start(side: Side, slot: string, typeDefault: ChildPolicy | 'none', childPolicy: ChildPolicy | undefined): Promise<string> {
  try {
    side.learn(await side.swf.start({ workflowId: side.workflowId(slot), typeDefault, ...(childPolicy ? { childPolicy } : {}) }));
    return '200';
  } catch (error) {
    return /answered HTTP (\d+ \S*)/.exec((error as Error).message)?.[1] ?? (error as Error).message;
  }
}

export class Start extends Step {
  constructor(
    readonly root: number,
    readonly typeDefault: ChildPolicy | 'none',
    readonly childPolicy: ChildPolicy | undefined,
    /** The root a scene starts its run in; else one of the free roots, by index. */
    readonly pin?: string,
  ) {
    super();
  }
  /** A root with no open run: a start there is meaningful. */
  private slot(m: Readonly<Model>) {
    const free = ROOTS.filter((r) => !openRun(m as Model, r));
    if (this.pin) return free.includes(this.pin as (typeof ROOTS)[number]) ? this.pin : undefined;
    return free.length ? pick(free, this.root) : undefined;
  }
  protected possible(m: Readonly<Model>) {
    return this.slot(m) !== undefined;
  }
  private describe(slot: string) {
    return `StartWorkflowExecution ${slot} (type default ${this.typeDefault}${this.childPolicy ? `, childPolicy ${this.childPolicy}` : ''})`;
  }
  toString() {
    return this.describe(this.pin ?? `root#${this.root}`);
  }
  protected async act(m: Model, pair: Pair) {
    const slot = this.slot(m)!;
    const answers = (await Promise.all(
      [pair.target, pair.reference].map((side) => start(side, slot, this.typeDefault, this.childPolicy)),
    )) as [string, string];
    return { facts: { kind: 'start', slot, policyGiven: this.childPolicy !== undefined } as const, label: this.describe(slot), answers };
  }
}

/** RequestCancelWorkflowExecution or TerminateWorkflowExecution, with one form of runId. */
export class Act extends Step {
  constructor(
    readonly operation: 'cancel' | 'terminate',
    readonly slotIndex: number,
    readonly form: RunForm,
    readonly childPolicy: ChildPolicy | undefined,
    readonly reason: TextValue,
    readonly details: TextValue,
    readonly other: number,
    /** The slot a scene acts on; else one chosen by index. */
    readonly pin?: string,
  ) {
    super();
  }

  /**
   * A slot with runs, or the unknown one now and then. One time in eight each, the states a random
   * pick rarely lands on: the run with the most open descendants (where child policies apply, to
   * the grandchildren too), and an open run with no decision task (where a cancel request must
   * schedule one).
   */
  private slot(m: Readonly<Model>) {
    const model = m as Model;
    if (this.pin) return this.pin;
    const started = slots(model).filter((s) => runsOf(model, s).length);
    // The unknown workflowId one time in eight: the runs are where the paths are.
    if (this.slotIndex % 8 === 7 || started.length === 0) return GHOST;
    const open = started.map((s) => openRun(model, s)).filter((r): r is RunView => r !== undefined);
    if (this.slotIndex % 8 === 6) {
      const family = (r: RunView) => model.runs.filter((d) => d.status === 'OPEN' && depthBelow(model, d, r.key) > 0).length;
      const head = open.filter((r) => family(r) > 0).sort((a, b) => family(b) - family(a))[0];
      if (head) return head.slot;
    }
    if (this.slotIndex % 8 === 5) {
      const idle = open.filter((r) => taskState(r) === 'none' && !model.held.has(r.key));
      if (idle.length) return pick(idle, this.other).slot;
    }
    return pick(started, this.slotIndex - Math.floor(this.slotIndex / 8));
  }

  /** The key of the run this form names, when it names one. */
  private named(m: Model, slot: string): string | undefined {
    const latest = (openRun(m, slot) ?? latestRun(m, slot))?.key;
    switch (this.form) {
      case 'current':
      case 'truncated':
        return latest;
      case 'closed':
        return runsOf(m, slot)
          .filter((r) => r.status !== 'OPEN')
          .at(-1)?.key;
      case 'foreign': {
        const others = slots(m)
          .filter((s) => s !== slot)
          .map((s) => latestRun(m, s)?.key)
          .filter((k): k is string => Boolean(k));
        return others.length ? pick(others, this.other) : undefined;
      }
      default:
        return undefined;
    }
  }

  protected possible(m: Readonly<Model>) {
    const needsRun = this.form !== 'omitted' && this.form !== 'empty' && this.form !== 'other-case';
    return !needsRun || this.named(m as Model, this.slot(m)) !== undefined;
  }

  toString() {
    return this.describe(this.pin ?? `slot#${this.slotIndex}`, `#${this.other}`);
  }

  private describe(slot: string, named: string) {
    const extras =
      this.operation === 'terminate'
        ? [
            this.childPolicy ? `childPolicy ${this.childPolicy}` : '',
            this.reason !== 'none' ? `reason ${this.reason}` : '',
            this.details !== 'none' ? `details ${this.details}` : '',
          ].filter(Boolean)
        : [];
    return `${this.operation === 'cancel' ? 'RequestCancelWorkflowExecution' : 'TerminateWorkflowExecution'} ${slot} runId ${this.form}${this.form === 'omitted' || this.form === 'empty' || this.form === 'other-case' ? '' : ` (${named})`}${extras.length ? `, ${extras.join(', ')}` : ''}`;
  }

  private body(side: Side, slot: string, named: string | undefined): Record<string, unknown> {
    const workflowId = this.form === 'other-case' ? side.otherCase(slot) : side.workflowId(slot);
    const runId = named ? side.run(named)?.runId : undefined;
    const body: Record<string, unknown> = { domain: side.swf.domain, workflowId };
    if (this.form === 'empty') body.runId = '';
    else if (this.form === 'truncated') body.runId = runId?.slice(0, -1);
    else if (runId) body.runId = runId;
    if (this.operation === 'terminate') {
      const reason = text(this.reason, REASON_MAX);
      const details = text(this.details, DETAILS_MAX);
      if (reason !== undefined) body.reason = reason;
      if (details !== undefined) body.details = details;
      if (this.childPolicy) body.childPolicy = this.childPolicy;
    }
    return body;
  }

  protected async act(m: Model, pair: Pair) {
    const slot = this.slot(m);
    const named = this.named(m, slot);
    const open = openRun(m, slot);
    const resolved =
      this.form === 'omitted' || this.form === 'empty' ? open?.key : this.form === 'current' && open?.key === named ? named : undefined;
    const operation = this.operation === 'cancel' ? 'RequestCancelWorkflowExecution' : 'TerminateWorkflowExecution';
    const send = (side: Side): Promise<RawResponse> => side.swf.send(operation, this.body(side, slot, named));
    const answers = (await Promise.all(
      [pair.target, pair.reference].map((side) => answerOf(side, async () => Side.answer(await send(side)))),
    )) as [string, string];
    const facts: Facts = {
      kind: this.operation,
      slot,
      form: this.form,
      unknown: slot === GHOST,
      ...(resolved ? { resolved } : {}),
      ...(this.childPolicy ? { policy: this.childPolicy } : {}),
      texts: this.operation === 'terminate' ? [this.reason, this.details] : [],
    };
    return { facts, label: this.describe(slot, named ?? '?'), answers };
  }
}

/** Answers a run's decision task (the one it holds, or one polled now) with one kind of decision. */
export class Decide extends Step {
  constructor(
    readonly slotIndex: number,
    readonly decision: DecisionKind,
    readonly childPolicy: ChildPolicy | undefined,
    readonly typeDefault: ChildPolicy,
    readonly other: number,
    /** The slot whose run a scene answers the task of; else one chosen by index. */
    readonly pin?: string,
  ) {
    super();
  }

  /** The run whose task is answered: one holding a task (even if it has closed since), or an open run with a task scheduled. */
  private deciding(m: Model): RunView | undefined {
    const candidates = m.runs.filter((r) => (m.held.has(r.key) || taskState(r) === 'scheduled') && (!this.pin || r.slot === this.pin));
    return candidates.length ? pick(candidates, this.slotIndex) : undefined;
  }

  protected possible(m: Readonly<Model>) {
    const run = this.deciding(m as Model);
    if (!run) return false;
    return this.decision !== 'cancel' || run.cancelRequested;
  }

  toString() {
    return this.describe(this.pin ?? `slot#${this.slotIndex}`, `slot#${this.other}`);
  }

  private describe(run: string, other: string) {
    const options = [
      this.childPolicy ? `childPolicy ${this.childPolicy}` : '',
      this.decision.startsWith('child') ? `type default ${this.typeDefault}` : '',
      this.decision.startsWith('cancel-external') ? `of ${other}` : '',
    ].filter(Boolean);
    return `RespondDecisionTaskCompleted ${run}: ${this.decision}${options.length ? ` (${options.join(', ')})` : ''}`;
  }

  private decisions(side: Side, child: string, sibling: string, external: string): Decision[] {
    const cancelExternal: Decision = {
      decisionType: 'RequestCancelExternalWorkflowExecution',
      requestCancelExternalWorkflowExecutionDecisionAttributes: { workflowId: side.workflowId(external) },
    };
    switch (this.decision) {
      case 'complete':
        return [{ decisionType: 'CompleteWorkflowExecution' }];
      case 'fail':
        return [
          { decisionType: 'FailWorkflowExecution', failWorkflowExecutionDecisionAttributes: { reason: 'failed by swf-conformance' } },
        ];
      case 'cancel':
        return [{ decisionType: 'CancelWorkflowExecution' }];
      case 'continue':
        return [
          {
            decisionType: 'ContinueAsNewWorkflowExecution',
            continueAsNewWorkflowExecutionDecisionAttributes: this.childPolicy ? { childPolicy: this.childPolicy } : {},
          },
        ];
      case 'child':
        return [
          side.swf.childDecision(side.workflowId(child), {
            ...(this.childPolicy ? { childPolicy: this.childPolicy } : {}),
            typeDefault: this.typeDefault,
          }),
        ];
      case 'children':
        return [child, sibling].map((id) =>
          side.swf.childDecision(side.workflowId(id), {
            ...(this.childPolicy ? { childPolicy: this.childPolicy } : {}),
            typeDefault: this.typeDefault,
          }),
        );
      case 'cancel-external':
        return [cancelExternal];
      case 'cancel-external-then-complete':
        return [cancelExternal, { decisionType: 'CompleteWorkflowExecution' }];
      case 'none':
        return [];
    }
  }

  protected async act(m: Model, pair: Pair) {
    const run = this.deciding(m)!;
    const held = m.held.has(run.key);
    const child = `k${m.children}`;
    const sibling = `k${m.children + 1}`;
    const external = pick(
      slots(m).filter((s) => s !== run.slot),
      this.other,
    );
    const respond = async (side: Side): Promise<string> => {
      const execution = side.run(run.key)!;
      let token = side.held.get(run.key);
      side.held.delete(run.key);
      if (!token) token = (await side.swf.poll(execution)).taskToken;
      if (!token) return 'no decision task';
      if (this.decision === 'child' || this.decision === 'children')
        side.swf.ledger.intend({ domain: side.swf.domain, workflowId: side.workflowId(child) });
      if (this.decision === 'children') side.swf.ledger.intend({ domain: side.swf.domain, workflowId: side.workflowId(sibling) });
      if (this.decision === 'continue') side.swf.ledger.intend({ domain: side.swf.domain, workflowId: execution.workflowId });
      const res = await side.swf.raw.send({
        operation: 'RespondDecisionTaskCompleted',
        body: { taskToken: token, decisions: this.decisions(side, child, sibling, external) },
      });
      return Side.answer(res);
    };
    const answers = (await Promise.all([pair.target, pair.reference].map((side) => answerOf(side, () => respond(side))))) as [
      string,
      string,
    ];
    m.held.delete(run.key);
    if (this.decision === 'child') m.children += 1;
    if (this.decision === 'children') m.children += 2;
    const target = latestRun(m, external);
    const facts: Facts = {
      kind: 'decide',
      run: run.key,
      decision: this.decision,
      late: held && run.status !== 'OPEN',
      ...(target ? { external: target.key } : {}),
    };
    return { facts, label: this.describe(`${run.key}${held ? ' (the task taken)' : ''}`, external), answers };
  }
}

/** Polls a run's decision task and holds it unanswered: the task is started, out at a decider. */
export class Take extends Step {
  constructor(
    readonly slotIndex: number,
    /** The slot whose task a scene takes; else one chosen by index. */
    readonly pin?: string,
  ) {
    super();
  }
  private taskRun(m: Readonly<Model>) {
    const c = m.runs.filter((r) => taskState(r) === 'scheduled' && !m.held.has(r.key) && (!this.pin || r.slot === this.pin));
    return c.length ? pick(c, this.slotIndex) : undefined;
  }
  protected possible(m: Readonly<Model>) {
    return this.taskRun(m) !== undefined;
  }
  toString() {
    return `PollForDecisionTask ${this.pin ?? `run#${this.slotIndex}`}, held unanswered`;
  }
  protected async act(m: Model, pair: Pair) {
    const run = this.taskRun(m)!;
    const take = async (side: Side) => {
      const token = (await side.swf.poll(side.run(run.key)!)).taskToken;
      if (token) side.held.set(run.key, token);
      return token ? 'a task' : 'no task';
    };
    const answers = (await Promise.all([pair.target, pair.reference].map((side) => answerOf(side, () => take(side))))) as [string, string];
    m.held.add(run.key);
    return {
      facts: { kind: 'take', slot: run.slot, run: run.key } as const,
      label: `PollForDecisionTask ${run.key}, held unanswered`,
      answers,
    };
  }
}

/** Polls the task list of a run with no task to hand out (closed, or with none scheduled): nothing may come. */
class Poll extends Step {
  constructor(readonly slotIndex: number) {
    super();
  }
  /** The latest run of a slot, with no task to hand out. */
  private taskRun(m: Readonly<Model>) {
    const c = slots(m as Model)
      .map((s) => latestRun(m as Model, s))
      .filter((r): r is RunView => r !== undefined && taskState(r) === 'none' && !m.held.has(r.key));
    return c.length ? pick(c, this.slotIndex) : undefined;
  }
  protected possible(m: Readonly<Model>) {
    return m.emptyPolls && this.taskRun(m) !== undefined;
  }
  toString() {
    return `PollForDecisionTask run#${this.slotIndex} (none to hand out)`;
  }
  protected async act(m: Model, pair: Pair) {
    const run = this.taskRun(m)!;
    const poll = async (side: Side) => {
      const task = await side.swf.poll(side.run(run.key)!);
      return task.taskToken ? `a task of ${String(side.normalise(task.workflowExecution?.runId))}` : 'no task';
    };
    const answers = (await Promise.all([pair.target, pair.reference].map((side) => answerOf(side, () => poll(side))))) as [string, string];
    return {
      facts: { kind: 'poll', slot: run.slot, run: run.key } as const,
      label: `PollForDecisionTask ${run.key} (none to hand out)`,
      answers,
    };
  }
}

/** Lists and counts a slot's executions, open and closed. */
export class Read extends Step {
  constructor(readonly slotIndex: number) {
    super();
  }
  private slot(m: Readonly<Model>) {
    const c = slots(m as Model).filter((s) => runsOf(m as Model, s).length);
    return c.length ? pick(c, this.slotIndex) : undefined;
  }
  protected possible(m: Readonly<Model>) {
    return this.slot(m) !== undefined;
  }
  toString() {
    return `List/Count slot#${this.slotIndex}`;
  }
  protected async act(m: Model) {
    const slot = this.slot(m)!;
    return { facts: { kind: 'read', slot } as const, label: `ListOpen/ListClosed/CountOpen ${slot}`, listings: true };
  }
}

const policy = () => fc.constantFrom(...childPolicies());
const maybePolicy = () => fc.option(policy(), { nil: undefined, freq: 2 });
const textValue = fc.constantFrom<TextValue>('none', 'empty', 'text', 'max', 'astral', 'mixed');

/** The commands a sequence is made of, weighted towards the two operations under test. */
export function commandArbitraries(): fc.Arbitrary<fc.AsyncCommand<Model, Pair>>[] {
  const slotIndex = fc.nat({ max: 15 });
  const start = fc
    .tuple(fc.nat({ max: 2 }), fc.constantFrom<ChildPolicy | 'none'>(...childPolicies(), 'none'), maybePolicy())
    .map(([r, t, p]) => new Start(r, t, p));
  const act = (operation: 'cancel' | 'terminate') =>
    fc
      .tuple(
        slotIndex,
        fc.constantFrom<RunForm>('omitted', 'omitted', 'current', 'current', 'empty', 'closed', 'foreign', 'truncated', 'other-case'),
        operation === 'terminate' ? maybePolicy() : fc.constant(undefined),
        operation === 'terminate' ? textValue : fc.constant<TextValue>('none'),
        operation === 'terminate' ? textValue : fc.constant<TextValue>('none'),
        fc.nat({ max: 5 }),
      )
      .map(([s, f, p, r, d, o]) => new Act(operation, s, f, p, r, d, o));
  const decide = fc
    .tuple(
      slotIndex,
      fc.constantFrom<DecisionKind>(
        'child',
        'children',
        'children',
        'complete',
        'fail',
        'cancel',
        'continue',
        'cancel-external',
        'cancel-external-then-complete',
        'none',
        'none',
      ),
      maybePolicy(),
      policy(),
      fc.nat({ max: 5 }),
    )
    .map(([s, d, p, t, o]) => new Decide(s, d, p, t, o));
  return [
    start,
    start,
    act('cancel'),
    act('cancel'),
    act('cancel'),
    act('terminate'),
    act('terminate'),
    act('terminate'),
    decide,
    decide,
    decide,
    decide,
    slotIndex.map((s) => new Take(s)),
    slotIndex.map((s) => new Poll(s)),
    slotIndex.map((s) => new Read(s)),
  ];
}
