import { UnknownDeviationError } from '../../reference/deviations/catalogue.ts';
import { startReference, type ReferenceConfig } from '../../reference/server.ts';
import { HEALTH_PATH, RESET_PATH } from '../contract/protocol.ts';
import { isRegionName } from '../harness/config.ts';
import { readConfigFile, readConfigText } from './config-file.ts';
import { UsageError } from './usage-error.ts';

export type ServeOptions = {
  port: number;
  host: string;
  config?: string;
  pollTimeout?: number;
  latency?: number;
  throttling?: boolean;
  deviate: string[];
  auth: string;
  region?: string;
};

/** The credentials emulators conventionally accept (LocalStack's), verified by default. */
export const CONVENTIONAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** `swf-conformance serve`: the reference as a standalone emulator, until SIGINT or SIGTERM. */
export async function serve(opts: ServeOptions): Promise<void> {
  const fromFile = opts.config
    ? readConfigFile<ReferenceConfig>(opts.config, 'ReferenceConfig', 'config file')
    : process.env.SWF_CONFORMANCE_REFERENCE_CONFIG
      ? readConfigText<ReferenceConfig>(process.env.SWF_CONFORMANCE_REFERENCE_CONFIG, 'ReferenceConfig', 'SWF_CONFORMANCE_REFERENCE_CONFIG')
      : {};
  if (opts.auth !== 'on' && opts.auth !== 'off') throw new UsageError(`--auth ${opts.auth}: on or off`);
  if (opts.region !== undefined && !isRegionName(opts.region)) throw new UsageError(`--region ${opts.region}: not a region name`);
  // As AWS does, as far as an emulator can: SigV4 verified, for test/test and the config's credentials.
  const given = fromFile.auth?.credentials ?? [];
  const auth: ReferenceConfig['auth'] =
    opts.auth === 'off'
      ? undefined
      : {
          credentials: given.some((c) => c.accessKeyId === CONVENTIONAL_CREDENTIALS.accessKeyId)
            ? [given[0]!, ...given.slice(1)]
            : [CONVENTIONAL_CREDENTIALS, ...given],
        };
  const { auth: _fromFile, ...rest } = fromFile;
  const config: ReferenceConfig = {
    ...rest,
    ...(auth ? { auth } : {}),
    port: opts.port,
    host: opts.host,
    region: opts.region ?? fromFile.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(opts.pollTimeout !== undefined ? { pollTimeoutMs: opts.pollTimeout } : {}),
    ...(opts.latency !== undefined ? { latencyMs: opts.latency } : {}),
    ...(opts.throttling ? { throttling: true } : {}),
    ...(opts.deviate.length || fromFile.deviate ? { deviate: [...new Set([...(fromFile.deviate ?? []), ...opts.deviate])] } : {}),
  };
  let ref: Awaited<ReturnType<typeof startReference>>;
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
  // One write, so that a reader that waits for the first line has the rest too.
  console.log(
    [
      `swf-conformance reference SWF listening on ${ref.url}${config.deviate?.length ? ` (deviating: ${config.deviate.join(', ')})` : ''}`,
      auth
        ? `  SigV4 verified for region ${config.region}: access key test (secret test)${given.length ? `, and the config's ${given.length} credential${given.length === 1 ? '' : 's'}` : ''}; others are refused as AWS refuses them (--auth off accepts any)`
        : `  region ${config.region}; --auth off: any credentials, or none, are accepted`,
      `  health: GET ${ref.url}${HEALTH_PATH} · reset: POST ${ref.url}${RESET_PATH}`,
    ].join('\n'),
  );
  const stop = () => {
    void ref.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
