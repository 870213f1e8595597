export interface ConformanceOptions {
  /** An SWF endpoint; without it (and without image/preset) the embedded reference is used. */
  endpoint?: string;
  /** An emulator image to start with testcontainers (needs a Docker engine). */
  image?: string;
  /** A known emulator: moto, localstack, floci, reference. */
  preset?: string;
  port?: number;
  env?: Record<string, string>;
  waitPath?: string;
  startupTimeoutSeconds?: number;
  region?: string;
  profile?: string;
  /** An expectation file of known failures. */
  expect?: string;
  strict?: boolean;
  strictExpectations?: boolean;
  clauses?: string[];
  tags?: string[];
  grep?: string;
  /** Where the reports go; a fresh temporary folder by default. */
  reportDir?: string;
  /** Extra environment for the run (credentials, DOCKER_HOST, ...). */
  processEnv?: Record<string, string>;
  /** Progress lines as they come. */
  onOutput?: (text: string) => void;
}

export interface ConformanceResult {
  /** 0 conformant, 1 not conformant, 2 could not run. */
  exitCode: number;
  conformant: boolean;
  /** conformance.json, when the battery ran. */
  report?: {
    target: string;
    conformant: boolean;
    summary: Record<string, number>;
    clauses: { id: string; grade: string; status: string; reason?: string; tests: unknown[] }[];
    errors: string[];
  };
  reportDir: string;
  stdout: string;
  /** The one-line reason when exitCode is 2. */
  stderr: string;
}

export function runConformance(options?: ConformanceOptions): Promise<ConformanceResult>;
