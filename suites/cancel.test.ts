/** RequestCancelWorkflowExecution: the event, the state, the decision task (spec/cancel.yaml). */
import { cites, expect, it } from '../src/harness/battery.ts';
import { expectSuccess } from '../src/harness/wire.ts';

it('records exactly one WorkflowExecutionCancelRequested, then at most a DecisionTaskScheduled', cites('cancel.event.recorded'), async ({ swf }) => {
  const run = await swf.start();
  const before = await swf.history(run);
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId, runId: run.runId }));
  const added = (await swf.history(run)).slice(before.length).map((e) => e.eventType);
  expect(added[0]).toBe('WorkflowExecutionCancelRequested');
  expect(added.filter((t) => t === 'WorkflowExecutionCancelRequested')).toHaveLength(1);
  expect(added.slice(1).every((t) => t === 'DecisionTaskScheduled')).toBe(true);
});

it('on a direct call the event has no external execution and no cause', cites('cancel.event.direct-attributes'), async ({ swf }) => {
  const run = await swf.start();
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
  const event = (await swf.history(run)).find((e) => e.eventType === 'WorkflowExecutionCancelRequested');
  // Whether the (empty) attributes object is there is wire.response.shapes' business; this
  // clause judges what it says.
  expect(event, 'no WorkflowExecutionCancelRequested event').toBeDefined();
  const attributes = event?.workflowExecutionCancelRequestedEventAttributes;
  expect(attributes?.externalWorkflowExecution).toBeUndefined();
  expect(attributes?.externalInitiatedEventId ?? 0).toBe(0);
  expect(attributes?.cause).toBeUndefined();
});

it('the execution stays open, listed and counted', cites('cancel.state.stays-open'), async ({ swf }) => {
  const run = await swf.start();
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
  // Judged once Describe shows the request, so that a lagging read does not pass for "still open".
  const info = await swf.infoWhen(run, (i) => i.cancelRequested === true || i.executionStatus !== 'OPEN');
  expect(info.executionStatus).toBe('OPEN');
  expect(info.closeStatus).toBeUndefined();
  expect(info.closeTimestamp).toBeUndefined();
  expect((await swf.listedWhen(run.workflowId, 'Open', (l) => l.length > 0)).map((i) => i.execution)).toEqual([run]);
  expect(await swf.openCountWhen(run.workflowId, 1)).toBe(1);
});

it('cancelRequested is false before and true after', cites('cancel.state.cancel-requested'), async ({ swf }) => {
  const run = await swf.start();
  expect((await swf.info(run)).cancelRequested ?? false).toBe(false);
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
  expect((await swf.infoWhen(run, (i) => i.cancelRequested === true)).cancelRequested).toBe(true);
  // It stays set: the decider answering its next task does not clear it.
  await swf.decide(run, []);
  expect((await swf.info(run)).cancelRequested).toBe(true);
});

it('with no decision task out, one is scheduled after the request, and the decider sees the request', cites('cancel.decision-task.scheduled'), async ({ swf }) => {
  const run = await swf.start();
  await swf.decide(run, []);
  const before = (await swf.history(run)).length;
  expect((await swf.describeWhen(run, (d) => d.openCounts.openDecisionTasks === 0)).openCounts.openDecisionTasks).toBe(0);
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
  expect((await swf.history(run)).slice(before).map((e) => e.eventType)).toEqual(['WorkflowExecutionCancelRequested', 'DecisionTaskScheduled']);
  const { taskEvents } = await swf.decide(run, []);
  expect(taskEvents.map((e) => e.eventType)).toContain('WorkflowExecutionCancelRequested');
});

it('with a decision task already scheduled, no second one is', cites('cancel.decision-task.single-active'), async ({ swf }) => {
  const run = await swf.start();
  expect((await swf.describeWhen(run, (d) => d.openCounts.openDecisionTasks === 1)).openCounts.openDecisionTasks).toBe(1);
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
  const events = (await swf.history(run)).map((e) => e.eventType);
  expect(events.filter((t) => t === 'DecisionTaskScheduled')).toHaveLength(1);
  const after = await swf.describeWhen(run, (d) => d.executionInfo.cancelRequested === true);
  expect(after.openCounts.openDecisionTasks).toBe(1);
});

it('a repeated request: the outcome is reported', cites('cancel.repeat.reported'), async ({ swf, task, annotate }) => {
  const run = await swf.start();
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: run.workflowId }));
  const again = await swf.cancel({ domain: swf.domain, workflowId: run.workflowId });
  expect(again.status, again.text).toBeLessThan(500);
  const requests = (await swf.history(run)).filter((e) => e.eventType === 'WorkflowExecutionCancelRequested').length;
  // Report-only: the target's choice is recorded; only an open execution and a sane answer are required.
  expect((await swf.info(run)).executionStatus).toBe('OPEN');
  task.meta.observed = again.status === 200 ? `accepted, ${requests} cancel-request events` : `refused with ${again.error?.code}, ${requests} cancel-request event(s)`;
  await annotate(`repeated cancel request: ${task.meta.observed}`);
});

it('children of the execution are not touched', cites('cancel.children.untouched'), async ({ swf }) => {
  const { parent, child } = await swf.family({ typeDefault: 'TERMINATE' }, { childPolicy: 'TERMINATE' });
  const before = (await swf.history(child)).length;
  expectSuccess(await swf.cancel({ domain: swf.domain, workflowId: parent.workflowId }));
  expect((await swf.history(child)).length).toBe(before);
  const info = await swf.info(child);
  expect([info.executionStatus, info.cancelRequested ?? false]).toEqual(['OPEN', false]);
});
