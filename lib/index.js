// The programmatic entry point: runs the battery as `swf-conformance run` does, in a child process
// (so that it can be called from inside a user's own vitest test), and returns the verdict and
// the parsed conformance report. Plain JavaScript, so it loads without a TypeScript transform.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/swf-conformance.js', import.meta.url));

/** @param {import('./index.d.ts').ConformanceOptions} options */
function argsOf(options) {
  const args = ['run'];
  const flag = (name, value) => { if (value !== undefined && value !== false) args.push(`--${name}`, ...(value === true ? [] : [String(value)])); };
  flag('endpoint', options.endpoint);
  flag('image', options.image);
  flag('preset', options.preset);
  flag('port', options.port);
  for (const [k, v] of Object.entries(options.env ?? {})) args.push('--env', `${k}=${v}`);
  flag('wait-path', options.waitPath);
  flag('startup-timeout', options.startupTimeoutSeconds);
  flag('region', options.region);
  flag('profile', options.profile);
  flag('expect', options.expect);
  flag('strict', options.strict);
  flag('strict-expectations', options.strictExpectations);
  for (const c of options.clauses ?? []) args.push('--clause', c);
  for (const t of options.tags ?? []) args.push('--tags', t);
  flag('grep', options.grep);
  return args;
}

/**
 * Runs the battery against an endpoint, a container (image or preset) or the embedded reference.
 * @param {import('./index.d.ts').ConformanceOptions} [options]
 * @returns {Promise<import('./index.d.ts').ConformanceResult>}
 */
export function runConformance(options = {}) {
  const reportDir = options.reportDir ?? mkdtempSync(join(tmpdir(), 'swf-conformance-'));
  const args = [...argsOf(options), '--report', reportDir];
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...(options.processEnv ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; options.onOutput?.(String(d)); });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const file = join(reportDir, 'conformance.json');
      // Only this run's report: a folder given by the caller may hold an older one.
      const report = existsSync(file) && statSync(file).mtimeMs >= startedAt - 1_000 ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
      resolve({ exitCode: exitCode ?? 2, conformant: exitCode === 0, report, reportDir, stdout, stderr: stderr.trim() });
    });
  });
}
