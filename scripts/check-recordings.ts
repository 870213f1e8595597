/**
 * What `run --record` and `diff` are worth, measured (CI runs it):
 *
 * 1. The reference against itself: N recordings of the whole battery, each diffed with the first;
 *    every diff must be empty.
 * 2. Deviations: the reference served plain, and served with each of the first M catalogue
 *    deviations of what the two operations do to an execution (those whose clauses are all of
 *    the cancel and terminate concerns; a wire deviation such as zero-ids-omitted changes every
 *    start event, and a runId deviation such as omitted-runid-refused the set-up of tests that
 *    name runs so, before any test acts), recorded; each deviation's recording diffed with
 *    the plain one. Such a deviation changes what the two operations do (directly, or through a
 *    decision that closes or asks a cancel), so every difference must fall in an exchange made at
 *    or after the test's first
 *    RequestCancelWorkflowExecution, TerminateWorkflowExecution or RespondDecisionTaskCompleted,
 *    and a deviation must show at least one, in a test that cites a clause it breaks. How many
 *    differing tests cite one of its clauses, and how many only see its effects, is printed.
 *
 * Usage: tsx scripts/check-recordings.ts [--self N] [--deviations M] [--out DIR]
 * Exit 1 when a self-diff is not empty or a deviation differs outside its clauses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spec } from '../src/contract/spec.ts';
import { diffRecordings, readRecording } from '../src/recordings/diff.ts';
import { deviationCatalogue } from '../reference/deviations/catalogue.ts';

const { values } = parseArgs({
  options: { self: { type: 'string', default: '10' }, deviations: { type: 'string', default: '12' }, out: { type: 'string' } },
});
const selfRuns = Number(values.self);
const deviationRuns = Number(values.deviations);
if (!Number.isInteger(selfRuns) || selfRuns < 0 || !Number.isInteger(deviationRuns) || deviationRuns < 0) {
  console.error('check-recordings: --self and --deviations take whole numbers');
  process.exit(2);
}
const out = values.out ?? mkdtempSync(join(tmpdir(), 'swf-conformance-recordings-'));
mkdirSync(out, { recursive: true });
const bin = join(import.meta.dirname, '..', 'bin', 'swf-conformance.js');
const env = { ...process.env, SWF_CONFORMANCE_MODEL_RUNS: '0', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

function cli(args: string[]): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, ms: performance.now() - started }));
  });
}

/** Every `serve` started and not yet stopped: stopped when this script ends, however it ends (one failing run leaves the other's server behind otherwise). */
const serving = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of serving) child.kill('SIGTERM');
});

/** `serve` with these flags on a free port of 127.0.0.1; resolves with its URL. */
function serve(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--poll-timeout', '250', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    serving.add(child);
    child.on('exit', () => serving.delete(child));
    let text = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`serve ${args.join(' ')} did not start`));
    }, 15_000);
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(text)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ url, child });
      }
    });
  });
}

async function recordAgainst(name: string, serveArgs: string[] | undefined): Promise<string> {
  const file = join(out, `${name}.har.gz`);
  const server = serveArgs ? await serve(serveArgs) : undefined;
  try {
    const target = server ? ['--endpoint', server.url, '--consistency-window', '2'] : [];
    const res = await cli(['run', ...target, '--report', join(out, name), '--record', file, '--seed', '1']);
    if (res.code === 2) throw new Error(`the run against ${name} could not run:\n${res.stdout.slice(-2000)}`);
    console.log(`recorded ${name}: ${(statSync(file).size / 1024).toFixed(0)} KiB gzipped, run ${(res.ms / 1000).toFixed(1)} s`);
  } finally {
    server?.child.kill('SIGTERM');
  }
  return file;
}

/** Maps the items two at a time (the machine CI runs on has two cores), keeping their order. */
async function twoAtATime<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
    }),
  );
  return results;
}

let failed = false;
if (selfRuns > 0) {
  const first = await recordAgainst('reference-1', undefined);
  let empty = 0;
  const others = Array.from({ length: Math.max(selfRuns - 1, 0) }, (_, k) => k + 2);
  const files = await twoAtATime(others, (i) => recordAgainst(`reference-${i}`, undefined));
  for (const [k, file] of files.entries()) {
    const i = others[k]!;
    const diff = diffRecordings(first, file);
    if (diff.differences.length === 0) empty += 1;
    else {
      failed = true;
      console.log(
        `✗ reference-${i} differs from reference-1: ${diff.differences.length} differences, first: ${JSON.stringify(diff.differences[0]).slice(0, 300)}`,
      );
    }
  }
  console.log(`the reference against itself: ${empty} of ${selfRuns - 1} recordings identical to the first (${selfRuns} recordings)`);
}

if (deviationRuns > 0) {
  const plain = await recordAgainst('serve-plain', []);
  // Each test's first exchange that can reach what a deviation changes (numbered from 1).
  const ACTS = new Set(['RequestCancelWorkflowExecution', 'TerminateWorkflowExecution', 'RespondDecisionTaskCompleted']);
  const firstActing = new Map<string, number>();
  for (const [name, test] of readRecording(plain).tests) {
    const at = test.entries.findIndex((e) => ACTS.has(e._operation));
    firstActing.set(name, at < 0 ? Number.POSITIVE_INFINITY : at + 1);
  }
  const rows: string[] = [];
  const behaviour = new Set(['cancel', 'terminate']);
  const { byId } = spec();
  const chosen = deviationCatalogue.filter((d) => d.breaks.every((c) => behaviour.has(byId.get(c)?.concern ?? ''))).slice(0, deviationRuns);
  const recorded = await twoAtATime(chosen, (d) => recordAgainst(`serve-${d.name}`, ['--deviate', d.name]));
  for (const [k, deviation] of chosen.entries()) {
    const file = recorded[k]!;
    const diff = diffRecordings(plain, file);
    const breaks = new Set(deviation.breaks);
    const tests = new Map<string, string[]>();
    for (const d of diff.differences) tests.set(d.test, d.clauses);
    const citing = [...tests].filter(([, clauses]) => clauses.some((c) => breaks.has(c))).length;
    const early = diff.differences.filter(
      (d) => d.exchange !== undefined && d.exchange < (firstActing.get(d.test) ?? Number.POSITIVE_INFINITY),
    );
    if (early.length || citing === 0) failed = true;
    rows.push(`| ${deviation.name} | ${diff.differences.length} | ${tests.size} | ${citing} | ${tests.size - citing} | ${early.length} |`);
    for (const d of early.slice(0, 5))
      console.log(`  ${deviation.name}: a difference before the test acted: ${d.test} #${d.exchange} ${d.operation} ${d.kind} at ${d.at}`);
  }
  console.log(
    [
      '',
      '| deviation | differences | tests differing | citing its clauses | seeing its effects | before the first act (must be 0) |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows,
    ].join('\n'),
  );
}
console.log(`recordings and diffs in ${out}`);
process.exit(failed ? 1 : 0);
