/**
 * An SWF emulator in a container, started with testcontainers: the image is started with its
 * port published on 127.0.0.1 only, the target waits until the emulator answers HTTP, and the
 * container is stopped on every path. Without a Docker engine, or when the emulator does not
 * start, the error says so in one line, with the container's last log lines.
 */
import { randomUUID } from 'node:crypto';
import { GenericContainer, getContainerRuntimeClient, Wait, type StartedTestContainer } from 'testcontainers';
import type { Target } from '../harness/target.ts';
import type { ContainerOptions } from './presets.ts';

export type { ContainerOptions, Preset } from './presets.ts';

export class ContainerError extends Error {}

/** A GenericContainer whose published port is bound on 127.0.0.1, never on every interface. */
class LoopbackContainer extends GenericContainer {
  withLoopbackPort(port: number): this {
    this.withExposedPorts(port);
    this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '0' }] };
    return this;
  }
}

export interface RunningContainer {
  url: string;
  id: string;
  stop(): Promise<void>;
  /** The container's last log lines. */
  logs(lines?: number): Promise<string>;
  /** Whether the container is still running. */
  running(): Promise<boolean>;
}

const RUN_LABEL = 'swf-conformance.start';

/** Containers of one start, found by its label: a failed start may not say which it made. */
async function containersLabelled(value: string): Promise<string[]> {
  try {
    const client = await getContainerRuntimeClient();
    // Stopped ones too: testcontainers' own list() shows running containers only.
    const all = await client.container.dockerode.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${value}`] } });
    return all.map((c) => c.Id);
  } catch {
    return [];
  }
}

async function removeContainer(id: string): Promise<void> {
  try {
    const client = await getContainerRuntimeClient();
    const c = client.container.getById(id);
    await client.container.stop(c, { timeout: 5 }).catch(() => undefined);
    await client.container.remove(c, { removeVolumes: true });
  } catch {
    /* already gone */
  }
}

async function tailLogs(container: StartedTestContainer | undefined, id: string | undefined, lines: number): Promise<string> {
  try {
    const client = await getContainerRuntimeClient();
    const c = container ? client.container.getById(container.getId()) : id ? client.container.getById(id) : undefined;
    if (!c) return '';
    const stream = await client.container.logs(c, { tail: lines } as never);
    return await new Promise<string>((resolve) => {
      let text = '';
      stream.on('data', (d: Buffer) => {
        text += d.toString();
      });
      stream.on('end', () => resolve(text));
      stream.on('error', () => resolve(text));
      setTimeout(() => resolve(text), 2_000).unref();
    });
  } catch {
    return '';
  }
}

/** Whether a Docker engine answers, and if not, why. */
export async function dockerAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await getContainerRuntimeClient();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message.split('\n')[0] ?? 'no Docker engine' };
  }
}

export async function startContainer(options: ContainerOptions): Promise<RunningContainer> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
  const docker = await dockerAvailable();
  if (!docker.ok) throw new ContainerError(`no Docker engine: ${docker.reason} (set DOCKER_HOST to its socket)`);
  const timeout = (options.startupTimeoutSeconds ?? 60) * 1000;
  const wait = options.waitPath
    ? Wait.forHttp(options.waitPath, options.port).forStatusCodeMatching((s) => s >= 200 && s < 500)
    : Wait.forHttp('/', options.port)
        .withMethod('POST')
        .forStatusCodeMatching((s) => s > 0);
  const label = randomUUID();
  let container = new LoopbackContainer(options.image)
    .withLoopbackPort(options.port)
    .withLabels({ [RUN_LABEL]: label })
    .withWaitStrategy(wait.withStartupTimeout(timeout))
    .withStartupTimeout(timeout);
  if (options.env && Object.keys(options.env).length) container = container.withEnvironment(options.env);
  if (options.cmd) container = container.withCommand(options.cmd);
  // The log is kept as it streams: a container that fails to start may be gone before it can be read.
  const lastLines: string[] = [];
  container = container.withLogConsumer((stream) => {
    stream.on('data', (chunk: Buffer | string) => {
      lastLines.push(
        ...String(chunk)
          .split('\n')
          .filter((l) => l.trim()),
      );
      lastLines.splice(0, Math.max(0, lastLines.length - 20));
    });
  });
  let started: StartedTestContainer;
  const starting = container.start();
  let watching = true;
  // A container that exits while the wait strategy waits would otherwise hold the run until the timeout.
  const since = Date.now();
  const exited = (async () => {
    // Near the timeout, testcontainers stops the container itself; that is not the emulator exiting.
    while (watching && Date.now() - since < timeout - 500) {
      await new Promise((r) => setTimeout(r, 500));
      for (const id of await containersLabelled(label)) {
        try {
          const client = await getContainerRuntimeClient();
          const state = (await client.container.inspect(client.container.getById(id))).State;
          if (state.Status === 'exited' || state.Status === 'dead') return `the container exited with code ${state.ExitCode}`;
        } catch {
          /* being removed */
        }
      }
    }
    return undefined;
  })();
  try {
    const first = await Promise.race([starting.then((s) => ({ s })), exited.then((why) => ({ why }))]);
    if ('why' in first && first.why) {
      starting.catch(() => undefined);
      throw new Error(first.why);
    }
    started = 's' in first ? first.s : await starting;
  } catch (error) {
    watching = false;
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    let logs = lastLines.join('\n');
    for (const id of await containersLabelled(label)) {
      if (!logs) logs = await tailLogs(undefined, id, 20);
      await removeContainer(id);
    }
    const why = /pull access denied|No such image|not found|manifest unknown|getaddrinfo|registry/i.test(message)
      ? `image ${options.image} is not available here: ${message}`
      : /not accessible|timed out|timeout/i.test(message)
        ? `the emulator did not become ready within ${timeout / 1000} s (${message})`
        : message;
    throw new ContainerError(`the container did not start: ${why}${logs ? `\n--- last log lines ---\n${logs.trimEnd()}` : ''}`);
  }
  watching = false;
  const url = `http://127.0.0.1:${started.getMappedPort(options.port)}`;
  let stopped = false;
  return {
    url,
    id: started.getId(),
    logs: (lines = 20) => tailLogs(started, undefined, lines),
    async running() {
      try {
        const client = await getContainerRuntimeClient();
        const info = await client.container.inspect(client.container.getById(started.getId()));
        return info.State.Running === true;
      } catch {
        return false;
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await started.stop({ remove: true, timeout: 5_000 } as never);
    },
  };
}

/** A started container as the battery's target; it ends with the run, and so does what the run left open in it. */
export function containerTarget(
  container: RunningContainer,
  image: string,
  principals: Pick<Target, 'credentials' | 'restricted'> = {},
): Target {
  return {
    kind: 'container',
    name: `${image} (${container.url})`,
    endpoint: container.url,
    outlivesRun: false,
    ...principals,
    async lost() {
      if (await container.running()) return undefined;
      return `the emulator container stopped during the run; its last log lines: ${(await container.logs(20)).trim().split('\n').slice(-3).join(' | ')}`;
    },
    close: () => container.stop(),
  };
}
