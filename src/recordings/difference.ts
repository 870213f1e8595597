/**
 * What a comparison found, in one shape for every comparison the project makes: `diff` of two run
 * recordings (A is what is expected, B what is found), the replay of a run recording and of a
 * recording of real AWS traffic (the recording is expected, the target's answer found), and the
 * model-based run (the reference's answer is expected, the target's found).
 */
export interface Difference {
  /** Where: a JSON path into an answer (`response.$.events[3].eventType`), or a part of the exchange (`status`, `request`, `headers.content-type`), or an observation of the model. */
  at: string;
  /** What the recording (A, the baseline, the reference) has; absent where it has nothing there. */
  expected?: unknown;
  /** What the target (B) has; absent where it has nothing there. */
  actual?: unknown;
  /** What kind of difference, where the comparison sorts them (`diff`, the replay of a run recording). */
  kind?: DiffKind;
  /** The test it was found in, and that test's clauses; a model difference names the one clause it is charged to. */
  test?: string;
  clauses?: string[];
  /** The exchange's place in its test, from 1. */
  exchange?: number;
  operation?: string;
  /** The step, as a person reads it (a replay of an AWS recording, the model-based run). */
  step?: string;
}

export const DIFF_KINDS = [
  'test-added',
  'test-removed',
  'exchange-added',
  'exchange-removed',
  'operation',
  'request',
  'status',
  'fault',
  'message',
  'header',
  'member-added',
  'member-removed',
  'member-changed',
  'events',
  'convergence',
  // A replay could not send it as recorded (a principal it was not given).
  'not-replayed',
] as const;
export type DiffKind = (typeof DIFF_KINDS)[number];

/** A difference between two run recordings, or a run recording and its replay: its test, clauses and kind are always named. */
export type TestDifference = Difference & { test: string; clauses: string[]; kind: DiffKind };

/** What `--ignore` can leave out: a kind, or a group of them. */
export const IGNORABLE: Record<string, DiffKind[]> = {
  message: ['message'],
  convergence: ['convergence'],
  headers: ['header'],
  request: ['request'],
  events: ['events'],
  members: ['member-added', 'member-removed', 'member-changed'],
  'member-added': ['member-added'],
  'member-removed': ['member-removed'],
  'member-changed': ['member-changed'],
  fault: ['fault'],
  status: ['status'],
  tests: ['test-added', 'test-removed'],
};
