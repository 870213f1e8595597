/**
 * Every flag of `swf-conformance run`, declared once: commander's option (commands.ts), the field
 * of RunOptions it fills (checked by the compiler in run-options.ts), the option of the
 * programmatic runConformance (lib/index.js reads lib/run-flags.json, which `npm run generate`
 * writes from this table) and the row of docs/cli.md (test/cli/flags-documented.test.ts).
 */
import { CONSISTENCY_WINDOW_SECONDS, DEFAULT_MODEL_RUNS, MODEL_RUNS_RANGE, SEED_RANGE } from '../harness/config.ts';
import { IGNORABLE } from '../recordings/difference.ts';
import { presets } from '../targets/presets.ts';

/**
 * How a flag's value is read: a text, a switch (`--no-x` turns one off), a repeatable text, a
 * whole number or a number of seconds within a range, or a file name that may be left out.
 */
export type FlagKind = 'string' | 'boolean' | 'strings' | 'integer' | 'seconds' | 'string-or-true';

export interface RunFlag {
  /** As commander takes it: `--endpoint <url>`, `--no-rerun`, `--record [file]`. */
  flags: string;
  help: string;
  kind: FlagKind;
  /** The bounds of an integer or a number of seconds. */
  range?: readonly [number, number];
  default?: string;
  /**
   * The option of runConformance that gives this flag, with its kind there: a record of strings
   * becomes the flag once per entry (`--env K=V`). None: the flag is the CLI's alone.
   */
  api?: { name: string; kind: 'string' | 'integer' | 'number' | 'boolean' | 'strings' | 'record' | 'string-or-true' };
}

export const RUN_FLAGS = [
  {
    flags: '--endpoint <url>',
    help: 'SWF endpoint to check (default: AWS_ENDPOINT_URL_SWF, else the embedded reference)',
    kind: 'string',
    api: { name: 'endpoint', kind: 'string' },
  },
  {
    flags: '--region <name>',
    help: 'AWS region (default: AWS_REGION, else us-east-1)',
    kind: 'string',
    api: { name: 'region', kind: 'string' },
  },
  {
    flags: '--profile <name>',
    help: 'AWS profile for credentials (default: the default credential chain)',
    kind: 'string',
    api: { name: 'profile', kind: 'string' },
  },
  {
    flags: '--ca-bundle <file>',
    help: "PEM certificates to trust for an HTTPS endpoint, besides the system's (default: AWS_CA_BUNDLE, else the profile's ca_bundle)",
    kind: 'string',
    api: { name: 'caBundle', kind: 'string' },
  },
  {
    flags: '--domain <name>',
    help: 'the domain the suite reuses (default: swf-conformance)',
    kind: 'string',
    api: { name: 'domain', kind: 'string' },
  },
  {
    flags: '--grep <pattern>',
    help: 'run only tests whose name matches this regular expression (" > " between describe blocks, as list prints names, is understood)',
    kind: 'string',
    api: { name: 'grep', kind: 'string' },
  },
  {
    flags: '--test <name>',
    help: 'run only the test of this exact name, as list prints it, with or without its file (repeatable)',
    kind: 'strings',
    api: { name: 'tests', kind: 'strings' },
  },
  {
    flags: '--clause <id>',
    help: 'run only the tests of this clause (repeatable)',
    kind: 'strings',
    api: { name: 'clauses', kind: 'strings' },
  },
  {
    flags: '--tags <expr>',
    help: 'run only tests matching this tag expression: a grade, a concern or clause:<id>, with && || ! (repeatable)',
    kind: 'strings',
    api: { name: 'tags', kind: 'strings' },
  },
  { flags: '--strict', help: 'failures of inferred clauses fail the run', kind: 'boolean', api: { name: 'strict', kind: 'boolean' } },
  {
    flags: '--expect <file>',
    help: 'expectation file: known failures of the implementation under test; or the name of one the suite ships (moto, localstack, fakecloud, and the newest releases: moto-5.2.5, localstack-2026.3.0)',
    kind: 'string',
    api: { name: 'expect', kind: 'string' },
  },
  {
    flags: '--strict-expectations',
    help: 'an unexpected pass fails the run',
    kind: 'boolean',
    api: { name: 'strictExpectations', kind: 'boolean' },
  },
  {
    flags: '--last-failed',
    help: "run only the tests that failed (or were flaky) in the report folder's last report, as pytest --lf does; the whole battery when it has none",
    kind: 'boolean',
    api: { name: 'lastFailed', kind: 'boolean' },
  },
  {
    flags: '--concurrency <n>',
    help: 'how many test files run at once, and how many tests at once within a file (default: 4 files against an endpoint, 1 against the embedded reference; tests of a file 5 at a time); 1 runs one test at a time, for an emulator that races under load',
    kind: 'integer',
    range: [1, 64],
    api: { name: 'concurrency', kind: 'integer' },
  },
  {
    flags: '--no-rerun',
    help: 'charge a new failure at once: by default each test that fails, and is not a known failure, runs once more, and one that then passes is reported as flaky, neither a pass nor a failure',
    kind: 'boolean',
    api: { name: 'noRerun', kind: 'boolean' },
  },
  {
    flags: '--update-expectations <file>',
    help: "write an expectation file from this run's failures (exit 0 once written)",
    kind: 'string',
    api: { name: 'updateExpectations', kind: 'string' },
  },
  {
    flags: '--implementation <name>',
    help: "the implementation under test, with its version, e.g. \"moto 5.2.1\": the report and swf-conformance matrix name it, --update-expectations writes it, and a run warns when the expectation file was made against another version (default: what the target's health endpoint says, as LocalStack's and the reference's do; else the expectation file's)",
    kind: 'string',
    api: { name: 'implementation', kind: 'string' },
  },
  // The programmatic run makes a folder of its own unless given one (reportDir, lib/index.js).
  { flags: '--report <dir>', help: 'where the reports go', kind: 'string', default: './swf-conformance-report' },
  {
    flags: '--reporter <name>',
    help: 'add a vitest reporter (junit, json, verbose, dot, tap); file output goes in the report folder (repeatable)',
    kind: 'strings',
    api: { name: 'reporters', kind: 'strings' },
  },
  {
    flags: '--image <name>',
    help: 'start this emulator image with testcontainers and run against it (needs a Docker engine)',
    kind: 'string',
    api: { name: 'image', kind: 'string' },
  },
  {
    flags: '--preset <name>',
    help: `a known emulator image and its settings: ${Object.keys(presets).join(', ')}`,
    kind: 'string',
    api: { name: 'preset', kind: 'string' },
  },
  {
    flags: '--port <n>',
    help: "the emulator's port inside the container (default: the preset's, else 5000)",
    kind: 'integer',
    range: [1, 65535],
    api: { name: 'port', kind: 'integer' },
  },
  {
    flags: '--env <K=V>',
    help: 'an environment variable for the container (repeatable)',
    kind: 'strings',
    api: { name: 'env', kind: 'record' },
  },
  {
    flags: '--wait-path <path>',
    help: 'an HTTP path that answers once the emulator is ready (default: any HTTP answer)',
    kind: 'string',
    api: { name: 'waitPath', kind: 'string' },
  },
  {
    flags: '--consistency-window <seconds>',
    help: 'how long a read the contract lets lag is retried (default: 30 for an endpoint, 2 for the embedded reference)',
    kind: 'seconds',
    range: CONSISTENCY_WINDOW_SECONDS,
    api: { name: 'consistencyWindowSeconds', kind: 'number' },
  },
  {
    flags: '--startup-timeout <s>',
    help: "seconds to wait for the target to become ready: an --image emulator (default 60), or an --endpoint's first answer, which an emulator that loads its services on first use can take a while to give (default 30)",
    kind: 'integer',
    range: [1, 3600],
    api: { name: 'startupTimeoutSeconds', kind: 'integer' },
  },
  {
    flags: '--seed <n>',
    help: "the model-based run's seed: the report prints it, and the same seed replays the same sequences (default: random)",
    kind: 'integer',
    range: SEED_RANGE,
    api: { name: 'seed', kind: 'integer' },
  },
  {
    flags: '--model-runs <n>',
    help: `how many command sequences the model-based run compares with the reference (default: ${DEFAULT_MODEL_RUNS}; 0 turns it off)`,
    kind: 'integer',
    range: MODEL_RUNS_RANGE,
    api: { name: 'modelRuns', kind: 'integer' },
  },
  {
    flags: '--record [file]',
    help: 'record every exchange of the battery, normalised, as HAR, gzipped when the name ends in .gz (default: recording.har.gz in the report folder)',
    kind: 'string-or-true',
    api: { name: 'record', kind: 'string-or-true' },
  },
  {
    flags: '--baseline <file>',
    help: 'record, then diff the recording with this baseline recording: the report gains "changed since the baseline", and diff.md, diff.html, diff.json go in the report folder',
    kind: 'string',
    api: { name: 'baseline', kind: 'string' },
  },
  {
    flags: '--shard <i/n>',
    help: "run the i-th of n shards of the battery (vitest's sharding, by file); swf-conformance merge makes one report of the shards",
    kind: 'string',
    api: { name: 'shard', kind: 'string' },
  },
  {
    flags: '--ignore <what>',
    help: `with --baseline: leave out a kind of difference (${Object.keys(IGNORABLE).join(', ')}; repeatable)`,
    kind: 'strings',
    api: { name: 'ignore', kind: 'strings' },
  },
] as const satisfies readonly RunFlag[];

/** The RunOptions field a flag fills, as commander names it: `--no-rerun` fills `rerun`, `--ca-bundle` `caBundle`. */
export type FlagField<F extends string> = F extends `--no-${infer N}` ? Camel<Word<N>> : F extends `--${infer N}` ? Camel<Word<N>> : never;
type Word<S extends string> = S extends `${infer W} ${string}` ? W : S;
type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

/** What lib/run-flags.json holds of each flag: runConformance's option, its kind there, and the flag it becomes. */
export function apiTable(): { option: string; kind: string; flag: string }[] {
  return RUN_FLAGS.flatMap((f: RunFlag) =>
    f.api ? [{ option: f.api.name, kind: f.api.kind, flag: f.flags.split(' ')[0]!.replace(/^--/, '') }] : [],
  );
}
