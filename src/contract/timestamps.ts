/**
 * Which members hold a time, and what a time on the wire must look like. The members come from
 * the schemas (every property whose schema is common.schema.json's Timestamp), plus the one the
 * schemas do not cover: `creationDate` of the domain and type descriptions, which the official
 * model also types as a timestamp.
 */
import { loadSchemaFiles, type JsonSchema } from './schema-files.ts';

const TIMESTAMP_REF = /(^|\/)common\.schema\.json#\/\$defs\/Timestamp$|^#\/\$defs\/Timestamp$/;

/** Shapes the schemas leave out whose members are times all the same. */
const OUTSIDE_THE_SCHEMAS = ['creationDate'];

function membersOf(files: Map<string, JsonSchema>): Set<string> {
  const found = new Set<string>(OUTSIDE_THE_SCHEMAS);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const schema = node as JsonSchema;
    for (const [name, member] of Object.entries(schema.properties ?? {})) {
      if (typeof member.$ref === 'string' && TIMESTAMP_REF.test(member.$ref)) found.add(name);
    }
    for (const value of Object.values(schema)) walk(value);
  };
  for (const schema of files.values()) walk(schema);
  return found;
}

let members: ReadonlySet<string> | undefined;

/** Every member name that holds a time: eventTimestamp, startTimestamp, closeTimestamp, oldestDate, … */
export function timestampMembers(): ReadonlySet<string> {
  members ??= membersOf(loadSchemaFiles());
  return members;
}

/** Whether a member holds a time, by its name. */
export const isTimeMember = (key: string): boolean => timestampMembers().has(key);

/**
 * What is wrong with a time as the wire carries it, or undefined: SWF sends seconds since the
 * epoch as a JSON number with at most a millisecond fraction (recorded: `1.471998677044E9`).
 */
export function timestampFault(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'not a number';
  if (value >= 1e11) return 'milliseconds, not seconds, since the epoch';
  if (value < 1e9) return 'before 2001: not seconds since the epoch of a live run';
  if (Math.abs(value * 1000 - Math.round(value * 1000)) > 1e-2) return 'finer than a millisecond';
  return undefined;
}
