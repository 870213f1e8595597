import { memberConstraints } from '../src/contract/constraints.ts';
import { validate, type ShapeName, type Violation } from '../src/contract/validators.ts';
import { Deviations } from './deviations/catalogue.ts';
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

/**
 * Validates a request body against the operation's input schema and throws the fault AWS would
 * answer with: SerializationException for a value of the wrong JSON type, ValidationException
 * listing every constraint violated. Members the model does not define are ignored (inferred,
 * spec input.unknown-member.reported).
 */
export function validateInput<N extends ShapeName>(shape: N, body: unknown, dev = new Deviations()): void {
  const cleaned = dropNulls(body) as Record<string, unknown>;
  const underTest = shape === 'RequestCancelWorkflowExecutionInput' || shape === 'TerminateWorkflowExecutionInput';
  if (underTest && typeof cleaned.childPolicy === 'string' && dev.has('child-policy-any-case'))
    cleaned.childPolicy = cleaned.childPolicy.toUpperCase();
  const result = validate(shape, cleaned);
  const extra = underTest && (dev.has('workflowid-max-255') || dev.has('lengths-in-utf16')) ? deviantViolations(shape, cleaned, dev) : [];
  if (shape === 'TerminateWorkflowExecutionInput' && cleaned.childPolicy === 'ABANDON' && dev.has('child-policy-abandon-refused')) {
    throw fault.validation(
      "1 validation error detected: Value 'ABANDON' at 'childPolicy' failed to satisfy constraint: Member must satisfy enum value set: [TERMINATE, REQUEST_CANCEL]",
    );
  }
  if (underTest && typeof cleaned.workflowId === 'string' && /[:/|]|arn/.test(cleaned.workflowId) && dev.has('naming-rule-on-lookup')) {
    throw fault.validation(
      `1 validation error detected: Value '${cleaned.workflowId}' at 'workflowId' failed to satisfy constraint: Member must not contain ':', '/', '|' or 'arn'`,
    );
  }
  if (result.ok && extra.length === 0) return;
  const violations = [...(result.ok ? [] : result.violations), ...extra].filter(
    (v) =>
      v.keyword !== 'additionalProperties' &&
      !(underTest && dev.has('lengths-unchecked') && (v.keyword === 'maxLength' || v.keyword === 'minLength')) &&
      !(underTest && dev.has('missing-member-lookup') && v.keyword === 'required' && v.member === 'workflowId'),
  );
  const wrongType = violations.find((v) => v.keyword === 'type');
  if (wrongType) {
    throw fault.serialization(`Unexpected value type at '${awsPath(wrongType.member)}': expected ${String(wrongType.limit)}`);
  }
  const texts = violations.flatMap((v) => {
    const text = constraintText(v);
    return text ? [`Value ${show(v.value)} at '${awsPath(v.member)}' failed to satisfy constraint: ${text}`] : [];
  });
  if (texts.length === 0) return;
  const shown = dev.has('validation-first-only') ? texts.slice(0, 1) : texts;
  const n = shown.length;
  throw fault.validation(`${n} validation error${n === 1 ? '' : 's'} detected: ${shown.join('; ')}`);
}

/** Violations the length deviations invent: UTF-16 units counted, or a limit one short. */
function deviantViolations(shape: ShapeName, body: Record<string, unknown>, dev: Deviations): Violation[] {
  const out: Violation[] = [];
  // The limits are the schemas' (read, not restated); only the deviations count them differently.
  for (const { member, maxLength: max } of memberConstraints(shape)) {
    const value = body[member];
    if (typeof value !== 'string' || max === undefined) continue;
    const limit = member === 'workflowId' && dev.has('workflowid-max-255') ? 255 : max;
    const length = dev.has('lengths-in-utf16') ? value.length : [...value].length;
    if (length > limit && [...value].length <= max)
      out.push({ member, keyword: 'maxLength', limit, value, message: `${member}: too long` } as Violation);
  }
  return out;
}
