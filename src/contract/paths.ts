import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This module runs from src/contract/ (TypeScript) or from dist/src/contract/ (the build); the
// project's folders are found from either.
const compiled = /[\\/]dist[\\/]src[\\/]contract[\\/]paths\.js$/.test(fileURLToPath(import.meta.url));

/** The project's root folder, where spec/, schemas/ and suites/ live. */
export const projectRoot = fileURLToPath(new URL(compiled ? '../../../' : '../../', import.meta.url));
export const specDir = `${projectRoot}spec/`;
export const schemaDir = `${projectRoot}schemas/`;
export const fixturesDir = `${projectRoot}fixtures/`;

/** The suite's version, from its package.json. */
export function suiteVersion(): string {
  return (JSON.parse(readFileSync(`${projectRoot}package.json`, 'utf8')) as { version: string }).version;
}

/**
 * Makes a folder and its missing parents one at a time. mkdirSync's `recursive` spins for ever
 * under /proc (a path there that does not exist cannot be made, and it keeps trying); made one
 * level at a time, such a path fails at once with the error of the level that cannot be made.
 */
export function makeFolder(path: string): void {
  const absolute = resolve(path);
  const missing: string[] = [];
  for (let p = absolute; !existsSync(p); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing) {
    try {
      mkdirSync(p);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
