import { writeFileSync } from 'node:fs';
import { renderTypes } from './render-types.ts';

const target = new URL('../src/generated/types.ts', import.meta.url);
writeFileSync(target, await renderTypes());
console.log('wrote src/generated/types.ts');
