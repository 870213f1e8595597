import { InvalidArgumentError } from 'commander';

/** A commander parser for an integer flag within bounds. */
export function integerOption(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${flag} takes a whole number, not "${value}"`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${flag} must be between ${min} and ${max}`);
    return n;
  };
}

/** A commander parser for a number of seconds within bounds (fractions allowed). */
export function secondsOption(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+(\.\d+)?$/.test(value)) throw new InvalidArgumentError(`${flag} takes a number of seconds, not "${value}"`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${flag} must be between ${min} and ${max} seconds`);
    return n;
  };
}
