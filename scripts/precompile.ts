/**
 * Part of `npm run build`: compiles every schema of schemas/ into dist/validators.cjs, and reads
 * spec/ into dist/spec.json, so that neither the reference nor a test worker compiles or parses
 * them at start-up. Each is used only while what it was made from is unchanged
 * (src/contract/validators.ts, src/contract/spec.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { specCacheFile, specCacheSource } from '../src/contract/spec.ts';
import { precompiledFile, precompiledValidatorsSource } from '../src/contract/validators.ts';

const source = precompiledValidatorsSource();
mkdirSync(dirname(precompiledFile), { recursive: true });
writeFileSync(precompiledFile, source);
writeFileSync(specCacheFile, specCacheSource());
console.log(`precompile: ${(source.length / 1024).toFixed(0)} KiB of validators in dist/validators.cjs; spec/ in dist/spec.json`);
