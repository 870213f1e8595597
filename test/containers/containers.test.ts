import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runConformance } from '../../lib/index.js';
import { dockerAvailable } from '../../src/targets/container.ts';
import { runCli } from '../cli/helpers.ts';
import { tempDir } from '../temp-dir.ts';

// CI sets SWF_CONFORMANCE_REQUIRE_DOCKER so that a missing engine fails instead of skipping.
const required = process.env.SWF_CONFORMANCE_REQUIRE_DOCKER === '1';
const REFERENCE_IMAGE = 'swf-conformance/reference:local';
const dir = tempDir('containers');

function containersOfOurs(): string[] {
  const out = execFileSync('docker', ['ps', '-aq', '--filter', 'label=org.testcontainers=true'], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

describe('container targets', () => {
  let unavailable: string | undefined;
  beforeAll(async () => {
    const docker = await dockerAvailable();
    if (!docker.ok) unavailable = `no Docker engine (${docker.reason})`;
    else {
      try {
        execFileSync('docker', ['image', 'inspect', REFERENCE_IMAGE], { stdio: 'ignore' });
      } catch {
        unavailable = `image ${REFERENCE_IMAGE} is not built (scripts/build-images.sh)`;
      }
    }
    if (unavailable && required) throw new Error(`${unavailable} and SWF_CONFORMANCE_REQUIRE_DOCKER=1`);
  });
  afterAll(() => {
    if (!unavailable) expect(containersOfOurs()).toEqual([]);
  });

  test('run --image starts the reference image, runs the battery against it and stops it', async ({ skip }) => {
    if (unavailable) return skip(unavailable);
    const result = await runCli(
      ['run', '--image', REFERENCE_IMAGE, '--port', '8080', '--tags', 'terminate || runid', '--report', join(dir, 'image')],
      { timeoutMs: 180_000 },
    );
    expect(result.code, result.stdout.slice(-2000) + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/swf-conformance\/reference:local answers at http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(/CONFORMANT/);
    expect(containersOfOurs()).toEqual([]);
  }, 200_000);

  test('runConformance() does the same from code', async ({ skip }) => {
    if (unavailable) return skip(unavailable);
    const result = await runConformance({ preset: 'reference', clauses: ['terminate.state.closed'], reportDir: join(dir, 'api') });
    expect([result.exitCode, result.conformant, result.report?.clauses.find((c) => c.id === 'terminate.state.closed')?.status]).toEqual([
      0,
      true,
      'pass',
    ]);
  }, 200_000);

  test('an image that does not exist: exit 2, one line naming it', async ({ skip }) => {
    if (unavailable) return skip(unavailable);
    const started = Date.now();
    const result = await runCli(['run', '--image', 'swf-conformance/no-such-image:none', '--startup-timeout', '20'], { timeoutMs: 60_000 });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(
      /the container did not start: image swf-conformance\/no-such-image:none is not available here/,
    );
    expect(Date.now() - started).toBeLessThan(40_000);
  }, 60_000);

  test('an image that exits at once: exit 2 with its last log lines', async ({ skip }) => {
    if (unavailable) return skip(unavailable);
    const result = await runCli(
      ['run', '--image', REFERENCE_IMAGE, '--port', '8080', '--env', 'NODE_OPTIONS=--no-such-node-option', '--startup-timeout', '20'],
      { timeoutMs: 60_000 },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the container did not start: the container exited with code \d+/);
    expect(result.stderr).toMatch(/last log lines[\s\S]*no-such-node-option/);
    expect(containersOfOurs()).toEqual([]);
  }, 60_000);

  test('an emulator that never becomes ready: exit 2 within the wait timeout, with its last log lines', async ({ skip }) => {
    if (unavailable) return skip(unavailable);
    const started = Date.now();
    // The reference listens on 8080; waiting on 9090 never succeeds.
    const result = await runCli(['run', '--image', REFERENCE_IMAGE, '--port', '9090', '--startup-timeout', '5'], { timeoutMs: 60_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the container did not start: the emulator did not become ready within 5 s/);
    expect(result.stderr).toMatch(/last log lines[\s\S]*listening on/);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(containersOfOurs()).toEqual([]);
  }, 60_000);
});

describe('without a Docker engine', () => {
  test('run --image is one line and exit 2', async () => {
    const result = await runCli(['run', '--image', REFERENCE_IMAGE], {
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^swf-conformance: no Docker engine/);
  }, 60_000);
});
