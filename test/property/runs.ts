// How many cases each property runs: 200 by default (the CI requirement), LOWRANK_PROPERTY_RUNS to change it.
import { afterAll } from 'vitest';

export const RUNS = Number(process.env.LOWRANK_PROPERTY_RUNS ?? 200);
export const SEED =
  process.env.LOWRANK_PROPERTY_SEED !== undefined ? Number(process.env.LOWRANK_PROPERTY_SEED) : undefined;

/** fast-check parameters for one property; the property's name is printed with its run count at the end. */
const ran: string[] = [];
export function params(name: string): { numRuns: number; seed?: number } {
  ran.push(name);
  return SEED === undefined ? { numRuns: RUNS } : { numRuns: RUNS, seed: SEED };
}
afterAll(() => {
  for (const n of ran) console.log(`property "${n}": ${RUNS} runs`);
});
