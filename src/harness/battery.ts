/**
 * What suites/ import: `it`, a vitest test with a `swf` fixture bound to the run's target, and
 * `cites`, which ties a test to its clauses. Nothing here knows which target it runs against.
 */
import type { SWFClient } from '@aws-sdk/client-swf';
import { inject, test as base } from 'vitest';
import { relative } from 'node:path';
import { RawClient, sentSoFar } from '../clients/raw.ts';
import { projectRoot } from '../contract/paths.ts';
import { Capture } from '../recordings/capture.ts';
import { ExchangeChecks, tally, type CheckTally } from '../contract/exchange-checks.ts';
import { CLIENT_TIMEOUT_MS, operationOfTarget, WAITING_MARK } from '../contract/protocol.ts';
import { operations } from '../generated/operations.ts';
import { mainCredentials, restrictedCredentials } from './credentials.ts';
import { redact, type RecordedExchange } from './exchanges.ts';
import { Ledger } from './ledger.ts';
import { Scenario } from './scenario.ts';

export { cites } from './clauses.ts';
export { eventRecordedBy, operationsUnderTest, type OperationUnderTest, type Run, type Scenario } from './scenario.ts';

const KEEP_EXCHANGES = 6;
/** The wire checks of this worker's exchanges: one set of request ids seen across its tests. */
const checks = new ExchangeChecks();

/** Runs the wire checks on an exchange and adds the result to a tally; `where` names it. */
export function checkExchange(into: CheckTally, e: Parameters<typeof redact>[0], where: () => string): void {
  if (!('status' in e.response)) return;
  tally(into, checks.check({ request: e.request, response: e.response, ...(e.principal ? { principal: e.principal } : {}) }), where);
}

export const it = base.extend<{ swf: Scenario }>({
  swf: async ({ task, signal, skip }, use) => {
    const config = inject('battery');
    const ledger = new Ledger(config.ledgerFile);
    const recorded: RecordedExchange[] = [];
    const capture = config.recordDir ? new Capture() : undefined;
    let count = 0;
    const onExchange = (e: Parameters<typeof redact>[0], sent: number) => {
      capture?.add(e, sent, sentSoFar());
      count += 1;
      const step = count;
      checkExchange(
        (task.meta.exchangeChecks ??= {}),
        e,
        () => `exchange #${step} (${operationOfTarget(e.request.headers['x-amz-target'] ?? '') || 'no operation'})`,
      );
      const operation = /SimpleWorkflowService\.(\w+)/.exec(e.request.headers['x-amz-target'] ?? '')?.[1];
      // A probe of an operation SWF does not have (the unknown-operation tests) is not one of SWF's.
      if (operation && Object.hasOwn(operations, operation)) {
        const calls = (task.meta.calls ??= {});
        calls[operation] = (calls[operation] ?? 0) + 1;
      }
      recorded.push(redact(e));
      if (recorded.length > KEEP_EXCHANGES) recorded.shift();
      task.meta.exchanges = [...recorded];
    };
    // The test's signal, aborted when the run is stopped or the test times out: from then on the
    // scenario sends nothing more, so a stopped test starts no execution after the ledger is read.
    // A run stopped without this test hearing of it (its worker started while vitest was being
    // cancelled) is seen in the ledger; the test then ends as not run, not as a failure.
    const guard = () => {
      if (ledger.stopped()) skip('the run was stopped');
    };
    const common = { endpoint: config.endpoint, region: config.region, onExchange, timeoutMs: CLIENT_TIMEOUT_MS, signal, guard };
    const credentials = mainCredentials(config);
    const restricted = restrictedCredentials(config);
    // The SDK's module is loaded by the first test that asks for a client, not by every worker.
    let sdk: SWFClient | undefined;
    const makeSdk = async () =>
      (sdk = (await import('../clients/sdk.ts')).sdkClient({ endpoint: config.endpoint, region: config.region, credentials }));
    // The slowest wait for a lagging read, for the report: how long the target took to converge.
    const onWait = (ms: number, settled: boolean) => {
      const previous = task.meta.convergence;
      if (!previous || ms > previous.ms || (!settled && previous.settled)) task.meta.convergence = { ms, settled };
    };
    const scenario = new Scenario(
      config,
      new RawClient({ ...common, credentials }),
      makeSdk,
      ledger,
      restricted ? new RawClient({ ...common, credentials: restricted, principal: 'restricted' }) : undefined,
      onWait,
      capture,
    );
    // Said every few seconds, so that a long wait in the consistency window is not a silence.
    scenario.onStillWaiting = (ms) =>
      console.log(
        `${WAITING_MARK}${task.name}: ${(ms / 1000).toFixed(0)} s into the ${(config.consistencyWindowMs / 1000).toFixed(0)} s consistency window of a lagging read`,
      );
    await use(scenario);
    sdk?.destroy();
    if (capture && config.recordDir) {
      const file = relative(projectRoot, task.file.filepath);
      // The name the reports give the test: its file, then its describe blocks and its own name.
      const name = task.fullName.startsWith(`${file} > `) ? task.fullName : `${file} > ${task.fullName}`;
      capture.save(config.recordDir, { name, file, clauses: task.meta.clauses ?? [] });
    }
  },
});

/**
 * The two scenarios of the model-based run, made outside any test: the target's, recorded in
 * the run's ledger, and the reference's it is compared with, whose ledger is its own and removed
 * by `close` (that reference ends with the run). Undefined when the run started no reference.
 */
export function modelScenarios():
  | { target: Scenario; reference: Scenario; stopped: AbortSignal; checks: CheckTally; close(): void }
  | undefined {
  const config = inject('battery');
  if (!config.oracle) return undefined;
  const ledger = new Ledger(config.ledgerFile);
  // Aborted at the first request refused because the run was stopped: the model-based run then
  // ends between sequences instead of shrinking a "failure" that is only the stop.
  const stop = new AbortController();
  const guard = () => {
    if (!ledger.stopped()) return;
    stop.abort();
    throw new Error('the run was stopped');
  };
  const common = { region: config.region, timeoutMs: CLIENT_TIMEOUT_MS, signal: stop.signal, guard };
  const noSdk = () => Promise.reject(new Error('the model-based run uses no SDK client'));
  // The wire checks run on the target's every answer here too.
  const checks: CheckTally = {};
  let count = 0;
  const onExchange = (e: Parameters<typeof redact>[0]) => {
    count += 1;
    const step = count;
    checkExchange(
      checks,
      e,
      () => `the model-based run's exchange #${step} (${operationOfTarget(e.request.headers['x-amz-target'] ?? '') || 'no operation'})`,
    );
  };
  const target = new Scenario(
    config,
    new RawClient({ ...common, endpoint: config.endpoint, credentials: mainCredentials(config), onExchange }),
    noSdk,
    ledger,
    undefined,
  );
  const referenceConfig = {
    ...config,
    kind: 'reference' as const,
    targetName: 'reference',
    endpoint: config.oracle.endpoint,
    credentials: config.oracle.credentials,
    ledgerFile: `${config.ledgerFile}.reference`,
  };
  const referenceLedger = Ledger.create(referenceConfig.ledgerFile, {
    endpoint: referenceConfig.endpoint,
    region: config.region,
    runPrefix: config.runPrefix,
    target: 'reference',
    outlivesRun: false,
    startedAt: new Date().toISOString(),
  });
  const reference = new Scenario(
    referenceConfig,
    new RawClient({ ...common, endpoint: referenceConfig.endpoint, credentials: mainCredentials(referenceConfig) }),
    noSdk,
    referenceLedger,
    undefined,
  );
  return { target, reference, stopped: stop.signal, checks, close: () => referenceLedger.remove() };
}

export { expect } from 'vitest';
