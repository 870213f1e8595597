/**
 * The fault wordings spec/ fixes (a clause's `message`), as patterns a test matches. Messages are
 * checked loosely, by pattern, and only where a clause gives the wording.
 */
import { spec } from './spec.ts';

/** The text as a regular expression that matches it literally. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The clause's message as a regular expression: each <name> is the value given for it (a string
 * matched literally, a RegExp as its pattern) or any text; <count> is a number unless given; (s)
 * is an optional plural. `at: 'start'` anchors it at the start, `'anywhere'` (the default) not.
 */
export function messagePattern(
  clauseId: string,
  values: Record<string, string | RegExp> = {},
  at: 'start' | 'anywhere' = 'anywhere',
): RegExp {
  const template = spec().byId.get(clauseId)?.message;
  if (template === undefined) throw new Error(`spec/ clause ${clauseId} has no message`);
  const source = template
    .split(/(<[a-zA-Z]+>|\(s\))/)
    .map((part) => {
      if (part === '(s)') return 's?';
      const name = /^<([a-zA-Z]+)>$/.exec(part)?.[1];
      if (!name) return escapeRegExp(part);
      const value = values[name];
      if (value === undefined) return name === 'count' ? '\\d+' : '.+?';
      return typeof value === 'string' ? escapeRegExp(value) : value.source;
    })
    .join('');
  return new RegExp(at === 'start' ? `^${source}` : source);
}
