/**
 * HTTPS with a private CA, as AWS's emulator serves it: `serve --tls` makes a certificate, and
 * the battery trusts it through `--ca-bundle`, AWS_CA_BUNDLE or the profile's `ca_bundle`, as the
 * AWS SDKs and CLI take one. Without it the run stops at once and says what to give.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useCaBundle } from '../../src/cli/ca-bundle.ts';
import { runMain, startServe, stop } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'swfc-tls-'));
const ca = join(dir, 'ca.pem');
let served: Awaited<ReturnType<typeof startServe>>;
const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
// A short battery that still starts, cancels and terminates executions, and reads faults, over TLS.
const battery = (endpoint: string) => [
  'run',
  '--endpoint',
  endpoint,
  '--clause',
  'wire.success.empty-body',
  '--clause',
  'wire.success.request-id',
  '--model-runs',
  '0',
  '--no-rerun',
];

beforeAll(async () => {
  served = await startServe(['--tls', '--tls-dir', dir]);
});
afterAll(async () => {
  if (served) await stop(served.child);
  rmSync(dir, { recursive: true, force: true });
});

describe('serve --tls', () => {
  test('serves HTTPS, writes its certificate where asked, and says how to trust it', () => {
    expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(ca, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(served.output()).toContain(`AWS_CA_BUNDLE=${ca}`);
  });

  test('without --tls-dir, the certificate goes to a temporary folder, removed when serve stops', async () => {
    const other = await startServe(['--tls']);
    const file = /AWS_CA_BUNDLE=(\S+)/.exec(other.output())?.[1];
    expect(file && existsSync(file)).toBe(true);
    await stop(other.child);
    expect(existsSync(file!)).toBe(false);
  });

  test('--tls-dir without --tls is refused, naming both', async () => {
    const res = await runMain(['serve', '--port', '0', '--tls-dir', dir]);
    expect([res.code, res.stderr.trim()]).toEqual([2, 'swf-conformance: --tls-dir is for --tls: give both, or neither']);
  });
});

describe('the battery through HTTPS', () => {
  test('with --ca-bundle: conformant', { timeout: 120_000 }, async () => {
    const res = await runMain([...battery(served.url), '--ca-bundle', ca, '--report', join(dir, 'r1')], {
      env: { ...credentials, AWS_CA_BUNDLE: '' },
      timeoutMs: 110_000,
    });
    expect([res.code, /CONFORMANT/.exec(res.stdout)?.[0]], res.stdout + res.stderr).toEqual([0, 'CONFORMANT']);
  });

  test('with AWS_CA_BUNDLE: conformant', { timeout: 120_000 }, async () => {
    const res = await runMain([...battery(served.url), '--report', join(dir, 'r2')], {
      env: { ...credentials, AWS_CA_BUNDLE: ca },
      timeoutMs: 110_000,
    });
    expect([res.code, /CONFORMANT/.exec(res.stdout)?.[0]], res.stdout + res.stderr).toEqual([0, 'CONFORMANT']);
  });

  test('without the CA: exit 2 at once, saying the certificate is not trusted and what to give', async () => {
    const res = await runMain([...battery(served.url), '--report', join(dir, 'r3')], { env: { ...credentials, AWS_CA_BUNDLE: '' } });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /its certificate is not trusted \(\w+\): give the certificate of the CA that signed it with --ca-bundle FILE or AWS_CA_BUNDLE/,
    );
  });
});

describe('which CA bundle a command trusts', () => {
  const saved = {
    AWS_CA_BUNDLE: process.env.AWS_CA_BUNDLE,
    AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
    AWS_PROFILE: process.env.AWS_PROFILE,
  };
  const restore = () => {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  };

  test('--ca-bundle, else AWS_CA_BUNDLE, else the profile ca_bundle of AWS_CONFIG_FILE', async () => {
    const config = join(dir, 'config');
    writeFileSync(config, `[default]\nregion = us-east-1\n\n[profile emulator]\nca_bundle = ${ca}\n`);
    try {
      delete process.env.AWS_CA_BUNDLE;
      process.env.AWS_CONFIG_FILE = config;
      delete process.env.AWS_PROFILE;
      expect(await useCaBundle({})).toBeUndefined();
      expect(await useCaBundle({ profile: 'emulator' })).toBe(ca);
      expect(process.env.AWS_CA_BUNDLE).toBe(ca);
      process.env.AWS_CA_BUNDLE = join(dir, 'elsewhere.pem');
      await expect(useCaBundle({ profile: 'emulator' })).rejects.toThrow(/^AWS_CA_BUNDLE: CA bundle .*elsewhere\.pem: no such file$/);
      expect(await useCaBundle({ caBundle: ca })).toBe(ca);
    } finally {
      restore();
    }
  });

  test('a file that holds no certificate is refused, naming where it came from', async () => {
    try {
      delete process.env.AWS_CA_BUNDLE;
      await expect(useCaBundle({ caBundle: join(dir, 'config') })).rejects.toThrow(/^--ca-bundle: CA bundle .*: holds no PEM certificate/);
    } finally {
      restore();
    }
  });
});
