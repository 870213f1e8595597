/**
 * The battery's run-wide set-up when vitest runs it directly (`vitest run --project battery`).
 * `swf-conformance run` opens the target itself and provides it, and then this does nothing.
 * Otherwise it reads the settings from the environment, opens the target, hands the
 * configuration to the test workers, and at teardown (or on Ctrl-C or SIGTERM) terminates every
 * execution of the run's ledger that is still open.
 */
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (project.getProvidedContext().battery) return undefined;
  // Imported only here: vitest loads this file through its own module runner at every start, and
  // under `run`, which has provided the target, the harness, the targets and the reference would
  // be loaded a second time for nothing (half a second of the main job).
  const [{ resolveSettings }, { openSession, prepareSession }, { onShutdown }, { openTarget }, { startOracle }] = await Promise.all([
    import('../harness/config.ts'),
    import('../harness/session.ts'),
    import('../harness/shutdown.ts'),
    import('../targets/open.ts'),
    import('../targets/reference.ts'),
  ]);
  const settings = resolveSettings({}, process.env);
  const target = (await openTarget({
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    region: settings.region,
    deprecatedDomain: `${settings.domain}-deprecated`,
    ...(settings.profile ? { profile: settings.profile } : {}),
  }))!;
  const oracle = await startOracle(settings.region);
  const session = openSession(settings, target, { endpoint: oracle.endpoint, credentials: oracle.credentials });
  let cleaned: Promise<void> | undefined;
  const finish = () => {
    cleaned ??= (async () => {
      // A target that ends with the run (the embedded reference) takes its executions with it.
      if (!target.outlivesRun) {
        session.ledger.remove();
        await session.close();
        await oracle.close();
        return;
      }
      const result = await session.cleanUp();
      if (result.terminated || result.failed.length) {
        console.log(`swf-conformance cleanup: ${result.checked} executions in the ledger, ${result.terminated} still open were terminated`);
      }
      for (const f of result.failed)
        console.error(
          `swf-conformance cleanup: could not terminate ${f.entry.workflowId} (${f.entry.runId ?? 'run unknown'}): ${f.reason}`,
        );
      if (result.failed.length === 0) session.ledger.remove();
      else
        console.error(
          `swf-conformance cleanup: ledger kept at ${session.ledger.file}; finish with: swf-conformance cleanup --ledger ${session.ledger.file}`,
        );
      await session.close();
      await oracle.close();
    })();
    return cleaned;
  };
  const forget = onShutdown(finish);
  try {
    await prepareSession(session);
  } catch (error) {
    forget();
    session.ledger.remove();
    await session.close();
    await oracle.close();
    throw error;
  }
  project.provide('battery', session.config);
  return async () => {
    await finish();
    forget();
  };
}
