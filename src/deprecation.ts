/**
 * Renamed calls keep working for one release: the old name does what the new one does, and the first use
 * warns once (`console.warn`, naming the new call). README "API at a glance" lists every rename.
 * @module
 */
const warned = new Set<string>();

/** Warn once per process that `old` is deprecated: `replacement` is what to call instead. */
export function deprecated(old: string, replacement: string): void {
  if (warned.has(old)) return;
  warned.add(old);
  console.warn(`lowrank: ${old} is deprecated and will be removed in the next release; use ${replacement}`);
}
