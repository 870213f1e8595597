/**
 * The seams of the engine (engine/seams.ts) with the deviations that are on plugged in: each
 * wraps the resolution of the ones before it, so that several compose.
 */
import { contractSeams, type Seams } from '../engine/seams.ts';
import type { Deviations } from './catalogue.ts';
import { eventDeviations } from './events.ts';
import { lookupDeviations } from './lookups.ts';

export function seamsFor(dev: Deviations): Seams {
  let target = contractSeams.target;
  for (const [name, seam] of Object.entries(lookupDeviations)) {
    if (!dev.has(name)) continue;
    const inner = target;
    target = (request, resolve, view) => seam(request, (r) => inner(r, resolve, view), view);
  }
  let record = contractSeams.record;
  for (const [name, seam] of Object.entries(eventDeviations)) {
    if (!dev.has(name)) continue;
    const inner = record;
    record = (e, event) => {
      const changed = inner(e, event);
      return changed && seam(e, changed);
    };
  }
  return { target, record };
}
