import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { motoInstalled, startMotoServer, type ProcessTarget } from '../../src/targets/moto.ts';
import { runCli, runMain } from './helpers.ts';
import { tempDir } from '../temp-dir.ts';

const dir = tempDir('run');
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('swf-conformance run against the embedded reference', () => {
  test('exits 0, prints the verdict and writes the four reports', async () => {
    const report = join(dir, 'reference');
    // A vitest report of an earlier run, not asked for this time, would pass for this run's.
    mkdirSync(report, { recursive: true });
    for (const stale of ['vitest-results.json', 'vitest-junit.xml']) writeFileSync(join(report, stale), '{}');
    const result = await runCli(['run', '--report', report], { timeoutMs: 90_000 });
    for (const stale of ['vitest-results.json', 'vitest-junit.xml']) expect(existsSync(join(report, stale)), stale).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/swf-conformance against embedded reference: CONFORMANT/);
    expect(result.stdout).toMatch(/✓ suites\/wire\.test\.ts/);
    for (const f of ['conformance.json', 'conformance.md', 'junit.xml', 'index.html']) expect(existsSync(join(report, f)), f).toBe(true);
    const json = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as {
      conformant: boolean;
      summary: { fail: number; pass: number };
    };
    expect(json.conformant).toBe(true);
    expect(json.summary.fail).toBe(0);
    expect(json.summary.pass).toBeGreaterThan(70);
  }, 120_000);

  test('a listed clause that passes is an unexpected pass; it fails the run only with --strict-expectations', async () => {
    const file = write(
      'listed.yaml',
      'implementation: reference\nexpectations:\n  - clause: wire.success.empty-body\n    reason: listed on purpose to see it pass\n',
    );
    const args = ['run', '--clause', 'wire.success.empty-body', '--expect', file, '--report', join(dir, 'listed')];
    const relaxed = await runMain(args, { timeoutMs: 60_000 });
    expect(relaxed.code, relaxed.stdout + relaxed.stderr).toBe(0);
    expect(relaxed.stdout).toMatch(/unexpected-pass\s+wire\.success\.empty-body/);
    const strict = await runMain([...args, '--strict-expectations'], { timeoutMs: 60_000 });
    expect(strict.code).toBe(1);
  }, 120_000);

  test('--update-expectations writes a valid file', async () => {
    const out = join(dir, 'written.yaml');
    const result = await runMain(
      ['run', '--clause', 'wire.success.empty-body', '--report', join(dir, 'upd'), '--update-expectations', out],
      { timeoutMs: 60_000 },
    );
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^implementation: reference \d+\.\d+\.\d+\nexpectations: \[\]/);
  }, 60_000);

  test('an expectation file made against another version warns with both versions, in the output and the report; the same version does not', async () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    const file = write('older.yaml', 'implementation: reference 0.0.1\nexpectations: []\n');
    const older = await runMain(['run', '--clause', 'wire.success.empty-body', '--expect', file, '--report', join(dir, 'older')], {
      timeoutMs: 60_000,
    });
    expect(older.code, older.stderr).toBe(0);
    const warning = `${file} was made against reference 0.0.1; the target is reference ${version}`;
    expect(older.stderr).toContain(`swf-conformance: warning: ${warning}`);
    const report = JSON.parse(readFileSync(join(dir, 'older', 'conformance.json'), 'utf8')) as {
      implementation: string;
      warnings: string[];
    };
    expect(report.implementation).toBe(`reference ${version}`);
    expect(report.warnings[0]).toContain(warning);
    expect(readFileSync(join(dir, 'older', 'conformance.md'), 'utf8')).toContain('**Warning:**');
    // Told it is that version, the run compares like with like.
    const told = await runMain(
      [
        'run',
        '--clause',
        'wire.success.empty-body',
        '--expect',
        file,
        '--implementation',
        'reference 0.0.1',
        '--report',
        join(dir, 'told'),
      ],
      { timeoutMs: 60_000 },
    );
    expect(told.stderr).not.toContain('warning');
    expect((JSON.parse(readFileSync(join(dir, 'told', 'conformance.json'), 'utf8')) as { warnings?: string[] }).warnings).toBeUndefined();
  }, 120_000);
});

describe('run refuses bad input with one line and exit 2, quickly', () => {
  test.for([
    ['an unknown flag', ['--bogus'], /unknown option '--bogus'/],
    ['an unknown clause', ['--clause', 'no.such.clause'], /--clause no\.such\.clause: no such clause/],
    ['an unknown tag', ['--tags', 'documented && nonsense'], /unknown tag "nonsense"/],
    ['a bad --grep', ['--grep', '('], /--grep \(: not a valid regular expression/],
    ['an endpoint that is not a URL', ['--endpoint', 'nowhere'], /--endpoint nowhere: not an http or https URL/],
    [
      'an unreachable endpoint',
      ['--endpoint', 'http://127.0.0.1:9'],
      /cannot reach the endpoint http:\/\/127\.0\.0\.1:9: connection refused/,
    ],
    ['a missing expectation file', ['--expect', '/nonexistent.yaml'], /cannot read expectation file \/nonexistent\.yaml: ENOENT/],
    ['a malformed expectation file', ['--expect', write('bad.yaml', 'implementation: [')], /expectation file .* is not valid YAML or JSON/],
    [
      'an expectation without a reason',
      ['--expect', write('noreason.yaml', 'implementation: x\nexpectations:\n  - clause: cancel.event.recorded\n')],
      /must have required property 'reason'/,
    ],
    [
      'an expectation naming an unknown clause',
      ['--expect', write('unknown.yaml', 'implementation: x\nexpectations:\n  - clause: no.such\n    reason: a reason long enough\n')],
      /names unknown clause\(s\): no\.such/,
    ],
  ] as const)('%s', async ([, args, message]) => {
    const started = Date.now();
    const result = await runMain(['run', ...args], { env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' } });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('run against moto_server', () => {
  // CI sets SWF_CONFORMANCE_REQUIRE_MOTO so that a missing moto fails instead of skipping.
  const required = process.env.SWF_CONFORMANCE_REQUIRE_MOTO === '1';
  let moto: ProcessTarget | undefined;
  beforeAll(async () => {
    if (motoInstalled()) moto = await startMotoServer();
    else if (required) throw new Error('moto_server is not installed and SWF_CONFORMANCE_REQUIRE_MOTO=1');
  });
  afterAll(async () => moto?.stop());
  const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

  test('fails moto on its deviations, and with fixtures/expectations/moto.yaml exits 0, every failure an expected one', async ({
    skip,
  }) => {
    if (!moto) return skip('moto_server is not installed (pip install "moto[server]")');
    // One run: each known failure judged "expected fail" is a failure the run without the file
    // would charge (the expectation file only changes how a failure counts, not what fails).
    const report = join(dir, 'moto-expected');
    // moto reads back at once or never: a 5 s window bounds the reads it never settles (AWS's is 30 s).
    // The cancel concern's tests alone (19 of moto's known failures), without the model-based run:
    // CI's moto stage judges the whole battery and the model-based run against moto, strictly.
    const expected = await runMain(
      [
        'run',
        '--endpoint',
        moto.url,
        '--expect',
        'fixtures/expectations/moto.yaml',
        '--consistency-window',
        '5',
        '--model-runs',
        '0',
        '--tags',
        'cancel',
        '--report',
        report,
      ],
      {
        env,
        timeoutMs: 120_000,
      },
    );
    expect(expected.code, expected.stdout.slice(-3000)).toBe(0);
    expect(expected.stdout).toMatch(/: CONFORMANT/);
    // The progress lines agree with the verdict: moto's known failures count as expected.
    expect(expected.stdout).toMatch(/^✓ suites\/cancel\.test\.ts\s+\d+ expected fail/m);
    expect(expected.stdout).not.toMatch(/^✗|\d+ failed/m);
    const json = JSON.parse(readFileSync(join(report, 'conformance.json'), 'utf8')) as { clauses: { id: string; status: string }[] };
    expect(json.clauses.find((c) => c.id === 'cancel.event.recorded')?.status).toBe('expected-fail');
    expect(json.clauses.filter((c) => c.status === 'expected-fail').length).toBeGreaterThan(10);
  }, 300_000);
});
