/**
 * npm run bench: the figures the project holds itself to, each with the command that reproduces
 * it. Bounded: BENCH_RUNS (default 5) runs per timing; BENCH_ROUNDS (default 3) fresh starts of
 * each server, each loaded for two windows of BENCH_SECONDS (default 5). BENCH_ONLY=4 (or 1,3)
 * runs only those sections.
 *
 *   1. the battery against the embedded reference, whole process (median of BENCH_RUNS), and
 *      where its time goes: a run's fixed cost, and the transport alone (bench/http-alone.mjs);
 *   2. the commands that do not run the battery: --help, --version, list, a usage error;
 *   3. the battery against an endpoint 50 ms away, beside its longest scenario chain;
 *   4. server throughput, 8 clients in a process of their own, SigV4 on and off, beside the
 *      peers that are installed (fakecloud, moto_server); the reference's memory after 100,000
 *      executions, kept for a day and let go (retention NONE);
 *   5. the gate: npm test's test run (vitest run, both projects) once, wall and CPU; CI prints
 *      its own time per stage at the end of .ci/run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { throttleBuckets } from '../reference/limits.ts';
import { motoInstalled, startMotoServer } from '../src/targets/moto.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'bin/swf-conformance.js');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const work = mkdtempSync(join(tmpdir(), 'swf-conformance-bench-'));
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_PROFILE: '',
  AWS_SESSION_TOKEN: '',
  SWF_CONFORMANCE_LEDGER_DIR: join(work, 'ledgers'),
};
const hasTime = existsSync('/usr/bin/time');
/** BENCH_ONLY=4 (or 1,3): the sections to run; all when unset. */
const only = process.env.BENCH_ONLY?.split(',').map((n) => n.trim());
const wanted = (section: number) => !only || only.includes(String(section));
const badOnly = only?.filter((n) => !['1', '2', '3', '4', '5'].includes(n)) ?? [];
if (badOnly.length) {
  console.error(`BENCH_ONLY: no section ${badOnly.join(', ')}; the sections are 1, 2, 3, 4 and 5`);
  process.exit(2);
}

interface Timed {
  wallS: number;
  cpuS?: number;
  rssMiB?: number;
  code: number | null;
  stdout: string;
}

/** Runs a command to its end: wall time, and CPU and peak RSS when /usr/bin/time is there. */
function timed(command: string, args: string[]): Promise<Timed> {
  const timeFile = join(work, 'time.txt');
  const [cmd, argv] = hasTime ? ['/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', command, ...args]] : [command, args];
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.on('close', (code) => {
      const wallS = (performance.now() - started) / 1000;
      if (!hasTime) return resolve({ wallS, code, stdout });
      const [user, sys, rss] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
      resolve({ wallS, cpuS: user! + sys!, rssMiB: rss! / 1024, code, stdout });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
async function medianOf(
  command: string,
  args: string[],
): Promise<{ wallS: number; cpuS?: number; rssMiB?: number; codes: (number | null)[]; last: string }> {
  const all: Timed[] = [];
  for (let i = 0; i < runs; i++) all.push(await timed(command, args));
  const pick = (k: 'wallS' | 'cpuS' | 'rssMiB') => (all[0]![k] === undefined ? undefined : median(all.map((t) => t[k]!)));
  const out: { wallS: number; cpuS?: number; rssMiB?: number; codes: (number | null)[]; last: string } = {
    wallS: median(all.map((t) => t.wallS)),
    codes: all.map((t) => t.code),
    last: all.at(-1)!.stdout,
  };
  const cpu = pick('cpuS');
  const rss = pick('rssMiB');
  if (cpu !== undefined) out.cpuS = cpu;
  if (rss !== undefined) out.rssMiB = rss;
  return out;
}

/** Starts a server process and resolves with its URL once it prints one. */
function startServer(command: string, args: string[], urlFrom: RegExp): Promise<{ url: string; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      const url = urlFrom.exec(seen)?.[1];
      if (url) {
        child.stdout.off('data', onData);
        resolve({
          url,
          stop: () =>
            new Promise((done) => {
              child.once('close', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}: ${seen}`)));
  });
}
const serve = (args: string[]) => startServer(process.execPath, [bin, 'serve', '--port', '0', ...args], /listening on (http:\/\/[\d.:]+)/);

interface Window {
  loopsPerSecond: number;
  p50RequestMs: number;
  p99RequestMs: number;
  p99LoopMs: number;
  failures: Record<string, number>;
}

/** The load generator against url: `windows` windows of BENCH_SECONDS each, one after another on the same server. */
function load(url: string, windows: number): Promise<Window[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'bench/load.ts'), url, '8', String(seconds), '10000000', 'AKIDBENCH', 'bench', String(windows)],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    // Bounded: a server that stops answering ends the figure, not the bench.
    const limit = setTimeout(() => child.kill('SIGKILL'), (windows * seconds + 30) * 1000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('close', (code) => {
      clearTimeout(limit);
      if (code === 0) resolve((JSON.parse(out) as { windows: Window[] }).windows);
      else reject(new Error(`load generator exited with ${code ?? 'a kill after its time limit'}`));
    });
  });
}

const lines: string[] = [];
const say = (line = '') => {
  lines.push(line);
  console.log(line);
};

const auth = join(work, 'auth.json');
writeFileSync(
  auth,
  JSON.stringify({ auth: { credentials: [{ accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench', principal: 'suite' }] } }),
);

// ---------------------------------------------------------------- 1. the battery
/** The clause whose few tests make the run that measures a run's fixed cost. */
const FIXED_CLAUSE = 'cancel.event.direct-attributes';
if (wanted(1)) {
  // vitest's own floor: one trivial test file, taken in turn with each battery run, so that both
  // see the same machine; the main job is held to 3× it.
  // Inside the checkout, so that the file's `import 'vitest'` resolves from its node_modules.
  const floorDir = join(root, '.tmp', 'bench-floor');
  mkdirSync(floorDir, { recursive: true });
  writeFileSync(join(floorDir, 'floor.test.mjs'), "import { test } from 'vitest';\ntest('floor', () => {});\n");
  // A config of its own: without one, vitest would find the project's and run the battery.
  writeFileSync(join(floorDir, 'vitest.config.mjs'), 'export default {};\n');
  const vitestBin = join(root, 'node_modules/vitest/vitest.mjs');
  const floors: number[] = [];
  const mains: number[] = [];
  for (let i = 0; i < runs; i++) {
    const floor = await timed(process.execPath, [vitestBin, 'run', '--root', floorDir, '--config', join(floorDir, 'vitest.config.mjs')]);
    if (floor.code !== 0) throw new Error(`vitest's floor run failed (exit ${floor.code}): ${floor.stdout.slice(-500)}`);
    floors.push(floor.wallS);
    mains.push((await timed(process.execPath, [bin, 'run', '--report', join(work, 'paired')])).wallS);
  }
  const ratios = mains.map((m, i) => m / floors[i]!);
  const battery = await medianOf(process.execPath, [bin, 'run', '--report', join(work, 'battery')]);
  // Recording's cost: runs with and without --record taken in turn, on one seed (the model-based
  // run's sequences are then the same), so that neither side gets the warmer machine.
  const plainWalls: number[] = [];
  const recordWalls: number[] = [];
  for (let i = 0; i < runs; i++) {
    plainWalls.push((await timed(process.execPath, [bin, 'run', '--seed', '1', '--report', join(work, 'plain')])).wallS);
    recordWalls.push((await timed(process.execPath, [bin, 'run', '--seed', '1', '--report', join(work, 'recorded'), '--record'])).wallS);
  }
  const recording = { wallS: median(recordWalls), plainS: median(plainWalls) };
  // Where the time goes: a run's fixed cost (a run of one clause's few tests), and the transport's
  // share (as many exchanges as the battery sent, over the same HTTP stack, with nothing else).
  const fixed = await medianOf(process.execPath, [bin, 'run', '--clause', FIXED_CLAUSE, '--report', join(work, 'fixed')]);
  // A clause renamed away would leave a usage error's time in its place: the figure is refused instead.
  if (fixed.codes.some((code) => code !== 0))
    throw new Error(`the fixed-cost run (--clause ${FIXED_CLAUSE}) exited ${fixed.codes.join(', ')}: ${fixed.last.slice(-300)}`);
  const fixedTests = (JSON.parse(readFileSync(join(work, 'fixed', 'conformance.json'), 'utf8')) as { summary: { tests: number } }).summary
    .tests;
  const report = JSON.parse(readFileSync(join(work, 'battery', 'conformance.json'), 'utf8')) as { calls: Record<string, number> };
  const exchanges = Object.values(report.calls).reduce((a, b) => a + b, 0);
  const transports: { wallS: number; cpuS: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await timed(process.execPath, [join(root, 'bench/http-alone.mjs'), String(exchanges)]);
    if (t.code !== 0) throw new Error(`bench/http-alone.mjs failed (exit ${t.code}): ${t.stdout.slice(-500)}`);
    transports.push(JSON.parse(t.stdout) as { wallS: number; cpuS: number });
  }
  const transport = { wallS: median(transports.map((t) => t.wallS)), cpuS: median(transports.map((t) => t.cpuS)) };
  const floorS = median(floors);
  const recorded = join(work, 'recorded', 'recording.har.gz');
  const recordedKiB = existsSync(recorded) ? statSync(recorded).size / 1024 : NaN;
  const plainMiB = existsSync(recorded) ? gunzipSync(readFileSync(recorded)).length / 1024 / 1024 : NaN;
  say(`## 1. The battery against the embedded reference (median of ${runs}, whole process)`);
  say();
  say('| figure | value | target |');
  say('|---|---:|---|');
  say(`| wall | ${battery.wallS.toFixed(2)} s | < 3 s |`);
  say(
    `| wall against vitest's floor (one trivial file), paired run by run | ${median(mains).toFixed(2)} s against ${floorS.toFixed(2)} s: ${median(ratios).toFixed(1)}× (runs: ${ratios.map((r) => r.toFixed(1)).join(', ')}) | ≤ 3× |`,
  );
  if (battery.cpuS !== undefined) say(`| CPU (user + system) | ${battery.cpuS.toFixed(2)} s | |`);
  if (battery.rssMiB !== undefined) say(`| peak RSS of the CLI process | ${battery.rssMiB.toFixed(0)} MiB | |`);
  say(`| exit codes | ${battery.codes.join(', ')} | 0 |`);
  say(
    `| wall with \`--record\`, against without it (one seed, taken in turn) | ${recording.wallS.toFixed(2)} s against ${recording.plainS.toFixed(2)} s: ${recording.wallS >= recording.plainS ? '+' : ''}${(((recording.wallS - recording.plainS) / recording.plainS) * 100).toFixed(1)}% | < +10% |`,
  );
  say(
    `| where the time goes: a run of one clause's ${fixedTests} tests (start-up, set-up, report) | ${fixed.wallS.toFixed(2)} s wall${fixed.cpuS !== undefined ? `, ${fixed.cpuS.toFixed(2)} s CPU` : ''} | |`,
  );
  say(
    `| the transport alone: ${exchanges} exchanges (the battery's) over undici and \`node:http\`, two worker threads, no signing, no checks (\`bench/http-alone.mjs\`) | ${transport.wallS.toFixed(2)} s wall, ${transport.cpuS.toFixed(2)} s CPU | |`,
  );
  say(
    `| the floor plus the transport alone: the bound were the suite's own work free | ${(floorS + transport.wallS).toFixed(2)} s: ${((floorS + transport.wallS) / floorS).toFixed(1)}× the floor | |`,
  );
  if (battery.cpuS !== undefined && fixed.cpuS !== undefined)
    say(
      `| the suite's own work per exchange (signing, verifying, schemas, wire checks, the test runner, the reference's engine): the battery's CPU less the fixed run's and the transport's, over ${exchanges} | ${(((battery.cpuS - fixed.cpuS - transport.cpuS) / exchanges) * 1e6).toFixed(0)} µs CPU, against the transport's ${((transport.cpuS / exchanges) * 1e6).toFixed(0)} µs | |`,
    );
  say(`| the recording of the whole battery | ${recordedKiB.toFixed(0)} KiB gzipped, ${plainMiB.toFixed(2)} MiB as plain HAR | < 2 MB |`);
  say();
  say(
    `reproduce: \`time npx swf-conformance run\`, \`time npx swf-conformance run --record\`, \`time npx swf-conformance run --clause ${FIXED_CLAUSE}\`, \`node bench/http-alone.mjs N\``,
  );
}

// ---------------------------------------------------------------- 2. commands
if (wanted(2)) {
  say();
  say(`## 2. Commands that do not run the battery (median of ${runs})`);
  say();
  say('| command | wall | exit | target |');
  say('|---|---:|---:|---|');
  for (const args of [['--help'], ['--version'], ['list'], ['run', '--clause', 'no.such.clause'], ['run', '--endpoint', 'nowhere']]) {
    const t = await medianOf(process.execPath, [bin, ...args]);
    say(`| \`swf-conformance ${args.join(' ')}\` | ${(t.wallS * 1000).toFixed(0)} ms | ${t.codes[0]} | < 300 ms |`);
  }
  say();
  say('reproduce: `time npx swf-conformance list` (and the others)');
  // The same commands from the npm tarball installed into an empty project (npm's cache or registry needed).
  const pkg = join(work, 'package');
  mkdirSync(join(pkg, 'project'), { recursive: true });
  const packed = spawnSync('npm', ['pack', '--pack-destination', pkg, '--silent'], { cwd: root, encoding: 'utf8' });
  const tarball = packed.status === 0 ? join(pkg, packed.stdout.trim().split('\n').at(-1)!) : '';
  writeFileSync(join(pkg, 'project', 'package.json'), '{"name":"bench-project","version":"1.0.0","private":true}');
  const install = tarball
    ? spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: join(pkg, 'project'), encoding: 'utf8' })
    : undefined;
  say();
  if (install?.status !== 0) {
    say(`installed from the tarball: not measured (${tarball ? 'npm install failed' : 'npm pack failed'})`);
  } else {
    const installedBin = join(pkg, 'project', 'node_modules', '.bin', 'swf-conformance');
    say('| installed from the npm tarball | wall | exit | target |');
    say('|---|---:|---:|---|');
    for (const args of [['--version'], ['list']]) {
      const t = await medianOf(installedBin, args);
      say(`| \`swf-conformance ${args.join(' ')}\` | ${(t.wallS * 1000).toFixed(0)} ms | ${t.codes[0]} | < 300 ms |`);
    }
    say();
    say('reproduce: `npm pack`, then `npm install ./swf-conformance-*.tgz` in an empty project and `time npx swf-conformance list`');
  }
}

// ---------------------------------------------------------------- 3. 50 ms away
if (wanted(3)) {
  const far = await serve(['--config', auth, '--latency', '50', '--poll-timeout', '1000']);
  let farRun: Timed;
  try {
    farRun = await timed(process.execPath, [bin, 'run', '--endpoint', far.url, '--report', join(work, 'far')]);
  } finally {
    await far.stop();
  }
  type FarReport = {
    verdict: string;
    calls?: Record<string, number>;
    phases?: { setupMs: number; batteryMs: number; cleanupMs: number };
    clauses: { tests: { fullName: string; durationMs: number; calls?: Record<string, number> }[] }[];
  };
  const farReport = JSON.parse(readFileSync(join(work, 'far', 'conformance.json'), 'utf8')) as FarReport;
  const farTests = [...new Map(farReport.clauses.flatMap((c) => c.tests).map((t) => [t.fullName, t])).values()];
  const callsOf = (t: { calls?: Record<string, number> }) => Object.values(t.calls ?? {}).reduce((a, b) => a + b, 0);
  const byCalls = [...farTests].sort((a, b) => callsOf(b) - callsOf(a))[0]!;
  const byTime = [...farTests].sort((a, b) => b.durationMs - a.durationMs)[0]!;
  // The longest chain: the slowest test at 50 ms a request, its deliberate waits (an empty long poll) included.
  const chainS = byTime.durationMs / 1000;
  // Start-up: all but the battery's phase (the CLI's start, the set-up calls, the cleanup, the reports).
  // The battery's phase keeps vitest's own start, so the figure is on the safe side.
  const batteryS = (farReport.phases?.batteryMs ?? 0) / 1000;
  const startupS = farRun.wallS - batteryS;
  const budgetS = 2 * chainS + startupS;
  const totalCalls = Object.values(farReport.calls ?? {}).reduce((a, b) => a + b, 0);
  // The token buckets of CONTRACT-NOTES, as the reference's throttling mode holds them.
  const overBucket = Object.entries(farReport.calls ?? {}).filter(([op, n]) => n > (throttleBuckets[op]?.capacity ?? Infinity));
  say();
  say('## 3. The battery against an endpoint 50 ms away (`serve --latency 50 --poll-timeout 1000`)');
  say();
  say('| figure | value |');
  say('|---|---:|');
  say(`| wall | ${farRun.wallS.toFixed(2)} s (verdict ${farReport.verdict}) |`);
  say(`| longest scenario chain (slowest test) | ${chainS.toFixed(2)} s: ${byTime.fullName} (${callsOf(byTime)} requests and its waits) |`);
  say(`| most requests in one test | ${callsOf(byCalls)} ≈ ${(callsOf(byCalls) * 0.05).toFixed(2)} s at 50 ms: ${byCalls.fullName} |`);
  say(`| the battery's phase (vitest, its start included) | ${batteryS.toFixed(2)} s |`);
  say(
    `| start-up: the rest (CLI start, set-up ${((farReport.phases?.setupMs ?? 0) / 1000).toFixed(2)} s, cleanup ${((farReport.phases?.cleanupMs ?? 0) / 1000).toFixed(2)} s, reports) | ${startupS.toFixed(2)} s |`,
  );
  say(`| budget: 2 × chain + start-up | ${budgetS.toFixed(2)} s: ${farRun.wallS <= budgetS ? 'within' : 'OVER'} |`);
  say(
    `| requests the tests sent | ${totalCalls}: ${Object.entries(farReport.calls ?? {})
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')} |`,
  );
  say(`| any API over its token bucket in one run | ${overBucket.length ? overBucket.map(([op]) => op).join(', ') : 'none'} |`);
  say();
  say(
    'reproduce: `npx swf-conformance serve --port 8080 --latency 50 --poll-timeout 1000 --config auth.json` and `npx swf-conformance run --endpoint http://127.0.0.1:8080`',
  );
}

// ---------------------------------------------------------------- 4. throughput and memory
if (wanted(4)) {
  const fakecloudBin = join(root, 'tools/fakecloud-swf-server/target/release/fakecloud-swf-server');
  const targets: { name: string; once?: boolean; start: () => Promise<{ url: string; stop(): Promise<void> }> }[] = [
    { name: 'reference, SigV4 verified', start: () => serve(['--config', auth]) },
    { name: 'reference, SigV4 not verified', start: () => serve(['--auth', 'off']) },
  ];
  if (existsSync(fakecloudBin)) {
    targets.push({
      name: 'fakecloud-swf (Rust)',
      start: async () => {
        const port = 20_000 + Math.floor(Math.random() * 20_000);
        const child = spawn(fakecloudBin, [String(port)], { stdio: 'ignore' });
        await new Promise((r) => setTimeout(r, 500));
        return {
          url: `http://127.0.0.1:${port}`,
          stop: () =>
            new Promise((done) => {
              child.once('close', () => done());
              child.kill('SIGTERM');
            }),
        };
      },
    });
  }
  if (motoInstalled())
    targets.push({
      name: 'moto_server 5',
      once: true,
      start: async () => {
        const m = await startMotoServer();
        return { url: m.url, stop: () => m.stop() };
      },
    });

  // Each server is started afresh ROUNDS times (interleaved, so that a slow spell of the machine
  // falls on every server alike) and loaded for two windows: the first from an empty server, the
  // second holding what the first left. The figures are the medians over the rounds.
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const measured = new Map<string, Window[][]>();
  for (let round = 0; round < rounds; round++) {
    for (const t of targets) {
      if (t.once && round > 0) continue;
      const server = await t.start();
      try {
        measured.set(t.name, [...(measured.get(t.name) ?? []), await load(server.url, 2)]);
      } catch (error) {
        say(`${t.name}: no figure in round ${round + 1} (${(error as Error).message})`);
      } finally {
        await server.stop();
      }
    }
  }
  /** The window-th window's figures, each the median over the rounds; failures summed. */
  function medianWindow(runs: Window[][], window: number): Window {
    const ws = runs.map((r) => r[window]!);
    const failures: Record<string, number> = {};
    for (const w of ws) for (const [k, n] of Object.entries(w.failures)) failures[k] = (failures[k] ?? 0) + n;
    return {
      loopsPerSecond: median(ws.map((w) => w.loopsPerSecond)),
      p50RequestMs: median(ws.map((w) => w.p50RequestMs)),
      p99RequestMs: median(ws.map((w) => w.p99RequestMs)),
      p99LoopMs: median(ws.map((w) => w.p99LoopMs)),
      failures,
    };
  }
  const figures = [...measured].map(([name, runs]) => ({
    name,
    runs: runs.length,
    fresh: medianWindow(runs, 0),
    held: medianWindow(runs, 1),
    each: runs.map((r) => r[0]!.loopsPerSecond),
  }));
  const peers = figures.filter((f) => !f.name.startsWith('reference'));
  // The peer at its best: the better of its two windows (a server whose throughput falls as it
  // holds more executions is judged by its fresh window, a JIT's by its warm one).
  const best = (f: (typeof figures)[number]) => Math.max(f.fresh.loopsPerSecond, f.held.loopsPerSecond);
  const fastestPeer = Math.max(0, ...peers.map(best));
  const times = (x: number) => (fastestPeer ? `${(x / fastestPeer).toFixed(2)}×` : 'no peer installed');
  say();
  say(`## 4. Server throughput: 8 clients in their own process, Start → RequestCancel → Terminate → GetWorkflowExecutionHistory`);
  say();
  say(
    `Each server started afresh ${rounds} times, interleaved; medians of the starts. "fresh": the first ${seconds} s from an empty server (a JIT's warm-up included); "held": the next ${seconds} s, holding the first window's executions. The ratios are to the fastest peer at its best window.`,
  );
  say();
  say(
    '| server | fresh loops/s (each start) | fresh × peer | held loops/s | held × peer | p50 request | p99 request | p99 loop | failed |',
  );
  say('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const f of figures) {
    const failed =
      Object.entries({ ...f.fresh.failures, ...f.held.failures })
        .map(([k, n]) => `${k} ×${n}`)
        .join(', ') || 'none';
    say(
      `| ${f.name} | ${f.fresh.loopsPerSecond.toFixed(0)} (${f.each.map((x) => x.toFixed(0)).join(', ')}) | ${times(f.fresh.loopsPerSecond)} | ${f.held.loopsPerSecond.toFixed(0)} | ${times(f.held.loopsPerSecond)} | ${f.fresh.p50RequestMs.toFixed(2)} ms | ${f.fresh.p99RequestMs.toFixed(2)} ms | ${f.fresh.p99LoopMs.toFixed(2)} ms | ${failed} |`,
    );
  }
  say();
  say(
    'reproduce: `npx swf-conformance serve --port 8080 [--config auth.json]` and `node --import tsx bench/load.ts http://127.0.0.1:8080 8 5 10000000 AKIDBENCH bench 2`',
  );

  const memory = await new Promise<{ retention: string; executions: number; held: number; heapMiB: number; seconds: number }[]>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(root, 'bench/memory.ts'), '100000'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench/memory.ts exited with ${code}`))));
    },
  );
  say();
  say('| the reference after 100,000 executions (started, cancel-requested, terminated) | executions held | heap growth | time |');
  say('|---|---:|---:|---:|');
  for (const m of memory)
    say(
      `| domain retention ${m.retention === 'NONE' ? 'NONE (closed executions let go)' : `${m.retention} day`} | ${m.held} | ${m.heapMiB.toFixed(1)} MiB | ${m.seconds.toFixed(2)} s |`,
    );
  say();
  say('reproduce: `node --expose-gc --import tsx bench/memory.ts 100000`');
}

// ---------------------------------------------------------------- 5. the gate
if (wanted(5)) {
  say();
  say("## 5. The gate: npm test's test run, once");
  say();
  const gate = await timed(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run']);
  say('| figure | value | target |');
  say('|---|---:|---|');
  say(`| wall of \`vitest run\` (the unit project and the battery) | ${gate.wallS.toFixed(0)} s | < 180 s |`);
  if (gate.cpuS !== undefined) say(`| CPU (user + system) | ${gate.cpuS.toFixed(0)} s | |`);
  say(`| exit code | ${gate.code} | 0 |`);
  say();
  say("reproduce: `time npx vitest run`; CI prints each stage's time, and its budget, at the end of `.ci/run`");
}

rmSync(work, { recursive: true, force: true });
