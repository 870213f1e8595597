/** Which execution a request targets, for both operations (spec/runid.yaml). */
import { describe } from 'vitest';
import { cites, eventRecordedBy, expect, it, operationsUnderTest, type Run, type Scenario } from '../src/harness/battery.ts';
import { expectFault, expectSuccess } from '../src/harness/wire.ts';

const operations = operationsUnderTest.map((name) => ({ name, event: eventRecordedBy[name] }));

describe.for(operations)('$name', (op) => {
  const act = (swf: Scenario, body: { workflowId: string; runId?: string }) => swf.send(op.name, { domain: swf.domain, ...body });
  // Waits for the event (history reads are eventually consistent); the runs that must not get it are read once.
  const hasEvent = async (swf: Scenario, run: Run) => (await swf.historyWith(run, op.event)).some((e) => e.eventType === op.event);
  const hasNoEvent = async (swf: Scenario, run: Run) => !(await swf.history(run)).some((e) => e.eventType === op.event);

  it('runId omitted acts on the open execution', cites('runid.omitted.current-open'), async ({ swf }) => {
    const run = await swf.start();
    expectSuccess(await act(swf, { workflowId: run.workflowId }));
    expect(await hasEvent(swf, run)).toBe(true);
  });

  it('runId of the open execution acts on it', cites('runid.explicit.open'), async ({ swf }) => {
    const run = await swf.start();
    expectSuccess(await act(swf, { workflowId: run.workflowId, runId: run.runId }));
    expect(await hasEvent(swf, run)).toBe(true);
  });

  for (const [form, clause] of [
    ['runId omitted', 'runid.omitted.current-open'],
    ['runId given', 'runid.explicit.open'],
  ] as const)
    it(`${form}: no other execution changes, and another's scheduled decision task is still handed out`, cites(clause), async ({ swf }) => {
      // A bystander whose first decision task is scheduled and waiting in the queue of its task list.
      const bystander = await swf.start();
      const before = await swf.history(bystander);
      const run = await swf.start();
      expectSuccess(await act(swf, { workflowId: run.workflowId, ...(form === 'runId given' ? { runId: run.runId } : {}) }));
      expect(await hasEvent(swf, run)).toBe(true);
      expect(await swf.history(bystander)).toEqual(before);
      await swf.takeTask(bystander);
    });

  it(
    'after a closed run and a new start, runId omitted acts on the new run only',
    cites('runid.omitted.after-restart'),
    async ({ swf }) => {
      const first = await swf.start();
      expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: first.workflowId, runId: first.runId }));
      const before = (await swf.history(first)).length;
      const second = await swf.start({ workflowId: first.workflowId });
      expectSuccess(await act(swf, { workflowId: first.workflowId }));
      expect(await hasEvent(swf, second)).toBe(true);
      expect((await swf.history(first)).length).toBe(before);
    },
  );

  it('after ContinueAsNew, runId omitted acts on the new run', cites('runid.omitted.after-continue-as-new'), async ({ swf }) => {
    const first = await swf.start();
    const { started } = await swf.decide(first, [
      { decisionType: 'ContinueAsNewWorkflowExecution', continueAsNewWorkflowExecutionDecisionAttributes: {} },
    ]);
    const next = started[0]!;
    expect(next.runId).not.toBe(first.runId);
    expectSuccess(await act(swf, { workflowId: first.workflowId }));
    expect(await hasEvent(swf, next)).toBe(true);
    expect(await hasNoEvent(swf, first)).toBe(true);
  });

  it('the runId of a closed run is UnknownResourceFault, even with a newer run open', cites('runid.explicit.closed'), async ({ swf }) => {
    const first = await swf.start();
    expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: first.workflowId, runId: first.runId }));
    await swf.start({ workflowId: first.workflowId });
    expectFault(await act(swf, { workflowId: first.workflowId, runId: first.runId }), 'UnknownResourceFault');
  });

  describe.for([
    ['terminated', { decisionType: undefined }],
    ['completed', { decisionType: 'CompleteWorkflowExecution' }],
    ['continued as new', { decisionType: 'ContinueAsNewWorkflowExecution' }],
  ] as const)('the runId of a run that %s', ([, { decisionType }]) => {
    it('acts on nothing: neither that run nor a newer open one changes', cites('runid.explicit.closed-no-effect'), async ({ swf }) => {
      const first = await swf.start();
      let newer: Run;
      if (decisionType === undefined) {
        expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: first.workflowId, runId: first.runId }));
        newer = await swf.start({ workflowId: first.workflowId });
      } else if (decisionType === 'CompleteWorkflowExecution') {
        await swf.decide(first, [{ decisionType }]);
        newer = await swf.start({ workflowId: first.workflowId });
      } else {
        const { started } = await swf.decide(first, [{ decisionType, continueAsNewWorkflowExecutionDecisionAttributes: {} }]);
        newer = started[0]!;
      }
      const lengths = [(await swf.history(first)).length, (await swf.history(newer)).length];
      const res = await act(swf, { workflowId: first.workflowId, runId: first.runId });
      expect(res.status, res.text).not.toBe(200);
      expect([(await swf.history(first)).length, (await swf.history(newer)).length]).toEqual(lengths);
    });
  });

  it(
    'a runId of another workflowId is UnknownResourceFault, and neither execution changes',
    cites('runid.explicit.foreign'),
    async ({ swf }) => {
      const a = await swf.start();
      const b = await swf.start();
      const lengths = [(await swf.history(a)).length, (await swf.history(b)).length];
      expectFault(await act(swf, { workflowId: a.workflowId, runId: b.runId }), 'UnknownResourceFault');
      expect([(await swf.history(a)).length, (await swf.history(b)).length]).toEqual(lengths);
    },
  );

  it(
    "a prefix of the open run's runId is UnknownResourceFault, and the run does not change",
    cites('runid.explicit.exact'),
    async ({ swf }) => {
      const run = await swf.start();
      const before = (await swf.history(run)).length;
      expectFault(await act(swf, { workflowId: run.workflowId, runId: run.runId.slice(0, -1) }), 'UnknownResourceFault');
      expect((await swf.history(run)).length).toBe(before);
    },
  );

  it('an empty runId acts on the open run, as an omitted one does', cites('runid.empty-is-omitted'), async ({ swf }) => {
    const run = await swf.start();
    expectSuccess(await act(swf, { workflowId: run.workflowId, runId: '' }));
    expect(await hasEvent(swf, run)).toBe(true);
  });

  it(
    'a workflowId differing only in case is UnknownResourceFault, and the run does not change',
    cites('runid.names-exact'),
    async ({ swf }) => {
      const run = await swf.start();
      const before = (await swf.history(run)).length;
      // The run's prefix is kept (the suite acts only on its own ids); the rest is upper-cased.
      const prefix = swf.config.runPrefix;
      const other = `${prefix}${run.workflowId.slice(prefix.length).toUpperCase()}`;
      expect(other).not.toBe(run.workflowId);
      expectFault(await act(swf, { workflowId: other }), 'UnknownResourceFault');
      expect((await swf.history(run)).length).toBe(before);
    },
  );

  it('runId omitted with every run closed is UnknownResourceFault', cites('runid.omitted.no-open-run'), async ({ swf }) => {
    const run = await swf.start();
    expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: run.workflowId, runId: run.runId }));
    expectFault(await act(swf, { workflowId: run.workflowId }), 'UnknownResourceFault');
  });

  it('runId omitted with every run closed acts on none of them', cites('runid.omitted.no-open-run-no-effect'), async ({ swf }) => {
    const first = await swf.start();
    await swf.decide(first, [{ decisionType: 'CompleteWorkflowExecution' }]);
    const second = await swf.start({ workflowId: first.workflowId });
    expectSuccess(await swf.terminate({ domain: swf.domain, workflowId: second.workflowId, runId: second.runId }));
    const lengths = [(await swf.history(first)).length, (await swf.history(second)).length];
    await act(swf, { workflowId: first.workflowId });
    expect([(await swf.history(first)).length, (await swf.history(second)).length]).toEqual(lengths);
  });
});
