import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaDir } from './paths.ts';

export interface JsonSchema {
  $id?: string;
  $ref?: string;
  title?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  $defs?: Record<string, JsonSchema>;
  [keyword: string]: unknown;
}

/** Every schema of schemas/, keyed by file name (e.g. "common.schema.json"). */
export function loadSchemaFiles(): Map<string, JsonSchema> {
  const files = new Map<string, JsonSchema>();
  for (const name of readdirSync(schemaDir)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()) {
    files.set(name, JSON.parse(readFileSync(join(schemaDir, name), 'utf8')) as JsonSchema);
  }
  return files;
}

/**
 * Follows a $ref written relative to a schema file ("common.schema.json#/$defs/X",
 * "#/$defs/X", "Other.schema.json") to the schema it names.
 */
export function resolveRef(files: Map<string, JsonSchema>, fromFile: string, ref: string): { file: string; schema: JsonSchema } {
  const [filePart, pointer = ''] = ref.split('#');
  const file = filePart ? filePart : fromFile;
  let node: unknown = files.get(file);
  if (node === undefined) throw new Error(`schema ${fromFile}: $ref "${ref}" names no file in schemas/`);
  for (const token of pointer.split('/').filter(Boolean)) {
    node = (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`schema ${fromFile}: $ref "${ref}" points at nothing`);
  }
  return { file, schema: node as JsonSchema };
}
