/**
 * The one id binding and normaliser of the recordings, in the shape of LocalStack's snapshot
 * transformers: a TransformContext holds which value each placeholder (`<run-id:2>`) stands for,
 * hands them out, fills a recorded request with the values bound, and normalises an answer back
 * into placeholders. Every comparison of a recording with an answer (`run --record`, `replay` of a
 * run recording and of an AWS recording) goes through one.
 */
import { escapeRegExp } from '../contract/messages.ts';
import { isTimeMember } from '../contract/timestamps.ts';

/** Every placeholder in a text: its kind, number, the key of the test that made it (`@KEY`), and how much a cut runId lost (`-N`). */
const PLACEHOLDER_IN_TEXT =
  /<(domain|workflow-id|run-id|task-list|request-id|task-token|page-token|not-printed):(\d+)(?:@([0-9a-f]{8}))?>(?:-(\d+))?/g;
const OWN_PLACEHOLDER = /^<[a-z-]+:\d+>$/;

export interface TransformOptions {
  /**
   * The run's prefix: written `<prefix>` in a recording, and the start of every workflowId made
   * for a placeholder not bound yet. Without one, a placeholder filled before it is bound is an
   * error (a recording that uses an id before the target has answered it).
   */
  prefix?: string;
  /** Whether the recording's times are whole seconds (`<time:s>`) rather than `<time>`. */
  wholeSeconds?: boolean;
  /** The contexts of the other tests of a recording, by their key: where `<run-id:2@KEY>` is bound. */
  registry?: ReadonlyMap<string, TransformContext>;
}

export class TransformContext {
  private readonly values = new Map<string, string>();
  private readonly placeholders = new Map<string, string>();

  constructor(private readonly options: TransformOptions = {}) {}

  /** Binds a placeholder to a value; a value keeps the first placeholder it was bound to. */
  bind(placeholder: string, value: string): void {
    this.values.set(placeholder, value);
    if (!this.placeholders.has(value)) this.placeholders.set(value, placeholder);
  }

  /** A copy, to compare against without binding anything until the comparison is kept. */
  clone(): TransformContext {
    const copy = new TransformContext(this.options);
    for (const [p, v] of this.values) copy.bind(p, v);
    return copy;
  }

  value(placeholder: string): string | undefined {
    const found = this.home(placeholder);
    return found ? found[0].values.get(found[1]) : undefined;
  }

  /** A value's placeholder: this test's, or that of another test that made it (`<run-id:2@KEY>`). */
  placeholderOf(value: string): string | undefined {
    const own = this.placeholders.get(value);
    if (own) return own;
    for (const [key, other] of this.options.registry ?? []) {
      const there = other !== this ? other.placeholders.get(value) : undefined;
      if (there && OWN_PLACEHOLDER.test(there) && !there.startsWith('<domain:')) return `${there.slice(0, -1)}@${key}>`;
    }
    return undefined;
  }

  /** Every placeholder bound, with its value. */
  all(): [string, string][] {
    return [...this.values];
  }

  /** Every placeholder of a kind that has been bound, with its value. */
  of(kind: string): [string, string][] {
    return [...this.values].filter(([p]) => p.startsWith(`<${kind}:`));
  }

  /**
   * A recorded text (a request body, as JSON) with the values bound: `<prefix>` and every
   * placeholder, `<run-id:2@KEY>` from the test that made it, a cut runId (`<run-id:1>-4`) cut as
   * the recording cut it. An unbound workflowId is made from the prefix; with no prefix, an
   * unbound placeholder, or one that stands for a value the source did not print, throws.
   */
  fill(text: string): string {
    const { prefix } = this.options;
    const filled = prefix === undefined ? text : text.split('<prefix>').join(prefix);
    return filled.replace(PLACEHOLDER_IN_TEXT, (whole, kind: string, n: string, at?: string, cut?: string) => {
      const placeholder = `<${kind}:${n}${at ? `@${at}` : ''}>`;
      if (kind === 'not-printed') throw new Error(`${placeholder} stands for a value the source did not print: it cannot be sent`);
      const found = this.home(placeholder);
      if (!found) return whole;
      const [bound, name] = found;
      let value = bound.values.get(name);
      if (value === undefined && kind === 'workflow-id' && bound.options.prefix !== undefined)
        bound.bind(name, (value = `${bound.options.prefix}-w${n}`));
      if (value === undefined) {
        if (prefix === undefined) throw new Error(`${placeholder} is used before the target has answered it`);
        return whole;
      }
      // Inside a JSON string: escaped as one.
      const inJson = (v: string) => JSON.stringify(v).slice(1, -1);
      if (!cut) return inJson(value);
      // A runId cut short: named in answers (a message) as the recording names it.
      const short = value.slice(0, -Number(cut));
      if (!this.placeholders.has(short)) this.placeholders.set(short, whole);
      return inJson(short);
    });
  }

  /** A parsed value with its placeholders replaced by their bound values. */
  fillValue<T>(value: T): T {
    return JSON.parse(this.fill(JSON.stringify(value))) as T;
  }

  /** Binds the ids an answer brings where the recorded answer has a placeholder not bound yet. */
  bindFrom(expected: unknown, actual: unknown): void {
    if (typeof expected === 'string' && typeof actual === 'string') {
      if (!/^<(run-id|task-token|workflow-id):\d+(@[0-9a-f]{8})?>$/.test(expected)) return;
      const found = this.home(expected);
      if (!found) return;
      const [bound, placeholder] = found;
      if (!bound.values.has(placeholder) && !bound.placeholders.has(actual) && !this.placeholderOf(actual)) bound.bind(placeholder, actual);
      return;
    }
    if (Array.isArray(expected) && Array.isArray(actual)) {
      for (let i = 0; i < Math.min(expected.length, actual.length); i += 1) this.bindFrom(expected[i], actual[i]);
      return;
    }
    if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
      for (const [k, v] of Object.entries(expected)) this.bindFrom(v, (actual as Record<string, unknown>)[k]);
    }
  }

  /** An answer as the recording would have it: its ids as placeholders, its times as `<time>`. */
  normalise(v: unknown, key = ''): unknown {
    return normalise(v, key, {
      time: this.options.wholeSeconds ? (t) => (Number.isInteger(t) ? '<time:s>' : '<time>') : () => '<time>',
      whole: (s) => this.placeholderOf(s),
      inside: (s) => {
        const ordered = [...this.placeholders].sort((a, b) => b[0].length - a[0].length);
        const replaced = replaceIds(s, ordered);
        return this.options.prefix === undefined ? replaced : replaced.split(this.options.prefix).join('<prefix>');
      },
    });
  }

  /** The context a placeholder is bound in, and its name there: `<run-id:2@KEY>` is `<run-id:2>` of test KEY. */
  private home(placeholder: string): [TransformContext, string] | undefined {
    const m = /^<([a-z-]+:\d+)@([0-9a-f]{8})>$/.exec(placeholder);
    if (!m) return [this, placeholder];
    const owner = this.options.registry?.get(m[2]!);
    return owner ? [owner, `<${m[1]}>`] : undefined;
  }
}

/** How a normalisation writes what it finds: a time, a whole id, ids inside a longer string. */
export interface Normalisation {
  /** A time member's value as the recording writes it; undefined keeps it. */
  time: (value: number) => string | undefined;
  /** The placeholder of a string that is a whole id. */
  whole: (value: string) => string | undefined;
  /** A string that is not a whole id, with the ids inside it replaced. */
  inside: (value: string) => string;
}

/** The one normaliser: a value with its times and ids written as placeholders, member by member. */
export function normalise(v: unknown, key: string, how: Normalisation): unknown {
  if (typeof v === 'number' && isTimeMember(key)) return how.time(v) ?? v;
  if (typeof v === 'string') return how.whole(v) ?? how.inside(v);
  if (Array.isArray(v)) return v.map((x) => normalise(x, key, how));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x, k, how)]));
  return v;
}

/**
 * Every known id inside a string (a message naming a run, an ARN naming a domain), longest first.
 * A domain only where its name stands alone (not followed or preceded by a letter, a digit, `_` or
 * `-`): it begins other names (the suite's workflow types).
 */
export function replaceIds(s: string, ordered: [value: string, placeholder: string][]): string {
  let out = s;
  for (const [value, placeholder] of ordered) {
    if (value.length < 4) continue;
    if (placeholder.startsWith('<domain:')) {
      if (out.includes(value)) out = out.replace(new RegExp(`(?<![\\w-])${escapeRegExp(value)}(?![\\w-])`, 'g'), placeholder);
    } else if (out.includes(value)) out = out.split(value).join(placeholder);
  }
  return out;
}
