/**
 * The engine's seams (engine/seams.ts) with the deviations that are on plugged in, each wrapping
 * the behaviour of the ones before it, so that several compose. A deviation is a plug of one or
 * more seams: lookups.ts (which execution a request resolves to), events.ts (what a history
 * records) and effects.ts (everything else).
 */
import { contractSeams, type Seams } from '../engine/seams.ts';
import type { Deviations } from './catalogue.ts';
import { plugsOf } from './deviation.ts';
import { effectDeviations, type Plug } from './effects.ts';
import { eventDeviations } from './events.ts';
import { accessDeviations, frontDeviations } from './front.ts';
import { validationDeviations } from './validation.ts';
import type { AccessPlug, Interceptor } from '../front.ts';
import type { CheckPlug } from '../validation.ts';
import { lookupDeviations } from './lookups.ts';

const plugs: Record<string, () => Plug> = {
  ...Object.fromEntries(
    Object.entries(plugsOf(lookupDeviations)).map(([name, seam]) => [
      name,
      (): Plug => ({
        target: (next) => (request, resolve, view) => seam(request, (r) => next(r, resolve, view), view),
      }),
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(plugsOf(eventDeviations)).map(([name, seam]) => [
      name,
      (): Plug => ({
        record: (next) => (e, event, view) => {
          const out = next(e, event, view);
          return out && seam(e, out, view);
        },
      }),
    ]),
  ),
  ...plugsOf(effectDeviations),
};

/** The names of the deviations the engine's seams and the HTTP front's carry. */
export const pluggedDeviations: ReadonlySet<string> = new Set([
  ...Object.keys(plugs),
  ...Object.keys(frontDeviations([])),
  ...Object.keys(accessDeviations),
  ...Object.keys(validationDeviations),
]);

/** The HTTP front's plugs of the deviations that are on, each seam's in its table's order (the first outermost). */
export function frontPlugs(
  dev: Deviations,
  principals: readonly { accessKeyId: string; principal?: string }[],
): { dispatch: Interceptor[]; access: AccessPlug[]; check: CheckPlug[] } {
  const on = <T>(table: Record<string, T>) =>
    Object.entries(table)
      .filter(([name]) => dev.has(name))
      .map(([, plug]) => plug);
  return {
    dispatch: on(plugsOf(frontDeviations(principals))),
    access: on(plugsOf(accessDeviations)),
    check: on(plugsOf(validationDeviations)),
  };
}

export function seamsFor(dev: Deviations): Seams {
  const seams: Seams = { ...contractSeams };
  for (const [name, plug] of Object.entries(plugs)) {
    if (!dev.has(name)) continue;
    const made = plug();
    for (const key of Object.keys(made) as (keyof Seams)[]) {
      (seams as Record<keyof Seams, unknown>)[key] = (made[key] as (next: unknown) => unknown)(seams[key]);
    }
  }
  return seams;
}
