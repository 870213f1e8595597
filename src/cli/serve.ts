import { UnknownDeviationError } from '../../reference/deviations/catalogue.ts';
import { startReference, type ReferenceConfig } from '../../reference/server.ts';
import { readConfigFile, readConfigText } from './config-file.ts';
import { UsageError } from './usage-error.ts';

export type ServeOptions = { port: number; host: string; config?: string; pollTimeout?: number; latency?: number; throttling?: boolean; deviate: string[] };

/** `swf-conformance serve`: the reference as a standalone emulator, until SIGINT or SIGTERM. */
export async function serve(opts: ServeOptions): Promise<void> {
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
}
