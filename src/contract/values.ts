/**
 * Values drawn from the schemas: fast-check arbitraries for a string member of an input shape,
 * within its bounds (valid) or past them (invalid), across the classes of text implementations
 * get wrong; and near misses of an identifier. The battery draws from them with the run's seed
 * (`--seed` replays a run's values, as it replays its model-based sequences).
 *
 * The classes, and why each:
 * - ascii: printable ASCII, the baseline every implementation handles;
 * - edge-space: spaces and tabs at both ends (an implementation that trims stores another value);
 * - latin: two-byte UTF-8 letters (é, ß, ø): a byte count that is not a character count;
 * - cjk: three-byte UTF-8 (漢字): the same, further;
 * - astral: characters outside the BMP (😀, 𝄞), surrogate pairs in UTF-16: lengths in code points
 *   (spec input.length.code-points, inferred) are kept apart by drawing these at most half the
 *   maximum, so a value of this class is within bounds whichever way its length is counted;
 * - decomposed: letters with combining marks (e + U+0301): an implementation that normalizes
 *   (NFC) stores another value;
 * - escapes: what JSON, HTML and logs escape: quotes, backslash, <, >, &, newline, tab, U+2028.
 * An invalid value is of a class too, past the member's maximum (or empty where the minimum is 1).
 */
import fc from 'fast-check';
import { lengthBounds } from './constraints.ts';

export interface ValueClass {
  name: string;
  /** The characters values of the class are made of; a value holds at least one of the first kind. */
  chars: readonly string[];
  /** The share of the member's maximum a value may reach (astral: a half, see above). */
  maxShare: number;
}

export const valueClasses: readonly ValueClass[] = [
  { name: 'ascii', chars: [...'abcXYZ019-_.~ '], maxShare: 1 },
  { name: 'edge-space', chars: [' ', '\t', 'x'], maxShare: 1 },
  { name: 'latin', chars: [...'éßøÅñ'], maxShare: 1 },
  { name: 'cjk', chars: [...'漢字語文'], maxShare: 1 },
  { name: 'astral', chars: ['😀', '𝄞', '🜂'], maxShare: 0.5 },
  { name: 'decomposed', chars: ['e\u0301', 'a\u0308', 'n\u0303'], maxShare: 0.5 },
  { name: 'escapes', chars: ['"', '\\', '<', '>', '&', '\n', '\t', '\u2028', "'"], maxShare: 1 },
];

/** The classes an identifier a test creates may be of: StartWorkflowExecution's naming rule forbids control characters, and the ends stay free of spaces. */
export const identifierClasses: readonly ValueClass[] = valueClasses
  .filter((c) => !['edge-space', 'escapes'].includes(c.name))
  .map((c) => (c.name === 'ascii' ? { ...c, chars: c.chars.filter((ch) => ch !== ' ') } : c));

/** A drawn value with the class it was drawn from, so that a failure names it. */
export interface DrawnValue {
  valueClass: string;
  value: string;
}

/** Code points of a string. */
export const codePoints = (s: string): number => [...s].length;

/** `count` characters of the class (combining sequences count as two code points each). */
function ofClass(c: ValueClass, picks: number[], codePointBudget: number): string {
  let out = '';
  let used = 0;
  for (const p of picks) {
    const next = c.chars[p % c.chars.length]!;
    const size = codePoints(next);
    if (used + size > codePointBudget) break;
    out += next;
    used += size;
  }
  // edge-space keeps a space at each end.
  if (c.name === 'edge-space' && codePoints(out) >= 3) out = ` ${out.slice(1, -1)} `;
  return out;
}

/**
 * Valid values of a string member of an input shape: any class, any length its bounds allow
 * (the bounds themselves weighted), never empty where the member must not be.
 */
export function validValue(
  shape: string,
  member: string,
  options: { maxLength?: number; classes?: readonly ValueClass[] } = {},
): fc.Arbitrary<DrawnValue> {
  const bounds = lengthBounds(shape, member);
  const max = Math.min(bounds.max, options.maxLength ?? bounds.max);
  const min = Math.max(bounds.min, 1);
  return fc.constantFrom(...(options.classes ?? valueClasses)).chain((c) => {
    const top = Math.max(min, Math.floor(max * c.maxShare));
    return fc
      .oneof(
        { weight: 1, arbitrary: fc.constant(top) },
        { weight: 1, arbitrary: fc.constant(min) },
        { weight: 3, arbitrary: fc.integer({ min, max: top }) },
      )
      .chain((length) =>
        fc
          .array(fc.nat(), { minLength: length, maxLength: length })
          .map((picks) => ({ valueClass: c.name, value: ofClass(c, picks, length) })),
      )
      .filter((v) => codePoints(v.value) >= min);
  });
}

/** Invalid values of a string member: past its maximum by 1 to 16 code points, of any class but astral (its counting is another clause's). */
export function tooLongValue(shape: string, member: string): fc.Arbitrary<DrawnValue> {
  const { max } = lengthBounds(shape, member);
  return fc.constantFrom(...valueClasses.filter((c) => c.name !== 'astral' && c.name !== 'decomposed')).chain((c) =>
    fc.integer({ min: 1, max: 16 }).map((over) => {
      const unit = c.chars.find((ch) => codePoints(ch) === 1) ?? 'x';
      return { valueClass: c.name, value: unit.repeat(max + over) };
    }),
  );
}

/** How an identifier can almost match another: each kind is a different identifier, never the same one. */
export const nearMissKinds = ['case', 'trailing-space', 'leading-space', 'prefix', 'extended', 'decomposed', 'neighbour'] as const;
export type NearMissKind = (typeof nearMissKinds)[number];

/** A near miss of `id` of this kind: a string that differs from it, as an implementation that matches loosely would not tell. */
export function nearMiss(id: string, kind: NearMissKind): string {
  switch (kind) {
    case 'case': {
      // The last letter with a case: a test's ids begin with its run's prefix, and end with what it drew.
      const chars = [...id];
      const i = chars.findLastIndex((ch) => ch.toUpperCase() !== ch.toLowerCase());
      if (i < 0) return `${id}A`;
      chars[i] = chars[i] === chars[i]!.toUpperCase() ? chars[i]!.toLowerCase() : chars[i]!.toUpperCase();
      return chars.join('');
    }
    case 'trailing-space':
      return `${id} `;
    case 'leading-space':
      return ` ${id}`;
    case 'prefix':
      return [...id].slice(0, -1).join('');
    case 'extended':
      return `${id}0`;
    case 'decomposed':
      // The same text in another normal form: é as e + U+0301, or a combining mark added.
      return id.normalize('NFD') !== id ? id.normalize('NFD') : `${id}\u0301`;
    case 'neighbour': {
      const chars = [...id];
      const last = chars.at(-1)!;
      chars[chars.length - 1] = String.fromCodePoint(last.codePointAt(0)! + 1);
      return chars.join('');
    }
  }
}
