/**
 * The one way public classes and functions read their options object, so every one of them treats it
 * the same: `undefined` means "all defaults" (and `null` too, unless the reader is made with
 * `{ nullIsDefaults: false }`, as serving calls are; neither, with `{ required: true }`, for functions whose
 * options have no defaults), anything else that is not a plain object is a
 * ValidationError, an unknown key is a ValidationError (a misspelt option must not be ignored), and each
 * value is checked with the same wording everywhere ("<where>: <name> must be …, got …").
 *
 * Seeds. Every seeded computation — ALS, ImplicitALS, PureSVD, truncatedSVD, the splits — defaults to
 * seed 0: the same call gives the same result, run after run, unless a seed is passed. The resolved
 * options (`model.options`) show the seed used.
 * @module
 */
import { ValidationError } from './errors.js';

/** The seed every seeded computation uses when none is given. */
export const DEFAULT_SEED = 0;

export class OptionReader {
  private readonly o: Record<string, unknown>;

  /** `where` prefixes every message (e.g. 'ImplicitALS'); `allowed` lists the option names. */
  constructor(
    readonly where: string,
    options: unknown,
    allowed: readonly string[],
    { nullIsDefaults = true, required = false }: { nullIsDefaults?: boolean; required?: boolean } = {},
  ) {
    const absent = options === undefined || (options === null && nullIsDefaults);
    const o = absent && !required ? {} : options;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      const got = o === null ? 'null' : o === undefined ? 'nothing' : Array.isArray(o) ? 'an array' : typeof o;
      throw new ValidationError(`${where}: options must be an object, got ${got}`);
    }
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key))
        throw new ValidationError(
          `${where}: unknown option ${JSON.stringify(key)}; expected one of ${allowed.join(', ')}`,
        );
    }
    this.o = o as Record<string, unknown>;
  }

  private fail(name: string, what: string, v: unknown): never {
    throw new ValidationError(
      `${this.where}: ${name} must be ${what}, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`,
    );
  }

  /** The raw value (undefined when absent), for options checked elsewhere. */
  raw(name: string): unknown {
    return this.o[name];
  }

  /** An integer in [min, max] (max Infinity: no upper bound); `def` undefined makes the option required. */
  int(name: string, def: number | undefined, min: number, max = Infinity): number {
    const v = this.o[name] ?? def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      const what =
        min === 0
          ? 'a non-negative integer'
          : max === Infinity
            ? min === 1
              ? 'a positive integer'
              : `an integer ≥ ${min}`
            : `an integer in [${min}, ${max}]`;
      this.fail(name, max !== Infinity && min === 0 ? `${what} (at most ${max})` : what, v);
    }
    return v;
  }

  /** A finite number ≥ min (or > min when `exclusive`). */
  number(name: string, def: number, min = -Infinity, exclusive = false): number {
    const v = this.o[name] ?? def;
    if (typeof v !== 'number' || !Number.isFinite(v) || (exclusive ? v <= min : v < min)) {
      this.fail(name, min === -Infinity ? 'a finite number' : `a finite number ${exclusive ? '>' : '≥'} ${min}`, v);
    }
    return v;
  }

  /** A number in the open interval (lo, hi). */
  between(name: string, def: number, lo: number, hi: number): number {
    const v = this.o[name] ?? def;
    if (typeof v !== 'number' || !(v > lo && v < hi)) this.fail(name, `a number in (${lo}, ${hi})`, v);
    return v;
  }

  bool(name: string, def: boolean): boolean {
    const v = this.o[name] ?? def;
    if (typeof v !== 'boolean') this.fail(name, 'true or false', v);
    return v;
  }

  /** One of `values` (listed in the message). */
  oneOf<T extends string>(name: string, def: T, values: readonly T[]): T {
    const v = this.o[name] ?? def;
    if (!values.includes(v as T)) {
      const list = values.map((x) => `'${x}'`);
      this.fail(name, `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`, v);
    }
    return v as T;
  }

  /** The seed: any finite number, default {@link DEFAULT_SEED}. */
  seed(name = 'seed'): number {
    return this.number(name, DEFAULT_SEED);
  }

  /** An optional function. */
  fn<F extends (...args: never[]) => unknown>(name: string): F | undefined {
    const v = this.o[name];
    if (v !== undefined && typeof v !== 'function') this.fail(name, 'a function', v);
    return v as F | undefined;
  }

  /** An optional AbortSignal. */
  signal(name = 'signal'): AbortSignal | undefined {
    const v = this.o[name] as AbortSignal | undefined;
    if (v !== undefined && (v === null || typeof v !== 'object' || typeof v.aborted !== 'boolean'))
      this.fail(name, 'an AbortSignal', v);
    return v;
  }

  /** An optional value checked by `valid` (the message says `what` it must be). */
  check<T>(name: string, what: string, valid: (v: unknown) => boolean): T | undefined {
    const v = this.o[name];
    if (v !== undefined && !valid(v)) this.fail(name, what, v);
    return v as T | undefined;
  }
}
