import { validate, type ShapeName, type Violation } from '../src/contract/validators.ts';
import { fault } from './faults.ts';

/**
 * Removes members whose value is JSON null, recursively: AWS's JSON deserializer treats null as
 * absent (inferred, spec input.type.null-optional-absent), so a null required member is then
 * reported as "Value null ... Member must not be null".
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const v = (value as Record<string, unknown>)[k];
    if (v !== null) out[k] = dropNulls(v);
  }
  return out;
}

/** AWS's member path: "execution.workflowId", and list items as "decisions.1.member.x" (1-based). */
function awsPath(member: string): string {
  return member
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? `${Number(part) + 1}.member` : part))
    .join('.');
}

function show(value: unknown): string {
  return value === undefined ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
}

/** One violation in the wording of AWS's validation layer, or undefined when it has none. */
function constraintText(v: Violation): string | undefined {
  switch (v.keyword) {
    case 'required':
      return 'Member must not be null';
    case 'maxLength':
    case 'maxItems':
      return `Member must have length less than or equal to ${String(v.limit)}`;
    case 'minLength':
    case 'minItems':
      return `Member must have length greater than or equal to ${String(v.limit)}`;
    case 'maximum':
      return `Member must have value less than or equal to ${String(v.limit)}`;
    case 'minimum':
      return `Member must have value greater than or equal to ${String(v.limit)}`;
    case 'enum':
      return `Member must satisfy enum value set: [${(v.limit as string[]).join(', ')}]`;
    default:
      return undefined;
  }
}

/** The constraint violations of an input (nulls dropped) against its shape: the validation's seam. */
export type Check = (shape: ShapeName, input: Record<string, unknown>) => Violation[];
/** A plug of the validation: given the check inside it, its own. It may also throw the fault to answer. */
export type CheckPlug = (next: Check) => Check;

/** The contract's check: the schema's violations; members the model does not define are ignored (inferred, spec input.unknown-member.reported). */
const schemaCheck: Check = (shape, input) => {
  const result = validate(shape, input);
  return result.ok ? [] : result.violations.filter((v) => v.keyword !== 'additionalProperties');
};

/** Whether a violation is one AWS's validation layer words (and so lists). */
export const worded = (v: Violation): boolean => constraintText(v) !== undefined;

/**
 * Validates a request body against the operation's input schema and throws the fault AWS would
 * answer with: SerializationException for a value of the wrong JSON type, ValidationException
 * listing every constraint violated. `plugs` wrap the check, the first outermost.
 */
export function validateInput<N extends ShapeName>(shape: N, body: unknown, plugs: readonly CheckPlug[] = []): void {
  const cleaned = dropNulls(body) as Record<string, unknown>;
  const check = plugs.reduceRight<Check>((next, plug) => plug(next), schemaCheck);
  const violations = check(shape, cleaned);
  if (violations.length === 0) return;
  const wrongType = violations.find((v) => v.keyword === 'type');
  if (wrongType) {
    throw fault.serialization(`Unexpected value type at '${awsPath(wrongType.member)}': expected ${String(wrongType.limit)}`);
  }
  const texts = violations.flatMap((v) => {
    const text = constraintText(v);
    return text ? [`Value ${show(v.value)} at '${awsPath(v.member)}' failed to satisfy constraint: ${text}`] : [];
  });
  if (texts.length === 0) return;
  const n = texts.length;
  throw fault.validation(`${n} validation error${n === 1 ? '' : 's'} detected: ${texts.join('; ')}`);
}
