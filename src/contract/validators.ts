import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Shapes } from '../generated/types.ts';
import { projectRoot } from './paths.ts';
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
const options = { strict: true, allErrors: true } as const;
// ajv itself is loaded only to compile: with the build's validators, a process never needs it.
const requireHere = createRequire(import.meta.url);
const newAjv = (code?: { source: true }) => {
  const { Ajv2020: Ajv } = requireHere('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const made = new Ajv({ ...options, ...(code ? { code } : {}) });
  for (const schema of files.values()) made.addSchema(schema);
  return made;
};
let ajv: Ajv2020 | undefined;

/** A schema's $id by its title: SWF shapes and the project's own files alike. */
function idOf(title: string): string {
  const schema = [...files.values()].find((s) => s.title === title);
  if (!schema?.$id) throw new Error(`no schema titled ${title} in schemas/`);
  return schema.$id;
}

/**
 * The validators the build compiled (dist/validators.cjs), while schemas/ and ajv are what they
 * were compiled from: compiling them at every start costs a run a fifth of a second, twice (the
 * reference and the test worker each compile what they use).
 */
export const precompiledFile = join(projectRoot, 'dist', 'validators.cjs');
const exportName = (title: string) => title.replace(/\W/g, '_');

/** What the validators are compiled from: schemas/, ajv's version and its options. */
export function schemasFingerprint(): string {
  const hash = createHash('sha256').update(`ajv ${requireHere('ajv/package.json').version as string} ${JSON.stringify(options)}\n`);
  for (const [name, schema] of files) hash.update(name).update(JSON.stringify(schema));
  return hash.digest('hex');
}

function loadPrecompiled(): Record<string, ValidateFunction> | undefined {
  try {
    const module = requireHere(precompiledFile) as Record<string, ValidateFunction> & { fingerprint?: unknown };
    return module.fingerprint === schemasFingerprint() ? module : undefined;
  } catch {
    return undefined; // no build, or not readable: compile
  }
}
const precompiled = loadPrecompiled();

/** Whether this process validates with the build's compiled validators. */
export const usesPrecompiled = precompiled !== undefined;

/** A validator compiled now, from schemas/, whatever the build holds; for the test that they agree. */
export function freshlyCompiled(title: string): ValidateFunction {
  const fn = (ajv ??= newAjv()).getSchema(idOf(title));
  if (!fn) throw new Error(`schema ${title} did not compile`);
  return fn;
}

/** The build's step: every schema compiled into one CommonJS module, with the fingerprint it holds for. */
export function precompiledValidatorsSource(): string {
  const mapping: Record<string, string> = {};
  for (const schema of files.values()) if (schema.title && schema.$id) mapping[exportName(schema.title)] = schema.$id;
  const { default: standaloneCode } = requireHere('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js');
  return `${standaloneCode(newAjv({ source: true }), mapping)}\nexports.fingerprint = ${JSON.stringify(schemasFingerprint())};\n`;
}

const compiled = new Map<string, ValidateFunction>();
function compiledFor(name: string): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    fn = precompiled?.[exportName(name)] ?? freshlyCompiled(name);
    compiled.set(name, fn);
  }
  return fn;
}

function pathOf(error: ErrorObject): string {
  const parts = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
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
