/**
 * npm run bench: throughput of a Start → RequestCancel → Terminate → GetWorkflowExecutionHistory
 * loop over loopback, for the embedded reference and, when moto_server is installed, for moto in
 * the same run. Bounded: at most BENCH_LOOPS loops or BENCH_SECONDS seconds per target.
 */
import { RawClient } from '../src/clients/raw.ts';
import { startReference } from '../reference/server.ts';
import { motoInstalled, startMotoServer } from '../src/targets/moto.ts';

const maxLoops = Number(process.env.BENCH_LOOPS ?? 3000);
const maxSeconds = Number(process.env.BENCH_SECONDS ?? 5);
const credentials = async () => ({ accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' });

interface Figures { target: string; loops: number; seconds: number; perSecond: number; p50ms: number; p99ms: number; failures: Record<string, number> }

async function measure(target: string, endpoint: string): Promise<Figures> {
  const raw = new RawClient({ endpoint, region: 'us-east-1', credentials });
  const domain = `bench-${process.pid}`;
  await raw.send({ operation: 'RegisterDomain', body: { name: domain, workflowExecutionRetentionPeriodInDays: '1' } });
  await raw.send({ operation: 'RegisterWorkflowType', body: {
    domain, name: 'bench', version: '1', defaultChildPolicy: 'TERMINATE', defaultTaskList: { name: 'bench' },
    defaultExecutionStartToCloseTimeout: '3600', defaultTaskStartToCloseTimeout: '60',
  } });
  const failures: Record<string, number> = {};
  const step = async (operation: string, body: unknown) => {
    const res = await raw.send({ operation, body });
    if (res.status !== 200) failures[`${operation} ${res.status}`] = (failures[`${operation} ${res.status}`] ?? 0) + 1;
    return res;
  };
  const durations: number[] = [];
  const started = performance.now();
  let loops = 0;
  while (loops < maxLoops && performance.now() - started < maxSeconds * 1000) {
    const t = performance.now();
    const workflowId = `bench-${loops}`;
    const start = await step('StartWorkflowExecution', { domain, workflowId, workflowType: { name: 'bench', version: '1' } });
    const runId = (start.json as { runId?: string } | undefined)?.runId ?? '';
    await step('RequestCancelWorkflowExecution', { domain, workflowId, runId });
    await step('TerminateWorkflowExecution', { domain, workflowId, runId, reason: 'bench' });
    await step('GetWorkflowExecutionHistory', { domain, execution: { workflowId, runId } });
    durations.push(performance.now() - t);
    loops += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  durations.sort((a, b) => a - b);
  const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0;
  return { target, loops, seconds, perSecond: loops / seconds, p50ms: at(0.5), p99ms: at(0.99), failures };
}

const results: Figures[] = [];
const ref = await startReference();
try {
  results.push(await measure('embedded reference', ref.url));
} finally {
  await ref.close();
}
const rssMb = process.memoryUsage().rss / 2 ** 20;
if (motoInstalled()) {
  const moto = await startMotoServer();
  try {
    results.push(await measure('moto_server', moto.url));
  } finally {
    await moto.stop();
  }
} else {
  console.log('moto_server is not installed (pip install "moto[server]"): its figure is left out');
}

console.log(`\nStart → RequestCancel → Terminate → GetWorkflowExecutionHistory, one client, loopback (≤ ${maxLoops} loops or ${maxSeconds} s)\n`);
console.log('| target | loops | seconds | loops/s | p50 loop ms | p99 loop ms | failed calls |');
console.log('|---|---:|---:|---:|---:|---:|---|');
for (const r of results) {
  const failed = Object.entries(r.failures).map(([k, n]) => `${k} ×${n}`).join(', ') || 'none';
  console.log(`| ${r.target} | ${r.loops} | ${r.seconds.toFixed(2)} | ${r.perSecond.toFixed(1)} | ${r.p50ms.toFixed(2)} | ${r.p99ms.toFixed(2)} | ${failed} |`);
}
console.log(`\nbench process RSS after the reference run: ${rssMb.toFixed(0)} MiB`);
