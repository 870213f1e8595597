/** Closed executions are kept for their domain's retention, and forgotten after it. */
import { describe, expect, test } from 'vitest';
import { Engine } from '../../reference/engine/index.ts';

function engineAt(clock: { now: number }) {
  const engine = new Engine({ now: () => clock.now });
  const ops = engine.operations;
  const domain = (name: string, days: string) => {
    ops.RegisterDomain({ name, workflowExecutionRetentionPeriodInDays: days });
    ops.RegisterWorkflowType({
      domain: name,
      name: 't',
      version: '1',
      defaultChildPolicy: 'TERMINATE',
      defaultTaskList: { name: 'l' },
      defaultExecutionStartToCloseTimeout: '60',
      defaultTaskStartToCloseTimeout: '10',
    });
  };
  const startAndTerminate = (d: string, workflowId: string) => {
    const { runId } = ops.StartWorkflowExecution({ domain: d, workflowId, workflowType: { name: 't', version: '1' } }) as { runId: string };
    ops.TerminateWorkflowExecution({ domain: d, workflowId, runId });
    return runId;
  };
  return { engine, ops, domain, startAndTerminate };
}

describe('retention', () => {
  test('with NONE, a closed execution is forgotten at once; an open one never', () => {
    const clock = { now: 1_700_000_000_000 };
    const { engine, ops, domain, startAndTerminate } = engineAt(clock);
    domain('none', 'NONE');
    for (let i = 0; i < 50; i++) startAndTerminate('none', `w${i}`);
    ops.StartWorkflowExecution({ domain: 'none', workflowId: 'open', workflowType: { name: 't', version: '1' } });
    expect(engine.upkeep.executionsHeld).toBe(1);
    // A forgotten run is unknown, as any closed run past its retention is.
    expect(() => ops.TerminateWorkflowExecution({ domain: 'none', workflowId: 'w1' })).toThrow(/Unknown execution/);
  });

  test('with one day, closed executions are kept for the day, then forgotten', () => {
    const clock = { now: 1_700_000_000_000 };
    const { engine, ops, domain, startAndTerminate } = engineAt(clock);
    domain('day', '1');
    const runId = startAndTerminate('day', 'kept');
    clock.now += 86_399_000;
    startAndTerminate('day', 'later');
    expect(engine.upkeep.executionsHeld).toBe(2);
    expect(ops.DescribeWorkflowExecution({ domain: 'day', execution: { workflowId: 'kept', runId } })).toMatchObject({
      executionInfo: { closeStatus: 'TERMINATED' },
    });
    clock.now += 2_000;
    startAndTerminate('day', 'last');
    expect(engine.upkeep.executionsHeld).toBe(2);
    expect(() => ops.DescribeWorkflowExecution({ domain: 'day', execution: { workflowId: 'kept', runId } })).toThrow(/Unknown execution/);
  });
});
