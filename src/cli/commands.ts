/**
 * The CLI's commands and their options. Each command's work is loaded only when it runs, so that
 * `--help`, `--version` and a usage error answer without loading vitest, testcontainers or the
 * AWS SDK.
 */
import type { Command } from 'commander';
import { LONG_POLL_MS } from '../contract/protocol.ts';
import { presets } from '../targets/presets.ts';
import { DEFAULT_MODEL_RUNS } from '../harness/config.ts';
import { integerOption, secondsOption } from './options.ts';
import type { CleanupOptions } from './cleanup.ts';
import type { ReplayCliOptions } from './replay.ts';
import type { DiffCliOptions } from './diff.ts';
import type { MergeOptions } from './merge.ts';
import type { MatrixOptions } from './matrix.ts';
import { IGNORABLE } from '../recordings/diff.ts';
import type { RunOptions } from './run-options.ts';
import type { ServeOptions } from './serve.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** What `run --help` ends with: the exit codes, and three examples. */
const RUN_HELP_END = `
Exit codes:
  0         conformant (to the expectation file, when one is given)
  1         not conformant: a gating clause failed, or an unexpected pass under --strict-expectations
  2         could not run, or incomplete (a bad option, an unreachable target, a run that tested nothing)
  130, 143  interrupted by SIGINT (Ctrl-C) or SIGTERM, after the executions it started were terminated

Examples:
  swf-conformance run
      the whole battery against the embedded reference
  swf-conformance run --endpoint http://127.0.0.1:5000 --expect moto --report ./report
      moto_server, gated on the expectation file the suite ships for it
  swf-conformance run --endpoint http://127.0.0.1:5000 --expect moto --last-failed --concurrency 1
      only what failed last time, one test at a time
`;

/** Adds every command to the program; `setExit` receives the exit code of those that end. */
export function addCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run the battery against the embedded reference (default) or an endpoint, and write the conformance report')
    .option('--endpoint <url>', 'SWF endpoint to check (default: AWS_ENDPOINT_URL_SWF, else the embedded reference)')
    .option('--region <name>', 'AWS region (default: AWS_REGION, else us-east-1)')
    .option('--profile <name>', 'AWS profile for credentials (default: the default credential chain)')
    .option(
      '--ca-bundle <file>',
      "PEM certificates to trust for an HTTPS endpoint, besides the system's (default: AWS_CA_BUNDLE, else the profile's ca_bundle)",
    )
    .option('--domain <name>', 'the domain the suite reuses (default: swf-conformance)')
    .option(
      '--grep <pattern>',
      'run only tests whose name matches this regular expression (" > " between describe blocks, as list prints names, is understood)',
    )
    .option('--test <name>', 'run only the test of this exact name, as list prints it, with or without its file (repeatable)', collect, [])
    .option('--clause <id>', 'run only the tests of this clause (repeatable)', collect, [])
    .option(
      '--tags <expr>',
      'run only tests matching this tag expression: a grade, a concern or clause:<id>, with && || ! (repeatable)',
      collect,
      [],
    )
    .option('--strict', 'failures of inferred clauses fail the run')
    .option(
      '--expect <file>',
      'expectation file: known failures of the implementation under test; or the name of one the suite ships (moto, localstack, fakecloud, and the newest releases: moto-5.2.5, localstack-2026.3.0)',
    )
    .option('--strict-expectations', 'an unexpected pass fails the run')
    .option(
      '--last-failed',
      "run only the tests that failed (or were flaky) in the report folder's last report, as pytest --lf does; the whole battery when it has none",
    )
    .option(
      '--concurrency <n>',
      'how many test files run at once, and how many tests at once within a file (default: 4 files against an endpoint, 1 against the embedded reference; tests of a file 5 at a time); 1 runs one test at a time, for an emulator that races under load',
      integerOption('--concurrency', 1, 64),
    )
    .option(
      '--no-rerun',
      'charge a new failure at once: by default each test that fails, and is not a known failure, runs once more, and one that then passes is reported as flaky, neither a pass nor a failure',
    )
    .option('--update-expectations <file>', "write an expectation file from this run's failures (exit 0 once written)")
    .option(
      '--implementation <name>',
      "the implementation under test, with its version, e.g. \"moto 5.2.1\": the report and swf-conformance matrix name it, --update-expectations writes it, and a run warns when the expectation file was made against another version (default: what the target's health endpoint says, as LocalStack's and the reference's do; else the expectation file's)",
    )
    .option('--report <dir>', 'where the reports go', './swf-conformance-report')
    .option(
      '--reporter <name>',
      'add a vitest reporter (junit, json, verbose, dot, tap); file output goes in the report folder (repeatable)',
      collect,
      [],
    )
    .option('--image <name>', 'start this emulator image with testcontainers and run against it (needs a Docker engine)')
    .option('--preset <name>', `a known emulator image and its settings: ${Object.keys(presets).join(', ')}`)
    .option('--port <n>', "the emulator's port inside the container (default: the preset's, else 5000)", integerOption('--port', 1, 65535))
    .option('--env <K=V>', 'an environment variable for the container (repeatable)', collect, [])
    .option('--wait-path <path>', 'an HTTP path that answers once the emulator is ready (default: any HTTP answer)')
    .option(
      '--consistency-window <seconds>',
      'how long a read the contract lets lag is retried (default: 30 for an endpoint, 2 for the embedded reference)',
      secondsOption('--consistency-window', 0, 600),
    )
    .option(
      '--startup-timeout <s>',
      "seconds to wait for the target to become ready: an --image emulator (default 60), or an --endpoint's first answer, which an emulator that loads its services on first use can take a while to give (default 30)",
      integerOption('--startup-timeout', 1, 3600),
    )
    .option(
      '--seed <n>',
      "the model-based run's seed: the report prints it, and the same seed replays the same sequences (default: random)",
      integerOption('--seed', -2147483648, 2147483647),
    )
    .option(
      '--model-runs <n>',
      `how many command sequences the model-based run compares with the reference (default: ${DEFAULT_MODEL_RUNS}; 0 turns it off)`,
      integerOption('--model-runs', 0, 100000),
    )
    .option(
      '--record [file]',
      'record every exchange of the battery, normalised, as HAR, gzipped when the name ends in .gz (default: recording.har.gz in the report folder)',
    )
    .option(
      '--baseline <file>',
      'record, then diff the recording with this baseline recording: the report gains "changed since the baseline", and diff.md, diff.html, diff.json go in the report folder',
    )
    .option(
      '--shard <i/n>',
      "run the i-th of n shards of the battery (vitest's sharding, by file); swf-conformance merge makes one report of the shards",
    )
    .option(
      '--ignore <what>',
      `with --baseline: leave out a kind of difference (${Object.keys(IGNORABLE).join(', ')}; repeatable)`,
      collect,
      [],
    )
    .addHelpText('after', RUN_HELP_END)
    .action(async (opts: RunOptions) => setExit(await (await import('./run.ts')).run(opts)));

  program
    .command('matrix')
    .description(
      'one Markdown table and one HTML page of clauses × implementations, from conformance reports (report folders or conformance.json files)',
    )
    .argument('<reports...>', 'report folders, or conformance.json files')
    .option('--out <dir>', 'where matrix.md and matrix.html go', './swf-conformance-matrix')
    .action(async (reports: string[], opts: MatrixOptions) => setExit(await (await import('./matrix.ts')).matrix(reports, opts)));

  program
    .command('merge')
    .description(
      "make one report from the report folders of a run's shards (run --shard i/n): every clause judged over all its tests, the recordings merged too",
    )
    .argument('<dirs...>', "the shards' report folders")
    .option('--report <dir>', 'where the merged reports go', './swf-conformance-report')
    .action(async (dirs: string[], opts: MergeOptions) => setExit(await (await import('./merge.ts')).merge(dirs, opts)));

  program
    .command('diff')
    .description(
      'compare two recordings (run --record, or fixtures/recordings/) test by test and exchange by exchange; exit 0 when they agree, 1 when they differ',
    )
    .argument('<a>', 'the first recording (the baseline)')
    .argument('<b>', 'the second recording')
    .option('--out <dir>', 'where diff.json, diff.md and diff.html go', './swf-conformance-diff')
    .option('--ignore <what>', `leave out a kind of difference: ${Object.keys(IGNORABLE).join(', ')} (repeatable)`, collect, [])
    .option('--tolerance <ms>', 'convergence times closer than this agree', integerOption('--tolerance', 0, 3_600_000), 1000)
    .option('--json', 'print the diff as JSON instead of the summary')
    .action(async (a: string, b: string, opts: DiffCliOptions) => setExit(await (await import('./diff.ts')).diffCommand(a, b, opts)));

  program
    .command('serve')
    .description('run the embedded reference SWF as a standalone emulator')
    .option('--port <n>', 'port to listen on (0 picks a free one)', integerOption('--port', 0, 65535), 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--config <file>',
      'reference options, JSON or YAML (schemas/reference-config.schema.json; fixtures/reference-config.example.yaml explains each): port, host, region, accountId, auth.credentials (more credentials to accept, with principals), policy (who may call what, where), pollTimeoutMs, latencyMs, throttling, timing (visibility, history, child start and child policy lags), deviate; SWF_CONFORMANCE_REFERENCE_CONFIG may carry the same as JSON',
    )
    .option('--poll-timeout <ms>', 'how long PollForDecisionTask waits for a task', integerOption('--poll-timeout', 1, LONG_POLL_MS))
    .option('--latency <ms>', 'delay added before every answer', integerOption('--latency', 0, 60_000))
    .option('--throttling', "token buckets per API, of AWS's sizes")
    .option(
      '--deviate <name>',
      'switch on a deviation from the contract, to see the battery catch it (repeatable; see swf-conformance deviations)',
      collect,
      [],
    )
    .option(
      '--auth <on|off>',
      "on: verify SigV4 for access key test (secret test) and the config's credentials, refusing others as AWS does; off: accept any",
      'on',
    )
    .option(
      '--region <name>',
      "the region served: ARNs name it, and a request signed for another is refused (default: the config's, else AWS_REGION, else us-east-1)",
    )
    .option(
      '--tls',
      'serve HTTPS with a certificate made at start for 127.0.0.1 and localhost; clients trust it with AWS_CA_BUNDLE or --ca-bundle',
    )
    .option(
      '--tls-dir <dir>',
      'where --tls writes the certificate (ca.pem) for clients to trust (default: a new temporary folder, removed on exit)',
    )
    .action(async (opts: ServeOptions) => (await import('./serve.ts')).serve(opts));

  program
    .command('replay')
    .description(
      'replay recordings against the embedded reference (default) or an endpoint, and print every difference: the given files (run --record recordings, or HAR files in the format of fixtures/recordings/), else the recordings of real AWS traffic in fixtures/recordings/aws/',
    )
    .argument('[files...]', 'recording files to replay (default: fixtures/recordings/aws/)')
    .option('--grep <pattern>', 'with a run recording: replay only the tests whose name matches')
    .option('--endpoint <url>', 'SWF endpoint to replay against (default: AWS_ENDPOINT_URL_SWF, else the embedded reference)')
    .option('--region <name>', 'AWS region (default: AWS_REGION, else us-east-1)')
    .option('--profile <name>', 'AWS profile for credentials (default: the default credential chain)')
    .option(
      '--ca-bundle <file>',
      "PEM certificates to trust for an HTTPS endpoint, besides the system's (default: AWS_CA_BUNDLE, else the profile's ca_bundle)",
    )
    .option('--domain <name>', 'the domain the replays run in (registered when missing)', 'swf-conformance-replay')
    .option('--recording <name>', 'replay only this recording (repeatable)', collect, [])
    .option('--json', 'print the differences as JSON')
    .action(async (files: string[], opts: ReplayCliOptions) =>
      setExit(await (await import('./replay.ts')).replayCommand({ ...opts, files })),
    );

  program
    .command('list')
    .description('print the clauses of spec/ with their grades, and the file:line of each test that checks them')
    .option('--json', 'print the same as JSON')
    .action(async (opts: { json?: boolean }) => (await import('./list.ts')).list(opts));

  program
    .command('cleanup')
    .description('terminate the executions an interrupted run left open, from its ledger')
    .requiredOption('--ledger <file>', 'the ledger the interrupted run named')
    .option('--endpoint <url>', 'the endpoint to use instead of the one the ledger names')
    .option('--region <name>', 'the region to use instead of the one the ledger names')
    .option('--profile <name>', 'AWS profile for credentials (default: the default credential chain)')
    .option(
      '--ca-bundle <file>',
      "PEM certificates to trust for an HTTPS endpoint, besides the system's (default: AWS_CA_BUNDLE, else the profile's ca_bundle)",
    )
    .action(async (opts: CleanupOptions) => setExit(await (await import('./cleanup.ts')).cleanup(opts)));

  program
    .command('deviations')
    .description('list the deviations the reference can be switched into (serve --deviate NAME), with the clauses each breaks')
    .option('--json', 'print the same as JSON')
    .action(async (opts: { json?: boolean }) => (await import('./deviations.ts')).deviations(opts));
}
