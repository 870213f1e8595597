// The programmatic entry point: runs the battery as `swf-conformance run` does, in a child process
// (so that it can be called from inside a user's own vitest test), and returns the verdict and
// the parsed conformance report. Plain JavaScript, so it loads without a TypeScript transform.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/swf-conformance.js', import.meta.url));

/**
 * Every option, with its kind and the flag of `swf-conformance run` it becomes: the run's flags
 * from run-flags.json (written by `npm run generate` from src/cli/run-flags.ts, where each flag is
 * declared once), then the options of this function alone.
 */
const OPTIONS = {
  ...Object.fromEntries(
    JSON.parse(readFileSync(new URL('./run-flags.json', import.meta.url), 'utf8')).map(({ option, kind, flag }) => [option, [kind, flag]]),
  ),
  reportDir: ['string'],
  keepReportDir: ['boolean'],
  processEnv: ['record'],
  onOutput: ['function'],
  signal: ['signal'],
};

const KINDS = {
  string: (v) => typeof v === 'string' && v.length > 0,
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  strings: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0),
  record: (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'),
  'string-or-true': (v) => v === true || (typeof v === 'string' && v.length > 0),
  function: (v) => typeof v === 'function',
  signal: (v) => v !== null && typeof v === 'object' && typeof v.aborted === 'boolean' && typeof v.addEventListener === 'function',
};
const WORDS = {
  string: 'a non-empty string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  strings: 'an array of non-empty strings',
  record: 'an object of string values',
  'string-or-true': 'true or a file name',
  function: 'a function',
  signal: 'an AbortSignal',
};

/** Throws a TypeError naming the first option that is unknown or of the wrong type. */
function validate(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new TypeError('runConformance: options must be an object');
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(OPTIONS, key))
      throw new TypeError(`runConformance: unknown option ${key} (known: ${Object.keys(OPTIONS).join(', ')})`);
    const [kind] = OPTIONS[key];
    if (value !== undefined && !KINDS[kind](value))
      throw new TypeError(`runConformance: option ${key} must be ${WORDS[kind]}, not ${JSON.stringify(value) ?? typeof value}`);
  }
}

/** @param {import('./index.d.ts').ConformanceOptions} options */
function argsOf(options) {
  const args = ['run'];
  for (const [key, [kind, flag]] of Object.entries(OPTIONS)) {
    const value = options[key];
    if (!flag || value === undefined || value === false) continue;
    if (kind === 'strings') for (const v of value) args.push(`--${flag}`, v);
    else if (kind === 'record') for (const [k, v] of Object.entries(value)) args.push(`--${flag}`, `${k}=${v}`);
    else args.push(`--${flag}`, ...(value === true ? [] : [String(value)]));
  }
  return args;
}

/**
 * Runs the battery against an endpoint, a container (image or preset) or the embedded reference.
 * Options are checked first: an unknown option or one of the wrong type throws a TypeError naming it.
 * @param {import('./index.d.ts').ConformanceOptions} [options]
 * @returns {Promise<import('./index.d.ts').ConformanceResult>}
 */
export function runConformance(options = {}) {
  try {
    validate(options);
  } catch (error) {
    return Promise.reject(error);
  }
  if (options.signal?.aborted) return Promise.reject(options.signal.reason ?? new Error('runConformance: aborted before it started'));
  const temporary = options.reportDir === undefined;
  const reportDir = options.reportDir ?? mkdtempSync(join(tmpdir(), 'swf-conformance-'));
  const args = [...argsOf(options), '--report', reportDir];
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...(options.processEnv ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // An abort stops the run as Ctrl-C does: no test starts, what the run started is cleaned up.
    const onAbort = () => child.kill('SIGINT');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      options.onOutput?.(String(d));
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (temporary) rmSync(reportDir, { recursive: true, force: true });
      reject(error);
    });
    child.on('close', (exitCode) => {
      options.signal?.removeEventListener('abort', onAbort);
      const file = join(reportDir, 'conformance.json');
      // Only this run's report: a folder given by the caller may hold an older one.
      const report = existsSync(file) && statSync(file).mtimeMs >= startedAt - 1_000 ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
      // A folder made for the run is removed once its report is read, unless asked to keep it.
      const keep = !temporary || options.keepReportDir === true;
      if (!keep) rmSync(reportDir, { recursive: true, force: true });
      resolve({
        exitCode: exitCode ?? 2,
        conformant: exitCode === 0,
        report,
        ...(keep ? { reportDir } : {}),
        stdout,
        stderr: stderr.trim(),
      });
    });
  });
}
