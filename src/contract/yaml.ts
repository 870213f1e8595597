/**
 * YAML, loaded on first use. Most processes read none: the build holds spec/ as JSON
 * (dist/spec.json), and a run against the embedded reference reads no expectation file. Loading
 * the library costs a process, and each test worker, a thirtieth of a second.
 */
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let yaml: Yaml | undefined;
const library = (): Yaml => {
  yaml ??= createRequire(import.meta.url)('yaml') as Yaml;
  return yaml;
};

export const parseYaml = (text: string): unknown => library().parse(text);

export const stringifyYaml = (value: unknown, options: { lineWidth: number }): string => library().stringify(value, options);
