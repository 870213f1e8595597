/**
 * What a test sent and got, kept whole for `run --record`: each battery test's exchanges, in the
 * order they were made, written by its worker to a file of its own in the run's capture folder.
 * The run assembles and normalises them once the battery has ended (recording.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exchange } from '../clients/raw.ts';

export interface CapturedExchange extends Exchange {
  /** For the answer an eventually consistent read was judged on: how long the reads took to converge. */
  convergedMs?: number;
  /** How many of the test's later requests were sent while this one waited for its answer (a long poll). */
  overlaps?: number;
  /** Its place in the order its worker sent requests: which test named an id first. */
  sent?: number;
}

export interface CapturedTest {
  /** `suites/cancel.test.ts > the test's full name`, as the reports name tests. */
  name: string;
  file: string;
  clauses: string[];
  exchanges: CapturedExchange[];
}

/**
 * One test's exchanges, as the raw clients hand them over when each ends. Saved in the order they
 * were sent: requests a test makes together (Promise.all) end in whatever order the target
 * answers them, and a recording must not depend on it.
 */
export class Capture {
  /** Each exchange with its place in the order of sending, and how many requests had been sent when it ended. */
  private readonly entries: { exchange: CapturedExchange; sent: number; ended: number }[] = [];

  add(exchange: Exchange, sent: number, ended = sent + 1): void {
    this.entries.push({ exchange, sent, ended });
  }

  /** Where the next exchange will go: for `settle`. */
  mark(): number {
    return this.entries.length;
  }

  /**
   * A read retried until it settled: the reads made since `from` that were not judged are
   * dropped, and the one judged keeps how long convergence took.
   */
  settle(from: number, judgedFrom: number, ms: number): void {
    const judged = this.entries.splice(judgedFrom);
    this.entries.splice(from);
    for (const { exchange, sent, ended } of judged) this.entries.push({ exchange: { ...exchange, convergedMs: ms }, sent, ended });
  }

  /** The exchanges in the order they were sent, each with the test's requests sent while it waited. */
  inOrderSent(): CapturedExchange[] {
    return [...this.entries]
      .sort((a, b) => a.sent - b.sent)
      .map((e) => {
        const overlaps = this.entries.filter((o) => o.sent > e.sent && o.sent < e.ended).length;
        return { ...e.exchange, sent: e.sent, ...(overlaps ? { overlaps } : {}) };
      });
  }

  save(dir: string, test: Omit<CapturedTest, 'exchanges'>): void {
    const file = join(dir, `${createHash('sha256').update(test.name).digest('hex').slice(0, 16)}.json`);
    // A test run once more (a new failure confirmed before it is charged) keeps its first
    // attempt: the one that made what other tests of its file read (an outcome played once).
    if (existsSync(file)) return;
    writeFileSync(file, JSON.stringify({ ...test, exchanges: this.inOrderSent() } satisfies CapturedTest));
  }
}

/** Every test the workers saved in the capture folder. */
export function readCaptured(dir: string): CapturedTest[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CapturedTest);
}
