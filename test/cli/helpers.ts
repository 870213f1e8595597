import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { RawClient } from '../../src/clients/raw.ts';
import { assertShape } from '../../src/contract/validators.ts';

export const bin = fileURLToPath(new URL('../../bin/swf-conformance.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI's own tests are about the CLI: the model-based run is left out of their runs unless a
 * test asks for it (test/model checks it end to end, and CI's battery runs include it).
 */
const quiet = { SWF_CONFORMANCE_MODEL_RUNS: '0', NO_COLOR: '1' };

/** Runs the CLI to its end, bounded in time. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...quiet, ...options.env }, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`swf-conformance ${args.join(' ')} did not end within ${options.timeoutMs ?? 20_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs the CLI in this process (src/cli/program.ts), as `runCli` runs it in a child: the same
 * arguments, the environment with these variables set for the call, stdout and stderr captured,
 * and the exit code. For tests of the CLI's logic: no node, no module loading per call. Calls must
 * not overlap (they share the process's output and environment); a test file runs its tests in
 * turn. `timeoutMs` is the test's business here (vitest's own timeout).
 */
export async function runMain(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const { main } = await import('../../src/cli/program.ts');
  const env = { ...quiet, ...options.env };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let stdout = '';
  let stderr = '';
  const streams = { out: process.stdout.write, err: process.stderr.write };
  const consoles = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const text = (parts: unknown[]) => `${parts.map((p) => (typeof p === 'string' ? p : String(p))).join(' ')}\n`;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stdout += chunk.toString();
    (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderr += chunk.toString();
    (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
    return true;
  }) as typeof process.stderr.write;
  console.log = console.info = (...parts: unknown[]) => {
    stdout += text(parts);
  };
  console.warn = console.error = (...parts: unknown[]) => {
    stderr += text(parts);
  };
  try {
    const code = await main(args);
    return { code: code ?? null, stdout, stderr };
  } finally {
    process.stdout.write = streams.out;
    process.stderr.write = streams.err;
    Object.assign(console, consoles);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Starts `serve` and resolves with its URL once it listens; the caller stops it. */
export function startServe(args: string[] = []): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    // An empty poll ends after a second (AWS: 60 s): the battery polls an empty task list once, on purpose.
    const child = spawn(process.execPath, [
      bin,
      'serve',
      '--port',
      '0',
      ...(args.includes('--poll-timeout') ? [] : ['--poll-timeout', '1000']),
      ...args,
    ]);
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const url = /listening on (https?:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ url, child, output: () => out });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before listening: ${out}`)));
    setTimeout(() => reject(new Error(`serve did not listen within 15 s: ${out}`)), 15_000).unref();
  });
}

/** Stops a child process and waits until it is gone. */
export function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

/** The open executions at an endpoint whose workflowId starts with a run's prefix, every page. */
export async function openExecutionsOf(
  url: string,
  prefix: string,
  domains = ['swf-conformance', 'swf-conformance-deprecated'],
): Promise<string[]> {
  const raw = new RawClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
  });
  const open: string[] = [];
  for (const domain of domains) {
    let nextPageToken: string | undefined;
    do {
      const answer = await raw.send({
        operation: 'ListOpenWorkflowExecutions',
        body: { domain, startTimeFilter: { oldestDate: 0 }, maximumPageSize: 1000, ...(nextPageToken ? { nextPageToken } : {}) },
      });
      // A domain the run never registered (it was stopped first) holds nothing.
      if (answer.error?.code === 'UnknownResourceFault' && /domain/i.test(answer.error.message ?? '')) break;
      if (answer.status !== 200) throw new Error(`ListOpenWorkflowExecutions answered HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
      const res = assertShape('WorkflowExecutionInfos', answer.json);
      for (const i of res.executionInfos ?? [])
        if (i.execution.workflowId.startsWith(prefix)) open.push(`${i.execution.workflowId} ${i.execution.runId}`);
      nextPageToken = res.nextPageToken;
    } while (nextPageToken);
  }
  return open;
}

/** A CLI process the test steers: its output so far, a wait for a line, and its end. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  // Its own process group, so that a signal can go to the whole group, as Ctrl-C in a terminal does.
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...quiet, ...env }, detached: true });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters])
      if (w.pattern.test(stdout + stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    check();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    check();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    /** Resolves once the output matches, or rejects after the timeout. */
    waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        check();
      });
    },
    /** Sends a signal to the CLI alone, or to its whole process group. */
    kill(signal: NodeJS.Signals, group = false) {
      if (group) process.kill(-child.pid!, signal);
      else child.kill(signal);
    },
  };
}

type ProxiedAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * A proxy on 127.0.0.1 in front of `target` that may rewrite each answer: `rewrite` gets the
 * request's X-Amz-Target, the status, headers and body, and returns what to send instead (or a
 * promise of it, to hold the answer back).
 */
export async function rewritingProxy(
  target: string,
  rewrite: (operation: string, answer: ProxiedAnswer) => ProxiedAnswer | Promise<ProxiedAnswer>,
): Promise<{ url: string; close: () => void }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const operation = String(req.headers['x-amz-target'] ?? '').replace(/^SimpleWorkflowService\./, '');
          const { 'content-length': _length, ...headers } = answer.headers;
          void Promise.resolve(
            rewrite(operation, { status: answer.statusCode ?? 502, headers, body: Buffer.concat(chunks).toString('utf8') }),
          ).then((sent) => {
            if (res.destroyed) return;
            res.writeHead(sent.status, { ...sent.headers, 'content-length': Buffer.byteLength(sent.body) });
            res.end(sent.body);
          });
        });
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  // Idle connections kept as the reference keeps them (65 s): the suite's client reuses one for 4 s.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
