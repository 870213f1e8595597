import { fileURLToPath } from 'node:url';

/** The project's root folder, where spec/, schemas/ and suites/ live. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const specDir = fileURLToPath(new URL('../../spec/', import.meta.url));
export const schemaDir = fileURLToPath(new URL('../../schemas/', import.meta.url));
