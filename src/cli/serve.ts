import { UnknownDeviationError } from '../../reference/deviations/catalogue.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReference, type ReferenceConfig, type ReferenceTls } from '../../reference/server.ts';
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
  tls?: boolean;
  tlsDir?: string;
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
  if (opts.tlsDir !== undefined && !opts.tls) throw new UsageError('--tls-dir is for --tls: give both, or neither');
  const tls = opts.tls ? await makeCertificate(opts.tlsDir) : undefined;
  // A certificate of its own making goes with it, however the process ends.
  if (tls?.temporary) process.once('exit', () => rmSync(tls.dir, { recursive: true, force: true }));
  let ref: Awaited<ReturnType<typeof startReference>>;
  try {
    ref = await startReference(config, tls);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${opts.port} on ${opts.host} is already in use`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${opts.host}: no such local address`);
    if (code === 'EACCES') throw new UsageError(`not allowed to listen on port ${opts.port}`);
    if (error instanceof UnknownDeviationError) throw new UsageError(error.message);
    throw error;
  }
  // Stopping is set up before the first line is written: a signal sent on reading it finds it ready.
  const stop = () => {
    void ref.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // One write, so that a reader that waits for the first line has the rest too.
  console.log(
    [
      `swf-conformance reference SWF listening on ${ref.url}${config.deviate?.length ? ` (deviating: ${config.deviate.join(', ')})` : ''}`,
      auth
        ? `  SigV4 verified for region ${config.region}: access key test (secret test)${given.length ? `, and the config's ${given.length} credential${given.length === 1 ? '' : 's'}` : ''}; others are refused as AWS refuses them (--auth off accepts any)`
        : `  region ${config.region}; --auth off: any credentials, or none, are accepted`,
      `  health: GET ${ref.url}${HEALTH_PATH} · reset: POST ${ref.url}${RESET_PATH}`,
      ...(tls
        ? [
            `  TLS: a certificate made for 127.0.0.1 and localhost; trust it with AWS_CA_BUNDLE=${tls.caFile} (or --ca-bundle ${tls.caFile})`,
          ]
        : []),
    ].join('\n'),
  );
}

/**
 * A self-signed certificate for the addresses a local client uses (EC P-256, SHA-256, valid a
 * year), written as ca.pem for clients to trust: into the folder given, or a new temporary one.
 */
async function makeCertificate(dir: string | undefined): Promise<ReferenceTls & { dir: string; caFile: string; temporary: boolean }> {
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'swf-conformance reference' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const temporary = dir === undefined;
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'swf-conformance-tls-'));
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'ca.pem'), pems.cert);
  } catch (error) {
    throw new UsageError(
      `--tls-dir ${folder}: cannot write ca.pem there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return { key: pems.private, cert: pems.cert, dir: folder, caFile: join(folder, 'ca.pem'), temporary };
}
