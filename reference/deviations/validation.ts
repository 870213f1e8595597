/**
 * The catalogue's wrong input validations, as plugs of the reference's validation check
 * (reference/validation.ts): each wraps the check inside it, changing the input it sees or the
 * violations it finds, or answers a fault of its own.
 */
import { memberConstraints } from '../../src/contract/constraints.ts';
import type { ShapeName, Violation } from '../../src/contract/validators.ts';
import { fault } from '../faults.ts';
import { worded, type CheckPlug } from '../validation.ts';
import type { DeviationTable } from './deviation.ts';

const underTest = (shape: ShapeName) => shape === 'RequestCancelWorkflowExecutionInput' || shape === 'TerminateWorkflowExecutionInput';

/** Adds the violations a length counted another way finds, where the contract's count finds none. */
const lengthPlug =
  (count: (value: string) => number, limitOf: (member: string, max: number) => number): CheckPlug =>
  (next) =>
  (shape, input) => {
    const out = next(shape, input);
    if (!underTest(shape)) return out;
    // The limits are the schemas' (read, not restated); only the deviation counts them differently.
    for (const { member, maxLength: max } of memberConstraints(shape)) {
      const value = input[member];
      if (typeof value !== 'string' || max === undefined) continue;
      const limit = limitOf(member, max);
      if (count(value) > limit && [...value].length <= max)
        out.push({ member, keyword: 'maxLength', limit, value, message: `${member}: too long` } as Violation);
    }
    return out;
  };

/** Leaves out of the check's violations those the deviation does not see. */
const ignoring =
  (ignored: (v: Violation) => boolean): CheckPlug =>
  (next) =>
  (shape, input) =>
    underTest(shape) ? next(shape, input).filter((v) => !ignored(v)) : next(shape, input);

export const validationDeviations: DeviationTable<CheckPlug> = {
  'child-policy-any-case': {
    does: 'childPolicy is matched case-insensitively ("terminate" is accepted)',
    breaks: ['input.child-policy.invalid-rejected'],
    plug: (next) => (shape, input) =>
      next(
        shape,
        underTest(shape) && typeof input.childPolicy === 'string' ? { ...input, childPolicy: input.childPolicy.toUpperCase() } : input,
      ),
  },
  'workflowid-max-255': {
    does: 'a workflowId of 256 characters is refused (the limit is off by one)',
    breaks: ['input.length.within-accepted'],
    plug: lengthPlug(
      (value) => [...value].length,
      (member, max) => (member === 'workflowId' ? 255 : max),
    ),
  },
  'lengths-in-utf16': {
    does: 'lengths are counted in UTF-16 code units, not code points',
    breaks: ['input.length.code-points'],
    plug: lengthPlug(
      (value) => value.length,
      (_member, max) => max,
    ),
  },
  'child-policy-abandon-refused': {
    does: 'childPolicy ABANDON in a TerminateWorkflowExecution request is refused with ValidationException',
    breaks: ['input.child-policy.values-accepted'],
    plug: (next) => (shape, input) => {
      if (shape === 'TerminateWorkflowExecutionInput' && input.childPolicy === 'ABANDON')
        throw fault.validation(
          "1 validation error detected: Value 'ABANDON' at 'childPolicy' failed to satisfy constraint: Member must satisfy enum value set: [TERMINATE, REQUEST_CANCEL]",
        );
      return next(shape, input);
    },
  },
  'naming-rule-on-lookup': {
    does: 'the naming rule (no ":", "/", "|", "arn") is enforced on the two operations\' workflowId too',
    breaks: ['input.names.lookup-only'],
    plug: (next) => (shape, input) => {
      if (underTest(shape) && typeof input.workflowId === 'string' && /[:/|]|arn/.test(input.workflowId))
        throw fault.validation(
          `1 validation error detected: Value '${input.workflowId}' at 'workflowId' failed to satisfy constraint: Member must not contain ':', '/', '|' or 'arn'`,
        );
      return next(shape, input);
    },
  },
  'lengths-unchecked': {
    does: 'no length limit is checked',
    breaks: ['input.length.outside-rejected', 'input.length.validation-exception'],
    plug: ignoring((v) => v.keyword === 'maxLength' || v.keyword === 'minLength'),
  },
  'missing-member-lookup': {
    does: 'a missing workflowId is looked up as "" (UnknownResourceFault) instead of ValidationException',
    breaks: ['input.required.missing-rejected'],
    plug: ignoring((v) => v.keyword === 'required' && v.member === 'workflowId'),
  },
  // Only the first worded violation is listed (a wrong type, answered as a SerializationException, still wins).
  'validation-first-only': {
    does: 'only the first of several violations is reported',
    breaks: ['input.validation.counted'],
    plug: (next) => (shape, input) => {
      const all = next(shape, input);
      return all.some((v) => v.keyword === 'type') ? all : all.filter(worded).slice(0, 1);
    },
  },
};
