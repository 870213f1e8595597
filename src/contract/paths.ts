import { fileURLToPath } from 'node:url';

// This module runs from src/contract/ (TypeScript) or from dist/src/contract/ (the build); the
// project's folders are found from either.
const compiled = /[\\/]dist[\\/]src[\\/]contract[\\/]paths\.js$/.test(fileURLToPath(import.meta.url));

/** The project's root folder, where spec/, schemas/ and suites/ live. */
export const projectRoot = fileURLToPath(new URL(compiled ? '../../../' : '../../', import.meta.url));
export const specDir = `${projectRoot}spec/`;
export const schemaDir = `${projectRoot}schemas/`;
export const fixturesDir = `${projectRoot}fixtures/`;
