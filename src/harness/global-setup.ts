/**
 * The battery's run-wide set-up when vitest runs it directly (`vitest run --project battery`).
 * `swf-conformance run` opens the target itself and provides it, and then this does nothing.
 * Otherwise it opens the target, hands it to the test workers, and at teardown (or on Ctrl-C or
 * SIGTERM) terminates every execution of the run's ledger that is still open.
 */
import type { TestProject } from 'vitest/node';
import type { BatteryConfig } from './config.ts';
import { onShutdown } from './shutdown.ts';
import { openTarget, prepareTarget } from './target.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    battery: BatteryConfig;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (project.getProvidedContext().battery) return undefined;
  const target = await openTarget(process.env);
  let cleaned: Promise<void> | undefined;
  const finish = () => {
    cleaned ??= (async () => {
      const result = await target.cleanUp();
      if (result.terminated || result.failed.length) {
        console.log(`swf-conformance cleanup: ${result.checked} executions in the ledger, ${result.terminated} still open were terminated`);
      }
      for (const f of result.failed) console.error(`swf-conformance cleanup: could not terminate ${f.entry.workflowId} (${f.entry.runId ?? 'run unknown'}): ${f.reason}`);
      if (result.failed.length === 0) target.ledger.remove();
      else console.error(`swf-conformance cleanup: ledger kept at ${target.ledger.file}; finish with: swf-conformance cleanup --ledger ${target.ledger.file}`);
      await target.close();
    })();
    return cleaned;
  };
  const forget = onShutdown(finish);
  try {
    await prepareTarget(target);
  } catch (error) {
    forget();
    target.ledger.remove();
    await target.close();
    throw error;
  }
  project.provide('battery', target.config);
  return async () => {
    await finish();
    forget();
  };
}
