import { TargetOpenError } from '../targets/open-error.ts';

/** A problem with what the user asked for: printed as one line, exit code 2, no stack trace. */
export class UsageError extends Error {}

/** The work's value; a target that cannot be opened as asked is the user's problem, said as a UsageError. */
export async function openingAsUsage<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof TargetOpenError ? new UsageError(error.message) : error;
  }
}
