import type { ChildPolicy } from '../generated/types.ts';
import { loadSchemaFiles, resolveRef, type JsonSchema } from './schema-files.ts';

/** What schemas/ says about one top-level member of an operation's input. */
export interface MemberConstraint {
  member: string;
  required: boolean;
  type: string;
  minLength?: number;
  maxLength?: number;
  enum?: string[];
}

const files = loadSchemaFiles();

/** Follows $refs until a schema with content, returning it with the file it lives in. */
export function deref(file: string, schema: JsonSchema): { file: string; schema: JsonSchema } {
  let at = { file, schema };
  for (let hops = 0; at.schema.$ref; hops += 1) {
    if (hops > 20) throw new Error(`schemas/${file}: $ref cycle`);
    at = resolveRef(files, at.file, at.schema.$ref);
  }
  return at;
}

/** The members of an input shape and their constraints, read from schemas/. */
const constraintsByShape = new Map<string, readonly MemberConstraint[]>();

/** Each member's constraints, read from the shape's schema once. */
export function memberConstraints(shape: string): readonly MemberConstraint[] {
  let constraints = constraintsByShape.get(shape);
  if (!constraints) {
    constraints = Object.freeze(readConstraints(shape));
    constraintsByShape.set(shape, constraints);
  }
  return constraints;
}

function readConstraints(shape: string): MemberConstraint[] {
  const file = `${shape}.schema.json`;
  const root = files.get(file);
  if (!root?.properties) throw new Error(`schemas/${file} is not an object schema`);
  const required = new Set(root.required ?? []);
  return Object.entries(root.properties).map(([member, prop]) => {
    const { schema } = deref(file, prop);
    const c: MemberConstraint = { member, required: required.has(member), type: String(schema.type) };
    if (schema.minLength !== undefined) c.minLength = schema.minLength;
    if (schema.maxLength !== undefined) c.maxLength = schema.maxLength;
    if (schema.enum) c.enum = schema.enum;
    return c;
  });
}

/** The schema of one member of an input shape, with $refs followed. */
export function memberSchema(shape: string, member: string): JsonSchema {
  const file = `${shape}.schema.json`;
  const prop = files.get(file)?.properties?.[member];
  if (!prop) throw new Error(`schemas/${file} has no member ${member}`);
  return deref(file, prop).schema;
}

/** The child policies, as TerminateWorkflowExecution's input schema lists them. */
export function childPolicies(): ChildPolicy[] {
  return memberSchema('TerminateWorkflowExecutionInput', 'childPolicy').enum as ChildPolicy[];
}

/** The length bounds of a member of an input shape. */
export function lengthBounds(shape: string, member: string): { min: number; max: number } {
  const s = memberSchema(shape, member);
  return { min: s.minLength ?? 0, max: s.maxLength ?? Number.POSITIVE_INFINITY };
}
