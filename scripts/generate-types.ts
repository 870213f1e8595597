import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/contract/paths.ts';
import { renderGenerated } from './render-types.ts';

for (const [path, text] of Object.entries(await renderGenerated())) {
  writeFileSync(join(projectRoot, path), text);
  console.log(`wrote ${path}`);
}
