/**
 * The embedded reference as a target: started in this process for the run, with SigV4
 * verification on, credentials made for the run, and a restricted principal allowed the two
 * operations in the second domain only.
 */
import { randomBytes } from 'node:crypto';
import { startReference } from '../../reference/server.ts';
import { operationsUnderTest } from '../generated/operations.ts';
import type { ReferenceConfig } from '../generated/types.ts';
import type { StaticCredentials } from '../harness/config.ts';
import type { Target } from '../harness/target.ts';

/** The poll timeout of a reference the suite starts: the battery polls an empty task list once, on purpose (terminate.no-events-after). */
const SUITE_POLL_TIMEOUT_MS = 250;

/**
 * Credentials made for one run of a reference (embedded or in a container) that verifies SigV4:
 * the suite's own principal, allowed everything, and a restricted one for the access-control
 * clauses.
 */
export function referencePrincipals(deprecatedDomain = 'swf-conformance-deprecated'): {
  main: StaticCredentials;
  restricted: StaticCredentials;
  config: ReferenceConfig;
} {
  const key = (prefix: string) => `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`;
  const main = { accessKeyId: key('AKIDSWFC'), secretAccessKey: randomBytes(20).toString('hex') };
  const restricted = { accessKeyId: key('AKIDSWFCR'), secretAccessKey: randomBytes(20).toString('hex') };
  return {
    main,
    restricted,
    config: {
      auth: {
        credentials: [
          { ...main, principal: 'suite' },
          { ...restricted, principal: 'restricted' },
        ],
      },
      policy: {
        principals: {
          suite: [{ actions: ['*'], domains: ['*'] }],
          // Allowed the two operations in the second domain only, so that a permission check
          // that ignores the domain shows as access granted in the suite's domain.
          restricted: [
            { actions: ['DescribeDomain', 'ListDomains'], domains: ['*'] },
            { actions: [...operationsUnderTest] as [string, ...string[]], domains: [deprecatedDomain] },
          ],
        },
      },
      pollTimeoutMs: SUITE_POLL_TIMEOUT_MS,
    },
  };
}

/** Starts the embedded reference for one run. */
export async function embeddedReference(options: { region: string; deprecatedDomain: string }): Promise<Target> {
  const principals = referencePrincipals(options.deprecatedDomain);
  const reference = await startReference({ ...principals.config, region: options.region });
  return {
    kind: 'reference',
    name: 'embedded reference',
    endpoint: reference.url,
    outlivesRun: false,
    credentials: principals.main,
    restricted: principals.restricted,
    close: () => reference.close(),
  };
}

/**
 * The reference a model-based run compares the target with: a fresh embedded reference of its
 * own, also when the target is the embedded reference (the reference is then compared with itself).
 */
export async function startOracle(region: string): Promise<{ endpoint: string; credentials: StaticCredentials; close(): Promise<void> }> {
  const principals = referencePrincipals();
  const reference = await startReference({ ...principals.config, region });
  return { endpoint: reference.url, credentials: principals.main, close: () => reference.close() };
}
