import { readFileSync } from 'node:fs';
import { parseYaml } from '../contract/yaml.ts';
import { validatorForTitle, violationsOf } from '../contract/validators.ts';
import { UsageError } from './usage-error.ts';

/**
 * Reads a JSON or YAML file and validates it against one of the project's schemas, with an error
 * that names the file and the first thing wrong in it.
 */
export function readConfigFile<T>(path: string, schemaTitle: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return readConfigText<T>(text, schemaTitle, `${what} ${path}`);
}

/** Parses JSON or YAML text and validates it, naming `what` in the error. */
export function readConfigText<T>(text: string, schemaTitle: string, what: string): T {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  const check = validatorForTitle(schemaTitle);
  if (!check(data)) {
    const first = violationsOf(data, check.errors)[0];
    throw new UsageError(`${what} is not valid: ${first?.message ?? 'unknown problem'}`);
  }
  return data as T;
}
