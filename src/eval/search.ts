/**
 * The search spaces of tune() and the order it visits them in: a grid, or a seeded random search that
 * starts at the model's defaults for the data, spends the first third of its budget spreading points
 * evenly over the space (a shifted Halton sequence) and the rest on perturbations of the best point so far
 * with a radius that shrinks as the budget runs out.
 * @module
 */
import { ValidationError } from '../errors.js';
import { Rng } from '../random.js';

/** A value of one model option. */
export type ParamValue = number | string | boolean;

/** A numeric range to sample from. */
export interface ParamRange {
  min: number;
  max: number;
  /** Sample uniformly in log(value) (for scales such as regularization); needs min > 0. Default false. */
  log?: boolean;
  /** Round to integers (e.g. factors). Default false. */
  integer?: boolean;
  /**
   * min and max are multiples of the start value (the model's default for the data, e.g. the factors
   * its rule picks): `{ min: 0.25, max: 4, relative: true }` searches a quarter to four times it.
   * Default false.
   */
  relative?: boolean;
}

/** Option name → the values to try (a list) or a range. */
export type SearchSpace = Record<string, readonly ParamValue[] | ParamRange>;

type Range = Required<Omit<ParamRange, 'relative'>>;
type Dim = { name: string; values: readonly ParamValue[] } | { name: string; range: Range };

function dimsOf(space: SearchSpace, start: Record<string, unknown>): Dim[] {
  if (space === null || typeof space !== 'object' || Array.isArray(space))
    throw new ValidationError('tune: space must be an object { option: [values] | { min, max, log?, integer? } }');
  const dims: Dim[] = [];
  for (const [name, spec] of Object.entries(space)) {
    if (Array.isArray(spec)) {
      if (spec.length === 0) throw new ValidationError(`tune: space.${name} is an empty list`);
      for (const v of spec) {
        if (!(typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
          throw new ValidationError(
            `tune: space.${name} holds ${String(v)}; values must be finite numbers, strings or booleans`,
          );
        }
      }
      dims.push({ name, values: spec });
      continue;
    }
    const r = spec as ParamRange;
    if (
      r === null ||
      typeof r !== 'object' ||
      typeof r.min !== 'number' ||
      typeof r.max !== 'number' ||
      !Number.isFinite(r.min) ||
      !Number.isFinite(r.max) ||
      !(r.min <= r.max)
    ) {
      throw new ValidationError(
        `tune: space.${name} must be a list of values or { min, max } with finite min ≤ max, got ${JSON.stringify(spec)}`,
      );
    }
    for (const key of Object.keys(r))
      if (!['min', 'max', 'log', 'integer', 'relative'].includes(key))
        throw new ValidationError(
          `tune: space.${name} has an unknown key ${JSON.stringify(key)}; expected min, max, log, integer, relative`,
        );
    const log = r.log ?? false;
    const integer = r.integer ?? false;
    const relative = r.relative ?? false;
    if (typeof log !== 'boolean' || typeof integer !== 'boolean' || typeof relative !== 'boolean')
      throw new ValidationError(`tune: space.${name}: log, integer and relative must be true or false`);
    let [min, max] = [r.min, r.max];
    if (relative) {
      const at = start[name];
      if (typeof at !== 'number' || !(at > 0) || !Number.isFinite(at))
        throw new ValidationError(
          `tune: space.${name} is relative to the model's default, which is ${JSON.stringify(at)}, not a positive number; give min and max as values`,
        );
      [min, max] = [r.min * at, r.max * at];
      if (integer) [min, max] = [Math.max(1, Math.round(min)), Math.max(1, Math.round(max))];
    }
    if (log && !(min > 0))
      throw new ValidationError(`tune: space.${name} is a log range, so min must be > 0, got ${min}`);
    if (integer && Math.ceil(min) > Math.floor(max))
      throw new ValidationError(`tune: space.${name} is an integer range with no integer in [${min}, ${max}]`);
    dims.push({ name, range: { min, max, log, integer } });
  }
  if (dims.length === 0) throw new ValidationError('tune: space is empty; name at least one option to search');
  return dims;
}

/** Unit coordinate u ∈ [0, 1] → a value of the range. */
function fromUnit(r: Range, u: number): number {
  const v = r.log ? Math.exp(Math.log(r.min) + u * (Math.log(r.max) - Math.log(r.min))) : r.min + u * (r.max - r.min);
  if (!r.integer) return Math.min(r.max, Math.max(r.min, v));
  return Math.min(Math.floor(r.max), Math.max(Math.ceil(r.min), Math.round(v)));
}

/** A value of the range → its unit coordinate. */
function toUnit(r: Range, v: number): number {
  if (r.max === r.min) return 0.5;
  const u = r.log
    ? (Math.log(v) - Math.log(r.min)) / (Math.log(r.max) - Math.log(r.min))
    : (v - r.min) / (r.max - r.min);
  return Number.isNaN(u) ? 0 : Math.min(1, Math.max(0, u));
}

/** The visiting order of one search. */
export interface SearchPoints {
  /** How many points will be visited (Infinity: until the caller stops, e.g. at a time limit). */
  readonly total: number;
  /** Points that reach every list value and range end, to validate against the model before training. */
  preview(): Record<string, ParamValue>[];
  /**
   * The next point, or undefined when done. `progress` ∈ [0, 1] is the share of the budget used so far
   * (trials or time); the random search explores the space during the first third of it and then
   * refines around the best point with a radius that shrinks as the budget runs out.
   */
  next(progress?: number): Record<string, ParamValue> | undefined;
  /** The score of a point returned by next() (NaN for a failed trial). */
  report(point: Record<string, ParamValue>, value: number, higherIsBetter: boolean): void;
}

const MAX_GRID = 100000;
/** Share of the budget spent exploring before the search refines around its best point. */
const EXPLORE_SHARE = 1 / 3;
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53];

/** The radical inverse of n in `base` (the Halton sequence's coordinate). */
function radicalInverse(n: number, base: number): number {
  let inv = 1 / base;
  let r = 0;
  for (let m = n; m > 0; m = Math.floor(m / base), inv /= base) r += (m % base) * inv;
  return r;
}

/**
 * The points of a search over `space`: every combination (`grid`), or `trials` points (Infinity: no
 * count, the caller stops) starting at `start` (the model's defaults for the data, clamped into the space;
 * relative ranges are multiples of it).
 */
export function searchPoints(
  space: SearchSpace,
  o: { grid: boolean; trials?: number; seed: number; start: Record<string, unknown> },
): SearchPoints {
  const dims = dimsOf(space, o.start);
  const previewOf = (): Record<string, ParamValue>[] => {
    const at = startPoint(dims, o.start);
    const out = [at];
    for (const d of dims) {
      const vals = 'values' in d ? d.values : [fromUnit(d.range, 0), fromUnit(d.range, 1)];
      for (const v of vals) out.push({ ...at, [d.name]: v });
    }
    return out;
  };
  if (o.grid) {
    const ranges = dims.filter((d) => 'range' in d).map((d) => d.name);
    if (ranges.length > 0)
      throw new ValidationError(
        `tune: grid needs a list of values for every option; ${ranges.join(', ')} ${ranges.length > 1 ? 'are ranges' : 'is a range'}`,
      );
    const lists = dims as { name: string; values: readonly ParamValue[] }[];
    const total = lists.reduce((n, d) => n * d.values.length, 1);
    if (total > MAX_GRID)
      throw new ValidationError(
        `tune: the grid has ${total} points (more than ${MAX_GRID}); use fewer values or trials`,
      );
    let i = 0;
    return {
      total,
      preview: previewOf,
      next() {
        if (i >= total) return undefined;
        let rest = i++;
        const p: Record<string, ParamValue> = {};
        for (let d = lists.length - 1; d >= 0; d--) {
          const n = lists[d].values.length;
          p[lists[d].name] = lists[d].values[rest % n];
          rest = Math.floor(rest / n);
        }
        return p;
      },
      report() {},
    };
  }
  const total = o.trials ?? 24;
  const rng = new Rng(o.seed);
  // Exploration: a Halton sequence, shifted by a seeded offset per dimension (Cranley–Patterson), covers
  // the space evenly however many points the budget allows.
  const shift = dims.map(() => rng.next());
  const seen = new Set<string>();
  let i = 0;
  let explored = 0;
  let best: { point: Record<string, ParamValue>; value: number } | undefined;
  const key = (p: Record<string, ParamValue>) => JSON.stringify(dims.map((d) => p[d.name]));
  const around = (center: Record<string, ParamValue>, radius: number): Record<string, ParamValue> => {
    const p = { ...center };
    for (const d of dims) {
      if ('range' in d)
        p[d.name] = fromUnit(d.range, toUnit(d.range, center[d.name] as number) + radius * rng.normal());
      else if (rng.next() < 0.35) {
        const at = Math.max(0, d.values.indexOf(center[d.name]));
        const step = d.values.length > 1 ? (rng.next() < 0.5 ? -1 : 1) : 0;
        p[d.name] = d.values[Math.min(d.values.length - 1, Math.max(0, at + step))];
      }
    }
    return p;
  };
  const explore = (): Record<string, ParamValue> => {
    const n = ++explored;
    const p: Record<string, ParamValue> = {};
    for (let d = 0; d < dims.length; d++) {
      const u = (radicalInverse(n, PRIMES[d % PRIMES.length]) + shift[d]) % 1;
      const dim = dims[d];
      p[dim.name] =
        'range' in dim
          ? fromUnit(dim.range, u)
          : dim.values[Math.min(dim.values.length - 1, Math.floor(u * dim.values.length))];
    }
    return p;
  };
  return {
    total,
    preview: previewOf,
    next(progress) {
      if (i >= total) return undefined;
      const t = i++;
      const used = Math.min(1, Math.max(0, progress ?? (Number.isFinite(total) ? t / total : 0)));
      let p: Record<string, ParamValue>;
      if (t === 0) p = startPoint(dims, o.start);
      else if (used < EXPLORE_SHARE || best === undefined) p = explore();
      else {
        // Refinement: the radius shrinks from 0.25 to 0.05 of each range as the budget runs out.
        const q = (used - EXPLORE_SHARE) / (1 - EXPLORE_SHARE);
        const radius = 0.25 * (1 - q) + 0.05 * q;
        p = around(best.point, radius);
        for (let tries = 0; seen.has(key(p)) && tries < 30; tries++) p = around(best.point, radius * (1 + tries / 5));
      }
      seen.add(key(p));
      return p;
    },
    report(point, value, higherIsBetter) {
      if (!Number.isFinite(value)) return;
      if (!best || (higherIsBetter ? value > best.value : value < best.value)) best = { point, value };
    },
  };
}

/** The model's defaults, each clamped into its dimension (the nearest list value, or into the range). */
function startPoint(dims: Dim[], start: Record<string, unknown>): Record<string, ParamValue> {
  const p: Record<string, ParamValue> = {};
  for (const d of dims) {
    const v = start[d.name];
    if ('range' in d) {
      p[d.name] =
        typeof v === 'number' && Number.isFinite(v) ? fromUnit(d.range, toUnit(d.range, v)) : fromUnit(d.range, 0.5);
    } else if (d.values.includes(v as ParamValue)) {
      p[d.name] = v as ParamValue;
    } else if (typeof v === 'number' && d.values.every((x) => typeof x === 'number')) {
      p[d.name] = (d.values as number[]).reduce((a, b) => (Math.abs(b - v) < Math.abs(a - v) ? b : a));
    } else {
      p[d.name] = d.values[0];
    }
  }
  return p;
}
