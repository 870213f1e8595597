/**
 * The reference's memory after N executions (default 100,000), each started and terminated, in a
 * domain that keeps closed executions for a day and in one whose retention (NONE) lets them go.
 * Run with --expose-gc; prints one JSON line.
 *
 *   node --expose-gc --import tsx bench/memory.ts [N]
 */
import { Engine } from '../reference/engine/index.ts';

const count = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function heapMiB(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function measure(retention: string): { retention: string; executions: number; held: number; heapMiB: number; seconds: number } {
  const engine = new Engine();
  const ops = engine.operations;
  const domain = `memory-${retention}`;
  ops.RegisterDomain({ name: domain, workflowExecutionRetentionPeriodInDays: retention });
  ops.RegisterWorkflowType({
    domain,
    name: 't',
    version: '1',
    defaultChildPolicy: 'TERMINATE',
    defaultTaskList: { name: 'l' },
    defaultExecutionStartToCloseTimeout: '3600',
    defaultTaskStartToCloseTimeout: '60',
  });
  const before = heapMiB();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const workflowId = `w-${i}`;
    const { runId } = ops.StartWorkflowExecution({ domain, workflowId, workflowType: { name: 't', version: '1' } }) as { runId: string };
    ops.RequestCancelWorkflowExecution({ domain, workflowId, runId });
    ops.TerminateWorkflowExecution({ domain, workflowId, runId, reason: 'memory' });
  }
  const seconds = (performance.now() - started) / 1000;
  const result = { retention, executions: count, held: engine.upkeep.executionsHeld, heapMiB: heapMiB() - before, seconds };
  engine.upkeep.shutdown();
  return result;
}

console.log(JSON.stringify([measure('1'), measure('NONE')]));
