/**
 * Input constraints of both operations, computed from schemas/ (src/harness/boundaries.ts):
 * a valid value must reach the execution lookup, an invalid one must be refused before it.
 */
import { describe } from 'vitest';
import type { RawResponse } from '../src/clients/raw.ts';
import { messagePattern } from '../src/contract/messages.ts';
import { bodyOf, boundaryCases, type BoundaryCase } from '../src/harness/boundaries.ts';
import { cites, expect, it, operationsUnderTest, type Scenario } from '../src/harness/battery.ts';
import { expectFault, expectReachedLookup, expectRejected, expectSuccess } from '../src/harness/wire.ts';

// Two tests read one response where a documented fact (refused) and an inferred one (how) are
// checked apart: the request is sent once.
const sent = new Map<string, Promise<RawResponse>>();
function send(swf: Scenario, c: BoundaryCase): Promise<RawResponse> {
  const key = `${c.operation}|${c.member}|${c.label}`;
  let res = sent.get(key);
  if (!res) {
    const base = { domain: swf.domain, workflowId: swf.id('nx') };
    const body = bodyOf(c, base, swf.config.runPrefix);
    res = swf.send(c.operation, body);
    sent.set(key, res);
  }
  return res;
}

// How the message starts is fault.validation.envelope's business; these judge the member's part.
const lengthMessage = (c: BoundaryCase) =>
  messagePattern('input.length.validation-exception', {
    member: c.member,
    comparison: c.bound?.keyword === 'maxLength' ? 'less' : 'greater',
    limit: String(c.bound?.limit),
  });

// The value set in any order: the order AWS prints is not recorded.
const enumMessage = (c: BoundaryCase) => {
  const value = `(${(c.allowed ?? []).join('|')})`;
  return messagePattern('input.child-policy.validation-exception', {
    member: c.member,
    values: new RegExp(`${value}(, ${value}){${(c.allowed?.length ?? 1) - 1}}`),
  });
};

describe.for(operationsUnderTest)('%s', (operation) => {
  for (const c of boundaryCases(operation)) {
    const name = `${c.member} ${c.label}`;
    const isEnum = c.member === 'childPolicy';
    if (c.expect === 'accepted') {
      const clause = c.astral ? 'input.length.code-points' : isEnum ? 'input.child-policy.values-accepted' : 'input.length.within-accepted';
      it(`${name} is accepted`, cites(clause), async ({ swf }) => {
        expectReachedLookup(await send(swf, c));
      });
    } else if (c.expect === 'rejected' && c.remove) {
      it(`${name} is refused with ValidationException`, cites('input.required.missing-rejected'), async ({ swf }) => {
        expectFault(await send(swf, c), 'ValidationException');
      });
      it(`${name}: the message says "Value null ... must not be null"`, cites('input.required.null-message'), async ({ swf }) => {
        expect((await send(swf, c)).error?.message ?? '(no message)').toMatch(
          new RegExp(`Value null at '${c.member}' failed to satisfy constraint: Member must not be null`),
        );
      });
    } else if (c.expect === 'rejected' && c.label === 'null') {
      it(`${name} is refused with ValidationException, as if left out`, cites('input.type.wrong-type-rejected'), async ({ swf }) => {
        expectFault(await send(swf, c), 'ValidationException');
      });
    } else if (c.expect === 'rejected' && c.astral) {
      it(`${name} is refused`, cites('input.length.code-points'), async ({ swf }) => {
        expectRejected(await send(swf, c));
      });
    } else if (c.expect === 'rejected') {
      it(`${name} is refused`, cites(isEnum ? 'input.child-policy.invalid-rejected' : 'input.length.outside-rejected'), async ({ swf }) => {
        expectRejected(await send(swf, c));
      });
      it(
        `${name} is ValidationException naming the member and the constraint`,
        cites(isEnum ? 'input.child-policy.validation-exception' : 'input.length.validation-exception'),
        async ({ swf }) => {
          const res = await send(swf, c);
          expectFault(res, 'ValidationException');
          expect(res.error?.message ?? '(no message)').toMatch(isEnum ? enumMessage(c) : lengthMessage(c));
        },
      );
    } else if (c.expect === 'wrong-type') {
      it(`${name} is refused with SerializationException`, cites('input.type.wrong-type-rejected'), async ({ swf }) => {
        expectFault(await send(swf, c), 'SerializationException');
      });
    } else {
      it(`${name} is treated as absent`, cites('input.type.null-optional-absent'), async ({ swf }) => {
        expectReachedLookup(await send(swf, c));
      });
    }
  }

  it('two violations in one request are counted in one message', cites('input.validation.counted'), async ({ swf }) => {
    const res = await swf.terminate({ domain: '', workflowId: '' });
    expectFault(res, 'ValidationException');
    expect(res.error?.message ?? '(no message)').toMatch(
      new RegExp(`${messagePattern('fault.validation.envelope', { count: '2' }, 'start').source}.+; .+`),
    );
  });

  it.for([':', '/', '|', 'arn'])(
    'a workflowId with "%s" in it is looked up, not refused',
    cites('input.names.lookup-only'),
    async (part, { swf }) => {
      // Such a name cannot have been created, so no execution of anyone's is touched.
      expectFault(await swf.send(operation, { domain: swf.domain, workflowId: `${swf.id('nx')}-a${part}b` }), 'UnknownResourceFault');
    },
  );

  it('an unknown member: the outcome is reported', cites('input.unknown-member.reported'), async ({ swf, task, annotate }) => {
    const body = { domain: swf.domain, workflowId: swf.id('nx'), notAMember: 'x' };
    const res = await swf.send(operation, body);
    // Report-only: any well-formed answer passes; what it was is recorded for the report.
    expect(res.status, res.text).toBeLessThan(500);
    const observed =
      res.status === 200
        ? 'accepted'
        : res.error?.code === 'UnknownResourceFault'
          ? 'ignored (reached the lookup)'
          : `rejected with ${res.error?.code}`;
    if (res.status !== 200) expectFault(res, res.error?.code ?? '(no code)');
    task.meta.observed = observed;
    await annotate(`unknown member: ${observed}`);
  });
});

/**
 * The valid edge values again, on live executions: each must act on the execution it names, and
 * what the execution stores must read back exactly. The domain's edges are left out (the battery
 * works in one domain of its own), and so are runIds (the service makes them) and the shortest
 * workflowId (too short to be this run's own).
 */
describe.for(operationsUnderTest)('%s on a live execution', (operation) => {
  const cancel = operation === 'RequestCancelWorkflowExecution';
  const edges = boundaryCases(operation).filter(
    (c) =>
      c.expect === 'accepted' &&
      !c.remove &&
      (c.member === 'reason' ||
        c.member === 'details' ||
        c.member === 'childPolicy' ||
        (c.member === 'workflowId' && c.label.startsWith('at maxLength'))),
  );
  for (const c of edges) {
    const clause = c.astral
      ? 'input.length.code-points'
      : c.member === 'childPolicy'
        ? 'input.child-policy.values-accepted'
        : 'input.length.within-accepted';
    const stored =
      c.member === 'workflowId'
        ? cancel
          ? 'cancel.event.recorded'
          : 'terminate.event.recorded'
        : c.member === 'childPolicy'
          ? 'terminate.event.child-policy'
          : 'terminate.event.reason-details';
    it(`${c.member} ${c.label}: acts on the execution, and reads back as sent`, cites(clause, stored), async ({ swf }) => {
      const value = c.value(swf.id('live')) as string;
      const run = await swf.start(c.member === 'workflowId' ? { workflowId: value } : {});
      expectSuccess(
        await swf.send(operation, {
          domain: swf.domain,
          workflowId: run.workflowId,
          ...(c.member === 'workflowId' ? {} : { [c.member]: value }),
        }),
      );
      if (cancel) {
        const event = (await swf.historyWith(run, 'WorkflowExecutionCancelRequested')).at(-1);
        expect(event?.eventType).toBe('WorkflowExecutionCancelRequested');
        expect((await swf.describe(run)).executionInfo?.execution?.workflowId).toBe(value);
        return;
      }
      const attributes = (await swf.historyWith(run, 'WorkflowExecutionTerminated')).at(-1)?.workflowExecutionTerminatedEventAttributes;
      expect(attributes, 'the WorkflowExecutionTerminated event').toBeDefined();
      const info = await swf.infoWhen(run, (i) => i.executionStatus === 'CLOSED');
      expect([info.execution?.workflowId, info.closeStatus]).toEqual([run.workflowId, 'TERMINATED']);
      if (c.member === 'workflowId') return;
      const shown = (attributes as unknown as Record<string, unknown>)[c.member];
      // An empty reason or details may read back as empty or as absent: which, no source says.
      if (value === '') expect([undefined, ''], `${c.member} read back`).toContain(shown);
      else expect(shown, `${c.member} read back`).toBe(value);
    });
  }
});
