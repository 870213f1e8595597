/**
 * Settings reach the verdict from the flags and from the environment alike, flags first, and the
 * CLI leaves the caller's environment as it found it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, resolveSettings } from '../../src/harness/config.ts';
import { startReference } from '../../reference/server.ts';
import { runMain } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

const dir = tempDir('settings');
const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_PROFILE: '', AWS_SESSION_TOKEN: '' };

describe('strict mode from SWF_CONFORMANCE_STRICT, as from --strict', () => {
  // A reference that deviates from an inferred clause only: advisory unless strict.
  let serve: Awaited<ReturnType<typeof startReference>>;
  beforeAll(async () => {
    serve = await startReference({ pollTimeoutMs: 1_000, deviate: ['runid-prefix-match'] });
  });
  afterAll(async () => {
    await serve.close();
  });

  const runWith = async (name: string, args: string[], env: Record<string, string>) => {
    const report = join(dir, name);
    const result = await runMain(
      ['run', '--endpoint', serve.url, '--clause', 'runid.explicit.exact', '--report', report, '--consistency-window', '1', ...args],
      { env: { ...credentials, ...env } },
    );
    const json = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as {
      strict: boolean;
      clauses: { id: string; status: string }[];
    };
    return {
      code: result.code,
      strict: json.strict,
      status: json.clauses.find((c) => c.id === 'runid.explicit.exact')?.status,
      output: result.stdout + result.stderr,
    };
  };

  test('--update-expectations exits 0 once written, naming the implementation, with a reason a person reads', async () => {
    const out = join(dir, 'deviating.yaml');
    const result = await runMain(
      [
        'run',
        '--endpoint',
        serve.url,
        '--clause',
        'runid.explicit.exact',
        '--strict',
        '--report',
        join(dir, 'upd'),
        '--consistency-window',
        '1',
        '--update-expectations',
        out,
        '--implementation',
        'reference 0.1.0 (runid-prefix-match)',
      ],
      { env: credentials },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const written = parse(readFileSync(out, 'utf8')) as { implementation: string; expectations: { clause: string; reason: string }[] };
    expect(written.implementation).toBe('reference 0.1.0 (runid-prefix-match)');
    expect(written.expectations.map((e) => e.clause)).toEqual(['runid.explicit.exact']);
    expect(written.expectations[0]!.reason).toMatch(
      /^2 of 2 tests fail; "'RequestCancelWorkflowExecution' > a prefix of the open run's runId is UnknownResourceFault, and the run does not change": /,
    );
    expect(written.expectations[0]!.reason).not.toMatch(/AssertionError|Object\.is equality/);
  }, 60_000);

  test('without it the inferred failure is advisory and the run conformant', async () => {
    const r = await runWith('relaxed', [], { SWF_CONFORMANCE_STRICT: '' });
    expect(r, r.output).toMatchObject({ code: 0, strict: false, status: 'advisory-fail' });
  }, 60_000);

  const strictWays: [string, string[], Record<string, string>][] = [
    ['SWF_CONFORMANCE_STRICT=1', [], { SWF_CONFORMANCE_STRICT: '1' }],
    ['SWF_CONFORMANCE_STRICT=true', [], { SWF_CONFORMANCE_STRICT: 'true' }],
    ['--strict', ['--strict'], { SWF_CONFORMANCE_STRICT: '' }],
  ];
  test.for(strictWays)('with %s it fails the run', { timeout: 60_000 }, async ([name, args, env]) => {
    const r = await runWith(name.replace(/\W/g, ''), args, env);
    expect(r, r.output).toMatchObject({ code: 1, strict: true, status: 'fail' });
  });
});

describe('resolveSettings', () => {
  test('a flag wins over its variable, and the variable over the default', () => {
    const env = { AWS_REGION: 'eu-west-1', SWF_CONFORMANCE_DOMAIN: 'from-env', SWF_CONFORMANCE_CONSISTENCY_WINDOW: '7', AWS_PROFILE: 'p' };
    expect(resolveSettings({}, env)).toMatchObject({
      region: 'eu-west-1',
      domain: 'from-env',
      consistencyWindowMs: 7_000,
      profile: 'p',
      strict: false,
    });
    expect(
      resolveSettings({ region: 'us-west-2', domain: 'from-flag', consistencyWindow: 3, profile: 'q', strict: true }, env),
    ).toMatchObject({ region: 'us-west-2', domain: 'from-flag', consistencyWindowMs: 3_000, profile: 'q', strict: true });
    expect(resolveSettings({}, {})).toMatchObject({ region: 'us-east-1', domain: 'swf-conformance', strict: false });
    expect(resolveSettings({}, {}).consistencyWindowMs).toBeUndefined();
    // The bounds themselves are taken.
    expect(resolveSettings({}, { SWF_CONFORMANCE_CONSISTENCY_WINDOW: '600' }).consistencyWindowMs).toBe(600_000);
    expect(resolveSettings({}, { SWF_CONFORMANCE_SEED: '-2147483648' }).model.seed).toBe(-2_147_483_648);
  });

  test.for([
    [{ SWF_CONFORMANCE_STRICT: 'maybe' }, /SWF_CONFORMANCE_STRICT must be 1 or 0/],
    [{ AWS_REGION: 'moon' }, /AWS_REGION moon: not a region name/],
    [{ AWS_ENDPOINT_URL_SWF: 'ftp://x' }, /AWS_ENDPOINT_URL_SWF ftp:\/\/x: not an http or https URL/],
    [{ SWF_CONFORMANCE_DOMAIN: 'a:b' }, /SWF_CONFORMANCE_DOMAIN a:b: not a valid domain name/],
    [{ SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID: 'x' }, /set both SWF_CONFORMANCE_RESTRICTED_ACCESS_KEY_ID and/],
    // The flags' bounds, which the variables share (src/harness/config.ts).
    [{ SWF_CONFORMANCE_CONSISTENCY_WINDOW: '601' }, /SWF_CONFORMANCE_CONSISTENCY_WINDOW must be a number of seconds from 0 to 600: "601"/],
    [{ SWF_CONFORMANCE_MODEL_RUNS: '100001' }, /SWF_CONFORMANCE_MODEL_RUNS must be a whole number from 0 to 100000: "100001"/],
    [{ SWF_CONFORMANCE_SEED: '2147483648' }, /SWF_CONFORMANCE_SEED must be a whole number from -2147483648 to 2147483647/],
  ] as const)('a bad value is named: %o', ([env, message]) => {
    expect(() => resolveSettings({}, env)).toThrow(ConfigError);
    expect(() => resolveSettings({}, env)).toThrow(message);
  });

  test('a bad variable stops the CLI before any target, with one line and exit 2', async () => {
    const result = await runMain(['run'], { env: { SWF_CONFORMANCE_STRICT: 'maybe' } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^swf-conformance: SWF_CONFORMANCE_STRICT must be 1 or 0/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
