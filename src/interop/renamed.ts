/**
 * The format calls renamed by the one-verb-pair scheme (interaction data is read…/write…): the old names
 * work for one release from `lowrank/formats`, warning once. Not in the root.
 * @module
 */
import { deprecated } from '../deprecation.js';
import { readParquet, writeParquet, type ReadParquetOptions, type WriteParquetOptions } from './parquet-data.js';
import { readScipyNpz, writeScipyNpz, type WriteScipyNpzOptions } from './scipy.js';

/** @deprecated Renamed `writeParquet` (same arguments); warns once, goes in the next release. */
export function toParquet(...args: Parameters<typeof writeParquet>): ReturnType<typeof writeParquet> {
  deprecated('toParquet', 'writeParquet');
  return writeParquet(...args);
}

/** @deprecated Renamed `readParquet` (same arguments); warns once, goes in the next release. */
export function fromParquet(...args: Parameters<typeof readParquet>): ReturnType<typeof readParquet> {
  deprecated('fromParquet', 'readParquet');
  return readParquet(...args);
}

/** @deprecated Renamed `writeScipyNpz` (same arguments); warns once, goes in the next release. */
export function toScipyNpz(...args: Parameters<typeof writeScipyNpz>): ReturnType<typeof writeScipyNpz> {
  deprecated('toScipyNpz', 'writeScipyNpz');
  return writeScipyNpz(...args);
}

/** @deprecated Renamed `readScipyNpz` (same arguments); warns once, goes in the next release. */
export function fromScipyNpz(...args: Parameters<typeof readScipyNpz>): ReturnType<typeof readScipyNpz> {
  deprecated('fromScipyNpz', 'readScipyNpz');
  return readScipyNpz(...args);
}

/** @deprecated Renamed `WriteParquetOptions`; goes in the next release. */
export type ToParquetOptions = WriteParquetOptions;
/** @deprecated Renamed `ReadParquetOptions`; goes in the next release. */
export type FromParquetOptions = ReadParquetOptions;
/** @deprecated Renamed `WriteScipyNpzOptions`; goes in the next release. */
export type ToScipyNpzOptions = WriteScipyNpzOptions;
