/**
 * The certificate authorities a client trusts for an HTTPS endpoint, as the AWS SDKs and CLI take
 * them: the system's, plus the PEM bundle named by AWS_CA_BUNDLE (which `--ca-bundle FILE` and a
 * profile's `ca_bundle` set for the run). Every client of the suite, its workers' included, reads
 * it here.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';

/** A CA bundle that cannot be used: its message names the file and what is wrong. */
export class CaBundleError extends Error {}

let loaded: { path: string; pem: string } | undefined;

/** Reads and checks a PEM bundle: it must hold at least one certificate. */
export function readCaBundle(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CaBundleError(
      `CA bundle ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (error as Error).message}`,
    );
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(pem))
    throw new CaBundleError(`CA bundle ${path}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return pem;
}

/** The bundle AWS_CA_BUNDLE names, read once; undefined when it names none. */
export function caBundle(): string | undefined {
  const path = process.env.AWS_CA_BUNDLE;
  if (!path) return undefined;
  if (loaded?.path !== path) loaded = { path, pem: readCaBundle(path) };
  return loaded.pem;
}

/** The certificate authorities to trust: the system's and the bundle's; undefined to keep Node's defaults. */
export function trustedCas(): string[] | undefined {
  const pem = caBundle();
  return pem ? [...rootCertificates, pem] : undefined;
}

/** An undici dispatcher that trusts the bundle as well, with these options. */
export function dispatcherWith(options: Agent.Options = {}): Agent {
  const ca = trustedCas();
  return new Agent(ca ? { ...options, connect: { ...(options.connect as object | undefined), ca } } : options);
}

/** A node:https agent for the SDK's request handler, when a bundle is given. */
export function httpsAgent(): HttpsAgent | undefined {
  const ca = trustedCas();
  return ca ? new HttpsAgent({ keepAlive: true, ca }) : undefined;
}
