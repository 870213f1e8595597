/**
 * What the battery runs against. The harness knows targets only through this interface; the
 * embedded reference, an endpoint and a container (src/targets/) implement it, and the CLI
 * picks one.
 */
import type { RestrictedPrincipal, StaticCredentials } from './config.ts';

export interface Target {
  kind: 'reference' | 'endpoint' | 'container';
  /** A name for reports. */
  name: string;
  /** The URL the battery sends its requests to. */
  endpoint: string;
  /** Credentials the target made for this run; without them the default chain signs the requests. */
  credentials?: StaticCredentials;
  /** A restricted principal the target made for this run, for the access-control tests. */
  restricted?: RestrictedPrincipal;
  /** Whether executions the run leaves open outlive it (an endpoint), or end with the target. */
  outlivesRun: boolean;
  /** Why the target went away during the run, when it did (a container that stopped). */
  lost?(): Promise<string | undefined>;
  /** Stops what the target started for the run; nothing for an endpoint. */
  close(): Promise<void>;
}
