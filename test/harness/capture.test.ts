/**
 * A test's captured exchanges are saved in the order they were sent, whatever order the target
 * answered them in: requests a test makes together must not make two recordings of one run differ.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { Exchange } from '../../src/clients/raw.ts';
import { Capture, readCaptured } from '../../src/recordings/capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'swf-conformance-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const exchange = (body: string): Exchange => ({
  request: { method: 'POST', url: 'http://127.0.0.1/', headers: {}, body },
  response: { status: 200, headers: {}, body: '{}' },
});

test('exchanges that ended out of order are saved in the order they were sent', () => {
  const capture = new Capture();
  capture.add(exchange('first'), 10);
  capture.add(exchange('third'), 12);
  capture.add(exchange('second'), 11);
  capture.save(dir, { name: 'suites/x.test.ts > t', file: 'suites/x.test.ts', clauses: [] });
  expect(readCaptured(dir)[0]!.exchanges.map((e) => e.request.body)).toEqual(['first', 'second', 'third']);
});

test('a settled read keeps the judged answer with its place and its convergence time', () => {
  const capture = new Capture();
  capture.add(exchange('before'), 1);
  const from = capture.mark();
  capture.add(exchange('lagging read'), 2);
  const judgedFrom = capture.mark();
  capture.add(exchange('settled read'), 3);
  capture.settle(from, judgedFrom, 250);
  capture.add(exchange('after'), 4);
  expect(capture.inOrderSent().map((e) => [e.request.body, e.convergedMs])).toEqual([
    ['before', undefined],
    ['settled read', 250],
    ['after', undefined],
  ]);
});
