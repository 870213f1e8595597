import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { createVitest, type Vitest } from 'vitest/node';
import { stringify } from 'yaml';
import type { ExpectationsFile } from '../generated/types.ts';
import { projectRoot } from '../contract/paths.ts';
import { spec } from '../contract/spec.ts';
import { clauseTag } from '../harness/clauses.ts';
import { ConfigError, isRegionName } from '../harness/config.ts';
import { TargetError } from '../harness/prepare.ts';
import { openTarget, prepareTarget, type OpenedTarget } from '../harness/target.ts';
import { referencePrincipals } from '../harness/principals.ts';
import { buildReport, expectationsFrom, testJudge, type CleanupSummary } from '../report/conformance.ts';
import { toConsole } from '../report/markdown.ts';
import { ResultsReporter } from '../report/results.ts';
import { writeReport } from '../report/write.ts';
import { readConfigFile } from './config-file.ts';
import { checkReachable } from './preflight.ts';
import { integerOption, secondsOption } from './options.ts';
import { ContainerError, presets, startContainer, type ContainerOptions, type RunningContainer } from '../targets/container.ts';
import { Interrupts, withoutNewListeners } from './interrupts.ts';
import { checkTagExpressions, collectSelection } from './selection.ts';
import { UsageError } from './usage-error.ts';

export interface RunOptions {
  endpoint?: string;
  region?: string;
  profile?: string;
  grep?: string;
  clause: string[];
  tags: string[];
  strict?: boolean;
  strictExpectations?: boolean;
  expect?: string;
  updateExpectations?: string;
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
}

const collect = (value: string, previous: string[]) => [...previous, value];
const extraReporters = new Set(['junit', 'json', 'verbose', 'dot', 'tap', 'tap-flat', 'default']);

export function runCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run the battery against the embedded reference (default) or an endpoint, and write the conformance report')
    .option('--endpoint <url>', 'SWF endpoint to check (default: AWS_ENDPOINT_URL_SWF, else the embedded reference)')
    .option('--region <name>', 'AWS region (default: AWS_REGION, else us-east-1)')
    .option('--profile <name>', 'AWS profile for credentials (default: the default credential chain)')
    .option('--domain <name>', 'the domain the suite reuses (default: swf-conformance)')
    .option('--grep <pattern>', 'run only tests whose name matches this regular expression')
    .option('--clause <id>', 'run only the tests of this clause (repeatable)', collect, [])
    .option('--tags <expr>', 'run only tests matching this tag expression: a grade, a concern or clause:<id>, with && || ! (repeatable)', collect, [])
    .option('--strict', 'failures of inferred clauses fail the run')
    .option('--expect <file>', 'expectation file: known failures of the implementation under test')
    .option('--strict-expectations', 'an unexpected pass fails the run')
    .option('--update-expectations <file>', 'write an expectation file from this run\'s failures')
    .option('--report <dir>', 'where the reports go', './swf-conformance-report')
    .option('--reporter <name>', 'add a vitest reporter (junit, json, verbose, dot, tap); file output goes in the report folder (repeatable)', collect, [])
    .option('--image <name>', 'start this emulator image with testcontainers and run against it (needs a Docker engine)')
    .option('--preset <name>', `a known emulator image and its settings: ${Object.keys(presets).join(', ')}`)
    .option('--port <n>', 'the emulator\'s port inside the container (default: the preset\'s, else 5000)', integerOption('--port', 1, 65535))
    .option('--env <K=V>', 'an environment variable for the container (repeatable)', collect, [])
    .option('--wait-path <path>', 'an HTTP path that answers once the emulator is ready (default: any HTTP answer)')
    .option('--consistency-window <seconds>', 'how long a read the contract lets lag is retried (default: 30 for an endpoint, 2 for the embedded reference)', secondsOption('--consistency-window', 0, 600))
    .option('--startup-timeout <s>', 'seconds to wait for the emulator to become ready', integerOption('--startup-timeout', 1, 3600), 60)
    .action(async (opts: RunOptions) => setExit(await run(opts)));
}

function validate(opts: RunOptions): { expectations?: { file: string; content: ExpectationsFile }; tagsFilter: string[] } {
  const { byId, concerns } = spec();
  for (const id of opts.clause) if (!byId.has(id)) throw new UsageError(`--clause ${id}: no such clause (see swf-conformance list)`);
  checkTagExpressions(opts.tags);
  if (opts.grep !== undefined) {
    try {
      new RegExp(opts.grep);
    } catch {
      throw new UsageError(`--grep ${opts.grep}: not a valid regular expression`);
    }
  }
  for (const r of opts.reporter) if (!extraReporters.has(r)) throw new UsageError(`--reporter ${r}: not one of ${[...extraReporters].join(', ')}`);
  if (opts.endpoint !== undefined) {
    try {
      const url = new URL(opts.endpoint);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
    } catch {
      throw new UsageError(`--endpoint ${opts.endpoint}: not an http or https URL`);
    }
  }
  if (opts.region !== undefined && !isRegionName(opts.region)) throw new UsageError(`--region ${opts.region}: not a region name`);
  if (opts.preset !== undefined && !Object.hasOwn(presets, opts.preset)) throw new UsageError(`--preset ${opts.preset}: not one of ${Object.keys(presets).join(', ')}`);
  if ((opts.image || opts.preset) && opts.endpoint) throw new UsageError('--endpoint cannot be combined with --image or --preset');
  for (const e of opts.env) if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(e)) throw new UsageError(`--env ${e}: expected NAME=VALUE`);
  if (!(opts.image || opts.preset) && (opts.port !== undefined || opts.env.length || opts.waitPath)) throw new UsageError('--port, --env and --wait-path need --image or --preset');
  let expectations: { file: string; content: ExpectationsFile } | undefined;
  if (opts.expect) {
    const content = readConfigFile<ExpectationsFile>(opts.expect, 'ExpectationsFile', 'expectation file');
    const unknown = content.expectations.filter((e) => e.clause && !byId.has(e.clause)).map((e) => e.clause);
    if (unknown.length) throw new UsageError(`expectation file ${opts.expect} names unknown clause(s): ${unknown.join(', ')}`);
    expectations = { file: opts.expect, content };
  }
  checkWritableFolder(opts.report, '--report');
  if (opts.updateExpectations) checkWritableFolder(dirname(resolve(opts.updateExpectations)), '--update-expectations', { create: false });
  const tagsFilter = [...opts.tags];
  if (opts.clause.length) tagsFilter.push(opts.clause.map(clauseTag).join(' || '));
  return { ...(expectations ? { expectations } : {}), tagsFilter };
}

/** Fails before the run, not after it, when the reports could not be written. */
function checkWritableFolder(dir: string, flag: string, options: { create?: boolean } = {}): void {
  const path = resolve(dir);
  try {
    if (existsSync(path)) {
      if (!statSync(path).isDirectory()) throw new UsageError(`${flag} ${dir}: not a folder`);
    } else if (options.create === false) {
      throw new UsageError(`${flag}: the folder ${dir} does not exist`);
    } else {
      mkdirSync(path, { recursive: true });
    }
    accessSync(path, constants.W_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${flag} ${dir}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/**
 * The reference preset verifies SigV4 with credentials made for this run, and has a restricted
 * principal, so that every clause runs against the image as against the embedded reference. The
 * battery's side of the credentials goes into this process's environment.
 */
function referenceWithAuth(): Record<string, string> {
  const { main, restricted, config } = referencePrincipals();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: main.accessKeyId, AWS_SECRET_ACCESS_KEY: main.secretAccessKey,
    SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID: restricted.accessKeyId, SWF_CONFORMANCE_RESTRICTED_SECRET_ACCESS_KEY: restricted.secretAccessKey,
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  return { SWF_CONFORMANCE_REFERENCE_CONFIG: JSON.stringify(config) };
}

/** The container the options describe: a preset's settings, overridden by the flags. */
function containerOptions(opts: RunOptions): ContainerOptions | undefined {
  if (!opts.image && !opts.preset) return undefined;
  const preset = opts.preset ? presets[opts.preset] : undefined;
  const env: Record<string, string> = { ...(preset?.env ?? {}) };
  for (const name of preset?.passEnv ?? []) if (process.env[name]) env[name] = process.env[name]!;
  for (const e of opts.env) env[e.slice(0, e.indexOf('='))] = e.slice(e.indexOf('=') + 1);
  const waitPath = opts.waitPath ?? preset?.waitPath;
  if (opts.preset === 'reference') Object.assign(env, referenceWithAuth());
  return {
    image: opts.image ?? preset!.image, port: opts.port ?? preset?.port ?? 5000, env,
    ...(waitPath ? { waitPath } : {}), startupTimeoutSeconds: opts.startupTimeout ?? 60,
  };
}

async function run(opts: RunOptions): Promise<number> {
  const plan = validate(opts);
  const interrupts = new Interrupts();
  interrupts.install();
  try {
    return await runWithTarget(opts, plan, interrupts);
  } finally {
    interrupts.uninstall();
  }
}

/** Resolves with the promise's value, or with undefined as soon as the signal aborts. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolveWith, reject) => {
    const onAbort = () => resolveWith(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then((v) => { signal.removeEventListener('abort', onAbort); resolveWith(v); }, (e) => { signal.removeEventListener('abort', onAbort); reject(e); });
  });
}

async function runWithTarget(opts: RunOptions, plan: ReturnType<typeof validate>, interrupts: Interrupts): Promise<number> {
  const containerSpec = containerOptions(opts);
  if (!containerSpec) return runBattery(opts, plan, interrupts);
  console.log(`swf-conformance: starting ${containerSpec.image} (port ${containerSpec.port}, up to ${containerSpec.startupTimeoutSeconds} s)`);
  const starting = startContainer(containerSpec);
  let container: RunningContainer | undefined;
  try {
    container = await unlessAborted(starting, interrupts.run.signal);
  } catch (error) {
    if (error instanceof ContainerError) throw new UsageError(error.message);
    throw error;
  }
  if (!container) {
    // Interrupted while it started: stop it once it is up, then leave.
    await starting.then((c) => c.stop(), () => undefined);
    console.error(`swf-conformance: ${containerSpec.image} stopped; nothing was run`);
    return interrupts.exitCode;
  }
  // An emulator in a container takes any credentials; lend the battery some when none are set.
  if (!process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  try {
    console.log(`swf-conformance: ${containerSpec.image} answers at ${container.url}`);
    return await runBattery({ ...opts, endpoint: container.url }, plan, interrupts, containerSpec.image, container);
  } finally {
    await container.stop();
  }
}

async function runBattery(
  opts: RunOptions, plan: ReturnType<typeof validate>, interrupts: Interrupts,
  imageName?: string, container?: RunningContainer,
): Promise<number> {
  const { expectations, tagsFilter } = plan;
  if (opts.endpoint) process.env.AWS_ENDPOINT_URL_SWF = opts.endpoint;
  if (opts.region) process.env.AWS_REGION = opts.region;
  if (opts.profile) process.env.AWS_PROFILE = opts.profile;
  if (opts.domain) process.env.SWF_CONFORMANCE_DOMAIN = opts.domain;
  if (opts.strict) process.env.SWF_CONFORMANCE_STRICT = '1';
  if (opts.consistencyWindow !== undefined) process.env.SWF_CONFORMANCE_CONSISTENCY_WINDOW = String(opts.consistencyWindow);
  const endpoint = process.env.AWS_ENDPOINT_URL_SWF || process.env.AWS_ENDPOINT_URL;
  if (endpoint) {
    await checkReachable(endpoint);
    try {
      await fromNodeProviderChain(opts.profile ? { profile: opts.profile } : {})();
    } catch (error) {
      throw new UsageError(`no AWS credentials for ${endpoint}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile (${(error as Error).message.split('\n')[0]})`);
    }
  }
  let target: OpenedTarget;
  try {
    target = await openTarget(process.env, { ...(imageName ? { targetName: `${imageName} (${endpoint})`, outlivesRun: false } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  try {
    return await runPrepared(opts, expectations, tagsFilter, interrupts, target, container);
  } finally {
    // A run that ended early (an empty selection, an error) still cleans up after itself.
    if (existsSync(target.ledger.file)) await cleanUpAfter(target, interrupts);
    await target.close();
  }
}

async function runPrepared(
  opts: RunOptions, expectations: ReturnType<typeof validate>['expectations'], tagsFilter: string[], interrupts: Interrupts,
  target: OpenedTarget, container?: RunningContainer,
): Promise<number> {
  const reportDir = resolve(opts.report);
  const startedAt = new Date();
  const errors: string[] = [];
  const judge = testJudge({ strict: Boolean(opts.strict), ...(expectations ? { expectations } : {}) });
  const results = new ResultsReporter(judge);
  const selecting = Boolean(opts.clause.length || opts.tags.length || opts.grep);
  let selected: Set<string> | undefined;
  const finish = async (): Promise<number> => {
    const cleanup = await cleanUpAfter(target, interrupts);
    if (container && !(await container.running())) {
      errors.push(`the emulator container stopped during the run; its last log lines: ${(await container.logs(20)).trim().split('\n').slice(-3).join(' | ')}`);
    }
    const report = buildReport(spec(), results.outcomes, {
      target: target.config.targetName, startedAt, durationMs: Date.now() - startedAt.getTime(), strict: Boolean(opts.strict),
      strictExpectations: Boolean(opts.strictExpectations), ...(expectations ? { expectations } : {}),
      // After an interruption, the workers' own errors are its echo, not a second cause.
      ...(selected ? { selected } : {}), ...(interrupts.signal ? { interrupted: interrupts.signal } : {}),
      errors: interrupts.signal ? errors : [...errors, ...results.errors], cleanup,
    });
    const written = writeReport(reportDir, report);
    process.stdout.write(toConsole(report));
    console.log(`\nreports: ${written.join(', ')}`);
    if (opts.updateExpectations && report.verdict !== 'incomplete') {
      const previous = existsSync(opts.updateExpectations) ? readConfigFile<ExpectationsFile>(opts.updateExpectations, 'ExpectationsFile', 'expectation file') : expectations?.content;
      const implementation = previous?.implementation ?? new URL(target.config.kind === 'reference' ? 'http://reference' : target.config.endpoint).hostname;
      writeFileSync(opts.updateExpectations, stringify(expectationsFrom(report, implementation, previous), { lineWidth: 100 }));
      console.log(`wrote ${opts.updateExpectations}`);
    }
    if (interrupts.signal) return interrupts.exitCode;
    if (report.verdict === 'incomplete') {
      console.error(`swf-conformance: the run is incomplete: ${report.errors[0]}`);
      return 2;
    }
    return report.verdict === 'conformant' ? 0 : 1;
  };

  console.log(`swf-conformance: running the battery against ${target.config.targetName}`);
  try {
    await prepareTarget(target);
  } catch (error) {
    if (!(error instanceof TargetError || error instanceof ConfigError)) throw error;
    errors.push(error.message);
    return finish();
  }
  if (interrupts.run.signal.aborted) return finish();

  const vitestLog: string[] = [];
  const onRejection = (reason: unknown) => { errors.push(`unhandled rejection: ${String((reason as Error)?.message ?? reason).split('\n')[0]}`); };
  process.on('unhandledRejection', onRejection);
  let vitest: Vitest | undefined;
  try {
    vitest = await withoutNewListeners(['SIGINT', 'SIGTERM', 'unhandledRejection'], () => createBatteryVitest(opts, reportDir, results, tagsFilter, vitestLog, target.config.consistencyWindowMs));
    vitest.provide('battery', target.config);
    const running = vitest;
    const stop = () => { void running.cancelCurrentRun('keyboard-input').then(() => running.close()).catch(() => undefined); };
    interrupts.run.signal.addEventListener('abort', stop, { once: true });
    if (selecting) {
      const selection = await collectSelection(vitest);
      if (interrupts.run.signal.aborted) return await finish();
      if (selection.tests === 0) throw new UsageError(`the selection (${describeSelection(opts)}) matches no test; see swf-conformance list`);
      selected = selection.clauses;
      console.log(`swf-conformance: ${selection.tests} test${selection.tests === 1 ? '' : 's'} of ${selection.clauses.size} clause${selection.clauses.size === 1 ? '' : 's'} selected`);
    }
    try {
      await vitest.start();
    } catch (error) {
      if (!interrupts.run.signal.aborted) errors.push(`the battery stopped: ${(error as Error).message.split('\n')[0]}`);
    }
    interrupts.run.signal.removeEventListener('abort', stop);
    await vitest.close();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    errors.push(`the battery could not run: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    process.off('unhandledRejection', onRejection);
    await vitest?.close().catch(() => undefined);
    if (vitestLog.join('').trim()) {
      mkdirSync(reportDir, { recursive: true });
      writeFileSync(join(reportDir, 'vitest-errors.log'), vitestLog.join(''));
    }
  }
  return finish();
}

/** The battery's vitest, its own error output kept for the report folder instead of printed with stack traces. */
async function createBatteryVitest(opts: RunOptions, reportDir: string, results: ResultsReporter, tagsFilter: string[], log: string[], windowMs: number): Promise<Vitest> {
  const reporters: unknown[] = [results];
  const outputFile: Record<string, string> = {};
  for (const r of opts.reporter) {
    reporters.push(r);
    if (r === 'junit') outputFile.junit = resolve(reportDir, 'vitest-junit.xml');
    if (r === 'json') outputFile.json = resolve(reportDir, 'vitest-results.json');
  }
  const stderr = new Writable({ write: (chunk, _encoding, done) => { log.push(String(chunk)); done(); } });
  return createVitest('test', {
    root: projectRoot,
    config: resolve(projectRoot, 'vitest.config.ts'),
    project: ['battery'],
    watch: false,
    // A test may wait out the consistency window a few times before it fails on what it saw.
    testTimeout: Math.max(60_000, 3 * windowMs + 30_000),
    reporters: reporters as never,
    ...(Object.keys(outputFile).length ? { outputFile } : {}),
    ...(opts.grep ? { testNamePattern: opts.grep } : {}),
    ...(tagsFilter.length ? { tagsFilter } : {}),
    passWithNoTests: true,
  }, {}, { stdout: process.stdout, stderr } as never);
}

function describeSelection(opts: RunOptions): string {
  return [...(opts.grep ? [`--grep ${opts.grep}`] : []), ...opts.clause.map((c) => `--clause ${c}`), ...opts.tags.map((t) => `--tags ${t}`)].join(' ');
}

/**
 * Terminates what the run left open. The ledger is removed when nothing can be left, and kept,
 * with the command that finishes the job, otherwise. A cleanup that could not finish does not
 * change the verdict: the report and the console say what is left.
 */
async function cleanUpAfter(target: OpenedTarget, interrupts: Interrupts): Promise<CleanupSummary> {
  const total = target.ledger.entries().length;
  if (interrupts.signal && total) console.error(`swf-conformance: terminating what is still open of the ${total} executions the run started`);
  const result = await target.cleanUp({ signal: interrupts.cleanup.signal });
  const header = `swf-conformance cleanup: ${result.checked} of ${total} executions checked, ${result.terminated} still open were terminated`;
  const left = total - result.checked + result.failed.length;
  const summary: CleanupSummary = { executions: total, checked: result.checked, terminated: result.terminated, left: 0 };
  // Interrupted, this is what the person at the keyboard waits for; otherwise it goes with the report.
  const say = interrupts.signal ? console.error : console.log;
  if (left === 0 || !target.outlivesRun) {
    if (result.terminated || interrupts.signal) say(`${header}${left ? `; ${target.config.targetName} ends with the run, so nothing is left open` : ''}`);
    target.ledger.remove();
    return summary;
  }
  const why = result.failed[0] ? ` (first: ${result.failed[0].reason})` : '';
  say(`${header}; ${left} may still be open${why}; ledger kept at ${target.ledger.file}; finish with: swf-conformance cleanup --ledger ${target.ledger.file}`);
  return { ...summary, left, ledger: target.ledger.file };
}
