import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../src/contract/paths.ts';

/**
 * The npm tarball as a user gets it: packed (prepack builds dist/), installed into an empty
 * project, and run from there. It needs the npm registry (or npm's cache) for the dependencies;
 * without it the tests say so and do not count as passes.
 */
const dir = mkdtempSync(join(tmpdir(), 'swf-conformance-package-'));
const project = join(dir, 'project');
let installed = '';
let notInstalled = '';

beforeAll(() => {
  // Packed from a copy of the working tree: prepack rebuilds dist/, and rebuilding this checkout's
  // own dist/ would pull it from under the CLIs other test files are running at the same time.
  const stage = join(dir, 'stage');
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: projectRoot, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(projectRoot, file))) continue;
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    copyFileSync(join(projectRoot, file), join(stage, file));
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(stage, 'node_modules'), 'dir');
  // A build newer than every source (npm test builds first) is the one prepack would make: it is
  // packed as it is. Otherwise prepack builds the copy.
  const current = buildIsCurrent();
  if (current) cpSync(join(projectRoot, 'dist'), join(stage, 'dist'), { recursive: true });
  const packed = spawnSync('npm', ['pack', '--pack-destination', dir, '--silent', ...(current ? ['--ignore-scripts'] : [])], {
    cwd: stage,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-user-project', version: '1.0.0', private: true }));
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], {
    cwd: project,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (install.status !== 0)
    notInstalled = `npm install of the tarball failed (the npm registry or npm's cache is needed): ${install.stderr.split('\n').slice(-3).join(' ')}`;
  else installed = join(project, 'node_modules', 'swf-conformance');
}, 480_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether dist/ was built after the last change to any source it is built from. */
function buildIsCurrent(): boolean {
  const built = join(projectRoot, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(built) || !existsSync(join(projectRoot, 'dist', 'battery-index.json'))) return false;
  const newest = (path: string): number =>
    statSync(path).isDirectory() ? Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f)))) : statSync(path).mtimeMs;
  const sources = ['src', 'reference', 'suites', 'spec', 'schemas', 'lib', 'package.json', 'tsconfig.build.json'];
  return Math.max(...sources.map((s) => newest(join(projectRoot, s)))) <= statSync(built).mtimeMs;
}

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(join(project, 'node_modules', '.bin', 'swf-conformance'), args, {
    cwd: project,
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, SWF_CONFORMANCE_MODEL_RUNS: '0', ...env },
  });

describe('the npm tarball', () => {
  test("ships the build and what the battery reads, and none of the project's own tooling", ({ skip }) => {
    if (notInstalled) skip(notInstalled);
    expect(existsSync(join(installed, 'dist', 'src', 'cli', 'main.js'))).toBe(true);
    for (const kept of ['bin', 'lib', 'suites', 'spec', 'schemas', 'fixtures/expectations/moto.yaml', 'fixtures/recordings/aws'])
      expect(existsSync(join(installed, kept)), kept).toBe(true);
    for (const left of ['test', 'bench', 'tools', '.ci', 'scripts', 'stryker.config.json'])
      expect(existsSync(join(installed, left)), left).toBe(false);
  });

  test('the installed CLI runs from dist/, not through tsx', ({ skip }) => {
    if (notInstalled) skip(notInstalled);
    const res = cli(['--version'], { SWF_CONFORMANCE_SHOW_ENTRY: '1' });
    expect(res.stderr).toContain('swf-conformance entry: dist');
    expect(res.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('--expect moto names the expectation file the package ships, and an unknown name lists the ones it does', ({ skip }) => {
    if (notInstalled) skip(notInstalled);
    const run = cli(['run', '--expect', 'moto', '--grep', 'a prefix of the open run', '--report', join(dir, 'report')]);
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/CONFORMANT/);
    const unknown = cli(['run', '--expect', 'nosuch']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      'swf-conformance: --expect nosuch: no such file, and the suite ships no expectations of that name (it ships: fakecloud, localstack, localstack-2026.3.0, moto, moto-5.2.5)',
    );
  });
});
