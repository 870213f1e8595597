/**
 * ARCHITECTURE.md is the map a newcomer reads first: every folder of src/ and reference/ must be
 * on it, so that a folder added without a word there fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { projectRoot } from '../../src/contract/paths.ts';

const folders = (parent: string) =>
  readdirSync(join(projectRoot, parent), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${parent}/${e.name}`);

test('every folder of src/ and reference/ is named in ARCHITECTURE.md', () => {
  const map = readFileSync(join(projectRoot, 'ARCHITECTURE.md'), 'utf8');
  // A reference/ folder may be named as the reference's own (`engine/`, `deviations/`).
  const named = (f: string) => map.includes(f) || (f.startsWith('reference/') && map.includes(`${f.slice('reference/'.length)}/`));
  const missing = [...folders('src'), ...folders('reference')].filter((f) => !named(f));
  expect(missing).toEqual([]);
});
