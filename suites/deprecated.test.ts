/**
 * Both operations on executions started before their domain was deprecated
 * (spec/deprecated.yaml). The suite's second domain is reused: undeprecated, given its
 * executions, deprecated again.
 */
import { describe } from 'vitest';
import { ensureDomain, ensureTypes, typeFor } from '../src/harness/prepare.ts';
import { cites, expect, it, type Run, type Scenario } from '../src/harness/battery.ts';
import { expectSuccess } from '../src/harness/wire.ts';

let prepared: Promise<{ forCancel: Run; forTerminate: Run }> | undefined;
function prepare(swf: Scenario) {
  prepared ??= (async () => {
    const domain = swf.config.deprecatedDomain;
    await ensureDomain(swf.raw, domain, { undeprecate: true });
    await ensureTypes(swf.raw, domain);
    const forCancel = await swf.start({ domain });
    const forTerminate = await swf.start({ domain });
    const res = await swf.raw.send({ operation: 'DeprecateDomain', body: { name: domain } });
    if (res.status !== 200 && res.error?.code !== 'DomainDeprecatedFault')
      throw new Error(`DeprecateDomain ${domain} answered ${res.status} ${res.error?.code ?? res.text.slice(0, 200)}`);
    return { forCancel, forTerminate };
  })();
  return prepared;
}

describe.sequential('in a deprecated domain', () => {
  it('no new execution can start', cites('deprecated.no-new-executions'), async ({ swf }) => {
    await prepare(swf);
    const workflowId = swf.id('dep');
    // Should the target wrongly start it, the run's cleanup must find it.
    swf.ledger.intend({ domain: swf.config.deprecatedDomain, workflowId });
    const res = await swf.raw.send({
      operation: 'StartWorkflowExecution',
      body: {
        domain: swf.config.deprecatedDomain,
        workflowId,
        workflowType: typeFor('TERMINATE'),
      },
    });
    const runId = (res.json as { runId?: unknown } | undefined)?.runId;
    if (res.status !== 200) swf.ledger.refused({ domain: swf.config.deprecatedDomain, workflowId });
    else if (typeof runId === 'string') swf.ledger.record({ domain: swf.config.deprecatedDomain, workflowId, runId });
    // Refused with a fault; no code is documented for it, so any code will do (the envelope's
    // shape is the fault.envelope clauses' business).
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.status, res.text).toBeLessThan(500);
    expect(res.error?.code ?? '(no error code)', res.text).toMatch(/^\w+$/);
  });

  it('RequestCancelWorkflowExecution still records the request', cites('deprecated.cancel'), async ({ swf }) => {
    const { forCancel } = await prepare(swf);
    const domain = swf.config.deprecatedDomain;
    expectSuccess(await swf.cancel({ domain, ...forCancel }));
    const info = await swf.infoWhen(forCancel, (i) => i.cancelRequested === true || i.executionStatus !== 'OPEN', domain);
    expect([info.executionStatus, info.cancelRequested]).toEqual(['OPEN', true]);
  });

  it('TerminateWorkflowExecution still closes the execution', cites('deprecated.terminate'), async ({ swf }) => {
    const { forTerminate } = await prepare(swf);
    const domain = swf.config.deprecatedDomain;
    expectSuccess(await swf.terminate({ domain, ...forTerminate }));
    expect((await swf.infoWhen(forTerminate, (i) => i.executionStatus !== 'OPEN', domain)).closeStatus).toBe('TERMINATED');
  });
});
