/**
 * Work still out when its execution closes: a worker's answer for a task of a closed execution is
 * refused, whatever part of the engine the task belongs to (spec terminate.open-work.*).
 */
import { fault } from '../faults.ts';
import type { Execution } from './model.ts';

/** Throws the fault a worker gets for a task of a closed execution: the execution is unknown to it (inferred from moto's wording; spec terminate.open-work.activities). */
export function refuseIfClosed(e: Execution): void {
  if (e.status !== 'OPEN') throw fault.unknownExecutionWithRun(e.workflowId, e.runId);
}
