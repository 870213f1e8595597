import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RawClient } from '../clients/raw.ts';

/** One execution the run started: the only kind the suite may cancel or terminate. */
export interface LedgerEntry {
  domain: string;
  workflowId: string;
  runId: string;
}

/**
 * The record of every execution the run starts, shared by the test workers through one
 * append-only file (one JSON line per execution), so that cleanup can find them all.
 */
export class Ledger {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  record(entry: LedgerEntry): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  entries(): LedgerEntry[] {
    if (!existsSync(this.file)) return [];
    const seen = new Set<string>();
    return readFileSync(this.file, 'utf8').split('\n').filter(Boolean).flatMap((line) => {
      try {
        const e = JSON.parse(line) as LedgerEntry;
        const key = `${e.domain}|${e.workflowId}|${e.runId}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return [e];
      } catch {
        return [];
      }
    });
  }
}

export interface CleanupResult {
  checked: number;
  terminated: number;
  failed: { entry: LedgerEntry; reason: string }[];
}

/**
 * Terminates every execution of the ledger that is still open, by its exact runId, and nothing
 * else. An execution that is already closed, or gone, is left alone.
 */
export async function cleanUp(ledger: Ledger, raw: RawClient, concurrency = 8): Promise<CleanupResult> {
  const result: CleanupResult = { checked: 0, terminated: 0, failed: [] };
  const queue = ledger.entries();
  const worker = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) await cleanOne(entry);
  };
  const cleanOne = async (entry: LedgerEntry) => {
    result.checked += 1;
    try {
      const described = await raw.send({ operation: 'DescribeWorkflowExecution', body: { domain: entry.domain, execution: { workflowId: entry.workflowId, runId: entry.runId } } });
      const status = (described.json as { executionInfo?: { executionStatus?: string } } | undefined)?.executionInfo?.executionStatus;
      if (described.status === 200 && status !== 'OPEN') return;
      if (described.status !== 200 && described.error?.code === 'UnknownResourceFault') return;
      const res = await raw.send({ operation: 'TerminateWorkflowExecution', body: { ...entry, reason: 'swf-conformance cleanup', childPolicy: 'TERMINATE' } });
      if (res.status === 200) result.terminated += 1;
      else if (res.error?.code !== 'UnknownResourceFault') result.failed.push({ entry, reason: `${res.status} ${res.error?.code ?? res.text.slice(0, 120)}` });
    } catch (error) {
      result.failed.push({ entry, reason: (error as Error).message });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}
