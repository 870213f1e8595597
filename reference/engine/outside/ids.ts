/** The ids the reference hands out: runIds and task tokens. That they are unique is all a clause reads of them. */
import { randomBytes, randomFillSync } from 'node:crypto';

/** Random bytes drawn from a pool filled a few thousand at a time: one call to the system's generator per 128 run ids. */
const pool = Buffer.alloc(32 * 128);
let poolUsed = pool.length;

export function newRunId(): string {
  if (poolUsed === pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  poolUsed += 32;
  return pool.toString('base64', poolUsed - 32, poolUsed);
}

export const newToken = () => randomBytes(48).toString('base64');
