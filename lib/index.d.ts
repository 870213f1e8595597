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

export type ClauseStatus = 'pass' | 'fail' | 'advisory-fail' | 'expected-fail' | 'unexpected-pass' | 'not-run' | 'not-selected';

export interface ConformanceResult {
  /** 0 conformant, 1 not conformant, 2 could not run or incomplete, 130/143 interrupted. */
  exitCode: number;
  conformant: boolean;
  /** conformance.json, when the run got as far as writing it (an incomplete run writes one too). */
  report?: {
    target: string;
    verdict: 'conformant' | 'not-conformant' | 'incomplete';
    conformant: boolean;
    summary: Record<ClauseStatus | 'clauses' | 'tests', number>;
    clauses: { id: string; grade: string; status: ClauseStatus; reason?: string; tests: unknown[] }[];
    /** Why the run is incomplete; empty otherwise. */
    errors: string[];
    cleanup?: { executions: number; checked: number; terminated: number; left: number; ledger?: string };
  };
  reportDir: string;
  stdout: string;
  /** The one-line reason when exitCode is 2, or the cleanup's lines after an interruption. */
  stderr: string;
}

export function runConformance(options?: ConformanceOptions): Promise<ConformanceResult>;
