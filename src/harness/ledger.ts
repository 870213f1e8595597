import { setMaxListeners } from 'node:events';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RawClient } from '../clients/raw.ts';

/**
 * One execution the run started, or is about to start: the only kind the suite may cancel or
 * terminate. An entry without a runId is an intent, written before the start request is sent, so
 * that an execution whose start answer never reached the run (a worker killed by Ctrl-C) is still
 * found; its workflowId carries the run's unique prefix, so every open execution with it is the run's.
 */
export interface LedgerEntry {
  domain: string;
  workflowId: string;
  runId?: string;
}

/** The ledger's first line: where its executions live, so that a later `cleanup` can reach them. */
export interface LedgerHeader {
  ledger: 1;
  endpoint: string;
  region: string;
  runPrefix: string;
  /** "embedded reference", the endpoint, or an image name: targets that end with the run need no later cleanup. */
  target: string;
  /** Whether the target outlives the run (an endpoint) or ends with it (the embedded reference, a container). */
  outlivesRun: boolean;
  startedAt: string;
}

export class LedgerError extends Error {}

/**
 * The record of every execution the run starts, shared by the test workers through one
 * append-only file (one JSON line per execution), so that cleanup can find them all.
 */
export class Ledger {
  constructor(readonly file: string) {}

  /** Creates the file with its header; a run calls this once, before any test starts. */
  static create(file: string, header: Omit<LedgerHeader, 'ledger'>): Ledger {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ ledger: 1, ...header })}\n`);
    return new Ledger(file);
  }

  /** Opens an existing ledger, for `cleanup --ledger`. */
  static open(file: string): { ledger: Ledger; header: LedgerHeader } {
    let first: string | undefined;
    try {
      first = readFileSync(file, 'utf8').split('\n')[0];
    } catch (error) {
      throw new LedgerError(`cannot read ledger ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    let header: LedgerHeader | undefined;
    try {
      header = JSON.parse(first ?? '') as LedgerHeader;
    } catch {
      /* reported below */
    }
    if (header?.ledger !== 1 || typeof header.endpoint !== 'string' || typeof header.region !== 'string') {
      throw new LedgerError(`${file} is not a swf-conformance ledger (its first line has no endpoint and region)`);
    }
    return { ledger: new Ledger(file), header };
  }

  /** Records that an execution with this workflowId is about to be started. */
  intend(entry: Omit<LedgerEntry, 'runId'>): void {
    this.append({ domain: entry.domain, workflowId: entry.workflowId });
  }

  record(entry: LedgerEntry & { runId: string }): void {
    this.append(entry);
  }

  /** Records that an intended start was refused with an answer: there is nothing to clean up for it. */
  refused(entry: Omit<LedgerEntry, 'runId'>): void {
    this.append({ domain: entry.domain, workflowId: entry.workflowId, refused: true });
  }

  private append(entry: LedgerEntry & { refused?: true }): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  /**
   * The executions to check: every recorded run, and every intent no run was recorded for after
   * it (a start whose answer the run never saw).
   */
  entries(): LedgerEntry[] {
    if (!existsSync(this.file)) return [];
    const lines = readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        try {
          const e = JSON.parse(line) as Partial<LedgerEntry> & { ledger?: number; refused?: boolean };
          return e.ledger === undefined && typeof e.domain === 'string' && typeof e.workflowId === 'string'
            ? [e as LedgerEntry & { refused?: boolean }]
            : [];
        } catch {
          return [];
        }
      });
    const execution = (e: LedgerEntry) => `${e.domain}|${e.workflowId}`;
    const lastRecorded = new Map<string, number>();
    // An intent is settled by a later line for the same workflowId: its run, or its refusal.
    lines.forEach((e, i) => {
      if (e.runId !== undefined || e.refused) lastRecorded.set(execution(e), i);
    });
    const seen = new Set<string>();
    const out: LedgerEntry[] = [];
    lines.forEach((e, i) => {
      if (e.refused) return;
      const key = `${execution(e)}|${e.runId ?? ''}`;
      if (seen.has(key)) return;
      if (e.runId === undefined && (lastRecorded.get(execution(e)) ?? -1) > i) return;
      seen.add(key);
      out.push(e);
    });
    return out;
  }

  /**
   * Marks the run as stopped, for the workers: a test worker vitest started while it was being
   * cancelled never hears of the cancellation, and would run its file to the end.
   */
  markStopped(): void {
    writeFileSync(this.stopFile, '');
  }

  unmarkStopped(): void {
    rmSync(this.stopFile, { force: true });
  }

  /** Whether the run was stopped: asked before every request a test sends. */
  stopped(): boolean {
    return existsSync(this.stopFile);
  }

  private get stopFile(): string {
    return `${this.file}.stopped`;
  }

  remove(): void {
    rmSync(this.file, { force: true });
    rmSync(this.stopFile, { force: true });
  }
}

export interface CleanupResult {
  checked: number;
  terminated: number;
  failed: { entry: LedgerEntry; reason: string }[];
  /** The target refused the credentials: the cleanup stopped at the first refusal. */
  refused?: string;
}

/** Faults that refuse the caller, not the request: no later request can do better. */
const REFUSALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'IncompleteSignature',
]);

type Progress = (result: CleanupResult, total: number) => void;

/**
 * Terminates every execution of the ledger that is still open, by its exact runId (an intent: the
 * open run of its workflowId, if any), and nothing else. An execution that is already closed, or
 * gone, is left alone. `signal` stops it at once: no request is sent after it, and those waiting
 * on an answer end (the ledger keeps what is left).
 */
export async function cleanUp(
  ledger: Ledger,
  raw: RawClient,
  options: { concurrency?: number; signal?: AbortSignal; onProgress?: Progress } = {},
): Promise<CleanupResult> {
  const result: CleanupResult = { checked: 0, terminated: 0, failed: [] };
  const queue = ledger.entries();
  const total = queue.length;
  const abortable = options.signal ? { abort: options.signal } : {};
  // Each request waiting on an answer listens for the stop: as many at once as there are workers.
  if (options.signal) setMaxListeners(2 * (options.concurrency ?? 32) + 10, options.signal);
  const refusedBy = (res: { status: number; error?: { code?: string; message?: string } }) => {
    if (!REFUSALS.has(res.error?.code ?? '')) return false;
    result.refused ??= `${res.error!.code}${res.error!.message ? `: ${res.error!.message}` : ''}`;
    return true;
  };
  const terminate = async (entry: LedgerEntry) => {
    const res = await raw.send(
      {
        operation: 'TerminateWorkflowExecution',
        body: {
          domain: entry.domain,
          workflowId: entry.workflowId,
          ...(entry.runId ? { runId: entry.runId } : {}),
          reason: 'swf-conformance cleanup',
          childPolicy: 'TERMINATE',
        },
      },
      abortable,
    );
    if (res.status === 200) result.terminated += 1;
    else if (refusedBy(res)) return;
    else if (res.error?.code !== 'UnknownResourceFault')
      result.failed.push({ entry, reason: `${res.status} ${res.error?.code ?? res.text.slice(0, 120)}` });
  };
  const cleanOne = async (entry: LedgerEntry) => {
    // An intent: whatever run of its workflowId is open, found by the workflowId alone, which
    // reads the execution directly (a list could lag behind a start, eventually consistent).
    // The workflowId carries the run's prefix, so its open run can only be the run's.
    if (entry.runId === undefined) return terminate(entry);
    const described = await raw.send(
      {
        operation: 'DescribeWorkflowExecution',
        body: { domain: entry.domain, execution: { workflowId: entry.workflowId, runId: entry.runId } },
      },
      abortable,
    );
    if (refusedBy(described)) return;
    const status = (described.json as { executionInfo?: { executionStatus?: string } } | undefined)?.executionInfo?.executionStatus;
    if (described.status === 200 && status !== 'OPEN') return;
    if (described.status !== 200 && described.error?.code === 'UnknownResourceFault') return;
    await terminate(entry);
  };
  const worker = async () => {
    for (let entry = queue.shift(); entry && !options.signal?.aborted && !result.refused; entry = queue.shift()) {
      try {
        await cleanOne(entry);
      } catch (error) {
        if (options.signal?.aborted) break;
        result.failed.push({ entry, reason: (error as Error).message });
      }
      if (result.refused) break;
      result.checked += 1;
      options.onProgress?.(result, total);
    }
  };
  // 32 at a time: a distant endpoint costs latency; the run's executions stay far below the read buckets (2,000).
  await Promise.all(Array.from({ length: options.concurrency ?? 32 }, worker));
  return result;
}
