import { randomBytes } from 'node:crypto';
import type { ReferenceConfig } from '../generated/types.ts';
import type { StaticCredentials } from './config.ts';

/**
 * Credentials made for one run of a reference (embedded or in a container) that verifies SigV4:
 * the suite's own principal, allowed everything, and a restricted one that may only read
 * domains, for the access-control clauses.
 */
export function referencePrincipals(deprecatedDomain = 'swf-conformance-deprecated'): { main: StaticCredentials; restricted: StaticCredentials; config: ReferenceConfig } {
  const key = (prefix: string) => `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`;
  const main = { accessKeyId: key('AKIDSWFC'), secretAccessKey: randomBytes(20).toString('hex') };
  const restricted = { accessKeyId: key('AKIDSWFCR'), secretAccessKey: randomBytes(20).toString('hex') };
  return {
    main,
    restricted,
    config: {
      auth: { credentials: [{ ...main, principal: 'suite' }, { ...restricted, principal: 'restricted' }] },
      policy: {
        principals: {
          suite: [{ actions: ['*'], domains: ['*'] }],
          // Allowed the two operations in the second domain only, so that a permission check
          // that ignores the domain shows as access granted in the suite's domain.
          restricted: [
            { actions: ['DescribeDomain', 'ListDomains'], domains: ['*'] },
            { actions: ['RequestCancelWorkflowExecution', 'TerminateWorkflowExecution'], domains: [deprecatedDomain] },
          ],
        },
      },
      // Short: the battery polls an empty task list once, on purpose (terminate.no-events-after).
      pollTimeoutMs: 1_000,
    },
  };
}
