/** The known SWF emulator images and their settings: data only, so that the CLI can name them without loading testcontainers. */

export interface ContainerOptions {
  image: string;
  /** The port the emulator listens on inside the container. */
  port: number;
  env?: Record<string, string>;
  /** An HTTP path that answers once the emulator is ready; without one, any HTTP answer on / will do. */
  waitPath?: string;
  startupTimeoutSeconds?: number;
  cmd?: string[];
}

export interface Preset extends Omit<ContainerOptions, 'image'> {
  image: string;
  description: string;
  /** Environment variables passed through from the caller's environment when set. */
  passEnv?: string[];
}

/** The known SWF emulators, by name. */
export const presets: Record<string, Preset> = {
  moto: { image: 'motoserver/moto:latest', port: 5000, description: 'moto server (also what LocalStack runs for SWF)' },
  localstack: {
    image: 'localstack/localstack:latest',
    port: 4566,
    env: { SERVICES: 'swf' },
    waitPath: '/_localstack/health',
    passEnv: ['LOCALSTACK_AUTH_TOKEN'],
    description: 'LocalStack with SWF; newer releases need LOCALSTACK_AUTH_TOKEN',
  },
  floci: { image: 'floci/floci:latest', port: 4566, waitPath: '/_floci/health', description: 'floci, with SWF from 1.7.0 on' },
  reference: {
    image: 'swf-conformance/reference:local',
    port: 8080,
    description: "this project's reference SWF (build it with scripts/build-images.sh)",
  },
};
