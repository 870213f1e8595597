/**
 * The deviation catalogue: documented wrong behaviours the reference can be switched into
 * (`serve --deviate NAME`, or `deviate` in its config), one at a time, to prove that the battery
 * catches each. Every entry is a bug an emulator author could really write, not a crash, and names
 * the clauses it breaks: `npm run strength` checks that the battery fails them. Each is declared,
 * with its plug, in the file of its concern (deviation.ts says which).
 */
import type { Deviation, DeviationTable, Mechanism } from './deviation.ts';
import { effectDeviations } from './effects.ts';
import { eventDeviations } from './events.ts';
import { accessDeviations, frontDeviations } from './front.ts';
import { lookupDeviations } from './lookups.ts';
import { validationDeviations } from './validation.ts';

export type { Deviation, Mechanism };

/** Every deviation, concern by concern: what each is, without its plug. */
export const deviationCatalogue: Deviation[] = (
  [
    lookupDeviations,
    eventDeviations,
    effectDeviations,
    frontDeviations([]),
    accessDeviations,
    validationDeviations,
  ] as DeviationTable<unknown>[]
).flatMap((table) => Object.entries(table).map(([name, { plug: _plug, ...what }]) => ({ name, ...what })));

const byName = new Map(deviationCatalogue.map((d) => [d.name, d]));

export class UnknownDeviationError extends Error {}

/** The deviations a reference runs with. */
export class Deviations {
  private readonly on: ReadonlySet<string>;

  constructor(names: readonly string[] = []) {
    const unknown = names.filter((n) => !byName.has(n));
    if (unknown.length)
      throw new UnknownDeviationError(
        `unknown deviation${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (see swf-conformance deviations)`,
      );
    this.on = new Set(names);
  }

  has(name: string): boolean {
    if (!byName.has(name)) throw new Error(`the reference checks a deviation the catalogue does not list: ${name}`);
    return this.on.has(name);
  }

  get any(): boolean {
    return this.on.size > 0;
  }
}
