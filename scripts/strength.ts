/**
 * npm run strength [-- NAME ...]: the battery's mutation score. The full battery runs against the
 * reference once per deviation of its catalogue (reference/deviations.ts), each in a fresh
 * reference, and the run's report says whether the deviation was caught:
 *   gating    a clause it breaks failed the run;
 *   advisory  a clause it breaks failed as advisory only (inferred);
 *   missed    nothing it breaks failed.
 * A deviation of a documented or recorded clause must be caught gating; an inferred one at least
 * as advisory. Exit 0 when every deviation is caught as its grade demands, 1 otherwise.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deviationCatalogue, type Deviation } from '../reference/deviations/catalogue.ts';
import { startReference } from '../reference/server.ts';
import { spec } from '../src/contract/spec.ts';
import { referencePrincipals } from '../src/targets/reference.ts';

const bin = fileURLToPath(new URL('../bin/swf-conformance.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'swf-conformance-strength-'));
const { byId } = spec();

interface Verdict { deviation: Deviation; caught: 'gating' | 'advisory' | 'missed'; required: 'gating' | 'advisory'; ok: boolean; by: string[]; others: string[]; seconds: number; error?: string }

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), modelRuns ? 120_000 + modelRuns * 1_500 : 180_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

async function measure(deviation: Deviation): Promise<Verdict> {
  const started = Date.now();
  const principals = referencePrincipals();
  const reference = await startReference({ ...principals.config, deviate: [deviation.name] });
  const report = join(work, deviation.name);
  const required = deviation.breaks.some((id) => byId.get(id)?.grade !== 'inferred') ? 'gating' : 'advisory';
  try {
    const { code, output } = await runCli(['run', '--endpoint', reference.url, '--report', report, ...(modelRuns ? ['--grep', 'model-based run', '--model-runs', String(modelRuns), '--seed', '1'] : ['--model-runs', '0'])], {
      AWS_ACCESS_KEY_ID: principals.main.accessKeyId, AWS_SECRET_ACCESS_KEY: principals.main.secretAccessKey,
      SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID: principals.restricted.accessKeyId,
      SWF_CONFORMANCE_RESTRICTED_SECRET_ACCESS_KEY: principals.restricted.secretAccessKey,
      SWF_CONFORMANCE_CONSISTENCY_WINDOW: '1', SWF_CONFORMANCE_LEDGER_DIR: join(work, 'ledgers'), SWF_CONFORMANCE_EMPTY_POLLS: '1',
      AWS_PROFILE: '', AWS_SESSION_TOKEN: '',
    });
    if (code === 2 || code === null) {
      return { deviation, caught: 'missed', required, ok: false, by: [], others: [], seconds: (Date.now() - started) / 1000, error: output.trim().split('\n').at(-1) ?? 'the run did not complete' };
    }
    const json = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as { clauses: { id: string; status: string }[] };
    const status = new Map(json.clauses.map((c) => [c.id, c.status]));
    const gating = deviation.breaks.filter((id) => status.get(id) === 'fail');
    const advisory = deviation.breaks.filter((id) => status.get(id) === 'advisory-fail');
    const others = json.clauses.filter((c) => (c.status === 'fail' || c.status === 'advisory-fail') && !deviation.breaks.includes(c.id)).map((c) => c.id);
    const caught = gating.length ? 'gating' : advisory.length ? 'advisory' : 'missed';
    // The model-based run is measured by whether it charges a clause the deviation breaks, whatever its grade.
    const ok = required === 'gating' && !modelRuns ? caught === 'gating' : caught !== 'missed';
    return { deviation, caught, required, ok, by: gating.length ? gating : advisory, others, seconds: (Date.now() - started) / 1000 };
  } finally {
    await reference.close();
  }
}

const args = process.argv.slice(2);
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
const queue = deviationCatalogue.filter((d) => (only.length === 0 || only.includes(d.name)) && (!modelRuns || modelConcerns.has(byId.get(d.breaks[0]!)?.concern ?? '')));
const verdicts: Verdict[] = [];
const startedAt = Date.now();
// Two at a time: the machine this runs on in CI has two cores.
await Promise.all(Array.from({ length: 2 }, async () => {
  for (let d = queue.shift(); d; d = queue.shift()) {
    const v = await measure(d);
    verdicts.push(v);
    console.log(`${v.ok ? '✓' : '✗'} ${d.name.padEnd(38)} ${v.caught.padEnd(8)} (needs ${v.required}) ${v.error ?? v.by.join(', ')} [${v.seconds.toFixed(1)} s]`);
  }
}));
rmSync(work, { recursive: true, force: true });

verdicts.sort((a, b) => a.deviation.name.localeCompare(b.deviation.name));
const ok = verdicts.filter((v) => v.ok).length;
console.log('\n| deviation | breaks | caught | needs | by | also failed |\n|---|---|---|---|---|---|');
for (const v of verdicts) {
  console.log(`| ${v.deviation.name} | ${v.deviation.breaks.join(', ')} | ${v.ok ? '' : '**'}${v.caught}${v.ok ? '' : '**'} | ${v.required} | ${v.error ?? v.by.join(', ')} | ${v.others.join(', ')} |`);
}
console.log(`\nstrength: ${ok} of ${verdicts.length} deviations caught as their grade demands (${((100 * ok) / Math.max(verdicts.length, 1)).toFixed(0)}%), ${verdicts.filter((v) => v.caught === 'gating').length} by a gating failure, in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
process.exit(ok === verdicts.length ? 0 : 1);
