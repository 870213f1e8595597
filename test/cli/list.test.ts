import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { loadSpec } from '../../src/contract/spec.ts';
import { bin } from './helpers.ts';

test('list --json into a pipe read late is whole JSON, past the 64 KiB a pipe holds, naming every clause', () => {
  // The reader starts half a second late, as a slow consumer of a pipe does: the CLI must not end
  // before the pipe has taken everything it wrote.
  const stdout = execFileSync('sh', ['-c', `"${process.execPath}" "${bin}" list --json | (sleep 0.5; cat)`], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  expect(stdout.length).toBeGreaterThan(65_536);
  const listed = JSON.parse(stdout) as { clauses: { id: string }[]; tests: number };
  expect(listed.clauses.map((c) => c.id).sort()).toEqual(
    loadSpec()
      .clauses.map((c) => c.id)
      .sort(),
  );
  expect(listed.tests).toBeGreaterThan(0);
});
