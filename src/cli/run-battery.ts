import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Vitest } from 'vitest/node';
import type { ConformanceReport, ExpectationsFile } from '../generated/types.ts';
import { readCaptured } from '../recordings/capture.ts';
import { batteryIndex } from '../harness/collect.ts';
import { diffRecordings } from '../recordings/diff.ts';
import { buildRecording } from '../recordings/recording.ts';
import { writeDiff } from '../recordings/render.ts';
import { detectImplementation, expectationsWarning } from '../report/implementation.ts';
import { writeShard } from '../report/shards.ts';
import { projectRoot, makeFolder, suiteVersion } from '../contract/paths.ts';
import { testTimeoutMs } from '../contract/protocol.ts';
import { spec } from '../contract/spec.ts';
import { stringifyYaml } from '../contract/yaml.ts';
import { ConfigError, type BatteryConfig, type RunSettings } from '../harness/config.ts';
import { TargetError } from '../harness/prepare.ts';
import { openSession, prepareSession, type Session } from '../harness/session.ts';
import type { Target } from '../harness/target.ts';
import { openTarget } from '../targets/open.ts';
import { referencePrincipals, startOracle } from '../targets/reference.ts';
import { buildReport, expectationsFrom, testJudge, type CleanupSummary } from '../report/conformance.ts';
import { toConsole } from '../report/markdown.ts';
import { checkOutcomes, ResultsReporter } from '../report/results.ts';
import { writeReport } from '../report/write.ts';
import { readConfigFile } from './config-file.ts';
import { presets, type ContainerOptions } from '../targets/presets.ts';
import { announcePhase, Interrupts, whenAborted, withoutNewListeners } from './interrupts.ts';
import { batteryProject } from './battery-project.ts';
import { collectSelection, namePatternOf, selectionFromIndex } from './selection.ts';
import { openingAsUsage, UsageError } from './usage-error.ts';
import type { Plan, RunOptions } from './run-options.ts';

/**
 * The run once its options are checked (run.ts): the target opened, the battery run by vitest,
 * the reports written, and what the run started cleaned up, on every path.
 */
export async function runPlanned(opts: RunOptions, plan: Plan): Promise<number> {
  const interrupts = new Interrupts();
  interrupts.install();
  try {
    return await runWithTarget(opts, plan, interrupts);
  } finally {
    interrupts.uninstall();
  }
}

/**
 * The container the options describe: a preset's settings, overridden by the flags. The
 * reference preset verifies SigV4 with credentials made for this run, and has a restricted
 * principal, so that every clause runs against the image as against the embedded reference.
 */
function containerOptions(
  opts: RunOptions,
  settings: RunSettings,
): { spec: ContainerOptions; principals: Pick<Target, 'credentials' | 'restricted'> } | undefined {
  if (!opts.image && !opts.preset) return undefined;
  const preset = opts.preset ? presets[opts.preset] : undefined;
  const env: Record<string, string> = { ...(preset?.env ?? {}) };
  for (const name of preset?.passEnv ?? []) if (process.env[name]) env[name] = process.env[name]!;
  for (const e of opts.env) env[e.slice(0, e.indexOf('='))] = e.slice(e.indexOf('=') + 1);
  const waitPath = opts.waitPath ?? preset?.waitPath;
  let principals: Pick<Target, 'credentials' | 'restricted'> = {};
  if (opts.preset === 'reference') {
    const made = referencePrincipals(`${settings.domain}-deprecated`);
    env.SWF_CONFORMANCE_REFERENCE_CONFIG = JSON.stringify(made.config);
    principals = { credentials: made.main, restricted: made.restricted };
  } else if (!process.env.AWS_ACCESS_KEY_ID && !settings.profile) {
    // An emulator in a container takes any credentials; lend the battery some when none are set.
    principals = { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  }
  return {
    spec: {
      image: opts.image ?? preset!.image,
      port: opts.port ?? preset?.port ?? 5000,
      env,
      ...(waitPath ? { waitPath } : {}),
      startupTimeoutSeconds: opts.startupTimeout ?? 60,
    },
    principals,
  };
}

/** Opens the target the settings and options choose (src/targets/open.ts), runs the battery against it, and closes it. */
async function runWithTarget(opts: RunOptions, plan: Plan, interrupts: Interrupts): Promise<number> {
  const { settings } = plan;
  const container = containerOptions(opts, settings);
  if (!container && settings.endpoint) announcePhase('start-up');
  const target = await openingAsUsage(
    openTarget({
      ...(container ? { container } : settings.endpoint ? { endpoint: settings.endpoint } : {}),
      region: settings.region,
      deprecatedDomain: `${settings.domain}-deprecated`,
      ...(settings.profile ? { profile: settings.profile } : {}),
      reachable: { timeoutMs: (opts.startupTimeout ?? 30) * 1000 },
      signal: interrupts.run.signal,
      say: (line) => console.log(line),
    }),
  );
  if (!target) {
    if (!container) console.error(`swf-conformance: stopped before ${settings.endpoint} was reached; nothing was run`);
    return interrupts.exitCode;
  }
  try {
    return await runBattery(opts, plan, interrupts, target);
  } finally {
    await target.close();
  }
}

async function runBattery(opts: RunOptions, plan: Plan, interrupts: Interrupts, target: Target): Promise<number> {
  // The model-based run's reference, in this process, whatever the target.
  const oracle = await startOracle(plan.settings.region);
  const session = openSession(plan.settings, target, { endpoint: oracle.endpoint, credentials: oracle.credentials });
  let cleaned = false;
  try {
    return await runPrepared(opts, plan, interrupts, session, () => {
      cleaned = true;
    });
  } finally {
    // A run that ended early (an empty selection, an error) still cleans up after itself.
    if (!cleaned && existsSync(session.ledger.file)) await cleanUpAfter(session, interrupts);
    await oracle.close();
  }
}

/** What one run gathers as it goes, from its set-up to its report. */
class RunState {
  readonly startedAt = new Date();
  /** Where the run's time goes: set-up calls, the battery in vitest (start-up included), cleanup. */
  readonly phases = { setupMs: 0, batteryMs: 0, cleanupMs: 0 };
  private mark = performance.now();
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  /** What the target is: as the run was told, else as the reference knows itself; asked of the target once it answers. */
  declared: string | undefined;
  readonly judge: ReturnType<typeof testJudge>;
  readonly results: ResultsReporter;
  /** With a selection: the clauses it selects. */
  selected: Set<string> | undefined;
  /** A shard that holds none of the selection's tests. */
  emptyShard = false;
  /** With a selection: the battery's tests per clause, from its index. */
  testsPerClause: Map<string, number> | undefined;
  /** With --record or --baseline, each test's worker saves its exchanges here; the report assembles them. */
  readonly captureDir: string | undefined;
  /** Marks the run stopped for the workers, at the first signal. */
  markStopped: () => void = () => undefined;

  constructor(opts: RunOptions, plan: Plan, session: Session) {
    this.declared = opts.implementation ?? (session.config.kind === 'reference' ? `reference ${suiteVersion()}` : undefined);
    this.judge = testJudge({ strict: plan.settings.strict, ...(plan.expectations ? { expectations: plan.expectations } : {}) });
    this.results = new ResultsReporter(this.judge);
    this.captureDir = plan.recordFile ? mkdtempSync(join(tmpdir(), 'swf-conformance-record-')) : undefined;
    if (this.captureDir) session.config.recordDir = this.captureDir;
  }

  /** Starts timing a phase from now. */
  restartClock(): void {
    this.mark = performance.now();
  }

  /** Adds the time since the clock last started to a phase, and starts it again. */
  lap(phase: keyof RunState['phases']): void {
    const now = performance.now();
    this.phases[phase] += now - this.mark;
    this.mark = now;
  }
}

/** The run once its target is open: the set-up, the battery in vitest, then the cleanup and the reports. */
async function runPrepared(opts: RunOptions, plan: Plan, interrupts: Interrupts, session: Session, onCleaned: () => void): Promise<number> {
  const s = new RunState(opts, plan, session);
  if (await setUp(s, plan, interrupts, session)) await runVitest(s, opts, plan, interrupts, session);
  return finishRun(s, opts, plan, interrupts, session, onCleaned);
}

/** The run's set-up: the reused domains and types, and what the target says it is. False when the run must end at once. */
async function setUp(s: RunState, plan: Plan, interrupts: Interrupts, session: Session): Promise<boolean> {
  const { expectations } = plan;
  console.log(`swf-conformance: running the battery against ${session.config.targetName}`);
  // From the first signal on, no worker sends another request, whatever vitest is doing: the mark
  // is read before every request a test sends, so a worker that starts after the signal (vitest
  // was still starting, or forgot a cancel that came before its run began) runs nothing.
  s.markStopped = () => {
    session.ledger.markStopped();
    s.results.stoppedAt = Date.now();
    s.results.stopReason = `the run was interrupted by ${interrupts.signal}`;
  };
  whenAborted(interrupts.run.signal, s.markStopped);
  try {
    announcePhase('set-up');
    // A stop during the set-up ends it: the requests not yet sent are not sent.
    if (!interrupts.run.signal.aborted)
      await prepareSession(session, interrupts.run.signal).catch((error: unknown) => {
        if (!interrupts.run.signal.aborted) throw error;
      });
    if (!interrupts.run.signal.aborted) s.declared ??= await detectImplementation(session.config.endpoint);
    const warning = expectations && expectationsWarning(expectations.file, expectations.content.implementation, s.declared);
    if (warning) {
      s.warnings.push(warning);
      console.warn(`swf-conformance: warning: ${warning}`);
    }
    s.lap('setupMs');
  } catch (error) {
    if (!(error instanceof TargetError || error instanceof ConfigError)) throw error;
    s.errors.push(error.message);
    return false;
  }
  if (interrupts.run.signal.aborted) {
    session.ledger.unmarkStopped();
    return false;
  }
  return true;
}

/** The battery in vitest: made, its selection collected, run, its new failures run again, closed. */
async function runVitest(s: RunState, opts: RunOptions, plan: Plan, interrupts: Interrupts, session: Session): Promise<void> {
  const reportDir = resolve(opts.report);
  const { tagsFilter } = plan;
  const selecting = Boolean(opts.clause.length || opts.tags.length || plan.namePattern !== undefined);
  // A vitest report file of an earlier run, not asked for this time, would pass for this run's.
  for (const [reporter, name] of [
    ['json', 'vitest-results.json'],
    ['junit', 'vitest-junit.xml'],
  ] as const) {
    if (!opts.reporter.includes(reporter)) rmSync(join(reportDir, name), { force: true });
  }
  const vitestLog: string[] = [];
  const onRejection = (reason: unknown) => {
    s.errors.push(`unhandled rejection: ${String((reason as Error)?.message ?? reason).split('\n')[0]}`);
  };
  process.on('unhandledRejection', onRejection);
  let vitest: Vitest | undefined;
  try {
    announcePhase('vitest-start');
    vitest = await withoutNewListeners(['SIGINT', 'SIGTERM', 'unhandledRejection'], () =>
      createBatteryVitest(opts, reportDir, s.results, tagsFilter, vitestLog, session.config, plan.namePattern),
    );
    vitest.provide('battery', session.config);
    const running = vitest;
    // The first signal cancels the run gently: no test starts, and each running test stops at its
    // next request (its signal is aborted), once the request it is waiting on has answered, so
    // that an execution that request starts is in the ledger before the cleanup reads it. The
    // second closes at once: vitest stops the workers where they are.
    let cancelling: Promise<void> | undefined;
    const stop = () => {
      session.ledger.markStopped();
      cancelling = running.cancelCurrentRun('keyboard-input').catch(() => undefined);
    };
    const force = () => {
      void running.close().catch(() => undefined);
    };
    // A signal that came while vitest was being made has already aborted: nothing is started.
    whenAborted(interrupts.run.signal, stop);
    whenAborted(interrupts.cleanup.signal, force);
    let onlyFiles: string[] | undefined;
    if (selecting && !interrupts.run.signal.aborted) {
      announcePhase('collect');
      // --clause and names (--grep, --test) are answered by the battery's index, without vitest
      // collecting every file, and only the files holding those tests are started. A tag
      // expression is vitest's to evaluate; so is a name within a shard, which holds some of the
      // files (its collection says whether it holds a test of the selection at all).
      const byIndex =
        opts.tags.length || (plan.shard && plan.namePattern !== undefined)
          ? undefined
          : opts.clause.length || plan.namePattern !== undefined
            ? await selectionFromIndex({
                ...(opts.clause.length ? { clauses: opts.clause } : {}),
                ...(plan.namePattern !== undefined ? { namePattern: plan.namePattern } : {}),
              })
            : undefined;
      if (byIndex && !plan.shard) onlyFiles = byIndex.files;
      const selection = byIndex ?? (await collectSelection(vitest));
      if (interrupts.run.signal.aborted) return;
      if (selection.tests === 0 && !plan.shard)
        throw new UsageError(`the selection (${describeSelection(opts)}) matches no test; see swf-conformance list`);
      // A shard whose files hold none of the selection's tests has nothing to run: its report says so, and the merge takes it.
      if (selection.tests === 0) {
        s.emptyShard = true;
        console.log(
          `swf-conformance: shard ${plan.shard!.index}/${plan.shard!.count} holds no test of the selection (${describeSelection(opts)})`,
        );
      }
      // With --clause, the clauses asked for: a selected test that also cites another clause runs
      // only some of that clause's tests, which is no verdict on it.
      // --clause selects every test of its clauses; a name or a tag may select some of a clause's.
      if (plan.namePattern !== undefined || opts.tags.length)
        s.testsPerClause = new Map([...(await batteryIndex()).byClause].map(([id, list]) => [id, list.length]));
      const asked = new Set(opts.clause);
      s.selected = opts.clause.length ? new Set([...selection.clauses].filter((c) => asked.has(c))) : selection.clauses;
      console.log(
        `swf-conformance: ${selection.tests} test${selection.tests === 1 ? '' : 's'} of ${s.selected.size} clause${s.selected.size === 1 ? '' : 's'} selected`,
      );
    }
    s.restartClock();
    try {
      announcePhase('battery');
      if (!s.emptyShard && !interrupts.run.signal.aborted) await vitest.start(onlyFiles);
      if (opts.rerun !== false && !interrupts.run.signal.aborted) await rerunNewFailures(vitest, s.results, s.judge);
      s.lap('batteryMs');
    } catch (error) {
      if (!interrupts.run.signal.aborted) s.errors.push(`the battery stopped: ${(error as Error).message.split('\n')[0]}`);
    }
    interrupts.run.signal.removeEventListener('abort', stop);
    await cancelling;
    interrupts.cleanup.signal.removeEventListener('abort', force);
    await vitest.close();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    s.errors.push(`the battery could not run: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    process.off('unhandledRejection', onRejection);
    interrupts.run.signal.removeEventListener('abort', s.markStopped);
    await vitest?.close().catch(() => undefined);
    // No worker is left to read the mark.
    session.ledger.unmarkStopped();
    if (vitestLog.join('').trim()) {
      makeFolder(reportDir);
      writeFileSync(join(reportDir, 'vitest-errors.log'), vitestLog.join(''));
    }
  }
}

/** The run's end: the cleanup, the recording, the reports, an expectation file when asked for, and the exit code. */
async function finishRun(
  s: RunState,
  opts: RunOptions,
  plan: Plan,
  interrupts: Interrupts,
  session: Session,
  onCleaned: () => void,
): Promise<number> {
  const { expectations, settings } = plan;
  const reportDir = resolve(opts.report);
  announcePhase('cleanup');
  s.restartClock();
  const cleanup = await cleanUpAfter(session, interrupts);
  onCleaned();
  s.lap('cleanupMs');
  const lost = await session.target.lost?.();
  if (lost) s.errors.push(lost);
  let baseline: ConformanceReport['baseline'];
  if (s.captureDir && plan.recordFile) {
    try {
      baseline = record(s.captureDir, plan.recordFile, { opts, session, startedAt: s.startedAt });
    } catch (error) {
      s.errors.push(`the recording could not be written: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      rmSync(s.captureDir, { recursive: true, force: true });
    }
  }
  // The wire checks of every exchange, each an outcome of its clause.
  s.results.outcomes.push(...checkOutcomes(s.results.checks, (clause) => spec().byId.get(clause)?.grade));
  // A shard judges the clauses its tests cite; the others are another shard's.
  const shard = plan.shard;
  const shardSelected = shard
    ? new Set(s.results.outcomes.flatMap((t) => t.clauses).filter((c) => !s.selected || s.selected.has(c)))
    : undefined;
  const perClause = shard
    ? (s.testsPerClause ?? new Map([...(await batteryIndex()).byClause].map(([id, list]) => [id, list.length])))
    : s.testsPerClause;
  const chosen = shardSelected ?? s.selected;
  const implementation = s.declared ?? expectations?.content.implementation;
  const reportOptions = {
    target: session.config.targetName,
    ...(implementation ? { implementation } : {}),
    warnings: s.warnings,
    startedAt: s.startedAt,
    durationMs: Date.now() - s.startedAt.getTime(),
    strict: settings.strict,
    strictExpectations: Boolean(opts.strictExpectations),
    ...(expectations ? { expectations } : {}),
    // After an interruption, the workers' own errors are its echo, not a second cause.
    ...(chosen ? { selected: chosen, ...(perClause ? { testsPerClause: perClause } : {}) } : {}),
    ...(interrupts.signal ? { interrupted: interrupts.signal } : {}),
    errors: interrupts.signal ? s.errors : [...s.errors, ...s.results.errors],
    cleanup,
    phases: s.phases,
    ...(s.results.model ? { model: s.results.model } : {}),
    ...(session.config.model.leftOut ? { modelLeftOut: session.config.model.leftOut } : {}),
    ...(baseline ? { baseline } : {}),
    ...(s.emptyShard ? { nothingToRun: true } : {}),
  };
  const report = buildReport(spec(), s.results.outcomes, reportOptions);
  if (shard) {
    writeShard(reportDir, {
      shard,
      suiteVersion: suiteVersion(),
      target: session.config.targetName,
      ...(implementation ? { implementation } : {}),
      startedAt: s.startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      strict: settings.strict,
      strictExpectations: Boolean(opts.strictExpectations),
      ...(expectations ? { expectations } : {}),
      ...(s.selected ? { selected: [...s.selected] } : {}),
      errors: reportOptions.errors,
      ...(s.warnings.length ? { warnings: s.warnings } : {}),
      cleanup,
      phases: s.phases,
      ...(s.results.model ? { model: s.results.model } : {}),
      outcomes: s.results.outcomes,
    });
  }
  const written = writeReport(reportDir, report);
  process.stdout.write(toConsole(report));
  console.log(`\nreports: ${written.join(', ')}`);
  if (opts.updateExpectations && report.verdict !== 'incomplete') {
    const previous = existsSync(opts.updateExpectations)
      ? readConfigFile<ExpectationsFile>(opts.updateExpectations, 'ExpectationsFile', 'expectation file')
      : expectations?.content;
    const implementation =
      s.declared ??
      previous?.implementation ??
      // Never a host and port: they say where a target was, not what it is.
      (session.config.kind === 'container' ? session.config.targetName : 'an unnamed implementation');
    const written = expectationsFrom(report, implementation, previous);
    writeFileSync(opts.updateExpectations, stringifyYaml(written, { lineWidth: 100 }));
    console.log(
      `wrote ${opts.updateExpectations}: ${written.expectations.length} expected failure${written.expectations.length === 1 ? '' : 's'} of ${implementation}${s.declared || previous?.implementation ? '' : ' (name it with --implementation "NAME VERSION")'}`,
    );
    // The job asked for was to write the file: done.
    if (!interrupts.signal) return 0;
  }
  if (interrupts.signal) return interrupts.exitCode;
  if (report.verdict === 'incomplete') {
    console.error(`swf-conformance: the run is incomplete: ${report.errors[0]}`);
    return 2;
  }
  return report.verdict === 'conformant' ? 0 : 1;
}

/**
 * Each new failure (a failing test no expectation lists) runs once more before it is charged: one
 * that then passes is flaky, reported apart, so that an emulator's races do not flip a gate. The
 * model-based run's tests are left out: their differences are shrunk and replayed by their seed.
 */
async function rerunNewFailures(vitest: Vitest, results: ResultsReporter, judge: ReturnType<typeof testJudge>): Promise<void> {
  const failed = results.outcomes.filter(
    (t) =>
      t.state === 'failed' && !t.unreachable && t.file !== 'suites/model.test.ts' && ['fail', 'advisory-fail'].includes(judge(t).status),
  );
  if (!failed.length) return;
  console.log(
    `swf-conformance: running the ${failed.length} new failure${failed.length === 1 ? '' : 's'} once more before charging ${failed.length === 1 ? 'it' : 'them'} (--no-rerun charges at once)`,
  );
  vitest.setGlobalTestNamePattern(namePatternOf(failed.map((t) => t.fullName)));
  const specifications = [...new Set(failed.map((t) => t.file))].flatMap((file) =>
    vitest.getModuleSpecifications(resolve(projectRoot, file)),
  );
  results.startRerun(failed);
  try {
    await vitest.runTestSpecifications(specifications);
  } finally {
    const { passed, failedAgain } = results.endRerun();
    console.log(
      `swf-conformance: ${failedAgain} failed again${passed ? `; ${passed} passed the second time and ${passed === 1 ? 'is' : 'are'} reported as flaky` : ''}`,
    );
  }
}

/** The battery's vitest, its own error output kept for the report folder instead of printed with stack traces. */
async function createBatteryVitest(
  opts: RunOptions,
  reportDir: string,
  results: ResultsReporter,
  tagsFilter: string[],
  log: string[],
  config: BatteryConfig,
  namePattern?: string,
): Promise<Vitest> {
  const windowMs = config.consistencyWindowMs;
  const reporters: unknown[] = [results];
  const outputFile: Record<string, string> = {};
  for (const r of opts.reporter) {
    reporters.push(r);
    if (r === 'junit') outputFile.junit = resolve(reportDir, 'vitest-junit.xml');
    if (r === 'json') outputFile.json = resolve(reportDir, 'vitest-results.json');
  }
  const stderr = new Writable({
    write: (chunk, _encoding, done) => {
      log.push(String(chunk));
      done();
    },
  });
  const { createVitest } = await import('vitest/node');
  return createVitest(
    'test',
    {
      // The battery's project, given inline: no config file for vite to bundle at every start.
      ...batteryProject().test,
      root: projectRoot,
      config: false,
      watch: false,
      testTimeout: testTimeoutMs(windowMs),
      // The embedded reference answers on this process's main thread and is idle half the time:
      // two workers keep two cores busy (one took 4.0 s for the battery, two 2.8 s, three 3.2 s).
      // A target elsewhere costs waiting, not CPU: several files at once.
      maxWorkers: opts.concurrency ?? (config.kind === 'reference' ? 2 : 4),
      ...(opts.concurrency ? { maxConcurrency: opts.concurrency } : {}),
      // Worker threads: they end with this process whatever stops it, so no worker can start an
      // execution after the cleanup has read the ledger; and they start quicker than processes.
      pool: 'threads' as const,
      // Every test works on executions of its own, so the tests of a file run side by side: a
      // distant endpoint costs latency, not throughput. vitest reads this for the whole run only,
      // which is the battery's here; describe.sequential keeps the scenarios that share state in order.
      sequence: { concurrent: true },
      // Transformed modules kept on disk between runs: the battery's TypeScript is transformed once.
      // One cache per checkout: two checkouts of different versions on one machine must not share one.
      experimental: {
        fsModuleCache: true,
        fsModuleCachePath: join(
          tmpdir(),
          `swf-conformance-vitest-cache-${createHash('sha256').update(projectRoot).digest('hex').slice(0, 12)}`,
        ),
      },
      reporters: reporters as never,
      ...(Object.keys(outputFile).length ? { outputFile } : {}),
      ...(namePattern !== undefined ? { testNamePattern: namePattern } : {}),
      ...(opts.shard ? { shard: opts.shard } : {}),
      ...(tagsFilter.length ? { tagsFilter } : {}),
      passWithNoTests: true,
    },
    {},
    { stdout: process.stdout, stderr } as never,
  );
}

function describeSelection(opts: RunOptions): string {
  return [
    ...(opts.grep ? [`--grep ${opts.grep}`] : []),
    ...opts.test.map((t) => `--test ${t}`),
    ...opts.clause.map((c) => `--clause ${c}`),
    ...opts.tags.map((t) => `--tags ${t}`),
  ].join(' ');
}

/**
 * Terminates what the run left open. The ledger is removed when nothing can be left, and kept,
 * with the command that finishes the job, otherwise. A cleanup that could not finish does not
 * change the verdict: the report and the console say what is left.
 */
async function cleanUpAfter(session: Session, interrupts: Interrupts): Promise<CleanupSummary> {
  const total = session.ledger.entries().length;
  // Interrupted, this is what the person at the keyboard waits for; otherwise it goes with the report.
  const say = interrupts.signal ? console.error : console.log;
  if (!session.target.outlivesRun) {
    // The embedded reference, or a container: its executions end with it, so none is terminated one by one.
    if (interrupts.signal && total)
      say(
        `swf-conformance cleanup: ${session.config.targetName} ends with the run, so none of the ${total} executions it started is left open`,
      );
    session.ledger.remove();
    return { executions: total, checked: 0, terminated: 0, left: 0 };
  }
  if (interrupts.signal && total)
    console.error(`swf-conformance: terminating what is still open of the ${total} executions the run started`);
  const result = await session.cleanUp({ signal: interrupts.cleanup.signal });
  const header = `swf-conformance cleanup: ${result.checked} of ${total} executions checked, ${result.terminated} still open were terminated`;
  const left = total - result.checked + result.failed.length;
  const summary: CleanupSummary = { executions: total, checked: result.checked, terminated: result.terminated, left: 0 };
  if (left === 0) {
    if (result.terminated || interrupts.signal) say(header);
    session.ledger.remove();
    return summary;
  }
  const why = result.refused
    ? ` (the target refused the credentials: ${result.refused})`
    : result.failed[0]
      ? ` (first: ${result.failed[0].reason})`
      : '';
  say(
    `${header}; ${left} may still be open${why}; ledger kept at ${session.ledger.file}; finish with: swf-conformance cleanup --ledger ${session.ledger.file}`,
  );
  return { ...summary, left, ledger: session.ledger.file };
}

/**
 * Writes the run's recording from what the workers saved; with --baseline, diffs the baseline
 * with it, writes diff.json, diff.md and diff.html in the report folder, and returns the
 * report's "changed since the baseline".
 */
function record(
  captureDir: string,
  file: string,
  run: { opts: RunOptions; session: Session; startedAt: Date },
): ConformanceReport['baseline'] {
  const { opts, session, startedAt } = run;
  const { config } = session;
  const version = suiteVersion();
  const began = performance.now();
  const recording = buildRecording(
    readCaptured(captureDir),
    {
      target:
        config.kind === 'reference'
          ? 'embedded reference'
          : config.kind === 'container'
            ? config.targetName
            : new URL(config.endpoint).host,
      region: config.region,
      suiteVersion: version,
      date: startedAt.toISOString().slice(0, 10),
      selection: describeSelection(opts) || 'the whole battery',
    },
    { runPrefix: config.runPrefix, domains: [config.domain, config.deprecatedDomain] },
  );
  const text = `${JSON.stringify(recording)}\n`;
  writeFileSync(file, file.endsWith('.gz') ? gzipSync(text) : text);
  console.log(
    `swf-conformance: recorded ${recording.log.entries.length} exchanges of ${recording.log.pages.length} tests in ${file} (${((performance.now() - began) / 1000).toFixed(2)} s)`,
  );
  if (!opts.baseline) return undefined;
  const diff = diffRecordings(opts.baseline, file, { ignore: opts.ignore });
  const diffFiles = writeDiff(resolve(opts.report), diff);
  const short = (v: unknown) => {
    const s = v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v);
    return s.length > 200 ? `${s.slice(0, 199)}…` : s;
  };
  return {
    file: opts.baseline,
    recording: file,
    differences: diff.differences.length,
    testsDiffering: diff.tests.differing,
    testsCompared: diff.tests.compared,
    diffFiles,
    changes: diff.differences.slice(0, 50).map((d) => ({
      test: d.test,
      clauses: d.clauses,
      ...(d.exchange ? { exchange: d.exchange } : {}),
      ...(d.operation ? { operation: d.operation } : {}),
      kind: d.kind,
      at: d.at,
      baseline: short(d.expected),
      now: short(d.actual),
    })),
  };
}
