import { fixturesDir, makeFolder } from '../contract/paths.ts';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { IGNORABLE } from '../recordings/difference.ts';
import { readRecording, RecordingError } from '../recordings/diff.ts';
import { batteryIndex } from '../harness/collect.ts';
import type { ExpectationsFile } from '../generated/types.ts';
import { spec } from '../contract/spec.ts';
import { clauseTag } from '../harness/clauses.ts';
import { ConfigError, resolveSettings, type RunSettings } from '../harness/config.ts';
import { presets } from '../targets/presets.ts';
import { readConfigFile } from './config-file.ts';
import { checkTagExpressions, namePatternOf } from './selection.ts';
import type { Plan, RunOptions } from './run-options.ts';
import { useCaBundle } from './ca-bundle.ts';
import { UsageError } from './usage-error.ts';
import { EVERY_EXCHANGE } from '../report/results.ts';

export const extraReporters = new Set(['junit', 'json', 'verbose', 'dot', 'tap', 'tap-flat', 'default']);

async function validate(opts: RunOptions): Promise<Plan> {
  const { byId } = spec();
  for (const id of opts.clause) if (!byId.has(id)) throw new UsageError(`--clause ${id}: no such clause (see swf-conformance list)`);
  await checkTagExpressions(opts.tags);
  if (opts.grep !== undefined && opts.test.length) throw new UsageError('--grep and --test cannot be combined');
  if (opts.lastFailed) opts.test = lastFailed(opts);
  let namePattern: string | undefined;
  if (opts.grep !== undefined) {
    // A name as `list` and the reports print it separates describe blocks with " > "; vitest
    // matches the names joined with spaces.
    namePattern = opts.grep.replace(/ > /g, ' ');
    try {
      new RegExp(namePattern);
    } catch {
      throw new UsageError(`--grep ${opts.grep}: not a valid regular expression (to select a test by its exact name, use --test)`);
    }
  }
  // The battery's test names, for --test and for the tests an expectation file names.
  const index = opts.test.length || opts.expect ? await batteryIndex() : undefined;
  const known = new Set(index?.tests.flatMap((t) => [t.name, `${t.file} > ${t.name}`]) ?? []);
  if (opts.test.length) {
    const unknown = opts.test.filter((n) => !known.has(n));
    if (unknown.length)
      throw new UsageError(
        `--test ${unknown[0]}: no test has that name (names as swf-conformance list prints them, with or without their file)`,
      );
    namePattern = namePatternOf(opts.test);
  }
  for (const r of opts.reporter)
    if (!extraReporters.has(r)) throw new UsageError(`--reporter ${r}: not one of ${[...extraReporters].join(', ')}`);
  if (opts.preset !== undefined && !Object.hasOwn(presets, opts.preset))
    throw new UsageError(`--preset ${opts.preset}: not one of ${Object.keys(presets).join(', ')}`);
  if ((opts.image || opts.preset) && opts.endpoint) throw new UsageError('--endpoint cannot be combined with --image or --preset');
  for (const e of opts.env) if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(e)) throw new UsageError(`--env ${e}: expected NAME=VALUE`);
  if (!(opts.image || opts.preset) && (opts.port !== undefined || opts.env.length || opts.waitPath))
    throw new UsageError('--port, --env and --wait-path need --image or --preset');
  let expectations: { file: string; content: ExpectationsFile } | undefined;
  if (opts.expect) {
    opts.expect = shippedExpectations(opts.expect);
    const content = readConfigFile<ExpectationsFile>(opts.expect, 'ExpectationsFile', 'expectation file');
    const unknown = content.expectations.filter((e) => e.clause && !byId.has(e.clause)).map((e) => e.clause);
    if (unknown.length) throw new UsageError(`expectation file ${opts.expect} names unknown clause(s): ${unknown.join(', ')}`);
    const unknownTests = content.expectations.filter((e) => e.test && !known.has(e.test)).map((e) => e.test);
    if (unknownTests.length)
      throw new UsageError(`expectation file ${opts.expect} names unknown test(s): ${unknownTests.join('; ')} (see swf-conformance list)`);
    expectations = { file: opts.expect, content };
  }
  checkWritableFolder(opts.report, '--report');
  let recordFile: string | undefined;
  if (opts.baseline) {
    try {
      readRecording(opts.baseline);
    } catch (error) {
      if (error instanceof RecordingError) throw new UsageError(`--baseline ${error.message}`);
      throw error;
    }
  }
  for (const i of opts.ignore)
    if (!Object.hasOwn(IGNORABLE, i)) throw new UsageError(`--ignore ${i}: not one of ${Object.keys(IGNORABLE).join(', ')}`);
  if (opts.ignore.length && !opts.baseline) throw new UsageError('--ignore needs --baseline (or use swf-conformance diff)');
  if (opts.record || opts.baseline) {
    recordFile = typeof opts.record === 'string' ? resolve(opts.record) : join(resolve(opts.report), 'recording.har.gz');
    if (existsSync(recordFile) && statSync(recordFile).isDirectory())
      throw new UsageError(`--record ${opts.record}: a folder; give a file name`);
    checkWritableFolder(dirname(recordFile), '--record', { create: false });
  }
  if (opts.updateExpectations) checkWritableFolder(dirname(resolve(opts.updateExpectations)), '--update-expectations', { create: false });
  const tagsFilter = [...opts.tags];
  if (opts.clause.length) tagsFilter.push(opts.clause.map(clauseTag).join(' || '));
  let settings: RunSettings;
  try {
    settings = resolveSettings(
      {
        ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
        ...(opts.region !== undefined ? { region: opts.region } : {}),
        ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
        ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
        ...(opts.strict ? { strict: true } : {}),
        ...(opts.consistencyWindow !== undefined ? { consistencyWindow: opts.consistencyWindow } : {}),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.modelRuns !== undefined ? { modelRuns: opts.modelRuns } : {}),
      },
      process.env,
    );
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  let shard: Plan['shard'];
  if (opts.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(opts.shard);
    const [index, count] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
    if (!m || count < 1 || index < 1 || index > count)
      throw new UsageError(`--shard ${opts.shard}: expected i/n with 1 <= i <= n, e.g. 2/4`);
    if (opts.updateExpectations || opts.baseline)
      throw new UsageError(
        '--shard cannot be combined with --update-expectations or --baseline: merge the shards first (swf-conformance merge)',
      );
    shard = { index, count };
  }
  return {
    settings,
    ...(expectations ? { expectations } : {}),
    tagsFilter,
    ...(shard ? { shard } : {}),
    ...(recordFile ? { recordFile } : {}),
    ...(namePattern !== undefined ? { namePattern } : {}),
  };
}

/**
 * `--expect moto` (or localstack, fakecloud): the expectation file the suite ships for that
 * implementation, wherever the suite is installed. A path that exists is taken as it is.
 */
function shippedExpectations(value: string): string {
  if (existsSync(value) || !/^[a-z0-9][a-z0-9.-]*$/.test(value)) return value;
  const dir = join(fixturesDir, 'expectations');
  const file = join(dir, `${value}.yaml`);
  if (existsSync(file)) return file;
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
  throw new UsageError(`--expect ${value}: no such file, and the suite ships no expectations of that name (it ships: ${names.join(', ')})`);
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
      makeFolder(path);
    }
    accessSync(path, constants.W_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${flag} ${dir}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/**
 * `swf-conformance run`: the options are checked here, before anything heavy is loaded, so that
 * a usage error answers at once; the run itself is in run-battery.ts.
 */
export async function run(opts: RunOptions): Promise<number> {
  await useCaBundle(opts);
  const plan = await validate(opts);
  const { runPlanned } = await import('./run-battery.ts');
  return runPlanned(opts, plan);
}

/**
 * --last-failed: the tests that failed, failed as advisory, or were flaky in the report folder's
 * conformance.json, by name; none (a green last run) runs the whole battery, as pytest --lf does.
 */
function lastFailed(opts: RunOptions): string[] {
  if (opts.grep !== undefined || opts.test.length || opts.clause.length || opts.tags.length) {
    throw new UsageError('--last-failed cannot be combined with --grep, --test, --clause or --tags');
  }
  const file = join(resolve(opts.report), 'conformance.json');
  if (!existsSync(file)) throw new UsageError(`--last-failed: no report at ${file} (run once with the same --report first)`);
  let tests: { fullName?: unknown; status?: unknown }[];
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as { clauses?: { tests?: { fullName?: unknown; status?: unknown }[] }[] };
    tests = (report.clauses ?? []).flatMap((c) => c.tests ?? []);
  } catch {
    throw new UsageError(`--last-failed: ${file} is not a conformance report`);
  }
  const failed = [
    ...new Set(
      tests
        // A wire check of every exchange is no test to run again: the tests that sent its exchanges are run with the rest.
        .filter((t) => typeof t.fullName === 'string' && !t.fullName.startsWith(`${EVERY_EXCHANGE} > `))
        .filter((t) => ['fail', 'advisory-fail', 'flaky'].includes(String(t.status)))
        .map((t) => t.fullName as string),
    ),
  ];
  console.log(
    failed.length
      ? `swf-conformance: --last-failed: the ${failed.length} test${failed.length === 1 ? '' : 's'} that failed in ${file}`
      : `swf-conformance: --last-failed: no test failed in ${file}; running the whole battery`,
  );
  return failed;
}
