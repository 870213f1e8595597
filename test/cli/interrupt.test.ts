import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openExecutionsOf, rewritingProxy, runCli, spawnCli, startServe, stop } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

/**
 * Interrupting `swf-conformance run` at any moment leaves none of the run's executions open:
 * each case runs the battery against `serve` (a target that outlives the run, like AWS), sends a
 * signal at one point of the run, and then asks the target what is still open.
 */
let serve: { url: string; child: ChildProcess };
const dir = tempDir('interrupt');
const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
let n = 0;
const prefix = () => `swfc-int-${process.pid}-${(n += 1)}`;

beforeAll(async () => {
  // A little latency, as from a distant region, so that the run lasts long enough to interrupt.
  serve = await startServe(['--latency', '15']);
});
afterAll(async () => {
  if (serve) await stop(serve.child);
});

const noStackTrace = (text: string) => expect(text, text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

interface Point {
  point: string;
  signal: NodeJS.Signals;
  when: RegExp;
  group: boolean;
}

/** What the cleanup sends; anything else after the stop is a test still sending. */
const CLEANUP_OPERATIONS = new Set(['DescribeWorkflowExecution', 'TerminateWorkflowExecution']);

describe('an interrupted run stops sending within a second and terminates every execution it started', () => {
  // Each point is an event the run itself announces (SWF_CONFORMANCE_PHASES=1) or a line it
  // prints: the signal is sent on the event, never after a guessed delay.
  test.for<Point>([
    { point: 'while the endpoint is checked (start-up)', signal: 'SIGINT', when: /phase: start-up/, group: false },
    { point: 'during the set-up, before the battery starts', signal: 'SIGINT', when: /phase: set-up/, group: false },
    { point: 'while vitest starts', signal: 'SIGINT', when: /phase: vitest-start/, group: false },
    { point: 'as the battery starts', signal: 'SIGINT', when: /phase: battery/, group: false },
    { point: 'after the first suite file ends (Ctrl-C to the process group)', signal: 'SIGINT', when: /^[✓✗] suites\//m, group: true },
    { point: 'SIGTERM in the middle of the run', signal: 'SIGTERM', when: /(^[✓✗] suites\/.*\n){2}/m, group: false },
  ])('$point', { timeout: 90_000 }, async ({ signal, when, group }) => {
    const runPrefix = prefix();
    const ledgers = join(dir, runPrefix);
    const reportDir = join(dir, `report-${runPrefix}`);
    // Every request the run sends, with when its answer came, as the target's side sees it.
    const seen: { at: number; operation: string }[] = [];
    const proxy = await rewritingProxy(serve.url, (operation, answer) => {
      seen.push({ at: performance.now(), operation });
      return answer;
    });
    try {
      const cli = spawnCli(['run', '--endpoint', proxy.url, '--report', reportDir], {
        ...credentials,
        SWF_CONFORMANCE_RUN_PREFIX: runPrefix,
        SWF_CONFORMANCE_LEDGER_DIR: ledgers,
        SWF_CONFORMANCE_PHASES: '1',
      });
      await cli.waitFor(when, 60_000);
      cli.kill(signal, group);
      const signalled = performance.now();
      const code = await cli.exited;
      const output = cli.stdout + cli.stderr;
      // Past a second after the signal, only the cleanup's calls reach the target.
      const late = seen.filter((r) => r.at > signalled + 1_000 && !CLEANUP_OPERATIONS.has(r.operation));
      expect(
        late.map((r) => `${r.operation} +${Math.round(r.at - signalled)} ms`),
        output,
      ).toEqual([]);
      // The run stops at each test's next request, and cuts its long polls short.
      expect(performance.now() - signalled, output).toBeLessThan(30_000);
      expect(code, output).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(cli.stderr).toMatch(new RegExp(`${signal}: stopping the run`));
      noStackTrace(output);
      // Stopped before a target was opened, the run says so, and sent nothing but the reachability probe.
      if (!existsSync(join(reportDir, 'conformance.json'))) {
        expect(cli.stderr).toMatch(/nothing was run/);
        expect(seen.filter((r) => r.operation !== '')).toEqual([]);
        return;
      }
      expect(await openExecutionsOf(serve.url, runPrefix)).toEqual([]);
      // A finished cleanup leaves no ledger behind.
      expect(cli.stderr).not.toMatch(/ledger kept/);
      expect(existsSync(ledgers) ? readdirSync(ledgers) : []).toEqual([]);
      // What the stop cut short is not run, never a failure: no clause is charged.
      const report = JSON.parse(readFileSync(join(reportDir, 'conformance.json'), 'utf8')) as {
        verdict: string;
        clauses: { id: string; status: string; tests: { status: string; message?: string }[] }[];
      };
      expect(report.verdict).toBe('incomplete');
      expect(
        report.clauses.filter((c) => c.status === 'fail' || c.status === 'advisory-fail').map((c) => c.id),
        output,
      ).toEqual([]);
      expect(
        report.clauses
          .flatMap((c) => c.tests)
          .filter((t) => t.status === 'fail' || t.status === 'advisory-fail')
          .map((t) => t.message),
        output,
      ).toEqual([]);
    } finally {
      proxy.close();
    }
  });

  test('a second Ctrl-C stops the cleanup, names the ledger, and `cleanup --ledger` finishes the job', async () => {
    const runPrefix = prefix();
    // Once the run is interrupted, every answer is held back 5 s, so that the cleanup's first wave
    // (its reads) is still waiting when the second Ctrl-C arrives, however loaded the machine: held
    // 1.5 s, a busy machine let the first wave end and the terminations go out before the signal
    // was handled, and the cleanup finished.
    // Once the cleanup has begun, answers are held until the test lets them go: the second Ctrl-C
    // must end the requests it is waiting on, not wait for their answers.
    let slow = false;
    let holding = false;
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const proxy = await rewritingProxy(serve.url, (_operation, answer) =>
      slow
        ? new Promise((r) =>
            setTimeout(() => {
              if (holding) void released.then(() => r(answer));
              else r(answer);
            }, 5_000),
          )
        : answer,
    );
    try {
      const cli = spawnCli(['run', '--endpoint', proxy.url, '--report', join(dir, `report-${runPrefix}`)], {
        ...credentials,
        SWF_CONFORMANCE_RUN_PREFIX: runPrefix,
        SWF_CONFORMANCE_LEDGER_DIR: join(dir, runPrefix),
      });
      await cli.waitFor(/(^[✓✗] suites\/.*\n){2}/m, 60_000);
      slow = true;
      cli.kill('SIGINT');
      await cli.waitFor(/terminating what is still open/);
      holding = true;
      cli.kill('SIGINT');
      expect(await cli.exited).toBe(130);
      slow = false;
      release();
      const ledger = /ledger kept at (\S+);/.exec(cli.stderr)?.[1];
      expect(ledger, cli.stderr).toBeDefined();
      expect(cli.stderr).toMatch(/finish with: swf-conformance cleanup --ledger /);
      // The cleanup was stopped once, not tried again; the ledger alone is left for `cleanup`.
      expect(cli.stderr.match(/terminating what is still open/g), cli.stderr).toHaveLength(1);
      // The requests it was waiting on were ended, not waited out until they failed.
      expect(cli.stderr).not.toMatch(/\(first: /);
      expect(readdirSync(dirname(ledger!))).toEqual([basename(ledger!)]);
      noStackTrace(cli.stdout + cli.stderr);
      const finished = await runCli(['cleanup', '--ledger', ledger!], { env: credentials, timeoutMs: 60_000 });
      expect(finished.code, finished.stdout + finished.stderr).toBe(0);
      expect(existsSync(ledger!)).toBe(false);
      expect(await openExecutionsOf(serve.url, runPrefix)).toEqual([]);
    } finally {
      release();
      proxy.close();
    }
  }, 120_000);
});
