import type { Command } from 'commander';
import { LONG_POLL_MS } from '../contract/protocol.ts';
import { UnknownDeviationError } from '../../reference/deviations.ts';
import { startReference, type ReferenceConfig } from '../../reference/server.ts';
import { readConfigFile, readConfigText } from './config-file.ts';
import { integerOption } from './options.ts';
import { UsageError } from './usage-error.ts';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('run the embedded reference SWF as a standalone emulator')
    .option('--port <n>', 'port to listen on (0 picks a free one)', integerOption('--port', 0, 65535), 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--config <file>', 'reference options, JSON or YAML (schemas/reference-config.schema.json): auth, policy, throttling, latency; SWF_CONFORMANCE_REFERENCE_CONFIG may carry the same as JSON')
    .option('--poll-timeout <ms>', 'how long PollForDecisionTask waits for a task', integerOption('--poll-timeout', 1, LONG_POLL_MS))
    .option('--latency <ms>', 'delay added before every answer', integerOption('--latency', 0, 60_000))
    .option('--throttling', 'token buckets per API, of AWS\'s sizes')
    .option('--deviate <name>', 'switch on a deviation from the contract, to see the battery catch it (repeatable; see swf-conformance deviations)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .action(async (opts: { port: number; host: string; config?: string; pollTimeout?: number; latency?: number; throttling?: boolean; deviate: string[] }) => {
      const fromFile = opts.config ? readConfigFile<ReferenceConfig>(opts.config, 'ReferenceConfig', 'config file')
        : process.env.SWF_CONFORMANCE_REFERENCE_CONFIG ? readConfigText<ReferenceConfig>(process.env.SWF_CONFORMANCE_REFERENCE_CONFIG, 'ReferenceConfig', 'SWF_CONFORMANCE_REFERENCE_CONFIG')
        : {};
      const config: ReferenceConfig = {
        ...fromFile, port: opts.port, host: opts.host,
        ...(opts.pollTimeout !== undefined ? { pollTimeoutMs: opts.pollTimeout } : {}),
        ...(opts.latency !== undefined ? { latencyMs: opts.latency } : {}),
        ...(opts.throttling ? { throttling: true } : {}),
        ...(opts.deviate.length || fromFile.deviate ? { deviate: [...new Set([...(fromFile.deviate ?? []), ...opts.deviate])] } : {}),
      };
      let ref;
      try {
        ref = await startReference(config);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UsageError(`port ${opts.port} on ${opts.host} is already in use`);
        if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${opts.host}: no such local address`);
        if (code === 'EACCES') throw new UsageError(`not allowed to listen on port ${opts.port}`);
        if (error instanceof UnknownDeviationError) throw new UsageError(error.message);
        throw error;
      }
      console.log(`swf-conformance reference SWF listening on ${ref.url}${config.deviate?.length ? ` (deviating: ${config.deviate.join(', ')})` : ''}`);
      const stop = () => {
        void ref.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
