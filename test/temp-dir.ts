/** Temporary folders for the project's own tests, each removed when its tests are done: a run of `npm test` leaves nothing in the system's temp folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

const made = (name: string) => mkdtempSync(join(tmpdir(), `swf-conformance-${name}-`));
const remove = (dir: string) => () => rmSync(dir, { recursive: true, force: true });

/** A folder for a test file or a describe block (call it while they are collected): removed after their tests. */
export function tempDir(name: string): string {
  const dir = made(name);
  afterAll(remove(dir));
  return dir;
}

/** A folder for one test (call it inside the test): removed when the test ends. */
export function testTempDir(name: string): string {
  const dir = made(name);
  onTestFinished(remove(dir));
  return dir;
}
