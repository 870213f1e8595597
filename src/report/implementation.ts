/**
 * Which implementation, at which version, a run judged; and whether the expectation file it was
 * judged with was made against that version. SWF has no operation that names its implementation.
 * Some say so on an endpoint of their own: LocalStack on /_localstack/health, the reference on
 * /_swf-conformance/health, AWS's emulator on /__admin/health. Any other is named by the run (`--implementation "NAME VERSION"`).
 */
import { fetch as undiciFetch } from 'undici';
import { dispatcherWith } from '../clients/tls.ts';
import { HEALTH_PATH } from '../contract/protocol.ts';

/** Where AWS's emulator (aws/aws-emulator) answers readiness. */
export const AWS_EMULATOR_HEALTH = '/__admin/health';

export interface Implementation {
  /** Lower-cased, without a trailing "(…)" qualifier such as "(image)". */
  name: string;
  version?: string;
}

/** "moto 5.2.1 (image)" → { name: "moto", version: "5.2.1" }; "reference (image)" → { name: "reference" }. */
export function parseImplementation(text: string): Implementation {
  const words = text
    .replace(/\s*\([^)]*\)\s*$/, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const last = words.at(-1);
  if (words.length > 1 && last && /^v?\d[\w.+-]*$/.test(last))
    return { name: words.slice(0, -1).join(' ').toLowerCase(), version: last.replace(/^v/, '') };
  return { name: words.join(' ').toLowerCase() };
}

/**
 * The warning a run prints when its expectation file was made against another implementation or
 * another version of it; none when they agree, or when the target's version is not known.
 */
export function expectationsWarning(file: string, madeAgainst: string, target: string | undefined): string | undefined {
  if (!target) return undefined;
  const made = parseImplementation(madeAgainst);
  const now = parseImplementation(target);
  if (made.name !== now.name)
    return `${file} was made against ${madeAgainst}, but the target is ${target}: its expected failures are another implementation's`;
  if (made.version && now.version && made.version !== now.version) {
    return `${file} was made against ${madeAgainst}; the target is ${target}: its expected failures may not be this version's (run --update-expectations with --implementation "${target}" to make a file for it)`;
  }
  return undefined;
}

type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean; json(): Promise<unknown> }>;

/**
 * Asks the endpoint's own health pages which implementation it is, in well under a second:
 * "localstack 4.14.0", "reference 0.9.0", or undefined when none answers. AWS itself is not asked.
 */
export async function detectImplementation(
  endpoint: string,
  options: { timeoutMs?: number; fetch?: Fetch } = {},
): Promise<string | undefined> {
  const url = new URL(endpoint);
  if (/(^|\.)amazonaws\.com(\.cn)?$/.test(url.hostname)) return undefined;
  const dispatcher = options.fetch ? undefined : dispatcherWith();
  const get: Fetch = options.fetch ?? ((u, init) => undiciFetch(u, { ...init, ...(dispatcher ? { dispatcher } : {}) }));
  const ask = async (path: string): Promise<Record<string, unknown> | undefined> => {
    try {
      const res = await get(new URL(path, url).href, { signal: AbortSignal.timeout(options.timeoutMs ?? 1500) });
      if (!res.ok) return undefined;
      const body = await res.json();
      return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const [localstack, reference, emulator] = await Promise.all([
    ask('/_localstack/health'),
    ask(HEALTH_PATH),
    ask(AWS_EMULATOR_HEALTH),
  ]).finally(() => void dispatcher?.close());
  if (typeof localstack?.version === 'string' && localstack.version) return `localstack ${localstack.version}`;
  // AWS's own emulator answers readiness here; what its page holds is not yet seen: a version if it gives one.
  if (emulator) return typeof emulator.version === 'string' && emulator.version ? `aws-emulator ${emulator.version}` : 'aws-emulator';
  if (typeof reference?.implementation === 'string' && reference.implementation) return reference.implementation;
  return undefined;
}
