import { RawClient } from '../clients/raw.ts';
import { isRegionName } from '../harness/config.ts';
import { cleanUp, Ledger, LedgerError } from '../harness/ledger.ts';
import { Interrupts } from './interrupts.ts';
import { useCaBundle } from './ca-bundle.ts';
import { openingAsUsage, UsageError } from './usage-error.ts';
import { credentialsOf, openTarget } from '../targets/open.ts';

/**
 * `swf-conformance cleanup --ledger FILE`: finishes the cleanup of an interrupted run. It
 * terminates, by exact runId, each execution of the ledger that is still open, and nothing else,
 * then removes the ledger. Exit 0 when nothing is left, 1 when some could not be terminated (the
 * ledger is kept), 2 for bad input.
 */
export interface CleanupOptions {
  ledger: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  caBundle?: string;
}

export async function cleanup(opts: CleanupOptions): Promise<number> {
  await useCaBundle(opts);
  let opened: ReturnType<typeof Ledger.open>;
  try {
    opened = Ledger.open(opts.ledger);
  } catch (error) {
    if (error instanceof LedgerError) throw new UsageError(error.message);
    throw error;
  }
  const { ledger, header } = opened;
  if (!header.outlivesRun) {
    ledger.remove();
    console.log(`${opts.ledger}: its target (${header.target}) ended with its run, so nothing is left open; ledger removed`);
    return 0;
  }
  const endpoint = opts.endpoint ?? header.endpoint;
  const region = opts.region ?? header.region;
  if (opts.region !== undefined && !isRegionName(opts.region)) throw new UsageError(`--region ${opts.region}: not a region name`);
  // The endpoint the run left executions at, as it is: nothing is started, and no answer is waited for before the first call.
  const target = (await openingAsUsage(
    openTarget({ endpoint, region, deprecatedDomain: '', ...(opts.profile ? { profile: opts.profile } : {}), reachable: false }),
  ))!;
  const credentials = await openingAsUsage(credentialsOf(target, opts.profile));
  const raw = new RawClient({ endpoint, region, credentials, timeoutMs: 30_000 });
  const total = ledger.entries().length;
  console.log(`swf-conformance cleanup: ${total} executions of run ${header.runPrefix} at ${endpoint}`);
  const interrupts = new Interrupts();
  interrupts.install();
  let lastPrint = Date.now();
  try {
    const result = await cleanUp(ledger, raw, {
      signal: interrupts.run.signal,
      onProgress: (r) => {
        if (Date.now() - lastPrint < 2_000) return;
        lastPrint = Date.now();
        console.log(`  ${r.checked} of ${total} checked, ${r.terminated} terminated`);
      },
    });
    if (result.refused) {
      console.error(
        `swf-conformance cleanup: ${endpoint} refused the credentials (${result.refused}); nothing more was tried, ledger kept at ${opts.ledger}`,
      );
      return 2;
    }
    const left = total - result.checked + result.failed.length;
    for (const f of result.failed.slice(0, 10))
      console.error(`  could not terminate ${f.entry.workflowId} (${f.entry.runId ?? 'run unknown'}): ${f.reason}`);
    console.log(
      `swf-conformance cleanup: ${result.checked} of ${total} checked, ${result.terminated} still open were terminated${left ? `, ${left} left` : ''}`,
    );
    if (interrupts.signal) {
      console.error(`swf-conformance cleanup: interrupted; ledger kept at ${opts.ledger}`);
      return interrupts.exitCode;
    }
    if (left) {
      console.error(`swf-conformance cleanup: ledger kept at ${opts.ledger}; run the same command again`);
      return 1;
    }
    ledger.remove();
    return 0;
  } finally {
    interrupts.uninstall();
  }
}
