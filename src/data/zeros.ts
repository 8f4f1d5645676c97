/**
 * Stored zeros: entries whose value is 0. A model that reads r = 0 as no preference (ImplicitALS: p =
 * 1[r > 0] with confidence 1 — the same as no entry) silently loses them, which is wrong where 0 means
 * something (the Book-Crossing dump's "read, not rated"). `warnZeroPreferences` is called by such models'
 * fit and says so once per process, with the share affected and the option that counts them.
 * @module
 */
import type { SparseMatrix } from './csr.js';

/** Stored entries of `m` equal to 0. */
export function zeroEntries(m: SparseMatrix): number {
  const d = m.arrays().data;
  let n = 0;
  for (let p = 0; p < d.length; p++) if (d[p] === 0) n++;
  return n;
}

let warned = false;

/**
 * Warn once per process (console.warn) when `m` stores zeros that `model` reads as no preference, naming
 * the share of entries and the reading option that counts them as interactions. Returns the message, or
 * undefined when nothing was said.
 */
export function warnZeroPreferences(m: SparseMatrix, model: string): string | undefined {
  if (warned || m.nnz === 0) return undefined;
  const zeros = zeroEntries(m);
  if (zeros === 0) return undefined;
  warned = true;
  const share = (100 * zeros) / m.nnz;
  const message =
    `lowrank: ${model}.fit: ${share < 0.1 ? share.toPrecision(2) : share.toFixed(1)}% of the stored entries (${zeros} of ${m.nnz}) are 0, ` +
    `which ${model} reads as no preference — the same as no entry. If 0 means an interaction (e.g. "seen, not rated"), ` +
    `read the data with readInteractions(…, { zeros: 1 }) (lowrank CLI: --zeros 1) to count them; zeros: 'drop' leaves them out and silences this`;
  console.warn(message);
  return message;
}

/** Forget that the warning was given (tests). @internal */
export function resetZeroWarning(): void {
  warned = false;
}
