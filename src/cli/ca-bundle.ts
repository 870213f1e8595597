/**
 * Which CA bundle a command's HTTPS connections trust, chosen as the AWS SDKs and CLI choose it:
 * `--ca-bundle FILE`, else AWS_CA_BUNDLE, else the profile's `ca_bundle` (AWS_CONFIG_FILE). The
 * choice is checked (a readable file holding a PEM certificate) and handed on as AWS_CA_BUNDLE, so
 * that every client of the run, in its workers too, trusts it (src/clients/tls.ts).
 */
import { resolve } from 'node:path';
import { getProfileName, loadSharedConfigFiles } from '@smithy/core/config';
import { CaBundleError, readCaBundle } from '../clients/tls.ts';
import { UsageError } from './usage-error.ts';

export async function useCaBundle(opts: { caBundle?: string; profile?: string }): Promise<string | undefined> {
  let chosen: { path: string; from: string } | undefined;
  if (opts.caBundle !== undefined) chosen = { path: opts.caBundle, from: '--ca-bundle' };
  else if (process.env.AWS_CA_BUNDLE) chosen = { path: process.env.AWS_CA_BUNDLE, from: 'AWS_CA_BUNDLE' };
  else {
    const profile = getProfileName(opts.profile ? { profile: opts.profile } : {});
    const { configFile } = await loadSharedConfigFiles();
    const path = configFile[profile]?.ca_bundle;
    if (path) chosen = { path, from: `the ca_bundle of profile ${profile} (${process.env.AWS_CONFIG_FILE ?? '~/.aws/config'})` };
  }
  if (!chosen) return undefined;
  const path = resolve(chosen.path);
  try {
    readCaBundle(path);
  } catch (error) {
    if (error instanceof CaBundleError) throw new UsageError(`${chosen.from}: ${error.message}`);
    throw error;
  }
  process.env.AWS_CA_BUNDLE = path;
  return path;
}
