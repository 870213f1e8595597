/**
 * npm run strength [-- NAME ...] [--force]: the battery's mutation score. The battery runs against
 * the reference once per deviation of its catalogue (reference/deviations/catalogue.ts), each in a
 * fresh reference, and the run's report says whether the deviation was caught:
 *   gating    a clause it breaks failed the run;
 *   advisory  a clause it breaks failed as advisory only (inferred);
 *   missed    nothing it breaks failed.
 * A deviation of a documented or recorded clause must be caught gating; an inferred one at least
 * as advisory. Exit 0 when every deviation is caught as its grade demands, 1 otherwise.
 *
 * Each run selects the tests of the clauses the deviation breaks (--clause): the verdict is read
 * from those clauses alone, and a clause's status comes from its own tests, so the rest of the
 * battery could not change it. Verdicts are kept in test/strength/verdicts.json with a fingerprint
 * of what each depends on (the reference, the harness and CLI, spec/, schemas/, fixtures/, the
 * lockfile, this script, the deviation's entry, and the suite files holding its clauses' tests);
 * a verdict is reused, and said to be, only while its fingerprint is unchanged. --force runs all.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deviationCatalogue, type Deviation, type Mechanism } from '../reference/deviations/catalogue.ts';
import { scenes } from '../src/model/scenes.ts';
import { EVERY_EXCHANGE } from '../src/report/results.ts';
import { startReference } from '../reference/server.ts';
import { spec } from '../src/contract/spec.ts';
import { referencePrincipals } from '../src/targets/reference.ts';
import { batteryIndex } from '../src/harness/collect.ts';
import { projectRoot } from '../src/contract/paths.ts';

/** Where each mechanism's failures show in a report: the file of its tests. */
const MECHANISM_FILES: Record<Mechanism, string> = {
  'every exchange': EVERY_EXCHANGE,
  values: 'suites/values.test.ts',
  model: 'suites/model.test.ts',
};

const bin = fileURLToPath(new URL('../bin/swf-conformance.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'swf-conformance-strength-'));
const { byId } = spec();

interface Verdict {
  deviation: Deviation;
  caught: 'gating' | 'advisory' | 'missed';
  required: 'gating' | 'advisory';
  ok: boolean;
  by: string[];
  others: string[];
  seconds: number;
  error?: string;
  reused?: boolean;
}
type Kept = Omit<Verdict, 'deviation' | 'reused'> & { fingerprint: string };

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), modelRuns ? 120_000 + modelRuns * 1_500 : 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function measure(deviation: Deviation): Promise<Verdict> {
  const started = Date.now();
  const principals = referencePrincipals();
  const reference = await startReference({ ...principals.config, deviate: [deviation.name] });
  const report = join(work, deviation.name);
  const required = deviation.breaks.some((id) => byId.get(id)?.grade !== 'inferred') ? 'gating' : 'advisory';
  try {
    // A deviation written for one mechanism: the whole battery, that mechanism included (the model's scenes for the model's).
    const select = deviation.mechanism
      ? ['--no-rerun', '--seed', '1', '--model-runs', deviation.mechanism === 'model' ? String(scenes().length) : '0']
      : modelRuns
        ? ['--grep', 'model-based run', '--model-runs', String(modelRuns), '--seed', '1']
        : ['--model-runs', '0', '--no-rerun', ...deviation.breaks.flatMap((id) => ['--clause', id])];
    const { code, output } = await runCli(['run', '--endpoint', reference.url, '--report', report, ...select], {
      AWS_ACCESS_KEY_ID: principals.main.accessKeyId,
      AWS_SECRET_ACCESS_KEY: principals.main.secretAccessKey,
      SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID: principals.restricted.accessKeyId,
      SWF_CONFORMANCE_RESTRICTED_SECRET_ACCESS_KEY: principals.restricted.secretAccessKey,
      SWF_CONFORMANCE_CONSISTENCY_WINDOW: '1',
      SWF_CONFORMANCE_LEDGER_DIR: join(work, 'ledgers'),
      SWF_CONFORMANCE_EMPTY_POLLS: '1',
      AWS_PROFILE: '',
      AWS_SESSION_TOKEN: '',
    });
    if (code === 2 || code === null) {
      return {
        deviation,
        caught: 'missed',
        required,
        ok: false,
        by: [],
        others: [],
        seconds: (Date.now() - started) / 1000,
        error: output.trim().split('\n').at(-1) ?? 'the run did not complete',
      };
    }
    const json = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as {
      clauses: { id: string; status: string; tests: { file: string; fullName: string; status: string }[] }[];
    };
    const status = new Map(json.clauses.map((c) => [c.id, c.status]));
    const gating = deviation.breaks.filter((id) => status.get(id) === 'fail');
    const advisory = deviation.breaks.filter((id) => status.get(id) === 'advisory-fail');
    const failed = (s: string) => s === 'fail' || s === 'advisory-fail';
    const others = json.clauses.filter((c) => failed(c.status) && !deviation.breaks.includes(c.id)).map((c) => c.id);
    // A mechanism's deviation must fail that mechanism's tests alone: a hand-written test that fails too is named.
    const mechanism = deviation.mechanism;
    if (mechanism)
      others.push(
        ...json.clauses.flatMap((c) =>
          c.tests.filter((t) => failed(t.status) && t.file !== MECHANISM_FILES[mechanism]).map((t) => t.fullName),
        ),
      );
    const caught = gating.length ? 'gating' : advisory.length ? 'advisory' : 'missed';
    // The model-based run is measured by whether it charges a clause the deviation breaks, whatever its grade.
    const ok = (required === 'gating' && !modelRuns ? caught === 'gating' : caught !== 'missed') && !(mechanism && others.length);
    return { deviation, caught, required, ok, by: gating.length ? gating : advisory, others, seconds: (Date.now() - started) / 1000 };
  } finally {
    await reference.close();
  }
}

/** A digest of files: their paths and contents, in a stable order. */
function digest(paths: string[]): string {
  const hash = createHash('sha256');
  for (const path of [...new Set(paths)].sort())
    hash
      .update(path)
      .update('\0')
      .update(readFileSync(join(projectRoot, path)))
      .update('\0');
  return hash.digest('hex');
}

/** Every file under these folders (relative to the project), skipping what is not source or data. */
function filesUnder(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(projectRoot, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|cjs|mjs|ya?ml|json|har|gz)$/.test(entry.name)) out.push(path);
    }
  };
  for (const dir of dirs) if (existsSync(join(projectRoot, dir))) walk(dir);
  return out;
}

const verdictsFile = join(projectRoot, 'test', 'strength', 'verdicts.json');
const args = process.argv.slice(2);
const forceAt = args.indexOf('--force');
const force = forceAt >= 0;
if (force) args.splice(forceAt, 1);
const modelAt = args.indexOf('--model');
const modelRuns = modelAt < 0 ? 0 : /^\d+$/.test(args[modelAt + 1] ?? '') ? Number(args.splice(modelAt + 1, 1)[0]) : 1_000;
if (modelAt >= 0) args.splice(modelAt, 1);
const only = args;
const unknown = only.filter((n) => !deviationCatalogue.some((d) => d.name === n));
if (unknown.length) {
  console.error(`strength: no such deviation: ${unknown.join(', ')} (see swf-conformance deviations)`);
  process.exit(2);
}
const modelConcerns = new Set(['runid', 'cancel', 'terminate', 'child-policy']);
const queue = deviationCatalogue.filter(
  (d) => (only.length === 0 || only.includes(d.name)) && (!modelRuns || modelConcerns.has(byId.get(d.breaks[0]!)?.concern ?? '')),
);
const verdicts: Verdict[] = [];
const startedAt = Date.now();

// What every verdict depends on, and per deviation the suite files that hold its clauses' tests.
const index = await batteryIndex();
const common = digest([
  ...filesUnder('reference', 'src', 'spec', 'schemas', 'fixtures', 'bin'),
  ...filesUnder('suites').filter((f) => !f.endsWith('.test.ts')),
  'package-lock.json',
  'scripts/strength.ts',
  'tsconfig.json',
]);
const fingerprintOf = (d: Deviation): string => {
  // A mechanism's deviation runs the whole battery: every suite file.
  const files = d.mechanism
    ? filesUnder('suites').filter((f) => f.endsWith('.test.ts'))
    : d.breaks.flatMap((id) => (index.byClause.get(id) ?? []).map((t) => t.file));
  return createHash('sha256')
    .update(common)
    .update(JSON.stringify(d))
    .update(modelRuns ? `model ${modelRuns}` : 'battery')
    .update(digest(files))
    .digest('hex');
};
const kept: Record<string, Kept> =
  !force && !modelRuns && existsSync(verdictsFile)
    ? (JSON.parse(readFileSync(verdictsFile, 'utf8')) as { verdicts: Record<string, Kept> }).verdicts
    : {};
const fingerprints = new Map(queue.map((d) => [d.name, fingerprintOf(d)]));
for (const d of [...queue]) {
  const k = kept[d.name];
  if (!k || k.fingerprint !== fingerprints.get(d.name)) continue;
  queue.splice(queue.indexOf(d), 1);
  const { fingerprint: _, ...rest } = k;
  verdicts.push({ deviation: d, ...rest, reused: true });
}
if (verdicts.length)
  console.log(
    `strength: ${verdicts.length} verdict${verdicts.length === 1 ? '' : 's'} reused from ${join('test', 'strength', 'verdicts.json')} (nothing they depend on changed; --force runs them again), ${queue.length} to run`,
  );
// Two at a time: the machine this runs on in CI has two cores.
await Promise.all(
  Array.from({ length: 2 }, async () => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      const v = await measure(d);
      verdicts.push(v);
      console.log(
        `${v.ok ? '✓' : '✗'} ${d.name.padEnd(38)} ${v.caught.padEnd(8)} (needs ${v.required}) ${v.error ?? v.by.join(', ')} [${v.seconds.toFixed(1)} s]`,
      );
    }
  }),
);
rmSync(work, { recursive: true, force: true });
// Kept for the next run: every verdict of the whole catalogue that is current (not of a model-based run).
if (!modelRuns) {
  const next: Record<string, Kept> = {};
  for (const d of deviationCatalogue) {
    const v = verdicts.find((x) => x.deviation === d);
    const fingerprint = fingerprints.get(d.name) ?? fingerprintOf(d);
    if (v && !v.error) {
      const { deviation: _d, reused: _r, ...rest } = v;
      next[d.name] = { ...rest, fingerprint };
    } else if (kept[d.name]?.fingerprint === fingerprint) next[d.name] = kept[d.name]!;
  }
  mkdirSync(dirname(verdictsFile), { recursive: true });
  writeFileSync(
    verdictsFile,
    `${JSON.stringify({ note: "npm run strength: each deviation's verdict with the fingerprint of what it depends on; reused while that is unchanged", verdicts: next }, null, 1)}\n`,
  );
}

verdicts.sort((a, b) => a.deviation.name.localeCompare(b.deviation.name));
const ok = verdicts.filter((v) => v.ok).length;
console.log(
  "\n| deviation | breaks | caught | needs | by | also failed (of the selected clauses; for a mechanism's deviation, any other test) |\n|---|---|---|---|---|---|",
);
for (const v of verdicts) {
  console.log(
    `| ${v.deviation.name}${v.reused ? ' (reused)' : ''} | ${v.deviation.breaks.join(', ')} | ${v.ok ? '' : '**'}${v.caught}${v.ok ? '' : '**'} | ${v.required} | ${v.error ?? v.by.join(', ')} | ${v.others.join(', ')} |`,
  );
}
const reusedCount = verdicts.filter((v) => v.reused).length;
console.log(
  `\nstrength: ${ok} of ${verdicts.length} deviations caught as their grade demands (${((100 * ok) / Math.max(verdicts.length, 1)).toFixed(0)}%), ${verdicts.filter((v) => v.caught === 'gating').length} by a gating failure, in ${((Date.now() - startedAt) / 1000).toFixed(0)} s${reusedCount ? ` (${reusedCount} reused, ${verdicts.length - reusedCount} run)` : ''}`,
);
process.exit(ok === verdicts.length ? 0 : 1);
