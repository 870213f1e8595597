import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Shapes } from '../generated/types.ts';
import { loadSchemaFiles } from './schema-files.ts';

export type ShapeName = keyof Shapes;

/** One violation of a schema, with the member it concerns. */
export interface Violation {
  /** Dotted path of the member at fault ("domain", "execution.workflowId"); "" for the body itself. */
  member: string;
  /** The schema keyword that failed: required, maxLength, minLength, enum, type, additionalProperties, ... */
  keyword: string;
  /** The keyword's parameter: the bound for lengths, the allowed values for enum, the type for type. */
  limit?: unknown;
  /** The value at fault; absent for a missing member. */
  value?: unknown;
  message: string;
}

const files = loadSchemaFiles();

// Strict mode: a typo in a schema keyword is an error at load time, not a silently ignored rule.
const ajv = new Ajv2020({ strict: true, allErrors: true });
for (const schema of files.values()) ajv.addSchema(schema);

/** A schema's $id by its title: SWF shapes and the project's own files alike. */
function idOf(title: string): string {
  const schema = [...files.values()].find((s) => s.title === title);
  if (!schema?.$id) throw new Error(`no schema titled ${title} in schemas/`);
  return schema.$id;
}

const compiled = new Map<string, ValidateFunction>();
function compiledFor(name: string): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    fn = ajv.getSchema(idOf(name));
    if (!fn) throw new Error(`schema ${name} did not compile`);
    compiled.set(name, fn);
  }
  return fn;
}

function pathOf(error: ErrorObject): string {
  const parts = error.instancePath.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') parts.push(String((error.params as { missingProperty: string }).missingProperty));
  if (error.keyword === 'additionalProperties') parts.push(String((error.params as { additionalProperty: string }).additionalProperty));
  return parts.join('.');
}

function valueAt(data: unknown, error: ErrorObject): unknown {
  let node = data;
  for (const part of error.instancePath.split('/').filter(Boolean)) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

function limitOf(error: ErrorObject): unknown {
  const p = error.params as Record<string, unknown>;
  return p.limit ?? p.allowedValues ?? p.type ?? p.allowedValue;
}

/** Turns ajv's errors into violations that name the member, dropping ajv's bookkeeping for if/then. */
export function violationsOf(data: unknown, errors: ErrorObject[] | null | undefined): Violation[] {
  return (errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .map((e) => {
      const member = pathOf(e);
      const v: Violation = { member, keyword: e.keyword, message: `${member || 'body'}: ${e.message ?? e.keyword}` };
      const limit = limitOf(e);
      if (limit !== undefined) v.limit = limit;
      if (e.keyword !== 'required' && e.keyword !== 'additionalProperties') v.value = valueAt(data, e);
      return v;
    });
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; violations: Violation[] };

/** Validates data against the named shape of schemas/. */
export function validate<N extends ShapeName>(name: N, data: unknown): ValidationResult<Shapes[N]> {
  const fn = compiledFor(name);
  if (fn(data)) return { ok: true, value: data as Shapes[N] };
  return { ok: false, violations: violationsOf(data, fn.errors) };
}

/** Like validate, but throws an error listing every violation; for responses a test reads. */
export function assertShape<N extends ShapeName>(name: N, data: unknown): Shapes[N] {
  const result = validate(name, data);
  if (!result.ok) {
    throw new Error(`response does not match schemas/${name}.schema.json:\n  ${result.violations.map((v) => v.message).join('\n  ')}`);
  }
  return result.value;
}

/** The compiled validator of any schema by its title, for schemas that are not SWF shapes. */
export function validatorForTitle(title: string): ValidateFunction {
  return compiledFor(title);
}
