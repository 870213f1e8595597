import type { ExpectationsFile } from '../generated/types.ts';
import type { RunSettings } from '../harness/config.ts';
import type { FlagField, RUN_FLAGS } from './run-flags.ts';

/**
 * The options of `swf-conformance run`, as commander gives them from the flags of run-flags.ts:
 * the compiler holds the two to each other (RunOptionsAreTheFlags below).
 */
export interface RunOptions {
  /** PEM certificates to trust for an HTTPS endpoint (--ca-bundle). */
  caBundle?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  grep?: string;
  /** Exact test names, as `list` prints them (repeatable). */
  test: string[];
  clause: string[];
  tags: string[];
  strict?: boolean;
  strictExpectations?: boolean;
  /** false with --no-rerun: a new failure is charged without being run once more. */
  rerun?: boolean;
  /** --last-failed: the tests that failed in the report folder's last report. */
  lastFailed?: boolean;
  /** --concurrency: files at once, and tests at once within a file. */
  concurrency?: number;
  expect?: string;
  updateExpectations?: string;
  /** With --update-expectations: the implementation's name and version. */
  implementation?: string;
  report: string;
  reporter: string[];
  domain?: string;
  image?: string;
  preset?: string;
  port?: number;
  env: string[];
  waitPath?: string;
  startupTimeout?: number;
  consistencyWindow?: number;
  seed?: number;
  modelRuns?: number;
  /** `--record [file]`: true for the report folder's recording.har. */
  record?: string | boolean;
  baseline?: string;
  ignore: string[];
  /** `i/n`: run the i-th of n shards of the battery's files (vitest's sharding). */
  shard?: string;
}

/** What the checked options come to: the settings, the expectation file, the tag filter. */
export interface Plan {
  settings: RunSettings;
  expectations?: { file: string; content: ExpectationsFile };
  tagsFilter: string[];
  /** Where the run's recording goes, with --record or --baseline. */
  recordFile?: string;
  /** vitest's testNamePattern, from --grep or --test. */
  namePattern?: string;
  /** With --shard. */
  shard?: { index: number; count: number };
}

/** Compiles only while every field of RunOptions is filled by a flag of RUN_FLAGS, and every flag fills one. */
type Fields = FlagField<(typeof RUN_FLAGS)[number]['flags']>;
export type RunOptionsAreTheFlags = Same<keyof RunOptions, Fields>;
type Same<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never]
  ? true
  : { onlyInRunOptions: Exclude<A, B>; onlyInFlags: Exclude<B, A> };
const _check: RunOptionsAreTheFlags = true;
void _check;
