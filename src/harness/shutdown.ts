/**
 * Work that must happen before the process ends, whatever ends it: the ledger's cleanup, the
 * emulator container's stop. One SIGINT/SIGTERM handler runs every registered step, then exits,
 * so that no step is cut short by another's exit.
 */
type Step = () => Promise<void>;
interface Registry {
  steps: Set<Step>;
  installed: boolean;
  running?: Promise<void>;
}

// vitest loads the run's global set-up through its own module runner, so this module can exist
// twice in one process; the registry lives on globalThis so that both copies share it.
const KEY = Symbol.for('swf-conformance.shutdown');
const registry: Registry = ((globalThis as Record<symbol, Registry>)[KEY] ??= { steps: new Set(), installed: false });
const steps = registry.steps;

export async function runShutdownSteps(): Promise<void> {
  registry.running ??= (async () => {
    // Last registered first: the ledger's cleanup runs before its target's container stops.
    for (const step of [...steps].reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`swf-conformance: ${(error as Error).message}`);
      }
    }
    steps.clear();
  })();
  return registry.running;
}

function onSignal(signal: NodeJS.Signals): void {
  console.error(`\nswf-conformance: ${signal}, cleaning up`);
  void runShutdownSteps().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}

/** Registers a step; returns a function that removes it once it has run normally. */
export function onShutdown(step: Step): () => void {
  if (!registry.installed) {
    registry.installed = true;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  steps.add(step);
  return () => steps.delete(step);
}
