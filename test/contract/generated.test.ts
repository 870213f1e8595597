import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { renderTypes } from '../../scripts/render-types.ts';

test('src/generated/types.ts is what `npm run generate` makes of schemas/', async () => {
  const checkedIn = readFileSync(new URL('../../src/generated/types.ts', import.meta.url), 'utf8');
  // A failure here means a schema changed without `npm run generate`; run it and commit the result.
  expect(checkedIn === (await renderTypes())).toBe(true);
});
