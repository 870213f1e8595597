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

// The report's types, generated from schemas/conformance-report.schema.json (lib/report.d.ts).
import type { ConformanceReport } from './report.js';
export type { ClauseReport, ClauseStatus, CleanupSummary, ConformanceReport, Grade, RecordedExchange, TestReport, TestStatus, Verdict } from './report.js';

export interface ConformanceResult {
  /** 0 conformant, 1 not conformant, 2 could not run or incomplete, 130/143 interrupted. */
  exitCode: number;
  conformant: boolean;
  /** conformance.json, when the run got as far as writing it (an incomplete run writes one too). */
  report?: ConformanceReport;
  reportDir: string;
  stdout: string;
  /** The one-line reason when exitCode is 2, or the cleanup's lines after an interruption. */
  stderr: string;
}

export function runConformance(options?: ConformanceOptions): Promise<ConformanceResult>;
