/**
 * Part of `npm run build`: compiles every schema of schemas/ into dist/validators.cjs, so that
 * neither the reference nor a test worker compiles them at start-up. The module is used only
 * while schemas/ and ajv are what it was compiled from (src/contract/validators.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { precompiledFile, precompiledValidatorsSource } from '../src/contract/validators.ts';

const source = precompiledValidatorsSource();
mkdirSync(dirname(precompiledFile), { recursive: true });
writeFileSync(precompiledFile, source);
console.log(`compile-validators: ${(source.length / 1024).toFixed(0)} KiB of validators in dist/validators.cjs`);
