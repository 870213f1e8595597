import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openExecutionsOf, rewritingProxy, runCli, spawnCli, startServe, stop } from './helpers.ts';

/**
 * Interrupting `swf-conformance run` at any moment leaves none of the run's executions open:
 * each case runs the battery against `serve` (a target that outlives the run, like AWS), sends a
 * signal at one point of the run, and then asks the target what is still open.
 */
let serve: { url: string; child: ChildProcess };
const dir = mkdtempSync(join(tmpdir(), 'swf-conformance-interrupt-'));
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

interface Point { point: string; signal: NodeJS.Signals; when: RegExp; group: boolean; delayMs?: number }

describe('an interrupted run terminates every execution it started', () => {
  test.for<Point>([
    { point: 'during the set-up, before the battery starts', signal: 'SIGINT', when: /running the battery against/, group: false },
    { point: 'while vitest starts', signal: 'SIGINT', when: /running the battery against/, delayMs: 700, group: false },
    { point: 'after the first suite file ends (Ctrl-C to the process group)', signal: 'SIGINT', when: /^[✓✗] suites\//m, group: true },
    { point: 'after three suite files end', signal: 'SIGINT', when: /(^[✓✗] suites\/.*\n){3}/m, group: false },
    { point: 'SIGTERM in the middle of the run', signal: 'SIGTERM', when: /(^[✓✗] suites\/.*\n){2}/m, group: false },
  ])('$point', { timeout: 90_000 }, async ({ signal, when, group, delayMs }) => {
    const runPrefix = prefix();
    const ledgers = join(dir, runPrefix);
    const cli = spawnCli(['run', '--endpoint', serve.url, '--report', join(dir, `report-${runPrefix}`)], { ...credentials, SWF_CONFORMANCE_RUN_PREFIX: runPrefix, SWF_CONFORMANCE_LEDGER_DIR: ledgers });
    await cli.waitFor(when, 60_000);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    cli.kill(signal, group);
    const signalled = performance.now();
    const code = await cli.exited;
    // The run stops at each test's next request, and cuts its long polls short: it does not wait
    // out a poll that hands out nothing (60 s on this target, as on AWS) in any worker.
    expect(performance.now() - signalled, cli.stdout + cli.stderr).toBeLessThan(30_000);
    expect(code, cli.stdout + cli.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(cli.stderr).toMatch(new RegExp(`${signal}: stopping the run`));
    noStackTrace(cli.stdout + cli.stderr);
    expect(cli.stderr).toMatch(/swf-conformance cleanup: (\d+) of \1 executions checked/);
    expect(await openExecutionsOf(serve.url, runPrefix)).toEqual([]);
    // A finished cleanup leaves no ledger behind.
    expect(cli.stderr).not.toMatch(/ledger kept/);
    expect(existsSync(ledgers) ? readdirSync(ledgers) : []).toEqual([]);
  });

  test('a second Ctrl-C stops the cleanup, names the ledger, and `cleanup --ledger` finishes the job', async () => {
    const runPrefix = prefix();
    // Once the run is interrupted, every answer is held back 1.5 s, so that the cleanup is still
    // going when the second Ctrl-C arrives, however loaded the machine.
    let slow = false;
    const proxy = await rewritingProxy(serve.url, (_operation, answer) => slow ? new Promise((r) => setTimeout(() => r(answer), 1_500)) : answer);
    try {
      const cli = spawnCli(['run', '--endpoint', proxy.url, '--report', join(dir, `report-${runPrefix}`)], { ...credentials, SWF_CONFORMANCE_RUN_PREFIX: runPrefix, SWF_CONFORMANCE_LEDGER_DIR: join(dir, runPrefix) });
      await cli.waitFor(/(^[✓✗] suites\/.*\n){2}/m, 60_000);
      slow = true;
      cli.kill('SIGINT');
      await cli.waitFor(/terminating what is still open/);
      cli.kill('SIGINT');
      expect(await cli.exited).toBe(130);
      slow = false;
      const ledger = /ledger kept at (\S+);/.exec(cli.stderr)?.[1];
      expect(ledger, cli.stderr).toBeDefined();
      expect(cli.stderr).toMatch(/finish with: swf-conformance cleanup --ledger /);
      // The cleanup was stopped once, not tried again; the ledger alone is left for `cleanup`.
      expect(cli.stderr.match(/terminating what is still open/g), cli.stderr).toHaveLength(1);
      expect(readdirSync(dirname(ledger!))).toEqual([basename(ledger!)]);
      noStackTrace(cli.stdout + cli.stderr);
      const finished = await runCli(['cleanup', '--ledger', ledger!], { env: credentials, timeoutMs: 60_000 });
      expect(finished.code, finished.stdout + finished.stderr).toBe(0);
      expect(existsSync(ledger!)).toBe(false);
      expect(await openExecutionsOf(serve.url, runPrefix)).toEqual([]);
    } finally {
      proxy.close();
    }
  }, 120_000);
});
