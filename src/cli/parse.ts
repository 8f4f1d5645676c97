/**
 * Option-value parsers for commander: each returns the parsed value or throws InvalidArgumentError, which
 * commander turns into a one-line "option '--x <n>' argument 'y' is invalid. <why>" message.
 * @module
 */
import { InvalidArgumentError } from 'commander';

/** An integer in [min, max]. */
export function intIn(min: number, max = Number.MAX_SAFE_INTEGER): (raw: string) => number {
  return (raw) => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER ? `Expected an integer ≥ ${min}.` : `Expected an integer in [${min}, ${max}].`,
      );
    }
    return v;
  };
}

/** A finite number ≥ 0. */
export function nonNegative(raw: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < 0)
    throw new InvalidArgumentError('Expected a finite number ≥ 0.');
  return v;
}

/** A positive number below 1 (a fraction or a tolerance). */
export function openUnit(raw: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v <= 0 || v >= 1)
    throw new InvalidArgumentError('Expected a number in (0, 1).');
  return v;
}

/** A finite number > 0 (e.g. seconds). */
export function positiveNumber(raw: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v <= 0) throw new InvalidArgumentError('Expected a number > 0.');
  return v;
}
