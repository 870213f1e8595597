import { readFileSync } from 'node:fs';
import { fixturesDir } from './paths.ts';
import { operationsUnderTest, type OperationUnderTest } from '../generated/operations.ts';

/** One example request and response from an operation's API reference page (fixtures/seed/). */
export interface SeedExample {
  source: string;
  operation: OperationUnderTest;
  request: { headers: Record<string, string>; body: string };
  response: { status: number; headers: Record<string, string>; body: string };
}

export function seedExample(operation: SeedExample['operation']): SeedExample {
  const file = `${fixturesDir}seed/${operation}.json`;
  return JSON.parse(readFileSync(file, 'utf8')) as SeedExample;
}

export const seedOperations = operationsUnderTest;
