/**
 * What a deviation is: a documented wrong behaviour the reference can be switched into, with the
 * clauses it breaks. Each concern's file (lookups.ts, events.ts, effects.ts, front.ts,
 * validation.ts) declares its deviations as one object each, what it is and its plug together;
 * catalogue.ts lists them all.
 */
export const mechanisms = ['every exchange', 'values', 'model'] as const;
export type Mechanism = (typeof mechanisms)[number];

export interface Deviation {
  name: string;
  /** What the reference does wrong with it on. */
  does: string;
  /** The spec clauses it breaks; the first is the one it is aimed at. */
  breaks: string[];
  /**
   * The one mechanism that must catch it, for a deviation written to prove that mechanism: the
   * wire checks on every exchange, the values drawn from the schemas, or the model-based run's
   * scenes. `npm run strength` runs the whole battery for it and requires every failure it
   * causes to be that mechanism's, none a hand-written test's.
   */
  mechanism?: Mechanism;
}

/** A deviation as its concern's file declares it, by name: what it is, and the plug that does it. */
export type Declared<P> = Omit<Deviation, 'name'> & { plug: P };

/** A concern's deviations, by name. */
export type DeviationTable<P> = Record<string, Declared<P>>;

/** Each deviation's plug, by name. */
export const plugsOf = <P>(table: DeviationTable<P>): Record<string, P> =>
  Object.fromEntries(Object.entries(table).map(([name, d]) => [name, d.plug]));
