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
  /** Seconds to wait for the image to become ready (default 60), or for the endpoint's first answer (default 30). */
  startupTimeoutSeconds?: number;
  region?: string;
  profile?: string;
  /** PEM certificates to trust for an HTTPS endpoint, besides the system's (--ca-bundle). */
  caBundle?: string;
  /** An expectation file of known failures. */
  expect?: string;
  strict?: boolean;
  strictExpectations?: boolean;
  /** Charge a new failure at once, without running it once more (--no-rerun). */
  noRerun?: boolean;
  /** Only the tests that failed in the report folder's last report (--last-failed). */
  lastFailed?: boolean;
  /** Test files at once, and tests at once within a file (--concurrency). */
  concurrency?: number;
  clauses?: string[];
  tags?: string[];
  grep?: string;
  /** Exact test names, as `swf-conformance list` prints them. */
  tests?: string[];
  /** The domain the suite reuses (default swf-conformance). */
  domain?: string;
  /** How long a read the contract lets lag is retried (seconds). */
  consistencyWindowSeconds?: number;
  /** The model-based run's seed, and how many sequences it compares (0 leaves it out). */
  seed?: number;
  modelRuns?: number;
  /** Write an expectation file from the run's failures. */
  updateExpectations?: string;
  /** The implementation under test and its version ("moto 5.2.1"): the report names it, and a run warns when the expectation file was made against another. */
  implementation?: string;
  /** Extra vitest reporters: junit, json, verbose, dot, tap, tap-flat, default. */
  reporters?: string[];
  /** Record the run (true: recording.har.gz in the report folder), or diff it with a baseline recording. */
  record?: string | true;
  baseline?: string;
  ignore?: string[];
  /** Run the i-th of n shards of the battery, as "i/n" (--shard). */
  shard?: string;
  /** Where the reports go; a fresh temporary folder by default, removed once the report is read. */
  reportDir?: string;
  /** Keep the temporary report folder (its path is then in the result). */
  keepReportDir?: boolean;
  /** Stops the run as Ctrl-C does: no test starts, and what the run started is cleaned up. */
  signal?: AbortSignal;
  /** Extra environment for the run (credentials, DOCKER_HOST, ...). */
  processEnv?: Record<string, string>;
  /** Progress lines as they come. */
  onOutput?: (text: string) => void;
}

// The report's types, generated from schemas/conformance-report.schema.json (lib/report.d.ts).
import type { ConformanceReport } from './report.js';
export type {
  ClauseReport,
  ClauseStatus,
  CleanupSummary,
  ConformanceReport,
  Grade,
  RecordedExchange,
  TestReport,
  TestStatus,
  Verdict,
} from './report.js';

export interface ConformanceResult {
  /** 0 conformant, 1 not conformant, 2 could not run or incomplete, 130/143 interrupted. */
  exitCode: number;
  conformant: boolean;
  /** conformance.json, when the run got as far as writing it (an incomplete run writes one too). */
  report?: ConformanceReport;
  /** The report folder: the one given, or the temporary one when keepReportDir is set. */
  reportDir?: string;
  stdout: string;
  /** The one-line reason when exitCode is 2, or the cleanup's lines after an interruption. */
  stderr: string;
}

export function runConformance(options?: ConformanceOptions): Promise<ConformanceResult>;
