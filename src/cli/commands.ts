/**
 * The CLI's commands and their options. Each command's work is loaded only when it runs, so that
 * `--help`, `--version` and a usage error answer without loading vitest, testcontainers or the
 * AWS SDK.
 */
import type { Command } from 'commander';
import { LONG_POLL_MS } from '../contract/protocol.ts';
import { integerOption, secondsOption } from './options.ts';
import type { CleanupOptions } from './cleanup.ts';
import type { ReplayCliOptions } from './replay.ts';
import type { DiffCliOptions } from './diff.ts';
import type { MergeOptions } from './merge.ts';
import type { MatrixOptions } from './matrix.ts';
import type { RunOptions } from './run-options.ts';
import { RUN_FLAGS, type RunFlag } from './run-flags.ts';
import { IGNORABLE } from '../recordings/difference.ts';
import type { ServeOptions } from './serve.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** A flag of the run's table (run-flags.ts) as commander's option. */
function addRunFlag(command: Command, f: RunFlag): void {
  const name = f.flags.split(' ')[0]!;
  if (f.kind === 'strings') command.option(f.flags, f.help, collect, []);
  else if (f.kind === 'integer') command.option(f.flags, f.help, integerOption(name, ...f.range!));
  else if (f.kind === 'seconds') command.option(f.flags, f.help, secondsOption(name, ...f.range!));
  else if (f.default !== undefined) command.option(f.flags, f.help, f.default);
  else command.option(f.flags, f.help);
}

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
  const run = program
    .command('run')
    .description('run the battery against the embedded reference (default) or an endpoint, and write the conformance report');
  for (const flag of RUN_FLAGS as readonly RunFlag[]) addRunFlag(run, flag);
  run.addHelpText('after', RUN_HELP_END).action(async (opts: RunOptions) => setExit(await (await import('./run.ts')).run(opts)));

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
