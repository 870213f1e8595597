/** The preset table of docs/cli.md is the presets the CLI knows: each name, image and port, no more and no fewer. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { projectRoot } from '../../src/contract/paths.ts';
import { presets } from '../../src/targets/presets.ts';

test("docs/cli.md's preset table names every preset, with its image and port", () => {
  const docs = readFileSync(join(projectRoot, 'docs/cli.md'), 'utf8');
  const table = docs.slice(docs.indexOf('| preset | image | port |'));
  const rows = [...table.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| (\d+) \|/gm)].map(([, name, image, port]) => [name, image, Number(port)]);
  expect(rows).toEqual(Object.entries(presets).map(([name, p]) => [name, p.image, p.port]));
});
