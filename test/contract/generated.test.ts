import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { projectRoot } from '../../src/contract/paths.ts';
import { renderGenerated } from '../../scripts/render-types.ts';

test('the generated files are what `npm run generate` makes of schemas/', async () => {
  for (const [path, text] of Object.entries(await renderGenerated())) {
    // A failure here means a schema changed without `npm run generate`; run it and commit the result.
    expect(readFileSync(join(projectRoot, path), 'utf8') === text, path).toBe(true);
  }
});
