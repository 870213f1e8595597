import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { startVitest } from 'vitest/node';
import { stringify } from 'yaml';
import { writeFileSync } from "node:fs";
import type { ExpectationsFile } from '../generated/types.ts';
import { projectRoot } from '../contract/paths.ts';
import { spec } from '../contract/spec.ts';
import { clauseTag } from '../harness/clauses.ts';
import { isRegionName } from '../harness/config.ts';
import { referencePrincipals } from '../harness/principals.ts';
import { buildReport, expectationsFrom } from '../report/conformance.ts';
import { toConsole } from '../report/markdown.ts';
import { ResultsReporter } from '../report/results.ts';
import { writeReport } from '../report/write.ts';
import { readConfigFile } from './config-file.ts';
import { checkReachable } from './preflight.ts';
import { integerOption } from './options.ts';
import { ContainerError, presets, startContainer, type ContainerOptions, type RunningContainer } from '../targets/container.ts';
import { onShutdown } from '../harness/shutdown.ts';
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
    .option('--startup-timeout <s>', 'seconds to wait for the emulator to become ready', integerOption('--startup-timeout', 1, 3600), 60)
    .action(async (opts: RunOptions) => setExit(await run(opts)));
}

function validate(opts: RunOptions): { expectations?: { file: string; content: ExpectationsFile }; tagsFilter: string[] } {
  const { byId, concerns } = spec();
  for (const id of opts.clause) if (!byId.has(id)) throw new UsageError(`--clause ${id}: no such clause (see swf-conformance list)`);
  const knownTags = new Set(['documented', 'recorded', 'inferred', ...concerns, ...[...byId.keys()].map(clauseTag)]);
  for (const expr of opts.tags) {
    for (const tag of expr.split(/&&|\|\||!|\(|\)|\s+/).filter(Boolean)) {
      if (!knownTags.has(tag)) throw new UsageError(`--tags ${expr}: unknown tag "${tag}" (a grade, a concern such as ${concerns[0]}, or clause:<id>)`);
    }
  }
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
  const tagsFilter = [...opts.tags];
  if (opts.clause.length) tagsFilter.push(opts.clause.map(clauseTag).join(' || '));
  return { ...(expectations ? { expectations } : {}), tagsFilter };
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
  const { expectations, tagsFilter } = validate(opts);
  const containerSpec = containerOptions(opts);
  let container: RunningContainer | undefined;
  if (containerSpec) {
    console.log(`swf-conformance: starting ${containerSpec.image} (port ${containerSpec.port}, up to ${containerSpec.startupTimeoutSeconds} s)`);
    try {
      container = await startContainer(containerSpec);
    } catch (error) {
      if (error instanceof ContainerError) throw new UsageError(error.message);
      throw error;
    }
    const started = container;
    const forget = onShutdown(() => started.stop());
    // An emulator in a container takes any credentials; lend the battery some when none are set.
    if (!process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    try {
      console.log(`swf-conformance: ${containerSpec.image} answers at ${started.url}`);
      return await runBattery({ ...opts, endpoint: started.url }, expectations, tagsFilter, containerSpec.image, started);
    } finally {
      await started.stop();
      forget();
    }
  }
  return runBattery(opts, expectations, tagsFilter);
}

async function runBattery(
  opts: RunOptions, expectations: ReturnType<typeof validate>['expectations'], tagsFilter: string[],
  targetName?: string, container?: RunningContainer,
): Promise<number> {
  if (opts.endpoint) process.env.AWS_ENDPOINT_URL_SWF = opts.endpoint;
  if (opts.region) process.env.AWS_REGION = opts.region;
  if (opts.profile) process.env.AWS_PROFILE = opts.profile;
  if (opts.domain) process.env.SWF_CONFORMANCE_DOMAIN = opts.domain;
  if (opts.strict) process.env.SWF_CONFORMANCE_STRICT = '1';
  const endpoint = process.env.AWS_ENDPOINT_URL_SWF || process.env.AWS_ENDPOINT_URL;
  if (endpoint) {
    await checkReachable(endpoint);
    try {
      await fromNodeProviderChain(opts.profile ? { profile: opts.profile } : {})();
    } catch (error) {
      throw new UsageError(`no AWS credentials for ${endpoint}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile (${(error as Error).message.split('\n')[0]})`);
    }
  }
  const reportDir = resolve(opts.report);
  const results = new ResultsReporter();
  const reporters: unknown[] = [results];
  const outputFile: Record<string, string> = {};
  for (const r of opts.reporter) {
    reporters.push(r);
    if (r === 'junit') outputFile.junit = resolve(reportDir, 'vitest-junit.xml');
    if (r === 'json') outputFile.json = resolve(reportDir, 'vitest-results.json');
  }
  const target = targetName ? `${targetName} (${endpoint})` : endpoint ?? 'embedded reference';
  console.log(`swf-conformance: running the battery against ${target}`);
  const startedAt = new Date();
  const vitest = await startVitest('test', [], {
    root: projectRoot,
    config: resolve(projectRoot, 'vitest.config.ts'),
    project: ['battery'],
    watch: false,
    reporters: reporters as never,
    ...(Object.keys(outputFile).length ? { outputFile } : {}),
    ...(opts.grep ? { testNamePattern: opts.grep } : {}),
    ...(tagsFilter.length ? { tagsFilter } : {}),
    passWithNoTests: true,
  });
  await vitest?.close();
  // vitest sets the exit code from its own view of the run; the verdict here is the report's.
  process.exitCode = 0;
  if (container && !(await container.running())) {
    results.errors.push(`the emulator container stopped during the run; its last log lines:\n${(await container.logs(20)).trimEnd()}`);
  }
  const selected = opts.clause.length || opts.tags.length || opts.grep ? (id: string) => results.outcomes.some((t) => t.clauses.includes(id)) : undefined;
  const report = buildReport(spec(), results.outcomes, {
    target, startedAt, durationMs: Date.now() - startedAt.getTime(), strict: Boolean(opts.strict),
    strictExpectations: Boolean(opts.strictExpectations), ...(expectations ? { expectations } : {}),
    ...(selected ? { selected } : {}), errors: results.errors,
  });
  const written = writeReport(reportDir, report);
  process.stdout.write(toConsole(report));
  console.log(`\nreports: ${written.join(', ')}`);
  if (opts.updateExpectations) {
    const previous = existsSync(opts.updateExpectations) ? readConfigFile<ExpectationsFile>(opts.updateExpectations, 'ExpectationsFile', 'expectation file') : expectations?.content;
    const implementation = previous?.implementation ?? new URL(endpoint ?? 'http://reference').hostname;
    writeFileSync(opts.updateExpectations, stringify(expectationsFrom(report, implementation, previous), { lineWidth: 100 }));
    console.log(`wrote ${opts.updateExpectations}`);
  }
  if (results.outcomes.length === 0 && results.errors.length) throw new UsageError(`the battery could not run: ${results.errors[0]?.split('\n')[0]}`);
  if (container && results.errors.some((e) => e.startsWith('the emulator container stopped'))) return 2;
  return report.conformant ? 0 : 1;
}

