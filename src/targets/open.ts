/**
 * One way to open a target, for every command that needs one (`run`, `replay`, `cleanup`, and the
 * battery when vitest runs it directly): the embedded reference, an endpoint, or an emulator in a
 * container (an image, or a preset's). It checks what the target needs before anything is sent
 * (an endpoint that answers, credentials to sign with), so that every command says the same thing
 * when they are missing, and a stop while it waits leaves nothing running.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { StaticCredentials } from '../harness/config.ts';
import type { Target } from '../harness/target.ts';
import { endpointTarget } from './endpoint.ts';
import { TargetOpenError } from './open-error.ts';
import type { ContainerOptions } from './presets.ts';
import { checkReachable } from './reachable.ts';
import { embeddedReference } from './reference.ts';

export { TargetOpenError } from './open-error.ts';

export interface TargetChoice {
  /** An endpoint the suite did not start; the embedded reference when neither this nor a container is given. */
  endpoint?: string;
  /** An emulator to start in a container, and the principals it was given (the reference preset makes its own). */
  container?: { spec: ContainerOptions; principals: Pick<Target, 'credentials' | 'restricted'> };
  region: string;
  /** The second domain, the one the suite deprecates: the embedded reference allows its restricted principal there. */
  deprecatedDomain: string;
  /** The AWS profile the default credential chain reads, when the target makes no credentials of its own. */
  profile?: string;
  /** Whether to wait for the endpoint's first answer before opening it (default: yes), and for how long. */
  reachable?: false | { timeoutMs: number };
  /** Stops the opening: undefined is returned, and nothing is left running. */
  signal?: AbortSignal;
  /** Told what is being started, for the user. */
  say?: (line: string) => void;
}

/** Opens the target chosen; undefined when the signal stopped it first. */
export async function openTarget(choice: TargetChoice): Promise<Target | undefined> {
  const say = choice.say ?? (() => undefined);
  const signal = choice.signal ?? new AbortController().signal;
  if (choice.container) {
    const { spec, principals } = choice.container;
    say(`swf-conformance: starting ${spec.image} (port ${spec.port}, up to ${spec.startupTimeoutSeconds} s)`);
    // Loaded only for a container: testcontainers is slow to load.
    const { ContainerError, containerTarget, startContainer } = await import('./container.ts');
    const starting = startContainer(spec);
    let running: Awaited<typeof starting> | undefined;
    try {
      running = await unlessAborted(starting, signal);
    } catch (error) {
      if (error instanceof ContainerError) throw new TargetOpenError(error.message);
      throw error;
    }
    if (!running) {
      // Stopped while it started: stop it once it is up.
      await starting.then(
        (c) => c.stop(),
        () => undefined,
      );
      say(`swf-conformance: ${spec.image} stopped; nothing was run`);
      return undefined;
    }
    say(`swf-conformance: ${spec.image} answers at ${running.url}`);
    const target = containerTarget(running, spec.image, principals);
    try {
      if (!principals.credentials) await defaultCredentials(running.url, choice.profile);
    } catch (error) {
      await target.close();
      throw error;
    }
    return target;
  }
  if (choice.endpoint) {
    try {
      new URL(choice.endpoint);
    } catch {
      throw new TargetOpenError(`--endpoint ${choice.endpoint}: not a URL`);
    }
    if (choice.reachable !== false) {
      const reached = await unlessAborted(
        checkReachable(choice.endpoint, choice.reachable?.timeoutMs ?? 30_000).then(() => true),
        signal,
      );
      if (!reached) return undefined;
    }
    await defaultCredentials(choice.endpoint, choice.profile);
    return endpointTarget(choice.endpoint);
  }
  return embeddedReference({ region: choice.region, deprecatedDomain: choice.deprecatedDomain });
}

/** What signs the requests to a target: the credentials it made for the run, else the default chain (checked once here). */
export async function credentialsOf(
  target: Pick<Target, 'credentials' | 'endpoint'>,
  profile?: string,
): Promise<() => Promise<StaticCredentials & { sessionToken?: string }>> {
  const own = target.credentials;
  if (own) return async () => own;
  return defaultCredentials(target.endpoint, profile);
}

/** The default credential chain, checked to give credentials: a clear error names what to set when it does not. */
export async function defaultCredentials(
  endpoint: string,
  profile?: string,
): Promise<() => Promise<StaticCredentials & { sessionToken?: string }>> {
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const chain = fromNodeProviderChain(profile ? { profile } : {});
  try {
    await chain();
  } catch (error) {
    if (profile && !profileExists(profile)) {
      throw new TargetOpenError(
        `--profile ${profile}: no such profile in the shared AWS config and credentials files (${process.env.AWS_CONFIG_FILE ?? '~/.aws/config'}, ${process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'})`,
      );
    }
    throw new TargetOpenError(
      `no AWS credentials for ${endpoint}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile (${(error as Error).message.split('\n')[0]})`,
    );
  }
  return () => chain();
}

/** Whether the shared config or credentials file names this profile (their section headers). */
function profileExists(profile: string): boolean {
  const home = homedir();
  const files = [
    process.env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
    process.env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
  ];
  const headers = new Set([`[${profile}]`, `[profile ${profile}]`]);
  return files.some((file) => {
    try {
      return readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .some((line) => headers.has(line.trim().replace(/\s+/g, ' ')));
    } catch {
      return false;
    }
  });
}

/** Resolves with the promise's value, or with undefined as soon as the signal aborts. */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolveWith, reject) => {
    const onAbort = () => resolveWith(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolveWith(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
